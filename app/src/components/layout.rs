//! The header (brand, search, and who is logged in) and footer on every page: server components
//! (log-out is a plain form post).

use crate::api::auth::{Logout, Viewer};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// Who is logged in: the server loads it before rendering (see `ssr::auth::CurrentViewer`), so
/// the header never waits and never races the page's data.
fn current_viewer() -> Option<Viewer> {
    #[cfg(feature = "ssr")]
    {
        use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<crate::ssr::auth::CurrentViewer>().cloned())
            .and_then(|v| v.0)
    }
    #[cfg(not(feature = "ssr"))]
    None
}

#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = current_viewer();
    view! {
        <header class="site-header">
            <a class="brand" href="/">"BZPEER"</a>
            <form class="header-search" action="/search" method="get" role="search">
                <label class="visually-hidden" for="header-q">"Search researchers and works"</label>
                <input id="header-q" type="search" name="q" placeholder="Search researchers and works" maxlength="200" />
                <button type="submit">"Search"</button>
            </form>
            <nav class="account" aria-label="Account">
                {match viewer {
                    Some(v) => view! {
                        <span class="who">{v.display_name}</span>
                        <a href="/me/inbox">{if v.unread > 0 { format!("Inbox ({})", v.unread) } else { "Inbox".to_owned() }}</a>
                        <a href="/me/following">"Following"</a>
                        <a href="/me/settings">"Settings"</a>
                        <form method="post" action=Logout::url() class="inline">
                            <button type="submit" class="link-button">"Log out"</button>
                        </form>
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
