//! A record's aggregates (`author_stats`, `coauthors`): refreshed for the records writes marked
//! in `author_stats_dirty` (by triggers; see the migration `record_aggregates`). The refresh itself
//! is the database function `refresh_author_stats`; a bulk load computes the same rows itself.

use sqlx::{Connection, PgConnection};

/// Every cache a write can leave stale, in the order each reads the one before: records'
/// aggregates, topic and institution pages, then collaborator suggestions (which read both).
/// Returns how many records and subjects were refreshed.
pub async fn refresh_all_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let records = refresh_marked(conn).await?;
    let subjects = super::subjects::refresh_marked(conn).await?;
    super::suggestions::refresh_marked(conn).await?;
    Ok(records + subjects)
}

/// Records refreshed per transaction.
pub const BATCH: i64 = 2_000;

/// Refreshes the marked records, a batch per transaction; batches another process has claimed
/// are skipped (it refreshes them). Returns how many were refreshed.
pub async fn refresh_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let mut tx = conn.begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(
            "DELETE FROM author_stats_dirty WHERE author_id IN (
                 SELECT author_id FROM author_stats_dirty ORDER BY author_id LIMIT $1 FOR UPDATE SKIP LOCKED)
             RETURNING author_id",
        )
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if ids.is_empty() {
            return Ok(total);
        }
        sqlx::query("SELECT refresh_author_stats($1)").bind(&ids).execute(&mut *tx).await?;
        // What collaborator suggestions read of these records, and whose suggestions to redo.
        sqlx::query("SELECT refresh_topic_profiles($1)").bind(&ids).execute(&mut *tx).await?;
        super::suggestions::mark(&mut tx, &ids).await?;
        tx.commit().await?;
        total += ids.len() as u64;
    }
}
