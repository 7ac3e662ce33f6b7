//! Reads behind the researcher profile: the record with its counts, a page of its works, its
//! closest co-authors, main topic and linked records, each one indexed query on the caller's
//! connection (never one per row). What a record holds is read through `record_authorships`
//! (hidden works left out); `views::profiles` assembles the page from these rows.

use crate::domain::paging::DateCursor;
use crate::error::AppError;
use crate::model::works::WorkSummary;
use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};

pub use crate::model::profile::Record as AuthorRow;

/// The record at `slug` with its counts (hidden works left out, kept in `author_stats`) and its
/// affiliation: the owner's choice, else the one the imports give.
pub async fn author(db: &mut PgConnection, slug: &str) -> Result<Option<AuthorRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.id, a.slug, a.display_name, a.bio, a.source, a.orcid, a.openalex_id,
                a.open_to_collaborate, a.follower_count, a.claim_state, a.claimed_by, a.homepage_url,
                a.source_cited_by_count, a.source_h_index, a.source_i10_index,
                coalesce((SELECT array_agg(y.year ORDER BY y.year) FROM author_counts_by_year y
                          WHERE y.author_id = a.id), '{}') AS cited_years,
                coalesce((SELECT array_agg(y.cited_by_count ORDER BY y.year) FROM author_counts_by_year y
                          WHERE y.author_id = a.id), '{}') AS cited_counts,
                coalesce(st.works_count, 0)::bigint AS works_count, st.first_year, st.last_year,
                coalesce(st.topics_count, 0)::bigint AS topics_count,
                coalesce(st.coauthors_count, 0)::bigint AS coauthors_count,
                coalesce(owner_aff.display_name, a.affiliation_text, aff.display_name) AS affiliation,
                mt.display_name AS main_topic, mt.id AS main_topic_id,
                CASE WHEN owner_aff.id IS NOT NULL THEN owner_aff.id
                     WHEN a.affiliation_text IS NULL THEN aff.id END AS affiliation_id
         FROM authors a
         LEFT JOIN author_stats st ON st.author_id = a.id
         LEFT JOIN topics mt ON mt.id = st.main_topic_id
         LEFT JOIN institutions owner_aff ON owner_aff.id = a.affiliation_institution_id
         LEFT JOIN institutions aff ON aff.id = st.institution_id
         WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *db)
    .await?)
}

/// A work on the record, with its sort key for the next page's cursor.
#[derive(Debug, FromRow)]
pub struct WorkRow {
    pub id: i64,
    pub sort_date: NaiveDate,
    #[sqlx(flatten)]
    pub work: WorkSummary,
}

/// Up to `limit` of a record's works, newest first, after the cursor (keyset on sort date, id):
/// one range of `authorships_author_date_idx`, however many works the record holds.
pub async fn works_after(
    db: &mut PgConnection,
    author_id: i64,
    after: Option<DateCursor>,
    limit: i64,
) -> Result<Vec<WorkRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT DISTINCT ON (s.sort_date, s.work_id)
                w.id, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue, w.sort_date
         FROM record_authorships s JOIN works w ON w.id = s.work_id
         WHERE s.author_id = $1 AND ($2::date IS NULL OR (s.sort_date, s.work_id) < ($2, $3))
         ORDER BY s.sort_date DESC, s.work_id DESC
         LIMIT $4",
    )
    .bind(author_id)
    .bind(after.map(|c| c.date))
    .bind(after.map_or(0, |c| c.id))
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// A work on the record with its OpenAlex citation count, for the "most cited" order.
#[derive(Debug, FromRow)]
pub struct CitedWorkRow {
    pub id: i64,
    pub cites: i32,
    #[sqlx(flatten)]
    pub work: WorkSummary,
}

/// Up to `limit` of a record's works, most cited first (by OpenAlex's count; then newest id),
/// after the cursor. The record's works are found by index; a record's works are few enough
/// (thousands at most) to sort per page.
pub async fn works_by_citations(
    db: &mut PgConnection,
    author_id: i64,
    after: Option<crate::domain::paging::CountCursor>,
    limit: i64,
) -> Result<Vec<CitedWorkRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT w.id, coalesce(w.cited_by_count, 0) AS cites, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue
         FROM works w
         WHERE w.id IN (SELECT s.work_id FROM record_authorships s WHERE s.author_id = $1)
           AND ($2::bigint IS NULL OR (coalesce(w.cited_by_count, 0)::bigint, w.id) < ($2, $3))
         ORDER BY coalesce(w.cited_by_count, 0) DESC, w.id DESC
         LIMIT $4",
    )
    .bind(author_id)
    .bind(after.map(|c| c.count))
    .bind(after.map_or(0, |c| c.id))
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

#[derive(Debug, FromRow)]
pub struct CoauthorRow {
    pub slug: String,
    pub display_name: String,
    pub shared_works: i64,
}

/// Up to `limit` co-authors ranked by shared works, then the most recent shared work, then
/// name (the closest 60 are kept in `coauthors`; the record's row counts them all).
pub async fn coauthors(db: &mut PgConnection, author_id: i64, limit: i64) -> Result<Vec<CoauthorRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.slug, a.display_name, c.shared_works::bigint AS shared_works
         FROM coauthors c
         JOIN authors a ON a.id = c.coauthor_id
         WHERE c.author_id = $1
         ORDER BY c.shared_works DESC, c.last_shared DESC, a.display_name
         LIMIT $2",
    )
    .bind(author_id)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

#[derive(Debug, FromRow)]
pub struct LinkedRow {
    pub slug: String,
    pub display_name: String,
    pub source: String,
}

/// Other records of the same person: the one this record links to, and those linking to it.
pub async fn linked_records(db: &mut PgConnection, author_id: i64) -> Result<Vec<LinkedRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT o.slug, o.display_name, o.source FROM authors me JOIN authors o ON o.id = me.same_as_id
         WHERE me.id = $1
         UNION
         SELECT slug, display_name, source FROM authors WHERE same_as_id = $1
         ORDER BY 1 LIMIT 10",
    )
    .bind(author_id)
    .fetch_all(&mut *db)
    .await?)
}

/// The year and OpenAlex citation count of every work on the record (hidden works left out):
/// what the record's metrics and its works-per-year are computed from.
pub async fn work_years_and_citations(
    db: &mut PgConnection,
    author_id: i64,
) -> Result<Vec<(Option<i32>, Option<i32>)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT w.year, w.cited_by_count FROM works w
         WHERE w.id IN (SELECT s.work_id FROM record_authorships s WHERE s.author_id = $1)",
    )
    .bind(author_id)
    .fetch_all(&mut *db)
    .await?)
}
