//! All the SQL, one file per table family. Functions take an executor so callers can compose
//! transactions, return rows or domain types, and fail with `AppError`: a database error becomes
//! one here (`From<sqlx::Error>`) and nowhere else. The importer's store (`catalogue`) is the one
//! exception: it keeps `sqlx::Error`, because the importer tells a record the database refused
//! (skipped, with the database's reason) from a lost connection (the run stops).

pub mod alerts;
pub mod api;
pub mod blocks;
pub mod bulk;
pub mod catalogue;
pub mod citations;
pub mod cite;
pub mod claims;
pub mod conversations;
pub mod email_tokens;
pub mod follows;
pub mod graph;
pub mod harvests;
pub mod invitations;
pub mod jobs;
pub mod outbox;
pub mod profiles;
pub mod rate_limits;
pub mod search;
pub mod sitemap;
pub mod stats;
pub mod subjects;
pub mod suggestions;
pub mod users;
pub mod wal;
pub mod works;

use crate::error::AppError;

/// The one mapping from database errors to what a visitor can act on.
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        match &error {
            sqlx::Error::RowNotFound => AppError::NotFound("the record".to_owned()),
            error if is_unavailable(error) => {
                tracing::warn!(%error, "database unavailable");
                AppError::Unavailable
            }
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                let constraint = db.constraint().unwrap_or("unknown");
                tracing::info!(constraint, "unique violation");
                AppError::Conflict(conflict_message(constraint).to_owned())
            }
            _ => {
                tracing::error!(%error, "database error");
                AppError::Internal
            }
        }
    }
}

/// Whether an error says the database cannot serve us right now (down, restarting, out of
/// connections, or the connection was cut), rather than that the query is wrong: the visitor
/// gets 503 and can simply try again.
pub fn is_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        // SQLSTATE classes 08 (connection exception), 53 (insufficient resources: too many
        // connections, out of memory) and 57 (operator intervention: shutdown, starting up).
        sqlx::Error::Database(db) => {
            db.code().is_some_and(|code| ["08", "53", "57"].iter().any(|c| code.starts_with(c)))
        }
        _ => false,
    }
}

fn conflict_message(constraint: &str) -> &'static str {
    match constraint {
        "authors_slug_key" | "works_slug_key" => "a record with this address already exists",
        "users_email_key" => "an account with this e-mail address already exists",
        _ => "this conflicts with a change made just now; reload and try again",
    }
}

/// The schema migrations, embedded in the binary and run at every start.
pub static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("../migrations");

/// How many of this build's migrations the database has not applied successfully (0: its schema
/// is the one this build expects).
pub async fn pending_migrations(db: impl sqlx::PgExecutor<'_>) -> Result<usize, AppError> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(db).await?;
    Ok(MIGRATOR.iter().filter(|m| !m.migration_type.is_down_migration() && !applied.contains(&m.version)).count())
}
