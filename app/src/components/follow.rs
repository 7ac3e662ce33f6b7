//! "Follow researcher" with its count: a form that posts without JavaScript (303 back to the
//! profile) and, as an island, shows its pending state and updates the counts in place.

use crate::api::follows::{FollowResearcher, FollowState, UnfollowResearcher};
use crate::components::islands::{boolean, hydrated_marker, number, submit_handler, Answer};
use crate::domain::account::login_href;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

/// The follow box for a viewer: a log-in link when logged out (no island), else the button.
#[component]
pub fn FollowBox(slug: String, followers: i64, viewer_follows: Option<bool>) -> impl IntoView {
    match viewer_follows {
        None => {
            let login = login_href(&format!("/authors/{slug}"));
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
    let state = RwSignal::new(FollowState { following, followers });
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // Whether this page has unfollowed in place (the status then says so).
    let unfollowed = RwSignal::new(false);
    let status = NodeRef::<leptos::html::P>::new();
    let on_submit = submit_handler(pending, error, move |answer| {
        if let Some(s) = follow_state(&answer) {
            show_followers_in_snapshot(s.followers);
            unfollowed.set(!s.following);
            state.set(s);
            // The button was replaced: focus goes to what changed, the status, not to the page's top.
            #[cfg(feature = "hydrate")]
            if let Some(p) = status.get_untracked() {
                let _ = p.focus();
            }
        }
    });
    let said = move || match (state.get().following, unfollowed.get()) {
        (true, _) => "Following",
        (false, true) => "No longer following",
        (false, false) => "",
    };
    let busy = move || pending.get().to_string();
    let form = move || {
        let following = state.get().following;
        let action = if following { UnfollowResearcher::url() } else { FollowResearcher::url() };
        let label = move || match (following, pending.get()) {
            (true, true) => "Unfollowing…",
            (true, false) => "Unfollow",
            (false, true) => "Following…",
            (false, false) => "Follow researcher",
        };
        view! {
            <form method="post" action=action on:submit=on_submit.clone()>
                <input type="hidden" name="slug" value=slug.clone() />
                <button type="submit" class=if following { "button secondary" } else { "button" }
                    disabled=move || pending.get() aria-busy=busy>
                    {label}
                    <span class="count">{move || state.get().followers}</span>
                </button>
            </form>
        }
    };
    view! {
        <div class="follow-box" data-island="follow" data-hydrated=hydrated_marker()>
            <p class="following-state" role="status" tabindex="-1" node_ref=status>{said}</p>
            {form}
            {move || error.get().map(|e| view! { <p class="form-error" role="alert">{e}</p> })}
        </div>
    }
}

/// The follow state in a server function's answer.
fn follow_state(answer: &Answer) -> Option<FollowState> {
    Some(FollowState { following: boolean(answer, "following")?, followers: number(answer, "followers")? as i64 })
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
