//! A record's aggregates (`author_stats`, `coauthors`) follow every write: an import refreshes
//! the records it touched before it returns; any other write marks its records, and the refresh
//! (the housekeeping job's) brings them up to date; the profile reads them.

use crate::helpers::{add_work_by, app, get, import_seed, text, REFERENCE_SLUG};
use db::caches::aggregates;
use sqlx::PgPool;

async fn works_count(pool: &PgPool) -> i32 {
    sqlx::query_scalar(
        "SELECT st.works_count FROM author_stats st JOIN authors a ON a.id = st.author_id WHERE a.slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_import_refreshes_and_other_writes_mark_their_records(pool: PgPool) {
    import_seed(&pool).await;
    assert_eq!(works_count(&pool).await, 3, "the import refreshed the record");
    let marked: i64 =
        sqlx::query_scalar("SELECT count(*) FROM author_stats_dirty").fetch_one(&pool).await.unwrap_or(-1);
    assert_eq!(marked, 0, "nothing left marked after an import");

    // A work added by hand: its authors are marked, then refreshed.
    add_work_by(&pool, REFERENCE_SLUG, "a-new-work", "A new work").await;
    let sort_date: Option<String> = sqlx::query_scalar(
        "SELECT s.sort_date::text FROM authorships s JOIN works w ON w.id = s.work_id WHERE w.slug = 'a-new-work'",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or_default();
    assert_eq!(sort_date, Some("2026-01-01".to_owned()), "the authorship took the work's sort key");
    assert_eq!(works_count(&pool).await, 3, "not yet refreshed");
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    assert!(aggregates::refresh_marked(&mut conn).await.unwrap_or(0) >= 1);
    assert_eq!(works_count(&pool).await, 4);
    let page = get(&app(pool.clone()), &format!("/authors/{REFERENCE_SLUG}")).await;
    assert!(text(&page.body).contains("A new work"), "the newest work leads the list");

    // A work's new date reaches its authorships (the list's order) and the year span.
    sqlx::query("UPDATE works SET year = 1999 WHERE slug = 'a-new-work'").execute(&pool).await.unwrap_or_default();
    let moved: Option<String> = sqlx::query_scalar(
        "SELECT s.sort_date::text FROM authorships s JOIN works w ON w.id = s.work_id WHERE w.slug = 'a-new-work'",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or_default();
    assert_eq!(moved, Some("1999-01-01".to_owned()));
    aggregates::refresh_marked(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
    let first_year: Option<i32> = sqlx::query_scalar(
        "SELECT st.first_year FROM author_stats st JOIN authors a ON a.id = st.author_id WHERE a.slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(&pool)
    .await
    .unwrap_or_default();
    assert_eq!(first_year, Some(1999));
}
