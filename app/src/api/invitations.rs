//! Invitations to claimed researchers: the viewer's standing on a profile, sending (rate-limited,
//! slowed for senders whose invitations are mostly declined, mailed to the recipient),
//! withdrawing and answering.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::forms::Form;
use leptos::prelude::*;

pub use crate::model::collaboration::{Standing, WorkRef};

#[cfg(feature = "ssr")]
pub(crate) mod server {
    pub const INBOX: &str = "/me/inbox";

    /// The same-site page a form came from (its path only), else the inbox.
    pub fn back_path(raw: Option<&str>) -> String {
        crate::domain::account::ReturnPath::parse(raw.unwrap_or(INBOX))
            .and_then(|p| p.as_str().split(['?', '#']).next().map(str::to_owned))
            .unwrap_or_else(|| INBOX.to_owned())
    }

    pub fn when(at: chrono::DateTime<chrono::Utc>) -> String {
        at.format("%Y-%m-%d %H:%M UTC").to_string()
    }
}

/// Invites the researcher holding the record at `slug`, optionally about one of its works.
/// Returns the invitation's id.
#[server(prefix = "/api", endpoint = "send_invitation")]
pub async fn send_invitation(
    slug: String,
    subject: String,
    body: String,
    work: Option<String>,
) -> Result<i64, AppError> {
    use crate::domain::collaboration::{daily_invitation_limit, Subject, Text, DECLINE_WINDOW};
    use crate::ssr::limits::Limit;
    use db::writes::invitations::{self, NewInvitation, SendOutcome};
    let profile = format!("/authors/{slug}");
    let work = work.filter(|w| !w.trim().is_empty());
    let form = Form::on(&profile)
        .keep("subject", &subject)
        .keep("body", &body)
        .keep("work", work.as_deref().unwrap_or(""))
        .at("#collaboration");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        if user.email_verified_at.is_none() {
            return Err(AppError::invalid("email", "verify your e-mail address before inviting anyone"));
        }
        let subject = Subject::try_from(subject.clone()).map_err(|r| AppError::invalid("subject", r))?;
        let text = Text::invitation(&body).map_err(|r| AppError::invalid("body", r))?;
        let slug = crate::api::record_slug(&slug, "this researcher")?;
        let ctx = crate::ssr::context()?;
        let recipient = invitations::recipient_by_slug(&ctx.pool, slug.as_str())
            .await?
            .ok_or_else(|| AppError::NotFound("this researcher".into()))?;
        let name = recipient.display_name.clone();
        if !recipient.is_claimed() {
            return Err(AppError::Conflict(format!(
                "{name} has not claimed this record yet; invitations go to researchers who have"
            )));
        }
        if recipient.claimed_by == Some(user.id) {
            return Err(AppError::invalid("slug", "this is your own record; you cannot invite yourself"));
        }
        if !recipient.open_to_collaborate {
            return Err(AppError::Conflict(format!("{name} is not open to collaboration invitations right now")));
        }
        let work_id = match work.as_deref() {
            None => None,
            Some(w) => {
                let not_theirs = || AppError::invalid("work", format!("choose one of {name}'s works, or none"));
                let w = crate::domain::slug::Slug::parse(w.trim()).map_err(|_| not_theirs())?;
                let found = invitations::work_on_record(&ctx.pool, recipient.author_id, w.as_str());
                Some(found.await?.ok_or_else(not_theirs)?)
            }
        };
        let declines = invitations::recent_declines(&ctx.pool, user.id, DECLINE_WINDOW).await?;
        Limit::per_day("invite", daily_invitation_limit(declines)).by_user(user.id).await?;
        let new = NewInvitation {
            sender_id: user.id,
            author_id: recipient.author_id,
            work_id,
            subject: subject.as_str(),
            body: text.as_str(),
        };
        let mut conn = ctx.pool.acquire().await?;
        let id = match invitations::send(&mut conn, &new).await? {
            SendOutcome::Sent(id) => id,
            SendOutcome::AlreadyOpen => {
                return Err(AppError::Conflict(format!(
                    "you already have an open invitation to {name}; it is in your inbox"
                )))
            }
            SendOutcome::NotAccepting => {
                return Err(AppError::Conflict(format!("{name} is not taking invitations right now")))
            }
            SendOutcome::Blocked => {
                return Err(AppError::Conflict(format!("{name} is not taking invitations from you")))
            }
        };
        drop(conn);
        if let Some(email) = recipient.recipient_email.as_deref() {
            let mail = format!(
                "{} invites you to collaborate on BZPEER.\n\nSubject: {}\n\n{}\n\nAccept or decline in your inbox: {}/me/inbox",
                user.display_name,
                subject.as_str(),
                text.as_str(),
                ctx.site_url
            );
            // The invitation stands in the inbox even if the mail cannot go out now.
            if let Err(e) = ctx.mailer.send(&ctx.pool, email, &format!("Invitation: {}", subject.as_str()), &mail).await
            {
                tracing::warn!(%e, invitation = id, "the invitation mail was not sent");
            }
        }
        Ok(id)
    };
    form.answer(format!("{profile}?invited=1#collaboration"), action).await
}

/// The sender withdraws their open invitation (it stays listed, as withdrawn, for both).
#[server(prefix = "/api", endpoint = "withdraw_invitation")]
pub async fn withdraw_invitation(id: i64, back: Option<String>) -> Result<(), AppError> {
    let back = server::back_path(back.as_deref());
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        match db::writes::invitations::withdraw(&mut conn, id, user.id).await? {
            Some(true) => Ok(()),
            Some(false) => Err(AppError::Conflict("this invitation was already answered".into())),
            None => Err(AppError::NotFound("this invitation".into())),
        }
    };
    Form::on(&back).answer(&back, action).await
}

/// The recipient accepts (`decision=accept`, which opens the conversation, whose id is
/// returned) or declines (`decision=decline`), optionally with a note.
#[server(prefix = "/api", endpoint = "answer_invitation")]
pub async fn answer_invitation(id: i64, decision: String, note: Option<String>) -> Result<Option<i64>, AppError> {
    use db::writes::invitations::AnswerOutcome;
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let answer =
            crate::domain::collaboration::Answer::parse(&decision).map_err(|r| AppError::invalid("decision", r))?;
        let note = crate::domain::collaboration::Text::note(note.as_deref().unwrap_or(""))
            .map_err(|r| AppError::invalid("note", r))?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        let outcome =
            db::writes::invitations::answer(&mut conn, id, user.id, answer, note.as_ref().map(|n| n.as_str())).await?;
        match outcome {
            AnswerOutcome::Accepted { conversation_id } => Ok(Some(conversation_id)),
            AnswerOutcome::Declined => Ok(None),
            AnswerOutcome::NotFound => Err(AppError::NotFound("this invitation".into())),
            AnswerOutcome::AlreadyAnswered => Err(AppError::Conflict("this invitation is no longer open".into())),
            AnswerOutcome::Blocked => Err(AppError::Conflict("this invitation can no longer be accepted".into())),
        }
    };
    let opened = |conversation: &Option<i64>| match conversation {
        Some(conversation) => format!("/conversations/{conversation}"),
        None => server::INBOX.to_owned(),
    };
    Form::on(server::INBOX).answer_to(opened, action).await
}
