//! Who is asking: password hashing (argon2id, off the async runtime), the session's user, and
//! logging in and out (the session id is replaced at log-in; a new password ends older sessions).

use crate::domain::account::Password;
use crate::error::AppError;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use db::writes::users;
use std::sync::LazyLock;
use tower_sessions::Session;

const USER_KEY: &str = "user_id";
const STAMP_KEY: &str = "password_stamp";

/// A fingerprint of the account's password hash, kept in the session at log-in. Setting a new
/// password changes it, so every session started before no longer logs anyone in.
fn password_stamp(password_hash: &str) -> String {
    use base64::Engine;
    use sha2::Digest;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&sha2::Sha256::digest(password_hash.as_bytes())[..12])
}

/// OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A hash to verify against when the e-mail address is unknown, so the answer takes as long as
/// for a wrong password.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    let salt = SaltString::generate(&mut OsRng);
    argon2().hash_password(b"not a real password", &salt).map(|h| h.to_string()).unwrap_or_default()
});

pub async fn hash_password(password: &Password) -> Result<String, AppError> {
    let password = password.expose().to_owned();
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        argon2().hash_password(password.as_bytes(), &salt).map(|h| h.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!(%e, "password hashing task failed");
        AppError::Internal
    })?
    .map_err(|e| {
        tracing::error!(%e, "password hashing failed");
        AppError::Internal
    })
}

/// Checks a password against a stored hash (or the dummy hash when `hash` is `None`).
pub async fn verify_password(hash: Option<String>, password: &str) -> bool {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let hash = hash.unwrap_or_else(|| DUMMY_HASH.clone());
        PasswordHash::new(&hash).is_ok_and(|parsed| argon2().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
}

pub async fn session() -> Result<Session, AppError> {
    leptos_axum::extract::<Session>().await.map_err(|e| {
        tracing::error!(%e, "no session on the request");
        AppError::Internal
    })
}

/// The logged-in account, if any: the one the server loaded before this page rendered
/// (`viewer_of_session`), else read now.
pub async fn current_user() -> Result<Option<users::UserRow>, AppError> {
    let loaded = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<SessionUser>().cloned());
    if let Some(SessionUser(user)) = loaded {
        return Ok(user);
    }
    let session = session().await?;
    let pool = crate::ssr::pool()?;
    user_of_session(&session, &pool).await
}

/// The account a session is logged in as, if any.
pub async fn user_of_session(session: &Session, pool: &sqlx::PgPool) -> Result<Option<users::UserRow>, AppError> {
    let Some((user_id, stamp)) = session_keys(session).await? else {
        return Ok(None);
    };
    let user = users::user_by_id(pool, user_id).await?;
    Ok(user.filter(|u| stamped(u, stamp.as_deref())))
}

/// The user id a session is logged in with, and its password stamp.
async fn session_keys(session: &Session) -> Result<Option<(i64, Option<String>)>, AppError> {
    let Some(user_id) = session.get::<i64>(USER_KEY).await.map_err(session_error)? else {
        return Ok(None);
    };
    Ok(Some((user_id, session.get::<String>(STAMP_KEY).await.map_err(session_error)?)))
}

/// Whether the session's stamp is the account's password's: a new password ends older sessions.
fn stamped(user: &users::UserRow, stamp: Option<&str>) -> bool {
    stamp == Some(password_stamp(&user.password_hash).as_str())
}

/// The account the server loaded for a page before it rendered (`viewer_of_session`), put in the
/// request's extensions so the page's data does not read it again.
#[derive(Debug, Clone)]
pub struct SessionUser(pub Option<users::UserRow>);

/// Who is logged in, loaded by the server before a page renders and put in the request's
/// extensions, so the header shows it without a resource of its own.
#[derive(Debug, Clone, Default)]
pub struct CurrentViewer(pub Option<crate::domain::account::Viewer>);

impl CurrentViewer {
    pub fn of(user: Option<users::UserRow>) -> Self {
        Self(user.map(|u| crate::domain::account::Viewer {
            display_name: u.display_name,
            email: u.email,
            email_verified: u.email_verified_at.is_some(),
            unread: 0,
        }))
    }
}

/// The header's viewer for a session: who is logged in, and their unread count (one statement),
/// with the account itself for the page's data.
pub async fn viewer_of_session(
    session: &Session,
    pool: &sqlx::PgPool,
) -> Result<(CurrentViewer, SessionUser), AppError> {
    let Some((user_id, stamp)) = session_keys(session).await? else {
        return Ok((CurrentViewer(None), SessionUser(None)));
    };
    let (user, unread) = match users::user_with_unread(pool, user_id).await? {
        Some((user, unread)) if stamped(&user, stamp.as_deref()) => (Some(user), unread),
        _ => (None, 0),
    };
    let mut viewer = CurrentViewer::of(user.clone());
    if let Some(v) = viewer.0.as_mut() {
        v.unread = unread;
    }
    Ok((viewer, SessionUser(user)))
}

/// The logged-in account, or `Unauthorized`.
pub async fn require_user() -> Result<users::UserRow, AppError> {
    current_user().await?.ok_or(AppError::Unauthorized)
}

/// Starts a session for `user` under a new session id (no fixation).
pub async fn log_in(user: &users::UserRow) -> Result<(), AppError> {
    let session = session().await?;
    session.cycle_id().await.map_err(session_error)?;
    session.insert(USER_KEY, user.id).await.map_err(session_error)?;
    session.insert(STAMP_KEY, password_stamp(&user.password_hash)).await.map_err(session_error)
}

pub async fn log_out() -> Result<(), AppError> {
    session().await?.flush().await.map_err(session_error)
}

fn session_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(%e, "session store failed");
    AppError::Unavailable
}
