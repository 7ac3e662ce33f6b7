//! Search: researchers by trigram word similarity on their ASCII-folded names, works by
//! full-text rank on title (weighted) and abstract with filters, topics and institutions by
//! trigram word similarity on their names, and the counts beside them. All use GIN indexes.

use crate::domain::names::name_key;
use crate::domain::search::{SearchSort, WorkFilters};
use crate::error::AppError;
use crate::model::search::{PersonHit, SubjectHit, Tally, WorkHit};
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
/// Matches counted for the result counts: past it, a count reads "10,000+".
pub const COUNTED_MATCHES: i64 = 10_000;
/// Researchers, topics and institutions counted: past it, "1,000+".
pub const COUNTED_NAMES: i64 = 1_000;
/// Topics listed among the facets of the works found.
const FACET_TOPICS: i64 = 8;

/// The filters on works `w`, `$2`-`$6` (`bind_filters` binds them after the query, `$1`).
pub(crate) const WORK_FILTERS: &str = "($2::int IS NULL OR w.year >= $2) AND ($3::int IS NULL OR w.year <= $3)
      AND ($4::text IS NULL OR w.work_type = $4)
      AND (NOT $5 OR w.is_open_access)
      AND ($6::bigint IS NULL OR EXISTS (SELECT 1 FROM work_topics wt WHERE wt.work_id = w.id AND wt.topic_id = $6))";

/// The works matching the query `$1` with the filters applied.
fn matching_works() -> String {
    format!("works w WHERE w.search @@ websearch_to_tsquery('english', $1) AND {WORK_FILTERS}")
}

pub(crate) type Query<'q, O> = sqlx::query::QueryAs<'q, sqlx::Postgres, O, sqlx::postgres::PgArguments>;

/// Binds the query (`$1`) and the filters (`$2`-`$6`).
pub(crate) fn bind_filters<'q, O>(
    query: Query<'q, O>,
    text: Option<&'q str>,
    filters: &'q WorkFilters,
) -> Query<'q, O> {
    query
        .bind(text)
        .bind(filters.from)
        .bind(filters.to)
        .bind(filters.work_type.as_deref())
        .bind(filters.open_access)
        .bind(filters.topic)
}

/// Works matching `query` in full text with `filters`, in `sort` order: by rank among the first
/// `RANKED_MATCHES` matches, or newest or most cited first among all of them. Planned for each
/// query (not a prepared plan): how many works a query matches decides between the index (few)
/// and reading the table in order until enough match (many), and only the query's own words
/// and filters tell which.
pub async fn works(
    pool: &PgPool,
    query: &str,
    filters: &WorkFilters,
    sort: SearchSort,
    limit: i64,
    offset: i64,
) -> Result<Vec<WorkHit>, AppError> {
    let authors = "coalesce((SELECT array_agg(a.display_name ORDER BY s.position)
                    FROM (SELECT * FROM authorships WHERE work_id = w.id ORDER BY position LIMIT 4) s
                    JOIN authors a ON a.id = s.author_id), '{}') AS authors";
    let columns = format!("w.slug, w.title, w.year, w.venue, w.work_type, {authors}");
    let matching = matching_works();
    let sql = match sort {
        SearchSort::Relevance => format!(
            "SELECT {columns}
             FROM (SELECT w.id FROM {matching} LIMIT $9) m
             JOIN works w ON w.id = m.id
             ORDER BY ts_rank_cd(w.search, websearch_to_tsquery('english', $1)) DESC, w.sort_date DESC, w.id
             LIMIT $7 OFFSET $8"
        ),
        SearchSort::Newest => format!(
            "SELECT {columns} FROM {matching}
             ORDER BY w.sort_date DESC, w.id DESC LIMIT $7 OFFSET $8"
        ),
        SearchSort::MostCited => format!(
            "SELECT {columns} FROM {matching}
             ORDER BY coalesce(w.cited_by_count, 0) DESC, w.id DESC LIMIT $7 OFFSET $8"
        ),
    };
    let mut found = bind_filters(sqlx::query_as(&sql).persistent(false), Some(query), filters).bind(limit).bind(offset);
    if sort == SearchSort::Relevance {
        found = found.bind(RANKED_MATCHES);
    }
    Ok(found.fetch_all(pool).await?)
}

/// Counts of the works matched (up to `COUNTED_MATCHES`), by type, open access and topic.
pub async fn work_facets(pool: &PgPool, query: &str, filters: &WorkFilters) -> Result<WorkFacets, AppError> {
    let matching = matching_works();
    let sql = format!(
        "WITH m AS MATERIALIZED (SELECT w.id, w.work_type, w.is_open_access FROM {matching} LIMIT $7)
         SELECT 'total' AS facet, NULL::bigint AS id, NULL::text AS name, count(*) AS n FROM m
         UNION ALL SELECT 'type', NULL, work_type, count(*) FROM m GROUP BY work_type
         UNION ALL SELECT 'oa', NULL, NULL, count(*) FROM m WHERE is_open_access
         UNION ALL (SELECT 'topic', t.id, t.display_name, count(*)
                    FROM m JOIN work_topics wt ON wt.work_id = m.id JOIN topics t ON t.id = wt.topic_id
                    GROUP BY t.id, t.display_name ORDER BY count(*) DESC, t.id LIMIT $8)"
    );
    let rows: Vec<(String, Option<i64>, Option<String>, i64)> =
        bind_filters(sqlx::query_as(&sql).persistent(false), Some(query), filters)
            .bind(COUNTED_MATCHES + 1)
            .bind(FACET_TOPICS)
            .fetch_all(pool)
            .await?;
    let mut facets = WorkFacets::default();
    for (facet, id, name, n) in rows {
        match (facet.as_str(), id, name) {
            ("total", _, _) => facets.total = Tally::capped(n, COUNTED_MATCHES),
            ("type", _, Some(name)) => facets.types.push((name, n)),
            ("oa", _, _) => facets.open_access = n,
            ("topic", Some(id), Some(name)) => facets.topics.push((id, name, n)),
            _ => {}
        }
    }
    facets.types.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    Ok(facets)
}

/// What `work_facets` counts.
#[derive(Debug, Default)]
pub struct WorkFacets {
    pub total: Tally,
    pub types: Vec<(String, i64)>,
    pub open_access: i64,
    pub topics: Vec<(i64, String, i64)>,
}

/// Researchers whose name matches (up to `COUNTED_NAMES`).
pub async fn people_count(pool: &PgPool, query: &str) -> Result<Tally, AppError> {
    let key = name_key(query);
    if key.is_empty() {
        return Ok(Tally::default());
    }
    let n: i64 = sqlx::query_scalar("SELECT count(*) FROM (SELECT 1 FROM authors WHERE $1 <% search_name LIMIT $2) m")
        .bind(key)
        .bind(COUNTED_NAMES + 1)
        .fetch_one(pool)
        .await?;
    Ok(Tally::capped(n, COUNTED_NAMES))
}

/// Which subjects a name search looks through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SubjectTable {
    Topics,
    Institutions,
}

impl SubjectTable {
    fn sql(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Self::Topics => ("topics", "t", "NULL::text"),
            Self::Institutions => ("institutions", "i", "x.country_code"),
        }
    }
}

/// Topics or institutions whose lower-cased name holds the query's words, closest first, then
/// those with most works.
pub async fn subjects(
    pool: &PgPool,
    table: SubjectTable,
    query: &str,
    limit: i64,
    offset: i64,
) -> Result<Vec<SubjectHit>, AppError> {
    let (name, kind, detail) = table.sql();
    let sql = format!(
        "SELECT x.id, x.display_name AS name, coalesce(st.works_count, 0)::bigint AS works, {detail} AS detail
         FROM {name} x LEFT JOIN subject_stats st ON st.kind = '{kind}' AND st.subject_id = x.id
         WHERE $1 <% lower(x.display_name)
         ORDER BY word_similarity($1, lower(x.display_name)) DESC, works DESC, x.id
         LIMIT $2 OFFSET $3"
    );
    Ok(sqlx::query_as(&sql).bind(query.to_lowercase()).bind(limit).bind(offset).fetch_all(pool).await?)
}

/// Topics or institutions whose name matches (up to `COUNTED_NAMES`).
pub async fn subjects_count(pool: &PgPool, table: SubjectTable, query: &str) -> Result<Tally, AppError> {
    let (name, _, _) = table.sql();
    let sql = format!("SELECT count(*) FROM (SELECT 1 FROM {name} x WHERE $1 <% lower(x.display_name) LIMIT $2) m");
    let n: i64 = sqlx::query_scalar(&sql).bind(query.to_lowercase()).bind(COUNTED_NAMES + 1).fetch_one(pool).await?;
    Ok(Tally::capped(n, COUNTED_NAMES))
}
