//! Guards in front of every state-changing request: same-origin POSTs only (the CSRF defence for
//! server functions), and rate limits on sign-up, log-in and e-mail sending.

use crate::startup::AppState;
use app::error::AppError;
use app::ssr::db::rate_limits;
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
fn refusal(status: StatusCode, html_title: &str, error: &AppError, headers: &HeaderMap) -> Response {
    if wants_html(headers) {
        let body = format!(
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{html_title} · BZPEER</title></head>\
             <body><main><h1>{html_title}</h1><p>{}</p><p><a href=\"/\">Back to BZPEER</a></p></main></body></html>",
            upper_first(&error.to_string())
        );
        (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
    } else {
        let body = serde_json::to_string(error).unwrap_or_default();
        (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
    }
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
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

/// A limit: at most `max` requests per `window_secs`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window_secs: i64,
}

/// The limited endpoints, with their limit per client address and per account (the `email`
/// field of the form).
pub fn limits_for(path: &str) -> Option<(&'static str, Limit, Limit)> {
    let quarter_hour = 15 * 60;
    let hour = 60 * 60;
    match path {
        "/api/login" => {
            Some(("login", Limit { max: 10, window_secs: quarter_hour }, Limit { max: 10, window_secs: quarter_hour }))
        }
        "/api/signup" => Some(("signup", Limit { max: 10, window_secs: hour }, Limit { max: 5, window_secs: hour })),
        "/api/resend_verification" => {
            Some(("mail", Limit { max: 5, window_secs: hour }, Limit { max: 3, window_secs: hour }))
        }
        _ => None,
    }
}

/// The client address: the TCP peer, or the first `X-Forwarded-For` hop when the server is told
/// it sits behind a proxy (`BZPEER_TRUST_PROXY=1`).
fn client_address(request: &Request, trust_proxy: bool) -> String {
    if trust_proxy {
        if let Some(forwarded) = request.headers().get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
            if let Some(first) = forwarded.split(',').next().map(str::trim).filter(|s| !s.is_empty()) {
                return first.to_owned();
            }
        }
    }
    request.extensions().get::<ConnectInfo<SocketAddr>>().map_or_else(|| "unknown".to_owned(), |c| c.0.ip().to_string())
}

/// Counts sign-up, log-in and mail requests per client address and per account; over the
/// limit, answers 429 with `Retry-After` and a readable message.
pub async fn rate_limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((name, per_address, per_account)) =
        limits_for(request.uri().path()).filter(|_| request.method() == Method::POST)
    else {
        return next.run(request).await;
    };
    let address = client_address(&request, state.trust_proxy);
    let (parts, body) = request.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, crate::startup::BODY_LIMIT_BYTES).await else {
        let error = AppError::Request("the form is too large".into());
        return refusal(StatusCode::PAYLOAD_TOO_LARGE, "The form is too large", &error, &parts.headers);
    };
    let email = form_field(&bytes, "email").map(|e| e.trim().to_lowercase()).filter(|e| !e.is_empty());

    let mut keys = vec![(format!("{name}:addr:{address}"), per_address)];
    if let Some(email) = email {
        keys.push((format!("{name}:acct:{email}"), per_account));
    }
    for (key, limit) in keys {
        match rate_limits::hit(&state.pool, &key, limit.window_secs).await {
            Ok((hits, retry_after)) if hits > limit.max => {
                tracing::warn!(%key, hits, "rate limited");
                let error = AppError::RateLimited { retry_after_secs: u64::try_from(retry_after).unwrap_or(60) };
                let mut response = refusal(StatusCode::TOO_MANY_REQUESTS, "Too many attempts", &error, &parts.headers);
                if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
                    response.headers_mut().insert(header::RETRY_AFTER, value);
                }
                return response;
            }
            Ok(_) => {}
            // Failing open would let a database hiccup disable the limit; failing closed would
            // lock everyone out. Refuse this request only.
            Err(e) => {
                tracing::error!(%e, "rate limit check failed");
                return unavailable(&parts.headers);
            }
        }
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// One field of a URL-encoded form body.
fn form_field(body: &[u8], name: &str) -> Option<String> {
    std::str::from_utf8(body).ok()?.split('&').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key == name).then(|| percent_decode(value))
    })
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match u8::from_str_radix(std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or(""), 16) {
                    Ok(b) => {
                        out.push(b);
                        i += 2;
                    }
                    Err(_) => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
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
    fn form_fields_are_decoded() {
        assert_eq!(form_field(b"email=Ada%40Example.org&password=x", "email").as_deref(), Some("Ada@Example.org"));
        assert_eq!(form_field(b"a=1", "email"), None);
        assert_eq!(percent_decode("a+b%2"), "a b%2");
    }
}
