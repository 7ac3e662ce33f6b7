//! Search results at `/search?q=&kind=&page=`: researchers and works, ranked and paginated,
//! a plain GET form so it works without JavaScript.

use crate::api::search::{search, SearchKind, SearchResults, MAX_PAGE};
use crate::components::head::PageHead;
use crate::domain::bio::source_label;
use crate::pages::ErrorPanel;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    // What the address says, shown back as text without overrides that could reorder the page.
    let q = move || crate::domain::text::clean(&query.read().get("q").unwrap_or_default()).into_owned();
    let results = Resource::new(
        move || {
            let map = query.read();
            let page = map.get("page").map(|p| p.parse::<i64>().unwrap_or(0));
            (map.get("q").unwrap_or_default(), map.get("kind"), page)
        },
        |(q, kind, page)| async move {
            if q.trim().is_empty() {
                None
            } else {
                Some(search(q, kind, page).await)
            }
        },
    );
    view! {
        <main class="page narrow">
            <form class="big-search" action="/search" method="get" role="search">
                <label for="search-q">"Name or words of a title"</label>
                <div class="row">
                    <input id="search-q" type="search" name="q" maxlength="200" value=q />
                    <button type="submit">"Search"</button>
                </div>
            </form>
            <Suspense fallback=|| view! { <p class="loading">"Searching…"</p> }>
                {move || Suspend::new(async move {
                    match results.await {
                        None => view! {
                            <PageHead title="Search" description="Search researchers and works." path="/search" />
                            <p class="muted">"Type a name or some words of a title."</p>
                        }.into_any(),
                        Some(Ok(r)) => view! { <ResultsView results=r /> }.into_any(),
                        Some(Err(e)) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

fn search_href(q: &str, kind: SearchKind, page: i64) -> String {
    let q: String = url_encode(q);
    match (kind, page) {
        (SearchKind::All, 1) => format!("/search?q={q}"),
        (kind, page) => format!("/search?q={q}&kind={}&page={page}", kind.as_str()),
    }
}

fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => out.push(b as char),
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[component]
fn ResultsView(results: SearchResults) -> AnyView {
    let SearchResults { query, kind, page, people, works, more_people, more_works } = results;
    let title = format!("“{query}”");
    let path = search_href(&query, kind, page);
    let nothing = people.is_empty() && works.is_empty();
    let show_people = kind != SearchKind::Works && !people.is_empty();
    let show_works = kind != SearchKind::People && !works.is_empty();
    let next_kind = if kind == SearchKind::People { SearchKind::People } else { SearchKind::Works };
    let has_next = match kind {
        SearchKind::People => more_people,
        _ => more_works,
    } && page < MAX_PAGE;
    view! {
        <PageHead title=format!("Search {title}") description=format!("Researchers and works matching {title}.") path=path />
        <h1>{format!("Results for {title}")}</h1>
        {nothing.then(|| view! { <p>"Nothing matched. Try fewer words, or a surname alone."</p> })}
        {show_people.then(|| view! {
            <section aria-labelledby="people-heading">
                <h2 id="people-heading">"Researchers"</h2>
                <ul class="results">
                    {people.into_iter().map(|p| {
                        let meta = format!("{} · {} work{}", source_label(&p.source), p.works, if p.works == 1 { "" } else { "s" });
                        view! { <li><a href=format!("/authors/{}", p.slug)>{p.name}</a> <span class="muted">{meta}</span></li> }
                    }).collect_view()}
                </ul>
                {(kind == SearchKind::All && more_people).then(|| view! {
                    <a href=search_href(&query, SearchKind::People, 1)>"More researchers →"</a>
                })}
            </section>
        })}
        {show_works.then(|| view! {
            <section aria-labelledby="works-heading">
                <h2 id="works-heading">"Works"</h2>
                <ul class="results">
                    {works.into_iter().map(|w| {
                        let mut meta: Vec<String> = vec![w.work_type.clone()];
                        meta.extend(w.year.map(|y| y.to_string()));
                        meta.extend(w.venue.clone());
                        let authors = w.authors.join(", ");
                        view! {
                            <li>
                                <a href=format!("/works/{}", w.slug)>{w.title}</a>
                                <div class="muted">{meta.join(" · ")}</div>
                                <div class="muted">{authors}</div>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </section>
        })}
        <nav class="pager" aria-label="Result pages">
            {(page > 1).then(|| view! { <a rel="prev" href=search_href(&query, kind, page - 1)>"← Previous"</a> })}
            {has_next.then(|| view! { <a rel="next" href=search_href(&query, next_kind, if kind == SearchKind::All { 2 } else { page + 1 })>"Next →"</a> })}
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn search_links_encode_the_query() {
        assert_eq!(search_href("Mor Shpigel", SearchKind::All, 1), "/search?q=Mor+Shpigel");
        assert_eq!(search_href("a&b=c", SearchKind::Works, 2), "/search?q=a%26b%3Dc&kind=works&page=2");
    }
}
