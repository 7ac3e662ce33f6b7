//! A record's aggregates (`author_stats`, `coauthors`): refreshed for the records writes marked
//! in `author_stats_dirty` (by triggers; see the migration `record_aggregates`). The refresh itself
//! is the database function `refresh_author_stats`; a bulk load computes the same rows itself.

use sqlx::{Connection, PgConnection};

/// Every cache a write can leave stale, in the order each reads the one before: records'
/// aggregates, topic and institution pages, then collaborator suggestions (which read both; a
/// short list near a refreshed topic is ranked again too). Returns how many records and
/// subjects were refreshed.
pub async fn refresh_all_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let records = refresh_marked(conn).await?;
    let (subjects, topics) = super::subjects::refresh_marked(conn).await?;
    super::suggestions::mark_short_near(conn, &topics).await?;
    super::suggestions::refresh_marked(conn).await?;
    Ok(records + subjects)
}

/// The tables that mark records whose caches a write left stale.
#[derive(Debug, Clone, Copy)]
pub enum Marks {
    Stats,
    Suggestions,
}

/// Takes up to `batch` marked records off `marks` in the caller's transaction, skipping those
/// another process has taken (it refreshes them).
pub async fn take_marked(tx: &mut PgConnection, marks: Marks, batch: i64) -> Result<Vec<i64>, sqlx::Error> {
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

/// Records refreshed per transaction.
pub const BATCH: i64 = 2_000;

/// Refreshes the marked records, a batch per transaction; batches another process has claimed
/// are skipped (it refreshes them). Returns how many were refreshed.
pub async fn refresh_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let mut total = 0;
    loop {
        let mut tx = conn.begin().await?;
        let ids = take_marked(&mut tx, Marks::Stats, BATCH).await?;
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
