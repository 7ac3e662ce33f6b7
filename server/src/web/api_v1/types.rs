//! The public API's published types: what `/api/v1/` answers, as the OpenAPI document
//! describes them (generated from these definitions) and as clients deserialize them.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A topic or an institution named by a record or a work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubjectRef {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Its page on the site.
    pub url: String,
}

/// A researcher's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Author {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// Where the record was imported from: `arxiv` or `openalex`.
    pub source: String,
    pub orcid: Option<String>,
    pub openalex_id: Option<String>,
    pub works_count: i64,
    pub followers: i64,
    /// Whether the researcher has claimed the record.
    pub claimed: bool,
    pub open_to_collaborate: bool,
    pub url: String,
}

/// A record with its affiliation and main topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuthorDetail {
    #[serde(flatten)]
    pub author: Author,
    pub affiliation: Option<String>,
    pub institution: Option<SubjectRef>,
    pub main_topic: Option<SubjectRef>,
    pub topics_count: i64,
}

/// One author on a work's byline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BylineAuthor {
    pub position: i32,
    pub slug: String,
    pub name: String,
    /// The name as printed on the work.
    pub printed: String,
    pub url: String,
}

/// A work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Work {
    pub id: i64,
    pub slug: String,
    pub title: String,
    /// `article`, `preprint`, `book-chapter`, ...
    #[serde(rename = "type")]
    pub work_type: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub doi: Option<String>,
    pub arxiv_id: Option<String>,
    pub openalex_id: Option<String>,
    pub open_access: Option<bool>,
    /// OpenAlex's count of the work's citations (0 when unknown).
    pub cited_by_count: i64,
    pub url: String,
}

/// A work with its abstract, authors and topics.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkDetail {
    #[serde(flatten)]
    pub work: Work,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub authors: Vec<BylineAuthor>,
    pub topics: Vec<SubjectRef>,
    /// Citations from works in this catalogue.
    pub citing_count: i64,
}

/// A topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Topic {
    pub id: i64,
    pub slug: String,
    pub name: String,
    /// `arxiv` (a category name) or `openalex`.
    pub source: String,
    /// Broadest first: OpenAlex's domain, field and subfield, or the arXiv groups.
    pub hierarchy: Vec<String>,
    pub works_count: i64,
    pub researchers_count: i64,
    pub related: Vec<SubjectRef>,
    pub url: String,
}

/// An institution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Institution {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub ror: Option<String>,
    pub country_code: Option<String>,
    /// OpenAlex's institution type (`education`, `company`, ...).
    pub kind: Option<String>,
    pub homepage_url: Option<String>,
    pub openalex_id: Option<String>,
    pub works_count: i64,
    pub researchers_count: i64,
    pub url: String,
}

/// A page of works. `next_cursor` is absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct WorkList {
    pub results: Vec<Work>,
    pub next_cursor: Option<String>,
}

/// A page of records. `next_cursor` is absent on the last page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AuthorList {
    pub results: Vec<Author>,
    pub next_cursor: Option<String>,
}

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApiError {
    pub error: ErrorBody,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    /// Stable: `not_found`, `invalid_parameter`, `rate_limited`, `unavailable`, `internal`.
    pub code: String,
    pub message: String,
    /// The parameter at fault, for `invalid_parameter`.
    pub parameter: Option<String>,
}
