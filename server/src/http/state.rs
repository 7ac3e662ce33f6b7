//! What every request handler and layer shares: the application state and the request limits.

use axum::extract::FromRef;
use db::pools::replicas::Replicas;
use jobs::mail::Mailer;
use leptos::config::LeptosOptions;
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

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
    /// Replicas for lag-tolerant reads (`DATABASE_READ_URL`); `None`: every read on `pool`.
    #[from_ref(skip)]
    pub replicas: Option<Arc<Replicas>>,
    /// Raised when the process starts shutting down: `/readyz` answers 503 from then on.
    #[from_ref(skip)]
    pub draining: Draining,
    /// Requests one client may make to the JSON API a minute.
    #[from_ref(skip)]
    pub api_per_minute: i32,
    /// Sitemaps and whole-record citation files one client may ask for a minute (`heavy`).
    #[from_ref(skip)]
    pub heavy_per_minute: i32,
    /// The kept pages this process holds in memory.
    #[from_ref(skip)]
    pub kept: crate::http::kept::KeptPages,
    /// The connections a kept page's view reads its version on (`http::kept`).
    #[from_ref(skip)]
    pub versions: db::pools::held::Held,
    /// The slots searches and the other answers computed per request run in (`http::bulkhead`).
    #[from_ref(skip)]
    pub computed: crate::http::bulkhead::Slots,
}

/// Whether the process is shutting down (shared by every clone of the state).
#[derive(Clone, Debug, Default)]
pub struct Draining(Arc<AtomicBool>);

impl Draining {
    pub fn start(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_on(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}
