//! Moderation of claims: the paged queue of open requests, approving or rejecting one (never
//! one's own), and a record's audit log. Moderators only.

#[cfg(feature = "ssr")]
use crate::api::claims::server;
use crate::domain::claims::RequestKind;
use crate::domain::trust::ClaimState;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Requests on one page of the queue.
pub const QUEUE_PAGE: usize = 50;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueueItem {
    pub id: i64,
    pub kind: RequestKind,
    pub evidence: String,
    pub links: Vec<String>,
    pub submitted: String,
    pub author_slug: String,
    pub author_name: String,
    pub claim_state: ClaimState,
    pub requester: String,
    /// Why the viewing moderator may not decide this one (their own request or claim), if so.
    pub not_yours_to_decide: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QueuePage {
    pub items: Vec<QueueItem>,
    /// The cursor of the next page (`?after=`), when there is one.
    pub next: Option<String>,
    pub open_claims: i64,
    pub open_disputes: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub from: ClaimState,
    pub to: ClaimState,
    pub reason: String,
}

/// A harvested query's last run, for moderators.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HarvestRun {
    pub source: String,
    pub query: String,
    /// "finished", "running", "stopped early (resumes)" or "failed (resumes)".
    pub state: String,
    pub started: Option<String>,
    pub finished: Option<String>,
    pub pages: i32,
    pub records: i32,
    pub summary: String,
    pub error: Option<String>,
}

/// Harvests shown on the moderators' page (one per query: a short list).
pub const HARVESTS_SHOWN: i64 = 50;

/// The harvests (scheduled or run by hand), most recently started first.
#[server(prefix = "/api", endpoint = "harvest_runs")]
pub async fn harvest_runs() -> Result<Vec<HarvestRun>, AppError> {
    server::moderator().await?;
    let rows = db::writes::harvests::recent(&crate::ssr::pool()?, HARVESTS_SHOWN).await?;
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string());
    Ok(rows
        .into_iter()
        .map(|r| HarvestRun {
            state: match (r.state.as_str(), r.resumable) {
                ("idle", _) => "finished".to_owned(),
                ("stopped", _) => "stopped early (the next run resumes)".to_owned(),
                ("failed", true) => "failed (the next run resumes)".to_owned(),
                (state, _) => state.to_owned(),
            },
            started: when(r.started_at),
            finished: when(r.finished_at),
            source: r.source,
            query: r.query,
            pages: r.pages,
            records: r.records,
            summary: r.summary,
            error: r.error,
        })
        .collect())
}

/// One page of open requests (claims with evidence, disputes), oldest first, after the cursor.
#[server(prefix = "/api", endpoint = "moderation_queue")]
pub async fn moderation_queue(after: Option<String>) -> Result<QueuePage, AppError> {
    use crate::domain::time_cursor::TimeCursor;
    use db::writes::claims;
    let moderator = server::moderator().await?;
    let after = match after.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
        None => None,
        Some(raw) => Some(TimeCursor::parse(raw).map_err(|reason| AppError::invalid("after", reason))?),
    };
    let pool = crate::ssr::pool()?;
    let limit = i64::try_from(QUEUE_PAGE + 1).unwrap_or(i64::MAX);
    let mut rows = claims::open_requests(&pool, after, limit).await?;
    let next = (rows.len() > QUEUE_PAGE)
        .then(|| {
            rows.truncate(QUEUE_PAGE);
            rows.last().map(|r| TimeCursor::new(r.created_at, r.id).to_string())
        })
        .flatten();
    let (open_claims, open_disputes) = claims::open_request_counts(&pool).await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let not_yours_to_decide = if r.requester_id == moderator.id {
                Some("Your own request: another moderator decides it.".to_owned())
            } else if r.kind == RequestKind::Dispute && r.holder_id == Some(moderator.id) {
                Some("A dispute of your own claim: another moderator decides it.".to_owned())
            } else {
                None
            };
            QueueItem {
                id: r.id,
                kind: r.kind,
                evidence: r.evidence,
                links: r.links,
                submitted: r.created_at.format("%Y-%m-%d %H:%M UTC").to_string(),
                author_slug: r.author_slug,
                author_name: r.author_name,
                claim_state: r.claim_state,
                requester: format!("{} <{}>", r.requester_name, r.requester_email),
                not_yours_to_decide,
            }
        })
        .collect();
    Ok(QueuePage { items, next, open_claims, open_disputes })
}

/// Approves or rejects a request with a reason; the requester is told by mail. A request about a
/// claim that has since ended is closed as stale, and no moderator decides their own.
#[server(prefix = "/api", endpoint = "decide_request")]
pub async fn decide_request(id: i64, decision: String, reason: String) -> Result<(), AppError> {
    use crate::domain::claims::{RequestStatus, Verdict};
    use db::writes::claims::Decided;
    let action = async {
        let moderator = server::moderator().await?;
        let verdict = Verdict::parse(&decision).map_err(|r| AppError::invalid("decision", r))?;
        let reason = crate::domain::claims::plain_text(&reason, crate::domain::claims::MAX_REASON_CHARS, true)
            .map_err(|r| AppError::invalid("reason", format!("the reason: {r}")))?;
        let ctx = crate::ssr::context()?;
        let mut conn = ctx.pool.acquire().await?;
        let stale = |kind: RequestKind| {
            AppError::Conflict(format!(
                "this {} is about an earlier claim of the record, which has ended; it was closed without changing anything",
                kind.name()
            ))
        };
        let decided = match db::writes::claims::decide(&mut conn, id, moderator.id, verdict, &reason).await? {
            Decided::Done(decided) => decided,
            Decided::NoSuchRequest => return Err(AppError::NotFound("this request".into())),
            Decided::Stale { kind } => return Err(stale(kind)),
            Decided::NotOpen { kind, status: RequestStatus::Stale } => return Err(stale(kind)),
            Decided::NotOpen { .. } => return Err(AppError::Conflict("this request was already decided".into())),
            Decided::OwnRequest => {
                return Err(AppError::Refused("another moderator decides your own request".into()));
            }
            Decided::OwnRecord => {
                return Err(AppError::Refused("this disputes your own claim: another moderator decides it".into()));
            }
        };
        let (verdict, kind) = (verdict.past(), decided.kind.name());
        let body = format!(
            "A moderator {verdict} your {kind} on the BZPEER record of {}.\n\nReason: {reason}\n\n{}/authors/{}",
            decided.author_name, ctx.site_url, decided.author_slug
        );
        ctx.mailer.send(&ctx.pool, &decided.requester_email, &format!("Your {kind} was {verdict}"), &body).await
    };
    crate::ssr::forms::Form::on("/moderation/claims").answer("/moderation/claims", action).await
}

/// A record's claim history, newest first.
#[server(prefix = "/api", endpoint = "record_audit")]
pub async fn record_audit(slug: String) -> Result<Vec<AuditEntry>, AppError> {
    server::moderator().await?;
    let record = server::record(&slug).await?;
    let pool = crate::ssr::pool()?;
    let rows = db::writes::claims::audit_log(&pool, record.id, 200).await?;
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
