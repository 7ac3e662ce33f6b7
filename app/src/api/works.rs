//! The work page: one server function returning a work, its byline, its topics and its graph.

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::model::works::{BylineEntry, Work};

#[server(prefix = "/api", endpoint = "get_work")]
pub async fn get_work(slug: String) -> Result<Work, AppError> {
    use crate::domain::graph::NodeKey;
    use crate::ssr::{db::works, graph};
    let slug = super::record_slug(&slug, "this work")?;
    let pool = crate::ssr::read_pool().await?;
    // One connection, queries in turn: a page never holds more than one.
    let mut conn = pool.acquire().await?;
    let mut work =
        works::work(&mut conn, slug.as_str()).await?.ok_or_else(|| AppError::NotFound("this work".to_owned()))?;
    work.authors = works::byline(&mut conn, slug.as_str()).await?;
    work.topics = works::topics(&mut conn, slug.as_str()).await?;
    let slice = graph::around(&mut conn, &NodeKey::Work(work.summary.slug.clone()), &[], graph::INLINE_REACH).await?;
    drop(conn);
    work.graph = graph::laid_out(&pool, &crate::ssr::pool()?, slice.unwrap_or_default()).await?;
    Ok(work)
}
