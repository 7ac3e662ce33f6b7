//! BZPEER's database: the migrations, the pools and replicas, and every SQL statement, grouped by
//! what it serves: `views` (what a page or an API answer reads), `writes` (what people and
//! importers change), `caches` (what jobs recompute), `job_runs` (jobs shared by every server).
//!
//! Functions take an executor so callers can compose transactions, return rows or model types,
//! and fail with `AppError` (a database error becomes one in `bzpeer_core::error`, and nowhere
//! else). The importer's store (`writes::catalogue`) is the one exception: it keeps `sqlx::Error`,
//! because the importer tells a record the database refused (skipped, with the database's reason)
//! from a lost connection (the run stops).

pub mod caches;
pub mod job_runs;
pub mod pools;
pub mod views;
pub mod writes;

pub(crate) use bzpeer_core::{domain, error, model};
use error::AppError;

/// The schema migrations, embedded in the binary and run at every start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How many of this build's migrations the database has not applied successfully (0: its schema
/// is the one this build expects).
pub async fn pending_migrations(db: impl sqlx::PgExecutor<'_>) -> Result<usize, AppError> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(db).await?;
    Ok(MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version)).count())
}
