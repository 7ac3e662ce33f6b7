//! `/signup` and `/signup/check-email`: create an account, then verify the address by mail.
//! A failed sign-up comes back with its error and fields in the page's flash, never in the URL.

use crate::api::auth::Signup;
use crate::api::flash::Flash;
use crate::components::forms::{page_flash, with_flash, FormMessage};
use crate::components::head::PageHead;
use crate::domain::account::{ReturnPath, MAX_DISPLAY_NAME_CHARS, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let flash = page_flash();
    view! {
        <PageHead title="Sign up" description="Create a BZPEER account to follow researchers." path="/signup" />
        <main class="page narrow">
            <section class="panel form-panel">
                <h1>"Create your account"</h1>
                {with_flash(flash, signup_form)}
            </section>
        </main>
    }
}

/// The sign-up form, refilled from the flash a failed post left (never the password).
fn signup_form(flash: Flash) -> AnyView {
    let query = use_query_map();
    let kept_next = Some(flash.field("next")).filter(|n| !n.is_empty());
    let next = ReturnPath::parse_or_home(kept_next.or_else(|| query.with_untracked(|q| q.get("next"))).as_deref())
        .as_str()
        .to_owned();
    let login = crate::domain::account::login_href(&next);
    view! {
        <FormMessage message=Signal::stored(flash.message()) />
        <form method="post" action=Signup::url()>
            <input type="hidden" name="next" value=next.clone() />
            <label for="signup-name">"Display name"</label>
            <input id="signup-name" name="display_name" type="text" required autocomplete="name"
                maxlength=MAX_DISPLAY_NAME_CHARS.to_string() value=flash.field("display_name") />
            <label for="signup-email">"E-mail address"</label>
            <input id="signup-email" name="email" type="email" required autocomplete="email" value=flash.field("email") />
            <label for="signup-password">"Password"</label>
            <input id="signup-password" name="password" type="password" required autocomplete="new-password"
                minlength=MIN_PASSWORD_CHARS.to_string() maxlength=MAX_PASSWORD_CHARS.to_string()
                aria-describedby="password-hint" />
            <p id="password-hint" class="note">{format!("{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters.")}</p>
            <button type="submit" class="button">"Sign up"</button>
        </form>
        <p>"Already have an account? " <a href=login>"Log in"</a></p>
    }
    .into_any()
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let flash = page_flash();
    view! {
        <PageHead title="Check your e-mail" description="Verify your e-mail address to finish signing up." path="/signup/check-email" />
        <main class="page narrow">
            <section class="panel">
                <h1>"Check your e-mail"</h1>
                {with_flash(flash, |flash| {
                    // The address comes from the sign-up, kept in the session; never from the URL.
                    let to = match flash.field("email") {
                        e if e.is_empty() => "your address".to_owned(),
                        e => e,
                    };
                    view! { <p>{format!("We sent a verification link to {to}. Open it to finish signing up, then log in.")}</p> }.into_any()
                })}
                <p class="note">"No mail? Look in your spam folder, or ask for a new link on the log-in page."</p>
            </section>
        </main>
    }
}
