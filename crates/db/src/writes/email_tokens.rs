//! Single-use e-mail links (address verification and password reset). Only the SHA-256 of a
//! token is stored; each belongs to one account and one purpose. Spending one locks its account
//! row first, as a sign-up does, so a link and a sign-up replacing its account never interleave.

use super::users::UserRow;
use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{PgConnection, PgExecutor};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    VerifyEmail,
    ResetPassword,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
        }
    }
}

/// What happened to a link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenUse {
    /// Spent for this account.
    Spent(i64),
    Expired,
    AlreadyUsed,
    Unknown,
}

/// Stores the hash of a new link for `user_id`, valid until `expires_at`.
pub async fn insert(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    user_id: i64,
    purpose: Purpose,
    expires_at: DateTime<Utc>,
) -> Result<(), AppError> {
    sqlx::query("INSERT INTO email_tokens (token_hash, user_id, purpose, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user_id)
        .bind(purpose.as_str())
        .bind(expires_at)
        .execute(db)
        .await?;
    Ok(())
}

/// The account a usable (unspent, unexpired) link belongs to.
pub async fn live_owner(
    db: impl PgExecutor<'_>,
    token_hash: &[u8],
    purpose: Purpose,
) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT u.id, u.email, u.display_name, u.password_hash, u.email_verified_at
         FROM email_tokens t JOIN users u ON u.id = t.user_id
         WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > now()",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .fetch_optional(db)
    .await?)
}

/// Why a link cannot be used (when `live_owner` found none).
pub async fn why_unusable(db: impl PgExecutor<'_>, token_hash: &[u8], purpose: Purpose) -> Result<TokenUse, AppError> {
    let state: Option<(Option<DateTime<Utc>>, bool)> =
        sqlx::query_as("SELECT used_at, expires_at <= now() FROM email_tokens WHERE token_hash = $1 AND purpose = $2")
            .bind(token_hash)
            .bind(purpose.as_str())
            .fetch_optional(db)
            .await?;
    Ok(match state {
        Some((Some(_), _)) => TokenUse::AlreadyUsed,
        Some((None, true)) => TokenUse::Expired,
        _ => TokenUse::Unknown,
    })
}

/// Locks the account and spends its link, if both are still as the caller saw them.
async fn spend(
    tx: &mut PgConnection,
    token_hash: &[u8],
    purpose: Purpose,
    user: &UserRow,
) -> Result<Option<TokenUse>, AppError> {
    // The password hash the caller checked against must still be the account's: a sign-up that
    // replaced the account, or a reset since, leaves this link nothing to act on.
    let current: Option<i64> =
        sqlx::query_scalar("SELECT id FROM users WHERE id = $1 AND password_hash = $2 FOR UPDATE")
            .bind(user.id)
            .bind(&user.password_hash)
            .fetch_optional(&mut *tx)
            .await?;
    if current.is_none() {
        return Ok(Some(TokenUse::Unknown));
    }
    let spent: Option<i64> = sqlx::query_scalar(
        "UPDATE email_tokens SET used_at = now()
         WHERE token_hash = $1 AND purpose = $2 AND user_id = $3 AND used_at IS NULL AND expires_at > now()
         RETURNING user_id",
    )
    .bind(token_hash)
    .bind(purpose.as_str())
    .bind(user.id)
    .fetch_optional(&mut *tx)
    .await?;
    match spent {
        Some(_) => Ok(None),
        None => why_unusable(&mut *tx, token_hash, purpose).await.map(Some),
    }
}

/// Verifies `user`'s address with a verification link, in one transaction.
pub async fn verify_email(conn: &mut PgConnection, token_hash: &[u8], user: &UserRow) -> Result<TokenUse, AppError> {
    let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
    if let Some(refused) = spend(&mut tx, token_hash, Purpose::VerifyEmail, user).await? {
        return Ok(refused);
    }
    sqlx::query("UPDATE users SET email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1")
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(TokenUse::Spent(user.id))
}

/// Sets `user`'s new password with a reset link, in one transaction: the address counts as
/// verified (the mail reached it) and every other outstanding link of the account is revoked.
pub async fn reset_password(
    conn: &mut PgConnection,
    token_hash: &[u8],
    user: &UserRow,
    new_password_hash: &str,
) -> Result<TokenUse, AppError> {
    let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
    if let Some(refused) = spend(&mut tx, token_hash, Purpose::ResetPassword, user).await? {
        return Ok(refused);
    }
    sqlx::query(
        "UPDATE users SET password_hash = $2, email_verified_at = coalesce(email_verified_at, now()) WHERE id = $1",
    )
    .bind(user.id)
    .bind(new_password_hash)
    .execute(&mut *tx)
    .await?;
    sqlx::query("UPDATE email_tokens SET used_at = now() WHERE user_id = $1 AND used_at IS NULL")
        .bind(user.id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(TokenUse::Spent(user.id))
}
