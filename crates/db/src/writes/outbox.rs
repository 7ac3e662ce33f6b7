//! The outbox: every mail is written here first. With an SMTP server configured, a sender in
//! some server process leases pending mail (one sender per mail at a time, `SKIP LOCKED`),
//! delivers it and marks it sent; without one, mail stays here for `/dev/outbox`.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgExecutor};

#[derive(Debug, Clone, FromRow)]
pub struct OutboxRow {
    pub id: i64,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A mail leased for delivery, with how many times delivery has been tried (this one included).
#[derive(Debug, Clone, FromRow)]
pub struct Leased {
    pub id: i64,
    pub to_email: String,
    pub subject: String,
    pub body: String,
    pub attempts: i32,
    /// For a mail to a list: its one-click unsubscribe address.
    pub list_unsubscribe: Option<String>,
}

/// Delivery is given up after this many failed attempts (each one logged).
pub const MAX_ATTEMPTS: i32 = 8;

/// Writes a mail; `deliver` when an SMTP server will send it.
pub async fn insert(
    db: impl PgExecutor<'_>,
    to: &str,
    subject: &str,
    body: &str,
    deliver: bool,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO outbox (to_email, subject, body, deliver) VALUES ($1, $2, $3, $4) RETURNING id")
        .bind(to)
        .bind(subject)
        .bind(body)
        .bind(deliver)
        .fetch_one(db)
        .await?)
}

/// Writes a mail sent to a list (the digest), with its one-click unsubscribe address.
pub async fn insert_listed(
    db: impl PgExecutor<'_>,
    to: &str,
    subject: &str,
    body: &str,
    deliver: bool,
    unsubscribe: &str,
) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO outbox (to_email, subject, body, deliver, list_unsubscribe) VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(to)
    .bind(subject)
    .bind(body)
    .bind(deliver)
    .bind(unsubscribe)
    .fetch_one(db)
    .await?)
}

/// Leases up to `limit` pending mails, oldest first, for `lease_secs`: no other sender takes them
/// until the lease ends (a sender that dies mid-way leaves them to the next one).
pub async fn lease_pending(db: impl PgExecutor<'_>, limit: i64, lease_secs: i64) -> Result<Vec<Leased>, AppError> {
    Ok(sqlx::query_as(
        "UPDATE outbox SET lease_until = now() + make_interval(secs => $2), attempts = attempts + 1
         WHERE id IN (SELECT id FROM outbox
                      WHERE deliver AND sent_at IS NULL AND attempts < $3
                        AND (lease_until IS NULL OR lease_until < now())
                      ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
         RETURNING id, to_email, subject, body, attempts, list_unsubscribe",
    )
    .bind(limit)
    .bind(lease_secs as f64)
    .bind(MAX_ATTEMPTS)
    .fetch_all(db)
    .await?)
}

pub async fn mark_sent(db: impl PgExecutor<'_>, id: i64) -> Result<(), AppError> {
    sqlx::query("UPDATE outbox SET sent_at = now(), lease_until = NULL, last_error = NULL WHERE id = $1")
        .bind(id)
        .execute(db)
        .await?;
    Ok(())
}

/// Keeps a failed mail for another try after `retry_secs`, with the reason.
pub async fn mark_failed(db: impl PgExecutor<'_>, id: i64, retry_secs: i64, error: &str) -> Result<(), AppError> {
    sqlx::query("UPDATE outbox SET lease_until = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1")
        .bind(id)
        .bind(retry_secs as f64)
        .bind(error)
        .execute(db)
        .await?;
    Ok(())
}

/// Deletes delivered mail older than `days` (bodies hold links that act for their recipient).
pub async fn purge_sent(db: impl PgExecutor<'_>, days: i32) -> Result<u64, AppError> {
    Ok(sqlx::query("DELETE FROM outbox WHERE sent_at < now() - make_interval(days => $1)")
        .bind(days)
        .execute(db)
        .await?
        .rows_affected())
}

/// The newest messages, newest first, optionally for one address.
pub async fn latest(db: impl PgExecutor<'_>, to: Option<&str>, limit: i64) -> Result<Vec<OutboxRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, to_email, subject, body, created_at FROM outbox
         WHERE $1::text IS NULL OR to_email = $1
         ORDER BY id DESC LIMIT $2",
    )
    .bind(to)
    .bind(limit)
    .fetch_all(db)
    .await?)
}
