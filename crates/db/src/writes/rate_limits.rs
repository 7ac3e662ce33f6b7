//! Fixed-window request counters in the database, so every server process shares them.

use crate::error::AppError;
use sqlx::PgExecutor;

/// Counts one hit for `key` in the window of `window_secs` that contains now, and returns the
/// hits so far in that window and the seconds until it ends.
pub async fn hit(db: impl PgExecutor<'_>, key: &str, window_secs: i64) -> Result<(i32, i64), AppError> {
    Ok(sqlx::query_as(
        "WITH w AS (SELECT to_timestamp(floor(extract(epoch FROM now()) / $2) * $2) AS start)
         INSERT INTO rate_limits (key, window_start, hits)
         SELECT $1, w.start, 1 FROM w
         ON CONFLICT (key, window_start) DO UPDATE SET hits = rate_limits.hits + 1
         RETURNING hits, greatest(1, ceil(extract(epoch FROM window_start + make_interval(secs => $2) - now())))::bigint",
    )
    .bind(key)
    .bind(window_secs as f64)
    .fetch_one(db)
    .await?)
}

/// Counts one hit for `key` and refuses it (`RateLimited`, with the seconds until the window
/// ends) once it is past `max` in the current window of `window_secs`.
pub async fn within(db: impl PgExecutor<'_>, key: &str, max: i32, window_secs: i64) -> Result<(), AppError> {
    let (hits, retry_after) = hit(db, key, window_secs).await?;
    if hits <= max {
        return Ok(());
    }
    Err(AppError::RateLimited { retry_after_secs: u64::try_from(retry_after).unwrap_or(60) })
}

/// Drops windows that ended more than a day ago.
pub async fn purge_old(db: impl PgExecutor<'_>) -> Result<u64, AppError> {
    let done = sqlx::query("DELETE FROM rate_limits WHERE window_start < now() - interval '1 day'").execute(db).await?;
    Ok(done.rows_affected())
}
