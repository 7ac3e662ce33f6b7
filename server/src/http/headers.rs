//! Security headers on every response: the Content-Security-Policy (a page's names the hashes of
//! its inline scripts, set by `islands`; everything else gets the policy without any), no MIME
//! sniffing, no framing, referrers kept on the site, and HSTS when the site is served over https.
//! And caching: assets under `/pkg/` whose names carry their hash are kept a year (`immutable`);
//! a page to someone with a session is `private, no-store`; a kept page says how long shared
//! caches may keep it; other pages and unhashed assets are revalidated on every use (`no-cache`).

use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_SECURITY_POLICY, CONTENT_TYPE, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY,
    X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::LazyLock;

/// The policy. Scripts run only from our own origin or inline when their text hashes to one of
/// `inline` (`'sha256-…'`, a page's own: the same for every page of a build, so responses stay
/// the same bytes and can be kept), WebAssembly may compile, and nothing may frame, re-base,
/// embed plugins or post forms elsewhere. Without hashes no inline script runs.
pub fn content_security_policy(inline: &[String]) -> String {
    let inline: String = inline.iter().map(|h| format!(" '{h}'")).collect();
    format!(
        "default-src 'self'; script-src 'self'{inline} 'wasm-unsafe-eval'; style-src 'self' 'unsafe-inline'; \
         img-src 'self' data:; connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; \
         frame-ancestors 'none'; form-action 'self'"
    )
}

/// The policy for responses that are not pages (no inline script at all), built once.
static DEFAULT_POLICY: LazyLock<Option<HeaderValue>> =
    LazyLock::new(|| HeaderValue::from_str(&content_security_policy(&[])).ok());

/// Two years, the preload list's minimum.
const HSTS: &str = "max-age=63072000; includeSubDomains";

/// A year: the longest lifetime caches honour.
const IMMUTABLE: &str = "public, max-age=31536000, immutable";

pub async fn security_headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let asset = request.uri().path().starts_with("/pkg/");
    // A page for someone with a session shows who they are: no cache may keep it.
    let personal = request
        .headers()
        .get_all(axum::http::header::COOKIE)
        .iter()
        .any(|c| c.to_str().unwrap_or("").contains(crate::http::SESSION_COOKIE));
    let mut response = next.run(request).await;
    let status = response.status();
    let headers = response.headers_mut();
    let html = headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if asset && status.is_success() {
        let hashed = state.leptos_options.hash_files;
        headers.insert(CACHE_CONTROL, HeaderValue::from_static(if hashed { IMMUTABLE } else { "no-cache" }));
    } else if html && (personal || headers.contains_key(axum::http::header::SET_COOKIE)) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    } else if html && !headers.contains_key(CACHE_CONTROL) {
        // A kept page says how long shared caches may keep it (`kept`); any other page is
        // revalidated on every use.
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_admit_their_inline_scripts_and_nothing_else_does() {
        let with = content_security_policy(&["sha256-abc=".to_owned()]);
        assert!(with.contains("script-src 'self' 'sha256-abc=' 'wasm-unsafe-eval';"));
        let without = content_security_policy(&[]);
        assert!(without.contains("script-src 'self' 'wasm-unsafe-eval';"));
        for policy in [with, without] {
            let scripts = policy.split(';').find(|d| d.trim_start().starts_with("script-src")).unwrap_or_default();
            assert!(!scripts.contains("unsafe-inline") && !scripts.contains("'unsafe-eval'"), "{scripts}");
            assert!(!scripts.contains("nonce"), "{scripts}");
            for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
                assert!(policy.contains(directive), "{policy} lacks {directive}");
            }
        }
    }
}
