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
