//! BZPEER: the module list, the HTML shell and the routed app (rendered by the server only;
//! the browser hydrates the islands inside it).

pub mod api;
pub mod components;
pub mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

pub use bzpeer_core::{domain, error, model};

use components::layout::{SiteFooter, SiteHeader};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::components::{Route, Router, Routes};
use leptos_router::{path, SsrMode};
use pages::{
    about_trust::AboutTrustPage,
    claim::ClaimPage,
    conversation::ConversationPage,
    dev_outbox::DevOutboxPage,
    edit_record::EditRecordPage,
    explore::ExplorePage,
    following::FollowingPage,
    home::HomePage,
    inbox::InboxPage,
    login::{LoginPage, LogoutPage, VerifyEmailPage},
    moderation::{HarvestsPage, ModerationQueuePage, RecordAuditPage},
    not_found::NotFound,
    password_reset::{ForgotPasswordPage, ResetPasswordPage},
    profile::ProfilePage,
    search::SearchPage,
    settings::SettingsPage,
    signup::{CheckEmailPage, SignupPage},
    subject::{InstitutionPage, TopicPage},
    suggestions::{MySuggestionsPage, RecordSuggestionsPage},
    work::WorkPage,
};

/// The `name` of the `<meta>` before the hydration scripts (see `shell`).
pub const ISLAND_SCRIPTS_START: &str = "bzpeer-islands-start";
/// The `name` of the `<meta>` after them.
pub const ISLAND_SCRIPTS_END: &str = "bzpeer-islands-end";

pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <AutoReload options=options.clone() />
                <HashedStylesheet options=options.clone() id="leptos" />
                // Islands only: the server drops what lies between these markers from a page
                // that has no island, so such a page loads no JavaScript and no wasm.
                <meta name=ISLAND_SCRIPTS_START />
                <HydrationScripts options islands=true />
                <meta name=ISLAND_SCRIPTS_END />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The `<title>` text. `leptos_meta` writes it into the server's HTML as given, so it is escaped.
/// (Only the server renders pages: the browser hydrates islands, never the title.)
fn title_text(text: String) -> String {
    domain::html::escape(&domain::html::page_title(&text))
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();

    view! {
        <Title formatter=title_text />
        <Router>
            // The first thing Tab reaches: past the header to the page's own content.
            <a class="skip-link" href="#content">"Skip to content"</a>
            <SiteHeader />
            // Every route renders with SsrMode::Async: the first response holds everything (the
            // header's account state included), so pages are complete without JavaScript.
            <div id="content" tabindex="-1">
            <Routes fallback=NotFound>
                <Route path=path!("") view=HomePage ssr=SsrMode::Async />
                <Route path=path!("/search") view=SearchPage ssr=SsrMode::Async />
                <Route path=path!("/authors/:slug") view=ProfilePage ssr=SsrMode::Async />
                <Route path=path!("/authors/:slug/claim") view=ClaimPage ssr=SsrMode::Async />
                <Route path=path!("/authors/:slug/edit") view=EditRecordPage ssr=SsrMode::Async />
                <Route path=path!("/authors/:slug/suggestions") view=RecordSuggestionsPage ssr=SsrMode::Async />
                <Route path=path!("/moderation/claims") view=ModerationQueuePage ssr=SsrMode::Async />
                <Route path=path!("/moderation/records/:slug") view=RecordAuditPage ssr=SsrMode::Async />
                <Route path=path!("/moderation/harvests") view=HarvestsPage ssr=SsrMode::Async />
                <Route path=path!("/works/:slug") view=WorkPage ssr=SsrMode::Async />
                <Route path=path!("/topics/:slug") view=TopicPage ssr=SsrMode::Async />
                <Route path=path!("/institutions/:slug") view=InstitutionPage ssr=SsrMode::Async />
                <Route path=path!("/explore") view=ExplorePage ssr=SsrMode::Async />
                <Route path=path!("/about/trust") view=AboutTrustPage ssr=SsrMode::Async />
                <Route path=path!("/signup") view=SignupPage ssr=SsrMode::Async />
                <Route path=path!("/signup/check-email") view=CheckEmailPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=LoginPage ssr=SsrMode::Async />
                <Route path=path!("/logout") view=LogoutPage ssr=SsrMode::Async />
                <Route path=path!("/verify-email") view=VerifyEmailPage ssr=SsrMode::Async />
                <Route path=path!("/forgot-password") view=ForgotPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/reset-password") view=ResetPasswordPage ssr=SsrMode::Async />
                <Route path=path!("/me/following") view=FollowingPage ssr=SsrMode::Async />
                <Route path=path!("/me/settings") view=SettingsPage ssr=SsrMode::Async />
                <Route path=path!("/me/suggestions") view=MySuggestionsPage ssr=SsrMode::Async />
                <Route path=path!("/dev/outbox") view=DevOutboxPage ssr=SsrMode::Async />
                <Route path=path!("/me/inbox") view=InboxPage ssr=SsrMode::Async />
                <Route path=path!("/conversations/:id") view=ConversationPage ssr=SsrMode::Async />
            </Routes>
            </div>
            <SiteFooter />
        </Router>
    }
}
