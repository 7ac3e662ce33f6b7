//! Search at `/search?q=&kind=&from=&to=&type=&oa=&topic=&sort=&page=`: researchers, works,
//! topics and institutions, with filters for works and counts per kind and facet. A plain GET
//! form, so every search is an address to share, and it works without JavaScript.

use crate::api::search::{search, SearchKind, SearchParams, SearchQuery, SearchRequest, SearchResults, SearchSort};
use crate::components::head::PageHead;
use crate::domain::bio::source_label;
use crate::domain::search::YEARS;
use crate::model::subjects::SubjectLink;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Work types offered in the filter whether or not the results hold them.
const COMMON_TYPES: [&str; 6] = ["article", "preprint", "book-chapter", "book", "dataset", "review"];

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let params = move || {
        let map = query.read();
        SearchParams {
            q: map.get("q"),
            kind: map.get("kind"),
            page: map.get("page"),
            from: map.get("from"),
            to: map.get("to"),
            work_type: map.get("type"),
            oa: map.get("oa"),
            topic: map.get("topic"),
            sort: map.get("sort"),
        }
    };
    let results = Resource::new(params, |p| async move {
        if p.has_query() {
            let SearchParams { q, kind, page, from, to, work_type, oa, topic, sort } = p;
            Some(search(q, kind, page, from, to, work_type, oa, topic, sort).await)
        } else {
            None
        }
    });
    view! {
        <main class="page search">
            {search_form(params())}
            <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        None => view! {
                            <PageHead title="Search" description="Search researchers, works, topics and institutions." path="/search" />
                            <p class="muted">"Type a name, some words of a title, a topic or an institution."</p>
                        }.into_any(),
                        Some(Ok(r)) => results_view(r),
                        Some(Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

/// The form, filled in from the address as given (each value shown back as text).
fn search_form(p: SearchParams) -> AnyView {
    let value = |v: &Option<String>| crate::domain::text::clean(v.as_deref().unwrap_or_default()).into_owned();
    let kind = p.kind.clone().unwrap_or_default();
    let sort = p.sort.clone().unwrap_or_default();
    let work_type = p.work_type.clone().unwrap_or_default();
    let open_access = matches!(p.oa.as_deref(), Some("1" | "true" | "on"));
    let topic = p.topic.clone().filter(|t| !t.is_empty());
    let mut types: Vec<String> = COMMON_TYPES.iter().map(|t| (*t).to_owned()).collect();
    if !work_type.is_empty() && !types.contains(&work_type) {
        types.push(work_type.clone());
    }
    view! {
        <form class="big-search" action="/search" method="get" role="search" aria-label="Search with filters">
            <label for="search-q">"Name, title words, topic or institution"</label>
            <div class="row">
                <input id="search-q" type="search" name="q" maxlength="200" value=value(&p.q) />
                <button type="submit">"Search"</button>
            </div>
            <div class="filters">
                <label>
                    "Search in "
                    <select name="kind">
                        {SearchKind::ALL.iter().map(|k| {
                            let selected = kind == k.as_str() || (kind.is_empty() && *k == SearchKind::All);
                            view! { <option value=k.as_str() selected=selected>{k.label()}</option> }
                        }).collect_view()}
                    </select>
                </label>
                <fieldset>
                    <legend>"Works"</legend>
                    <label>"From year " <input type="number" name="from" min=*YEARS.start() max=*YEARS.end() inputmode="numeric" value=value(&p.from) /></label>
                    <label>"To year " <input type="number" name="to" min=*YEARS.start() max=*YEARS.end() inputmode="numeric" value=value(&p.to) /></label>
                    <label>
                        "Type "
                        <select name="type">
                            <option value="" selected=work_type.is_empty()>"Any type"</option>
                            {types.into_iter().map(|t| {
                                let selected = t == work_type;
                                view! { <option value=t.clone() selected=selected>{t.clone()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                    <label><input type="checkbox" name="oa" value="1" checked=open_access />" Open access only"</label>
                    {topic.map(|t| view! { <input type="hidden" name="topic" value=t /> })}
                    <label>
                        "Sort by "
                        <select name="sort">
                            {SearchSort::ALL.iter().map(|s| {
                                let selected = sort == s.as_str() || (sort.is_empty() && *s == SearchSort::Relevance);
                                view! { <option value=s.as_str() selected=selected>{s.label()}</option> }
                            }).collect_view()}
                        </select>
                    </label>
                </fieldset>
            </div>
        </form>
    }
    .into_any()
}

fn results_view(results: SearchResults) -> AnyView {
    let Ok(query) = SearchQuery::parse(&results.query) else {
        return ().into_any();
    };
    let request = SearchRequest {
        query,
        kind: results.kind,
        page: results.page,
        filters: results.filters.clone(),
        sort: results.sort,
    };
    let title = format!("“{}”", results.query);
    let nothing = results.people.is_empty()
        && results.works.is_empty()
        && results.topics.is_empty()
        && results.institutions.is_empty();
    view! {
        <PageHead title=format!("Search {title}") description=format!("Researchers, works, topics and institutions matching {title}.") path=request.href() />
        <h1>{format!("Results for {title}")}</h1>
        {kind_tabs(&request, &results)}
        <div class="search-layout">
            {facets_panel(&request, &results)}
            <div class="search-results">
                {nothing.then(|| view! { <p>"Nothing matched. Try fewer words, a surname alone, or fewer filters."</p> })}
                {people_section(&request, &results)}
                {subject_section(&request, &results, SearchKind::Topics)}
                {subject_section(&request, &results, SearchKind::Institutions)}
                {works_section(&results)}
                {pager(&request, &results)}
            </div>
        </div>
    }
    .into_any()
}

fn kind_tabs(request: &SearchRequest, results: &SearchResults) -> AnyView {
    let f = &results.facets;
    let tabs = [
        (SearchKind::All, None),
        (SearchKind::People, Some(f.people)),
        (SearchKind::Works, Some(f.works)),
        (SearchKind::Topics, Some(f.topics)),
        (SearchKind::Institutions, Some(f.institutions)),
    ];
    view! {
        <nav class="tabs" aria-label="Result kinds">
            <ul>
                {tabs.into_iter().map(|(kind, tally)| {
                    let label = match tally {
                        Some(t) => format!("{} ({})", kind.label(), t.label()),
                        None => kind.label().to_owned(),
                    };
                    let current = (kind == request.kind).then_some("page");
                    view! { <li><a href=request.with(|r| r.kind = kind) aria-current=current>{label}</a></li> }
                }).collect_view()}
            </ul>
        </nav>
    }
    .into_any()
}

/// Counts among the works found, each a link that narrows the search to it (or widens it again).
fn facets_panel(request: &SearchRequest, results: &SearchResults) -> AnyView {
    if matches!(request.kind, SearchKind::People | SearchKind::Topics | SearchKind::Institutions) {
        return ().into_any();
    }
    let f = &results.facets;
    let filters = &request.filters;
    let topic_filter = results.topic_name.clone().map(|name| {
        let remove = request.with(|r| r.filters.topic = None);
        view! { <p class="active-filter">"Topic: " <strong>{name}</strong> " · " <a href=remove>"Any topic"</a></p> }
    });
    view! {
        <aside class="facets panel" aria-label="Narrow the works">
            <h2>"Narrow the works"</h2>
            {topic_filter}
            <h3 class="minor">"Type"</h3>
            <ul>
                {filters.work_type.is_some().then(|| view! { <li><a href=request.with(|r| r.filters.work_type = None)>"Any type"</a></li> })}
                {f.work_types.iter().map(|(t, n)| {
                    let href = request.with(|r| r.filters.work_type = Some(t.clone()));
                    let current = (filters.work_type.as_deref() == Some(t.as_str())).then_some("true");
                    view! { <li><a href=href aria-current=current>{format!("{t} ({n})")}</a></li> }
                }).collect_view()}
            </ul>
            <h3 class="minor">"Access"</h3>
            <ul>
                {if filters.open_access {
                    view! { <li><a href=request.with(|r| r.filters.open_access = false)>"Any access"</a></li> }.into_any()
                } else {
                    view! { <li><a href=request.with(|r| r.filters.open_access = true)>{format!("Open access ({})", f.open_access)}</a></li> }.into_any()
                }}
            </ul>
            <h3 class="minor">"Topics"</h3>
            <ul>
                {f.work_topics.iter().map(|(id, name, n)| {
                    let id = *id;
                    view! { <li><a href=request.with(|r| r.filters.topic = Some(id))>{format!("{name} ({n})")}</a></li> }
                }).collect_view()}
            </ul>
        </aside>
    }
    .into_any()
}

fn people_section(request: &SearchRequest, results: &SearchResults) -> Option<AnyView> {
    if results.people.is_empty() {
        return None;
    }
    let more = (request.kind == SearchKind::All && results.facets.people.n > results.people.len() as i64)
        .then(|| view! { <a href=request.with(|r| r.kind = SearchKind::People)>"More researchers →"</a> });
    Some(
        view! {
            <section aria-labelledby="people-heading">
                <h2 id="people-heading">"Researchers"</h2>
                <ul class="results">
                    {results.people.iter().map(|p| {
                        let meta = format!("{} · {} work{}", source_label(&p.source), p.works, if p.works == 1 { "" } else { "s" });
                        view! { <li><a href=format!("/authors/{}", p.slug)>{p.name.clone()}</a> <span class="muted">{meta}</span></li> }
                    }).collect_view()}
                </ul>
                {more}
            </section>
        }
        .into_any(),
    )
}

fn subject_section(request: &SearchRequest, results: &SearchResults, kind: SearchKind) -> Option<AnyView> {
    let (hits, total, id) = match kind {
        SearchKind::Topics => (&results.topics, results.facets.topics, "topics-heading"),
        _ => (&results.institutions, results.facets.institutions, "institutions-heading"),
    };
    if hits.is_empty() {
        return None;
    }
    let more = (request.kind == SearchKind::All && total.n > hits.len() as i64).then(
        || view! { <a href=request.with(|r| r.kind = kind)>{format!("More {} →", kind.label().to_lowercase())}</a> },
    );
    Some(
        view! {
            <section aria-labelledby=id>
                <h2 id=id>{kind.label()}</h2>
                <ul class="results">
                    {hits.iter().map(|h| {
                        let link = match kind {
                            SearchKind::Topics => SubjectLink::topic(h.id, h.name.clone()),
                            _ => SubjectLink::institution(h.id, h.name.clone()),
                        };
                        let mut meta = vec![format!("{} work{}", h.works, if h.works == 1 { "" } else { "s" })];
                        meta.extend(h.detail.clone());
                        view! { <li><a href=link.href>{link.name}</a> <span class="muted">{meta.join(" · ")}</span></li> }
                    }).collect_view()}
                </ul>
                {more}
            </section>
        }
        .into_any(),
    )
}

fn works_section(results: &SearchResults) -> Option<AnyView> {
    if results.works.is_empty() {
        return None;
    }
    Some(
        view! {
            <section aria-labelledby="works-heading">
                <h2 id="works-heading">"Works"</h2>
                <ul class="results">
                    {results.works.iter().map(|w| {
                        let mut meta: Vec<String> = vec![w.work_type.clone()];
                        meta.extend(w.year.map(|y| y.to_string()));
                        meta.extend(w.venue.clone());
                        view! {
                            <li>
                                <a href=format!("/works/{}", w.slug)>{w.title.clone()}</a>
                                <div class="muted">{meta.join(" · ")}</div>
                                <div class="muted">{w.authors.join(", ")}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        }
        .into_any(),
    )
}

fn pager(request: &SearchRequest, results: &SearchResults) -> AnyView {
    let page = request.page;
    // Showing everything, the next page is the works' second.
    let next_kind = if request.kind == SearchKind::All { SearchKind::Works } else { request.kind };
    let previous = (page > 1).then(|| {
        let mut r = request.clone();
        r.page = page - 1;
        r.href()
    });
    let next = results.more.then(|| {
        let mut r = request.clone();
        r.kind = next_kind;
        r.page = if request.kind == SearchKind::All { 2 } else { page + 1 };
        r.href()
    });
    view! {
        <nav class="pager" aria-label="Result pages">
            {previous.map(|href| view! { <a rel="prev" href=href>"← Previous"</a> })}
            {next.map(|href| view! { <a rel="next" href=href>"Next →"</a> })}
        </nav>
    }
    .into_any()
}
