//! Topics and institutions as their pages show them, and a link to one from anywhere else.

use serde::{Deserialize, Serialize};

/// A topic or an institution named somewhere (a chip, a related topic), with its page's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubjectLink {
    pub id: i64,
    pub href: String,
    pub name: String,
}

impl SubjectLink {
    pub fn topic(id: i64, name: String) -> Self {
        Self { id, href: format!("/topics/{}", crate::domain::slug::subject_slug(&name, id)), name }
    }

    pub fn institution(id: i64, name: String) -> Self {
        Self { id, href: format!("/institutions/{}", crate::domain::slug::subject_slug(&name, id)), name }
    }

    /// The last part of its page's address (`machine-learning-12`).
    pub fn slug(&self) -> &str {
        self.href.rsplit('/').next().unwrap_or_default()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SubjectKind {
    Topic,
    Institution,
}

impl SubjectKind {
    /// The first part of the page's address.
    pub fn path(self) -> &'static str {
        match self {
            Self::Topic => "topics",
            Self::Institution => "institutions",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Topic => "Topic",
            Self::Institution => "Institution",
        }
    }
}

/// A ROR id as stored (`https://ror.org/000000101` or bare), bare (`000000101`).
pub fn ror_id(raw: &str) -> &str {
    let raw = raw.trim();
    raw.strip_prefix("https://ror.org/").or_else(|| raw.strip_prefix("http://ror.org/")).unwrap_or(raw)
}

/// What an institution has beyond its name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct InstitutionFacts {
    pub country_code: Option<String>,
    pub ror: Option<String>,
    pub kind: Option<String>,
    pub homepage_url: Option<String>,
    pub openalex_id: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct SubjectCounts {
    pub works: i64,
    pub researchers: i64,
    /// OpenAlex's citation counts of the works, summed.
    pub citations: i64,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
}

/// A researcher with many works on the subject.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct LeadingResearcher {
    pub slug: String,
    pub name: String,
    pub works: i32,
}

/// A topic or an institution as every view of it reads it (its page, the JSON API): its own
/// fields, its place in the hierarchy, its cached counts and, for a topic, the topics most often
/// on the same works.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubjectAbout {
    pub kind: SubjectKind,
    pub link: SubjectLink,
    /// Broadest first, the subject itself left out: OpenAlex's domain, field and subfield, or the
    /// arXiv groups a category name belongs to.
    pub hierarchy: Vec<String>,
    /// Where the subject comes from: "arxiv" or "openalex".
    pub source: String,
    pub source_key: Option<String>,
    pub institution: Option<InstitutionFacts>,
    pub counts: SubjectCounts,
    pub related: Vec<SubjectLink>,
}
