//! Answers computed on every request, the searches above all (the search page, the JSON API's
//! lists, an explorer with expansions or a search), run in a few slots per process, so that on a
//! busy server they wait for one another instead of taking every core from the pages served from
//! kept rows. Each process has `BZPEER_COMPUTED_SLOTS` of them (half its cores, at least one); a
//! request that waits longer than `Slots::wait` for one answers 503 with `Retry-After`.

use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bzpeer_core::error::AppError;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Semaphore;

/// The slots of one process.
#[derive(Clone, Debug)]
pub struct Slots {
    permits: Arc<Semaphore>,
    /// How long a request waits for a slot before it is told to come back.
    pub wait: Duration,
}

impl Slots {
    pub fn new(slots: usize, wait: Duration) -> Self {
        Self { permits: Arc::new(Semaphore::new(slots.max(1))), wait }
    }

    /// Takes a slot as a request would (for tests: a slot held elsewhere).
    pub async fn take(&self) -> Option<tokio::sync::OwnedSemaphorePermit> {
        self.permits.clone().acquire_owned().await.ok()
    }
}

impl Default for Slots {
    /// Half the cores (at least one), or `BZPEER_COMPUTED_SLOTS`; a wait of 20 s (inside the
    /// request's own 30 s).
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map_or(2, usize::from);
        let slots = std::env::var("BZPEER_COMPUTED_SLOTS").ok().and_then(|v| v.trim().parse().ok());
        Self::new(slots.unwrap_or(cores / 2), Duration::from_secs(20))
    }
}

/// Whether a request is computed on every request: a search, the JSON API's lists, the explorer
/// with expansions or a search (the explorer around one focus is kept), and the explorer's
/// server function.
pub fn is_computed(method: &Method, path: &str, query: Option<&str>) -> bool {
    let read = *method == Method::GET || *method == Method::HEAD;
    let asks = |name: &str| query.is_some_and(|q| q.split('&').any(|pair| pair.split('=').next() == Some(name)));
    match path {
        "/search" => read,
        "/api/v1/works" | "/api/v1/authors" => read,
        "/explore" => read && (asks("expand") || asks("q")),
        "/api/explore" => true,
        _ => false,
    }
}

/// Runs a computed request in one of the process's slots, waiting for one at most
/// `Slots::wait`; passes every other request on untouched.
pub async fn admit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if !is_computed(request.method(), request.uri().path(), request.uri().query()) {
        return next.run(request).await;
    }
    match tokio::time::timeout(state.computed.wait, state.computed.permits.clone().acquire_owned()).await {
        Ok(Ok(_slot)) => next.run(request).await,
        _ => {
            let error = AppError::Unavailable;
            let mut response = crate::http::security::refusal(
                StatusCode::SERVICE_UNAVAILABLE,
                "Try again in a moment",
                &error,
                request.headers(),
            );
            response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
            response
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_computed;
    use axum::http::Method;

    #[test]
    fn searches_lists_and_the_explorers_expansions_are_computed_and_pages_are_not() {
        let get = Method::GET;
        assert!(is_computed(&get, "/search", Some("q=wang")));
        assert!(is_computed(&get, "/api/v1/works", Some("q=graph&type=article")));
        assert!(is_computed(&get, "/explore", Some("focus=a:x&expand=t:1")));
        assert!(is_computed(&get, "/explore", Some("focus=a:x&q=learning")));
        assert!(is_computed(&Method::POST, "/api/explore", None));
        assert!(!is_computed(&get, "/explore", Some("focus=a:x")), "kept");
        for path in ["/authors/ada", "/works/w", "/topics/t-1", "/me/following", "/sitemaps/authors-0.xml", "/"] {
            assert!(!is_computed(&get, path, None), "{path}");
        }
    }
}
