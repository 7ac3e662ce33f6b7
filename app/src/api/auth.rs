//! Accounts: sign up, verify the e-mail address, log in, log out, and who is logged in.
//! (Password resets are in `password_reset`.)
//! Each works as a plain form post (answered 303) and as a call from the hydrated page.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::account::Viewer;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OutboxMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub sent_at: String,
}

#[server(prefix = "/api", endpoint = "signup")]
pub async fn signup(
    email: String,
    display_name: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::account::{DisplayName, Email, Password, ReturnPath};
    use crate::ssr::account_mail;
    use crate::ssr::forms::Form;
    use crate::ssr::limits::Limit;
    use db::writes::users;
    const BY_ADDRESS: Limit = Limit::per_hour("signup", 10);
    // Each sign-up mails the address.
    const BY_ACCOUNT: Limit = Limit::per_hour("signup", 5);
    let next = ReturnPath::parse_or_home(next.as_deref());
    let form =
        Form::on("/signup").keep("email", &email).keep("display_name", &display_name).keep("next", next.as_str());
    let sign_up = async {
        BY_ADDRESS.by_address().await?;
        let email = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        let name = DisplayName::try_from(display_name.clone()).map_err(|r| AppError::invalid("display_name", r))?;
        let password = Password::try_from(password).map_err(|r| AppError::invalid("password", r))?;
        BY_ACCOUNT.by_account(&email).await?;
        // Hashed for every address, so a known one is answered in about the same time.
        let hash = crate::ssr::auth::hash_password(&password).await?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        let outcome = users::sign_up(&mut conn, email.as_str(), name.as_str(), &hash).await?;
        drop(conn);
        // A verified address gets the same answer as a new one; its owner gets a note instead.
        match outcome {
            users::SignUp::Pending(user_id) => account_mail::send_verification(user_id, email.as_str()).await?,
            users::SignUp::AlreadyVerified(_) => account_mail::send_signup_attempt_note(email.as_str()).await?,
        }
        Ok(email)
    };
    // The address goes to the next page in the session (hydrated callers go there too), not the URL.
    let signed_up = form.answer_to(|email| Form::pass_on("/signup/check-email", &[("email", email.as_str())]), sign_up);
    signed_up.await.map(|_| ())
}

/// Verifies an address with the link from the mail and the password of the sign-up that asked
/// for it: whoever merely reads the mail cannot verify someone else's sign-up.
#[server(prefix = "/api", endpoint = "verify_email")]
pub async fn verify_email(token: String, password: Option<String>) -> Result<(), AppError> {
    use crate::ssr::limits::Limit;
    use db::writes::email_tokens::{self, Purpose, TokenUse};
    // Each takes a password hash when its link is valid.
    const BY_ADDRESS: Limit = Limit::per_quarter_hour("verify", 20);
    let verify = async {
        BY_ADDRESS.by_address().await?;
        let pool = crate::ssr::pool()?;
        let hash = crate::ssr::account_mail::token_hash(&token);
        let outcome = match email_tokens::live_owner(&pool, &hash, Purpose::VerifyEmail).await? {
            Some(user) => {
                let password = password.as_deref().unwrap_or_default();
                if !crate::ssr::auth::verify_password(Some(user.password_hash.clone()), password).await {
                    return Err(AppError::invalid(
                        "password",
                        "enter the password you chose when you signed up; if you did not sign up, ignore the mail",
                    ));
                }
                let mut conn = pool.acquire().await?;
                email_tokens::verify_email(&mut conn, &hash, &user).await?
            }
            None => email_tokens::why_unusable(&pool, &hash, Purpose::VerifyEmail).await?,
        };
        match outcome {
            TokenUse::Spent(_) => Ok(()),
            TokenUse::AlreadyUsed => {
                Err(AppError::Conflict("this link was already used; your address is verified, log in".into()))
            }
            TokenUse::Expired => {
                Err(AppError::invalid("token", "this link has expired; sign up again to get a new one"))
            }
            TokenUse::Unknown => Err(AppError::invalid(
                "token",
                "this link is not valid; use the link in the newest mail (a new sign-up replaces earlier links)",
            )),
        }
    };
    crate::ssr::forms::Form::on("/verify-email").keep("token", &token).answer("/login?verified=1", verify).await
}

#[server(prefix = "/api", endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<String, AppError> {
    use crate::domain::account::{Email, ReturnPath};
    use crate::ssr::limits::Limit;
    const BY_ADDRESS: Limit = Limit::per_quarter_hour("login", 10);
    const BY_ACCOUNT: Limit = Limit::per_quarter_hour("login", 10);
    let next = ReturnPath::parse_or_home(next.as_deref());
    let log_in = async {
        BY_ADDRESS.by_address().await?;
        let wrong = || AppError::invalid("password", "the e-mail address or the password is wrong");
        let parsed = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        BY_ACCOUNT.by_account(&parsed).await?;
        let pool = crate::ssr::pool()?;
        let user = db::writes::users::user_by_email(&pool, parsed.as_str()).await?;
        // Unknown addresses are checked against a dummy hash: same answer, about the same time.
        let matches =
            crate::ssr::auth::verify_password(user.as_ref().map(|u| u.password_hash.clone()), &password).await;
        let user = user.filter(|_| matches).ok_or_else(wrong)?;
        if user.email_verified_at.is_none() {
            return Err(AppError::invalid("email", "verify your e-mail address first: open the link we sent you"));
        }
        crate::ssr::auth::log_in(&user).await?;
        Ok(next.as_str().to_owned())
    };
    let form = crate::ssr::forms::Form::on("/login").keep("email", &email).keep("next", next.as_str());
    form.answer(next.as_str(), log_in).await
}

/// Sends a new verification link (which, like the first, works only with the sign-up's
/// password). The answer is the same whether or not the address has an unverified account, so
/// it tells nobody which addresses are registered.
#[server(prefix = "/api", endpoint = "resend_verification")]
pub async fn resend_verification(email: String) -> Result<(), AppError> {
    use crate::domain::account::Email;
    use crate::ssr::forms::Form;
    use crate::ssr::limits::Limit;
    // Each mails the address.
    const BY_ADDRESS: Limit = Limit::per_hour("mail", 5);
    const BY_ACCOUNT: Limit = Limit::per_hour("mail", 3);
    let resend = async {
        BY_ADDRESS.by_address().await?;
        let parsed = Email::try_from(email.clone()).map_err(|r| AppError::invalid("email", r))?;
        BY_ACCOUNT.by_account(&parsed).await?;
        let pool = crate::ssr::pool()?;
        if let Some(user) = db::writes::users::user_by_email(&pool, parsed.as_str()).await? {
            if user.email_verified_at.is_none() {
                crate::ssr::account_mail::send_verification(user.id, &user.email).await?;
            }
        }
        Ok(())
    };
    // The log-in page refills the address from the session; the URL carries only the code.
    let sent = |_: &()| format!("{}?resent=1", Form::pass_on("/login", &[("email", &email)]));
    Form::on("/login").keep("email", &email).answer_to(sent, resend).await
}

#[server(prefix = "/api", endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    crate::ssr::forms::Form::on("/").answer("/", crate::ssr::auth::log_out()).await
}

/// The development outbox; absent (404) unless the server was started with `BZPEER_DEV_OUTBOX=1`
/// on a loopback address.
#[server(prefix = "/api", endpoint = "dev_outbox")]
pub async fn dev_outbox() -> Result<Vec<OutboxMail>, AppError> {
    let ctx = crate::ssr::context()?;
    if !ctx.dev_outbox {
        return Err(AppError::NotFound("this page".into()));
    }
    let rows = db::writes::outbox::latest(&ctx.pool, None, 50).await?;
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
