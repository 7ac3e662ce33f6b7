//! Positions in the write-ahead log, for reading from replicas: how far the primary has written
//! and how far a replica has replayed, as byte offsets (comparable numbers).

use crate::error::AppError;
use sqlx::PgExecutor;

/// How far the primary has written.
pub async fn written(db: impl PgExecutor<'_>) -> Result<u64, AppError> {
    let lsn: i64 = sqlx::query_scalar("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), '0/0')::bigint")
        .persistent(false)
        .fetch_one(db)
        .await?;
    Ok(u64::try_from(lsn).unwrap_or(0))
}

/// How far a replica has replayed (`None` on a server that is not replaying: a primary).
pub async fn replayed(db: impl PgExecutor<'_>) -> Result<Option<u64>, AppError> {
    let lsn: Option<i64> = sqlx::query_scalar("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), '0/0')::bigint")
        .persistent(false)
        .fetch_one(db)
        .await?;
    Ok(lsn.map(|l| u64::try_from(l).unwrap_or(0)))
}
