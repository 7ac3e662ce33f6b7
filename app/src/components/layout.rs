//! The header (brand, search, and who is logged in) and footer on every page.

use crate::api::auth::{Logout, Viewer};
use crate::components::forms::go_to;
use leptos::prelude::*;

/// Who is logged in. The server loads it before rendering (see `ssr::auth::CurrentViewer`) and
/// writes it into the header's `data-viewer`; the browser reads it back from there when it
/// hydrates. No resource and no Suspense: the header never waits, and never races the page's.
fn current_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::ssr::auth::CurrentViewer>().cloned())
            .and_then(|v| v.0)
    }
    #[cfg(not(feature = "ssr"))]
    {
        document()
            .query_selector("nav.account")
            .ok()
            .flatten()
            .and_then(|nav| nav.get_attribute("data-viewer"))
            .and_then(|json| serde_json::from_str(&json).ok())
    }
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = current_viewer();
    let viewer_json = serde_json::to_string(&viewer).unwrap_or_else(|_| "null".to_owned());
    let logout = ServerAction::<Logout>::new();
    Effect::new(move |_| {
        if let Some(Ok(())) = logout.value().get() {
            go_to("/");
        }
    });
    view! {
        <header class="site-header">
            <a class="brand" href="/">"BZPEER"</a>
            <form class="header-search" action="/search" method="get" role="search">
                <label class="visually-hidden" for="header-q">"Search researchers and works"</label>
                <input id="header-q" type="search" name="q" placeholder="Search researchers and works" maxlength="200" />
                <button type="submit">"Search"</button>
            </form>
            <nav class="account" aria-label="Account" data-viewer=viewer_json>
                {match viewer {
                    Some(v) => view! {
                        <span class="who">{v.display_name}</span>
                        <a href="/me/inbox">{if v.unread > 0 { format!("Inbox ({})", v.unread) } else { "Inbox".to_owned() }}</a>
                        <a href="/me/following">"Following"</a>
                        <ActionForm action=logout attr:class="inline">
                            <button type="submit" class="link-button">"Log out"</button>
                        </ActionForm>
                    }.into_any(),
                    None => view! {
                        <a href="/login">"Log in"</a>
                        <a href="/signup">"Sign up"</a>
                    }.into_any(),
                }}
            </nav>
        </header>
    }
}

#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <p>
                "Records are imported from public metadata (arXiv, OpenAlex). "
                <a href="/about/trust">"How trust is scored"</a>
            </p>
        </footer>
    }
}
