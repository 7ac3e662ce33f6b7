//! The inbox: received and sent invitations, the conversations they opened with unread counts,
//! and blocking (and unblocking) the people on the other side.

use crate::api::invitations::WorkRef;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Items per inbox list page.
pub const INBOX_PAGE: i64 = 20;
/// Blocked people listed in the inbox.
pub const BLOCKED_SHOWN: i64 = 100;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InvitationItem {
    pub id: i64,
    /// The other side: the sender of a received invitation, the record of a sent one.
    pub other_name: String,
    pub other_user_id: i64,
    pub other_slug: Option<String>,
    pub subject: String,
    pub body: String,
    pub work: Option<WorkRef>,
    pub state: crate::domain::collaboration::InvitationState,
    pub note: Option<String>,
    pub sent_at: String,
    pub decided_at: Option<String>,
    pub conversation_id: Option<i64>,
    pub is_new: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationItem {
    pub id: i64,
    pub other_name: String,
    pub subject: String,
    pub unread: i64,
    pub closed: bool,
    pub last_at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlockedPerson {
    pub user_id: i64,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InboxData {
    pub received: Vec<InvitationItem>,
    pub received_next: Option<i64>,
    pub sent: Vec<InvitationItem>,
    pub sent_next: Option<i64>,
    pub conversations: Vec<ConversationItem>,
    pub conversations_next: Option<i64>,
    pub blocked: Vec<BlockedPerson>,
    /// Unread messages (invitations are marked seen by this view).
    pub unread_messages: i64,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::api::invitations::server::when;
    use db::writes::invitations::{InvitationRow, Side};

    pub fn item(row: InvitationRow, side: Side) -> InvitationItem {
        let (other_name, other_user_id, other_slug) = match side {
            Side::Received => (row.sender_name, row.sender_id, row.sender_slug),
            Side::Sent => (row.author_name, row.recipient_id, Some(row.author_slug)),
        };
        InvitationItem {
            id: row.id,
            other_name,
            other_user_id,
            other_slug,
            subject: row.subject,
            body: row.body,
            work: row.work_slug.zip(row.work_title).map(|(slug, title)| WorkRef { slug, title }),
            state: row.state,
            note: row.response_note,
            sent_at: when(row.created_at),
            decided_at: row.decided_at.map(when),
            conversation_id: row.conversation_id,
            is_new: row.unseen,
        }
    }

    /// One page of a list fetched with one extra row: the rows to show and the next cursor.
    pub fn page<T>(mut rows: Vec<T>, id: impl Fn(&T) -> i64) -> (Vec<T>, Option<i64>) {
        let more = rows.len() as i64 > INBOX_PAGE;
        rows.truncate(INBOX_PAGE as usize);
        let next = if more { rows.last().map(id) } else { None };
        (rows, next)
    }
}

/// Blocks a user who has sent you an invitation (or received one from you): their pending
/// invitations are declined, conversations with them closed, and nothing more arrives.
#[server(prefix = "/api", endpoint = "block_user")]
pub async fn block_user(user: i64, back: Option<String>) -> Result<(), AppError> {
    set_block(user, back, true).await
}

#[server(prefix = "/api", endpoint = "unblock_user")]
pub async fn unblock_user(user: i64, back: Option<String>) -> Result<(), AppError> {
    set_block(user, back, false).await
}

#[cfg(feature = "ssr")]
async fn set_block(other: i64, back: Option<String>, block: bool) -> Result<(), AppError> {
    use db::writes::blocks;
    let back = crate::api::invitations::server::back_path(back.as_deref());
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let pool = crate::ssr::pool()?;
        if block {
            // Only someone you have exchanged an invitation with: user ids cannot be probed.
            if other == user.id || !blocks::have_met(&pool, user.id, other).await? {
                return Err(AppError::NotFound("this person".into()));
            }
            let mut conn = pool.acquire().await?;
            blocks::block(&mut conn, user.id, other).await?;
        } else {
            blocks::unblock(&pool, user.id, other).await?;
        }
        Ok(())
    };
    crate::ssr::forms::Form::on(&back).answer(&back, action).await
}

/// The viewer's inbox: received and sent invitations, conversations, and whom they blocked.
/// Showing it marks the invitations and answers in it as seen. The cursors page each list.
#[server(prefix = "/api", endpoint = "inbox")]
pub async fn inbox(
    received: Option<i64>,
    sent: Option<i64>,
    conversations: Option<i64>,
) -> Result<InboxData, AppError> {
    use db::writes::invitations::{self, Side};
    use db::writes::{blocks, conversations as talks};
    let user = crate::ssr::auth::require_user().await?;
    let pool = crate::ssr::pool()?;
    let mut conn = pool.acquire().await?;
    let got = invitations::list(&mut *conn, user.id, Side::Received, received, INBOX_PAGE + 1).await?;
    let out = invitations::list(&mut *conn, user.id, Side::Sent, sent, INBOX_PAGE + 1).await?;
    let talks = talks::list(&mut *conn, user.id, conversations, INBOX_PAGE + 1).await?;
    let blocked = blocks::blocked_by(&mut *conn, user.id, BLOCKED_SHOWN).await?;
    invitations::mark_seen(&mut *conn, user.id).await?;
    let (got, received_next) = server::page(got, |r| r.id);
    let (out, sent_next) = server::page(out, |r| r.id);
    let (talks, conversations_next) = server::page(talks, |r| r.id);
    Ok(InboxData {
        received: got.into_iter().map(|r| server::item(r, Side::Received)).collect(),
        received_next,
        sent: out.into_iter().map(|r| server::item(r, Side::Sent)).collect(),
        sent_next,
        unread_messages: talks.iter().map(|t| t.unread).sum(),
        conversations: talks
            .into_iter()
            .map(|t| ConversationItem {
                id: t.id,
                other_name: t.other_name,
                subject: t.subject,
                unread: t.unread,
                closed: t.closed,
                last_at: crate::api::invitations::server::when(t.last_at),
            })
            .collect(),
        conversations_next,
        blocked: blocked.into_iter().map(|b| BlockedPerson { user_id: b.user_id, name: b.display_name }).collect(),
    })
}
