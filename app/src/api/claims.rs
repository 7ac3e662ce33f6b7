//! Claiming author records: the claim page's data, claims with institutional e-mail or written
//! evidence, disputes, moderation (queue, approve, reject, revoke, audit log) and owner edits.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimPageData {
    pub slug: String,
    pub name: String,
    pub claim_state: String,
    pub relation: crate::api::profiles::ClaimRelation,
    /// The institution whose domain matches the viewer's verified e-mail, when one does.
    pub email_match: Option<String>,
    pub email_verified: bool,
    /// The record this account already holds, if another.
    pub holds_other: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub kind: String,
    pub evidence: String,
    pub links: Vec<String>,
    pub submitted: String,
    pub author_slug: String,
    pub author_name: String,
    pub claim_state: String,
    pub requester: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub from: String,
    pub to: String,
    pub reason: String,
}

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::account::encode_query_value as q;
    use crate::ssr::db::{claims, map_sqlx, users::UserRow};

    pub fn profile_path(slug: &str) -> String {
        format!("/authors/{slug}")
    }

    pub fn back(path: &str, e: &AppError) -> String {
        match e {
            AppError::Unauthorized => format!("/login?next={}", q(path)),
            other => crate::ssr::forms::back_with_error(path, other, &[]),
        }
    }

    pub async fn record(slug: &str) -> Result<claims::RecordState, AppError> {
        let slug = crate::api::record_slug(slug, "this researcher")?;
        let pool = crate::ssr::pool()?;
        claims::record_by_slug(&pool, slug.as_str())
            .await
            .map_err(map_sqlx)?
            .ok_or_else(|| AppError::NotFound("this researcher".into()))
    }

    pub async fn moderator() -> Result<UserRow, AppError> {
        let user = crate::ssr::auth::require_user().await?;
        let pool = crate::ssr::pool()?;
        if claims::is_moderator(&pool, user.id).await.map_err(map_sqlx)? {
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
        let domains = claims::institution_domains(&pool, author_id).await.map_err(map_sqlx)?;
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
    use crate::domain::trust::ClaimState;
    let record = server::record(&slug).await?;
    let user = crate::ssr::auth::current_user().await?;
    let state = ClaimState::from_db(&record.claim_state);
    let relation = ClaimRelation::of(user.as_ref().map(|u| u.id), record.claimed_by, state);
    let (email_match, holds_other) = match &user {
        Some(u) => {
            let pool = crate::ssr::pool()?;
            let held = crate::ssr::db::claims::record_held_by(&pool, u.id).await.map_err(crate::ssr::db::map_sqlx)?;
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
    })
}

/// Claims with the viewer's verified institutional e-mail (automatic evidence, gives L2).
#[server(prefix = "/api", endpoint = "claim_with_email")]
pub async fn claim_with_email(slug: String) -> Result<(), AppError> {
    let claim_path = format!("/authors/{slug}/claim");
    let result = async {
        let user = crate::ssr::auth::require_user().await?;
        let record = server::record(&slug).await?;
        let Some(institution) = server::email_match(record.id, &user).await? else {
            return Err(AppError::invalid(
                "email",
                "your verified e-mail address does not belong to an institution on this record",
            ));
        };
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await.map_err(crate::ssr::db::map_sqlx)?;
        let reason = format!("institutional e-mail {} matches {institution}", user.email);
        let outcome = crate::ssr::db::claims::claim_with_automatic_evidence(&mut conn, record.id, user.id, &reason)
            .await
            .map_err(crate::ssr::db::map_sqlx)?;
        server::outcome(outcome)
    }
    .await;
    crate::ssr::forms::finish(result, &server::profile_path(&slug), |e| server::back(&claim_path, e))
}

/// Claims with written evidence for a moderator (the record shows "Claim pending").
#[server(prefix = "/api", endpoint = "claim_with_evidence")]
pub async fn claim_with_evidence(slug: String, evidence: String, links: Option<String>) -> Result<(), AppError> {
    let claim_path = format!("/authors/{slug}/claim");
    let result = async {
        let user = crate::ssr::auth::require_user().await?;
        let (text, links) = server::evidence(&evidence, links.as_deref())?;
        let record = server::record(&slug).await?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await.map_err(crate::ssr::db::map_sqlx)?;
        let outcome = crate::ssr::db::claims::request_claim_review(&mut conn, record.id, user.id, &text, &links)
            .await
            .map_err(crate::ssr::db::map_sqlx)?;
        server::outcome(outcome)
    }
    .await;
    crate::ssr::forms::finish(result, &server::profile_path(&slug), |e| server::back(&claim_path, e))
}

/// Disputes a claimed or pending record with written evidence.
#[server(prefix = "/api", endpoint = "dispute_claim")]
pub async fn dispute_claim(slug: String, evidence: String, links: Option<String>) -> Result<(), AppError> {
    let claim_path = format!("/authors/{slug}/claim");
    let result = async {
        let user = crate::ssr::auth::require_user().await?;
        let (text, links) = server::evidence(&evidence, links.as_deref())?;
        let record = server::record(&slug).await?;
        if record.claim_state == "unclaimed" {
            return Err(AppError::Conflict("this record is not claimed; claim it instead".into()));
        }
        if record.claimed_by == Some(user.id) {
            return Err(AppError::Conflict("you hold this record; release it instead of disputing it".into()));
        }
        let pool = crate::ssr::pool()?;
        crate::ssr::db::claims::open_dispute(&pool, record.id, user.id, &text, &links)
            .await
            .map_err(crate::ssr::db::map_sqlx)?;
        Ok(())
    }
    .await;
    crate::ssr::forms::finish(result, &format!("{}?disputed=1", server::profile_path(&slug)), |e| {
        server::back(&claim_path, e)
    })
}

/// The open requests (claims with evidence, disputes), oldest first; moderators only.
#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue() -> Result<Vec<QueueItem>, AppError> {
    server::moderator().await?;
    let pool = crate::ssr::pool()?;
    let rows = crate::ssr::db::claims::open_requests(&pool, 0, 100).await.map_err(crate::ssr::db::map_sqlx)?;
    Ok(rows
        .into_iter()
        .map(|r| QueueItem {
            id: r.id,
            kind: r.kind,
            evidence: r.evidence,
            links: r.links,
            submitted: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
            author_slug: r.author_slug,
            author_name: r.author_name,
            claim_state: r.claim_state,
            requester: format!("{} <{}>", r.requester_name, r.requester_email),
        })
        .collect())
}

/// Approves or rejects a request with a reason; the requester is told by mail.
#[server(prefix = "/api", endpoint = "decide_request")]
pub async fn decide_request(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    let result = async {
        let moderator = server::moderator().await?;
        let approve = match decision.as_str() {
            "approve" => true,
            "reject" => false,
            _ => return Err(AppError::invalid("decision", "choose approve or reject")),
        };
        let reason = crate::domain::claims::plain_text(&reason, crate::domain::claims::MAX_REASON_CHARS, true)
            .map_err(|r| AppError::invalid("reason", format!("the reason: {r}")))?;
        let ctx = crate::ssr::context()?;
        let mut conn = ctx.pool.acquire().await.map_err(crate::ssr::db::map_sqlx)?;
        let decided = crate::ssr::db::claims::decide(&mut conn, id, moderator.id, approve, &reason)
            .await
            .map_err(crate::ssr::db::map_sqlx)?
            .ok_or_else(|| AppError::Conflict("this request was already decided".into()))?;
        let verdict = if approve { "approved" } else { "rejected" };
        let body = format!(
            "A moderator {verdict} your {} on the BZPEER record of {}.\n\nReason: {reason}\n\n{}/authors/{}",
            if decided.kind == "claim" { "claim" } else { "dispute" },
            decided.author_name,
            ctx.site_url,
            decided.author_slug
        );
        ctx.mailer
            .send(&ctx.pool, &decided.requester_email, &format!("Your {} was {verdict}", decided.kind), &body)
            .await
    }
    .await;
    crate::ssr::forms::finish(result, "/moderation/claims", |e| server::back("/moderation/claims", e))
}

/// Revokes a claim (moderators), or releases it (the owner).
#[server(prefix = "/api", endpoint = "unclaim_record")]
pub async fn unclaim_record(slug: String, reason: Option<String>) -> Result<(), AppError> {
    let profile = server::profile_path(&slug);
    let result = async {
        let user = crate::ssr::auth::require_user().await?;
        let record = server::record(&slug).await?;
        let pool = crate::ssr::pool()?;
        let by_owner = record.claimed_by == Some(user.id);
        if !by_owner && !crate::ssr::db::claims::is_moderator(&pool, user.id).await.map_err(crate::ssr::db::map_sqlx)? {
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
        let mut conn = pool.acquire().await.map_err(crate::ssr::db::map_sqlx)?;
        if crate::ssr::db::claims::unclaim(&mut conn, record.id, user.id, by_owner, &reason)
            .await
            .map_err(crate::ssr::db::map_sqlx)?
        {
            Ok(())
        } else {
            Err(AppError::Conflict("this record is not claimed".into()))
        }
    }
    .await;
    crate::ssr::forms::finish(result, &profile, |e| server::back(&profile, e))
}

/// A record's claim history, newest first; moderators only.
#[server(prefix = "/api", endpoint = "record_audit")]
pub async fn record_audit(slug: String) -> Result<Vec<AuditEntry>, AppError> {
    server::moderator().await?;
    let record = server::record(&slug).await?;
    let pool = crate::ssr::pool()?;
    let rows = crate::ssr::db::claims::audit_log(&pool, record.id, 200).await.map_err(crate::ssr::db::map_sqlx)?;
    Ok(rows
        .into_iter()
        .map(|r| AuditEntry {
            at: r.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            actor: r.actor.unwrap_or_else(|| "(deleted account)".into()),
            from: r.from_state,
            to: r.to_state,
            reason: r.reason,
        })
        .collect())
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstitutionChoice {
    pub openalex_id: String,
    pub name: String,
}

/// The institutions an owner can pick as their affiliation: those on the record.
#[server(prefix = "/api", endpoint = "record_institutions")]
pub async fn record_institutions(slug: String) -> Result<Vec<InstitutionChoice>, AppError> {
    let record = server::record(&slug).await?;
    let pool = crate::ssr::pool()?;
    let rows = crate::ssr::db::claims::record_institutions(&pool, record.id).await.map_err(crate::ssr::db::map_sqlx)?;
    Ok(rows.into_iter().map(|(openalex_id, name)| InstitutionChoice { openalex_id, name }).collect())
}

/// The owner's edits: bio, affiliation (an institution from the database, or free text),
/// homepage and "Open to collaborate".
#[server(prefix = "/api", endpoint = "update_record")]
pub async fn update_record(
    slug: String,
    bio: String,
    affiliation: String,
    homepage: String,
    open_to_collaborate: Option<String>,
    affiliation_institution: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::claims::{plain_text, WebLink, MAX_AFFILIATION_CHARS, MAX_BIO_CHARS};
    let edit_path = format!("/authors/{slug}/edit");
    let result = async {
        let user = crate::ssr::auth::require_user().await?;
        let bio =
            plain_text(&bio, MAX_BIO_CHARS, false).map_err(|r| AppError::invalid("bio", format!("the bio: {r}")))?;
        let affiliation = plain_text(&affiliation, MAX_AFFILIATION_CHARS, false)
            .map_err(|r| AppError::invalid("affiliation", format!("the affiliation: {r}")))?;
        let homepage = match homepage.trim() {
            "" => None,
            raw => Some(WebLink::parse(raw).map_err(|r| AppError::invalid("homepage", r))?),
        };
        let record = server::record(&slug).await?;
        if record.claimed_by != Some(user.id) || !matches!(record.claim_state.as_str(), "claimed" | "confirmed") {
            return Err(AppError::Forbidden);
        }
        let pool = crate::ssr::pool()?;
        let institution = match affiliation_institution.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
            None => None,
            Some(raw) => Some(
                crate::ssr::db::claims::institution_id(&pool, raw)
                    .await
                    .map_err(crate::ssr::db::map_sqlx)?
                    .ok_or_else(|| {
                        AppError::invalid("affiliation_institution", "choose an institution from the list")
                    })?,
            ),
        };
        let edit = crate::ssr::db::claims::OwnerEdit {
            bio: Some(bio.as_str()).filter(|b| !b.is_empty()),
            homepage_url: homepage.as_ref().map(WebLink::as_str),
            affiliation_institution_id: institution,
            // A chosen institution wins over free text.
            affiliation_text: Some(affiliation.as_str()).filter(|a| !a.is_empty() && institution.is_none()),
            open_to_collaborate: open_to_collaborate.is_some(),
        };
        if crate::ssr::db::claims::update_owned_record(&pool, record.id, user.id, &edit)
            .await
            .map_err(crate::ssr::db::map_sqlx)?
        {
            Ok(())
        } else {
            Err(AppError::Forbidden)
        }
    }
    .await;
    crate::ssr::forms::finish(result, &server::profile_path(&slug), |e| server::back(&edit_path, e))
}

/// Hides a work that is not the owner's from their record (recorded in the audit log).
#[server(prefix = "/api", endpoint = "hide_work")]
pub async fn hide_work(slug: String, work: String) -> Result<(), AppError> {
    let edit_path = format!("/authors/{slug}/edit");
    let result = async {
        let user = crate::ssr::auth::require_user().await?;
        let record = server::record(&slug).await?;
        if record.claimed_by != Some(user.id) {
            return Err(AppError::Forbidden);
        }
        let work = crate::api::record_slug(&work, "that work on your record")?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await.map_err(crate::ssr::db::map_sqlx)?;
        if crate::ssr::db::claims::hide_work(&mut conn, record.id, user.id, work.as_str())
            .await
            .map_err(crate::ssr::db::map_sqlx)?
        {
            Ok(())
        } else {
            Err(AppError::NotFound("that work on your record".into()))
        }
    }
    .await;
    crate::ssr::forms::finish(result, &edit_path, |e| server::back(&edit_path, e))
}
