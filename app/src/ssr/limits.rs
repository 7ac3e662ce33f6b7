//! Rate limits, one mechanism for all: each server function declares its limits where it is
//! written and counts them on the parsed input (so neither an encoded field name nor a renamed
//! endpoint can skip one), per client address, per account address or per logged-in user. Hits
//! are counted in the shared `rate_limits` table (so every server process sees the same counts);
//! past the limit the answer is `RateLimited` (429) with `Retry-After`.

use crate::domain::account::Email;
use crate::error::AppError;
use db::writes::rate_limits;

const QUARTER_HOUR: i64 = 15 * 60;
const HOUR: i64 = 60 * 60;
const DAY: i64 = 24 * HOUR;

/// The client's address as the server worked it out (the right-most trusted forwarded hop), put
/// in the request's extensions by the server before any server function runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientAddress(pub String);

/// At most `max` hits of the action `name` per `window_secs`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    pub name: &'static str,
    pub max: i32,
    pub window_secs: i64,
}

impl Limit {
    pub const fn new(name: &'static str, max: i32, window_secs: i64) -> Self {
        Self { name, max, window_secs }
    }

    pub const fn per_quarter_hour(name: &'static str, max: i32) -> Self {
        Self { name, max, window_secs: QUARTER_HOUR }
    }

    pub const fn per_hour(name: &'static str, max: i32) -> Self {
        Self { name, max, window_secs: HOUR }
    }

    pub const fn per_day(name: &'static str, max: i32) -> Self {
        Self { name, max, window_secs: DAY }
    }

    /// Counts one hit from the client's address.
    pub async fn by_address(self) -> Result<(), AppError> {
        let address = leptos::prelude::use_context::<axum::http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<ClientAddress>().map(|a| a.0.clone()))
            .unwrap_or_else(|| "unknown".to_owned());
        self.count(&format!("{}:addr:{address}", self.name)).await
    }

    /// Counts one hit for the account of `email` (known or not).
    pub async fn by_account(self, email: &Email) -> Result<(), AppError> {
        self.count(&format!("{}:acct:{email}", self.name)).await
    }

    /// Counts one hit for a logged-in user.
    pub async fn by_user(self, user_id: i64) -> Result<(), AppError> {
        self.count(&format!("{}:user:{user_id}", self.name)).await
    }

    /// Counts one hit for `key`; past `max` in the current window, refuses it.
    async fn count(self, key: &str) -> Result<(), AppError> {
        let pool = crate::ssr::pool()?;
        let refused = rate_limits::within(&pool, key, self.max, self.window_secs).await;
        if let Err(AppError::RateLimited { retry_after_secs }) = &refused {
            // The key's kind only: its tail is an account's address, a client's or a user's id.
            tracing::warn!(limit = kind_of(key), retry_after_secs, "rate limited");
            if let (Some(options), Ok(value)) = (
                leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
                axum::http::HeaderValue::from_str(&retry_after_secs.to_string()),
            ) {
                options.insert_header(axum::http::header::RETRY_AFTER, value);
            }
        }
        refused
    }
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
        assert_eq!(kind_of("invite:user:42"), "invite:user");
        assert_eq!(kind_of("odd"), "odd");
    }
}
