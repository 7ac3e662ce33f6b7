//! The work page: a work with its byline, topics, references and graph; and the works citing it,
//! a page at a time.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::api::profiles::WorkPage;
pub use crate::model::works::{BylineEntry, Reference, References, Work, REFERENCES_SHOWN};
/// Citing works per page of "Cited by".
pub const CITED_BY_PER_PAGE: i64 = 20;

#[server(prefix = "/api", endpoint = "get_work")]
pub async fn get_work(slug: String) -> Result<Work, AppError> {
    let slug = super::record_slug(&slug, "this work")?;
    let pool = crate::ssr::read_pool().await?;
    let site_url = crate::ssr::context()?.site_url;
    db::views::works::work(&pool, &crate::ssr::pool()?, slug.as_str(), &site_url)
        .await?
        .ok_or_else(|| AppError::NotFound("this work".to_owned()))
}

/// The works in the catalogue that cite the work at `slug`, newest first; `after` is the cursor
/// of the page to show.
#[server(prefix = "/api", endpoint = "cited_by")]
pub async fn cited_by(slug: String, after: Option<String>) -> Result<WorkPage, AppError> {
    use crate::domain::paging::DateCursor;
    let slug = super::record_slug(&slug, "this work")?;
    let after = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(raw) => Some(DateCursor::parse(raw).map_err(|reason| AppError::invalid("cited_after", reason))?),
        None => None,
    };
    let pool = crate::ssr::read_pool().await?;
    let mut conn = pool.acquire().await?;
    // One row more than a page tells whether there is a next page.
    let rows = db::views::citations::cited_by(&mut conn, slug.as_str(), after, CITED_BY_PER_PAGE + 1).await?;
    Ok(db::views::profiles::work_page(rows, after.is_none(), CITED_BY_PER_PAGE))
}
