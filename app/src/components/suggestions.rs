//! A list of collaborator suggestions: each candidate with why (linked), whether an invitation
//! can reach them (with the way to send one), and, for the record's owner, a form to dismiss.
//! Plain links and form posts: nothing here needs JavaScript.

use crate::api::suggestions::DismissSuggestion;
use crate::model::suggestions::{ReasonPart, SuggestionView};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The list; `owner_of` is the record's slug when the viewer owns it (dismiss forms, which come
/// back to `back`).
pub fn suggestion_list(items: Vec<SuggestionView>, owner_of: Option<String>, back: String) -> AnyView {
    view! {
        <ol class="suggestions">
            {items
                .into_iter()
                .map(|s| view! { <li>{suggestion(s, owner_of.clone(), back.clone())}</li> })
                .collect_view()}
        </ol>
    }
    .into_any()
}

fn suggestion(s: SuggestionView, owner_of: Option<String>, back: String) -> AnyView {
    let href = format!("/authors/{}", s.slug);
    let reason = reason(&s);
    let facts = match (&s.affiliation, s.works) {
        (Some(a), n) => format!("{a} · {} work{}", n, if n == 1 { "" } else { "s" }),
        (None, n) => format!("{} work{}", n, if n == 1 { "" } else { "s" }),
    };
    let invite = s.open.then(|| {
        let label = format!("Invite {}", s.name);
        view! { <a class="button secondary" href=format!("{href}#collab-heading") aria-label=label>"Invite"</a> }
    });
    let dismiss = owner_of.map(|record| {
        let label = format!("Dismiss {}", s.name);
        view! {
            <form method="post" action=DismissSuggestion::url() class="inline">
                <input type="hidden" name="slug" value=record />
                <input type="hidden" name="candidate" value=s.slug.clone() />
                <input type="hidden" name="back" value=back />
                <button type="submit" class="button secondary" aria-label=label>"Dismiss"</button>
            </form>
        }
    });
    view! {
        <article class="suggestion">
            <h3><a href=href>{s.name.clone()}</a></h3>
            <ul class="chips" aria-label=format!("About {}", s.name)>
                {s.open.then(|| view! { <li class="chip">"Open to collaborate"</li> })}
                <li class="chip">{facts}</li>
            </ul>
            <p class="reason">{reason}</p>
            {(invite.is_some() || dismiss.is_some()).then(|| view! { <div class="row">{invite}{dismiss}</div> })}
        </article>
    }
    .into_any()
}

fn reason(s: &SuggestionView) -> AnyView {
    s.reason_parts()
        .into_iter()
        .map(|part| match part {
            ReasonPart::Text(t) => t.into_any(),
            ReasonPart::Person(p) => view! { <a href=format!("/authors/{}", p.slug)>{p.name}</a> }.into_any(),
            ReasonPart::Topic(t) => view! { <a href=t.href>{t.name}</a> }.into_any(),
        })
        .collect_view()
        .into_any()
}
