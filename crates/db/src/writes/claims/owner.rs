//! What the owner of a claimed record controls: bio, homepage, affiliation, "Open to
//! collaborate" and hidden works; and clearing all of it when the claim ends.

use super::audit;
use crate::domain::claims::{RequestKind, RequestStatus};
use crate::domain::trust::ClaimState;
use crate::error::AppError;
use sqlx::{Acquire, PgConnection, PgExecutor};

/// Ends the claim on a record whose row the caller's transaction has locked: the record becomes
/// unclaimed and everything its owner set goes (bio, homepage, affiliation, "Open to
/// collaborate" back to its default, hidden works shown again), so nothing of a former owner
/// stays on the page. Open claim requests on it are withdrawn and open disputes, which were
/// about this claim, are closed as stale.
pub(super) async fn end_claim(tx: &mut PgConnection, author_id: i64) -> Result<(), AppError> {
    sqlx::query(
        "UPDATE authors SET claim_state = $2, claimed_by = NULL, bio = NULL, homepage_url = NULL,
                affiliation_institution_id = NULL, affiliation_text = NULL, open_to_collaborate = DEFAULT,
                updated_at = now()
         WHERE id = $1",
    )
    .bind(author_id)
    .bind(ClaimState::Unclaimed)
    .execute(&mut *tx)
    .await?;
    sqlx::query("DELETE FROM hidden_works WHERE author_id = $1").bind(author_id).execute(&mut *tx).await?;
    sqlx::query(
        "UPDATE claim_requests SET status = CASE kind WHEN $2 THEN $3 ELSE $4 END, decided_at = now()
         WHERE author_id = $1 AND status = $5",
    )
    .bind(author_id)
    .bind(RequestKind::Claim)
    .bind(RequestStatus::Withdrawn)
    .bind(RequestStatus::Stale)
    .bind(RequestStatus::Open)
    .execute(&mut *tx)
    .await?;
    Ok(())
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
) -> Result<bool, AppError> {
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
) -> Result<bool, AppError> {
    let mut tx = conn.begin().await?;
    let hidden: Option<(ClaimState, String)> = sqlx::query_as(
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
    audit(&mut *tx, author_id, Some(user_id), state, state, &format!("hid a work that is not theirs: {title}")).await?;
    tx.commit().await?;
    Ok(true)
}

/// The institutions on a record (affiliations and bylines), for the owner's affiliation choice.
pub async fn record_institutions(db: impl PgExecutor<'_>, author_id: i64) -> Result<Vec<(String, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT i.openalex_id, i.display_name FROM institutions i
         WHERE i.id IN (SELECT institution_id FROM record_institutions WHERE author_id = $1)
         ORDER BY i.display_name LIMIT 100",
    )
    .bind(author_id)
    .fetch_all(db)
    .await?)
}

pub async fn institution_id(db: impl PgExecutor<'_>, openalex_id: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT id FROM institutions WHERE openalex_id = $1")
        .bind(openalex_id)
        .fetch_optional(db)
        .await?)
}
