//! A forgotten password: a single-use link by mail (the same answer for every address), then a
//! new password, which verifies the address and ends the account's other sessions.

use crate::error::AppError;
use leptos::prelude::*;

/// Mails a reset link when the address has an account; answers the same either way.
#[server(prefix = "/api", endpoint = "request_password_reset")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::ssr::limits::Limit;
    // Each mails the address.
    const BY_ADDRESS: Limit = Limit::per_hour("reset", 5);
    const BY_ACCOUNT: Limit = Limit::per_hour("reset", 3);
    let request = async {
        BY_ADDRESS.by_address().await?;
        let parsed = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        BY_ACCOUNT.by_account(&parsed).await?;
        let pool = crate::ssr::pool()?;
        if let Some(user) = db::writes::users::user_by_email(&pool, parsed.as_str()).await? {
            crate::ssr::account_mail::send_password_reset(user.id, &user.email).await?;
        }
        Ok(())
    };
    let form = crate::ssr::forms::Form::on("/forgot-password").keep("email", &email);
    form.answer("/forgot-password?sent=1", request).await
}

/// Sets a new password with the link from the mail, and logs the account in afresh.
#[server(prefix = "/api", endpoint = "reset_password")]
pub async fn reset_password(token: String, password: String) -> Result<(), AppError> {
    use crate::domain::account::Password;
    use crate::ssr::limits::Limit;
    use db::writes::email_tokens::{self, Purpose, TokenUse};
    use db::writes::users;
    // Each takes a password hash when its link is valid.
    const BY_ADDRESS: Limit = Limit::per_quarter_hour("new_password", 20);
    let reset = async {
        BY_ADDRESS.by_address().await?;
        let password = Password::try_from(password).map_err(|r| AppError::invalid("password", r))?;
        let pool = crate::ssr::pool()?;
        let hash = crate::ssr::account_mail::token_hash(&token);
        let outcome = match email_tokens::live_owner(&pool, &hash, Purpose::ResetPassword).await? {
            Some(user) => {
                let new_hash = crate::ssr::auth::hash_password(&password).await?;
                let mut conn = pool.acquire().await?;
                email_tokens::reset_password(&mut conn, &hash, &user, &new_hash).await?
            }
            None => email_tokens::why_unusable(&pool, &hash, Purpose::ResetPassword).await?,
        };
        let ask_again = |what: &str| AppError::invalid("token", format!("{what}; ask for a new link"));
        match outcome {
            TokenUse::Spent(user_id) => {
                // The new password hash ends every older session; this browser starts a new one.
                let user = users::user_by_id(&pool, user_id).await?.ok_or(AppError::Internal)?;
                crate::ssr::auth::log_in(&user).await
            }
            TokenUse::AlreadyUsed => Err(ask_again("this link was already used")),
            TokenUse::Expired => Err(ask_again("this link has expired")),
            TokenUse::Unknown => Err(ask_again("this link is not valid")),
        }
    };
    crate::ssr::forms::Form::on("/reset-password").keep("token", &token).answer("/", reset).await
}
