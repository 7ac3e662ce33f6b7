//! The profile's "Direct collaboration" panel: locked until the record is claimed; for a claimed
//! record open to collaborate, the invitation form (or the visitor's open invitation, which they
//! can withdraw); a clear note when it is not open; on your own record, a link to your inbox.
//! The visitor's standing comes with the profile (`viewer_invitation`), so nothing is fetched here.

use crate::api::flash::Flash;
use crate::api::invitations::{SendInvitation, Standing, WithdrawInvitation, WorkRef};
use crate::api::profiles::{ClaimRelation, Profile};
use crate::components::forms::{reload_page_focusing, FormMessage};
use crate::components::islands::{hydrated_marker, submit_handler};
use crate::domain::collaboration::{MAX_MESSAGE_CHARS, MAX_SUBJECT_CHARS, MIN_INVITATION_CHARS};
use crate::domain::trust::ClaimState;
use leptos::either::EitherOf4;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;

pub fn collaboration_panel(profile: &Profile, kept: Flash) -> AnyView {
    let claimed = matches!(profile.trust.claim, ClaimState::Claimed | ClaimState::Confirmed);
    let name = profile.name.clone();
    let path = format!("/authors/{}", profile.slug);
    let body = if !claimed {
        view! { <p class="locked">"Claim this author entity first to unlock direct invitations."</p> }.into_any()
    } else if profile.relation == ClaimRelation::Yours {
        let note = if profile.open_to_collaborate {
            "You are open to collaborate: invitations to you arrive in your inbox."
        } else {
            "You are not open to collaborate, so no one can invite you. Switch it on in “Edit your record”."
        };
        view! {
            <p>{note}</p>
            <a class="button secondary" href="/me/inbox">"Go to your inbox"</a>
        }
        .into_any()
    } else if !profile.open_to_collaborate {
        view! {
            <p class="note" role="note">{format!("{name} is not open to collaboration invitations right now.")}</p>
        }
        .into_any()
    } else if profile.relation == ClaimRelation::LoggedOut {
        let login = crate::domain::account::login_href(&path);
        view! {
            <p>{format!("{name} is open to collaborate.")}</p>
            <a class="button secondary" href=login>"Log in to send an invitation"</a>
        }
        .into_any()
    } else {
        let works =
            profile.works.items.iter().map(|w| WorkRef { slug: w.slug.clone(), title: w.title.clone() }).collect();
        let standing = profile.viewer_invitation.unwrap_or(Standing::NotAccepting);
        view! { <InvitePanel slug=profile.slug.clone() name=name works=works standing=standing kept=kept /> }.into_any()
    };
    view! {
        <section class="panel" id="collaboration" aria-labelledby="collab-heading">
            <h2 id="collab-heading" tabindex="-1">"Direct collaboration"</h2>
            <p class="sub">"Open a focused conversation when the fit is right"</p>
            {body}
        </section>
    }
    .into_any()
}

/// For a logged-in visitor: the form, or their open invitation. Sending and withdrawing post
/// without JavaScript (303 back here); in the island they show their pending state and error in
/// place and load the profile again when done. `kept` is what a failed plain post left.
#[island]
pub fn InvitePanel(slug: String, name: String, works: Vec<WorkRef>, standing: Standing, kept: Flash) -> impl IntoView {
    let pending = RwSignal::new(false);
    let error = RwSignal::new(kept.message());
    // The profile comes back with focus on this panel's heading, where the change shows.
    let on_submit = submit_handler(pending, error, |_| reload_page_focusing("collab-heading"));
    let path = format!("/authors/{slug}");
    // Static dispatch, not `into_any`: a type-erased view costs far more in the wasm.
    let body = match standing {
        Standing::CanInvite => EitherOf4::A(invite_form(
            on_submit,
            pending,
            slug,
            works,
            kept.field("subject"),
            kept.field("body"),
            kept.field("work"),
        )),
        Standing::Invited { invitation_id } => EitherOf4::B(view! {
            <p class="notice" role="status">
                {format!("Invitation sent to {name}, waiting for an answer. ")}
                <a href="/me/inbox">"See it in your inbox"</a>
            </p>
            <form method="post" action=WithdrawInvitation::url() on:submit=on_submit>
                <input type="hidden" name="id" value=invitation_id.to_string() />
                <input type="hidden" name="back" value=path />
                <button type="submit" class="button secondary" disabled=move || pending.get()>"Withdraw invitation"</button>
            </form>
        }),
        Standing::Unavailable => {
            EitherOf4::C(view! { <p class="note">{format!("{name} is not taking invitations from you.")}</p> })
        }
        Standing::NotAccepting => {
            EitherOf4::D(view! { <p class="note">{format!("{name} is not taking invitations right now.")}</p> })
        }
    };
    view! {
        <div data-island="invite" data-hydrated=hydrated_marker()>
            <FormMessage message=error />
            {body}
        </div>
    }
}

fn invite_form(
    on_submit: impl Fn(leptos::ev::SubmitEvent) + Clone + 'static,
    pending: RwSignal<bool>,
    slug: String,
    works: Vec<WorkRef>,
    subject: String,
    body: String,
    work: String,
) -> impl IntoView {
    let busy = move || pending.get();
    view! {
        <form method="post" action=SendInvitation::url() class="invite-form" on:submit=on_submit>
            <input type="hidden" name="slug" value=slug />
            <label for="invite-subject">"Subject"</label>
            <input id="invite-subject" name="subject" type="text" required maxlength=MAX_SUBJECT_CHARS.to_string() value=subject />
            <label for="invite-body">"Message"</label>
            <textarea id="invite-body" name="body" rows="6" required
                minlength=MIN_INVITATION_CHARS.to_string() maxlength=MAX_MESSAGE_CHARS.to_string()>{crate::domain::html::textarea_text(&body)}</textarea>
            <p class="note">{format!("{MIN_INVITATION_CHARS} to {MAX_MESSAGE_CHARS} characters of plain text: what you propose and why.")}</p>
            <label for="invite-work">"About one of their works (optional)"</label>
            <select id="invite-work" name="work">
                <option value="">"No particular work"</option>
                {works.into_iter().map(|w| {
                    let selected = w.slug == work;
                    view! { <option value=w.slug selected=selected>{w.title}</option> }
                }).collect_view()}
            </select>
            <button type="submit" class="button" disabled=busy aria-busy=move || busy().to_string()>
                {move || if busy() { "Sending…" } else { "Send invitation" }}
            </button>
        </form>
    }
}
