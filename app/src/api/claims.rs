//! Claiming author records: the claim page's data, claims with institutional e-mail or written
//! evidence, disputes, and ending a claim (the owner's release, a moderator's revocation).
//! Moderation lives in `api::moderation`, the owner's edits in `api::record_edit`.

use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::ssr::forms::Form;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimPageData {
    pub slug: String,
    pub name: String,
    pub claim_state: crate::domain::trust::ClaimState,
    pub relation: crate::api::profiles::ClaimRelation,
    /// The institution whose domain matches the viewer's verified e-mail, when one does.
    pub email_match: Option<String>,
    pub email_verified: bool,
    /// The record this account already holds, if another.
    pub holds_other: Option<String>,
    /// Which claim the record is under: a dispute form sends it back, so a dispute is about the
    /// claim its author saw.
    pub claim_generation: i64,
}

#[cfg(feature = "ssr")]
pub(crate) mod server {
    use super::*;
    use db::writes::{claims, users::UserRow};

    pub fn profile_path(slug: &str) -> String {
        format!("/authors/{slug}")
    }

    pub async fn record(slug: &str) -> Result<claims::RecordState, AppError> {
        let slug = crate::api::record_slug(slug, "this researcher")?;
        let pool = crate::ssr::pool()?;
        claims::record_by_slug(&pool, slug.as_str()).await?.ok_or_else(|| AppError::NotFound("this researcher".into()))
    }

    pub async fn moderator() -> Result<UserRow, AppError> {
        let user = crate::ssr::auth::require_user().await?;
        let pool = crate::ssr::pool()?;
        if claims::is_moderator(&pool, user.id).await? {
            Ok(user)
        } else {
            Err(AppError::Forbidden)
        }
    }

    pub async fn email_match(author_id: i64, user: &UserRow) -> Result<Option<String>, AppError> {
        if user.email_verified_at.is_none() {
            return Ok(None);
        }
        let domain = user.email.split_once('@').map_or("", |(_, d)| d);
        let pool = crate::ssr::pool()?;
        let domains = claims::institution_domains(&pool, author_id).await?;
        Ok(domains
            .into_iter()
            .find(|(d, _)| crate::domain::claims::email_domain_matches(domain, d))
            .map(|(_, name)| name))
    }

    /// Written evidence from a form: its text and links, or why it is refused.
    pub fn evidence(text: &str, links: Option<&str>) -> Result<(String, Vec<String>), AppError> {
        let parsed = crate::domain::claims::Evidence::parse(text, links.unwrap_or(""))
            .map_err(|(field, reason)| AppError::invalid(field, reason))?;
        Ok((parsed.text, parsed.links.iter().map(|l| l.as_str().to_owned()).collect()))
    }

    pub fn outcome(outcome: claims::ClaimOutcome) -> Result<(), AppError> {
        match outcome {
            claims::ClaimOutcome::Done => Ok(()),
            claims::ClaimOutcome::Taken => Err(AppError::Conflict("This record has just been claimed".into())),
            claims::ClaimOutcome::AccountHoldsAnother => {
                Err(AppError::Conflict("your account already holds an author record; release it first".into()))
            }
        }
    }
}

#[server(prefix = "/api", endpoint = "claim_page")]
pub async fn claim_page(slug: String) -> Result<ClaimPageData, AppError> {
    use crate::api::profiles::ClaimRelation;
    let record = server::record(&slug).await?;
    let user = crate::ssr::auth::current_user().await?;
    let relation = ClaimRelation::of(user.as_ref().map(|u| u.id), record.claimed_by, record.claim_state);
    let (email_match, holds_other) = match &user {
        Some(u) => {
            let pool = crate::ssr::pool()?;
            let held = db::writes::claims::record_held_by(&pool, u.id).await?;
            (server::email_match(record.id, u).await?, held.filter(|s| *s != record.slug))
        }
        None => (None, None),
    };
    Ok(ClaimPageData {
        slug: record.slug,
        name: record.display_name,
        claim_state: record.claim_state,
        relation,
        email_match,
        email_verified: user.as_ref().is_some_and(|u| u.email_verified_at.is_some()),
        holds_other,
        claim_generation: record.claim_generation,
    })
}

/// Claims with the viewer's verified institutional e-mail (automatic evidence, gives L2).
#[server(prefix = "/api", endpoint = "claim_with_email")]
pub async fn claim_with_email(slug: String) -> Result<(), AppError> {
    let claim_path = format!("/authors/{slug}/claim");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let record = server::record(&slug).await?;
        let Some(institution) = server::email_match(record.id, &user).await? else {
            return Err(AppError::invalid(
                "email",
                "your verified e-mail address does not belong to an institution on this record",
            ));
        };
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        let reason = format!("institutional e-mail {} matches {institution}", user.email);
        let outcome = db::writes::claims::claim_with_automatic_evidence(&mut conn, record.id, user.id, &reason).await?;
        server::outcome(outcome)
    };
    Form::on(&claim_path).answer(server::profile_path(&slug), action).await
}

/// Claims with written evidence for a moderator (the record shows "Claim pending").
#[server(prefix = "/api", endpoint = "claim_with_evidence")]
pub async fn claim_with_evidence(slug: String, evidence: String, links: Option<String>) -> Result<(), AppError> {
    let claim_path = format!("/authors/{slug}/claim");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let (text, links) = server::evidence(&evidence, links.as_deref())?;
        let record = server::record(&slug).await?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        let outcome = db::writes::claims::request_claim_review(&mut conn, record.id, user.id, &text, &links).await?;
        server::outcome(outcome)
    };
    let form = Form::on(&claim_path).keep("evidence", &evidence).keep("links", links.as_deref().unwrap_or(""));
    form.answer(server::profile_path(&slug), action).await
}

/// Disputes the current claim (claimed or pending) of a record with written evidence. `claim`
/// is the claim the disputant saw (from the claim page); limited per account.
#[server(prefix = "/api", endpoint = "dispute_claim")]
pub async fn dispute_claim(
    slug: String,
    evidence: String,
    links: Option<String>,
    claim: Option<i64>,
) -> Result<(), AppError> {
    use crate::domain::claims::{DISPUTES_PER_DAY, MAX_OPEN_DISPUTES};
    use crate::ssr::limits::Limit;
    use db::writes::claims::DisputeOutcome;
    let claim_path = format!("/authors/{slug}/claim");
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let (text, links) = server::evidence(&evidence, links.as_deref())?;
        let record = server::record(&slug).await?;
        Limit::per_day("dispute", DISPUTES_PER_DAY).by_user(user.id).await?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        let outcome = db::writes::claims::open_dispute(
            &mut conn,
            record.id,
            user.id,
            claim,
            &text,
            &links,
            i64::from(MAX_OPEN_DISPUTES),
        )
        .await?;
        let refused = |why: &str| Err(AppError::Conflict(why.to_owned()));
        match outcome {
            DisputeOutcome::Opened(_) => Ok(()),
            DisputeOutcome::NotClaimed => refused("this record is not claimed; claim it instead"),
            DisputeOutcome::OwnClaim => refused("you hold this record; release it instead of disputing it"),
            DisputeOutcome::ChangedHands => {
                refused("this record changed hands after you opened the page; read it again before disputing")
            }
            DisputeOutcome::AlreadyOpen => {
                refused("you already have an open dispute of this record; a moderator will read it")
            }
            DisputeOutcome::TooMany => Err(AppError::Conflict(format!(
                "you can have at most {MAX_OPEN_DISPUTES} open disputes; wait until a moderator decides one"
            ))),
        }
    };
    let form = Form::on(&claim_path).keep("evidence", &evidence).keep("links", links.as_deref().unwrap_or(""));
    form.answer(format!("{}?disputed=1", server::profile_path(&slug)), action).await
}

/// Revokes a claim (moderators), or releases it (the owner).
#[server(prefix = "/api", endpoint = "unclaim_record")]
pub async fn unclaim_record(slug: String, reason: Option<String>) -> Result<(), AppError> {
    let profile = server::profile_path(&slug);
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let record = server::record(&slug).await?;
        let pool = crate::ssr::pool()?;
        let by_owner = record.claimed_by == Some(user.id);
        if !by_owner && !db::writes::claims::is_moderator(&pool, user.id).await? {
            return Err(AppError::Forbidden);
        }
        let reason = crate::domain::claims::plain_text(
            reason.as_deref().unwrap_or(""),
            crate::domain::claims::MAX_REASON_CHARS,
            !by_owner,
        )
        .map_err(|r| AppError::invalid("reason", format!("the reason: {r}")))?;
        let reason = if by_owner {
            format!("released by its owner {reason}").trim().to_owned()
        } else {
            format!("revoked by a moderator: {reason}")
        };
        let mut conn = pool.acquire().await?;
        if db::writes::claims::unclaim(&mut conn, record.id, user.id, by_owner, &reason).await? {
            Ok(())
        } else {
            Err(AppError::Conflict("this record is not claimed".into()))
        }
    };
    Form::on(&profile).answer(&profile, action).await
}
