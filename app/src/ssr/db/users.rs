//! Accounts and their single-use e-mail tokens.

use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

/// A stored account. It carries the password hash, so it never leaves `ssr`.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub email_verified_at: Option<DateTime<Utc>>,
}

/// Creates an account; `None` when the e-mail address is taken.
pub async fn insert_user(
    db: impl PgExecutor<'_>,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .fetch_optional(db)
    .await
}

pub async fn user_by_email(db: impl PgExecutor<'_>, email: &str) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, display_name, password_hash, email_verified_at FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(db)
        .await
}

pub async fn user_by_id(db: impl PgExecutor<'_>, id: i64) -> Result<Option<UserRow>, sqlx::Error> {
    sqlx::query_as("SELECT id, email, display_name, password_hash, email_verified_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await
}

/// Stores the hash of a new e-mail token valid until `expires_at`.
pub async fn insert_email_token(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user_id: i64,
    expires_at: DateTime<Utc>,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, 'verify_email', $3)",
    )
    .bind(token_hash)
    .bind(user_id)
    .bind(expires_at)
    .execute(db)
    .await?;
    Ok(())
}

/// What happened to a verification link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    Verified(i64),
    Expired,
    AlreadyUsed,
    Unknown,
}

/// Spends a verification token and marks its account verified, in one transaction: one
/// conditional UPDATE makes the token single-use even under concurrent clicks.
pub async fn use_verification_token(conn: &mut PgConnection, token_hash: &[u8]) -> Result<TokenUse, sqlx::Error> {
    let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
    let spent: Option<i64> = sqlx::query_scalar(
        "UPDATE email_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = 'verify_email' AND used_at IS NULL AND expires_at > now()
         RETURNING user_id",
    )
    .bind(token_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let outcome = match spent {
        Some(user_id) => {
            sqlx::query("UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1")
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            TokenUse::Verified(user_id)
        }
        None => {
            let state: Option<(Option<DateTime<Utc>>, bool)> =
                sqlx::query_as("SELECT used_at, expires_at <= now() FROM email_tokens WHERE token_hash = $1")
                    .bind(token_hash)
                    .fetch_optional(&mut *tx)
                    .await?;
            match state {
                Some((Some(_), _)) => TokenUse::AlreadyUsed,
                Some((None, true)) => TokenUse::Expired,
                _ => TokenUse::Unknown,
            }
        }
    };
    tx.commit().await?;
    Ok(outcome)
}
