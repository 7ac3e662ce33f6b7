//! Progressive enhancement for server functions: a browser without JavaScript posts a form and
//! must land on a page (303 See Other); a hydrated page calls the same function and gets data.
//! What a failed post has to say goes with it in the session (`ssr::flash`), never in the URL.

use crate::error::AppError;
use axum::http::header::{ACCEPT, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

/// Whether the current request is a plain form post (it accepts HTML).
pub fn wants_html() -> bool {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Answers a plain form post with 303 to `path` (a same-site path the caller has checked).
pub fn see_other(path: &str) {
    if let (Some(options), Ok(location)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(path)) {
        options.set_status(StatusCode::SEE_OTHER);
        options.insert_header(LOCATION, location);
    }
}

/// For a plain form post: on success go to `success`, on failure to `failure(error)`. A hydrated
/// caller gets the result itself and shows it in place.
pub fn finish<T>(
    result: Result<T, AppError>,
    success: &str,
    failure: impl FnOnce(&AppError) -> String,
) -> Result<T, AppError> {
    if wants_html() {
        match &result {
            Ok(_) => see_other(success),
            Err(e) => see_other(&failure(e)),
        }
    }
    result
}

/// The page a failed form goes back to: its bare path. The error and the fields worth keeping
/// (never a password) wait in the session for that page (`ssr::flash`), never in the URL.
pub fn back_with_error(page: &str, error: &AppError, keep: &[(&str, &str)]) -> String {
    crate::ssr::flash::leave(page, Some(error.to_string()), keep);
    crate::ssr::flash::page_path(page).to_owned()
}

/// The page a successful form goes on to, with fields for it to show (an address a mail went
/// to) kept in the session rather than in the URL.
pub fn on_with(page: &str, keep: &[(&str, &str)]) -> String {
    crate::ssr::flash::leave(page, None, keep);
    crate::ssr::flash::page_path(page).to_owned()
}
