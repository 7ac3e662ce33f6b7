//! `/login` and `/logout`, and `/verify-email` (the link in the verification mail leads to a
//! form asking for the sign-up's password, so neither a mail scanner that follows links nor the
//! owner of an address someone else signed up with can verify that sign-up).

use crate::api::auth::{Login, Logout, ResendVerification, VerifyEmail};
use crate::components::forms::{form_error, go_to, FormMessage};
use crate::components::head::PageHead;
use crate::domain::account::{encode_query_value, ReturnPath};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let next = ReturnPath::parse_or_home(query.with_untracked(|q| q.get("next")).as_deref()).as_str().to_owned();
    let action = ServerAction::<Login>::new();
    let resend = ServerAction::<ResendVerification>::new();
    let from_url = Memo::new(move |_| query.read().get("error"));
    let error = form_error(move || action.value().get().map(|r| r.map(|_| ())), from_url);
    Effect::new(move |_| {
        if let Some(Ok(next)) = action.value().get() {
            go_to(&next);
        }
    });
    let notice = move || {
        let q = query.read();
        if q.get("verified").is_some() {
            Some("Your e-mail address is verified. Log in to continue.")
        } else if q.get("resent").is_some() || matches!(resend.value().get(), Some(Ok(()))) {
            Some("If that address has an unverified account, a new link is on its way.")
        } else {
            None
        }
    };
    let signup = format!("/signup?next={}", encode_query_value(&next));
    view! {
        <PageHead title="Log in" description="Log in to BZPEER." path="/login" />
        <main class="page narrow">
            <section class="panel form-panel">
                <h1>"Log in"</h1>
                {move || notice().map(|n| view! { <p class="notice" role="status">{n}</p> })}
                <FormMessage message=error />
                <ActionForm action=action>
                    <input type="hidden" name="next" value=next.clone() />
                    <label for="login-email">"E-mail address"</label>
                    <input id="login-email" name="email" type="email" required autocomplete="email" value=field("email") />
                    <label for="login-password">"Password"</label>
                    <input id="login-password" name="password" type="password" required autocomplete="current-password" />
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Logging in…" } else { "Log in" }}
                    </button>
                </ActionForm>
                <p>
                    <a href="/forgot-password">"Forgot your password?"</a>
                </p>
                <p>"New here? " <a href=signup>"Create an account"</a></p>
                <details>
                    <summary>"Lost the verification mail?"</summary>
                    <ActionForm action=resend>
                        <label for="resend-email">"E-mail address to verify"</label>
                        <input id="resend-email" name="email" type="email" required value=field("email") />
                        <button type="submit" class="button secondary">"Send a new link"</button>
                    </ActionForm>
                </details>
            </section>
        </main>
    }
}

#[component]
pub fn LogoutPage() -> impl IntoView {
    let action = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            go_to("/");
        }
    });
    view! {
        <PageHead title="Log out" description="Log out of BZPEER." path="/logout" />
        <main class="page narrow">
            <section class="panel">
                <h1>"Log out"</h1>
                <ActionForm action=action>
                    <button type="submit" class="button">"Log out"</button>
                </ActionForm>
            </section>
        </main>
    }
}

#[component]
pub fn VerifyEmailPage() -> impl IntoView {
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let action = ServerAction::<VerifyEmail>::new();
    let from_url = Memo::new(move |_| query.read().get("error"));
    let error = form_error(move || action.value().get().map(|r| r.map(|_| ())), from_url);
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            go_to("/login?verified=1");
        }
    });
    view! {
        <PageHead title="Verify your e-mail address" description="Confirm your e-mail address for BZPEER." path="/verify-email" />
        <main class="page narrow">
            <section class="panel">
                <h1>"Verify your e-mail address"</h1>
                <FormMessage message=error />
                <ActionForm action=action>
                    <input type="hidden" name="token" value=token />
                    // The link alone is not enough: whoever reads the mail must also know the
                    // sign-up's password, so nobody verifies an account someone else opened.
                    <label for="verify-password">"The password you chose when you signed up"</label>
                    <input id="verify-password" name="password" type="password" required autocomplete="current-password" />
                    <button type="submit" class="button">"Verify my address"</button>
                </ActionForm>
                <p class="note">"Did not sign up? Ignore the mail: without the password the link does nothing."</p>
            </section>
        </main>
    }
}
