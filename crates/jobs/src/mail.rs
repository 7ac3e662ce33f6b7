//! Sending mail: every mail is written to the `outbox` table first (so a request never waits
//! for, nor fails with, the mail server). With `BZPEER_SMTP_URL` set, a sender in each server
//! process delivers pending mail over SMTP, each mail leased by one sender at a time, so several
//! processes send it once; without it, mail stays in the outbox, which `/dev/outbox` shows in
//! development. Logs name a mail's subject, never its text.

use crate::error::AppError;
use db::writes::outbox;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

#[derive(Clone)]
pub enum Mailer {
    /// Queued in the outbox and delivered over SMTP by `Smtp::deliver_forever`.
    Smtp(Arc<Smtp>),
    /// No SMTP server: mail stays in the outbox.
    Outbox,
}

pub struct Smtp {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// Wakes this process's sender when a request queues a mail.
    queued: Notify,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp(smtp) => write!(f, "Mailer::Smtp(from {})", smtp.from),
            Self::Outbox => f.write_str("Mailer::Outbox"),
        }
    }
}

/// Mails leased per round, and how long a lease lasts before another sender may retry.
const BATCH: i64 = 20;
const LEASE_SECS: i64 = 120;
/// How often a sender looks for mail queued by other processes (or due for a retry).
const POLL: Duration = Duration::from_secs(5);

impl Mailer {
    /// SMTP from a URL such as `smtps://user:pass@smtp.example.org` with `from` as sender.
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("BZPEER_SMTP_URL is not a valid SMTP URL: {e}"))?
            .timeout(Some(Duration::from_secs(20)))
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("BZPEER_MAIL_FROM is not an address: {e}"))?;
        Ok(Self::Smtp(Arc::new(Smtp { transport, from, queued: Notify::new() })))
    }

    /// Queues a mail: written to the outbox in the caller's request, sent later by a sender.
    pub async fn send(&self, pool: &PgPool, to: &str, subject: &str, body: &str) -> Result<(), AppError> {
        let deliver = matches!(self, Self::Smtp(_));
        if deliver && to.parse::<Mailbox>().is_err() {
            return Err(AppError::invalid("email", "this address cannot receive mail"));
        }
        let id = outbox::insert(pool, to, subject, body, deliver).await?;
        // Never the body (it holds links that act for the recipient, or private messages), nor
        // the whole address.
        match self {
            Self::Smtp(smtp) => {
                tracing::info!(id, to = %redacted(to), subject, "mail queued");
                smtp.queued.notify_one();
            }
            Self::Outbox => {
                tracing::info!(id, to = %redacted(to), subject, "mail written to the outbox (no SMTP configured)");
            }
        }
        Ok(())
    }
}

/// What one delivery round did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Delivered {
    pub sent: usize,
    pub failed: usize,
}

impl Smtp {
    /// Delivers pending mail for as long as the process runs: at once when this process queues
    /// one, and every few seconds for mail queued elsewhere or due for a retry.
    pub async fn deliver_forever(self: Arc<Self>, pool: PgPool) {
        loop {
            match self.deliver_pending(&pool).await {
                Ok(Delivered { sent: 0, failed: 0 }) => {}
                Ok(done) => tracing::info!(sent = done.sent, failed = done.failed, "mail delivery"),
                Err(e) => tracing::warn!(%e, "mail delivery could not read the outbox"),
            }
            let _ = tokio::time::timeout(POLL, self.queued.notified()).await;
        }
    }

    /// Leases pending mail and delivers it, batch after batch, until none is left to lease.
    pub async fn deliver_pending(&self, pool: &PgPool) -> Result<Delivered, AppError> {
        let mut done = Delivered::default();
        loop {
            let batch = outbox::lease_pending(pool, BATCH, LEASE_SECS).await?;
            if batch.is_empty() {
                return Ok(done);
            }
            for mail in batch {
                match self.deliver(&mail).await {
                    Ok(()) => {
                        outbox::mark_sent(pool, mail.id).await?;
                        done.sent += 1;
                    }
                    Err(error) => {
                        done.failed += 1;
                        let retry = retry_after_secs(mail.attempts);
                        if mail.attempts >= outbox::MAX_ATTEMPTS {
                            tracing::error!(id = mail.id, subject = mail.subject, %error, "mail delivery given up");
                        } else {
                            tracing::warn!(id = mail.id, subject = mail.subject, %error, retry, "mail delivery failed");
                        }
                        outbox::mark_failed(pool, mail.id, retry, &error).await?;
                    }
                }
            }
        }
    }

    async fn deliver(&self, mail: &outbox::Leased) -> Result<(), String> {
        let to = mail.to_email.parse::<Mailbox>().map_err(|e| format!("not an address: {e}"))?;
        let mut message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(mail.subject.as_str())
            .body(mail.body.clone())
            .map_err(|e| format!("building the mail: {e}"))?;
        if let Some(address) = &mail.list_unsubscribe {
            // RFC 8058: a mail client unsubscribes with one POST, without opening a page.
            use lettre::message::header::{HeaderName, HeaderValue};
            let headers = message.headers_mut();
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{address}>"),
            ));
            headers.insert_raw(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        }
        self.transport.send(message).await.map(|_| ()).map_err(|e| e.to_string())
    }
}

/// How long a mail that failed its `attempts`-th try waits for the next: 30 s, 1 min, 2 min ...
/// at most an hour.
fn retry_after_secs(attempts: i32) -> i64 {
    (30_i64 << (attempts - 1).clamp(0, 7)).min(3600)
}

/// An address as logs may show it: its domain only (`…@example.org`).
pub fn redacted(address: &str) -> String {
    match address.rsplit_once('@') {
        Some((_, domain)) => format!("…@{domain}"),
        None => "…".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::{redacted, retry_after_secs};

    #[test]
    fn failed_mail_is_retried_after_doubling_waits_of_at_most_an_hour() {
        let waits: Vec<i64> = (1..=9).map(retry_after_secs).collect();
        assert_eq!(waits, [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]);
    }

    #[test]
    fn a_logged_address_shows_only_its_domain() {
        assert_eq!(redacted("ada@example.org"), "…@example.org");
        assert_eq!(redacted("not an address"), "…");
    }
}
