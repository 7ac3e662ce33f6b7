//! The header (brand, search, and who is logged in) and footer on every page.

use crate::api::auth::{me, Logout};
use crate::components::forms::go_to;
use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    let viewer = Resource::new(|| (), |_| me());
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
            <nav class="account" aria-label="Account">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match viewer.await {
                            Ok(Some(v)) => view! {
                                <span class="who">{v.display_name}</span>
                                <a href="/me/following">"Following"</a>
                                <ActionForm action=logout attr:class="inline">
                                    <button type="submit" class="link-button">"Log out"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => view! {
                                <a href="/login">"Log in"</a>
                                <a href="/signup">"Sign up"</a>
                            }.into_any(),
                        }
                    })}
                </Suspense>
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
