//! A work as its page reads it: the work, its byline in order with institutions, its topics, its
//! references and what citing it needs (`rows`), then the graph around it laid out.

pub mod rows;

use crate::domain::graph::NodeKey;
use crate::error::AppError;
use crate::model::works::{Work, REFERENCES_SHOWN};
use crate::views::graph;

/// The work as every view of it reads it (its page, the JSON API): its row, its byline in
/// order with institutions, and its topics.
pub async fn record(db: &mut sqlx::PgConnection, slug: &str) -> Result<Option<Work>, AppError> {
    let Some(mut work) = rows::work(db, slug).await? else {
        return Ok(None);
    };
    work.authors = rows::byline(db, slug).await?;
    work.topics = rows::topics(db, slug)
        .await?
        .into_iter()
        .map(|(id, name)| crate::model::subjects::SubjectLink::topic(id, name))
        .collect();
    Ok(Some(work))
}

/// The work page's data without the request context (what the JSON-LD answer reads too): the
/// rows read in turn on one connection of `pool`, then the graph laid out (kept through `primary`).
pub async fn work(
    pool: &sqlx::PgPool,
    primary: &sqlx::PgPool,
    slug: &str,
    site_url: &str,
) -> Result<Option<Work>, AppError> {
    let mut conn = pool.acquire().await?;
    let Some(mut work) = record(&mut conn, slug).await? else {
        return Ok(None);
    };
    work.references = crate::views::citations::references(&mut conn, slug, REFERENCES_SHOWN).await?;
    work.cite = crate::views::cite::of_work(&work, site_url);
    let slice = graph::find(&mut conn, &NodeKey::Work(work.summary.slug.clone()), &[], graph::INLINE_REACH).await?;
    drop(conn);
    work.graph = graph::laid_out(primary, slice.unwrap_or_default()).await?;
    Ok(Some(work))
}
