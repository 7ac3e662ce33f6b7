//! Search: researchers by trigram word similarity on their ASCII-folded names, works by
//! full-text rank on title (weighted) and abstract. Both use GIN indexes.

use crate::domain::names::name_key;
use crate::error::AppError;
use crate::model::search::{PersonHit, WorkHit};
use sqlx::PgPool;

/// Researchers whose folded name matches `query` by word similarity, best first.
pub async fn people(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<Vec<PersonHit>, AppError> {
    let key = name_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    Ok(sqlx::query_as(
        "SELECT a.slug, a.display_name AS name, a.source, coalesce(st.works_count, 0)::bigint AS works
         FROM authors a LEFT JOIN author_stats st ON st.author_id = a.id
         WHERE $1 <% a.search_name
         ORDER BY word_similarity($1, a.search_name) DESC, similarity($1, a.search_name) DESC, works DESC, a.id
         LIMIT $2 OFFSET $3",
    )
    .bind(key)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?)
}

/// Works matching `query` in full text, best ranked first.
pub async fn works(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<Vec<WorkHit>, AppError> {
    Ok(sqlx::query_as(
        "SELECT w.slug, w.title, w.year, w.venue, w.work_type,
                coalesce((SELECT array_agg(a.display_name ORDER BY s.position)
                          FROM (SELECT * FROM authorships WHERE work_id = w.id ORDER BY position LIMIT 4) s
                          JOIN authors a ON a.id = s.author_id), '{}') AS authors
         FROM works w, websearch_to_tsquery('english', $1) q
         WHERE w.search @@ q
         ORDER BY ts_rank_cd(w.search, q) DESC, w.sort_date DESC, w.id
         LIMIT $2 OFFSET $3",
    )
    .bind(query)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await?)
}
