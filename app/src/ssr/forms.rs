//! Answering a form, the one way every server function does it. A hydrated page calls the
//! function and gets its result; a browser without JavaScript posts the form and must land on a
//! page: 303 to the success page, to log-in (and back) when the action needs an account, or back
//! to the form's page with the typed error and the values kept in the session (`ssr::flash`),
//! never in the URL. A rate-limited plain post is answered by the server's 429 page instead.

use crate::error::AppError;
use axum::http::header::{ACCEPT, LOCATION};
use axum::http::{HeaderValue, StatusCode};
use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;
use std::future::Future;

/// Whether the current request is a plain form post (it accepts HTML).
pub fn wants_html() -> bool {
    use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.headers.get(ACCEPT).and_then(|v| v.to_str().ok()).map(|v| v.contains("text/html")))
        .unwrap_or(false)
}

/// Answers a plain form post with 303 to `path` (a same-site path the caller has checked).
fn see_other(path: &str) {
    if let (Some(options), Ok(location)) = (use_context::<ResponseOptions>(), HeaderValue::from_str(path)) {
        options.set_status(StatusCode::SEE_OTHER);
        options.insert_header(LOCATION, location);
    }
}

/// A form on a page: where a failed post goes back to and what it keeps for that page.
#[derive(Debug, Clone)]
pub struct Form<'a> {
    page: &'a str,
    keep: Vec<(&'a str, String)>,
    anchor: &'a str,
}

impl<'a> Form<'a> {
    /// The form on the page at `page` (a same-site path; its query and anchor are dropped when
    /// the flash is matched).
    pub fn on(page: &'a str) -> Self {
        Self { page, keep: Vec::new(), anchor: "" }
    }

    /// Keeps what was typed in `name` for the page to show again when the post fails (never a
    /// password).
    pub fn keep(mut self, name: &'a str, value: impl Into<String>) -> Self {
        self.keep.push((name, value.into()));
        self
    }

    /// Where on the page a failed post lands (`#reply`).
    pub fn at(mut self, anchor: &'a str) -> Self {
        self.anchor = anchor;
        self
    }

    /// Runs the action; a plain form post goes on to `success` when it succeeds.
    pub async fn answer<T>(
        self,
        success: impl AsRef<str>,
        action: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        self.answer_to(|_| success.as_ref().to_owned(), action).await
    }

    /// Runs the action; a plain form post goes on to the page `success` names for its result.
    pub async fn answer_to<T>(
        self,
        success: impl FnOnce(&T) -> String,
        action: impl Future<Output = Result<T, AppError>>,
    ) -> Result<T, AppError> {
        let result = action.await;
        if wants_html() {
            match &result {
                Ok(value) => see_other(&success(value)),
                Err(error) => {
                    if let Some(path) = self.failure(error) {
                        see_other(&path);
                    }
                }
            }
        }
        result
    }

    /// Where a failed plain post goes: log in first (and come back here), or back to the form.
    /// `None` for a rate limit: the server answers it with its 429 page.
    fn failure(&self, error: &AppError) -> Option<String> {
        match error {
            AppError::Unauthorized => Some(crate::domain::account::login_href(self.page)),
            AppError::RateLimited { .. } => None,
            other => {
                let keep: Vec<(&str, &str)> = self.keep.iter().map(|(n, v)| (*n, v.as_str())).collect();
                crate::ssr::flash::leave(self.page, Some(other.clone()), &keep);
                Some(format!("{}{}", crate::ssr::flash::page_path(self.page), self.anchor))
            }
        }
    }

    /// Leaves the kept values for the success page (an address a mail went to), without an
    /// error, and returns that page's path.
    pub fn pass_on(page: &str, keep: &[(&str, &str)]) -> String {
        crate::ssr::flash::leave(page, None, keep);
        crate::ssr::flash::page_path(page).to_owned()
    }
}
