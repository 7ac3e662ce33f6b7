//! The work page: a work with its byline, topics, references and graph; and the works citing it,
//! a page at a time.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::api::profiles::WorkPage;
pub use crate::model::works::{BylineEntry, Reference, References, Work};

/// References shown on a work's page (the rest are counted, and listed at OpenAlex).
pub const REFERENCES_SHOWN: i64 = 100;
/// Citing works per page of "Cited by".
pub const CITED_BY_PER_PAGE: i64 = 20;

#[server(prefix = "/api", endpoint = "get_work")]
pub async fn get_work(slug: String) -> Result<Work, AppError> {
    let slug = super::record_slug(&slug, "this work")?;
    let pool = crate::ssr::read_pool().await?;
    let site_url = crate::ssr::context()?.site_url;
    load_work(&pool, &crate::ssr::pool()?, slug.as_str(), &site_url)
        .await?
        .ok_or_else(|| AppError::NotFound("this work".to_owned()))
}

/// The work page's data without the request context (what the JSON-LD answer reads too): the
/// rows read in turn on one connection of `pool`, then the graph laid out (kept through `primary`).
#[cfg(feature = "ssr")]
pub async fn load_work(
    pool: &sqlx::PgPool,
    primary: &sqlx::PgPool,
    slug: &str,
    site_url: &str,
) -> Result<Option<Work>, AppError> {
    use crate::domain::graph::NodeKey;
    use crate::ssr::{db::works, graph};
    let mut conn = pool.acquire().await?;
    let Some(mut work) = works::work(&mut conn, slug).await? else {
        return Ok(None);
    };
    work.authors = works::byline(&mut conn, slug).await?;
    work.topics = works::topics(&mut conn, slug)
        .await?
        .into_iter()
        .map(|(id, name)| crate::model::subjects::SubjectLink::topic(id, name))
        .collect();
    work.references = crate::ssr::db::citations::references(&mut conn, slug, REFERENCES_SHOWN).await?;
    work.cite = crate::ssr::db::cite::of_work(&work, site_url);
    let slice = graph::around(&mut conn, &NodeKey::Work(work.summary.slug.clone()), &[], graph::INLINE_REACH).await?;
    drop(conn);
    work.graph = graph::laid_out(pool, primary, slice.unwrap_or_default()).await?;
    Ok(Some(work))
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
    let rows = crate::ssr::db::citations::cited_by(&mut conn, slug.as_str(), after, CITED_BY_PER_PAGE + 1).await?;
    Ok(crate::api::profiles::work_page(rows, after.is_none(), CITED_BY_PER_PAGE))
}
