//! Search over researchers, works, topics and institutions: one server function, ranked,
//! filtered, counted per kind and facet, paginated by page number (at most `MAX_PAGE`).
// The search function takes each parameter of the search address as its own argument (a plain
// GET form's fields); the browser-side function the `server` macro makes from it cannot carry an
// `allow` of its own.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub use crate::domain::search::{
    SearchKind, SearchParams, SearchQuery, SearchRequest, SearchSort, WorkFilters, MAX_PAGE, MAX_QUERY_CHARS,
    PEOPLE_IN_ALL, RESULTS_PER_PAGE, SUBJECTS_IN_ALL,
};
pub use crate::model::search::{Facets, PersonHit, SubjectHit, Tally, WorkHit};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub kind: SearchKind,
    pub page: i64,
    pub filters: WorkFilters,
    pub sort: SearchSort,
    /// The topic filtered on, by name.
    pub topic_name: Option<String>,
    pub people: Vec<PersonHit>,
    pub works: Vec<WorkHit>,
    pub topics: Vec<SubjectHit>,
    pub institutions: Vec<SubjectHit>,
    /// Whether the kind shown has a next page.
    pub more: bool,
    pub facets: Facets,
}

/// A search as the address gives it: each parameter raw, as `SearchParams` names it.
#[server(prefix = "/api", endpoint = "search")]
pub async fn search(
    q: Option<String>,
    kind: Option<String>,
    page: Option<String>,
    from: Option<String>,
    to: Option<String>,
    work_type: Option<String>,
    oa: Option<String>,
    topic: Option<String>,
    sort: Option<String>,
) -> Result<SearchResults, AppError> {
    let params = SearchParams { q, kind, page, from, to, work_type, oa, topic, sort };
    let request = params.parse()?;
    let pool = crate::ssr::read_pool().await?;
    let mut results = find(&pool, &request).await?;
    results.facets = facets(&pool, &request).await?;
    Ok(results)
}

/// `rows` read with one row more than `limit`: the rows shown, and whether there were more.
#[cfg(feature = "ssr")]
fn cut<T>(mut rows: Vec<T>, limit: i64) -> (Vec<T>, bool) {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    (rows, more)
}

/// One page of results of the request's kind (`facets` counts them). Queries run in
/// turn, not concurrently: a request holds at most one connection at a time.
#[cfg(feature = "ssr")]
pub async fn find(pool: &sqlx::PgPool, request: &SearchRequest) -> Result<SearchResults, AppError> {
    use crate::ssr::db::search::{self as db, SubjectTable};
    let SearchRequest { query, kind, page, filters, sort } = request;
    let text = query.as_str();
    let offset = (page - 1) * RESULTS_PER_PAGE;
    let shown = |k: SearchKind, in_all: i64| match (kind, k) {
        (SearchKind::All, _) => Some((in_all, 0)),
        (kind, k) if *kind == k => Some((RESULTS_PER_PAGE, offset)),
        _ => None,
    };
    // One row more than shown tells whether there is more; the kind shown (works when showing
    // everything) says whether there is a next page.
    let paged = if *kind == SearchKind::All { SearchKind::Works } else { *kind };
    let mut more = false;
    let mut note = |this: SearchKind, had_more: bool| more |= this == paged && had_more;
    let people = match shown(SearchKind::People, PEOPLE_IN_ALL) {
        Some((limit, offset)) => {
            let (rows, had_more) = cut(db::people(pool, text, limit + 1, offset).await?, limit);
            note(SearchKind::People, had_more);
            rows
        }
        None => Vec::new(),
    };
    let works = match shown(SearchKind::Works, RESULTS_PER_PAGE) {
        Some((limit, offset)) => {
            let (rows, had_more) = cut(db::works(pool, text, filters, *sort, limit + 1, offset).await?, limit);
            note(SearchKind::Works, had_more);
            rows
        }
        None => Vec::new(),
    };
    let subjects = |table: SubjectTable, this: SearchKind| {
        let shown = shown(this, SUBJECTS_IN_ALL);
        async move {
            match shown {
                Some((limit, offset)) => {
                    Ok::<_, AppError>(Some(cut(db::subjects(pool, table, text, limit + 1, offset).await?, limit)))
                }
                None => Ok(None),
            }
        }
    };
    let topics = match subjects(SubjectTable::Topics, SearchKind::Topics).await? {
        Some((rows, had_more)) => {
            note(SearchKind::Topics, had_more);
            rows
        }
        None => Vec::new(),
    };
    let institutions = match subjects(SubjectTable::Institutions, SearchKind::Institutions).await? {
        Some((rows, had_more)) => {
            note(SearchKind::Institutions, had_more);
            rows
        }
        None => Vec::new(),
    };
    let topic_name = match filters.topic {
        Some(id) => {
            let mut conn = pool.acquire().await?;
            let names = crate::ssr::db::subjects::topic_names(&mut conn, &[id]).await?;
            Some(
                names
                    .into_iter()
                    .next()
                    .map(|(_, name)| name)
                    .ok_or_else(|| AppError::invalid("topic", "no such topic"))?,
            )
        }
        None => None,
    };
    Ok(SearchResults {
        query: text.to_owned(),
        kind: *kind,
        page: *page,
        filters: filters.clone(),
        sort: *sort,
        topic_name,
        people,
        works,
        topics,
        institutions,
        more: more && *page < MAX_PAGE,
        facets: Facets::default(),
    })
}

/// The result counts per kind and facet of a search.
#[cfg(feature = "ssr")]
pub async fn facets(pool: &sqlx::PgPool, request: &SearchRequest) -> Result<Facets, AppError> {
    use crate::ssr::db::search::{self as db, SubjectTable};
    let text = request.query.as_str();
    let works = db::work_facets(pool, text, &request.filters).await?;
    Ok(Facets {
        people: db::people_count(pool, text).await?,
        works: works.total,
        topics: db::subjects_count(pool, SubjectTable::Topics, text).await?,
        institutions: db::subjects_count(pool, SubjectTable::Institutions, text).await?,
        work_types: works.types,
        open_access: works.open_access,
        work_topics: works.topics,
    })
}
