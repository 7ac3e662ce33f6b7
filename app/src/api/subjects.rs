//! Topic and institution pages: one server function that returns everything the page shows.

use crate::error::AppError;
use crate::model::subjects::SubjectKind;
use leptos::prelude::*;

pub use crate::model::subject_page::{Subject, LEADING, WORKS_PER_PAGE};

/// The page at `/topics/<slug>` or `/institutions/<slug>`; `sort` lists the works newest first
/// (the default) or most cited first (`cited`), and `after` is the cursor of the page to show.
#[server(prefix = "/api", endpoint = "get_subject")]
pub async fn get_subject(
    kind: SubjectKind,
    slug: String,
    after: Option<String>,
    sort: Option<String>,
) -> Result<Subject, AppError> {
    use crate::domain::paging::WorksAfter;
    let what = match kind {
        SubjectKind::Topic => "this topic",
        SubjectKind::Institution => "this institution",
    };
    let id = crate::domain::slug::subject_id(&slug).ok_or_else(|| AppError::NotFound(what.to_owned()))?;
    let after = WorksAfter::parse(sort.as_deref(), after.as_deref())
        .map_err(|(field, reason)| AppError::invalid(field, reason))?;
    let pool = crate::ssr::read_pool().await?;
    db::views::subjects::subject(&pool, &crate::ssr::pool()?, kind, id, after)
        .await?
        .ok_or_else(|| AppError::NotFound(what.to_owned()))
}
