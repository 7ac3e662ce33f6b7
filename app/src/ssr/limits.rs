//! Per-account rate limits inside server functions (invitations, messages): the shared
//! `rate_limits` counters, answered `RateLimited` (429) with `Retry-After`.

use crate::error::AppError;
use crate::ssr::db::{map_sqlx, rate_limits};

/// Counts one hit for `key`; past `max` in the current window of `window_secs`, refuses it.
pub async fn check(key: &str, max: i32, window_secs: i64) -> Result<(), AppError> {
    let pool = crate::ssr::pool()?;
    let (hits, retry_after) = rate_limits::hit(&pool, key, window_secs).await.map_err(map_sqlx)?;
    if hits <= max {
        return Ok(());
    }
    tracing::warn!(key, hits, "rate limited");
    if let (Some(options), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        axum::http::HeaderValue::from_str(&retry_after.to_string()),
    ) {
        options.insert_header(axum::http::header::RETRY_AFTER, value);
    }
    Err(AppError::RateLimited { retry_after_secs: u64::try_from(retry_after).unwrap_or(60) })
}
