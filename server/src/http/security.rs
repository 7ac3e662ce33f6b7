//! Guards in front of every state-changing request: same-origin POSTs only (the CSRF defence for
//! server functions), and the client's address for the rate limits the server functions declare.

use crate::http::client_address::client_address;
use crate::http::state::AppState;
use app::ssr::limits::ClientAddress;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bzpeer_core::error::AppError;
use std::net::SocketAddr;

/// The `scheme://host[:port]` of a URL, lower-cased.
fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    (!authority.is_empty()).then(|| format!("{}://{}", scheme.to_ascii_lowercase(), authority.to_ascii_lowercase()))
}

/// Whether a request comes from one of our own pages: its `Origin` (or, when a browser sent
/// none, its `Referer`) is the configured site origin or the origin of the `Host` it was sent to.
pub fn same_origin(headers: &HeaderMap, site_url: &str) -> bool {
    let claimed = headers
        .get(header::ORIGIN)
        .and_then(|v| v.to_str().ok())
        .filter(|v| *v != "null")
        .and_then(origin_of)
        .or_else(|| headers.get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(origin_of));
    let Some(claimed) = claimed else {
        return false;
    };
    let host = headers.get(header::HOST).and_then(|v| v.to_str().ok()).map(str::to_ascii_lowercase);
    origin_of(site_url).as_deref() == Some(claimed.as_str())
        || host.is_some_and(|h| claimed.split_once("://").is_some_and(|(_, authority)| authority == h))
}

/// Whether the request is a browser's (a page or a plain form post), not a script's.
pub(crate) fn wants_html(headers: &HeaderMap) -> bool {
    headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
}

/// The database cannot serve this request now: 503 with `Retry-After`, readable by a person.
pub(crate) fn unavailable(headers: &HeaderMap) -> Response {
    let mut response =
        refusal(StatusCode::SERVICE_UNAVAILABLE, "Try again in a moment", &AppError::Unavailable, headers);
    response.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
    response
}

/// A refusal a person can read: an HTML page for browsers, the `AppError` as JSON otherwise.
pub fn refusal(status: StatusCode, html_title: &str, error: &AppError, headers: &HeaderMap) -> Response {
    if wants_html(headers) {
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html_title} · BZPEER</title></head>\
             <body><main><h1>{html_title}</h1><p>{}</p><p><a href=\"/\">Back to BZPEER</a></p></main></body></html>",
            bzpeer_core::domain::text::upper_first(&error.to_string())
        );
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    } else {
        let body = serde_json::to_string(error).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

/// Refuses (403) any request that changes state and does not come from our own pages.
pub async fn require_same_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let safe = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // A mail client's one-click unsubscribe comes from no page of ours; its secret authorises it.
    let one_click = request.uri().path() == crate::web::unsubscribe::PATH;
    if safe || one_click || same_origin(request.headers(), &state.site_url) {
        return next.run(request).await;
    }
    tracing::warn!(path = %request.uri().path(), "refused a cross-origin request");
    let error = AppError::Forbidden;
    let mut response = refusal(StatusCode::FORBIDDEN, "This form came from another site", &error, request.headers());
    if wants_html(request.headers()) {
        *response.body_mut() = Body::from(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Refused · BZPEER</title></head>\
             <body><main><h1>This form came from another site</h1><p>BZPEER only accepts changes sent from its own pages. \
             Go back to the page, reload it, and try again.</p><p><a href=\"/\">Back to BZPEER</a></p></main></body></html>",
        );
    }
    response
}

/// Puts the client's address (the right-most trusted forwarded hop) in the request's extensions,
/// where the server functions' rate limits read it (`app::ssr::limits`).
pub async fn client_address_of(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let address = client_address(request.headers(), peer, state.trusted_proxies);
    request.extensions_mut().insert(ClientAddress(address));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, HeaderValue::from_str(v).expect("header"));
        }
        map
    }

    #[test]
    fn our_own_origin_is_accepted() {
        assert!(same_origin(&headers(&[("origin", "http://127.0.0.1:3000")]), "http://127.0.0.1:3000"));
        assert!(same_origin(&headers(&[("origin", "https://bzpeer.example"), ("host", "bzpeer.example")]), "http://x"));
        assert!(same_origin(&headers(&[("referer", "http://127.0.0.1:3000/authors/x")]), "http://127.0.0.1:3000"));
    }

    #[test]
    fn other_origins_and_missing_origins_are_refused() {
        assert!(!same_origin(&headers(&[("origin", "https://evil.example")]), "http://127.0.0.1:3000"));
        assert!(!same_origin(&headers(&[("origin", "http://127.0.0.1:3000.evil.example")]), "http://127.0.0.1:3000"));
        assert!(!same_origin(&headers(&[("referer", "https://evil.example/page")]), "http://127.0.0.1:3000"));
        assert!(!same_origin(&headers(&[]), "http://127.0.0.1:3000"));
        assert!(!same_origin(&headers(&[("origin", "null")]), "http://127.0.0.1:3000"));
    }
}
