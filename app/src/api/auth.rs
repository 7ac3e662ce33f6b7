//! Accounts: sign up, verify the e-mail address, log in, log out, and who is logged in.
//! Each works as a plain form post (answered 303) and as a call from the hydrated page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// How long a verification link works.
pub const VERIFY_LINK_HOURS: i64 = 48;

/// The logged-in account as pages see it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub display_name: String,
    pub email: String,
    pub email_verified: bool,
    /// New invitations, unseen answers and unread messages, for the header's "Inbox (n)".
    #[serde(default)]
    pub unread: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent_at: String,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::ssr::db::{map_sqlx, users};
    use base64::Engine;
    use rand::RngCore;
    use sha2::{Digest, Sha256};

    pub fn token_hash(token: &str) -> Vec<u8> {
        Sha256::digest(token.as_bytes()).to_vec()
    }

    /// Creates a verification link for `user_id` and mails it to `email`.
    pub async fn send_verification(user_id: i64, email: &str) -> Result<(), AppError> {
        let ctx = crate::ssr::context()?;
        let mut bytes = [0u8; 32];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
        let expires = chrono::Utc::now() + chrono::Duration::hours(VERIFY_LINK_HOURS);
        users::insert_email_token(&ctx.pool, &token_hash(&token), user_id, expires).await.map_err(map_sqlx)?;
        let link = format!("{}/verify-email?token={token}", ctx.site_url);
        let body = format!(
            "Welcome to BZPEER.\n\nOpen this link to verify your e-mail address (it works once, for {VERIFY_LINK_HOURS} hours):\n\n{link}\n\nIf you did not sign up, ignore this mail."
        );
        ctx.mailer.send(&ctx.pool, email, "Verify your e-mail address for BZPEER", &body).await
    }
}

#[server(prefix = "/api", endpoint = "signup")]
pub async fn signup(
    email: String,
    display_name: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::{DisplayName, Email, Password, ReturnPath};
    let next = ReturnPath::parse_or_home(next.as_deref());
    let result = async {
        let email = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        let name = DisplayName::try_from(display_name.clone()).map_err(|r| AppError::invalid("display_name", r))?;
        let password = Password::try_from(password).map_err(|r| AppError::invalid("password", r))?;
        let hash = crate::ssr::auth::hash_password(&password).await?;
        let pool = crate::ssr::pool()?;
        let user_id = crate::ssr::db::users::insert_user(&pool, email.as_str(), name.as_str(), &hash)
            .await
            .map_err(crate::ssr::db::map_sqlx)?
            .ok_or_else(|| {
                AppError::Conflict("an account with this e-mail address already exists; log in instead".into())
            })?;
        server::send_verification(user_id, email.as_str()).await?;
        Ok(email)
    }
    .await;
    // The address goes to the next page in the session (hydrated callers go there too), not the URL.
    let success = match &result {
        Ok(email) => crate::ssr::forms::on_with("/signup/check-email", &[("email", email.as_str())]),
        Err(_) => String::new(),
    };
    crate::ssr::forms::finish(result.map(|_| ()), &success, |e| {
        crate::ssr::forms::back_with_error(
            "/signup",
            e,
            &[("email", &email), ("display_name", &display_name), ("next", next.as_str())],
        )
    })
}

#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    use crate::ssr::db::users::TokenUse;
    let result = async {
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await.map_err(crate::ssr::db::map_sqlx)?;
        match crate::ssr::db::users::use_verification_token(&mut conn, &server::token_hash(token.trim()))
            .await
            .map_err(crate::ssr::db::map_sqlx)?
        {
            TokenUse::Verified(_) => Ok(()),
            TokenUse::AlreadyUsed => {
                Err(AppError::Conflict("this link was already used; your address is verified, log in".into()))
            }
            TokenUse::Expired => Err(AppError::invalid("token", "this link has expired; log in to get a new one")),
            TokenUse::Unknown => {
                Err(AppError::invalid("token", "this link is not valid; copy the whole link from the mail"))
            }
        }
    }
    .await;
    crate::ssr::forms::finish(result, "/login?verified=1", |e| {
        crate::ssr::forms::back_with_error("/verify-email", e, &[("token", &token)])
    })
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    use crate::domain::account::{Email, ReturnPath};
    let next = ReturnPath::parse_or_home(next.as_deref());
    let result = async {
        let wrong = || AppError::invalid("password", "the e-mail address or the password is wrong");
        let parsed = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        let pool = crate::ssr::pool()?;
        let user =
            crate::ssr::db::users::user_by_email(&pool, parsed.as_str()).await.map_err(crate::ssr::db::map_sqlx)?;
        // Unknown addresses are checked against a dummy hash: same answer, about the same time.
        let matches =
            crate::ssr::auth::verify_password(user.as_ref().map(|u| u.password_hash.clone()), &password).await;
        let user = user.filter(|_| matches).ok_or_else(wrong)?;
        if user.email_verified_at.is_none() {
            return Err(AppError::invalid("email", "verify your e-mail address first: open the link we sent you"));
        }
        crate::ssr::auth::log_in(user.id).await?;
        Ok(next.as_str().to_owned())
    }
    .await;
    crate::ssr::forms::finish(result, next.as_str(), |e| {
        crate::ssr::forms::back_with_error("/login", e, &[("email", &email), ("next", next.as_str())])
    })
}

/// Sends a new verification link. The answer is the same whether or not the address has an
/// unverified account, so it tells nobody which addresses are registered.
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    use crate::domain::account::Email;
    let result = async {
        let parsed = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        let pool = crate::ssr::pool()?;
        if let Some(user) =
            crate::ssr::db::users::user_by_email(&pool, parsed.as_str()).await.map_err(crate::ssr::db::map_sqlx)?
        {
            if user.email_verified_at.is_none() {
                server::send_verification(user.id, &user.email).await?;
            }
        }
        Ok(())
    }
    .await;
    if result.is_ok() && crate::ssr::forms::wants_html() {
        // The log-in page refills the address from the session; the URL carries only the code.
        crate::ssr::forms::on_with("/login", &[("email", &email)]);
    }
    crate::ssr::forms::finish(result, "/login?resent=1", |e| {
        crate::ssr::forms::back_with_error("/login", e, &[("email", &email)])
    })
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    let result = crate::ssr::auth::log_out().await;
    crate::ssr::forms::finish(result, "/", |_| "/".to_owned())
}

/// The development outbox; absent (404) unless the server was started with `BZPEER_DEV_OUTBOX=1`
/// on a loopback address.
#[server(prefix = "/api", endpoint = "dev_outbox")]
pub async fn dev_outbox() -> Result<Vec<OutboxMail>, AppError> {
    let ctx = crate::ssr::context()?;
    if !ctx.dev_outbox {
        return Err(AppError::NotFound("this page".into()));
    }
    let rows = crate::ssr::db::outbox::latest(&ctx.pool, None, 50).await.map_err(crate::ssr::db::map_sqlx)?;
    Ok(rows
        .into_iter()
        .map(|r| OutboxMail {
            id: r.id,
            to: r.to_email,
            subject: r.subject,
            body: r.body,
            sent_at: r.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
        })
        .collect())
}
