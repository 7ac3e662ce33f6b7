//! Read replicas in the server: their pools from `DATABASE_READ_URL`, the monitor, and the layer
//! that routes each request's lag-tolerant reads (see `db::pools::replicas` for the rules).

use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use db::pools::replicas::{ReadRoute, Replicas};
use sqlx::postgres::PgConnectOptions;
use sqlx::PgPool;
use std::str::FromStr;
use std::sync::Arc;
use std::time::Duration;
use tower_sessions::Session;

/// Where in the session the primary's write position after the visitor's last write is kept.
const WRITTEN_KEY: &str = "bzpeer.written_lsn";
/// How often the monitor looks at the replicas.
pub const MONITOR_EVERY: Duration = Duration::from_secs(1);

/// The replicas named by `urls`, each with its own pool, opened lazily: a replica that is down
/// when the server starts is skipped until it answers, never a reason not to start.
pub fn open(
    primary: PgPool,
    urls: &[String],
    max_lag: Duration,
    statement_timeout: Duration,
) -> anyhow::Result<Option<Arc<Replicas>>> {
    if urls.is_empty() {
        return Ok(None);
    }
    let mut members = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        let options = PgConnectOptions::from_str(url)
            .map_err(|e| anyhow::anyhow!("DATABASE_READ_URL: URL {} is not a PostgreSQL URL: {e}", i + 1))?;
        let name = format!("{}:{}", options.get_host(), options.get_port());
        let pool = crate::ops::database::pool_options()
            // A replica that stops answering is skipped quickly rather than waited for.
            .acquire_timeout(Duration::from_millis(800))
            .connect_lazy_with(crate::ops::database::with_statement_timeout(
                options.application_name("bzpeer"),
                statement_timeout,
            ));
        members.push((name, pool));
    }
    tracing::info!(replicas = members.len(), max_lag_ms = max_lag.as_millis() as u64, "reads may go to replicas");
    Ok(Some(Replicas::new(primary, members, max_lag)))
}

/// Starts the monitor; the first round runs before this returns, so the first requests may
/// already read from a healthy replica.
pub async fn start_monitor(replicas: &Arc<Replicas>) {
    replicas.check().await;
    tokio::spawn(replicas.clone().monitor(MONITOR_EVERY));
}

/// Routes the request's lag-tolerant reads: gives it a `ReadRoute` (a replica chosen on its
/// first such read, fresh enough for this visitor's last write); answers a page again from the
/// primary when its read on a replica failed; after a request that wrote, remembers the
/// primary's write position in the session.
/// The pool a lag-tolerant read of this request uses: the replica `route_reads` chose for it
/// (or the primary when the visitor's own writes are not there yet), else the primary.
pub async fn read_pool(state: &AppState, extensions: &axum::http::Extensions) -> sqlx::PgPool {
    match extensions.get::<std::sync::Arc<db::pools::replicas::ReadRoute>>() {
        Some(route) => route.pool().await,
        None => state.pool.clone(),
    }
}

pub async fn route_reads(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let Some(replicas) = state.replicas.clone() else {
        return next.run(request).await;
    };
    // Static files read no database: no session to look at. A page rendered to be kept reads
    // the primary, the version it is kept at being the primary's.
    if crate::http::paths::is_static_file(request.uri().path())
        || request.extensions().get::<crate::http::kept::RenderToKeep>().is_some()
    {
        return next.run(request).await;
    }
    let session = request.extensions().get::<Session>().cloned();
    let written = match &session {
        Some(session) => session.get::<i64>(WRITTEN_KEY).await.ok().flatten().and_then(|v| u64::try_from(v).ok()),
        None => None,
    };
    let route = Arc::new(ReadRoute::new(replicas.clone(), written));
    let reads_only = matches!(*request.method(), axum::http::Method::GET | axum::http::Method::HEAD);
    // A GET has no body: it can be sent again, to the primary, if its replica fails it.
    let again = reads_only.then(|| copy_of(&request));
    request.extensions_mut().insert(route.clone());
    let response = next.clone().run(request).await;

    if let (Some(index), Some(again)) = (route.replica_used(), again) {
        if response.status().is_server_error() {
            replicas.mark_down(index, &format!("a page read on it failed ({})", response.status()));
            return next.run(again).await;
        }
    }
    // A request that may have written (not a GET, not a lag-tolerant read such as a search
    // from a hydrated page): the visitor's next reads must see what it wrote.
    if !reads_only && !route.was_read() {
        if let Some(session) = session {
            match replicas.primary_written().await {
                Ok(position) => {
                    let position = i64::try_from(position).unwrap_or(i64::MAX);
                    if let Err(e) = session.insert(WRITTEN_KEY, position).await {
                        tracing::warn!(%e, "could not remember the write position in the session");
                    }
                }
                Err(e) => tracing::warn!(%e, "could not read the primary's write position"),
            }
        }
    }
    response
}

/// The same GET again (method, address, headers and what the layers before put in its
/// extensions), without its `ReadRoute`: its reads go to the primary.
fn copy_of(request: &Request) -> Request {
    let mut copy = Request::new(axum::body::Body::empty());
    *copy.method_mut() = request.method().clone();
    *copy.uri_mut() = request.uri().clone();
    *copy.version_mut() = request.version();
    *copy.headers_mut() = request.headers().clone();
    *copy.extensions_mut() = request.extensions().clone();
    copy
}
