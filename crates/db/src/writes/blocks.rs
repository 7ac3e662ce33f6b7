//! Blocks between users: blocking ends what is open between the two (their pending invitations,
//! their conversations) in one transaction; afterwards nothing more arrives in either direction.

use crate::error::AppError;
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

/// `blocker` blocks `blocked`. The blocked user's open invitations to the blocker are declined,
/// the blocker's to them withdrawn, and conversations between the two closed. Returns whether
/// the block is new.
pub async fn block(conn: &mut PgConnection, blocker_id: i64, blocked_id: i64) -> Result<bool, AppError> {
    let mut tx = conn.begin().await?;
    let new = sqlx::query("INSERT INTO blocks (blocker_id, blocked_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(blocker_id)
        .bind(blocked_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
        == 1;
    sqlx::query(
        "UPDATE invitations SET state = 'declined', decided_at = now(), sender_seen = FALSE, recipient_seen = TRUE
         WHERE sender_id = $2 AND recipient_id = $1 AND state = 'pending'",
    )
    .bind(blocker_id)
    .bind(blocked_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE invitations SET state = 'withdrawn', decided_at = now(), recipient_seen = TRUE
         WHERE sender_id = $1 AND recipient_id = $2 AND state = 'pending'",
    )
    .bind(blocker_id)
    .bind(blocked_id)
    .execute(&mut *tx)
    .await?;
    sqlx::query(
        "UPDATE conversations c SET closed_at = now(), closed_by = $1
         WHERE c.closed_at IS NULL
           AND c.id IN (SELECT a.conversation_id FROM conversation_members a
                        JOIN conversation_members b ON b.conversation_id = a.conversation_id
                        WHERE a.user_id = $1 AND b.user_id = $2)",
    )
    .bind(blocker_id)
    .bind(blocked_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(new)
}

/// Lifts a block; returns whether there was one.
pub async fn unblock(db: impl PgExecutor<'_>, blocker_id: i64, blocked_id: i64) -> Result<bool, AppError> {
    let done = sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
        .bind(blocker_id)
        .bind(blocked_id)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

#[derive(Debug, Clone, FromRow)]
pub struct BlockedRow {
    pub user_id: i64,
    pub display_name: String,
}

/// Whom the user blocked, most recent first.
pub async fn blocked_by(db: impl PgExecutor<'_>, blocker_id: i64, limit: i64) -> Result<Vec<BlockedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id AS user_id, u.display_name FROM blocks b JOIN users u ON u.id = b.blocked_id
         WHERE b.blocker_id = $1 ORDER BY b.created_at DESC, b.blocked_id DESC LIMIT $2",
    )
    .bind(blocker_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// Whether `user_id` has had any invitation with `other_id`, either way: one can block only
/// someone who has reached them (or whom they reached).
pub async fn have_met(db: impl PgExecutor<'_>, user_id: i64, other_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM invitations
                        WHERE (sender_id = $1 AND recipient_id = $2) OR (sender_id = $2 AND recipient_id = $1))",
    )
    .bind(user_id)
    .bind(other_id)
    .fetch_one(db)
    .await?)
}
