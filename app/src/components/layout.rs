//! The header (brand and search) and footer on every page.

use leptos::prelude::*;

#[component]
pub fn SiteHeader() -> impl IntoView {
    view! {
        <header class="site-header">
            <a class="brand" href="/">"BZPEER"</a>
            <form class="header-search" action="/search" method="get" role="search">
                <label class="visually-hidden" for="header-q">"Search researchers and works"</label>
                <input id="header-q" type="search" name="q" placeholder="Search researchers and works" maxlength="200" />
                <button type="submit">"Search"</button>
            </form>
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
