//! Claims on author records: race-free state changes (one conditional UPDATE each, backed by
//! unique constraints), moderators, and the append-only audit log. Requests for review live in
//! `requests`, what an owner controls in `owner`.

mod owner;
mod requests;

pub use owner::*;
pub use requests::*;

use crate::domain::trust::ClaimState;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct RecordState {
    pub id: i64,
    pub slug: String,
    pub display_name: String,
    pub claim_state: ClaimState,
    pub claimed_by: Option<i64>,
    /// Which claim this is: it goes up by one each time the record is taken.
    pub claim_generation: i64,
}

pub async fn record_by_slug(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<RecordState>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, slug, display_name, claim_state, claimed_by, claim_generation FROM authors WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(db)
    .await?)
}

/// The slug of the record an account holds (claimed or pending), if any.
pub async fn record_held_by(db: impl PgExecutor<'_>, user_id: i64) -> Result<Option<String>, AppError> {
    Ok(sqlx::query_scalar("SELECT slug FROM authors WHERE claimed_by = $1").bind(user_id).fetch_optional(db).await?)
}

/// Web domains of the institutions on a record (its affiliations and the institutions printed on
/// its works), with the institution's name.
pub async fn institution_domains(db: impl PgExecutor<'_>, author_id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT d.domain, i.display_name
         FROM institution_domains d JOIN institutions i ON i.id = d.institution_id
         WHERE d.institution_id IN (SELECT institution_id FROM record_institutions WHERE author_id = $1)
         ORDER BY 1",
    )
    .bind(author_id)
    .fetch_all(db)
    .await?)
}

pub(super) async fn audit(
    db: impl PgExecutor<'_>,
    author_id: i64,
    actor: Option<i64>,
    from: ClaimState,
    to: ClaimState,
    reason: &str,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO claim_audit (author_id, actor_id, from_state, to_state, reason) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(author_id)
    .bind(actor)
    .bind(from)
    .bind(to)
    .bind(reason)
    .execute(db)
    .await?;
    Ok(())
}

/// How a claim attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOutcome {
    Done,
    /// Someone else got there first.
    Taken,
    /// This account already holds another record.
    AccountHoldsAnother,
}

fn outcome_of(error: sqlx::Error) -> Result<ClaimOutcome, AppError> {
    match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("authors_claimed_by_key") => {
            Ok(ClaimOutcome::AccountHoldsAnother)
        }
        sqlx::Error::Database(db) if db.constraint() == Some("claim_requests_one_open_claim_key") => {
            Ok(ClaimOutcome::Taken)
        }
        _ => Err(error.into()),
    }
}

/// Moves an unclaimed record to `to_state` for `user_id` in one conditional UPDATE: of many
/// concurrent claims exactly one changes the row; the unique index on `claimed_by` stops an
/// account from holding two. The record's claim generation goes up: this is a new claim.
async fn take_unclaimed(
    tx: &mut PgConnection,
    author_id: i64,
    user_id: i64,
    to_state: ClaimState,
) -> Result<ClaimOutcome, AppError> {
    let updated = sqlx::query(
        "UPDATE authors SET claim_state = $3, claimed_by = $2, claim_generation = claim_generation + 1,
                updated_at = now()
         WHERE id = $1 AND claim_state = $4",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(to_state)
    .bind(ClaimState::Unclaimed)
    .execute(&mut *tx)
    .await;
    match updated {
        Ok(done) if done.rows_affected() == 1 => Ok(ClaimOutcome::Done),
        Ok(_) => Ok(ClaimOutcome::Taken),
        Err(e) => outcome_of(e),
    }
}

/// A claim proven automatically (an institutional e-mail): unclaimed to claimed (L2).
pub async fn claim_with_automatic_evidence(
    conn: &mut PgConnection,
    author_id: i64,
    user_id: i64,
    reason: &str,
) -> Result<ClaimOutcome, AppError> {
    let mut tx = conn.begin().await?;
    let outcome = take_unclaimed(&mut tx, author_id, user_id, ClaimState::Claimed).await?;
    if outcome == ClaimOutcome::Done {
        audit(&mut *tx, author_id, Some(user_id), ClaimState::Unclaimed, ClaimState::Claimed, reason).await?;
        tx.commit().await?;
    }
    Ok(outcome)
}

/// A claim with written evidence: unclaimed to pending, and an open request for moderators.
pub async fn request_claim_review(
    conn: &mut PgConnection,
    author_id: i64,
    user_id: i64,
    evidence: &str,
    links: &[String],
) -> Result<ClaimOutcome, AppError> {
    let mut tx = conn.begin().await?;
    let outcome = take_unclaimed(&mut tx, author_id, user_id, ClaimState::Pending).await?;
    if outcome != ClaimOutcome::Done {
        return Ok(outcome);
    }
    let inserted = sqlx::query(
        "INSERT INTO claim_requests (author_id, user_id, kind, evidence, links, claim_generation)
         SELECT $1, $2, 'claim', $3, $4, claim_generation FROM authors WHERE id = $1",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(evidence)
    .bind(links)
    .execute(&mut *tx)
    .await;
    if let Err(e) = inserted {
        return outcome_of(e);
    }
    let why = "claim with written evidence, awaiting review";
    audit(&mut *tx, author_id, Some(user_id), ClaimState::Unclaimed, ClaimState::Pending, why).await?;
    tx.commit().await?;
    Ok(ClaimOutcome::Done)
}

/// Frees a claimed or pending record: a moderator's revocation (`by_owner` false) or the owner's
/// release, clearing everything the owner set (see `end_claim`). Returns whether anything changed.
pub async fn unclaim(
    conn: &mut PgConnection,
    author_id: i64,
    actor_id: i64,
    by_owner: bool,
    reason: &str,
) -> Result<bool, AppError> {
    let mut tx = conn.begin().await?;
    let current: Option<(ClaimState, Option<i64>)> =
        sqlx::query_as("SELECT claim_state, claimed_by FROM authors WHERE id = $1 FOR UPDATE")
            .bind(author_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((from, holder)) = current else {
        return Ok(false);
    };
    if from == ClaimState::Unclaimed || (by_owner && holder != Some(actor_id)) {
        return Ok(false);
    }
    end_claim(&mut tx, author_id).await?;
    audit(&mut *tx, author_id, Some(actor_id), from, ClaimState::Unclaimed, reason).await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub created_at: DateTime<Utc>,
    pub actor: Option<String>,
    pub from_state: ClaimState,
    pub to_state: ClaimState,
    pub reason: String,
}

pub async fn audit_log(db: impl PgExecutor<'_>, author_id: i64, limit: i64) -> Result<Vec<AuditRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT c.created_at, u.display_name AS actor, c.from_state, c.to_state, c.reason
         FROM claim_audit c LEFT JOIN users u ON u.id = c.actor_id
         WHERE c.author_id = $1 ORDER BY c.id DESC LIMIT $2",
    )
    .bind(author_id)
    .bind(limit)
    .fetch_all(db)
    .await?)
}

pub async fn grant_moderator(db: impl PgExecutor<'_>, email: &str) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE users SET is_moderator = TRUE WHERE email = $1").bind(email).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_moderator(db: impl PgExecutor<'_>, user_id: i64) -> Result<bool, AppError> {
    Ok(sqlx::query_scalar("SELECT is_moderator FROM users WHERE id = $1").bind(user_id).fetch_one(db).await?)
}
