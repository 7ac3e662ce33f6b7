//! Accounts. An address is held by its latest sign-up until it is verified: a new sign-up
//! replaces an unverified account, and unverified accounts expire after `UNVERIFIED_HOURS`.

use crate::error::AppError;
use chrono::{DateTime, Utc};
use sqlx::{FromRow, PgConnection, PgExecutor};

/// How long an unverified account lives: as long as its verification link.
pub const UNVERIFIED_HOURS: i32 = crate::domain::account::VERIFY_LINK_HOURS as i32;

/// A stored account. It carries the password hash, so it never leaves `ssr`.
#[derive(Debug, Clone, FromRow)]
pub struct UserRow {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub email_verified_at: Option<DateTime<Utc>>,
}

/// Creates an account; `None` when the e-mail address is taken. (Sign-ups go through `sign_up`.)
pub async fn insert_user(
    db: impl PgExecutor<'_>,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO NOTHING RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .fetch_optional(db)
    .await?)
}

/// What a sign-up did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignUp {
    /// A new account (or one replacing an unverified sign-up) waits for verification.
    Pending(i64),
    /// The address belongs to a verified account, which is left as it was.
    AlreadyVerified(i64),
}

/// Signs up `email`: creates the account, or replaces an unverified one (name, password, and
/// every outstanding link revoked, in one transaction), so only the latest sign-up can verify.
/// One `INSERT ... ON CONFLICT` holds the row lock, so concurrent sign-ups cannot interleave.
pub async fn sign_up(
    conn: &mut PgConnection,
    email: &str,
    display_name: &str,
    password_hash: &str,
) -> Result<SignUp, AppError> {
    let mut tx = sqlx::Acquire::begin(&mut *conn).await?;
    let pending: Option<i64> = sqlx::query_scalar(
        "INSERT INTO users (email, display_name, password_hash) VALUES ($1, $2, $3)
         ON CONFLICT (email) DO UPDATE
             SET display_name = EXCLUDED.display_name, password_hash = EXCLUDED.password_hash, created_at = now()
             WHERE users.email_verified_at IS NULL
         RETURNING id",
    )
    .bind(email)
    .bind(display_name)
    .bind(password_hash)
    .fetch_optional(&mut *tx)
    .await?;
    let outcome = match pending {
        Some(id) => {
            sqlx::query("DELETE FROM email_tokens WHERE user_id = $1").bind(id).execute(&mut *tx).await?;
            SignUp::Pending(id)
        }
        None => SignUp::AlreadyVerified(
            sqlx::query_scalar("SELECT id FROM users WHERE email = $1").bind(email).fetch_one(&mut *tx).await?,
        ),
    };
    tx.commit().await?;
    Ok(outcome)
}

/// The account holding `email`: verified, or signed up less than `UNVERIFIED_HOURS` ago (an
/// expired sign-up is treated as absent until the housekeeping purges it).
pub async fn user_by_email(db: impl PgExecutor<'_>, email: &str) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, email, display_name, password_hash, email_verified_at FROM users
         WHERE email = $1 AND (email_verified_at IS NOT NULL OR created_at > now() - make_interval(hours => $2))",
    )
    .bind(email)
    .bind(UNVERIFIED_HOURS)
    .fetch_optional(db)
    .await?)
}

pub async fn user_by_id(db: impl PgExecutor<'_>, id: i64) -> Result<Option<UserRow>, AppError> {
    Ok(sqlx::query_as("SELECT id, email, display_name, password_hash, email_verified_at FROM users WHERE id = $1")
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// The account `id` and what its header counts (`invitations::unread_total`), in one statement:
/// what a page view for someone logged in reads before it renders.
pub async fn user_with_unread(db: impl PgExecutor<'_>, id: i64) -> Result<Option<(UserRow, i64)>, AppError> {
    #[derive(FromRow)]
    struct Row {
        #[sqlx(flatten)]
        user: UserRow,
        unread: i64,
    }
    let row: Option<Row> = sqlx::query_as(concat!(
        "SELECT u.id, u.email, u.display_name, u.password_hash, u.email_verified_at, (",
        crate::writes::invitations::unread_total_sql!("u.id"),
        ") AS unread FROM users u WHERE u.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await?;
    Ok(row.map(|r| (r.user, r.unread)))
}

/// Deletes unverified accounts older than `UNVERIFIED_HOURS` (their links cascade).
pub async fn purge_expired_unverified(db: impl PgExecutor<'_>) -> Result<u64, AppError> {
    let done = sqlx::query(
        "DELETE FROM users WHERE email_verified_at IS NULL AND created_at <= now() - make_interval(hours => $1)",
    )
    .bind(UNVERIFIED_HOURS)
    .execute(db)
    .await?;
    Ok(done.rows_affected())
}
