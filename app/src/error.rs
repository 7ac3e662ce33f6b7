//! `AppError`: the one error type every server function returns, safe to send to the browser.
//!
//! Policy: each variant is something a visitor can act on. Internal detail never leaves the
//! server: it is logged with `tracing::error!` where it happens and the client sees `Internal`.
//! Database errors are mapped in one place, `From<sqlx::Error>` in `ssr::db`.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

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
                #[cfg(feature = "ssr")]
                tracing::error!(error = %other, "server function failed");
                #[cfg(not(feature = "ssr"))]
                let _ = other;
                Self::Internal
            }
        }
    }
}
