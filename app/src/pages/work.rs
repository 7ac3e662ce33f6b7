//! The work page at `/works/<slug>`: title, chips, abstract, authors in order, topics.

use crate::api::works::{cited_by, get_work, Work, WorkPage as CitingPage};
use crate::components::graph::{GraphMode, GraphView, NeighbourList};
use crate::components::head::PageHead;
use crate::domain::graph::GraphSlice;
use crate::domain::meta::OgKind;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_meta::Meta;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn WorkPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let work = Resource::new(move || params.read().get("slug").unwrap_or_default(), get_work);
    let cited = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), query.read().get("cited_after")),
        |(slug, after)| cited_by(slug, after),
    );
    view! {
        <Suspense fallback=|| view! { <main class="page"><p class="loading">"Loading this work…"</p></main> }>
            {move || Suspend::new(async move {
                match (work.await, cited.await) {
                    (Ok(w), Ok(c)) => view! { <WorkView work=w cited=c /> }.into_any(),
                    (Err(e), _) | (_, Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn WorkView(work: Work, cited: CitingPage) -> AnyView {
    let path = format!("/works/{}", work.summary.slug);
    let citations = crate::components::citations::citations_panel(&work, cited, &path);
    let cite = crate::components::citations::cite_panel(&work.cite, &work.summary.slug);
    let byline: Vec<String> = work.authors.iter().take(3).map(|a| a.name.clone()).collect();
    let description = match work.summary.year {
        Some(y) => format!("{} ({y}) by {}", work.summary.title, byline.join(", ")),
        None => format!("{} by {}", work.summary.title, byline.join(", ")),
    };
    let open_access = match work.is_open_access {
        Some(true) => Some("Open access"),
        Some(false) => Some("Closed access"),
        None => None,
    };
    // The record as search engines and scholar indexes read it, built where the page renders.
    #[cfg(feature = "ssr")]
    let (structured, scholar) = formats::markup::work_markup(&work, &crate::components::head::origin());
    #[cfg(not(feature = "ssr"))]
    let (structured, scholar): (serde_json::Value, Vec<(&str, String)>) = (serde_json::Value::Null, Vec::new());
    view! {
        <PageHead title=work.summary.title.clone() description=description path=path kind=OgKind::Article structured=structured />
        {scholar.into_iter().map(|(name, content)| view! { <Meta name=name content=content /> }).collect_view()}
        <main class="page narrow work">
            <article class="panel">
                <p class="eyebrow">"Work"</p>
                <h1>{work.summary.title.clone()}</h1>
                <ul class="chips" aria-label="Work details">
                    <li class="chip">{work.summary.work_type.clone()}</li>
                    {work.summary.year.map(|y| view! { <li class="chip">{y}</li> })}
                    {work.summary.venue.clone().map(|v| view! { <li class="chip">{v}</li> })}
                    {open_access.map(|o| view! { <li class="chip">{o}</li> })}
                </ul>
                {cite}
                <h2>"Abstract"</h2>
                {match work.summary.abstract_text.clone() {
                    Some(a) => view! { <p class="abstract">{a}</p> }.into_any(),
                    None => view! { <p class="muted">"No abstract was imported for this work."</p> }.into_any(),
                }}
                <h2>{format!("Authors ({})", work.authors.len())}</h2>
                <ol class="byline" aria-label="Authors in byline order">
                    {work
                        .authors
                        .into_iter()
                        .map(|a| {
                            let institutions = (!a.institutions.is_empty()).then(|| format!(" · {}", a.institutions.join("; ")));
                            view! {
                                <li>
                                    <a href=format!("/authors/{}", a.slug)>{a.name}</a>
                                    <span class="muted">{institutions}</span>
                                </li>
                            }
                        })
                        .collect_view()}
                </ol>
                <h2>"Topics"</h2>
                {if work.topics.is_empty() {
                    view! { <p class="muted">"No topics imported."</p> }.into_any()
                } else {
                    view! {
                        <ul class="chips" aria-label="Topics">
                            {work.topics.into_iter().map(|t| view! { <li class="chip"><a href=t.href>{t.name}</a></li> }).collect_view()}
                        </ul>
                    }.into_any()
                }}
                <h2>"Identifiers"</h2>
                <ul class="identifiers">
                    {work.doi.map(|d| view! { <li>"DOI " <a href=format!("https://doi.org/{d}") rel="external">{d.clone()}</a></li> })}
                    {work.arxiv_id.map(|a| view! { <li>"arXiv " <a href=format!("https://arxiv.org/abs/{a}") rel="external">{a.clone()}</a></li> })}
                    {work.openalex_id.map(|o| view! { <li>{crate::components::identifiers::openalex_id(o)}</li> })}
                </ul>
            </article>
            {citations}
            {research_map(work.summary.slug.clone(), work.summary.title.clone(), work.graph)}
        </main>
    }
    .into_any()
}

/// The work in context: its authors, their other works, topics and institutions.
fn research_map(slug: String, title: String, graph: GraphSlice) -> AnyView {
    let explore = format!("/explore?focus=w:{slug}");
    view! {
        <section class="panel" aria-labelledby="map-heading">
            <div class="section-head">
                <div>
                    <h2 id="map-heading">"Research map"</h2>
                    <p class="sub">"Authors, their nearby work, topics and institutions"</p>
                </div>
                <a class="button secondary" href=explore>"Open full explorer"</a>
            </div>
            <GraphView slice=graph.clone() mode=GraphMode::Inline name=format!("Research map around {title}") />
            <NeighbourList slice=graph mode=GraphMode::Inline />
        </section>
    }
    .into_any()
}
