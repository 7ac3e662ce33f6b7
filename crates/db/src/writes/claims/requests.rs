//! Requests for review: disputes (tied to the claim they dispute, limited per account), the
//! paged moderation queue, and moderators' decisions.

use super::{audit, end_claim};
use crate::domain::claims::{claim_after, RequestKind, RequestStatus, Verdict};
use crate::domain::time_cursor::TimeCursor;
use crate::domain::trust::ClaimState;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

/// How an attempt to dispute a claim ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DisputeOutcome {
    Opened(i64),
    /// The record is not claimed (any more).
    NotClaimed,
    /// The disputing account holds the record.
    OwnClaim,
    /// The record changed hands since the disputant looked at it.
    ChangedHands,
    /// This account already has an open dispute of this record.
    AlreadyOpen,
    /// This account has as many open disputes as it may.
    TooMany,
}

/// Written evidence against the current claim (claimed or pending) of a record. The dispute
/// records which claim it is about (`expected`, when given, is the claim the disputant saw). One
/// open dispute per account and record (a unique index), at most `max_open` per account: the
/// account's row is locked while counting, so concurrent disputes cannot pass the limit together.
pub async fn open_dispute(
    conn: &mut PgConnection,
    author_id: i64,
    user_id: i64,
    expected: Option<i64>,
    evidence: &str,
    links: &[String],
    max_open: i64,
) -> Result<DisputeOutcome, AppError> {
    let mut tx = conn.begin().await?;
    // FOR SHARE: the claim cannot end while the dispute of it is being written.
    let record: Option<(ClaimState, Option<i64>, i64)> =
        sqlx::query_as("SELECT claim_state, claimed_by, claim_generation FROM authors WHERE id = $1 FOR SHARE")
            .bind(author_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((_, holder, generation)) = record.filter(|(state, _, _)| *state != ClaimState::Unclaimed) else {
        return Ok(DisputeOutcome::NotClaimed);
    };
    if holder == Some(user_id) {
        return Ok(DisputeOutcome::OwnClaim);
    }
    if expected.is_some_and(|seen| seen != generation) {
        return Ok(DisputeOutcome::ChangedHands);
    }
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR NO KEY UPDATE").bind(user_id).execute(&mut *tx).await?;
    let (open, here): (i64, bool) = sqlx::query_as(
        "SELECT count(*), coalesce(bool_or(author_id = $2), FALSE) FROM claim_requests
         WHERE user_id = $1 AND kind = 'dispute' AND status = 'open'",
    )
    .bind(user_id)
    .bind(author_id)
    .fetch_one(&mut *tx)
    .await?;
    if here {
        return Ok(DisputeOutcome::AlreadyOpen);
    }
    if open >= max_open {
        return Ok(DisputeOutcome::TooMany);
    }
    let inserted: Result<i64, sqlx::Error> = sqlx::query_scalar(
        "INSERT INTO claim_requests (author_id, user_id, kind, evidence, links, claim_generation)
         VALUES ($1, $2, 'dispute', $3, $4, $5) RETURNING id",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(evidence)
    .bind(links)
    .bind(generation)
    .fetch_one(&mut *tx)
    .await;
    let id = match inserted {
        Ok(id) => id,
        Err(sqlx::Error::Database(db)) if db.constraint() == Some("claim_requests_one_open_dispute_key") => {
            return Ok(DisputeOutcome::AlreadyOpen);
        }
        Err(e) => return Err(e.into()),
    };
    tx.commit().await?;
    Ok(DisputeOutcome::Opened(id))
}

#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub kind: RequestKind,
    pub evidence: String,
    pub links: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub author_slug: String,
    pub author_name: String,
    pub claim_state: ClaimState,
    pub requester_id: i64,
    pub requester_name: String,
    pub requester_email: String,
    /// Who holds the record now (for a dispute: the account disputed).
    pub holder_id: Option<i64>,
}

/// One page of open requests, oldest first, keyset-paged on (created_at, id) along the partial
/// index `claim_requests_open_idx`.
pub async fn open_requests(
    db: impl PgExecutor<'_>,
    after: Option<TimeCursor>,
    limit: i64,
) -> Result<Vec<RequestRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT r.id, r.kind, r.evidence, r.links, r.created_at, a.slug AS author_slug, a.display_name AS author_name,
                a.claim_state, r.user_id AS requester_id, u.display_name AS requester_name,
                u.email AS requester_email, a.claimed_by AS holder_id
         FROM claim_requests r JOIN authors a ON a.id = r.author_id JOIN users u ON u.id = r.user_id
         WHERE r.status = 'open' AND (r.created_at, r.id) > ($1, $2)
         ORDER BY r.created_at, r.id LIMIT $3",
    )
    // The first page starts at the epoch: every request was made after it.
    .bind(after.map_or(DateTime::UNIX_EPOCH, |c| c.at()))
    .bind(after.map_or(0, |c| c.id()))
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// How many claims and disputes are open.
pub async fn open_request_counts(db: impl PgExecutor<'_>) -> Result<(i64, i64), AppError> {
    Ok(sqlx::query_as(
        "SELECT count(*) FILTER (WHERE kind = 'claim'), count(*) FILTER (WHERE kind = 'dispute')
         FROM claim_requests WHERE status = 'open'",
    )
    .fetch_one(db)
    .await?)
}

/// What a moderator's decision did, for the mail to the requester.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: RequestKind,
    pub requester_email: String,
    pub author_slug: String,
    pub author_name: String,
}

/// How a moderator's decision ended.
#[derive(Debug, Clone)]
pub enum Decided {
    Done(Decision),
    NoSuchRequest,
    /// Decided already, withdrawn or closed as stale.
    NotOpen {
        kind: RequestKind,
        status: RequestStatus,
    },
    /// The claim it was about has ended; it is now closed as stale and changes nothing.
    Stale {
        kind: RequestKind,
    },
    /// The moderator made this request: another moderator decides it.
    OwnRequest,
    /// A dispute of the moderator's own claim: another moderator decides it.
    OwnRecord,
}

/// Approves or rejects an open request. An approved claim confirms the record (L3); a rejected
/// one frees it; an approved dispute ends the claim it disputes. A request acts only on the claim
/// it is about: when that claim has ended, it is closed as stale instead.
pub async fn decide(
    conn: &mut PgConnection,
    request_id: i64,
    moderator_id: i64,
    verdict: Verdict,
    reason: &str,
) -> Result<Decided, AppError> {
    let mut tx = conn.begin().await?;
    let author: Option<i64> = sqlx::query_scalar("SELECT author_id FROM claim_requests WHERE id = $1")
        .bind(request_id)
        .fetch_optional(&mut *tx)
        .await?;
    let Some(author_id) = author else {
        return Ok(Decided::NoSuchRequest);
    };
    // The record first, then the request: the order every claim change locks them in.
    let (from, holder, generation, slug, name): (ClaimState, Option<i64>, i64, String, String) = sqlx::query_as(
        "SELECT claim_state, claimed_by, claim_generation, slug, display_name FROM authors WHERE id = $1 FOR UPDATE",
    )
    .bind(author_id)
    .fetch_one(&mut *tx)
    .await?;
    let (user_id, kind, status, about): (i64, RequestKind, RequestStatus, i64) =
        sqlx::query_as("SELECT user_id, kind, status, claim_generation FROM claim_requests WHERE id = $1 FOR UPDATE")
            .bind(request_id)
            .fetch_one(&mut *tx)
            .await?;
    if status != RequestStatus::Open {
        return Ok(Decided::NotOpen { kind, status });
    }
    if user_id == moderator_id {
        return Ok(Decided::OwnRequest);
    }
    if kind == RequestKind::Dispute && holder == Some(moderator_id) {
        return Ok(Decided::OwnRecord);
    }
    if from == ClaimState::Unclaimed || about != generation {
        sqlx::query("UPDATE claim_requests SET status = $2, decided_at = now() WHERE id = $1")
            .bind(request_id)
            .bind(RequestStatus::Stale)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        return Ok(Decided::Stale { kind });
    }
    sqlx::query(
        "UPDATE claim_requests SET status = $2, decided_by = $3, decision = $4, decided_at = now() WHERE id = $1",
    )
    .bind(request_id)
    .bind(verdict.status())
    .bind(moderator_id)
    .bind(reason)
    .execute(&mut *tx)
    .await?;
    let to = claim_after(kind, verdict, from);
    if to == ClaimState::Unclaimed {
        end_claim(&mut tx, author_id).await?;
    } else if to != from {
        sqlx::query("UPDATE authors SET claim_state = $2, claimed_by = $3, updated_at = now() WHERE id = $1")
            .bind(author_id)
            .bind(to)
            .bind(user_id)
            .execute(&mut *tx)
            .await?;
    }
    let what = format!("{} {}: {reason}", kind.name(), verdict.past());
    audit(&mut *tx, author_id, Some(moderator_id), from, to, &what).await?;
    let email: String =
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(Decided::Done(Decision { kind, requester_email: email, author_slug: slug, author_name: name }))
}
