//! Topic pages at `/topics/<slug>` and institution pages at `/institutions/<slug>`: the subject's
//! place in its hierarchy, counts, works (newest or most cited first), leading researchers,
//! related topics and the research graph around it, all in the first response.

use crate::api::subjects::{get_subject, Subject};
use crate::components::graph::{GraphMode, GraphView, NeighbourList};
use crate::components::head::PageHead;
use crate::components::work_card::sorted_works;
use crate::domain::bio::source_label;
use crate::model::subjects::SubjectKind;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn TopicPage() -> impl IntoView {
    view! { <SubjectPage kind=SubjectKind::Topic /> }
}

#[component]
pub fn InstitutionPage() -> impl IntoView {
    view! { <SubjectPage kind=SubjectKind::Institution /> }
}

#[component]
fn SubjectPage(kind: SubjectKind) -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let subject = Resource::new(
        move || (params.read().get("slug").unwrap_or_default(), query.read().get("after"), query.read().get("sort")),
        move |(slug, after, sort)| get_subject(kind, slug, after, sort),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match subject.await {
                    Ok(s) => subject_view(s),
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn plural(n: i64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

fn subject_view(subject: Subject) -> AnyView {
    let counts = &subject.counts;
    let years = match (counts.first_year, counts.last_year) {
        (Some(a), Some(b)) if a != b => format!(", {a}–{b}"),
        (Some(a), _) => format!(", {a}"),
        _ => String::new(),
    };
    let summary = format!(
        "{}, {}{}",
        plural(counts.works, "work", "works"),
        plural(counts.researchers, "researcher", "researchers"),
        years
    );
    let description = format!("{} {}: {summary}.", subject.kind.label(), subject.name);
    view! {
        <PageHead title=subject.name.clone() description=description path=subject.path.clone() />
        <main class="page subject">
            {head(&subject, summary)}
            <div class="profile-grid">
                {leading(&subject)}
                {related(&subject)}
            </div>
            {graph(&subject)}
            {works(&subject)}
        </main>
    }
    .into_any()
}

fn head(subject: &Subject, summary: String) -> AnyView {
    let source = match subject.kind {
        SubjectKind::Topic => format!("{} topic", source_label(&subject.source)),
        SubjectKind::Institution => "Institution".to_owned(),
    };
    let hierarchy = (!subject.hierarchy.is_empty()).then(|| {
        view! {
            <nav class="hierarchy" aria-label="Where this topic sits">
                <ol>
                    {subject.hierarchy.iter().map(|h| view! { <li>{h.clone()}</li> }).collect_view()}
                    <li aria-current="page">{subject.name.clone()}</li>
                </ol>
            </nav>
        }
    });
    let facts = subject.institution.clone().map(|i| {
        view! {
            <ul class="chips" aria-label="About this institution">
                {i.kind.map(|k| view! { <li class="chip">{k}</li> })}
                {i.country_code.map(|c| view! { <li class="chip">{format!("Country {c}")}</li> })}
            </ul>
            <p class="identifiers muted">
                {i.ror.map(|r| view! { "ROR " <a href=format!("https://ror.org/{r}") rel="external">{r.clone()}</a> })}
                {i.openalex_id.map(|o| view! { " · " {crate::components::identifiers::openalex_id(o)} })}
                {i.homepage_url.map(|h| view! { " · " <a href=h rel="nofollow noopener external">"Homepage"</a> })}
            </p>
        }
    });
    let feed = (subject.kind == SubjectKind::Topic).then(|| format!("{}/feed.atom", subject.path));
    view! {
        <header class="profile-head panel">
            <p class="eyebrow">{source}</p>
            {hierarchy}
            <h1>{subject.name.clone()}</h1>
            <p class="bio">{summary}</p>
            {facts}
            <ul class="stats" aria-label="Counts">
                <li class="stat"><strong data-stat="works">{subject.counts.works}</strong><span>"works"</span></li>
                <li class="stat"><strong data-stat="researchers">{subject.counts.researchers}</strong><span>"researchers"</span></li>
                <li class="stat"><strong data-stat="citations">{subject.counts.citations}</strong><span>"citations"</span></li>
            </ul>
            {feed.map(|href| view! { <p class="more"><a href=href type="application/atom+xml">"New works as a feed (Atom)"</a></p> })}
        </header>
    }
    .into_any()
}

fn leading(subject: &Subject) -> AnyView {
    view! {
        <section class="panel" aria-labelledby="leading-heading">
            <h2 id="leading-heading">"Researchers with most works here"</h2>
            {if subject.leading.is_empty() {
                view! { <p class="muted">"No researchers yet."</p> }.into_any()
            } else {
                view! {
                    <ol class="people">
                        {subject.leading.iter().map(|p| view! {
                            <li>
                                <a href=format!("/authors/{}", p.slug)>{p.name.clone()}</a>
                                <span class="muted">{format!(" · {}", plural(i64::from(p.works), "work", "works"))}</span>
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

fn related(subject: &Subject) -> AnyView {
    let heading = match subject.kind {
        SubjectKind::Topic => "Related topics",
        SubjectKind::Institution => "Main topics",
    };
    view! {
        <section class="panel" aria-labelledby="related-heading">
            <h2 id="related-heading">{heading}</h2>
            {if subject.related.is_empty() {
                view! { <p class="muted">"None yet."</p> }.into_any()
            } else {
                view! {
                    <ul class="chips" aria-label=heading>
                        {subject.related.iter().map(|t| view! {
                            <li class="chip"><a href=t.href.clone()>{t.name.clone()}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
    .into_any()
}

fn graph(subject: &Subject) -> AnyView {
    let prefix = match subject.kind {
        SubjectKind::Topic => "t",
        SubjectKind::Institution => "i",
    };
    let explore = format!("/explore?focus={prefix}:{}", subject.id);
    let name = format!("Research graph around {}", subject.name);
    view! {
        <section class="panel" aria-labelledby="graph-heading">
            <div class="section-head">
                <div>
                    <h2 id="graph-heading">"Research graph"</h2>
                    <p class="sub">"Works, researchers and neighbouring subjects"</p>
                </div>
                <a class="button secondary" href=explore>"Open full explorer"</a>
            </div>
            <GraphView slice=subject.graph.clone() mode=GraphMode::Inline name=name />
            <NeighbourList slice=subject.graph.clone() mode=GraphMode::Inline />
        </section>
    }
    .into_any()
}

fn works(subject: &Subject) -> AnyView {
    let heading = if subject.most_cited_first { "Most cited works" } else { "Newest works" };
    sorted_works(
        &subject.path,
        heading.to_owned(),
        subject.works.clone(),
        subject.most_cited_first,
        false,
        ().into_any(),
    )
}
