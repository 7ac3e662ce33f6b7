//! What every request handler and layer shares: the application state and the request limits.

use app::ssr::mail::Mailer;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sqlx::PgPool;

/// Request bodies larger than this are refused with 413.
pub const BODY_LIMIT_BYTES: usize = 64 * 1024;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub pool: PgPool,
    pub site_url: String,
    pub mailer: Mailer,
    /// `/dev/outbox` is served (only when asked for, on a loopback address: see `config`).
    #[from_ref(skip)]
    pub dev_outbox: bool,
    /// How many trusted proxies in front of the server append to `X-Forwarded-For` (0: none;
    /// the client address is the TCP peer).
    #[from_ref(skip)]
    pub trusted_proxies: usize,
}
