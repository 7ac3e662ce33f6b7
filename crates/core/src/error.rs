//! `AppError`: the one error type every server function returns, safe to send to the browser.
//!
//! Policy: each variant is something a visitor can act on. Internal detail never leaves the
//! server: it is logged with `tracing::error!` where it happens and the client sees `Internal`.
//! Database errors are mapped in one place, `From<sqlx::Error>` below (the `sqlx` feature).

use serde::{Deserialize, Serialize};
use server_fn::codec::JsonEncoding;
use server_fn::error::{FromServerFnError, ServerFnErrorErr};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("{0} was not found")]
    NotFound(String),
    #[error("log in to do this")]
    Unauthorized,
    #[error("you are not allowed to do this")]
    Forbidden,
    /// Forbidden here for a reason worth telling (a moderator's own request).
    #[error("{0}")]
    Refused(String),
    #[error("{reason}")]
    Invalid { field: String, reason: String },
    #[error("{0}")]
    Conflict(String),
    #[error("too many requests; try again in {retry_after_secs} seconds")]
    RateLimited { retry_after_secs: u64 },
    #[error("the service is busy; try again in a moment")]
    Unavailable,
    #[error("something went wrong on our side; it has been logged")]
    Internal,
    /// The request itself could not be read (a malformed form, a broken connection).
    #[error("the request could not be read: {0}")]
    Request(String),
}

impl AppError {
    pub fn invalid(field: &str, reason: impl Into<String>) -> Self {
        Self::Invalid { field: field.to_owned(), reason: reason.into() }
    }

    /// The HTTP status this error is sent with.
    pub fn status(&self) -> u16 {
        match self {
            Self::NotFound(_) => 404,
            Self::Unauthorized => 401,
            Self::Forbidden | Self::Refused(_) => 403,
            Self::Invalid { .. } | Self::Request(_) => 400,
            Self::Conflict(_) => 409,
            Self::RateLimited { .. } => 429,
            Self::Unavailable => 503,
            Self::Internal => 500,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            ServerFnErrorErr::Args(reason) | ServerFnErrorErr::Deserialization(reason) => Self::Request(reason),
            ServerFnErrorErr::MissingArg(arg) => Self::invalid(&arg, "is missing"),
            ServerFnErrorErr::Request(_) | ServerFnErrorErr::Response(_) => Self::Unavailable,
            other => {
                #[cfg(feature = "sqlx")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "sqlx"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}

#[cfg(feature = "sqlx")]
mod database {
    use super::AppError;

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
}
#[cfg(feature = "sqlx")]
pub use database::is_unavailable;
