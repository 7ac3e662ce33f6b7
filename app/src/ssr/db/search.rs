//! Search: researchers by trigram word similarity on their ASCII-folded names, works by
//! full-text rank on title (weighted) and abstract. Both use GIN indexes.

use crate::domain::names::name_key;
use crate::error::AppError;
use crate::model::search::{PersonHit, WorkHit};
use sqlx::PgPool;

/// The most prolific records a common name is looked for among first (see `people`).
const PROMINENT_RECORDS: i64 = 2_000;

/// Researchers whose folded name matches `query` by word similarity, best first (then by works).
///
/// A name shared by a large share of the catalogue ("Wang" matches one record in six) is looked
/// for among the `PROMINENT_RECORDS` records with most works first, one range of an index: when
/// they fill the page, that page is the answer (so a common name lists its most prolific
/// holders). Otherwise the trigram index finds every match, which is then few.
pub async fn people(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<Vec<PersonHit>, AppError> {
    let key = name_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    let prominent: Vec<PersonHit> = sqlx::query_as(
        "SELECT slug, name, source, works FROM (
             SELECT a.slug, a.display_name AS name, a.source, st.works_count::bigint AS works, a.id, a.search_name
             FROM author_stats st JOIN authors a ON a.id = st.author_id
             ORDER BY st.works_count DESC, st.author_id
             LIMIT $4) top
         -- A page of these is a page of whole-word matches, so the cheap substring test goes first.
         WHERE CASE WHEN strpos(search_name, $1) > 0 THEN $1 <% search_name ELSE false END
         ORDER BY word_similarity($1, search_name) DESC, similarity($1, search_name) DESC, works DESC, id
         LIMIT $2 OFFSET $3",
    )
    .bind(&key)
    .bind(limit)
    .bind(offset)
    .bind(PROMINENT_RECORDS)
    .fetch_all(pool)
    .await?;
    if prominent.len() as i64 == limit {
        return Ok(prominent);
    }
    Ok(sqlx::query_as(
        "SELECT a.slug, a.display_name AS name, a.source,
                coalesce((SELECT st.works_count FROM author_stats st WHERE st.author_id = a.id), 0)::bigint AS works
         FROM authors a
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

/// Matches a works search ranks at most: a broad query ("learning") matches millions of works,
/// and ranking them all is what made a search take seconds.
const RANKED_MATCHES: i64 = 1_000;

/// Works matching `query` in full text, best ranked first among the first `RANKED_MATCHES`
/// matches (all of them for any but the broadest query). Planned for each query (not a prepared
/// plan): how many works a query matches decides between the index (few) and reading the table
/// until enough match (many), and only the query's own words tell which.
pub async fn works(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<Vec<WorkHit>, AppError> {
    Ok(sqlx::query_as(
        "SELECT w.slug, w.title, w.year, w.venue, w.work_type,
                coalesce((SELECT array_agg(a.display_name ORDER BY s.position)
                          FROM (SELECT * FROM authorships WHERE work_id = w.id ORDER BY position LIMIT 4) s
                          JOIN authors a ON a.id = s.author_id), '{}') AS authors
         FROM (SELECT id FROM works WHERE search @@ websearch_to_tsquery('english', $1) LIMIT $4) m
         JOIN works w ON w.id = m.id
         ORDER BY ts_rank_cd(w.search, websearch_to_tsquery('english', $1)) DESC, w.sort_date DESC, w.id
         LIMIT $2 OFFSET $3",
    )
    .persistent(false)
    .bind(query)
    .bind(limit)
    .bind(offset)
    .bind(RANKED_MATCHES)
    .fetch_all(pool)
    .await?)
}
