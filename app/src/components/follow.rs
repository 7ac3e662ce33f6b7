//! "Follow researcher" with its count: a form that posts without JavaScript (303 back to the
//! profile) and, as an island, shows its pending state and updates the counts in place.

use crate::api::follows::{FollowResearcher, FollowState, UnfollowResearcher};
use crate::components::islands::hydrated_marker;
use crate::domain::account::encode_query_value;
use leptos::prelude::*;

/// The follow box for a viewer: a log-in link when logged out (no island), else the button.
#[component]
pub fn FollowBox(slug: String, followers: i64, viewer_follows: Option<bool>) -> impl IntoView {
    match viewer_follows {
        None => {
            let login = format!("/login?next={}", encode_query_value(&format!("/authors/{slug}")));
            view! {
                <a class="button" href=login>
                    "Follow researcher" <span class="count">{followers}</span>
                </a>
                <p class="note">"Log in to follow; you come back here after."</p>
            }
            .into_any()
        }
        Some(following) => view! { <FollowButton slug followers following /> }.into_any(),
    }
}

#[island]
pub fn FollowButton(slug: String, followers: i64, following: bool) -> impl IntoView {
    let follow = ServerAction::<FollowResearcher>::new();
    let unfollow = ServerAction::<UnfollowResearcher>::new();
    let state = RwSignal::new(FollowState { following, followers });
    for action in [follow.value(), unfollow.value()] {
        Effect::new(move |_| {
            if let Some(Ok(s)) = action.get() {
                show_followers_in_snapshot(s.followers);
                state.set(s);
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
        <div class="follow-box" data-island="follow" data-hydrated=hydrated_marker()>
            {forms}
            {move || error().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

/// The trust snapshot (a server component) shows the follower count too: keep it in step.
fn show_followers_in_snapshot(followers: i64) {
    #[cfg(feature = "hydrate")]
    if let Ok(Some(stat)) = document().query_selector("[data-stat=followers]") {
        stat.set_text_content(Some(&followers.to_string()));
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = followers;
}
