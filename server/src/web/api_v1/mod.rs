//! The public read-only JSON API under `/api/v1/`: its routes, the OpenAPI 3.1 document
//! generated from its types (`/api/v1/openapi.json`), CORS for reads from any origin, and a
//! per-client rate limit shared by every server process (counted in the database).

mod from_views;
pub mod handlers;
pub mod respond;
pub mod types;

use crate::http::state::AppState;
use app::ssr::limits::ClientAddress;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "BZPEER API",
        version = "1",
        description = "Read-only access to researchers, works, topics and \
        institutions. Lists page with `cursor` / `next_cursor` (no offsets); `fields` keeps the named top-level \
        fields; answers carry an `ETag` (send it back in `If-None-Match` for a 304). Errors are JSON with a \
        stable `code`. Each client may make a limited number of requests a minute (429 with `Retry-After` past it)."
    ),
    paths(
        handlers::author,
        handlers::authors,
        handlers::work,
        handlers::works,
        handlers::topic,
        handlers::institution
    ),
    components(schemas(
        types::Author,
        types::AuthorDetail,
        types::AuthorList,
        types::BylineAuthor,
        types::Work,
        types::WorkDetail,
        types::WorkList,
        types::Topic,
        types::Institution,
        types::SubjectRef,
        types::ApiError,
        types::ErrorBody
    ))
)]
pub struct ApiDoc;

/// The OpenAPI document as served.
pub fn openapi() -> utoipa::openapi::OpenApi {
    ApiDoc::openapi()
}

async fn openapi_json() -> Response {
    match openapi().to_json() {
        Ok(json) => ([(header::CONTENT_TYPE, "application/json")], json).into_response(),
        Err(e) => {
            tracing::error!(%e, "the OpenAPI document did not serialize");
            respond::app_error(bzpeer_core::error::AppError::Internal)
        }
    }
}

async fn unknown() -> Response {
    respond::not_found("this API address")
}

/// The routes under `/api/v1`, behind CORS and the rate limit.
pub fn routes(state: AppState) -> Router<AppState> {
    Router::new()
        .route("/api/v1/openapi.json", get(openapi_json))
        .route("/api/v1/authors", get(handlers::authors))
        .route("/api/v1/authors/{id_or_slug}", get(handlers::author))
        .route("/api/v1/works", get(handlers::works))
        .route("/api/v1/works/{id_or_slug}", get(handlers::work))
        .route("/api/v1/topics/{id_or_slug}", get(handlers::topic))
        .route("/api/v1/institutions/{id_or_slug}", get(handlers::institution))
        .route("/api/v1/{*rest}", get(unknown))
        .layer(axum::middleware::from_fn_with_state(state, rate_limit))
        .layer(axum::middleware::from_fn(cors))
}

/// Reads from any origin: the API is public and carries no credentials. A preflight is answered
/// here; anything but a read is refused.
async fn cors(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let mut response = match method {
        Method::OPTIONS => StatusCode::NO_CONTENT.into_response(),
        Method::GET | Method::HEAD => next.run(request).await,
        _ => {
            let mut refused =
                respond::error(StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed", "the API only reads", None);
            refused.headers_mut().insert(header::ALLOW, HeaderValue::from_static("GET, HEAD, OPTIONS"));
            refused
        }
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_METHODS, HeaderValue::from_static("GET, HEAD, OPTIONS"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_HEADERS, HeaderValue::from_static("If-None-Match, Accept"));
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("ETag, Retry-After, RateLimit-Limit, RateLimit-Remaining"),
    );
    headers.insert(header::ACCESS_CONTROL_MAX_AGE, HeaderValue::from_static("86400"));
    response
}

/// At most `state.api_per_minute` requests a minute from one client address, counted across
/// every process; past it, 429 with `Retry-After`.
async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    if request.method() == Method::OPTIONS {
        return next.run(request).await;
    }
    let address = request.extensions().get::<ClientAddress>().map_or_else(|| "unknown".to_owned(), |a| a.0.clone());
    let counted = db::writes::rate_limits::hit(&state.pool, &format!("api:{address}"), 60).await;
    let (hits, retry_after) = match counted {
        Ok(counted) => counted,
        Err(e) => return respond::app_error(e),
    };
    let limit = state.api_per_minute;
    let mut response = if hits > limit {
        let mut refused = respond::error(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("at most {limit} requests a minute; try again in {retry_after} seconds"),
            None,
        );
        if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
            refused.headers_mut().insert(header::RETRY_AFTER, value);
        }
        refused
    } else {
        next.run(request).await
    };
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&limit.to_string()) {
        headers.insert("ratelimit-limit", value);
    }
    if let Ok(value) = HeaderValue::from_str(&(limit - hits).max(0).to_string()) {
        headers.insert("ratelimit-remaining", value);
    }
    response
}
