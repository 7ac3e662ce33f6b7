//! Request glue, the server's only: the request's context (pools, site address, mailer), who is
//! asking (`auth`), flashes, answering forms, rate limits and the mails accounts send. Everything else the server does lives in crates of its own (`db`,
//! `ingest`, `jobs`, `formats`).

pub mod account_mail;
pub mod auth;
pub mod flash;
pub mod forms;
pub mod limits;

use crate::error::AppError;
use leptos::prelude::use_context;
use sqlx::PgPool;

/// What every server function and SSR render can reach, provided per request by the server.
#[derive(Clone, Debug)]
pub struct ServerContext {
    pub pool: PgPool,
    /// The public origin of the site (`http://127.0.0.1:3000`), for canonical links and mail.
    pub site_url: String,
    pub mailer: jobs::mail::Mailer,
    /// `/dev/outbox` shows the mail written to the outbox (`BZPEER_DEV_OUTBOX=1` on a loopback address).
    pub dev_outbox: bool,
}

pub fn context() -> Result<ServerContext, AppError> {
    use_context::<ServerContext>().ok_or_else(|| {
        tracing::error!("ServerContext missing from the request context");
        AppError::Internal
    })
}

/// The primary: every write, and every read of the visitor's own state (who is logged in, their
/// inbox, what they follow), which must show their latest change.
pub fn pool() -> Result<PgPool, AppError> {
    context().map(|c| c.pool)
}

/// The pool for reads that tolerate a replica's lag (profiles, work pages, search, the graph):
/// a replica when the server has them and one is fresh enough for this visitor (see
/// `db::pools::replicas`), else the primary. Never write through it.
pub async fn read_pool() -> Result<PgPool, AppError> {
    let route = use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<std::sync::Arc<db::pools::replicas::ReadRoute>>().cloned());
    match route {
        Some(route) => Ok(route.pool().await),
        None => pool(),
    }
}

/// Sets the HTTP status of the response being rendered (a 404 page must answer 404).
pub fn set_status(status: u16) {
    if let (Some(options), Ok(code)) =
        (use_context::<leptos_axum::ResponseOptions>(), axum::http::StatusCode::from_u16(status))
    {
        options.set_status(code);
    }
}
