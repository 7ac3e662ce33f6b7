//! A search as its address states it (`/search?q=&kind=&from=&to=&type=&oa=&topic=&sort=&page=`):
//! parsed from the raw query string into checked parts, and written back as links.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

pub const RESULTS_PER_PAGE: i64 = 20;
/// People shown beside works when searching everything.
pub const PEOPLE_IN_ALL: i64 = 8;
/// Topics and institutions shown beside works when searching everything.
pub const SUBJECTS_IN_ALL: i64 = 4;
/// Result pages past this are not served: refine the query instead.
pub const MAX_PAGE: i64 = 50;
pub const MAX_QUERY_CHARS: usize = 200;
/// The years a filter can name.
pub const YEARS: std::ops::RangeInclusive<i32> = 1000..=2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchKind {
    All,
    People,
    Works,
    Topics,
    Institutions,
}

impl SearchKind {
    pub const ALL: [SearchKind; 5] =
        [SearchKind::All, SearchKind::People, SearchKind::Works, SearchKind::Topics, SearchKind::Institutions];

    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        match raw.unwrap_or_default() {
            "" | "all" => Ok(Self::All),
            "people" => Ok(Self::People),
            "works" => Ok(Self::Works),
            "topics" => Ok(Self::Topics),
            "institutions" => Ok(Self::Institutions),
            _ => Err(AppError::invalid("kind", "search all, people, works, topics or institutions")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::All => "all",
            Self::People => "people",
            Self::Works => "works",
            Self::Topics => "topics",
            Self::Institutions => "institutions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::All => "Everything",
            Self::People => "Researchers",
            Self::Works => "Works",
            Self::Topics => "Topics",
            Self::Institutions => "Institutions",
        }
    }
}

/// The order of works found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SearchSort {
    Relevance,
    Newest,
    MostCited,
}

impl SearchSort {
    pub const ALL: [SearchSort; 3] = [SearchSort::Relevance, SearchSort::Newest, SearchSort::MostCited];

    pub fn parse(raw: Option<&str>) -> Result<Self, AppError> {
        match raw.unwrap_or_default() {
            "" | "relevance" => Ok(Self::Relevance),
            "newest" => Ok(Self::Newest),
            "cited" => Ok(Self::MostCited),
            _ => Err(AppError::invalid("sort", "sort by relevance, newest or cited")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Relevance => "relevance",
            Self::Newest => "newest",
            Self::MostCited => "cited",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Relevance => "Relevance",
            Self::Newest => "Newest",
            Self::MostCited => "Most cited",
        }
    }
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

/// What narrows the works found (researchers, topics and institutions are found by name only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct WorkFilters {
    pub from: Option<i32>,
    pub to: Option<i32>,
    /// A work type as the catalogue writes it (`article`, `preprint`, `book-chapter`).
    pub work_type: Option<String>,
    pub open_access: bool,
    /// A topic's id.
    pub topic: Option<i64>,
}

impl WorkFilters {
    /// The filters from their raw parameters (`from`, `to`, `type`, `oa`, `topic`).
    pub fn parse(
        from: &Option<String>,
        to: &Option<String>,
        work_type: &Option<String>,
        oa: &Option<String>,
        topic: &Option<String>,
    ) -> Result<Self, AppError> {
        let (from, to) = (year("from", from)?, year("to", to)?);
        if let (Some(f), Some(t)) = (from, to) {
            if f > t {
                return Err(AppError::invalid("to", "the last year comes after the first"));
            }
        }
        let work_type = set(work_type)
            .map(|t| {
                let ok = t.len() <= 40 && t.bytes().all(|b| b.is_ascii_lowercase() || b == b'-');
                ok.then(|| t.to_owned()).ok_or_else(|| AppError::invalid("type", "not a work type"))
            })
            .transpose()?;
        let open_access = match set(oa) {
            None | Some("0") | Some("false") => false,
            Some("1") | Some("true") | Some("on") => true,
            Some(_) => return Err(AppError::invalid("oa", "open access is 1 or 0")),
        };
        let topic = set(topic)
            .map(|t| crate::domain::slug::subject_id(t).ok_or_else(|| AppError::invalid("topic", "not a topic")))
            .transpose()?;
        Ok(Self { from, to, work_type, open_access, topic })
    }

    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

/// The raw parameters of a search address, each as given (absent or empty means unset).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SearchParams {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub page: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    #[serde(rename = "type")]
    pub work_type: Option<String>,
    pub oa: Option<String>,
    pub topic: Option<String>,
    pub sort: Option<String>,
}

/// A search checked: every part valid, or the first bad one named.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchRequest {
    pub query: SearchQuery,
    pub kind: SearchKind,
    pub page: i64,
    pub filters: WorkFilters,
    pub sort: SearchSort,
}

fn set(raw: &Option<String>) -> Option<&str> {
    raw.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

fn year(field: &'static str, raw: &Option<String>) -> Result<Option<i32>, AppError> {
    set(raw)
        .map(|y| {
            y.parse::<i32>()
                .ok()
                .filter(|y| YEARS.contains(y))
                .ok_or_else(|| AppError::invalid(field, format!("a year from {} to {}", YEARS.start(), YEARS.end())))
        })
        .transpose()
}

impl SearchParams {
    /// Whether the address asks for a search at all (a query was typed).
    pub fn has_query(&self) -> bool {
        set(&self.q).is_some()
    }

    pub fn parse(&self) -> Result<SearchRequest, AppError> {
        let query = SearchQuery::parse(self.q.as_deref().unwrap_or_default())?;
        let kind = SearchKind::parse(set(&self.kind))?;
        let page = match set(&self.page) {
            None => 1,
            Some(p) => p
                .parse::<i64>()
                .ok()
                .filter(|p| (1..=MAX_PAGE).contains(p))
                .ok_or_else(|| AppError::invalid("page", format!("pages run from 1 to {MAX_PAGE}")))?,
        };
        let filters = WorkFilters::parse(&self.from, &self.to, &self.work_type, &self.oa, &self.topic)?;
        let sort = SearchSort::parse(set(&self.sort))?;
        Ok(SearchRequest { query, kind, page, filters, sort })
    }
}

impl SearchRequest {
    /// This search's address, with only the parts that differ from the defaults.
    pub fn href(&self) -> String {
        let mut parts = vec![format!("q={}", super::percent::query(self.query.as_str()))];
        if self.kind != SearchKind::All {
            parts.push(format!("kind={}", self.kind.as_str()));
        }
        let f = &self.filters;
        parts.extend(f.from.map(|y| format!("from={y}")));
        parts.extend(f.to.map(|y| format!("to={y}")));
        parts.extend(f.work_type.as_ref().map(|t| format!("type={t}")));
        if f.open_access {
            parts.push("oa=1".to_owned());
        }
        parts.extend(f.topic.map(|t| format!("topic={t}")));
        if self.sort != SearchSort::Relevance {
            parts.push(format!("sort={}", self.sort.as_str()));
        }
        if self.page != 1 {
            parts.push(format!("page={}", self.page));
        }
        format!("/search?{}", parts.join("&"))
    }

    /// The same search changed by `change`, from its first page.
    pub fn with(&self, change: impl FnOnce(&mut SearchRequest)) -> String {
        let mut next = self.clone();
        next.page = 1;
        change(&mut next);
        next.href()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> SearchParams {
        let get = |k: &str| pairs.iter().find(|(key, _)| *key == k).map(|(_, v)| (*v).to_owned());
        SearchParams {
            q: get("q"),
            kind: get("kind"),
            page: get("page"),
            from: get("from"),
            to: get("to"),
            work_type: get("type"),
            oa: get("oa"),
            topic: get("topic"),
            sort: get("sort"),
        }
    }

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

    #[test]
    fn a_filtered_search_round_trips_through_its_address() {
        let request = params(&[
            ("q", "gradient descent"),
            ("kind", "works"),
            ("from", "2018"),
            ("to", "2020"),
            ("type", "preprint"),
            ("oa", "1"),
            ("topic", "machine-learning-12"),
            ("sort", "cited"),
            ("page", "2"),
        ])
        .parse()
        .expect("as the test set it up");
        assert_eq!(request.filters.topic, Some(12));
        let href = request.href();
        assert_eq!(
            href,
            "/search?q=gradient+descent&kind=works&from=2018&to=2020&type=preprint&oa=1&topic=12&sort=cited&page=2"
        );
        assert!(!request.with(|r| r.filters.work_type = None).contains("type="));
        assert!(!request.with(|r| r.sort = SearchSort::Newest).contains("page="), "a change starts at page 1");
    }

    #[test]
    fn empty_parameters_mean_unset() {
        let request = params(&[("q", "x"), ("kind", ""), ("from", " "), ("type", ""), ("oa", "")])
            .parse()
            .expect("as the test set it up");
        assert_eq!(request.kind, SearchKind::All);
        assert!(request.filters.is_empty());
        assert_eq!(request.href(), "/search?q=x");
    }

    #[test]
    fn bad_parameters_name_their_field() {
        let field = |pairs: &[(&str, &str)]| match params(pairs).parse() {
            Err(AppError::Invalid { field, .. }) => field,
            other => panic!("{other:?}"),
        };
        assert_eq!(field(&[("q", "x"), ("kind", "everything")]), "kind");
        assert_eq!(field(&[("q", "x"), ("from", "20x")]), "from");
        assert_eq!(field(&[("q", "x"), ("to", "99999")]), "to");
        assert_eq!(field(&[("q", "x"), ("from", "2020"), ("to", "2010")]), "to");
        assert_eq!(field(&[("q", "x"), ("type", "<b>")]), "type");
        assert_eq!(field(&[("q", "x"), ("oa", "maybe")]), "oa");
        assert_eq!(field(&[("q", "x"), ("topic", "machine-learning")]), "topic");
        assert_eq!(field(&[("q", "x"), ("sort", "oldest")]), "sort");
        assert_eq!(field(&[("q", "x"), ("page", "51")]), "page");
        assert_eq!(field(&[("q", " ")]), "q");
    }

    #[test]
    fn queries_are_encoded_in_links() {
        let request = params(&[("q", "a&b=c")]).parse().expect("as the test set it up");
        assert_eq!(request.href(), "/search?q=a%26b%3Dc");
    }
}
