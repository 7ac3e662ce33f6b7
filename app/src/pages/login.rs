//! `/login` and `/logout`, and `/verify-email` (the link in the verification mail leads to a
//! form asking for the sign-up's password, so neither a mail scanner that follows links nor the
//! owner of an address someone else signed up with can verify that sign-up).

use crate::api::auth::{Login, Logout, ResendVerification, VerifyEmail};
use crate::api::flash::Flash;
use crate::components::forms::{page_flash, with_flash, FormMessage};
use crate::components::head::PageHead;
use crate::domain::account::ReturnPath;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let flash = page_flash();
    view! {
        <PageHead title="Log in" description="Log in to BZPEER." path="/login" />
        <main class="page narrow">
            <section class="panel form-panel">
                <h1>"Log in"</h1>
                {with_flash(flash, login_forms)}
            </section>
        </main>
    }
}

/// The log-in and resend forms, refilled from the flash a failed post left (never the password).
fn login_forms(flash: Flash) -> AnyView {
    let query = use_query_map();
    let kept_next = Some(flash.field("next")).filter(|n| !n.is_empty());
    let next = ReturnPath::parse_or_home(kept_next.or_else(|| query.with_untracked(|q| q.get("next"))).as_deref())
        .as_str()
        .to_owned();
    let (email, resend_email) = (flash.field("email"), flash.field("email"));
    let error = flash.message();
    // Codes only: the URL never carries text to show.
    let notice = move || {
        let q = query.read();
        if q.get("verified").is_some() {
            Some("Your e-mail address is verified. Log in to continue.")
        } else if q.get("resent").is_some() {
            Some("If that address has an unverified account, a new link is on its way.")
        } else {
            None
        }
    };
    let signup = format!("/signup?next={}", crate::domain::percent::query_value(&next));
    view! {
        {notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
        <FormMessage message=Signal::stored(error) />
        <form method="post" action=Login::url()>
            <input type="hidden" name="next" value=next.clone() />
            <label for="login-email">"E-mail address"</label>
            <input id="login-email" name="email" type="email" required autocomplete="email" value=email />
            <label for="login-password">"Password"</label>
            <input id="login-password" name="password" type="password" required autocomplete="current-password" />
            <button type="submit" class="button">"Log in"</button>
        </form>
        <p>
            <a href="/forgot-password">"Forgot your password?"</a>
        </p>
        <p>"New here? " <a href=signup>"Create an account"</a></p>
        <details>
            <summary>"Lost the verification mail?"</summary>
            <form method="post" action=ResendVerification::url()>
                <label for="resend-email">"E-mail address to verify"</label>
                <input id="resend-email" name="email" type="email" required value=resend_email />
                <button type="submit" class="button secondary">"Send a new link"</button>
            </form>
        </details>
    }
    .into_any()
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    view! {
        <PageHead title="Log out" description="Log out of BZPEER." path="/logout" />
        <main class="page narrow">
            <section class="panel">
                <h1>"Log out"</h1>
                <form method="post" action=Logout::url()>
                    <button type="submit" class="button">"Log out"</button>
                </form>
            </section>
        </main>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let flash = page_flash();
    view! {
        <PageHead title="Verify your e-mail address" description="Confirm your e-mail address for BZPEER." path="/verify-email" />
        <main class="page narrow">
            <section class="panel">
                <h1>"Verify your e-mail address"</h1>
                {with_flash(flash, verify_form)}
            </section>
        </main>
    }
}

/// The button that spends the token (from the mail's link, or kept by a failed post).
fn verify_form(flash: Flash) -> AnyView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_else(|| flash.field("token"));
    view! {
        <FormMessage message=Signal::stored(flash.message()) />
        <form method="post" action=VerifyEmail::url()>
            <input type="hidden" name="token" value=token />
            // The link alone is not enough: whoever reads the mail must also know the
            // sign-up's password, so nobody verifies an account someone else opened.
            <label for="verify-password">"The password you chose when you signed up"</label>
            <input id="verify-password" name="password" type="password" required autocomplete="current-password" />
            <button type="submit" class="button">"Verify my address"</button>
        </form>
        <p class="note">"Did not sign up? Ignore the mail: without the password the link does nothing."</p>
    }
    .into_any()
}
