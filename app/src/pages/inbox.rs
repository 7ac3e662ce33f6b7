//! `/me/inbox`: conversations with their unread counts, invitations received (accept or decline,
//! block the sender) and sent (withdraw), and whom you blocked. Showing it marks invitations and
//! answers as seen. Every action posts without JavaScript (303 back here); answering an
//! invitation is an island (pending state and error in place, then the conversation or the inbox
//! again); withdrawing and blocking are plain form posts.

use crate::api::inbox::{inbox, BlockUser, BlockedPerson, ConversationItem, InboxData, InvitationItem, UnblockUser};
use crate::api::invitations::{AnswerInvitation, WithdrawInvitation};
use crate::components::forms::{go_to, page_flash, reload_page_focusing, with_flash, FormMessage};
use crate::components::head::PageHead;
use crate::components::islands::{as_number, hydrated_marker, submit_handler};
use crate::domain::collaboration::{InvitationState, MAX_NOTE_CHARS};
use crate::error::AppError;
use crate::pages::{ErrorPanel, LogInToSee};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::use_query_map;

const PATH: &str = "/me/inbox";

#[component]
pub fn InboxPage() -> impl IntoView {
    let query = use_query_map();
    let cursor = move |name: &str| query.read().get(name).and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(
        move || (cursor("received"), cursor("sent"), cursor("conversations")),
        |(received, sent, conversations)| inbox(received, sent, conversations),
    );
    let flash = page_flash();
    view! {
        <PageHead title="Inbox" description="Your collaboration invitations and conversations." path=PATH />
        <main class="page narrow inbox">
            <h1>"Inbox"</h1>
            {with_flash(flash, move |flash| view! { <FormMessage message=Signal::stored(flash.message()) /> }.into_any())}
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(inbox) => inbox_view(inbox),
                        Err(AppError::Unauthorized) => view! {
                            <LogInToSee what="see your invitations and conversations" back=PATH.to_owned() />
                        }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </main>
    }
}

fn inbox_view(inbox: InboxData) -> AnyView {
    let older = |name: &str, next: Option<i64>, label: &'static str| {
        next.map(|n| view! { <p class="pager"><a rel="next" href=format!("{PATH}?{name}={n}")>{label}</a></p> })
    };
    view! {
        <section class="panel" aria-labelledby="conversations-heading">
            <h2 id="conversations-heading">{match inbox.unread_messages {
                0 => "Conversations".to_owned(),
                n => format!("Conversations ({n} unread)"),
            }}</h2>
            {inbox.conversations.is_empty().then(|| view! { <p class="muted">"No conversations yet: one opens when an invitation is accepted."</p> })}
            <ul class="conversation-list">
                {inbox.conversations.into_iter().map(conversation_item).collect_view()}
            </ul>
            {older("conversations", inbox.conversations_next, "Older conversations")}
        </section>
        <section class="panel" aria-labelledby="received-heading">
            <h2 id="received-heading" tabindex="-1">"Invitations received"</h2>
            {inbox.received.is_empty().then(|| view! { <p class="muted">"No invitations yet."</p> })}
            {inbox.received.into_iter().map(received_item).collect_view()}
            {older("received", inbox.received_next, "Older invitations received")}
        </section>
        <section class="panel" aria-labelledby="sent-heading">
            <h2 id="sent-heading">"Invitations sent"</h2>
            {inbox.sent.is_empty().then(|| view! { <p class="muted">"You have not invited anyone yet. Invite a researcher from their profile."</p> })}
            {inbox.sent.into_iter().map(sent_item).collect_view()}
            {older("sent", inbox.sent_next, "Older invitations sent")}
        </section>
        <section class="panel" aria-labelledby="blocked-heading">
            <h2 id="blocked-heading">"Blocked"</h2>
            <p class="note">"Nothing arrives from people you block, and they cannot invite you. They are not told."</p>
            {inbox.blocked.is_empty().then(|| view! { <p class="muted">"You have not blocked anyone."</p> })}
            <ul>{inbox.blocked.into_iter().map(blocked_item).collect_view()}</ul>
        </section>
    }
    .into_any()
}

fn conversation_item(c: ConversationItem) -> impl IntoView {
    let unread = (c.unread > 0).then(|| view! { <strong class="badge">{format!("{} unread", c.unread)}</strong> });
    let closed = c.closed.then(|| view! { <span class="chip">"Closed"</span> });
    view! {
        <li>
            <a href=format!("/conversations/{}", c.id)>{c.subject}</a>
            <span class="muted">{format!(" with {} · last {}", c.other_name, c.last_at)}</span>
            " " {unread} " " {closed}
        </li>
    }
}

/// What an invitation is about, what it says, and how it was answered.
fn invitation_details(i: &InvitationItem) -> impl IntoView {
    let state = i.state;
    view! {
        {i.work.clone().map(|w| view! { <p>"About " <a href=format!("/works/{}", w.slug)>{w.title}</a></p> })}
        <p class="message-body">{i.body.clone()}</p>
        <p class="muted">
            {format!("Sent {} · ", i.sent_at)}
            <strong class="state">{state.label()}</strong>
            {i.decided_at.clone().map(|d| format!(" on {d}"))}
        </p>
        {i.note.clone().map(|n| view! { <p class="note">"Note: " {n}</p> })}
        {i.conversation_id.map(|c| view! { <p><a href=format!("/conversations/{c}")>"Open the conversation"</a></p> })}
    }
}

fn received_item(i: InvitationItem) -> impl IntoView {
    let pending = i.state == InvitationState::Pending;
    let from = match i.other_slug.clone() {
        Some(slug) => view! { "From " <a href=format!("/authors/{slug}")>{i.other_name.clone()}</a> }.into_any(),
        None => view! { {format!("From {}", i.other_name)} }.into_any(),
    };
    let block_label = format!("Block {}", i.other_name);
    view! {
        <article class="invitation" class:new=i.is_new aria-label=format!("Invitation: {}", i.subject)>
            <h3>{i.subject.clone()} {i.is_new.then(|| view! { " " <span class="badge">"New"</span> })}</h3>
            <p>{from}</p>
            {invitation_details(&i)}
            {pending.then(|| view! { <AnswerForm id=i.id /> })}
            <form method="post" action=BlockUser::url() class="inline">
                <input type="hidden" name="user" value=i.other_user_id.to_string() />
                <input type="hidden" name="back" value=PATH />
                <button type="submit" class="link-button">{block_label}</button>
            </form>
        </article>
    }
}

fn sent_item(i: InvitationItem) -> impl IntoView {
    let pending = i.state == InvitationState::Pending;
    let to = i.other_slug.clone().unwrap_or_default();
    let id = i.id.to_string();
    view! {
        <article class="invitation" class:new=i.is_new aria-label=format!("Invitation: {}", i.subject)>
            <h3>{i.subject.clone()} {i.is_new.then(|| view! { " " <span class="badge">"New answer"</span> })}</h3>
            <p>"To " <a href=format!("/authors/{to}")>{i.other_name.clone()}</a></p>
            {invitation_details(&i)}
            {pending.then(|| view! {
                <form method="post" action=WithdrawInvitation::url()>
                    <input type="hidden" name="id" value=id.clone() />
                    <input type="hidden" name="back" value=PATH />
                    <button type="submit" class="button secondary">"Withdraw invitation"</button>
                </form>
            })}
        </article>
    }
}

fn blocked_item(b: BlockedPerson) -> impl IntoView {
    view! {
        <li>
            <form method="post" action=UnblockUser::url() class="inline">
                <input type="hidden" name="user" value=b.user_id.to_string() />
                <input type="hidden" name="back" value=PATH />
                <span>{b.name.clone()}</span> " "
                <button type="submit" class="link-button">{format!("Unblock {}", b.name)}</button>
            </form>
        </li>
    }
}

/// Accept or decline, with an optional note. As an island it shows that it is sending and any
/// error in place, then opens the new conversation (accepted) or loads the inbox again.
#[island]
fn AnswerForm(id: i64) -> impl IntoView {
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // The answer is the conversation an acceptance opened, or null when declined.
    let on_submit = submit_handler(pending, error, |answer| match as_number(&answer) {
        Some(conversation) => go_to(&format!("/conversations/{}", conversation as i64)),
        // Declined: the inbox comes back with focus on the invitations received.
        None => reload_page_focusing("received-heading"),
    });
    let note_id = format!("note-{id}");
    view! {
        <div data-island="answer" data-hydrated=hydrated_marker()>
            <FormMessage message=error />
            <form method="post" action=AnswerInvitation::url() on:submit=on_submit>
                <input type="hidden" name="id" value=id.to_string() />
                <label for=note_id.clone()>"Note with your answer (optional)"</label>
                <textarea id=note_id name="note" rows="2" maxlength=MAX_NOTE_CHARS.to_string()></textarea>
                <div class="row">
                    <button type="submit" class="button" name="decision" value="accept" disabled=move || pending.get()>"Accept"</button>
                    <button type="submit" class="button secondary" name="decision" value="decline" disabled=move || pending.get()>"Decline"</button>
                </div>
            </form>
        </div>
    }
}
