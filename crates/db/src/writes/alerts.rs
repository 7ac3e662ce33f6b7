//! Alert settings (the private feed's token hash, the digest period, the unsubscribe token) and
//! the digests due: claimed one person at a time (`FOR UPDATE SKIP LOCKED`) and moved on in the
//! same transaction as the mail is queued, so each period's digest is queued once, whichever
//! server process gets there.

use crate::domain::alerts::{DigestPeriod, DigestWork};
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

#[derive(Debug, Clone, FromRow, Default)]
pub struct AlertSettings {
    pub has_feed: bool,
    pub digest: DigestPeriod,
}

pub async fn settings(db: impl PgExecutor<'_>, user_id: i64) -> Result<AlertSettings, AppError> {
    Ok(sqlx::query_as("SELECT feed_token_hash IS NOT NULL AS has_feed, digest FROM alert_settings WHERE user_id = $1")
        .bind(user_id)
        .fetch_optional(db)
        .await?
        .unwrap_or_default())
}

/// Creates the person's row if missing (with its unsubscribe token).
async fn ensure(db: &mut PgConnection, user_id: i64, unsubscribe_token: &str) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO alert_settings (user_id, unsubscribe_token) VALUES ($1, $2) ON CONFLICT (user_id) DO NOTHING",
    )
    .bind(user_id)
    .bind(unsubscribe_token)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Sets the digest period. A digest turned on starts covering from now (no mail about the past).
pub async fn set_digest(
    db: &mut PgConnection,
    user_id: i64,
    period: DigestPeriod,
    new_unsubscribe_token: &str,
) -> Result<(), AppError> {
    ensure(db, user_id, new_unsubscribe_token).await?;
    sqlx::query(
        "UPDATE alert_settings
         SET covered_until = CASE WHEN digest = 'off' AND $2 <> 'off' THEN now() ELSE covered_until END,
             digest = $2, updated_at = now()
         WHERE user_id = $1",
    )
    .bind(user_id)
    .bind(period)
    .execute(&mut *db)
    .await?;
    Ok(())
}

/// Replaces the private feed's token (`None`: no feed). The old address stops working at once.
pub async fn set_feed_token(
    db: &mut PgConnection,
    user_id: i64,
    hash: Option<&[u8]>,
    new_unsubscribe_token: &str,
) -> Result<(), AppError> {
    ensure(db, user_id, new_unsubscribe_token).await?;
    sqlx::query("UPDATE alert_settings SET feed_token_hash = $2, updated_at = now() WHERE user_id = $1")
        .bind(user_id)
        .bind(hash)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Whose private feed a token's hash opens.
pub async fn feed_owner(db: impl PgExecutor<'_>, hash: &[u8]) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar("SELECT user_id FROM alert_settings WHERE feed_token_hash = $1")
        .bind(hash)
        .fetch_optional(db)
        .await?)
}

/// Turns the digest off for the holder of an unsubscribe token; whether the token was known.
pub async fn unsubscribe(db: impl PgExecutor<'_>, token: &str) -> Result<bool, AppError> {
    let done = sqlx::query("UPDATE alert_settings SET digest = 'off', updated_at = now() WHERE unsubscribe_token = $1")
        .bind(token)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// A digest due now, claimed (row locked) in the caller's transaction.
#[derive(Debug, Clone, FromRow)]
pub struct DueDigest {
    pub user_id: i64,
    pub email: String,
    pub digest: DigestPeriod,
    pub unsubscribe_token: String,
    pub covered_until: Option<DateTime<Utc>>,
}

/// The next digest whose period has passed, locked; `None` when none is due (or each is being
/// sent by another process).
pub async fn claim_due(db: &mut PgConnection) -> Result<Option<DueDigest>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.user_id, u.email, s.digest, s.unsubscribe_token, s.covered_until
         FROM alert_settings s JOIN users u ON u.id = s.user_id
         WHERE s.digest <> 'off' AND u.email_verified_at IS NOT NULL
           AND (s.covered_until IS NULL
                OR s.covered_until <= now() - CASE s.digest WHEN 'daily' THEN interval '1 day' ELSE interval '7 days' END)
         ORDER BY s.covered_until NULLS FIRST
         LIMIT 1
         FOR UPDATE OF s SKIP LOCKED",
    )
    .fetch_optional(&mut *db)
    .await?)
}

/// Marks the claimed digest as covering up to `until`.
pub async fn covered(db: &mut PgConnection, user_id: i64, until: DateTime<Utc>) -> Result<(), AppError> {
    sqlx::query("UPDATE alert_settings SET covered_until = $2 WHERE user_id = $1")
        .bind(user_id)
        .bind(until)
        .execute(&mut *db)
        .await?;
    Ok(())
}

/// Works that arrived in `(since, until]` on the records `user_id` follows (hidden works left
/// out), newest first, at most `limit`; and how many there are in all.
pub async fn new_works(
    db: &mut PgConnection,
    user_id: i64,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<(Vec<DigestWork>, i64), AppError> {
    let rows: Vec<(String, String, Vec<String>, i64)> = sqlx::query_as(
        "WITH new AS (
             SELECT w.id, w.title, w.slug, w.created_at,
                    array_agg(a.display_name ORDER BY s.position) AS followed
             FROM follows f
             JOIN record_authorships s ON s.author_id = f.author_id
             JOIN works w ON w.id = s.work_id
             JOIN authors a ON a.id = s.author_id
             WHERE f.user_id = $1 AND w.created_at > $2 AND w.created_at <= $3
             GROUP BY w.id)
         SELECT title, slug, followed, count(*) OVER () FROM new ORDER BY created_at DESC, id DESC LIMIT $4",
    )
    .bind(user_id)
    .bind(since)
    .bind(until)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    let total = rows.first().map_or(0, |r| r.3);
    Ok((rows.into_iter().map(|(title, slug, followed, _)| DigestWork { title, slug, followed }).collect(), total))
}
