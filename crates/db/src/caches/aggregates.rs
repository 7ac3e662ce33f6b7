//! A record's aggregates (`author_stats`, `coauthors`): refreshed for the records writes marked
//! in `author_stats_dirty` (by triggers; see the migration `record_aggregates`). The refresh itself
//! is the database function `refresh_author_stats`; a bulk load computes the same rows itself.

use sqlx::{Connection, PgConnection};

/// Records refreshed per transaction.
pub const BATCH: i64 = 2_000;

/// Refreshes the marked records, a batch per transaction; batches another process has claimed
/// are skipped (it refreshes them). Returns how many were refreshed.
pub async fn refresh_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let mut tx = conn.begin().await?;
        let ids = super::marks::take(&mut tx, super::marks::Marks::Stats, BATCH).await?;
        if ids.is_empty() {
            return Ok(total);
        }
        sqlx::query("SELECT refresh_author_stats($1)").bind(&ids).execute(&mut *tx).await?;
        // What collaborator suggestions read of these records, and whose suggestions to redo.
        sqlx::query("SELECT refresh_topic_profiles($1)").bind(&ids).execute(&mut *tx).await?;
        super::marks::mark_suggestions(&mut tx, &ids).await?;
        tx.commit().await?;
        total += ids.len() as u64;
    }
}
