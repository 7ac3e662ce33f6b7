//! The 404 page, for unknown paths and unknown records alike (status 404, never 500).

use crate::components::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::ssr::set_status(404);
    view! { <NotFoundBody what="this page".to_owned() /> }
}

#[component]
pub fn NotFoundBody(what: String) -> impl IntoView {
    let path = leptos_router::hooks::use_location().pathname.get_untracked();
    view! {
        <PageHead title="Not found" description="The page you asked for is not here." path=path />
        <main class="page narrow">
            <section class="panel">
                <h1>"Not found"</h1>
                <p>{format!("We could not find {what}. The link may be old, or the record was never imported.")}</p>
                <form action="/search" method="get" role="search">
                    <label for="nf-q">"Search researchers and works"</label>
                    <input id="nf-q" type="search" name="q" maxlength="200" />
                    <button type="submit">"Search"</button>
                </form>
            </section>
        </main>
    }
}
