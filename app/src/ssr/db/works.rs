//! Reads behind the work page: the work, its byline in order with institutions, its topics.

use super::map_sqlx;
use crate::api::works::{BylineEntry, Work};
use crate::domain::graph::{NodeKey, GRAPH_SEED};
use crate::error::AppError;
use sqlx::{FromRow, PgPool};
use std::collections::HashMap;

#[derive(Debug, FromRow)]
struct WorkRow {
    id: i64,
    slug: String,
    title: String,
    #[sqlx(rename = "abstract")]
    abstract_text: Option<String>,
    work_type: String,
    year: Option<i32>,
    venue: Option<String>,
    is_open_access: Option<bool>,
    doi: Option<String>,
    arxiv_id: Option<String>,
    openalex_id: Option<String>,
}

#[derive(Debug, FromRow)]
struct BylineRow {
    position: i16,
    slug: String,
    display_name: String,
    institutions: Vec<String>,
}

pub async fn work(pool: &PgPool, slug: &str) -> Result<Work, AppError> {
    let row: WorkRow = sqlx::query_as(
        "SELECT id, slug, title, abstract, work_type, year, venue, is_open_access, doi, arxiv_id, openalex_id
         FROM works WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(pool)
    .await
    .map_err(map_sqlx)?
    .ok_or_else(|| AppError::NotFound("this work".to_owned()))?;

    let byline = sqlx::query_as::<_, BylineRow>(
        "SELECT s.position, a.slug, a.display_name,
                coalesce(array_agg(i.display_name ORDER BY i.display_name)
                         FILTER (WHERE i.id IS NOT NULL), '{}') AS institutions
         FROM authorships s
         JOIN authors a ON a.id = s.author_id
         LEFT JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
         LEFT JOIN institutions i ON i.id = ai.institution_id
         WHERE s.work_id = $1
         GROUP BY s.position, a.id
         ORDER BY s.position",
    )
    .bind(row.id)
    .fetch_all(pool);
    let topics = sqlx::query_scalar::<_, String>(
        "SELECT t.display_name FROM work_topics wt JOIN topics t ON t.id = wt.topic_id
         WHERE wt.work_id = $1 ORDER BY wt.score DESC NULLS LAST, t.display_name",
    )
    .bind(row.id)
    .fetch_all(pool);
    // In turn, not concurrently: a request holds at most one connection at a time.
    let byline = byline.await.map_err(map_sqlx)?;
    let topics = topics.await.map_err(map_sqlx)?;
    let mut conn = pool.acquire().await.map_err(map_sqlx)?;
    let mut graph = super::graph::slice(&mut conn, &NodeKey::Work(row.slug.clone()), &[], super::graph::INLINE_REACH)
        .await?
        .unwrap_or_default();
    graph.lay_out(GRAPH_SEED, &HashMap::new());

    Ok(Work {
        slug: row.slug,
        title: row.title,
        abstract_text: row.abstract_text,
        work_type: row.work_type,
        year: row.year,
        venue: row.venue,
        is_open_access: row.is_open_access,
        doi: row.doi,
        arxiv_id: row.arxiv_id,
        openalex_id: row.openalex_id,
        authors: byline
            .into_iter()
            .map(|b| BylineEntry {
                position: b.position,
                slug: b.slug,
                name: b.display_name,
                institutions: b.institutions,
            })
            .collect(),
        topics,
        graph,
    })
}
