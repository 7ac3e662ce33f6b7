//! `/signup` and `/signup/check-email`: create an account, then verify the address by mail.

use crate::api::auth::Signup;
use crate::components::forms::{form_error, go_to, FormMessage};
use crate::components::head::PageHead;
use crate::domain::account::{
    encode_query_value, ReturnPath, MAX_DISPLAY_NAME_CHARS, MAX_PASSWORD_CHARS, MIN_PASSWORD_CHARS,
};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SignupPage() -> impl IntoView {
    let query = use_query_map();
    let field = move |name: &'static str| query.with_untracked(|q| q.get(name).unwrap_or_default());
    let next = ReturnPath::parse_or_home(query.with_untracked(|q| q.get("next")).as_deref()).as_str().to_owned();
    let action = ServerAction::<Signup>::new();
    let from_url = Memo::new(move |_| query.read().get("error"));
    let error = form_error(move || action.value().get().map(|r| r.map(|_| ())), from_url);
    let email_input = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = action.value().get() {
            let email = email_input.get().map(|i| i.value()).unwrap_or_default();
            go_to(&format!("/signup/check-email?email={}", encode_query_value(&email)));
        }
    });
    let login = format!("/login?next={}", encode_query_value(&next));
    view! {
        <PageHead title="Sign up" description="Create a BZPEER account to follow researchers." path="/signup" />
        <main class="page narrow">
            <section class="panel form-panel">
                <h1>"Create your account"</h1>
                <FormMessage message=error />
                <ActionForm action=action>
                    <input type="hidden" name="next" value=next.clone() />
                    <label for="signup-name">"Display name"</label>
                    <input id="signup-name" name="display_name" type="text" required autocomplete="name"
                        maxlength=MAX_DISPLAY_NAME_CHARS.to_string() value=field("display_name") />
                    <label for="signup-email">"E-mail address"</label>
                    <input id="signup-email" name="email" type="email" required autocomplete="email" node_ref=email_input value=field("email") />
                    <label for="signup-password">"Password"</label>
                    <input id="signup-password" name="password" type="password" required autocomplete="new-password"
                        minlength=MIN_PASSWORD_CHARS.to_string() maxlength=MAX_PASSWORD_CHARS.to_string()
                        aria-describedby="password-hint" />
                    <p id="password-hint" class="note">{format!("{MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters.")}</p>
                    <button type="submit" class="button" disabled=move || action.pending().get()>
                        {move || if action.pending().get() { "Creating your account…" } else { "Sign up" }}
                    </button>
                </ActionForm>
                <p>"Already have an account? " <a href=login>"Log in"</a></p>
            </section>
        </main>
    }
}

#[component]
pub fn CheckEmailPage() -> impl IntoView {
    let query = use_query_map();
    let email = query.with_untracked(|q| q.get("email")).unwrap_or_default();
    view! {
        <PageHead title="Check your e-mail" description="Verify your e-mail address to finish signing up." path="/signup/check-email" />
        <main class="page narrow">
            <section class="panel">
                <h1>"Check your e-mail"</h1>
                <p>{format!("We sent a verification link to {email}. Open it to finish signing up, then log in.")}</p>
                <p class="note">"No mail? Look in your spam folder, or ask for a new link on the log-in page."</p>
            </section>
        </main>
    }
}
