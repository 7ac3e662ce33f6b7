//! Invitations: sending (one open per sender and recipient, never across a block), answering and
//! withdrawing them, the inbox lists with their read markers, and a sender's decline record.

use crate::domain::collaboration::{Answer, InvitationState};
use crate::domain::trust::ClaimState;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

/// A record as a possible recipient of invitations.
#[derive(Debug, Clone, FromRow)]
pub struct Recipient {
    pub author_id: i64,
    pub slug: String,
    pub display_name: String,
    pub claim_state: ClaimState,
    pub claimed_by: Option<i64>,
    pub open_to_collaborate: bool,
    pub recipient_email: Option<String>,
}

impl Recipient {
    pub fn is_claimed(&self) -> bool {
        self.claim_state.is_claimed() && self.claimed_by.is_some()
    }
}

pub async fn recipient_by_slug(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<Recipient>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id AS author_id, a.slug, a.display_name, a.claim_state, a.claimed_by, a.open_to_collaborate,
                u.email AS recipient_email
         FROM authors a LEFT JOIN users u ON u.id = a.claimed_by
         WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_optional(db)
    .await?)
}

/// The id of a work on the record (and not hidden from it), by slug.
pub async fn work_on_record(db: impl PgExecutor<'_>, author_id: i64, work_slug: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT w.id FROM works w JOIN record_authorships s ON s.work_id = w.id AND s.author_id = $1
         WHERE w.slug = $2
         LIMIT 1",
    )
    .bind(author_id)
    .bind(work_slug)
    .fetch_optional(db)
    .await?)
}

/// Whether either of two users blocked the other.
pub const BLOCKED_BETWEEN: &str =
    "EXISTS (SELECT 1 FROM blocks b WHERE (b.blocker_id = $A AND b.blocked_id = $B) OR (b.blocker_id = $B AND b.blocked_id = $A))";

fn blocked_between(a: &str, b: &str) -> String {
    BLOCKED_BETWEEN.replace("$A", a).replace("$B", b)
}

pub struct NewInvitation<'a> {
    pub sender_id: i64,
    pub author_id: i64,
    pub work_id: Option<i64>,
    pub subject: &'a str,
    pub body: &'a str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendOutcome {
    Sent(i64),
    /// The sender already has an open invitation to this recipient.
    AlreadyOpen,
    /// The record is not claimed, not open to collaborate, or is the sender's own.
    NotAccepting,
    /// One of the two blocked the other.
    Blocked,
}

/// Sends an invitation in one statement: the record must be claimed by someone else and open to
/// collaborate, no block may stand between the two, and the partial unique index keeps one open
/// invitation per pair even under concurrent sends.
pub async fn send(conn: &mut PgConnection, new: &NewInvitation<'_>) -> Result<SendOutcome, AppError> {
    let sql = format!(
        "INSERT INTO invitations (sender_id, recipient_id, author_id, work_id, subject, body)
         SELECT $1, a.claimed_by, a.id, $3, $4, $5 FROM authors a
         WHERE a.id = $2 AND a.claim_state IN ('claimed', 'confirmed') AND a.open_to_collaborate
           AND a.claimed_by <> $1 AND NOT {}
         ON CONFLICT (sender_id, recipient_id) WHERE state = 'pending' DO NOTHING
         RETURNING id",
        blocked_between("$1", "a.claimed_by")
    );
    let id: Option<i64> = sqlx::query_scalar(&sql)
        .bind(new.sender_id)
        .bind(new.author_id)
        .bind(new.work_id)
        .bind(new.subject)
        .bind(new.body)
        .fetch_optional(&mut *conn)
        .await?;
    if let Some(id) = id {
        return Ok(SendOutcome::Sent(id));
    }
    let why = format!(
        "SELECT coalesce({}, FALSE),
                EXISTS (SELECT 1 FROM invitations i WHERE i.sender_id = $1 AND i.recipient_id = a.claimed_by AND i.state = 'pending')
         FROM authors a WHERE a.id = $2",
        blocked_between("$1", "a.claimed_by")
    );
    let reason: Option<(bool, bool)> =
        sqlx::query_as(&why).bind(new.sender_id).bind(new.author_id).fetch_optional(&mut *conn).await?;
    Ok(match reason {
        Some((true, _)) => SendOutcome::Blocked,
        Some((false, true)) => SendOutcome::AlreadyOpen,
        _ => SendOutcome::NotAccepting,
    })
}

/// The three columns a sender's standing is read from, for the record aliased `record` and the
/// sender `sender` (SQL expressions): whether it takes invitations from them, whether a block
/// stands between them, and their open invitation's id.
pub fn standing_columns(record: &str, sender: &str) -> String {
    format!(
        "coalesce({record}.claim_state IN ('claimed', 'confirmed') AND {record}.open_to_collaborate
                  AND {record}.claimed_by <> {sender}, FALSE) AS accepting,
         coalesce({}, FALSE) AS blocked,
         (SELECT id FROM invitations WHERE sender_id = {sender} AND recipient_id = {record}.claimed_by
          AND state = 'pending') AS invitation_id",
        blocked_between(sender, &format!("{record}.claimed_by"))
    )
}

/// The standing the columns of `standing_columns` say (none: the record does not exist).
pub fn standing_of(row: Option<(bool, bool, Option<i64>)>) -> crate::model::collaboration::Standing {
    use crate::model::collaboration::Standing;
    match row {
        None | Some((false, _, _)) => Standing::NotAccepting,
        Some((true, true, _)) => Standing::Unavailable,
        Some((true, false, Some(invitation_id))) => Standing::Invited { invitation_id },
        Some((true, false, None)) => Standing::CanInvite,
    }
}

/// A would-be sender's standing with the record at `slug`, in one query: whether it takes
/// invitations from them at all (claimed by someone else, open to collaborate), whether a
/// block stands between them (told neutrally), and their open invitation.
pub async fn standing(
    db: impl PgExecutor<'_>,
    slug: &str,
    sender_id: i64,
) -> Result<crate::model::collaboration::Standing, AppError> {
    let sql = format!("SELECT {} FROM authors a WHERE a.slug = $1", standing_columns("a", "$2"));
    let row: Option<(bool, bool, Option<i64>)> =
        sqlx::query_as(&sql).bind(slug).bind(sender_id).fetch_optional(db).await?;
    Ok(standing_of(row))
}

/// How many of the sender's last `window` answered invitations were declined.
pub async fn recent_declines(db: impl PgExecutor<'_>, sender_id: i64, window: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "SELECT count(*) FILTER (WHERE state = 'declined') FROM (
             SELECT state FROM invitations
             WHERE sender_id = $1 AND state IN ('accepted', 'declined')
             ORDER BY decided_at DESC LIMIT $2) recent",
    )
    .bind(sender_id)
    .bind(window)
    .fetch_one(db)
    .await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnswerOutcome {
    Accepted {
        conversation_id: i64,
    },
    Declined,
    /// No such invitation to this user.
    NotFound,
    AlreadyAnswered,
    Blocked,
}

/// The recipient accepts (opening the conversation, in the same transaction) or declines.
pub async fn answer(
    conn: &mut PgConnection,
    id: i64,
    recipient_id: i64,
    answer: Answer,
    note: Option<&str>,
) -> Result<AnswerOutcome, AppError> {
    let mut tx = conn.begin().await?;
    let sql = format!(
        "UPDATE invitations SET state = $3, response_note = $4, decided_at = now(), sender_seen = FALSE,
                recipient_seen = TRUE
         WHERE id = $1 AND recipient_id = $2 AND state = $5 AND ($3 = $6 OR NOT {})
         RETURNING sender_id",
        blocked_between("sender_id", "recipient_id")
    );
    let sender: Option<i64> = sqlx::query_scalar(&sql)
        .bind(id)
        .bind(recipient_id)
        .bind(answer.state())
        .bind(note)
        .bind(InvitationState::Pending)
        .bind(InvitationState::Declined)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(sender_id) = sender else {
        let why = format!(
            "SELECT state, {} FROM invitations WHERE id = $1 AND recipient_id = $2",
            blocked_between("sender_id", "recipient_id")
        );
        let state: Option<(InvitationState, bool)> =
            sqlx::query_as(&why).bind(id).bind(recipient_id).fetch_optional(&mut *tx).await?;
        return Ok(match state {
            None => AnswerOutcome::NotFound,
            Some((state, _)) if state != InvitationState::Pending => AnswerOutcome::AlreadyAnswered,
            Some(_) => AnswerOutcome::Blocked,
        });
    };
    if answer == Answer::Decline {
        tx.commit().await?;
        return Ok(AnswerOutcome::Declined);
    }
    let conversation_id: i64 = sqlx::query_scalar("INSERT INTO conversations (invitation_id) VALUES ($1) RETURNING id")
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO conversation_members (conversation_id, user_id) VALUES ($1, $2), ($1, $3)")
        .bind(conversation_id)
        .bind(sender_id)
        .bind(recipient_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(AnswerOutcome::Accepted { conversation_id })
}

/// The sender withdraws an open invitation: `Some(true)` when withdrawn, `Some(false)` when it
/// was already answered, `None` when the sender has no such invitation.
pub async fn withdraw(db: &mut PgConnection, id: i64, sender_id: i64) -> Result<Option<bool>, AppError> {
    let done = sqlx::query(
        "UPDATE invitations SET state = 'withdrawn', decided_at = now(), recipient_seen = TRUE
         WHERE id = $1 AND sender_id = $2 AND state = 'pending'",
    )
    .bind(id)
    .bind(sender_id)
    .execute(&mut *db)
    .await?;
    if done.rows_affected() == 1 {
        return Ok(Some(true));
    }
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM invitations WHERE id = $1 AND sender_id = $2)")
        .bind(id)
        .bind(sender_id)
        .fetch_one(&mut *db)
        .await?;
    Ok(exists.then_some(false))
}

/// An invitation as either side's inbox lists it.
#[derive(Debug, Clone, FromRow)]
pub struct InvitationRow {
    pub id: i64,
    pub sender_id: i64,
    pub sender_name: String,
    /// The record the sender holds, if any, so the recipient can see who is asking.
    pub sender_slug: Option<String>,
    pub recipient_id: i64,
    pub author_slug: String,
    pub author_name: String,
    pub work_slug: Option<String>,
    pub work_title: Option<String>,
    pub subject: String,
    pub body: String,
    pub state: InvitationState,
    pub response_note: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
    pub conversation_id: Option<i64>,
    /// Not yet seen by the user whose list this is.
    pub unseen: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    Received,
    Sent,
}

/// One side's invitations, newest first, keyset-paged on id.
pub async fn list(
    db: impl PgExecutor<'_>,
    user_id: i64,
    side: Side,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<InvitationRow>, AppError> {
    let (column, unseen) = match side {
        Side::Received => ("i.recipient_id", "NOT i.recipient_seen"),
        Side::Sent => ("i.sender_id", "NOT i.sender_seen"),
    };
    let sql = format!(
        "SELECT i.id, i.sender_id, su.display_name AS sender_name, sa.slug AS sender_slug, i.recipient_id,
                a.slug AS author_slug, a.display_name AS author_name, w.slug AS work_slug, w.title AS work_title,
                i.subject, i.body, i.state, i.response_note, i.created_at, i.decided_at,
                c.id AS conversation_id, {unseen} AS unseen
         FROM invitations i
         JOIN users su ON su.id = i.sender_id
         JOIN authors a ON a.id = i.author_id
         LEFT JOIN authors sa ON sa.claimed_by = i.sender_id AND sa.claim_state IN ('claimed', 'confirmed')
         LEFT JOIN works w ON w.id = i.work_id
         LEFT JOIN conversations c ON c.invitation_id = i.id
         WHERE {column} = $1 AND ($2::bigint IS NULL OR i.id < $2)
         ORDER BY i.id DESC LIMIT $3"
    );
    Ok(sqlx::query_as(&sql).bind(user_id).bind(before).bind(limit).fetch_all(db).await?)
}

/// Marks every invitation (and answer) the user has been shown as seen.
pub async fn mark_seen(db: impl PgExecutor<'_>, user_id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE invitations
         SET recipient_seen = recipient_seen OR recipient_id = $1, sender_seen = sender_seen OR sender_id = $1
         WHERE (recipient_id = $1 AND NOT recipient_seen) OR (sender_id = $1 AND NOT sender_seen)",
    )
    .bind(user_id)
    .execute(db)
    .await?;
    Ok(())
}

/// What the header counts for the user `$user` (an SQL expression): new invitations, answers not
/// yet seen, and unread messages.
macro_rules! unread_total_sql {
    ($user:literal) => {
        concat!(
            "SELECT (SELECT count(*) FROM invitations WHERE recipient_id = ",
            $user,
            " AND NOT recipient_seen)
                  + (SELECT count(*) FROM invitations WHERE sender_id = ",
            $user,
            " AND NOT sender_seen)
                  + (SELECT count(*) FROM conversation_members m
                     JOIN messages g ON g.conversation_id = m.conversation_id AND g.id > m.last_read_id
                     WHERE m.user_id = ",
            $user,
            " AND g.sender_id IS DISTINCT FROM ",
            $user,
            ")"
        )
    };
}
pub(crate) use unread_total_sql;

/// What the header counts: new invitations, answers not yet seen, and unread messages.
pub async fn unread_total(db: impl PgExecutor<'_>, user_id: i64) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(unread_total_sql!("$1")).bind(user_id).fetch_one(db).await?)
}
