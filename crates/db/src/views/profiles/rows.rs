//! Reads behind the researcher profile: the record with its counts and metrics (kept with its
//! aggregates), closest co-authors, linked records and first suggestions in one statement, and a
//! page of its works in another; each list an indexed query (never one per row). What a record
//! holds is read through `record_authorships` (hidden works left out); `views::profiles`
//! assembles the page from these rows.

use crate::domain::graph::NodeKey;
use crate::domain::paging::{DateCursor, WorksAfter};
use crate::error::AppError;
use crate::model::works::WorkSummary;
use crate::views::graph;
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

/// What a profile asks for: the record, how many co-authors and suggestions it lists, who is
/// looking, and which page of works in which order.
#[derive(Debug, Clone, Copy)]
pub struct PageAsked<'a> {
    pub slug: &'a str,
    pub coauthors: i64,
    pub suggestions: i64,
    pub viewer: Option<i64>,
    pub works: WorksAfter,
    /// Works read: one more than a page tells whether there is a next one.
    pub works_read: i64,
}

/// Everything a profile shows, in one statement: the record's row, its closest co-authors, its
/// linked records, its first suggestions (less the dismissed), the page of its works asked for,
/// its graph's rows with the layout kept for the graph, and for a viewer whether they follow it
/// and whether they may invite its owner.
pub async fn record_page(db: &mut PgConnection, asked: PageAsked<'_>) -> Result<Option<RecordPage>, AppError> {
    let (order, date, count, id) = match asked.works {
        WorksAfter::Newest(cursor) => ("newest", cursor.map(|c| c.date), None, cursor.map_or(0, |c| c.id)),
        WorksAfter::MostCited(cursor) => ("cited", None, cursor.map(|c| c.count), cursor.map_or(0, |c| c.id)),
    };
    let focus = NodeKey::Author(asked.slug.to_owned());
    let Some(row) = sqlx::query_as::<_, RecordPageRow>(&RECORD_PAGE)
        .bind(asked.slug)
        .bind(asked.coauthors)
        .bind(asked.suggestions)
        .bind(asked.viewer)
        .bind(order)
        .bind(date)
        .bind(count)
        .bind(id)
        .bind(asked.works_read)
        .bind(vec![asked.slug])
        .bind(Vec::<String>::new())
        .bind(Vec::<i64>::new())
        .bind(Vec::<i64>::new())
        .bind(graph::INLINE_REACH.per_seed)
        .bind(graph::named(&focus, &[], graph::INLINE_REACH))
        .bind(None::<String>)
        .fetch_optional(&mut *db)
        .await?
    else {
        return Ok(None);
    };
    let suggestions: Vec<crate::views::suggestions::ViewRow> = json(&row.suggestions)?;
    let works = match asked.works {
        WorksAfter::Newest(_) => PageWorks::Newest(
            json::<Vec<ListedWork>>(&row.works_newest)?
                .into_iter()
                .map(|w| WorkRow { id: w.id, sort_date: w.date.unwrap_or_default(), work: w.work })
                .collect(),
        ),
        WorksAfter::MostCited(_) => PageWorks::MostCited(
            json::<Vec<ListedWork>>(&row.works_cited)?
                .into_iter()
                .map(|w| CitedWorkRow { id: w.id, cites: w.count.unwrap_or(0), work: w.work })
                .collect(),
        ),
    };
    Ok(Some(RecordPage {
        coauthors: json(&row.coauthors)?,
        linked: json(&row.linked)?,
        suggestions: suggestions.into_iter().map(crate::views::suggestions::ViewRow::view).collect(),
        works,
        graph: graph::found_in(&focus, graph::INLINE_REACH, row.graph)?,
        viewer_follows: row.viewer_follows,
        viewer_standing: asked.viewer.map(|_| {
            crate::writes::invitations::standing_of(
                row.accepting.zip(row.blocked).map(|(a, b)| (a, b, row.invitation_id)),
            )
        }),
        record: row.record,
    }))
}

/// A record as its profile shows it (`record_page`).
#[derive(Debug)]
pub struct RecordPage {
    pub record: AuthorRow,
    pub coauthors: Vec<CoauthorRow>,
    pub linked: Vec<LinkedRow>,
    pub suggestions: Vec<crate::model::suggestions::SuggestionView>,
    /// Up to `works_read` of its works, in the order asked.
    pub works: PageWorks,
    /// Its graph, not yet laid out (None: nothing around it).
    pub graph: Option<graph::Found>,
    /// Whether the viewer follows the record, and whether they may invite its owner (None
    /// without a viewer).
    pub viewer_follows: Option<bool>,
    pub viewer_standing: Option<crate::model::collaboration::Standing>,
}

/// A page of a record's works as read, newest or most cited first.
#[derive(Debug)]
pub enum PageWorks {
    Newest(Vec<WorkRow>),
    MostCited(Vec<CitedWorkRow>),
}

/// A work of the page as the statement lists it (with its sort key: a date or a count).
#[derive(serde::Deserialize)]
struct ListedWork {
    id: i64,
    date: Option<NaiveDate>,
    count: Option<i32>,
    #[serde(flatten)]
    work: WorkSummary,
}

#[derive(FromRow)]
struct RecordPageRow {
    #[sqlx(flatten)]
    record: AuthorRow,
    coauthors: String,
    linked: String,
    suggestions: String,
    works_newest: String,
    works_cited: String,
    viewer_follows: Option<bool>,
    accepting: Option<bool>,
    blocked: Option<bool>,
    invitation_id: Option<i64>,
    #[sqlx(flatten)]
    graph: graph::rows::FoundRow,
}

fn json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T, AppError> {
    serde_json::from_str(text).map_err(|error| {
        tracing::error!(%error, "a profile row did not read");
        AppError::Internal
    })
}

/// The statement behind `record_page`: each list is the query its own function makes (the
/// works' `works_after` and `works_by_citations`, the graph's `graph::rows::neighbourhood_of`),
/// as JSON; the viewer's standing is `writes::invitations::standing`'s (all NULL without one).
/// Parameters: $1 the slug, $2 co-authors, $3 suggestions, $4 the viewer, $5 the works' order
/// ('newest' or 'cited'), $6-$8 the cursor (date, count, id), $9 works read, $10-$16 the graph's.
static RECORD_PAGE: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    format!(
        "{RECORD_PAGE_LISTS}, s.accepting, s.blocked, s.invitation_id, g.*
         FROM r LEFT JOIN LATERAL (SELECT {} WHERE $4::bigint IS NOT NULL) s ON true
         CROSS JOIN LATERAL ({}) g",
        crate::writes::invitations::standing_columns("r", "$4"),
        graph::rows::neighbourhood_statement(10)
    )
});

const RECORD_PAGE_LISTS: &str = concat!(
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
        (SELECT coalesce(json_agg(json_build_object('id', x.id, 'date', x.sort_date, 'slug', x.slug, 'title', x.title,
                    'abstract_text', x.abstract, 'work_type', x.work_type, 'year', x.year, 'venue', x.venue)
                    ORDER BY x.sort_date DESC, x.id DESC), '[]')::text FROM (
            SELECT DISTINCT ON (s.sort_date, s.work_id)
                   w.id, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue, s.sort_date
            FROM record_authorships s JOIN works w ON w.id = s.work_id
            WHERE $5 = 'newest' AND s.author_id = r.id
              AND ($6::date IS NULL OR (s.sort_date, s.work_id) < ($6, $8))
            ORDER BY s.sort_date DESC, s.work_id DESC
            LIMIT $9) x) AS works_newest,
        (SELECT coalesce(json_agg(json_build_object('id', x.id, 'count', x.cites, 'slug', x.slug, 'title', x.title,
                    'abstract_text', x.abstract, 'work_type', x.work_type, 'year', x.year, 'venue', x.venue)
                    ORDER BY x.cites DESC, x.id DESC), '[]')::text FROM (
            SELECT w.id, coalesce(w.cited_by_count, 0) AS cites, w.slug, w.title, w.abstract, w.work_type, w.year,
                   w.venue
            FROM works w
            WHERE $5 = 'cited' AND w.id IN (SELECT s.work_id FROM record_authorships s WHERE s.author_id = r.id)
              AND ($7::bigint IS NULL OR (coalesce(w.cited_by_count, 0)::bigint, w.id) < ($7, $8))
            ORDER BY coalesce(w.cited_by_count, 0) DESC, w.id DESC
            LIMIT $9) x) AS works_cited,
        CASE WHEN $4::bigint IS NOT NULL
             THEN EXISTS (SELECT 1 FROM follows f WHERE f.user_id = $4 AND f.author_id = r.id) END AS viewer_follows"
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
#[derive(Debug)]
pub struct CitedWorkRow {
    pub id: i64,
    pub cites: i32,
    pub work: WorkSummary,
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
