//! The HTTP application: router and layers, and serving it until a shutdown signal.

use crate::http::security;
use app::ssr::ServerContext;
use app::{shell, App};
use axum::body::Body;
use axum::extract::State;
use axum::http::header::ACCEPT_ENCODING;
use axum::http::{Request, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use bzpeer_core::error::AppError;
use leptos::prelude::provide_context;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{generate_route_list, AxumRouteListing, LeptosRoutes};
use sqlx::PgPool;
use std::sync::OnceLock;
use tower::ServiceExt;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};
use tower_sessions_sqlx_store::PostgresStore;

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "bzpeer_session";

/// Sessions last this long without a visit.
const SESSION_IDLE_DAYS: i64 = 14;

pub use crate::http::state::{AppState, BODY_LIMIT_BYTES};

/// The app's routes, generated once per process. Generating them runs the app with Leptos's
/// process-wide "suppress resource loads" flag raised (leptos_server `SuppressResourceLoad`): a
/// page rendering on another thread at that moment starts its resource as a future that never
/// resolves, and its response hangs (leptos-rs/leptos#4773). Once, before the first router
/// exists, no render can be in flight.
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The whole application: pages, server functions under `/api`, static files, `/healthz` and `/readyz`,
/// behind the session and same-origin layers, with the client's address for the rate limits.
pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let context = ServerContext {
        pool: state.pool.clone(),
        site_url: state.site_url.clone(),
        mailer: state.mailer.clone(),
        dev_outbox: state.dev_outbox,
    };
    let sessions = SessionManagerLayer::new(PostgresStore::new(state.pool.clone()))
        .with_name(SESSION_COOKIE)
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(state.site_url.starts_with("https://"))
        .with_expiry(Expiry::OnInactivity(tower_sessions::cookie::time::Duration::days(SESSION_IDLE_DAYS)));
    Router::new()
        .route("/healthz", get(crate::ops::health::healthz))
        .route("/readyz", get(crate::ops::health::readyz))
        .merge(crate::web::api_v1::routes(state.clone()))
        .route("/robots.txt", get(crate::web::sitemaps::robots))
        .route("/sitemap.xml", get(crate::web::sitemaps::index))
        .route("/sitemaps/{file}", get(crate::web::sitemaps::one))
        .route("/authors/{slug}/feed.atom", get(crate::web::feeds::record))
        .route("/topics/{slug}/feed.atom", get(crate::web::feeds::topic))
        .route("/feeds/{file}", get(crate::web::feeds::private))
        .route("/alerts/unsubscribe", get(crate::web::unsubscribe::ask).post(crate::web::unsubscribe::one_click))
        .leptos_routes_with_context(&state, routes, move || provide_context(context.clone()), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(files_or_not_found)
        .layer(axum::middleware::map_response(crate::http::islands::drop_unused_scripts))
        .layer(axum::middleware::from_fn(server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::http::bulkhead::admit))
        .layer(axum::middleware::from_fn_with_state(state.clone(), load_viewer))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::web::exports::serve))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::http::heavy::limit))
        // Outside the limits that count by it (the heavy answers', the server functions').
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::client_address_of))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::web::linked_data::negotiate))
        // Inside the session layer: a visitor's last write position lives in the session.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::http::replicas::route_reads))
        // Inside the session layer: what a failed form post leaves for its page reaches the session.
        .layer(axum::middleware::from_fn(app::ssr::flash::keep_left_flash))
        .layer(sessions)
        // Outside the session layer: an anonymous view of a kept page loads no session.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::http::kept::serve))
        .layer(axum::middleware::from_fn(crate::http::input::refuse_nul))
        .layer(axum::middleware::from_fn(session_store_failure))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::require_same_origin))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT_BYTES))
        // A request that takes longer than this is answered 408 rather than left hanging.
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, std::time::Duration::from_secs(30)))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::http::headers::security_headers))
        .layer(CompressionLayer::new())
        // Spans name the path, never the query (links in mail carry tokens there).
        .layer(TraceLayer::new_for_http().make_span_with(|request: &axum::http::Request<Body>| {
            tracing::debug_span!("request", method = %request.method(), path = %request.uri().path())
        }))
        .with_state(state)
}

/// Files under the site root (`/pkg/`, the favicon) as `file_and_error_handler` serves them,
/// and its 404 page for anything else. The files do not go through it: it answers a file inside
/// `Owner::new()`, a child of whatever reactive owner its thread ran last, and moves that owner's
/// `ResponseOptions` headers onto the file. Under concurrent requests a page's
/// Content-Security-Policy (with the nonce of its scripts) went to a `/pkg/` file, and the page,
/// left with the policy without a nonce, never hydrated its islands.
async fn files_or_not_found(State(state): State<AppState>, request: Request<Body>) -> Response {
    // The same request for the file as Leptos makes: a GET with the accepted encodings only.
    let mut file = Request::get(request.uri().clone());
    if let Some(encodings) = request.headers().get(ACCEPT_ENCODING) {
        file = file.header(ACCEPT_ENCODING, encodings.clone());
    }
    if let Ok(file) = file.body(Body::empty()) {
        let site = ServeDir::new(&*state.leptos_options.site_root).precompressed_gzip().precompressed_br();
        let Ok(served) = site.oneshot(file).await;
        if served.status() == StatusCode::OK {
            return served.into_response();
        }
    }
    leptos_axum::file_and_error_handler::<AppState, _>(shell)(request.uri().clone(), State(state), request).await
}

/// Server functions answer every error with 500; this gives an `AppError` its own status
/// (404, 400, 409, 429, ...), in one place for all of them, including arguments that fail to
/// parse before the function runs. A rate-limited plain form post gets the 429 page a person can
/// read (with its `Retry-After`), not a redirect.
async fn server_fn_error_status(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    // Only whether a person asked (for the 429 page): no copy of every request's headers.
    let accept = request.headers().get(axum::http::header::ACCEPT).cloned();
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, BODY_LIMIT_BYTES).await.unwrap_or_default();
    let Ok(error) = serde_json::from_slice::<AppError>(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let mut asked = axum::http::HeaderMap::new();
    if let Some(accept) = accept {
        asked.insert(axum::http::header::ACCEPT, accept);
    }
    if matches!(error, AppError::RateLimited { .. }) && security::wants_html(&asked) {
        let mut page = security::refusal(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", &error, &asked);
        if let Some(retry_after) = parts.headers.get(axum::http::header::RETRY_AFTER) {
            page.headers_mut().insert(axum::http::header::RETRY_AFTER, retry_after.clone());
        }
        return page;
    }
    if parts.status == StatusCode::INTERNAL_SERVER_ERROR {
        parts.status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        // The message as a page would show it, for the islands' light client (it reads no JSON
        // error types): percent-encoded, so any text fits a header.
        let message =
            bzpeer_core::domain::percent::query_value(&bzpeer_core::domain::text::upper_first(&error.to_string()));
        if let Ok(value) = axum::http::HeaderValue::from_str(&message) {
            parts.headers.insert(ERROR_MESSAGE_HEADER, value);
        }
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// The header with a refused server function's message (see `server_fn_error_status`).
pub const ERROR_MESSAGE_HEADER: &str = "x-error-message";

/// Loads who is logged in before a page renders, for the header (`CurrentViewer`).
async fn load_viewer(
    State(pool): State<PgPool>,
    mut request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    // Pages only: static files and server functions never render the header.
    let path = request.uri().path();
    let is_page = !super::paths::is_static_file(path) && !path.starts_with("/api/");
    if request.method() == axum::http::Method::GET && is_page {
        if let Some(session) = request.extensions().get::<tower_sessions::Session>().cloned() {
            match app::ssr::auth::viewer_of_session(&session, &pool).await {
                Ok((viewer, user)) => {
                    request.extensions_mut().insert(viewer);
                    request.extensions_mut().insert(user);
                }
                // Without the database the page cannot know who is asking: not a page showing
                // "Log in" to someone logged in, but the 503 page.
                Err(AppError::Unavailable) => return security::unavailable(request.headers()),
                Err(e) => tracing::warn!(%e, "could not load the viewer for the header"),
            }
        }
    }
    next.run(request).await
}

/// The session layer answers a bare 500 (no headers, no body) when it cannot save a session to
/// its store, the database: that is the database being unavailable, so the visitor gets the 503
/// page instead.
async fn session_store_failure(request: axum::extract::Request, next: axum::middleware::Next) -> Response {
    // Only `Accept` is needed to answer (HTML or JSON): no copy of every header per request.
    let mut accept = axum::http::HeaderMap::new();
    if let Some(value) = request.headers().get(axum::http::header::ACCEPT) {
        accept.insert(axum::http::header::ACCEPT, value.clone());
    }
    let response = next.run(request).await;
    if response.status() == StatusCode::INTERNAL_SERVER_ERROR && response.headers().is_empty() {
        tracing::warn!("the session could not be saved");
        return security::unavailable(&accept);
    }
    response
}

/// Resolves on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
