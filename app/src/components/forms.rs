//! Pieces shared by the account forms: the error or notice line above a form, and navigating
//! after a hydrated form succeeds (a full load, so every part of the page sees the new session).

use crate::error::AppError;
use leptos::prelude::*;

/// The message to show: the hydrated action's error if there is one (`outcome` gives the
/// action's last result), else the `error` the server put in the URL when a plain form post failed.
pub fn form_error(
    outcome: impl Fn() -> Option<Result<(), AppError>> + Send + Sync + 'static,
    from_url: Memo<Option<String>>,
) -> Signal<Option<String>> {
    Signal::derive(move || match outcome() {
        Some(Err(e)) => Some(e.to_string()),
        Some(Ok(())) => None,
        None => from_url.get(),
    })
}

/// The first failure among several actions' last results (for `form_error` on a page with many forms).
pub fn first_failure(results: impl IntoIterator<Item = Option<Result<(), AppError>>>) -> Option<Result<(), AppError>> {
    results.into_iter().flatten().find(Result::is_err)
}

#[component]
pub fn FormMessage(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            let mut chars = m.chars();
            let text = chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default();
            view! { <p class="form-error" role="alert">{text}</p> }
        })
    }
}

/// Loads `path` as a new page (after log-in or log-out, so the header and every page agree).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}
