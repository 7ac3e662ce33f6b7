//! Search over researchers and works: one server function, ranked, paginated by page number.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const RESULTS_PER_PAGE: i64 = 20;
/// People shown beside works when searching everything.
pub const PEOPLE_IN_ALL: i64 = 8;
/// Result pages past this are not served: refine the query instead.
pub const MAX_PAGE: i64 = 50;
pub const MAX_QUERY_CHARS: usize = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchKind {
    All,
    People,
    Works,
}

impl SearchKind {
    pub fn parse(raw: Option<&str>) -> Self {
        match raw {
            Some("people") => Self::People,
            Some("works") => Self::Works,
            _ => Self::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::People => "people",
            Self::Works => "works",
        }
    }
}

pub use crate::model::search::{PersonHit, WorkHit};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub kind: SearchKind,
    pub page: i64,
    pub people: Vec<PersonHit>,
    pub works: Vec<WorkHit>,
    pub more_people: bool,
    pub more_works: bool,
}

/// A search query: trimmed, non-empty, at most `MAX_QUERY_CHARS` characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery(String);

impl SearchQuery {
    pub fn parse(raw: &str) -> Result<Self, AppError> {
        // Control characters (NUL included, which PostgreSQL refuses) separate words like spaces;
        // bidirectional overrides are dropped.
        let words = raw.split(|c: char| c.is_whitespace() || c.is_control()).map(crate::domain::text::clean);
        let trimmed = words.filter(|w| !w.is_empty()).collect::<Vec<_>>().join(" ");
        if trimmed.is_empty() {
            return Err(AppError::invalid("q", "type a name or some words of a title"));
        }
        if trimmed.chars().count() > MAX_QUERY_CHARS {
            return Err(AppError::invalid("q", format!("keep the query under {MAX_QUERY_CHARS} characters")));
        }
        Ok(Self(trimmed))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[server(prefix = "/api", endpoint = "search")]
pub async fn search(q: String, kind: Option<String>, page: Option<i64>) -> Result<SearchResults, AppError> {
    let query = SearchQuery::parse(&q)?;
    let page = page.unwrap_or(1);
    if !(1..=MAX_PAGE).contains(&page) {
        return Err(AppError::invalid("page", format!("pages run from 1 to {MAX_PAGE}")));
    }
    let kind = SearchKind::parse(kind.as_deref());
    find(&crate::ssr::read_pool().await?, &query, kind, page).await
}

/// One page of results of `kind`: researchers and works, or only one of them.
#[cfg(feature = "ssr")]
pub async fn find(
    pool: &sqlx::PgPool,
    query: &SearchQuery,
    kind: SearchKind,
    page: i64,
) -> Result<SearchResults, AppError> {
    use crate::ssr::db::search;
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
    let mut people: Vec<PersonHit> = match people_limit {
        0 => Vec::new(),
        limit => search::people(pool, query.as_str(), limit + 1, people_offset).await?,
    };
    let mut works: Vec<WorkHit> = match works_limit {
        0 => Vec::new(),
        limit => search::works(pool, query.as_str(), limit + 1, works_offset).await?,
    };
    let more_people = people.len() as i64 > people_limit;
    let more_works = works.len() as i64 > works_limit;
    people.truncate(people_limit as usize);
    works.truncate(works_limit as usize);
    Ok(SearchResults { query: query.as_str().to_owned(), kind, page, people, works, more_people, more_works })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn queries_are_trimmed_and_bounded() {
        assert_eq!(SearchQuery::parse("  Mor   Shpigel ").map(|q| q.0), Ok("Mor Shpigel".to_owned()));
        assert!(SearchQuery::parse("   ").is_err());
        assert!(SearchQuery::parse(&"x".repeat(MAX_QUERY_CHARS + 1)).is_err());
    }

    #[test]
    fn control_characters_in_a_query_separate_words() {
        assert_eq!(SearchQuery::parse("Mor\0Shpigel\u{1}").map(|q| q.0), Ok("Mor Shpigel".to_owned()));
        assert!(SearchQuery::parse("\0\0").is_err());
    }
}
