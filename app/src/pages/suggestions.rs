//! `/authors/<slug>/suggestions` (anyone) and `/me/suggestions` (the owner of a claimed record):
//! every kept suggestion with why, a filter for those open to an invitation (a GET form), and
//! for the owner a dismiss button on each (a form post that comes back here).

use crate::api::suggestions::{get_suggestions, SuggestionsPage};
use crate::components::head::PageHead;
use crate::error::AppError;
use crate::pages::{ErrorPanel, LogInToSee};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn RecordSuggestionsPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let page = Resource::new(
        move || (params.read().get("slug"), query.read().get("open")),
        |(slug, open)| get_suggestions(slug, open),
    );
    view! { <Suspense fallback=|| ()>{move || Suspend::new(async move { answer(page.await, false) })}</Suspense> }
}

#[component]
pub fn MySuggestionsPage() -> impl IntoView {
    let query = use_query_map();
    let page = Resource::new(move || query.read().get("open"), |open| get_suggestions(None, open));
    view! { <Suspense fallback=|| ()>{move || Suspend::new(async move { answer(page.await, true) })}</Suspense> }
}

fn answer(page: Result<SuggestionsPage, AppError>, mine: bool) -> AnyView {
    match page {
        Ok(p) => suggestions_view(p, mine),
        Err(AppError::Unauthorized) => view! {
            <main class="page narrow">
                <h1>"Researchers to work with"</h1>
                <LogInToSee what="see the researchers suggested to you" back="/me/suggestions".to_owned() />
            </main>
        }
        .into_any(),
        // Signed in, with no claimed record: what to do about it, not an error.
        Err(AppError::Refused(why)) if mine => view! {
            <PageHead title="Researchers to work with" description=why.clone() path="/me/suggestions" />
            <main class="page narrow">
                <h1>"Researchers to work with"</h1>
                <section class="panel">
                    <p>{crate::domain::text::upper_first(&why)}"."</p>
                    <p>"Search for your name above, open your record and press “Claim this author record”."</p>
                </section>
            </main>
        }
        .into_any(),
        Err(e) => view! { <main class="page narrow"><ErrorPanel error=e /></main> }.into_any(),
    }
}

fn suggestions_view(page: SuggestionsPage, mine: bool) -> AnyView {
    let record_path = format!("/authors/{}", page.record.slug);
    let path = if mine { "/me/suggestions".to_owned() } else { format!("{record_path}/suggestions") };
    let title = if mine {
        "Researchers to work with".to_owned()
    } else {
        format!("Researchers to work with: {}", page.record.name)
    };
    let description =
        format!("Researchers who are not yet co-authors of {}, and why each is suggested.", page.record.name);
    let open_only = page.suggestions.open_only;
    let back = if open_only { format!("{path}?open=on") } else { path.clone() };
    let owner_of = page.viewer_owns.then(|| page.record.slug.clone());
    let empty =
        if open_only { "None of the suggestions is open to an invitation yet." } else { page.sources.why_none() };
    let items = page.suggestions.items;
    view! {
        <PageHead title=title.clone() description=description path=path.clone() />
        <main class="page narrow">
            <h1>{title}</h1>
            <p class="sub">
                "For "<a href=record_path>{page.record.name.clone()}</a>
                ": researchers who are not yet co-authors, reached through co-authors' co-authors, shared topics and recent work, best first."
            </p>
            <form method="get" action=path.clone() class="filter">
                <label class="check">
                    <input type="checkbox" name="open" checked=open_only />
                    " Only researchers open to an invitation"
                </label>
                <button type="submit" class="button secondary">"Show"</button>
            </form>
            <section class="panel" aria-labelledby="suggestions-heading">
                <h2 id="suggestions-heading">{format!("{} suggestion{}", items.len(), if items.len() == 1 { "" } else { "s" })}</h2>
                {if items.is_empty() {
                    view! { <p class="muted">{empty}</p> }.into_any()
                } else {
                    crate::components::suggestions::suggestion_list(items, owner_of, back)
                }}
            </section>
        </main>
    }
    .into_any()
}
