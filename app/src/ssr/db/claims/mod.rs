//! Claims on author records: race-free state changes (one conditional UPDATE each, backed by
//! unique constraints), review requests, moderators, and the append-only audit log.

use chrono::{DateTime, Utc};
use sqlx::{Acquire, FromRow, PgConnection, PgExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct RecordState {
    pub id: i64,
    pub slug: String,
    pub display_name: String,
    pub claim_state: String,
    pub claimed_by: Option<i64>,
}

pub async fn record_by_slug(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<RecordState>, sqlx::Error> {
    sqlx::query_as("SELECT id, slug, display_name, claim_state, claimed_by FROM authors WHERE slug = $1")
        .bind(slug)
        .fetch_optional(db)
        .await
}

/// The slug of the record an account holds (claimed or pending), if any.
pub async fn record_held_by(db: impl PgExecutor<'_>, user_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT slug FROM authors WHERE claimed_by = $1").bind(user_id).fetch_optional(db).await
}

/// Web domains of the institutions on a record (its affiliations and the institutions printed on
/// its works), with the institution's name.
pub async fn institution_domains(
    db: impl PgExecutor<'_>,
    author_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT DISTINCT d.domain, i.display_name
         FROM institution_domains d JOIN institutions i ON i.id = d.institution_id
         WHERE d.institution_id IN (
             SELECT institution_id FROM affiliations WHERE author_id = $1
             UNION
             SELECT ai.institution_id FROM authorships s
             JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
             WHERE s.author_id = $1)
         ORDER BY 1",
    )
    .bind(author_id)
    .fetch_all(db)
    .await
}

/// Keeps an institution's web domain for e-mail matching.
pub async fn add_institution_domain(
    db: impl PgExecutor<'_>,
    institution_id: i64,
    domain: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO institution_domains (domain, institution_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(domain)
        .bind(institution_id)
        .execute(db)
        .await?;
    Ok(())
}

async fn audit(
    db: impl PgExecutor<'_>,
    author_id: i64,
    actor: Option<i64>,
    from: &str,
    to: &str,
    reason: &str,
) -> Result<(), sqlx::Error> {
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

fn outcome_of(error: sqlx::Error) -> Result<ClaimOutcome, sqlx::Error> {
    match &error {
        sqlx::Error::Database(db) if db.constraint() == Some("authors_claimed_by_key") => {
            Ok(ClaimOutcome::AccountHoldsAnother)
        }
        sqlx::Error::Database(db) if db.constraint() == Some("claim_requests_one_open_claim_key") => {
            Ok(ClaimOutcome::Taken)
        }
        _ => Err(error),
    }
}

/// Moves an unclaimed record to `to_state` for `user_id` in one conditional UPDATE: of many
/// concurrent claims exactly one changes the row; the unique index on `claimed_by` stops an
/// account from holding two.
async fn take_unclaimed(
    tx: &mut PgConnection,
    author_id: i64,
    user_id: i64,
    to_state: &str,
) -> Result<ClaimOutcome, sqlx::Error> {
    let updated = sqlx::query(
        "UPDATE authors SET claim_state = $3, claimed_by = $2, updated_at = now()
         WHERE id = $1 AND claim_state = 'unclaimed'",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(to_state)
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
) -> Result<ClaimOutcome, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let outcome = take_unclaimed(&mut tx, author_id, user_id, "claimed").await?;
    if outcome == ClaimOutcome::Done {
        audit(&mut *tx, author_id, Some(user_id), "unclaimed", "claimed", reason).await?;
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
) -> Result<ClaimOutcome, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let outcome = take_unclaimed(&mut tx, author_id, user_id, "pending").await?;
    if outcome != ClaimOutcome::Done {
        return Ok(outcome);
    }
    let inserted = sqlx::query(
        "INSERT INTO claim_requests (author_id, user_id, kind, evidence, links) VALUES ($1, $2, 'claim', $3, $4)",
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
    audit(&mut *tx, author_id, Some(user_id), "unclaimed", "pending", "claim with written evidence, awaiting review")
        .await?;
    tx.commit().await?;
    Ok(ClaimOutcome::Done)
}

/// Written evidence against a claimed (or pending) record, for moderators.
pub async fn open_dispute(
    db: impl PgExecutor<'_>,
    author_id: i64,
    user_id: i64,
    evidence: &str,
    links: &[String],
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO claim_requests (author_id, user_id, kind, evidence, links) VALUES ($1, $2, 'dispute', $3, $4) RETURNING id",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(evidence)
    .bind(links)
    .fetch_one(db)
    .await
}

#[derive(Debug, Clone, FromRow)]
pub struct RequestRow {
    pub id: i64,
    pub kind: String,
    pub evidence: String,
    pub links: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub author_slug: String,
    pub author_name: String,
    pub claim_state: String,
    pub requester_name: String,
    pub requester_email: String,
}

/// Open requests, oldest first, keyset-paged on id.
pub async fn open_requests(db: impl PgExecutor<'_>, after_id: i64, limit: i64) -> Result<Vec<RequestRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT r.id, r.kind, r.evidence, r.links, r.created_at, a.slug AS author_slug, a.display_name AS author_name,
                a.claim_state, u.display_name AS requester_name, u.email AS requester_email
         FROM claim_requests r JOIN authors a ON a.id = r.author_id JOIN users u ON u.id = r.user_id
         WHERE r.status = 'open' AND r.id > $1
         ORDER BY r.id LIMIT $2",
    )
    .bind(after_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

/// What a moderator's decision did, for the mail to the requester.
#[derive(Debug, Clone)]
pub struct Decision {
    pub kind: String,
    pub requester_email: String,
    pub author_slug: String,
    pub author_name: String,
}

/// Approves or rejects an open request. An approved claim confirms the record (L3); a rejected
/// one frees it; an approved dispute revokes the claim. Returns `None` when the request is not
/// open (decided already).
pub async fn decide(
    conn: &mut PgConnection,
    request_id: i64,
    moderator_id: i64,
    approve: bool,
    reason: &str,
) -> Result<Option<Decision>, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let request: Option<(i64, i64, String)> = sqlx::query_as(
        "UPDATE claim_requests SET status = $2, decided_by = $3, decision = $4, decided_at = now()
         WHERE id = $1 AND status = 'open' RETURNING author_id, user_id, kind",
    )
    .bind(request_id)
    .bind(if approve { "approved" } else { "rejected" })
    .bind(moderator_id)
    .bind(reason)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((author_id, user_id, kind)) = request else {
        return Ok(None);
    };
    let record: (String, String, String) =
        sqlx::query_as("SELECT claim_state, slug, display_name FROM authors WHERE id = $1 FOR UPDATE")
            .bind(author_id)
            .fetch_one(&mut *tx)
            .await?;
    let (from, slug, name) = record;
    let to = match (kind.as_str(), approve) {
        ("claim", true) if from == "pending" => "confirmed",
        ("claim", false) if from == "pending" => "unclaimed",
        ("dispute", true) => "unclaimed",
        _ => from.as_str(),
    };
    if to != from {
        let holder = if to == "unclaimed" { None } else { Some(user_id) };
        sqlx::query("UPDATE authors SET claim_state = $2, claimed_by = $3, updated_at = now() WHERE id = $1")
            .bind(author_id)
            .bind(to)
            .bind(holder)
            .execute(&mut *tx)
            .await?;
    }
    let what = if approve { "approved" } else { "rejected" };
    audit(&mut *tx, author_id, Some(moderator_id), &from, to, &format!("{kind} {what}: {reason}")).await?;
    let email: String =
        sqlx::query_scalar("SELECT email FROM users WHERE id = $1").bind(user_id).fetch_one(&mut *tx).await?;
    tx.commit().await?;
    Ok(Some(Decision { kind, requester_email: email, author_slug: slug, author_name: name }))
}

/// Frees a claimed or pending record: a moderator's revocation (`by_owner` false) or the owner's
/// release. Open claim requests on it are withdrawn. Returns whether anything changed.
pub async fn unclaim(
    conn: &mut PgConnection,
    author_id: i64,
    actor_id: i64,
    by_owner: bool,
    reason: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let from: Option<String> = sqlx::query_scalar(
        "UPDATE authors a SET claim_state = 'unclaimed', claimed_by = NULL, updated_at = now()
         FROM (SELECT claim_state FROM authors WHERE id = $1 FOR UPDATE) old
         WHERE a.id = $1 AND a.claim_state <> 'unclaimed' AND (NOT $3 OR a.claimed_by = $2)
         RETURNING old.claim_state",
    )
    .bind(author_id)
    .bind(actor_id)
    .bind(by_owner)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(from) = from else {
        return Ok(false);
    };
    sqlx::query("UPDATE claim_requests SET status = 'withdrawn', decided_at = now() WHERE author_id = $1 AND kind = 'claim' AND status = 'open'")
        .bind(author_id)
        .execute(&mut *tx)
        .await?;
    audit(&mut *tx, author_id, Some(actor_id), &from, "unclaimed", reason).await?;
    tx.commit().await?;
    Ok(true)
}

#[derive(Debug, Clone, FromRow)]
pub struct AuditRow {
    pub created_at: DateTime<Utc>,
    pub actor: Option<String>,
    pub from_state: String,
    pub to_state: String,
    pub reason: String,
}

pub async fn audit_log(db: impl PgExecutor<'_>, author_id: i64, limit: i64) -> Result<Vec<AuditRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT c.created_at, u.display_name AS actor, c.from_state, c.to_state, c.reason
         FROM claim_audit c LEFT JOIN users u ON u.id = c.actor_id
         WHERE c.author_id = $1 ORDER BY c.id DESC LIMIT $2",
    )
    .bind(author_id)
    .bind(limit)
    .fetch_all(db)
    .await
}

pub async fn grant_moderator(db: impl PgExecutor<'_>, email: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query("UPDATE users SET is_moderator = TRUE WHERE email = $1").bind(email).execute(db).await?;
    Ok(done.rows_affected() == 1)
}

pub async fn is_moderator(db: impl PgExecutor<'_>, user_id: i64) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT is_moderator FROM users WHERE id = $1").bind(user_id).fetch_one(db).await
}

/// The owner's edits; only the account holding a claimed (not pending) record may make them.
#[derive(Debug, Clone)]
pub struct OwnerEdit<'a> {
    pub bio: Option<&'a str>,
    pub homepage_url: Option<&'a str>,
    pub affiliation_institution_id: Option<i64>,
    pub affiliation_text: Option<&'a str>,
    pub open_to_collaborate: bool,
}

pub async fn update_owned_record(
    db: impl PgExecutor<'_>,
    author_id: i64,
    user_id: i64,
    edit: &OwnerEdit<'_>,
) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE authors SET bio = $3, homepage_url = $4, affiliation_institution_id = $5, affiliation_text = $6,
                open_to_collaborate = $7, updated_at = now()
         WHERE id = $1 AND claimed_by = $2 AND claim_state IN ('claimed', 'confirmed')",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(edit.bio)
    .bind(edit.homepage_url)
    .bind(edit.affiliation_institution_id)
    .bind(edit.affiliation_text)
    .bind(edit.open_to_collaborate)
    .execute(db)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Hides one of the owner's works from their record, with an audit row.
pub async fn hide_work(
    conn: &mut PgConnection,
    author_id: i64,
    user_id: i64,
    work_slug: &str,
) -> Result<bool, sqlx::Error> {
    let mut tx = conn.begin().await?;
    let hidden: Option<(String, String)> = sqlx::query_as(
        "INSERT INTO hidden_works (author_id, work_id)
         SELECT a.id, w.id FROM authors a JOIN authorships s ON s.author_id = a.id JOIN works w ON w.id = s.work_id
         WHERE a.id = $1 AND a.claimed_by = $2 AND a.claim_state IN ('claimed', 'confirmed') AND w.slug = $3
         LIMIT 1
         ON CONFLICT DO NOTHING
         RETURNING (SELECT claim_state FROM authors WHERE id = $1), (SELECT title FROM works WHERE slug = $3)",
    )
    .bind(author_id)
    .bind(user_id)
    .bind(work_slug)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((state, title)) = hidden else {
        return Ok(false);
    };
    audit(&mut *tx, author_id, Some(user_id), &state, &state, &format!("hid a work that is not theirs: {title}"))
        .await?;
    tx.commit().await?;
    Ok(true)
}

/// The institutions on a record (affiliations and bylines), for the owner's affiliation choice.
pub async fn record_institutions(
    db: impl PgExecutor<'_>,
    author_id: i64,
) -> Result<Vec<(String, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT i.openalex_id, i.display_name FROM institutions i
         WHERE i.id IN (
             SELECT institution_id FROM affiliations WHERE author_id = $1
             UNION
             SELECT ai.institution_id FROM authorships s
             JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
             WHERE s.author_id = $1)
         ORDER BY i.display_name LIMIT 100",
    )
    .bind(author_id)
    .fetch_all(db)
    .await
}

pub async fn institution_id(db: impl PgExecutor<'_>, openalex_id: &str) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM institutions WHERE openalex_id = $1").bind(openalex_id).fetch_optional(db).await
}
