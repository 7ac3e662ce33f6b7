//! Per-account rate limits inside server functions, applied to the parsed input (so an encoded
//! field name cannot skip them): the shared `rate_limits` counters, answered `RateLimited` (429)
//! with `Retry-After`. Per-client-address limits sit in the server's middleware.

use crate::domain::account::Email;
use crate::error::AppError;
use crate::ssr::db::{map_sqlx, rate_limits};

/// At most `max` hits per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub max: i32,
    pub window_secs: i64,
}

const QUARTER_HOUR: i64 = 15 * 60;
const HOUR: i64 = 60 * 60;

/// Log-in attempts for one account.
pub const LOGIN_PER_ACCOUNT: Limit = Limit { max: 10, window_secs: QUARTER_HOUR };
/// Sign-ups for one address (each mails it).
pub const SIGNUP_PER_ACCOUNT: Limit = Limit { max: 5, window_secs: HOUR };
/// Verification links and password-reset links mailed to one address, each.
pub const MAIL_PER_ACCOUNT: Limit = Limit { max: 3, window_secs: HOUR };

/// Counts one hit for `key`; past `max` in the current window of `window_secs`, refuses it.
pub async fn check(key: &str, max: i32, window_secs: i64) -> Result<(), AppError> {
    let pool = crate::ssr::pool()?;
    let (hits, retry_after) = rate_limits::hit(&pool, key, window_secs).await.map_err(map_sqlx)?;
    if hits <= max {
        return Ok(());
    }
    // The key's kind only: its tail is an account's address or id.
    tracing::warn!(limit = kind_of(key), hits, "rate limited");
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&retry_after.to_string()),
    ) {
        options.insert_header(axum::http::header::RETRY_AFTER, value);
    }
    Err(AppError::RateLimited { retry_after_secs: u64::try_from(retry_after).unwrap_or(60) })
}

/// Counts one `name` action (`login`, `signup`, ...) for the account of `email`.
pub async fn check_account(name: &str, email: &Email, limit: Limit) -> Result<(), AppError> {
    check(&format!("{name}:acct:{email}"), limit.max, limit.window_secs).await
}

/// What a rate-limit key counts, without whom: `login:acct:ada@example.org` is `login:acct`.
pub fn kind_of(key: &str) -> &str {
    let mut parts = key.splitn(3, ':');
    let first = parts.next().unwrap_or_default();
    match parts.next() {
        Some(second) if parts.next().is_some() => &key[..first.len() + 1 + second.len()],
        _ => first,
    }
}

#[cfg(test)]
mod tests {
    use super::kind_of;

    #[test]
    fn a_limit_is_logged_by_its_kind_never_by_whom_it_counts() {
        assert_eq!(kind_of("login:acct:ada@example.org"), "login:acct");
        assert_eq!(kind_of("mail:addr:2001:db8::1"), "mail:addr");
        assert_eq!(kind_of("invite:42"), "invite");
        assert_eq!(kind_of("odd"), "odd");
    }
}
