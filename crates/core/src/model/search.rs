//! Search hits: a researcher and a work as the results list shows them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct PersonHit {
    pub slug: String,
    pub name: String,
    pub source: String,
    /// Works on the record (hidden works left out).
    pub works: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct WorkHit {
    pub slug: String,
    pub title: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub work_type: String,
    /// The first few authors, in byline order.
    pub authors: Vec<String>,
}

/// A topic or an institution found by name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct SubjectHit {
    pub id: i64,
    pub name: String,
    /// Works on the topic or from the institution.
    pub works: i64,
    /// For an institution: its country code.
    pub detail: Option<String>,
}

/// How many matched, counted up to a cap: `more` says there were more than `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Tally {
    pub n: i64,
    pub more: bool,
}

impl Tally {
    /// `n` rows read with a limit of `cap + 1`.
    pub fn capped(n: i64, cap: i64) -> Self {
        Self { n: n.min(cap), more: n > cap }
    }

    /// "1,000+" or "12".
    pub fn label(self) -> String {
        let digits = self.n.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if self.more {
            grouped.push('+');
        }
        grouped
    }
}

/// Result counts per kind and, among the works matched (filters applied), per type, open
/// access and topic.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Facets {
    pub people: Tally,
    pub works: Tally,
    pub topics: Tally,
    pub institutions: Tally,
    pub work_types: Vec<(String, i64)>,
    pub open_access: i64,
    /// Topics most often on the works matched: (id, name, works).
    pub work_topics: Vec<(i64, String, i64)>,
}

/// One page of a search's results, with the counts per kind and facet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub query: String,
    pub kind: crate::domain::search::SearchKind,
    pub page: i64,
    pub filters: crate::domain::search::WorkFilters,
    pub sort: crate::domain::search::SearchSort,
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
