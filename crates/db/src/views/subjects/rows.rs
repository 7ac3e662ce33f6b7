//! Reads behind topic and institution pages: the subject, its works newest or most cited first,
//! its leading researchers and related topics (their cached aggregates are `caches::subjects`).

use crate::domain::paging::{CountCursor, DateCursor};
use crate::error::AppError;
use crate::model::subjects::{LeadingResearcher, SubjectKind};
use crate::model::works::WorkSummary;
use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};

/// A topic's or an institution's own row, with its cached counts.
#[derive(Debug, FromRow)]
pub struct SubjectRow {
    pub id: i64,
    pub name: String,
    pub source: String,
    pub source_key: Option<String>,
    pub domain: Option<String>,
    pub field: Option<String>,
    pub subfield: Option<String>,
    pub country_code: Option<String>,
    pub ror: Option<String>,
    pub institution_kind: Option<String>,
    pub homepage_url: Option<String>,
    pub works_count: Option<i32>,
    pub authors_count: Option<i32>,
    pub cited_by_sum: Option<i64>,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub related_topic_ids: Option<Vec<i64>>,
}

impl SubjectRow {
    /// The row as the subject hierarchy reads a topic.
    pub fn place(&self) -> crate::domain::topics::TopicPlace<'_> {
        crate::domain::topics::TopicPlace {
            source: &self.source,
            name: &self.name,
            domain: self.domain.as_deref(),
            field: self.field.as_deref(),
            subfield: self.subfield.as_deref(),
        }
    }
}

fn code(kind: SubjectKind) -> &'static str {
    match kind {
        SubjectKind::Topic => "t",
        SubjectKind::Institution => "i",
    }
}

pub async fn subject(db: &mut PgConnection, kind: SubjectKind, id: i64) -> Result<Option<SubjectRow>, AppError> {
    let sql = match kind {
        SubjectKind::Topic => {
            "SELECT t.id, t.display_name AS name, t.source, t.source_key, t.domain, t.field, t.subfield,
                    NULL::text AS country_code, NULL::text AS ror, NULL::text AS institution_kind,
                    NULL::text AS homepage_url,
                    st.works_count, st.authors_count, st.cited_by_sum, st.first_year, st.last_year, st.related_topic_ids
             FROM topics t LEFT JOIN subject_stats st ON st.kind = 't' AND st.subject_id = t.id
             WHERE t.id = $1"
        }
        SubjectKind::Institution => {
            "SELECT i.id, i.display_name AS name, 'openalex' AS source, i.openalex_id AS source_key,
                    NULL::text AS domain, NULL::text AS field, NULL::text AS subfield,
                    i.country_code, i.ror, i.kind AS institution_kind, i.homepage_url,
                    st.works_count, st.authors_count, st.cited_by_sum, st.first_year, st.last_year, st.related_topic_ids
             FROM institutions i LEFT JOIN subject_stats st ON st.kind = 'i' AND st.subject_id = i.id
             WHERE i.id = $1"
        }
    };
    Ok(sqlx::query_as(sql).bind(id).fetch_optional(&mut *db).await?)
}

/// A work on a subject's page, with both sort keys (the next page's cursor takes one).
#[derive(Debug, FromRow)]
pub struct SubjectWorkRow {
    pub id: i64,
    pub sort_date: NaiveDate,
    pub cites: i32,
    #[sqlx(flatten)]
    pub work: WorkSummary,
}

/// The table that lists a subject's works with both sort keys, and its subject column.
fn works_table(kind: SubjectKind) -> (&'static str, &'static str) {
    match kind {
        SubjectKind::Topic => ("work_topics", "topic_id"),
        SubjectKind::Institution => ("institution_works", "institution_id"),
    }
}

/// Up to `limit` of a subject's works, newest first, after the cursor: one index range.
pub async fn newest_works(
    db: &mut PgConnection,
    kind: SubjectKind,
    id: i64,
    after: Option<DateCursor>,
    limit: i64,
) -> Result<Vec<SubjectWorkRow>, AppError> {
    let (table, column) = works_table(kind);
    let sql = format!(
        "SELECT w.id, x.sort_date, x.cited_by AS cites, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue
         FROM {table} x JOIN works w ON w.id = x.work_id
         WHERE x.{column} = $1 AND ($2::date IS NULL OR (x.sort_date, x.work_id) < ($2, $3))
         ORDER BY x.sort_date DESC, x.work_id DESC
         LIMIT $4"
    );
    Ok(sqlx::query_as(&sql)
        .bind(id)
        .bind(after.map(|c| c.date))
        .bind(after.map_or(0, |c| c.id))
        .bind(limit)
        .fetch_all(&mut *db)
        .await?)
}

/// Up to `limit` of a subject's works, most cited first (OpenAlex's count), after the cursor.
pub async fn most_cited_works(
    db: &mut PgConnection,
    kind: SubjectKind,
    id: i64,
    after: Option<CountCursor>,
    limit: i64,
) -> Result<Vec<SubjectWorkRow>, AppError> {
    let (table, column) = works_table(kind);
    let sql = format!(
        "SELECT w.id, x.sort_date, x.cited_by AS cites, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue
         FROM {table} x JOIN works w ON w.id = x.work_id
         WHERE x.{column} = $1 AND ($2::int IS NULL OR (x.cited_by, x.work_id) < ($2, $3))
         ORDER BY x.cited_by DESC, x.work_id DESC
         LIMIT $4"
    );
    let count = after.map(|c| i32::try_from(c.count).unwrap_or(i32::MAX));
    Ok(sqlx::query_as(&sql)
        .bind(id)
        .bind(count)
        .bind(after.map_or(0, |c| c.id))
        .bind(limit)
        .fetch_all(&mut *db)
        .await?)
}

pub async fn leading_researchers(
    db: &mut PgConnection,
    kind: SubjectKind,
    id: i64,
    limit: i64,
) -> Result<Vec<LeadingResearcher>, AppError> {
    Ok(sqlx::query_as(
        "SELECT a.slug, a.display_name AS name, s.works
         FROM subject_top_authors s JOIN authors a ON a.id = s.author_id
         WHERE s.kind = $1 AND s.subject_id = $2
         ORDER BY s.works DESC, s.author_id
         LIMIT $3",
    )
    .bind(code(kind))
    .bind(id)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

/// Topics by id, in the order given.
pub async fn topic_names(db: &mut PgConnection, ids: &[i64]) -> Result<Vec<(i64, String)>, AppError> {
    Ok(sqlx::query_as(
        "SELECT t.id, t.display_name FROM unnest($1::bigint[]) WITH ORDINALITY AS x(id, n)
         JOIN topics t ON t.id = x.id ORDER BY x.n",
    )
    .bind(ids)
    .fetch_all(&mut *db)
    .await?)
}
