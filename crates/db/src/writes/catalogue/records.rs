//! A work record as an importer hands it to the database, validated and complete: its fields,
//! its byline (authors, institutions) and its topics. Owned, so records can be batched.

use super::{AuthorIdentity, InstitutionFields, WorkFields};

/// One work, ready to be written by the batch merge or, record by record, by the importer.
#[derive(Debug, Clone)]
pub struct WorkRecord {
    pub fields: WorkFields,
    pub slug: String,
    pub byline: Vec<BylineEntry>,
    /// `arxiv` or `openalex`: the topics of this source are replaced, others kept.
    pub topic_source: &'static str,
    /// Distinct topics, in order.
    pub topics: Vec<TopicRef>,
    /// The OpenAlex ids of the works it cites (`W…`), distinct, when its source lists them
    /// (`None`: the source says nothing of references, so stored ones are kept).
    pub references: Option<Vec<String>>,
}

/// An author of a work at one byline position (1-based, in order).
#[derive(Debug, Clone)]
pub struct BylineEntry {
    pub author: AuthorRecord,
    /// The name as printed on the work.
    pub printed: String,
    /// Distinct institutions the author wrote from (OpenAlex only).
    pub institutions: Vec<InstitutionRecord>,
}

/// The owned form of [`AuthorIdentity`].
#[derive(Debug, Clone)]
pub struct AuthorRecord {
    pub source: &'static str,
    pub source_key: String,
    pub slug: String,
    pub display_name: String,
    pub search_name: String,
    pub openalex_id: Option<String>,
    pub orcid: Option<String>,
}

impl AuthorRecord {
    pub fn identity(&self) -> AuthorIdentity<'_> {
        AuthorIdentity {
            source: self.source,
            source_key: &self.source_key,
            slug: &self.slug,
            display_name: &self.display_name,
            search_name: &self.search_name,
            openalex_id: self.openalex_id.as_deref(),
            orcid: self.orcid.as_deref(),
        }
    }
}

/// The owned form of [`InstitutionFields`], with the web domain of its homepage.
#[derive(Debug, Clone)]
pub struct InstitutionRecord {
    pub openalex_id: String,
    pub ror: Option<String>,
    pub display_name: String,
    pub country_code: Option<String>,
    pub kind: Option<String>,
    pub homepage_url: Option<String>,
    pub domain: Option<String>,
}

impl InstitutionRecord {
    pub fn fields(&self) -> InstitutionFields<'_> {
        InstitutionFields {
            openalex_id: &self.openalex_id,
            ror: self.ror.as_deref(),
            display_name: &self.display_name,
            country_code: self.country_code.as_deref(),
            kind: self.kind.as_deref(),
            homepage_url: self.homepage_url.as_deref(),
        }
    }
}

/// A topic of a work: its key within the record's topic source, its name and score.
#[derive(Debug, Clone)]
pub struct TopicRef {
    pub key: String,
    pub name: String,
    pub score: Option<f32>,
    /// OpenAlex's domain, field and subfield above the topic, when the source gives them.
    pub hierarchy: Option<[String; 3]>,
}
