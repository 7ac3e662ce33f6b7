//! A topic's or an institution's page as the server function sends it.

use super::subjects::{InstitutionFacts, LeadingResearcher, SubjectCounts, SubjectKind, SubjectLink};
use serde::{Deserialize, Serialize};

/// Works listed per page of a subject.
pub const WORKS_PER_PAGE: i64 = 20;
/// Researchers listed as leading a subject.
pub const LEADING: i64 = 10;

/// A topic's or an institution's page.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Subject {
    pub kind: SubjectKind,
    pub id: i64,
    /// The page's canonical address (`/topics/machine-learning-12`).
    pub path: String,
    pub name: String,
    /// Broadest first, the subject itself left out: OpenAlex's domain, field and subfield, or the
    /// arXiv archives a category name belongs to.
    pub hierarchy: Vec<String>,
    /// Where the subject comes from: "arxiv" or "openalex".
    pub source: String,
    pub source_key: Option<String>,
    pub institution: Option<InstitutionFacts>,
    pub counts: SubjectCounts,
    pub works: super::works::WorkPage,
    pub most_cited_first: bool,
    pub leading: Vec<LeadingResearcher>,
    pub related: Vec<SubjectLink>,
    pub graph: crate::domain::graph::GraphSlice,
}
