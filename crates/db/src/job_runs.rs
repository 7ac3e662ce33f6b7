//! Scheduled jobs shared by every server process: a job runs when its process is the one that
//! moves the job's `last_started_at` on, so each period's run happens once, whichever process
//! gets there first.

use crate::error::AppError;
use sqlx::PgExecutor;
use std::time::Duration;

/// Claims this period's run of `job`: `Some(run number)` when this caller is to run it, `None`
/// when another process started it less than `period` ago (less a tenth, so processes whose
/// timers drift apart never skip a period).
pub async fn claim(db: impl PgExecutor<'_>, job: &str, period: Duration) -> Result<Option<i64>, AppError> {
    let wait_ms = i64::try_from(period.as_millis() * 9 / 10).unwrap_or(i64::MAX);
    Ok(sqlx::query_scalar(
        "INSERT INTO job_runs AS j (job, last_started_at) VALUES ($1, now())
         ON CONFLICT (job) DO UPDATE SET last_started_at = now(), runs = j.runs + 1
         WHERE j.last_started_at <= now() - make_interval(secs => $2::float8 / 1000)
         RETURNING runs",
    )
    .bind(job)
    .bind(wait_ms as f64)
    .fetch_optional(db)
    .await?)
}

/// Records what the run of `job` did, for the people running the site.
pub async fn finish(db: impl PgExecutor<'_>, job: &str, summary: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE job_runs SET last_summary = $2 WHERE job = $1").bind(job).bind(summary).execute(db).await?;
    Ok(())
}

/// How many times `job` has run, across all processes.
pub async fn runs(db: impl PgExecutor<'_>, job: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("SELECT runs FROM job_runs WHERE job = $1").bind(job).fetch_optional(db).await?.unwrap_or(0))
}
