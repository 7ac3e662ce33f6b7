//! Sending mail: over SMTP when `BZPEER_SMTP_URL` is set, otherwise into the `outbox` table,
//! which `/dev/outbox` shows in development. Logs name a mail's subject, never its text.

use crate::error::AppError;
use crate::ssr::db::outbox;
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sqlx::PgPool;

#[derive(Clone)]
pub enum Mailer {
    Smtp { transport: AsyncSmtpTransport<Tokio1Executor>, from: Mailbox },
    Outbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Smtp { from, .. } => write!(f, "Mailer::Smtp(from {from})"),
            Self::Outbox => f.write_str("Mailer::Outbox"),
        }
    }
}

impl Mailer {
    /// SMTP from a URL such as `smtps://user:pass@smtp.example.org` with `from` as sender.
    pub fn smtp(url: &str, from: &str) -> Result<Self, String> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| format!("BZPEER_SMTP_URL is not a valid SMTP URL: {e}"))?
            .build();
        let from = from.parse::<Mailbox>().map_err(|e| format!("BZPEER_MAIL_FROM is not an address: {e}"))?;
        Ok(Self::Smtp { transport, from })
    }

    pub async fn send(&self, pool: &PgPool, to: &str, subject: &str, body: &str) -> Result<(), AppError> {
        match self {
            Self::Outbox => {
                let id = outbox::insert(pool, to, subject, body).await?;
                // Never the body (it holds links that act for the recipient, or private
                // messages), nor the whole address.
                tracing::info!(id, to = %redacted(to), subject, "mail written to the outbox (no SMTP configured)");
                Ok(())
            }
            Self::Smtp { transport, from } => {
                let to = to
                    .parse::<Mailbox>()
                    .map_err(|_| AppError::invalid("email", "this address cannot receive mail"))?;
                let message =
                    Message::builder().from(from.clone()).to(to).subject(subject).body(body.to_owned()).map_err(
                        |e| {
                            tracing::error!(%e, "building a mail failed");
                            AppError::Internal
                        },
                    )?;
                transport.send(message).await.map(|_| ()).map_err(|e| {
                    tracing::error!(%e, subject, "SMTP delivery failed");
                    AppError::Unavailable
                })
            }
        }
    }
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
    use super::redacted;

    #[test]
    fn a_logged_address_shows_only_its_domain() {
        assert_eq!(redacted("ada@example.org"), "…@example.org");
        assert_eq!(redacted("not an address"), "…");
    }
}
