//! The mails accounts send: verification and password-reset links (random tokens, stored only
//! as their SHA-256), and the note to an owner whose address someone tried to sign up with.

use crate::domain::account::{RESET_LINK_HOURS, VERIFY_LINK_HOURS};
use crate::error::AppError;
use base64::Engine;
use db::writes::email_tokens::{self, Purpose};
use rand::RngCore;
use sha2::{Digest, Sha256};

pub fn token_hash(token: &str) -> Vec<u8> {
    Sha256::digest(token.trim().as_bytes()).to_vec()
}

/// Stores a new link for `user_id` and returns its token.
async fn new_link(user_id: i64, purpose: Purpose, hours: i64) -> Result<String, AppError> {
    let pool = crate::ssr::pool()?;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let expires = chrono::Utc::now() + chrono::Duration::hours(hours);
    email_tokens::insert(&pool, &token_hash(&token), user_id, purpose, expires).await?;
    Ok(token)
}

/// Mails `email` a link that verifies the address of the account `user_id`.
pub async fn send_verification(user_id: i64, email: &str) -> Result<(), AppError> {
    let ctx = crate::ssr::context()?;
    let token = new_link(user_id, Purpose::VerifyEmail, VERIFY_LINK_HOURS).await?;
    let link = format!("{}/verify-email?token={token}", ctx.site_url);
    let body = format!(
        "Welcome to BZPEER.\n\nOpen this link to verify your e-mail address (it works once, for {VERIFY_LINK_HOURS} hours, \
         together with the password you chose):\n\n{link}\n\nIf you did not sign up, ignore this mail: \
         nobody can use the address without this link."
    );
    ctx.mailer.send(&ctx.pool, email, "Verify your e-mail address for BZPEER", &body).await
}

/// Tells the owner of a verified address that someone tried to sign up with it.
pub async fn send_signup_attempt_note(email: &str) -> Result<(), AppError> {
    let ctx = crate::ssr::context()?;
    let site = &ctx.site_url;
    let body = format!(
        "Someone tried to create a BZPEER account with your e-mail address, which already has one.\n\n\
         If it was you, log in: {site}/login\n\
         Forgot your password? Set a new one: {site}/forgot-password\n\n\
         If it was not you, nothing has changed and you need not do anything."
    );
    ctx.mailer.send(&ctx.pool, email, "Someone tried to sign up with your BZPEER address", &body).await
}

/// Mails `email` a link that sets a new password for the account `user_id`.
pub async fn send_password_reset(user_id: i64, email: &str) -> Result<(), AppError> {
    let ctx = crate::ssr::context()?;
    let token = new_link(user_id, Purpose::ResetPassword, RESET_LINK_HOURS).await?;
    let link = format!("{}/reset-password?token={token}", ctx.site_url);
    let body = format!(
        "Someone (we hope you) asked to reset the password of your BZPEER account.\n\n\
         Open this link to choose a new one (it works once, for {RESET_LINK_HOURS} hour):\n\n{link}\n\n\
         If you did not ask, ignore this mail: your password stays as it is."
    );
    ctx.mailer.send(&ctx.pool, email, "Reset your BZPEER password", &body).await
}
