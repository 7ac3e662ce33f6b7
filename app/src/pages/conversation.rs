//! `/conversations/<id>`: a conversation for its two participants (anyone else gets 404): the
//! invitation it began with, messages oldest first in keyset pages (`?before=<id>`), a reply
//! form, closing it and blocking the other person. Viewing it marks the messages as read.
//! A server component; the reply form is an island (pending state, error in place, the page
//! loaded again once sent). Closing and blocking are plain form posts.

use crate::api::conversations::{conversation, CloseConversation, ConversationData, Message, PostMessage};
use crate::api::flash::Flash;
use crate::api::inbox::{BlockUser, UnblockUser};
use crate::components::forms::{page_flash, reload_page_focusing, FormMessage};
use crate::components::head::PageHead;
use crate::components::islands::{hydrated_marker, submit_handler};
use crate::domain::collaboration::MAX_MESSAGE_CHARS;
use crate::error::AppError;
use crate::pages::{ErrorPanel, LogInToSee};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_router::hooks::{use_params_map, use_query_map};

#[component]
pub fn ConversationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|v| v.parse::<i64>().ok());
    let data = Resource::new(
        move || (id(), query.read().get("before").and_then(|v| v.parse::<i64>().ok())),
        |(id, before)| async move {
            match id {
                Some(id) => conversation(id, before).await,
                None => Err(AppError::NotFound("this conversation".into())),
            }
        },
    );
    let flash = page_flash();
    view! {
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let flash = flash.await;
                    match data.await {
                        Ok(c) => conversation_view(c, flash),
                        Err(AppError::Unauthorized) => {
                            let back = format!("/conversations/{}", id().unwrap_or_default());
                            view! {
                                <main class="page narrow">
                                    <LogInToSee what="read your conversations" back=back />
                                </main>
                            }.into_any()
                        }
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
    }
}

fn conversation_view(c: ConversationData, flash: Flash) -> AnyView {
    let path = format!("/conversations/{}", c.id);
    // What a failed plain post had typed comes back in the page's flash: keep it in the box.
    let typed = flash.field("body");
    let error = flash.message();
    let asked = if c.invited_by_me { "You invited" } else { "invited you" };
    let header = if c.invited_by_me {
        format!("{asked} {} · started {}", c.other_name, c.started)
    } else {
        format!("{} {asked} · started {}", c.other_name, c.started)
    };
    let count = c.messages.len();
    let earlier = c.earlier.map(|e| view! { <a rel="prev" href=format!("{path}?before={e}")>"← Earlier messages"</a> });
    let newer = (!c.is_latest).then(|| view! { <a href=path.clone()>"Newest messages →"</a> });
    let open = c.closed.is_none();
    view! {
        <PageHead title=c.subject.clone() description="A conversation on BZPEER." path=path.clone() />
        <main class="page narrow conversation">
        <p><a href="/me/inbox">"← Inbox"</a></p>
        <h1>{c.subject.clone()}</h1>
        <FormMessage message=Signal::stored(error) />
        <p class="muted">{header}</p>
        <details class="panel invitation-text">
            <summary>"The invitation"</summary>
            {c.work.clone().map(|w| view! { <p>"About " <a href=format!("/works/{}", w.slug)>{w.title}</a></p> })}
            <p class="message-body">{c.invitation.clone()}</p>
            {c.note.clone().map(|n| view! { <p class="note">"Note with the acceptance: " {n}</p> })}
        </details>
        {c.closed.clone().map(|closed| view! { <p class="notice" role="status">{format!("{closed}. No new messages can be posted.")}</p> })}
        <nav class="pager" aria-label="More messages">{earlier} {newer}</nav>
        {(count == 0).then(|| view! { <p class="muted">"No messages yet. Write the first one."</p> })}
        <ol class="messages" aria-label="Messages">
            {c.messages.into_iter().enumerate().map(|(i, m)| message_item(m, i + 1 == count)).collect_view()}
        </ol>
        {open.then(|| view! {
            <section class="panel form-panel" id="reply" aria-labelledby="reply-heading">
                <h2 id="reply-heading">"Reply"</h2>
                {view! { <ReplyForm conversation=c.id typed=typed /> }.into_any()}
            </section>
        })}
        <section class="panel" aria-labelledby="manage-heading">
            <h2 id="manage-heading">"Manage"</h2>
            {open.then(|| view! {
                <form method="post" action=CloseConversation::url() class="inline">
                    <input type="hidden" name="conversation" value=c.id.to_string() />
                    <button type="submit" class="button secondary">"Close conversation"</button>
                </form>
            })}
            {block_form(&c.other_name, c.other_user_id, c.blocked_by_me, &path)}
        </section>
        </main>
    }
    .into_any()
}

fn message_item(m: Message, last: bool) -> impl IntoView {
    view! {
        <li class=if m.mine { "message mine" } else { "message" } id=last.then_some("latest")>
            <p class="meta"><strong>{if m.mine { "You".to_owned() } else { m.author }}</strong>{format!(" · {}", m.at)}</p>
            <p class="message-body">{m.body}</p>
        </li>
    }
}

fn block_form(name: &str, user: i64, blocked: bool, back: &str) -> AnyView {
    let (name, back, user) = (name.to_owned(), back.to_owned(), user.to_string());
    if blocked {
        view! {
            <p>{format!("You blocked {name}: nothing from them reaches you.")}</p>
            <form method="post" action=UnblockUser::url() class="inline">
                <input type="hidden" name="user" value=user.clone() />
                <input type="hidden" name="back" value=back.clone() />
                <button type="submit" class="link-button">{format!("Unblock {name}")}</button>
            </form>
        }
        .into_any()
    } else {
        view! {
            <form method="post" action=BlockUser::url() class="inline">
                <input type="hidden" name="user" value=user.clone() />
                <input type="hidden" name="back" value=back.clone() />
                <button type="submit" class="button secondary">{format!("Block {name}")}</button>
            </form>
            <p class="note">"Blocking closes this conversation; they cannot invite you or write to you again."</p>
        }
        .into_any()
    }
}

/// The reply form: posts without JavaScript (303 back here); as an island it shows that it is
/// sending and any error in place, then loads the page again with the new message.
#[island]
fn ReplyForm(conversation: i64, typed: String) -> impl IntoView {
    let pending = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    // The page comes back with the new message, and the cursor back in the (empty) reply box.
    let on_submit = submit_handler(pending, error, |_| reload_page_focusing("reply-body"));
    view! {
        <div data-island="reply" data-hydrated=hydrated_marker()>
            <FormMessage message=error />
            <form method="post" action=PostMessage::url() on:submit=on_submit>
                <input type="hidden" name="conversation" value=conversation.to_string() />
                <label for="reply-body">"Your message"</label>
                <textarea id="reply-body" name="body" rows="4" required maxlength=MAX_MESSAGE_CHARS.to_string()>{crate::domain::html::textarea_text(&typed)}</textarea>
                <p class="note">{format!("Plain text, up to {MAX_MESSAGE_CHARS} characters.")}</p>
                <button type="submit" class="button" disabled=move || pending.get() aria-busy=move || pending.get().to_string()>
                    {move || if pending.get() { "Sending…" } else { "Send message" }}
                </button>
            </form>
        </div>
    }
}
