//! One work in a list: type, year and venue chips, the linked title and the abstract.

use crate::api::profiles::WorkSummary;
use leptos::prelude::*;

#[component]
pub fn WorkCard(work: WorkSummary) -> impl IntoView {
    let href = format!("/works/{}", work.slug);
    view! {
        <article class="work-card">
            <ul class="chips" aria-label="Work details">
                <li class="chip">{work.work_type}</li>
                {work.year.map(|y| view! { <li class="chip">{y}</li> })}
                {work.venue.map(|v| view! { <li class="chip">{v}</li> })}
            </ul>
            <h3>
                <a href=href>{work.title}</a>
            </h3>
            {work.abstract_text.map(|a| view! { <p class="abstract">{a}</p> })}
        </article>
    }
}

/// A sortable list of works in a page's section (`#works-heading`): newest or most cited first,
/// the sort links, `intro` between them and the list, and the links to the first and next pages.
/// `all` keeps the one-page list (`works=all`, the list a person prints) in every link.
pub fn sorted_works(
    path: &str,
    heading: String,
    works: crate::api::profiles::WorkPage,
    most_cited_first: bool,
    all: bool,
    intro: AnyView,
) -> AnyView {
    let cited = most_cited_first;
    let link = |cited: bool, after: Option<&str>| {
        let query: Vec<String> = [
            all.then(|| "works=all".to_owned()),
            after.map(|a| format!("after={a}")),
            cited.then(|| "sort=cited".to_owned()),
        ]
        .into_iter()
        .flatten()
        .collect();
        let query = if query.is_empty() { String::new() } else { format!("?{}", query.join("&")) };
        format!("{path}{query}#works-heading")
    };
    let first = link(cited, None);
    let more = works.next.as_deref().map(|next| link(cited, Some(next)));
    let (newest, most_cited) = (link(false, None), link(true, None));
    let (first_label, more_label) =
        if cited { ("← Most cited", "Less cited →") } else { ("← Newest works", "Older works →") };
    view! {
        <section class="panel" aria-labelledby="works-heading">
            <h2 id="works-heading">{heading}</h2>
            {intro}
            <nav class="sort" aria-label="Sort works">
                "Sort: "
                <a href=newest aria-current=(!cited).then_some("true")>"Newest"</a>" · "
                <a href=most_cited aria-current=cited.then_some("true")>"Most cited"</a>
            </nav>
            {works.items.is_empty().then(|| view! { <p class="muted">"No works here yet."</p> })}
            <ol class="work-list">
                {works.items.into_iter().map(|w| view! { <li><WorkCard work=w /></li> }).collect_view()}
            </ol>
            <nav class="pager" aria-label="More works">
                {(!works.is_first).then(|| view! { <a href=first>{first_label}</a> })}
                {more.map(|href| view! { <a rel="next" href=href>{more_label}</a> })}
            </nav>
        </section>
    }
    .into_any()
}
