//! How assets and pages are cached: hashed assets for a year, pages and unhashed assets
//! revalidated on every use.

use crate::helpers::{get, state};
use server::http::router;
use sqlx::PgPool;

fn cache_control(page: &crate::helpers::Page) -> &str {
    page.headers.get("cache-control").and_then(|v| v.to_str().ok()).unwrap_or("")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
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

/// The nonce a page's policy admits scripts with, or `None` for a policy without one.
fn policy(page: &crate::helpers::Page) -> &str {
    page.headers.get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// Files served while pages render do not take the pages' headers: once, the files' handler moved
/// a page's Content-Security-Policy onto a `/pkg/` file, and the page's islands never hydrated.
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn pages_keep_their_own_policy_while_files_are_served_beside_them(pool: PgPool) {
    crate::helpers::import_seed(&pool).await;
    let site = tempfile::tempdir().expect("a temporary site");
    std::fs::create_dir_all(site.path().join("pkg")).expect("pkg");
    std::fs::write(site.path().join("pkg/bzpeer.css"), "body{}").expect("an asset");
    let mut state = state(pool, "http://bzpeer.test");
    state.leptos_options.site_root = site.path().to_str().expect("a UTF-8 path").to_owned().into();
    let app = router(state);
    let profile = format!("/authors/{}", crate::helpers::REFERENCE_SLUG);

    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..60 {
        let (app, path) = (app.clone(), if i % 2 == 0 { profile.clone() } else { "/pkg/bzpeer.css".to_owned() });
        tasks.spawn(async move { (get(&app, &path).await, path) });
    }
    while let Some(done) = tasks.join_next().await {
        let (page, path) = done.expect("a request task");
        assert_eq!(page.status, 200, "{path}");
        let hashes = server::http::islands::inline_script_hashes(&page.body);
        if path == profile {
            assert!(!hashes.is_empty(), "{path} has inline scripts");
            for hash in hashes {
                assert!(policy(&page).contains(&hash), "{path}: its policy names its scripts' hashes");
            }
        } else {
            assert!(!policy(&page).contains("sha256-"), "{path} has the policy without any inline script");
        }
    }
}
