//! The cached aggregates of topic and institution pages (`subject_stats`, `subject_top_authors`,
//! `institution_works`; see the migration `create_subject_pages`), refreshed for the subjects
//! writes marked.

use sqlx::{Connection, PgConnection};

/// Subjects refreshed per transaction.
pub const BATCH: i64 = 500;

/// Refreshes the subjects writes marked, a batch per transaction; batches another process has
/// claimed are skipped (it refreshes them). Returns how many were refreshed, and the topics.
pub async fn refresh_marked(conn: &mut PgConnection) -> Result<(u64, Vec<i64>), sqlx::Error> {
    let mut total = 0;
    let mut topics = Vec::new();
    loop {
        let mut tx = conn.begin().await?;
        let marked: Vec<(String, i64)> = sqlx::query_as(
            "DELETE FROM subject_stats_dirty WHERE (kind, subject_id) IN (
                 SELECT kind, subject_id FROM subject_stats_dirty ORDER BY kind, subject_id LIMIT $1
                 FOR UPDATE SKIP LOCKED)
             RETURNING kind::text, subject_id",
        )
        .bind(BATCH)
        .fetch_all(&mut *tx)
        .await?;
        if marked.is_empty() {
            return Ok((total, topics));
        }
        let ids = |k: &str| marked.iter().filter(|(kind, _)| kind == k).map(|(_, id)| *id).collect::<Vec<_>>();
        sqlx::query("SELECT refresh_subject_stats($1, $2)").bind(ids("t")).bind(ids("i")).execute(&mut *tx).await?;
        tx.commit().await?;
        total += marked.len() as u64;
        topics.extend(ids("t"));
    }
}

/// Marks every topic and institution (after a bulk load, which writes with triggers off).
pub async fn mark_all(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO subject_stats_dirty (kind, subject_id)
         SELECT 't', id FROM topics UNION ALL SELECT 'i', id FROM institutions
         ON CONFLICT DO NOTHING",
    )
    .execute(&mut *conn)
    .await?;
    Ok(())
}
