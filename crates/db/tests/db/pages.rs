//! Kept pages: the version statement keeps the renderings that wait on its way, and a rendering
//! of an older version never replaces a newer one.

use bzpeer_core::domain::pages::PageKey;
use db::caches::pages::{self, KeptRow, ToKeep};
use sqlx::PgPool;

fn rendering(name: &str, version: i64, body: &str) -> ToKeep {
    let row = KeptRow {
        etag: format!("\"{body}\""),
        csp: String::new(),
        body_br: body.as_bytes().to_vec(),
        body_gz: body.as_bytes().to_vec(),
    };
    ToKeep { name: name.to_owned(), version, row }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_version_statement_keeps_what_waits_and_never_an_older_version(pool: PgPool) {
    let first = PageKey::Author("first-record".to_owned());
    let second = PageKey::Author("second-record".to_owned());
    sqlx::query("SELECT bump_pages(ARRAY['a:first-record', 'a:first-record', 'a:second-record'])")
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    // The first record's rendering waits; a view of the second keeps it on its way.
    let waiting = [rendering("a:first-record", 1, "one")];
    let (version, kept) = pages::current(&pool, &second, None, None, &waiting).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((version, kept), (1, None), "the second record: version 1, nothing kept yet");
    let (version, kept) = pages::current(&pool, &first, None, None, &[]).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(version, 1);
    assert_eq!(kept.map(|k| k.body_br), Some(b"one".to_vec()), "kept by the other view's statement");

    // Two renderings of one page waiting: the later version is kept; an older one never
    // replaces it.
    let waiting = [rendering("a:second-record", 1, "old"), rendering("a:second-record", 2, "new")];
    pages::keep_all(&pool, &waiting).await.unwrap_or_else(|e| panic!("{e}"));
    pages::keep_all(&pool, &[rendering("a:second-record", 1, "older")]).await.unwrap_or_else(|e| panic!("{e}"));
    let kept: (i64, Vec<u8>) = sqlx::query_as("SELECT version, body_br FROM kept_pages WHERE key = 'a:second-record'")
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(kept, (2, b"new".to_vec()));
}
