//! The tables that mark records whose caches a write left stale (`author_stats_dirty`,
//! `suggestions_dirty`), and taking a batch of them off to refresh.

use sqlx::PgConnection;

/// The tables that mark records whose caches a write left stale.
#[derive(Debug, Clone, Copy)]
pub enum Marks {
    Stats,
    Suggestions,
}

/// Takes up to `batch` marked records off `marks` in the caller's transaction, skipping those
/// another process has taken (it refreshes them).
pub async fn take(tx: &mut PgConnection, marks: Marks, batch: i64) -> Result<Vec<i64>, sqlx::Error> {
    let sql = match marks {
        Marks::Stats => {
            "DELETE FROM author_stats_dirty WHERE author_id IN (
                 SELECT author_id FROM author_stats_dirty ORDER BY author_id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING author_id"
        }
        Marks::Suggestions => {
            "DELETE FROM suggestions_dirty WHERE author_id IN (
                 SELECT author_id FROM suggestions_dirty ORDER BY author_id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING author_id"
        }
    };
    sqlx::query_scalar(sql).bind(batch).fetch_all(tx).await
}

/// Marks the suggestions of `ids` and their co-authors stale (what changed around a record moves its co-authors'
/// 2-hop candidates too).
pub async fn mark_suggestions(conn: &mut PgConnection, ids: &[i64]) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO suggestions_dirty (author_id)
         SELECT unnest($1::bigint[]) UNION SELECT coauthor_id FROM coauthors WHERE author_id = ANY($1)
         ON CONFLICT DO NOTHING",
    )
    .bind(ids)
    .execute(conn)
    .await?;
    Ok(())
}
