//! The start page: what BZPEER is, a search form that works without JavaScript, researchers to
//! start from, and a plain word when the catalogue holds made-up demo records.

use crate::api::home::{get_overview, Overview, START_TOPIC};
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
            <StartFrom />
        </main>
    }
}

/// Researchers to start from, under the reference profile's topic, and the demo notice.
#[component]
fn StartFrom() -> impl IntoView {
    let overview = Resource::new(|| (), |()| get_overview());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                // The start page never fails for want of this part: without it, the search remains.
                overview.await.ok().map(overview_view)
            })}
        </Suspense>
    }
}

fn overview_view(overview: Overview) -> impl IntoView {
    let demo = overview.made_up_works.map(|works| {
        view! {
            <aside class="demo-notice" aria-label="Demo data">
                <h2>"Demo data"</h2>
                <p>
                    "Besides the reference profile's real works, this catalogue holds "
                    {crate::domain::text::thousands(i64::from(works))}
                    " works by researchers that BZPEER's generator made up to show every page: their names, \
                     institutions, works and identifiers are not real. docs/data.md says how to bring in a real \
                     field from OpenAlex or arXiv."
                </p>
            </aside>
        }
    });
    let start = overview.topic.map(|topic| {
        let leading = overview.leading;
        view! {
            <section class="start-from" aria-labelledby="start-from">
                <h2 id="start-from">"Start from " <a href=topic.href>{topic.name}</a></h2>
                <ul class="plain">
                    <li><a href="/search?q=Mor+Shpigel+Nacson">"Mor Shpigel Nacson"</a> " (the reference profile)"</li>
                    {leading
                        .into_iter()
                        .map(|r| {
                            view! {
                                <li>
                                    <a href=format!("/authors/{}", r.slug)>{r.name}</a>
                                    {format!(" ({} {} in {START_TOPIC})", r.works, if r.works == 1 { "work" } else { "works" })}
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </section>
        }
    });
    view! { {demo} {start} }
}
