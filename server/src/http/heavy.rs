//! The per-client limit on the expensive anonymous answers: a sitemap (up to 50,000 addresses)
//! and a whole record's citation file (every work of the record). At most
//! `state.heavy_per_minute` of them a minute from one client address, counted in PostgreSQL so
//! every process shares the count; past it, 429 with `Retry-After`, readable by a person.

use crate::http::state::AppState;
use app::ssr::limits::ClientAddress;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::Response;
use bzpeer_core::error::AppError;

/// Heavy answers a client may ask for a minute unless `BZPEER_HEAVY_PER_MINUTE` says otherwise:
/// a crawler reading a large catalogue's sitemaps, or a person exporting records one by one,
/// stays far below it.
pub const HEAVY_PER_MINUTE: i32 = 120;

/// Whether `path` is one of the expensive answers: the sitemap index, a sitemap, or a record's
/// `.bib`, `.ris` or `.json` (one work's file is as cheap as its page and is not counted).
pub fn is_heavy(path: &str) -> bool {
    if path == "/sitemap.xml" || path.starts_with("/sitemaps/") {
        return true;
    }
    path.strip_prefix("/authors/").is_some_and(|rest| {
        !rest.contains('/') && [".bib", ".ris", ".json"].iter().any(|extension| rest.ends_with(extension))
    })
}

/// Counts a heavy request against its client and refuses it past the limit; passes every other
/// request on untouched.
pub async fn limit(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let read = request.method() == Method::GET || request.method() == Method::HEAD;
    if !read || !is_heavy(request.uri().path()) {
        return next.run(request).await;
    }
    let address = request.extensions().get::<ClientAddress>().map_or("unknown", |a| a.0.as_str());
    let key = format!("heavy:{address}");
    let error = match db::writes::rate_limits::within(&state.pool, &key, state.heavy_per_minute, 60).await {
        Ok(()) => return next.run(request).await,
        Err(error) => error,
    };
    let status = StatusCode::from_u16(error.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE);
    let title = if status == StatusCode::TOO_MANY_REQUESTS { "Too many requests" } else { "Try again in a moment" };
    let mut response = crate::http::security::refusal(status, title, &error, request.headers());
    let retry_after = match error {
        AppError::RateLimited { retry_after_secs } => retry_after_secs,
        _ => 5,
    };
    if let Ok(value) = HeaderValue::from_str(&retry_after.to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::is_heavy;

    #[test]
    fn sitemaps_and_whole_records_are_heavy_and_nothing_else() {
        for path in [
            "/sitemap.xml",
            "/sitemaps/authors-1.xml",
            "/authors/ada-lovelace.bib",
            "/authors/a.ris",
            "/authors/a.json",
        ] {
            assert!(is_heavy(path), "{path}");
        }
        for path in ["/authors/ada-lovelace", "/works/w.bib", "/authors/a/feed.atom", "/robots.txt", "/api/v1/authors"]
        {
            assert!(!is_heavy(path), "{path}");
        }
    }
}
