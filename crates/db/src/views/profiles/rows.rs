//! Reads behind the researcher profile: the record with its counts and metrics (kept with its
//! aggregates), closest co-authors, linked records and first suggestions in one statement, and a
//! page of its works in another; each list an indexed query (never one per row). What a record
//! holds is read through `record_authorships` (hidden works left out); `views::profiles`
//! assembles the page from these rows.

use crate::domain::paging::DateCursor;
use crate::error::AppError;
use crate::model::works::WorkSummary;
use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};

pub use crate::model::profile::Record as AuthorRow;

/// The record's row: its own fields, its counts and metrics (kept in `author_stats`, hidden works
/// left out) and its affiliation (the owner's choice, else the one the imports give).
macro_rules! record_select {
    () => {
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
                coalesce(st.citations, 0) AS citations, coalesce(st.h_index, 0) AS h_index,
                coalesce(st.i10_index, 0) AS i10_index, coalesce(st.work_years, '{}') AS work_years,
                coalesce(st.work_year_counts, '{}') AS work_year_counts,
                coalesce(owner_aff.display_name, a.affiliation_text, aff.display_name) AS affiliation,
                mt.display_name AS main_topic, mt.id AS main_topic_id,
                CASE WHEN owner_aff.id IS NOT NULL THEN owner_aff.id
                     WHEN a.affiliation_text IS NULL THEN aff.id END AS affiliation_id
         FROM authors a
         LEFT JOIN author_stats st ON st.author_id = a.id
         LEFT JOIN topics mt ON mt.id = st.main_topic_id
         LEFT JOIN institutions owner_aff ON owner_aff.id = a.affiliation_institution_id
         LEFT JOIN institutions aff ON aff.id = st.institution_id"
    };
}

/// The record at `slug` with its counts and its affiliation.
pub async fn author(db: &mut PgConnection, slug: &str) -> Result<Option<AuthorRow>, AppError> {
    Ok(sqlx::query_as(concat!(record_select!(), " WHERE a.slug = $1")).bind(slug).fetch_optional(&mut *db).await?)
}

/// What a profile shows of a record besides its works, in one statement: the record's row, its
/// closest co-authors (up to `coauthors`), its linked records, its first suggestions (up to
/// `suggestions`, less the dismissed) and, for a `viewer`, whether they follow it.
pub async fn record_page(
    db: &mut PgConnection,
    slug: &str,
    (coauthors, suggestions): (i64, i64),
    viewer: Option<i64>,
) -> Result<Option<RecordPage>, AppError> {
    let Some(row) = sqlx::query_as::<_, RecordPageRow>(RECORD_PAGE)
        .bind(slug)
        .bind(coauthors)
        .bind(suggestions)
        .bind(viewer)
        .fetch_optional(&mut *db)
        .await?
    else {
        return Ok(None);
    };
    let suggestions: Vec<crate::views::suggestions::ViewRow> = json(&row.suggestions)?;
    Ok(Some(RecordPage {
        record: row.record,
        coauthors: json(&row.coauthors)?,
        linked: json(&row.linked)?,
        suggestions: suggestions.into_iter().map(crate::views::suggestions::ViewRow::view).collect(),
        viewer_follows: row.viewer_follows,
    }))
}

/// A record as its profile shows it (`record_page`).
#[derive(Debug)]
pub struct RecordPage {
    pub record: AuthorRow,
    pub coauthors: Vec<CoauthorRow>,
    pub linked: Vec<LinkedRow>,
    pub suggestions: Vec<crate::model::suggestions::SuggestionView>,
    /// Whether the viewer follows the record (None without a viewer).
    pub viewer_follows: Option<bool>,
}

#[derive(FromRow)]
struct RecordPageRow {
    #[sqlx(flatten)]
    record: AuthorRow,
    coauthors: String,
    linked: String,
    suggestions: String,
    viewer_follows: Option<bool>,
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|error| {
        tracing::error!(%error, "a profile row did not read");
        AppError::Internal
    })
}

/// The statement behind `record_page`: each list is the query its own function makes, as JSON.
const RECORD_PAGE: &str = concat!(
    "WITH r AS (",
    record_select!(),
    " WHERE a.slug = $1)
     SELECT r.*,
        (SELECT coalesce(json_agg(to_json(c) ORDER BY c.n), '[]')::text FROM (
            SELECT x.slug, x.display_name, c.shared_works::bigint AS shared_works,
                   row_number() OVER (ORDER BY c.shared_works DESC, c.last_shared DESC, x.display_name) AS n
            FROM coauthors c JOIN authors x ON x.id = c.coauthor_id
            WHERE c.author_id = r.id
            ORDER BY c.shared_works DESC, c.last_shared DESC, x.display_name
            LIMIT $2) c) AS coauthors,
        (SELECT coalesce(json_agg(to_json(l) ORDER BY l.slug), '[]')::text FROM (
            SELECT o.slug, o.display_name, o.source FROM authors me JOIN authors o ON o.id = me.same_as_id
            WHERE me.id = r.id
            UNION
            SELECT o.slug, o.display_name, o.source FROM authors o WHERE o.same_as_id = r.id
            ORDER BY 1 LIMIT 10) l) AS linked,
        (SELECT coalesce(json_agg(to_json(x) ORDER BY x.rank), '[]')::text FROM (",
    crate::views::suggestions::suggestion_rows!("r.id", "false", "$3"),
    ") x) AS suggestions,
        CASE WHEN $4::bigint IS NOT NULL
             THEN EXISTS (SELECT 1 FROM follows f WHERE f.user_id = $4 AND f.author_id = r.id) END AS viewer_follows
     FROM r"
);

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

/// A close co-author as the profile lists them.
#[derive(Debug, serde::Deserialize)]
pub struct CoauthorRow {
    pub slug: String,
    pub display_name: String,
    pub shared_works: i64,
}

/// Another record of the same person.
#[derive(Debug, serde::Deserialize)]
pub struct LinkedRow {
    pub slug: String,
    pub display_name: String,
    pub source: String,
}
