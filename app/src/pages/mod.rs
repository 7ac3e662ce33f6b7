//! One routed page per file.

pub mod about_trust;
pub mod claim;
pub mod conversation;
pub mod dev_outbox;
pub mod edit_record;
pub mod explore;
pub mod following;
pub mod home;
pub mod inbox;
pub mod login;
pub mod moderation;
pub mod not_found;
pub mod password_reset;
pub mod profile;
pub mod search;
pub mod settings;
pub mod signup;
pub mod subject;
pub mod suggestions;
pub mod work;

use crate::error::AppError;
use leptos::prelude::*;

/// Shows a server function's error on a page, and gives the response the matching status.
#[component]
pub fn ErrorPanel(error: AppError) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(error.status());
    if let AppError::NotFound(what) = &error {
        return view! { <not_found::NotFoundBody what=what.clone() /> }.into_any();
    }
    let message = error.to_string();
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    view! {
        <crate::components::head::PageHead title="Something is not right" description=message.clone() path=path />
        <section class="panel error" role="alert">
            <h1>"Something is not right"</h1>
            <p>{crate::domain::text::upper_first(&message)}</p>
            <p>
                <a href="/">"Back to the start page"</a>
            </p>
        </section>
    }
    .into_any()
}

/// What a page for logged-in people shows a visitor (with status 401): what logging in is for,
/// and a log-in link that comes back to `back`.
#[component]
pub fn LogInToSee(
    /// "see your invitations and conversations"
    what: &'static str,
    back: String,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(401);
    view! {
        <p>{format!("Log in to {what}. ")} <a class="button" href=crate::domain::account::login_href(&back)>"Log in"</a></p>
    }
}
