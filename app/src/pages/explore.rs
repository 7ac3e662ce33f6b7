//! The full explorer at `/explore?focus=<key>&expand=<keys>&q=<search>`: a page-sized graph around
//! a researcher, work, topic or institution. Expanding a node adds its neighbours and extends the
//! address, so a view can be shared; a search adds any researcher or work. Every expansion is a
//! page load; with JavaScript the canvas keeps the positions it had (see `graph::canvas`), so
//! the picture grows in place. Without JavaScript the same address renders the SVG, where
//! expanding is a link.

use crate::api::graph::{explore, Exploration};
use crate::components::graph::{GraphMode, GraphView, NeighbourList};
use crate::components::head::PageHead;
use crate::domain::graph::explorer_href;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn ExplorePage() -> impl IntoView {
    let query = use_query_map();
    let args = move || {
        let q = query.read();
        (q.get("focus").unwrap_or_default(), q.get("expand"), q.get("q"))
    };
    let data = Resource::new(args, |(focus, expand, q)| async move {
        if focus.trim().is_empty() {
            None
        } else {
            Some(explore(focus, expand, q).await)
        }
    });
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    None => view! {
                        <PageHead title="Explorer" description="Explore a researcher's neighbourhood." path="/explore" />
                        <main class="page narrow"><h1>"Explorer"</h1><p>"Open the explorer from a researcher's profile or a work, or "<a href="/">"search for one"</a>"."</p></main>
                    }.into_any(),
                    Some(Ok(data)) => view! { <ExploreView data=data /> }.into_any(),
                    Some(Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ExploreView(data: Exploration) -> AnyView {
    let Exploration { focus, slice, query, additions } = data;
    let focus_node = slice.focus().cloned();
    let focus_label = focus_node.as_ref().map(|n| n.label.clone()).unwrap_or_default();
    let focus_href = focus_node.as_ref().map(|n| n.href.clone()).unwrap_or_default();
    let path = explorer_href(&focus, &slice.expanded);
    let expanded_labels: Vec<(String, String)> = slice
        .expanded
        .iter()
        .filter_map(|k| slice.nodes.iter().find(|n| &n.key == k).map(|n| (n.label.clone(), n.href.clone())))
        .collect();
    let expand_value = slice.expanded.join(",");
    let results = query.clone().map(|q| {
        let empty = additions.is_empty();
        let items: Vec<AnyView> = additions
            .into_iter()
            .map(|a| {
                let mut more = slice.expanded.clone();
                if a.key != focus && !more.contains(&a.key) {
                    more.push(a.key.clone());
                }
                let href = explorer_href(&focus, &more);
                view! {
                    <li>
                        <span class=format!("swatch {}", a.kind.class()) aria-hidden="true"></span>
                        {a.label.clone()}<span class="muted">{format!(" · {} · {}", a.kind.noun(), a.detail)}</span>" "
                        <a href=href aria-label=format!("Add {} to the graph", a.label)>"Add to graph"</a>
                    </li>
                }
                .into_any()
            })
            .collect();
        view! {
            <section class="explore-results" aria-label="Nodes to add">
                <p>{format!("Found for “{q}”:")}</p>
                {empty.then(|| view! { <p class="muted">"Nothing found; try another name or title."</p> })}
                <ul>{items}</ul>
            </section>
        }
    });
    let name = format!("Research graph around {focus_label}");
    let mode = GraphMode::Explorer { focus: focus.clone() };
    view! {
        <PageHead title=format!("Explore around {focus_label}") description=format!("People, works, topics and institutions around {focus_label}.") path=path.clone() />
        <main class="page explore">
            <div class="explore-head">
                <div>
                    <p><a href=focus_href>{format!("← {focus_label}")}</a></p>
                    <h1>{format!("Around {focus_label}")}</h1>
                    {(!expanded_labels.is_empty()).then(|| view! {
                        <p class="muted">"Expanded: "
                            {expanded_labels.into_iter().map(|(label, href)| view! { <a href=href>{label}</a>" " }).collect_view()}
                            <a href=explorer_href(&focus, &[])>"(start over)"</a>
                        </p>
                    })}
                    <p class="muted">"Share this view: "<a href=path.clone()>"link to this graph"</a></p>
                </div>
                <form method="get" action="/explore" class="explore-search">
                    <input type="hidden" name="focus" value=focus.clone() />
                    <input type="hidden" name="expand" value=expand_value />
                    <label for="explore-q">"Add a node to the graph"</label>
                    <input id="explore-q" type="search" name="q" maxlength="200" placeholder="A researcher or a work" value=query.unwrap_or_default() />
                    <button type="submit">"Search"</button>
                </form>
            </div>
            {results}
            <GraphView slice=slice.clone() mode=mode.clone() name=name />
            <NeighbourList slice=slice mode=mode />
        </main>
    }
    .into_any()
}
