//! Conversations opened by accepted invitations: reading one as a participant, its messages in
//! keyset pages, posting (never into a closed conversation or across a block), read markers,
//! closing, and the inbox list with unread counts.

use super::invitations::BLOCKED_BETWEEN;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

/// A conversation as one of its participants sees it.
#[derive(Debug, Clone, FromRow)]
pub struct ConversationRow {
    pub id: i64,
    pub subject: String,
    pub invitation_body: String,
    pub response_note: Option<String>,
    pub work_slug: Option<String>,
    pub work_title: Option<String>,
    pub sender_id: i64,
    pub other_id: i64,
    pub other_name: String,
    pub created_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by_name: Option<String>,
    /// Whether the viewer blocked the other participant.
    pub blocked_by_me: bool,
}

/// The conversation, when `user_id` takes part in it (else `None`, as if it did not exist).
pub async fn for_member(
    db: impl PgExecutor<'_>,
    conversation_id: i64,
    user_id: i64,
) -> Result<Option<ConversationRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, i.subject, i.body AS invitation_body, i.response_note, w.slug AS work_slug,
                w.title AS work_title, i.sender_id, o.user_id AS other_id, ou.display_name AS other_name,
                c.created_at, c.closed_at, cb.display_name AS closed_by_name,
                EXISTS (SELECT 1 FROM blocks b WHERE b.blocker_id = $2 AND b.blocked_id = o.user_id) AS blocked_by_me
         FROM conversations c
         JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = $2
         JOIN conversation_members o ON o.conversation_id = c.id AND o.user_id <> $2
         JOIN users ou ON ou.id = o.user_id
         JOIN invitations i ON i.id = c.invitation_id
         LEFT JOIN works w ON w.id = i.work_id
         LEFT JOIN users cb ON cb.id = c.closed_by
         WHERE c.id = $1",
    )
    .bind(conversation_id)
    .bind(user_id)
    .fetch_optional(db)
    .await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct MessageRow {
    pub id: i64,
    pub sender_id: Option<i64>,
    pub sender_name: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// Up to `limit` messages before `before` (or the newest), newest first.
pub async fn messages(
    db: impl PgExecutor<'_>,
    conversation_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<MessageRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT m.id, m.sender_id, u.display_name AS sender_name, m.body, m.created_at
         FROM messages m LEFT JOIN users u ON u.id = m.sender_id
         WHERE m.conversation_id = $1 AND ($2::bigint IS NULL OR m.id < $2)
         ORDER BY m.id DESC LIMIT $3",
    )
    .bind(conversation_id)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Moves the user's read marker forward to `up_to` (never back).
pub async fn mark_read(
    db: impl PgExecutor<'_>,
    conversation_id: i64,
    user_id: i64,
    up_to: i64,
) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE conversation_members SET last_read_id = $3
         WHERE conversation_id = $1 AND user_id = $2 AND last_read_id < $3",
    )
    .bind(conversation_id)
    .bind(user_id)
    .bind(up_to)
    .execute(db)
    .await?;
    Ok(())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostOutcome {
    Posted(i64),
    /// Not a participant (or no such conversation).
    NotFound,
    /// Closed, or a block stands between the two.
    Closed,
}

/// Posts a message as a participant into an open conversation with no block between the two;
/// the sender's own message counts as read.
pub async fn post(
    conn: &mut PgConnection,
    conversation_id: i64,
    sender_id: i64,
    body: &str,
) -> Result<PostOutcome, AppError> {
    let mut tx = conn.begin().await?;
    let sql = format!(
        "INSERT INTO messages (conversation_id, sender_id, body)
         SELECT c.id, $2, $3 FROM conversations c
         JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = $2
         JOIN conversation_members o ON o.conversation_id = c.id AND o.user_id <> $2
         WHERE c.id = $1 AND c.closed_at IS NULL AND NOT {}
         RETURNING id",
        BLOCKED_BETWEEN.replace("$A", "$2").replace("$B", "o.user_id")
    );
    let id: Option<i64> =
        sqlx::query_scalar(&sql).bind(conversation_id).bind(sender_id).bind(body).fetch_optional(&mut *tx).await?;
    let outcome = match id {
        Some(id) => {
            mark_read(&mut *tx, conversation_id, sender_id, id).await?;
            PostOutcome::Posted(id)
        }
        None => {
            let member: bool = sqlx::query_scalar(
                "SELECT EXISTS (SELECT 1 FROM conversation_members WHERE conversation_id = $1 AND user_id = $2)",
            )
            .bind(conversation_id)
            .bind(sender_id)
            .fetch_one(&mut *tx)
            .await?;
            if member {
                PostOutcome::Closed
            } else {
                PostOutcome::NotFound
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}

/// A participant closes the conversation: `Some(true)` when closed now, `Some(false)` when it
/// already was, `None` when the user takes no part in it.
pub async fn close(db: &mut PgConnection, conversation_id: i64, user_id: i64) -> Result<Option<bool>, AppError> {
    let state: Option<bool> = sqlx::query_scalar(
        "SELECT c.closed_at IS NULL FROM conversations c
         JOIN conversation_members me ON me.conversation_id = c.id AND me.user_id = $2
         WHERE c.id = $1",
    )
    .bind(conversation_id)
    .bind(user_id)
    .fetch_optional(&mut *db)
    .await?;
    if state != Some(true) {
        return Ok(state);
    }
    let done =
        sqlx::query("UPDATE conversations SET closed_at = now(), closed_by = $2 WHERE id = $1 AND closed_at IS NULL")
            .bind(conversation_id)
            .bind(user_id)
            .execute(&mut *db)
            .await?;
    Ok(Some(done.rows_affected() == 1))
}

/// A conversation in the inbox.
#[derive(Debug, Clone, FromRow)]
pub struct SummaryRow {
    pub id: i64,
    pub other_name: String,
    pub subject: String,
    pub closed: bool,
    pub unread: i64,
    pub last_at: DateTime<Utc>,
}

/// The user's conversations, newest first, keyset-paged on id, with unread counts.
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: i64,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<SummaryRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.id, ou.display_name AS other_name, i.subject, c.closed_at IS NOT NULL AS closed,
                (SELECT count(*) FROM messages g
                 WHERE g.conversation_id = c.id AND g.id > me.last_read_id AND g.sender_id IS DISTINCT FROM $1) AS unread,
                coalesce((SELECT g.created_at FROM messages g WHERE g.conversation_id = c.id ORDER BY g.id DESC LIMIT 1),
                         c.created_at) AS last_at
         FROM conversation_members me
         JOIN conversations c ON c.id = me.conversation_id
         JOIN conversation_members o ON o.conversation_id = c.id AND o.user_id <> $1
         JOIN users ou ON ou.id = o.user_id
         JOIN invitations i ON i.id = c.invitation_id
         WHERE me.user_id = $1 AND ($2::bigint IS NULL OR c.id < $2)
         ORDER BY c.id DESC LIMIT $3",
    )
    .bind(user_id)
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
