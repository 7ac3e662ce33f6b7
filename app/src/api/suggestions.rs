//! Collaborator suggestions: a record's list (`/authors/<slug>/suggestions`, the first few on its
//! profile), the owner's own at `/me/suggestions`, and the owner dismissing one.

use crate::error::AppError;
use crate::model::suggestions::{NamedRecord, Sources, Suggestions};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::model::suggestions::{ON_PAGE, ON_PROFILE};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionsPage {
    pub record: NamedRecord,
    pub suggestions: Suggestions,
    /// What the record has that suggestions come from (to say why it has none).
    pub sources: Sources,
    /// The viewer owns the record (claimed): they may dismiss suggestions.
    pub viewer_owns: bool,
}

/// Whether only candidates open to an invitation are asked for (`open=on` from the filter's
/// checkbox, or `1`/`true`).
pub fn parse_open(raw: Option<&str>) -> Result<bool, AppError> {
    match raw.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(false),
        Some("on" | "1" | "true") => Ok(true),
        Some(_) => Err(AppError::invalid("open", "the filter is on (open=on) or left out")),
    }
}

/// The suggestions of the record at `slug`, or, without one, of the record the viewer owns.
#[server(prefix = "/api", endpoint = "get_suggestions")]
pub async fn get_suggestions(slug: Option<String>, open: Option<String>) -> Result<SuggestionsPage, AppError> {
    let open_only = parse_open(open.as_deref())?;
    let viewer = crate::ssr::auth::current_user().await?;
    let pool = crate::ssr::read_pool().await?;
    let mut conn = pool.acquire().await?;
    let record = match slug {
        Some(slug) => {
            let slug = super::record_slug(&slug, "this researcher")?;
            db::views::suggestions::record(&mut *conn, slug.as_str()).await?
        }
        None => {
            let viewer = viewer.as_ref().ok_or(AppError::Unauthorized)?;
            let owned = db::views::suggestions::record_owned_by(&mut *conn, viewer.id).await?;
            Some(owned.ok_or_else(|| {
                AppError::Refused(
                    "suggestions are made for the owner of a claimed record: find your record and claim it first"
                        .to_owned(),
                )
            })?)
        }
    }
    .ok_or_else(|| AppError::NotFound("this researcher".to_owned()))?;
    let viewer_owns = viewer.is_some_and(|v| record.owner == Some(v.id));
    let items = db::views::suggestions::for_record(&mut *conn, record.id, open_only, ON_PAGE).await?;
    Ok(SuggestionsPage {
        sources: Sources { coauthors: record.coauthors, topics: record.topics },
        record: NamedRecord { slug: record.slug, name: record.name },
        suggestions: Suggestions { items, open_only },
        viewer_owns,
    })
}

/// The owner of the record at `slug` dismisses `candidate` from its suggestions (remembered:
/// later refreshes leave it out). A plain form post goes back to `back` (a page of this site).
#[server(prefix = "/api", endpoint = "dismiss_suggestion")]
pub async fn dismiss_suggestion(slug: String, candidate: String, back: Option<String>) -> Result<(), AppError> {
    let back = crate::domain::account::ReturnPath::parse(back.as_deref().unwrap_or("/me/suggestions"))
        .map(|p| p.as_str().to_owned())
        .unwrap_or_else(|| "/me/suggestions".to_owned());
    let action = async {
        let user = crate::ssr::auth::require_user().await?;
        let slug = super::record_slug(&slug, "this researcher")?;
        let candidate = super::record_slug(&candidate, "that researcher")?;
        let pool = crate::ssr::pool()?;
        let mut conn = pool.acquire().await?;
        use db::views::suggestions::record as find;
        let record =
            find(&mut *conn, slug.as_str()).await?.ok_or_else(|| AppError::NotFound("this researcher".into()))?;
        if record.owner != Some(user.id) {
            return Err(AppError::Refused("only the owner of this record can dismiss its suggestions".into()));
        }
        let other =
            find(&mut *conn, candidate.as_str()).await?.ok_or_else(|| AppError::NotFound("that researcher".into()))?;
        db::writes::suggestions::dismiss(&mut conn, record.id, other.id, user.id).await?;
        Ok(())
    };
    crate::ssr::forms::Form::on(&back).answer(&back, action).await
}
