//! A forgotten password: a single-use link by mail (the same answer for every address), then a
//! new password, which verifies the address and ends the account's other sessions.

use crate::error::AppError;
use leptos::prelude::*;

/// Mails a reset link when the address has an account; answers the same either way.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::ssr::limits;
    let result = async {
        let parsed = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        limits::check_account("reset", &parsed, limits::MAIL_PER_ACCOUNT).await?;
        let pool = crate::ssr::pool()?;
        if let Some(user) =
            crate::ssr::db::users::user_by_email(&pool, parsed.as_str()).await.map_err(crate::ssr::db::map_sqlx)?
        {
            crate::ssr::account_mail::send_password_reset(user.id, &user.email).await?;
        }
        Ok(())
    }
    .await;
    crate::ssr::forms::finish(result, "/forgot-password?sent=1", |e| {
        crate::ssr::forms::back_with_error("/forgot-password", e, &[("email", &email)])
    })
}

/// Sets a new password with the link from the mail, and logs the account in afresh.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::domain::account::Password;
    use crate::ssr::db::email_tokens::{self, Purpose, TokenUse};
    use crate::ssr::db::{map_sqlx, users};
    let result = async {
        let password = Password::try_from(password).map_err(|r| AppError::invalid("password", r))?;
        let pool = crate::ssr::pool()?;
        let hash = crate::ssr::account_mail::token_hash(&token);
        let outcome = match email_tokens::live_owner(&pool, &hash, Purpose::ResetPassword).await.map_err(map_sqlx)? {
            Some(user) => {
                let new_hash = crate::ssr::auth::hash_password(&password).await?;
                let mut conn = pool.acquire().await.map_err(map_sqlx)?;
                email_tokens::reset_password(&mut conn, &hash, &user, &new_hash).await.map_err(map_sqlx)?
            }
            None => email_tokens::why_unusable(&pool, &hash, Purpose::ResetPassword).await.map_err(map_sqlx)?,
        };
        let ask_again = |what: &str| AppError::invalid("token", format!("{what}; ask for a new link"));
        match outcome {
            TokenUse::Spent(user_id) => {
                // The new password hash ends every older session; this browser starts a new one.
                let user = users::user_by_id(&pool, user_id).await.map_err(map_sqlx)?.ok_or(AppError::Internal)?;
                crate::ssr::auth::log_in(&user).await
            }
            TokenUse::AlreadyUsed => Err(ask_again("this link was already used")),
            TokenUse::Expired => Err(ask_again("this link has expired")),
            TokenUse::Unknown => Err(ask_again("this link is not valid")),
        }
    }
    .await;
    crate::ssr::forms::finish(result, "/", |e| {
        crate::ssr::forms::back_with_error("/reset-password", e, &[("token", &token)])
    })
}
