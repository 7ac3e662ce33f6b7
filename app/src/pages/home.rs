//! The start page: what BZPEER is, and a search form that works without JavaScript.

use crate::components::head::PageHead;
use leptos::prelude::*;

#[component]
pub fn HomePage() -> impl IntoView {
    view! {
        <PageHead
            title=""
            description="Look up a researcher, judge at a glance how far to trust the record, and see their work in context."
            path="/"
        />
        <main class="page narrow home">
            <h1>"Find a researcher"</h1>
            <p class="lead">
                "Look up a researcher, see at a glance how far to trust the record, and follow their work."
            </p>
            <form class="big-search" action="/search" method="get" role="search">
                <label for="home-q">"Name or words of a title"</label>
                <div class="row">
                    <input id="home-q" type="search" name="q" required maxlength="200" placeholder="e.g. Mor Shpigel Nacson" />
                    <button type="submit">"Search"</button>
                </div>
            </form>
            <p class="hint">
                "Try "
                <a href="/search?q=Mor+Shpigel+Nacson">"Mor Shpigel Nacson"</a>
                ", "
                <a href="/search?q=gradient+descent">"gradient descent"</a>
                " or "
                <a href="/search?q=deep+learning">"deep learning"</a>
                "."
            </p>
        </main>
    }
}
