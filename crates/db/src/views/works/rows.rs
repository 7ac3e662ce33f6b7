//! Reads behind the work page: the work, its byline in order with institutions, its topics.

use crate::error::AppError;
use crate::model::works::{BylineEntry, Work};
use sqlx::PgConnection;

/// The work at `slug`, its own fields only (byline, topics and graph are read apart).
pub async fn work(db: &mut PgConnection, slug: &str) -> Result<Option<Work>, AppError> {
    Ok(sqlx::query_as(
        "SELECT id, slug, title, abstract, work_type, year, venue, is_open_access, doi, arxiv_id, openalex_id,
                cited_by_count, citing_count
         FROM works WHERE slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *db)
    .await?)
}

/// The work's authors in byline order, each with the institutions printed beside them.
pub async fn byline(db: &mut PgConnection, slug: &str) -> Result<Vec<BylineEntry>, AppError> {
    Ok(sqlx::query_as(
        "SELECT s.position, a.slug, a.display_name AS name, coalesce(nullif(s.raw_name, ''), a.display_name) AS printed,
                coalesce(array_agg(i.display_name ORDER BY i.display_name)
                         FILTER (WHERE i.id IS NOT NULL), '{}') AS institutions
         FROM authorships s
         JOIN authors a ON a.id = s.author_id
         LEFT JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
         LEFT JOIN institutions i ON i.id = ai.institution_id
         WHERE s.work_id = (SELECT id FROM works WHERE slug = $1)
         GROUP BY s.position, s.raw_name, a.id
         ORDER BY s.position",
    )
    .bind(slug)
    .fetch_all(&mut *db)
    .await?)
}

/// The work's topics, the most relevant first.
pub async fn topics(db: &mut PgConnection, slug: &str) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.display_name FROM work_topics wt JOIN topics t ON t.id = wt.topic_id
         WHERE wt.work_id = (SELECT id FROM works WHERE slug = $1)
         ORDER BY wt.score DESC NULLS LAST, t.display_name",
    )
    .bind(slug)
    .fetch_all(&mut *db)
    .await?)
}
