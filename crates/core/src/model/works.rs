//! A work as lists show it, a work as its page shows it, and its byline.

use crate::domain::graph::GraphSlice;
use serde::{Deserialize, Serialize};

/// References shown on a work's page (the rest are counted, and listed at OpenAlex).
pub const REFERENCES_SHOWN: i64 = 100;

/// A work in a list (a profile's works, a feed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct WorkSummary {
    pub slug: String,
    pub title: String,
    #[cfg_attr(feature = "sqlx", sqlx(rename = "abstract"))]
    pub abstract_text: Option<String>,
    pub work_type: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
}

/// One author on a work's byline, in order, with the institutions printed beside them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct BylineEntry {
    pub position: i16,
    pub slug: String,
    pub name: String,
    /// The name as printed on the work (what a citation gives).
    pub printed: String,
    pub institutions: Vec<String>,
}

/// A work's page: the work's own fields from its row, then its byline, topics and graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Work {
    pub id: i64,
    /// What a list shows of it.
    #[serde(flatten)]
    #[cfg_attr(feature = "sqlx", sqlx(flatten))]
    pub summary: WorkSummary,
    pub is_open_access: Option<bool>,
    pub doi: Option<String>,
    pub arxiv_id: Option<String>,
    pub openalex_id: Option<String>,
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub authors: Vec<BylineEntry>,
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub topics: Vec<super::subjects::SubjectLink>,
    /// The research map around the work, laid out.
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub graph: GraphSlice,
    /// OpenAlex's count of the work's citations.
    pub cited_by_count: Option<i32>,
    /// Citations from works in the catalogue.
    pub citing_count: i32,
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub references: References,
    /// The work as a reference manager reads it (the Cite control).
    #[cfg_attr(feature = "sqlx", sqlx(skip))]
    pub cite: crate::domain::cite::CiteWork,
}

/// What a work cites, in the order its source lists them: linked when the cited work is in the
/// catalogue, else its OpenAlex id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct References {
    pub shown: Vec<Reference>,
    /// All of them, shown or not.
    pub total: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reference {
    /// The cited work's OpenAlex id (`W2963403868`).
    pub key: String,
    pub work: Option<ReferencedWork>,
}

/// A cited work that is in the catalogue.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReferencedWork {
    pub slug: String,
    pub title: String,
    pub year: Option<i32>,
}

/// One page of a newest-first list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkPage {
    pub items: Vec<WorkSummary>,
    pub next: Option<String>,
    pub is_first: bool,
}
