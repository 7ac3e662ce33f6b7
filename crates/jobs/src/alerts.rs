//! Alerts about followed researchers: new secret tokens, and queuing the digests that are due
//! (run by the hourly housekeeping; each claimed and moved on in one transaction with its mail).

use crate::domain::alerts::{digest_mail, DIGEST_WORKS};
use crate::error::AppError;
use base64::Engine;
use db::writes::alerts;
use rand::RngCore;
use sqlx::{Connection, PgPool};

/// A new secret for a link: 32 random bytes, URL-safe.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Digests queued per run at most (the next run takes the rest).
const PER_RUN: usize = 10_000;

/// Queues every digest whose period has passed; `deliver` when an SMTP server sends mail.
/// Returns how many mails were queued (a period without new works sends none, and moves on).
pub async fn queue_due_digests(pool: &PgPool, site_url: &str, deliver: bool) -> Result<usize, AppError> {
    let mut conn = pool.acquire().await?;
    let mut queued = 0;
    for _ in 0..PER_RUN {
        let mut tx = conn.begin().await?;
        let Some(due) = alerts::claim_due(&mut tx).await? else {
            tx.commit().await?;
            break;
        };
        let now = chrono::Utc::now();
        let hours = due.digest.hours().unwrap_or(24);
        let since = due.covered_until.unwrap_or(now - chrono::Duration::hours(hours));
        let (works, total) = alerts::new_works(&mut tx, due.user_id, since, now, DIGEST_WORKS as i64).await?;
        if total > 0 {
            let unsubscribe = format!("{site_url}/alerts/unsubscribe?token={}", due.unsubscribe_token);
            let (subject, body) = digest_mail(site_url, due.digest, &works, total as usize, &unsubscribe);
            db::writes::outbox::insert_listed(&mut *tx, &due.email, &subject, &body, deliver, &unsubscribe).await?;
            queued += 1;
        }
        alerts::covered(&mut tx, due.user_id, now).await?;
        tx.commit().await?;
    }
    Ok(queued)
}
