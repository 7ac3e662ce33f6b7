//! A search as its page reads it: one page of results of the request's kind (`find`) and their
//! counts per kind and facet (`facets`), from the ranked queries in `rows`.

pub mod rows;

use crate::domain::search::{SearchKind, SearchRequest, MAX_PAGE, PEOPLE_IN_ALL, RESULTS_PER_PAGE, SUBJECTS_IN_ALL};
use crate::error::AppError;
use crate::model::search::{Facets, SearchResults};
use rows::{self as db, SubjectTable};

/// `rows` read with one row more than `limit`: the rows shown, and whether there were more.
fn cut<T>(mut rows: Vec<T>, limit: i64) -> (Vec<T>, bool) {
    let more = rows.len() as i64 > limit;
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    (rows, more)
}

/// One page of results of the request's kind (`facets` counts them). Queries run in
/// turn, not concurrently: a request holds at most one connection at a time.
pub async fn find(pool: &sqlx::PgPool, request: &SearchRequest) -> Result<SearchResults, AppError> {
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
            let names = crate::views::subjects::rows::topic_names(&mut conn, &[id]).await?;
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
pub async fn facets(pool: &sqlx::PgPool, request: &SearchRequest) -> Result<Facets, AppError> {
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
