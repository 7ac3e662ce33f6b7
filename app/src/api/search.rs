//! Search over researchers, works, topics and institutions: one server function, ranked,
//! filtered, counted per kind and facet, paginated by page number (at most `MAX_PAGE`).
// The search function takes each parameter of the search address as its own argument (a plain
// GET form's fields); the browser-side function the `server` macro makes from it cannot carry an
// `allow` of its own.
#![expect(
    clippy::too_many_arguments,
    reason = "the search function takes each parameter of the search address as its own argument"
)]

use crate::error::AppError;
use leptos::prelude::*;

pub use crate::domain::search::{
    SearchKind, SearchParams, SearchQuery, SearchRequest, SearchSort, WorkFilters, MAX_PAGE, MAX_QUERY_CHARS,
    PEOPLE_IN_ALL, RESULTS_PER_PAGE, SUBJECTS_IN_ALL,
};
pub use crate::model::search::{Facets, PersonHit, SearchResults, SubjectHit, Tally, WorkHit};

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
    let mut results = db::views::search::find(&pool, &request).await?;
    results.facets = db::views::search::facets(&pool, &request).await?;
    Ok(results)
}
