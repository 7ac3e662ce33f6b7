//! How assets and pages are cached: hashed assets for a year, pages and unhashed assets
//! revalidated on every use.

use crate::helpers::{get, state};
use server::startup::router;
use sqlx::PgPool;

fn cache_control(page: &crate::helpers::Page) -> &str {
    page.headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn hashed_assets_are_kept_a_year_and_pages_are_revalidated(pool: PgPool) {
    let site = tempfile::tempdir().expect("a temporary site");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg");
    std::fs::write(site.path().join("pkg/bzpeer.0123abcd.css"), "body{}").expect("an asset");
    let site_root = site.path().to_str().expect("a UTF-8 path").to_owned();

    let mut hashed = state(pool.clone(), "http://bzpeer.test");
    hashed.leptos_options.site_root = site_root.clone().into();
    hashed.leptos_options.hash_files = true;
    // (Only assets here: a page rendered with hashed names reads hash.txt beside the binary.)
    let asset = get(&router(hashed), "/pkg/bzpeer.0123abcd.css").await;
    assert_eq!(asset.status, 200);
    assert_eq!(cache_control(&asset), "public, max-age=31536000, immutable");

    let mut plain = state(pool, "http://bzpeer.test");
    plain.leptos_options.site_root = site_root.into();
    let app = router(plain);
    let asset = get(&app, "/pkg/bzpeer.0123abcd.css").await;
    assert_eq!((asset.status.as_u16(), cache_control(&asset)), (200, "no-cache"), "unhashed names may change content");
    let missing = get(&app, "/pkg/bzpeer.ffff.css").await;
    assert_eq!(missing.status, 404);
    assert!(!cache_control(&missing).contains("max-age"), "a 404 is not kept");
    let page = get(&app, "/").await;
    assert_eq!(cache_control(&page), "no-cache");
}
