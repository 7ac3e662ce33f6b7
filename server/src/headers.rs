//! Security headers on every response: the Content-Security-Policy (pages set their own, with
//! the nonce of their hydration script; everything else gets the policy without one), no MIME
//! sniffing, no framing, referrers kept on the site, and HSTS when the site is served over https.

use crate::startup::AppState;
use app::ssr::headers::content_security_policy;
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::LazyLock;

/// The policy for responses that are not pages (no inline script at all), built once.
static DEFAULT_POLICY: LazyLock<Option<HeaderValue>> =
    LazyLock::new(|| HeaderValue::from_str(&content_security_policy(None)).ok());

/// Two years, the preload list's minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        if let Some(value) = DEFAULT_POLICY.clone() {
            headers.insert(CONTENT_SECURITY_POLICY, value);
        }
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if state.site_url.starts_with("https://") {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    }
    response
}
