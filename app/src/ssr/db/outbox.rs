//! The development outbox: mail kept in the database when no SMTP server is configured.

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

pub async fn insert(db: impl PgExecutor<'_>, to: &str, subject: &str, body: &str) -> Result<i64, AppError> {
    Ok(sqlx::query_scalar("INSERT INTO outbox (to_email, subject, body) VALUES ($1, $2, $3) RETURNING id")
        .bind(to)
        .bind(subject)
        .bind(body)
        .fetch_one(db)
        .await?)
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
