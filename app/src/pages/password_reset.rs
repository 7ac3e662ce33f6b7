//! `/forgot-password` (ask for a reset link by mail) and `/reset-password` (the link leads to a
//! form, so a mail scanner that follows links cannot spend the token).

use crate::api::flash::Flash;
use crate::api::password_reset::{RequestPasswordReset, ResetPassword};
use crate::components::forms::{page_flash, with_flash, FormMessage};
use crate::components::head::PageHead;
use crate::domain::account::{MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let flash = page_flash();
    view! {
        <PageHead title="Reset your password" description="Get a link to choose a new BZPEER password." path="/forgot-password" />
        <main class="page narrow">
            <section class="panel form-panel">
                <h1>"Reset your password"</h1>
                {with_flash(flash, forgot_form)}
                <p>
                    <a href="/login">"Back to log in"</a>
                </p>
            </section>
        </main>
    }
}

/// The request form, refilled from the flash a failed post left.
fn forgot_form(flash: Flash) -> AnyView {
    let query = use_query_map();
    // A code only: the URL never carries text to show.
    let sent = query.with_untracked(|q| q.get("sent").is_some());
    view! {
        {sent.then(|| view! {
            <p class="notice" role="status">
                "If that address has an account, a link to choose a new password is on its way. It works once, for an hour."
            </p>
        })}
        <FormMessage message=Signal::stored(flash.message()) />
        <form method="post" action=RequestPasswordReset::url()>
            <label for="forgot-email">"E-mail address"</label>
            <input id="forgot-email" name="email" type="email" required autocomplete="email" value=flash.field("email") />
            <button type="submit" class="button">"Send me a link"</button>
        </form>
    }
    .into_any()
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let flash = page_flash();
    view! {
        <PageHead title="Choose a new password" description="Set a new password for your BZPEER account." path="/reset-password" />
        <main class="page narrow">
            <section class="panel form-panel">
                <h1>"Choose a new password"</h1>
                {with_flash(flash, reset_form)}
                <p>
                    <a href="/forgot-password">"Ask for a new link"</a>
                </p>
            </section>
        </main>
    }
}

/// The new-password form: the token comes from the mailed link, or from the flash after a refusal.
fn reset_form(flash: Flash) -> AnyView {
    let query = use_query_map();
    let kept = Some(flash.field("token")).filter(|t| !t.is_empty());
    let token = kept.or_else(|| query.with_untracked(|q| q.get("token"))).unwrap_or_default();
    view! {
        <FormMessage message=Signal::stored(flash.message()) />
        <form method="post" action=ResetPassword::url()>
            <input type="hidden" name="token" value=token />
            <label for="reset-password">"New password"</label>
            <input id="reset-password" name="password" type="password" required autocomplete="new-password"
                minlength=MIN_PASSWORD_CHARS.to_string() maxlength=MAX_PASSWORD_CHARS.to_string()
                aria-describedby="reset-password-hint" />
            <p id="reset-password-hint" class="note">
                {format!("{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters. You stay logged in here; other sessions end.")}
            </p>
            <button type="submit" class="button">"Set my new password"</button>
        </form>
    }
    .into_any()
}
