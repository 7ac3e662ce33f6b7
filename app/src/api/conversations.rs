//! Conversations opened by accepted invitations: reading one (participants only; anyone else is
//! told it does not exist), posting a message (rate-limited), and closing it.

use crate::api::invitations::WorkRef;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Messages per page of a conversation.
pub const MESSAGES_PAGE: i64 = 30;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Message {
    pub id: i64,
    pub mine: bool,
    pub author: String,
    pub body: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConversationData {
    pub id: i64,
    pub subject: String,
    pub invitation: String,
    pub note: Option<String>,
    pub work: Option<WorkRef>,
    /// Whether the viewer sent the invitation.
    pub invited_by_me: bool,
    pub other_name: String,
    pub other_user_id: i64,
    pub started: String,
    /// "Closed by <name> on <date>" once closed.
    pub closed: Option<String>,
    pub blocked_by_me: bool,
    /// Oldest first.
    pub messages: Vec<Message>,
    /// The cursor of the page of earlier messages, when there are some.
    pub earlier: Option<i64>,
    /// Whether this page ends with the newest message.
    pub is_latest: bool,
}

/// The conversation `id` for one of its two participants, with the page of messages before
/// `before` (else the newest), oldest first. Viewing it marks those messages as read.
#[server(prefix = "/api", endpoint = "conversation")]
pub async fn conversation(id: i64, before: Option<i64>) -> Result<ConversationData, AppError> {
    use db::writes::conversations;
    let when = |at: chrono::DateTime<chrono::Utc>| at.format("%Y-%m-%d %H:%M UTC").to_string();
    let user = crate::ssr::auth::require_user().await?;
    let pool = crate::ssr::pool()?;
    let mut conn = pool.acquire().await?;
    let row = conversations::for_member(&mut *conn, id, user.id)
        .await?
        .ok_or_else(|| AppError::NotFound("this conversation".into()))?;
    let mut rows = conversations::messages(&mut *conn, id, before, MESSAGES_PAGE + 1).await?;
    let more = rows.len() as i64 > MESSAGES_PAGE;
    rows.truncate(MESSAGES_PAGE as usize);
    if let Some(newest) = rows.first() {
        conversations::mark_read(&mut *conn, id, user.id, newest.id).await?;
    }
    let earlier = if more { rows.last().map(|m| m.id) } else { None };
    rows.reverse();
    Ok(ConversationData {
        id: row.id,
        subject: row.subject,
        invitation: row.invitation_body,
        note: row.response_note,
        work: row.work_slug.zip(row.work_title).map(|(slug, title)| WorkRef { slug, title }),
        invited_by_me: row.sender_id == user.id,
        other_name: row.other_name,
        other_user_id: row.other_id,
        started: when(row.created_at),
        closed: row.closed_at.map(|at| {
            format!("Closed by {} on {}", row.closed_by_name.unwrap_or_else(|| "a former member".into()), when(at))
        }),
        blocked_by_me: row.blocked_by_me,
        messages: rows
            .into_iter()
            .map(|m| Message {
                id: m.id,
                mine: m.sender_id == Some(user.id),
                author: m.sender_name.unwrap_or_else(|| "(deleted account)".into()),
                body: m.body,
                at: when(m.created_at),
            })
            .collect(),
        earlier,
        is_latest: before.is_none(),
    })
}

/// Posts a message into an open conversation the viewer takes part in.
#[server(prefix = "/api", endpoint = "post_message")]
pub async fn post_message(conversation: i64, body: String) -> Result<i64, AppError> {
    use crate::domain::collaboration::{Text, MESSAGES_PER_WINDOW, MESSAGE_WINDOW_SECS};
    use crate::ssr::limits::Limit;
    use db::writes::conversations::{self, PostOutcome};
    let page = format!("/conversations/{conversation}");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let text = Text::message(&body).map_err(|r| AppError::invalid("body", r))?;
        let pool = crate::ssr::pool()?;
        // A stranger learns nothing, not even through the rate limit.
        if conversations::for_member(&pool, conversation, user.id).await?.is_none() {
            return Err(AppError::NotFound("this conversation".into()));
        }
        Limit::new("message", MESSAGES_PER_WINDOW, MESSAGE_WINDOW_SECS).by_user(user.id).await?;
        let mut conn = pool.acquire().await?;
        match conversations::post(&mut conn, conversation, user.id, text.as_str()).await? {
            PostOutcome::Posted(id) => Ok(id),
            PostOutcome::NotFound => Err(AppError::NotFound("this conversation".into())),
            PostOutcome::Closed => Err(AppError::Conflict("this conversation is closed".into())),
        }
    };
    // Keep what was typed (up to a little over the limit) so nothing is lost.
    let kept: String = body.chars().take(crate::domain::collaboration::MAX_MESSAGE_CHARS + 100).collect();
    let form = crate::ssr::forms::Form::on(&page).keep("body", kept).at("#reply");
    form.answer(format!("{page}#latest"), action).await
}

/// Either participant closes the conversation; it stays readable, and no one can post.
#[server(prefix = "/api", endpoint = "close_conversation")]
pub async fn close_conversation(conversation: i64) -> Result<(), AppError> {
    let page = format!("/conversations/{conversation}");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        match db::writes::conversations::close(&mut conn, conversation, user.id).await? {
            Some(_) => Ok(()),
            None => Err(AppError::NotFound("this conversation".into())),
        }
    };
    crate::ssr::forms::Form::on(&page).answer(&page, action).await
}
