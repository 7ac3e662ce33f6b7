//! Guards in front of every state-changing request: same-origin POSTs only (the CSRF defence for
//! server functions), and per-client-address rate limits on sign-up, log-in, links and mail.

use crate::client_address::client_address;
use crate::startup::AppState;
use app::error::AppError;
use app::ssr::db::rate_limits;
use app::ssr::limits::Limit;
use axum::body::Body;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
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

fn wants_html(headers: &HeaderMap) -> bool {
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
            app::domain::text::upper_first(&error.to_string())
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
    if safe || same_origin(request.headers(), &state.site_url) {
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

/// The limited endpoints and their limit per client address. (Per-account limits are applied
/// by the server functions themselves, to the parsed form: `app::ssr::limits`.)
pub fn limits_for(endpoint: &str) -> Option<(&'static str, Limit)> {
    let quarter_hour = 15 * 60;
    let hour = 60 * 60;
    match endpoint {
        "/api/login" => Some(("login", Limit { max: 10, window_secs: quarter_hour })),
        "/api/signup" => Some(("signup", Limit { max: 10, window_secs: hour })),
        "/api/resend_verification" => Some(("mail", Limit { max: 5, window_secs: hour })),
        "/api/request_password_reset" => Some(("reset", Limit { max: 5, window_secs: hour })),
        // Each takes a password hash when its link is valid.
        "/api/verify_email" => Some(("verify", Limit { max: 20, window_secs: quarter_hour })),
        "/api/reset_password" => Some(("new_password", Limit { max: 20, window_secs: quarter_hour })),
        _ => None,
    }
}

/// The endpoint a path names however it is spelt: percent-decoded (repeatedly), lower-case,
/// without empty segments, so `/API//%6Cogin/` counts as `/api/login`.
pub fn endpoint_of(path: &str) -> String {
    let mut decoded = path.to_owned();
    for _ in 0..3 {
        let next = percent_decode(&decoded);
        if next == decoded {
            break;
        }
        decoded = next;
    }
    let mut endpoint = String::with_capacity(decoded.len());
    for segment in decoded.split('/').filter(|s| !s.is_empty()) {
        endpoint.push('/');
        endpoint.push_str(segment);
    }
    endpoint.to_lowercase()
}

/// Counts sign-up, log-in, link and mail requests per client address; over the limit, answers
/// 429 with `Retry-After` and a readable message.
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((name, limit)) = limits_for(&endpoint_of(request.uri().path())) else {
        return next.run(request).await;
    };
    let peer = request.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let address = client_address(request.headers(), peer, state.trusted_proxies);
    let key = format!("{name}:addr:{address}");
    match rate_limits::hit(&state.pool, &key, limit.window_secs).await {
        Ok((hits, retry_after)) if hits > limit.max => {
            tracing::warn!(limit = name, hits, "rate limited by client address");
            let error = AppError::RateLimited { retry_after_secs: u64::try_from(retry_after).unwrap_or(60) };
            let mut response = refusal(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", &error, request.headers());
            if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                response.headers_mut().insert(header::RETRY_AFTER, value);
            }
            response
        }
        Ok(_) => next.run(request).await,
        // Failing open would let a database hiccup disable the limit; failing closed would
        // lock everyone out. Refuse this request only.
        Err(e) => {
            tracing::error!(%e, "rate limit check failed");
            unavailable(request.headers())
        }
    }
}

/// `%XX` escapes decoded (a path keeps `+` as it is).
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
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

    #[test]
    fn an_endpoint_is_recognised_however_its_path_is_spelt() {
        for path in ["/api/login", "/API/Login", "/api//login/", "/api/%6Cogin", "/api/%256cogin", "//api/login"] {
            assert_eq!(endpoint_of(path), "/api/login", "{path}");
            assert!(limits_for(&endpoint_of(path)).is_some(), "{path}");
        }
        assert_eq!(endpoint_of("/a+b%2"), "/a+b%2");
        assert!(limits_for(&endpoint_of("/api/follow_researcher")).is_none());
    }
}
