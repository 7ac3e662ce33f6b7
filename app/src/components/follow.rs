//! "Follow researcher" with its count: a form that posts without JavaScript (303 back to the
//! profile) and, once hydrated, shows its pending state and updates the count in place.

use crate::api::follows::{FollowResearcher, FollowState, UnfollowResearcher};
use crate::domain::account::encode_query_value;
use crate::pages::profile::ReloadProfile;
use leptos::prelude::*;

#[component]
pub fn FollowBox(slug: String, followers: i64, viewer_follows: Option<bool>) -> impl IntoView {
    let Some(following) = viewer_follows else {
        let login = format!("/login?next={}", encode_query_value(&format!("/authors/{slug}")));
        return view! {
            <a class="button" href=login>
                "Follow researcher" <span class="count">{followers}</span>
            </a>
            <p class="note">"Log in to follow; you come back here after."</p>
        }
        .into_any();
    };
    let follow = ServerAction::<FollowResearcher>::new();
    let unfollow = ServerAction::<UnfollowResearcher>::new();
    let state = RwSignal::new(FollowState { following, followers });
    let reload = use_context::<ReloadProfile>();
    for action in [follow.value(), unfollow.value()] {
        Effect::new(move |_| {
            if let Some(Ok(s)) = action.get() {
                state.set(s);
                if let Some(ReloadProfile(reload)) = reload {
                    reload.run(());
                }
            }
        });
    }
    let pending = move || follow.pending().get() || unfollow.pending().get();
    let error = move || match (follow.value().get(), unfollow.value().get()) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(e.to_string()),
        _ => None,
    };
    let forms = move || {
        let slug = slug.clone();
        let busy = move || pending().to_string();
        if state.get().following {
            view! {
                <ActionForm action=unfollow>
                    <input type="hidden" name="slug" value=slug />
                    <p class="following-state">"Following"</p>
                    <button type="submit" class="button secondary" disabled=pending aria-busy=busy>
                        {move || if pending() { "Unfollowing…" } else { "Unfollow" }}
                        <span class="count">{move || state.get().followers}</span>
                    </button>
                </ActionForm>
            }
            .into_any()
        } else {
            view! {
                <ActionForm action=follow>
                    <input type="hidden" name="slug" value=slug />
                    <button type="submit" class="button" disabled=pending aria-busy=busy>
                        {move || if pending() { "Following…" } else { "Follow researcher" }}
                        <span class="count">{move || state.get().followers}</span>
                    </button>
                </ActionForm>
            }
            .into_any()
        }
    };
    view! {
        {forms}
        {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
    }
    .into_any()
}
