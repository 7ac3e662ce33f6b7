//! Reads behind the public JSON API: records and works in keyset pages (by id, newest or most
//! cited first; never OFFSET), and single subjects, records and works by id.

use crate::domain::paging::{CountCursor, DateCursor};
use crate::domain::search::WorkFilters;
use crate::error::AppError;
use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};

/// Where a page of works starts, in the order it names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorksFrom {
    /// Ascending id, after this id.
    Id(Option<i64>),
    Newest(Option<DateCursor>),
    MostCited(Option<CountCursor>),
}

#[derive(Debug, Clone, FromRow)]
pub struct ApiWorkRow {
    pub id: i64,
    pub slug: String,
    pub title: String,
    pub work_type: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub doi: Option<String>,
    pub arxiv_id: Option<String>,
    pub openalex_id: Option<String>,
    pub is_open_access: Option<bool>,
    pub cited_by: i32,
    pub sort_date: NaiveDate,
}

/// Up to `limit` works matching `query` (all works when `None`) with `filters`, from `from`.
pub async fn works(
    db: &mut PgConnection,
    query: Option<&str>,
    filters: &WorkFilters,
    from: WorksFrom,
    limit: i64,
) -> Result<Vec<ApiWorkRow>, AppError> {
    use super::search::rows::{bind_filters, WORK_FILTERS};
    let (keyset, order) = match from {
        WorksFrom::Id(_) => ("($7::bigint IS NULL OR w.id > $7)", "w.id"),
        WorksFrom::Newest(_) => ("($7::date IS NULL OR (w.sort_date, w.id) < ($7, $8))", "w.sort_date DESC, w.id DESC"),
        WorksFrom::MostCited(_) => (
            "($7::bigint IS NULL OR (coalesce(w.cited_by_count, 0)::bigint, w.id) < ($7, $8))",
            "coalesce(w.cited_by_count, 0) DESC, w.id DESC",
        ),
    };
    let sql = format!(
        "SELECT w.id, w.slug, w.title, w.work_type, w.year, w.venue, w.doi, w.arxiv_id, w.openalex_id,
                w.is_open_access, coalesce(w.cited_by_count, 0) AS cited_by, w.sort_date
         FROM works w
         WHERE ($1::text IS NULL OR w.search @@ websearch_to_tsquery('english', $1)) AND {WORK_FILTERS} AND {keyset}
         ORDER BY {order}
         LIMIT $9"
    );
    let found = bind_filters(sqlx::query_as(&sql).persistent(false), query, filters);
    let found = match from {
        WorksFrom::Id(after) => found.bind(after).bind(0_i64),
        WorksFrom::Newest(after) => found.bind(after.map(|c| c.date)).bind(after.map_or(0, |c| c.id)),
        WorksFrom::MostCited(after) => found.bind(after.map(|c| c.count)).bind(after.map_or(0, |c| c.id)),
    };
    Ok(found.bind(limit).fetch_all(&mut *db).await?)
}

#[derive(Debug, Clone, FromRow)]
pub struct ApiAuthorRow {
    pub id: i64,
    pub slug: String,
    pub display_name: String,
    pub source: String,
    pub orcid: Option<String>,
    pub openalex_id: Option<String>,
    pub works_count: i64,
    pub follower_count: i64,
    pub claimed: bool,
    pub open_to_collaborate: bool,
}

/// Up to `limit` records, by ascending id after `after`, whose name matches `query` (all when
/// `None`).
pub async fn authors(
    db: &mut PgConnection,
    query: Option<&str>,
    after: Option<i64>,
    limit: i64,
) -> Result<Vec<ApiAuthorRow>, AppError> {
    let key = query.map(crate::domain::names::name_key);
    Ok(sqlx::query_as(
        "SELECT a.id, a.slug, a.display_name, a.source, a.orcid, a.openalex_id,
                coalesce(st.works_count, 0)::bigint AS works_count, a.follower_count::bigint AS follower_count,
                a.claim_state IN ('claimed', 'confirmed') AS claimed, a.open_to_collaborate
         FROM authors a LEFT JOIN author_stats st ON st.author_id = a.id
         WHERE ($1::text IS NULL OR $1 <% a.search_name) AND ($2::bigint IS NULL OR a.id > $2)
         ORDER BY a.id
         LIMIT $3",
    )
    .persistent(false)
    .bind(key)
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// A record's or a work's slug from its id.
pub async fn slug_of(db: &mut PgConnection, table: SlugTable, id: i64) -> Result<Option<String>, AppError> {
    let sql = match table {
        SlugTable::Authors => "SELECT slug FROM authors WHERE id = $1",
        SlugTable::Works => "SELECT slug FROM works WHERE id = $1",
    };
    Ok(sqlx::query_scalar(sql).bind(id).fetch_optional(&mut *db).await?)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlugTable {
    Authors,
    Works,
}
