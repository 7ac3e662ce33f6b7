//! Search: researchers by trigram word similarity on their ASCII-folded names, works by
//! full-text rank on title (weighted) and abstract. Both use GIN indexes.

use super::map_sqlx;
use crate::api::search::{PersonHit, SearchKind, SearchQuery, SearchResults, WorkHit, RESULTS_PER_PAGE};
use crate::domain::names::name_key;
use crate::error::AppError;
use sqlx::{FromRow, PgPool};

/// People shown beside works when searching everything.
const PEOPLE_IN_ALL: i64 = 8;

#[derive(Debug, FromRow)]
struct PersonRow {
    slug: String,
    display_name: String,
    source: String,
    works: i64,
}

#[derive(Debug, FromRow)]
struct WorkRow {
    slug: String,
    title: String,
    year: Option<i32>,
    venue: Option<String>,
    work_type: String,
    authors: Vec<String>,
}

async fn people(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<Vec<PersonRow>, sqlx::Error> {
    let key = name_key(query);
    if key.is_empty() {
        return Ok(Vec::new());
    }
    sqlx::query_as(
        "SELECT a.slug, a.display_name, a.source,
                (SELECT count(*) FROM authorships s WHERE s.author_id = a.id) AS works
         FROM authors a
         WHERE $1 <% a.search_name
         ORDER BY word_similarity($1, a.search_name) DESC, similarity($1, a.search_name) DESC, works DESC, a.id
         LIMIT $2 OFFSET $3",
    )
    .bind(key)
    .bind(limit)
    .bind(offset)
    .fetch_all(pool)
    .await
}

async fn works(pool: &PgPool, query: &str, limit: i64, offset: i64) -> Result<Vec<WorkRow>, sqlx::Error> {
    sqlx::query_as(
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
    .await
}

pub async fn search(
    pool: &PgPool,
    query: &SearchQuery,
    kind: SearchKind,
    page: i64,
) -> Result<SearchResults, AppError> {
    let offset = (page - 1) * RESULTS_PER_PAGE;
    let (people_limit, people_offset) = match kind {
        SearchKind::All => (PEOPLE_IN_ALL, 0),
        SearchKind::People => (RESULTS_PER_PAGE, offset),
        SearchKind::Works => (0, 0),
    };
    let works_limit = if kind == SearchKind::People { 0 } else { RESULTS_PER_PAGE };
    let works_offset = if kind == SearchKind::Works { offset } else { 0 };
    // One row more than shown tells whether there is more.
    // In turn, not concurrently: a request holds at most one connection at a time.
    let mut people_rows = if people_limit == 0 {
        Vec::new()
    } else {
        people(pool, query.as_str(), people_limit + 1, people_offset).await.map_err(map_sqlx)?
    };
    let mut work_rows = if works_limit == 0 {
        Vec::new()
    } else {
        works(pool, query.as_str(), works_limit + 1, works_offset).await.map_err(map_sqlx)?
    };
    let more_people = people_rows.len() as i64 > people_limit;
    let more_works = work_rows.len() as i64 > works_limit;
    people_rows.truncate(people_limit as usize);
    work_rows.truncate(works_limit as usize);
    Ok(SearchResults {
        query: query.as_str().to_owned(),
        kind,
        page,
        people: people_rows
            .into_iter()
            .map(|p| PersonHit { slug: p.slug, name: p.display_name, source: p.source, works: p.works })
            .collect(),
        works: work_rows
            .into_iter()
            .map(|w| WorkHit {
                slug: w.slug,
                title: w.title,
                year: w.year,
                venue: w.venue,
                work_type: w.work_type,
                authors: w.authors,
            })
            .collect(),
        more_people,
        more_works,
    })
}
