//! Everything that runs only on the server: request context, the database layer and importers.

pub mod account_mail;
pub mod auth;
pub mod db;
pub mod flash;
pub mod forms;
pub mod generate;
pub mod graph;
pub mod headers;
pub mod import;
pub mod limits;
pub mod mail;

use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;

/// What every server function and SSR render can reach, provided per request by the server.
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub pool: PgPool,
    /// The public origin of the site (`http://127.0.0.1:3000`), for canonical links and mail.
    pub site_url: String,
    pub mailer: mail::Mailer,
    /// `/dev/outbox` shows the mail written to the outbox (`BZPEER_DEV_OUTBOX=1` on a loopback address).
    pub dev_outbox: bool,
}

pub fn context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the request context");
        AppError::Internal
    })
}

pub fn pool() -> Result<PgPool, AppError> {
    context().map(|c| c.pool)
}

/// Sets the HTTP status of the response being rendered (a 404 page must answer 404).
pub fn set_status(status: u16) {
    if let (Some(options), Ok(code)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(status))
    {
        options.set_status(code);
    }
}
