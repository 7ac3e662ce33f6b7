//! Reads OpenAlex works, authors and institutions (OpenAlex objects) into checked records. Authors
//! are identified by their OpenAlex id and linked to other records of the same ORCID.

use super::{invalid, RecordError};
use crate::domain::{abstracts, ids, names, slug};
use chrono::NaiveDate;
use db::writes::catalogue::{
    AuthorRecord, BylineEntry, InstitutionRecord, SourceFigures, TopicRef, WorkFields, WorkRecord, YearCount,
};
use serde::Deserialize;
use std::collections::HashMap;

/// OpenAlex's source id for arXiv.
const ARXIV_SOURCE: &str = "https://openalex.org/S4306400194";
/// Concepts kept per work when a work has no `topics`: the strongest few, not the long tail.
const MAX_CONCEPTS: usize = 3;
const MIN_CONCEPT_SCORE: f64 = 0.5;

#[derive(Debug, Deserialize)]
struct OaWork {
    id: String,
    title: Option<String>,
    display_name: Option<String>,
    abstract_inverted_index: Option<HashMap<String, Vec<u32>>>,
    publication_year: Option<i32>,
    publication_date: Option<String>,
    cited_by_count: Option<i32>,
    doi: Option<String>,
    primary_location: Option<OaLocation>,
    #[serde(default, deserialize_with = "null_as_default")]
    concepts: Vec<OaConcept>,
    #[serde(default, deserialize_with = "null_as_default")]
    topics: Vec<OaTopic>,
    #[serde(default, deserialize_with = "null_as_default")]
    authorships: Vec<OaAuthorship>,
    #[serde(rename = "type")]
    work_type: Option<String>,
    open_access: Option<OaOpenAccess>,
    #[serde(default, deserialize_with = "null_as_default")]
    referenced_works: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct OaLocation {
    is_oa: Option<bool>,
    landing_page_url: Option<String>,
    source: Option<OaSource>,
}

#[derive(Debug, Deserialize)]
struct OaSource {
    id: Option<String>,
    display_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OaOpenAccess {
    is_oa: Option<bool>,
}

#[derive(Debug, Deserialize)]
struct OaConcept {
    id: String,
    display_name: String,
    level: Option<u8>,
    score: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct OaTopic {
    id: String,
    display_name: String,
    score: Option<f64>,
    count: Option<i32>,
    domain: Option<OaNamed>,
    field: Option<OaNamed>,
    subfield: Option<OaNamed>,
}

/// A level of OpenAlex's topic hierarchy.
#[derive(Debug, Deserialize)]
struct OaNamed {
    display_name: String,
}

impl OaTopic {
    /// Domain, field and subfield, when OpenAlex gives all three.
    fn hierarchy(&self) -> Option<[String; 3]> {
        let name = |n: &Option<OaNamed>| n.as_ref().map(|n| n.display_name.trim().to_owned()).filter(|n| !n.is_empty());
        Some([name(&self.domain)?, name(&self.field)?, name(&self.subfield)?])
    }
}

#[derive(Debug, Deserialize)]
struct OaAuthorship {
    author: OaAuthorRef,
    #[serde(default, deserialize_with = "null_as_default")]
    institutions: Vec<OaInstitution>,
    raw_author_name: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OaAuthorRef {
    id: Option<String>,
    display_name: Option<String>,
    orcid: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OaInstitution {
    id: Option<String>,
    display_name: Option<String>,
    ror: Option<String>,
    country_code: Option<String>,
    #[serde(rename = "type")]
    kind: Option<String>,
    homepage_url: Option<String>,
}

#[derive(Debug, Deserialize)]
struct OaAuthor {
    id: String,
    display_name: Option<String>,
    orcid: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    affiliations: Vec<OaAffiliation>,
    #[serde(default, deserialize_with = "null_as_default")]
    last_known_institutions: Vec<OaInstitution>,
    #[serde(default, deserialize_with = "null_as_default")]
    topics: Vec<OaTopic>,
    cited_by_count: Option<i32>,
    summary_stats: Option<OaSummaryStats>,
    #[serde(default, deserialize_with = "null_as_default")]
    counts_by_year: Vec<OaYearCount>,
}

#[derive(Debug, Deserialize)]
struct OaSummaryStats {
    h_index: Option<i32>,
    i10_index: Option<i32>,
}

#[derive(Debug, Deserialize)]
struct OaYearCount {
    year: i32,
    #[serde(default)]
    works_count: i32,
    #[serde(default)]
    cited_by_count: i32,
}

#[derive(Debug, Deserialize)]
struct OaAffiliation {
    institution: OaInstitution,
    #[serde(default, deserialize_with = "null_as_default")]
    years: Vec<i32>,
}

/// OpenAlex writes `null` for an empty list in places; read it as empty.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

fn openalex_id(raw: &str, kind: char) -> Result<ids::OpenAlexId, RecordError> {
    let id = ids::OpenAlexId::parse(raw).map_err(|e| invalid(e.to_string()))?;
    if id.kind() == kind {
        Ok(id)
    } else {
        Err(invalid(format!("`{raw}` is not an OpenAlex {kind} id")))
    }
}

fn orcid(raw: Option<&str>) -> Option<String> {
    raw.and_then(|r| ids::Orcid::parse(r).ok()).map(|o| o.to_string())
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// A byline or affiliation institution, when it has an OpenAlex id and a name.
fn institution_record(inst: &OaInstitution) -> Option<InstitutionRecord> {
    let (Some(raw_id), Some(name)) = (inst.id.as_deref(), non_empty(inst.display_name.as_deref())) else {
        return None;
    };
    let id = ids::OpenAlexId::parse(raw_id).ok()?;
    let homepage_url = non_empty(inst.homepage_url.as_deref()).map(str::to_owned);
    Some(InstitutionRecord {
        openalex_id: id.as_str().to_owned(),
        ror: non_empty(inst.ror.as_deref()).map(str::to_owned),
        display_name: name.to_owned(),
        country_code: non_empty(inst.country_code.as_deref()).map(str::to_owned),
        kind: non_empty(inst.kind.as_deref()).map(str::to_owned),
        // The homepage's domain lets a claimant's institutional e-mail be matched to it.
        domain: homepage_url.as_deref().and_then(crate::domain::claims::web_domain),
        homepage_url,
    })
}

fn author_record(id: &ids::OpenAlexId, name: &str, orcid: Option<String>) -> AuthorRecord {
    let key = id.as_str().to_ascii_lowercase();
    AuthorRecord {
        source: "openalex",
        slug: slug::author_slug(name, "openalex", &key),
        search_name: names::name_key(name),
        source_key: key,
        display_name: name.to_owned(),
        openalex_id: Some(id.as_str().to_owned()),
        orcid,
    }
}

/// Reads and checks an OpenAlex work: everything the database needs, or why it cannot be stored.
pub(super) fn prepare_work(value: serde_json::Value) -> Result<WorkRecord, String> {
    let work: OaWork = serde_json::from_value(value).map_err(|e| format!("not an OpenAlex work: {e}"))?;
    let id = openalex_id(&work.id, 'W').map_err(reason)?;
    let title = non_empty(work.title.as_deref().or(work.display_name.as_deref()))
        .ok_or_else(|| "the work has no title".to_owned())?
        .to_owned();
    let doi = work.doi.as_deref().and_then(|d| ids::Doi::parse(d).ok());
    let location = work.primary_location.as_ref();
    let on_arxiv = location.and_then(|l| l.source.as_ref()).and_then(|s| s.id.as_deref()) == Some(ARXIV_SOURCE);
    let arxiv_id = doi.as_ref().and_then(ids::Doi::arxiv_id).or_else(|| {
        let url = location.and_then(|l| l.landing_page_url.as_deref()).filter(|_| on_arxiv)?;
        ids::ArxivId::parse(url.rsplit('/').next()?).ok()
    });
    let venue = if on_arxiv {
        Some("arXiv".to_owned())
    } else {
        location.and_then(|l| l.source.as_ref()).and_then(|s| non_empty(s.display_name.as_deref())).map(str::to_owned)
    };
    let abstract_text = work
        .abstract_inverted_index
        .as_ref()
        .and_then(|index| abstracts::from_inverted_index(index.iter().map(|(w, p)| (w.as_str(), p.iter().copied()))));
    let fields = WorkFields {
        source: "openalex".to_owned(),
        title,
        abstract_text,
        work_type: non_empty(work.work_type.as_deref()).unwrap_or("article").to_owned(),
        year: work.publication_year,
        published_on: work.publication_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
        venue,
        is_open_access: work.open_access.as_ref().and_then(|o| o.is_oa).or(location.and_then(|l| l.is_oa)),
        cited_by_count: work.cited_by_count,
        arxiv_id: arxiv_id.map(|a| a.to_string()),
        openalex_id: Some(id.to_string()),
        doi: doi.map(|d| d.to_string()),
    };
    let slug = slug::work_slug(&fields.title, &format!("openalex:{id}"));

    // Authors of the byline; an authorship without an OpenAlex author id is left out.
    let mut byline = Vec::with_capacity(work.authorships.len());
    for authorship in &work.authorships {
        let (Some(raw_id), Some(name)) =
            (authorship.author.id.as_deref(), non_empty(authorship.author.display_name.as_deref()))
        else {
            continue;
        };
        let Ok(author_id) = openalex_id(raw_id, 'A') else {
            continue;
        };
        let mut institutions: Vec<InstitutionRecord> = Vec::new();
        for inst in authorship.institutions.iter().filter_map(institution_record) {
            if !institutions.iter().any(|i| i.openalex_id == inst.openalex_id) {
                institutions.push(inst);
            }
        }
        byline.push(BylineEntry {
            author: author_record(&author_id, name, orcid(authorship.author.orcid.as_deref())),
            printed: non_empty(authorship.raw_author_name.as_deref()).unwrap_or(name).to_owned(),
            institutions,
        });
    }

    let mut topics: Vec<TopicRef> = Vec::new();
    let mut add_topic = |raw_id: &str, name: &str, score: Option<f64>, hierarchy: Option<[String; 3]>| {
        if let Ok(tid) = ids::OpenAlexId::parse(raw_id) {
            if !topics.iter().any(|t| t.key == tid.as_str()) {
                topics.push(TopicRef {
                    key: tid.as_str().to_owned(),
                    name: name.to_owned(),
                    score: score.map(|s| s as f32),
                    hierarchy,
                });
            }
        }
    };
    if work.topics.is_empty() {
        let mut concepts: Vec<&OaConcept> = work
            .concepts
            .iter()
            .filter(|c| c.level.unwrap_or(0) >= 1 && c.score.unwrap_or(0.0) >= MIN_CONCEPT_SCORE)
            .collect();
        concepts.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
        for concept in concepts.into_iter().take(MAX_CONCEPTS) {
            add_topic(&concept.id, &concept.display_name, concept.score, None);
        }
    } else {
        for topic in &work.topics {
            add_topic(&topic.id, &topic.display_name, topic.score, topic.hierarchy());
        }
    }
    let mut references: Vec<String> = Vec::with_capacity(work.referenced_works.len());
    for cited in work.referenced_works.iter().filter_map(|raw| openalex_id(raw, 'W').ok()) {
        let cited = cited.to_string();
        if !references.contains(&cited) {
            references.push(cited);
        }
    }
    Ok(WorkRecord { fields, slug, byline, topic_source: "openalex", topics, references: Some(references) })
}

fn reason(RecordError::Invalid(reason): RecordError) -> String {
    reason
}

/// One of an author's topics as OpenAlex lists it.
#[derive(Debug)]
pub(crate) struct AuthorTopic {
    pub key: String,
    pub name: String,
    /// The author's works on it.
    pub works: Option<i32>,
    pub hierarchy: Option<[String; 3]>,
}

/// An OpenAlex author checked and read: its record, affiliations (institution, last year, last
/// known) and topics.
#[derive(Debug)]
pub(crate) struct AuthorEntry {
    pub author: AuthorRecord,
    pub affiliations: Vec<(InstitutionRecord, Option<i32>, bool)>,
    pub topics: Vec<AuthorTopic>,
    pub figures: SourceFigures,
}

pub(super) fn prepare_author(value: serde_json::Value) -> Result<AuthorEntry, String> {
    let author: OaAuthor = serde_json::from_value(value).map_err(|e| format!("not an OpenAlex author: {e}"))?;
    let id = openalex_id(&author.id, 'A').map_err(reason)?;
    let name = non_empty(author.display_name.as_deref()).ok_or_else(|| "the author has no display_name".to_owned())?;
    let last_known: Vec<&str> = author.last_known_institutions.iter().filter_map(|i| i.id.as_deref()).collect();
    let mut affiliations: Vec<(InstitutionRecord, Option<i32>, bool)> = Vec::new();
    for affiliation in &author.affiliations {
        if let Some(inst) = institution_record(&affiliation.institution) {
            let is_last = affiliation.institution.id.as_deref().is_some_and(|i| last_known.contains(&i));
            if !affiliations.iter().any(|r| r.0.openalex_id == inst.openalex_id) {
                affiliations.push((inst, affiliation.years.iter().max().copied(), is_last));
            }
        }
    }
    for inst in author.last_known_institutions.iter().filter_map(institution_record) {
        if !affiliations.iter().any(|r| r.0.openalex_id == inst.openalex_id) {
            affiliations.push((inst, None, true));
        }
    }
    let mut topics: Vec<AuthorTopic> = Vec::new();
    for topic in &author.topics {
        if let Ok(tid) = ids::OpenAlexId::parse(&topic.id) {
            if !topics.iter().any(|t| t.key == tid.as_str()) {
                topics.push(AuthorTopic {
                    key: tid.as_str().to_owned(),
                    name: topic.display_name.clone(),
                    works: topic.count,
                    hierarchy: topic.hierarchy(),
                });
            }
        }
    }
    let mut by_year: Vec<YearCount> = Vec::new();
    for count in &author.counts_by_year {
        if !by_year.iter().any(|y| y.year == count.year) {
            by_year.push(YearCount { year: count.year, works: count.works_count, citations: count.cited_by_count });
        }
    }
    by_year.sort_by_key(|y| y.year);
    let figures = SourceFigures {
        cited_by_count: author.cited_by_count,
        h_index: author.summary_stats.as_ref().and_then(|s| s.h_index),
        i10_index: author.summary_stats.as_ref().and_then(|s| s.i10_index),
        by_year,
    };
    Ok(AuthorEntry { author: author_record(&id, name, orcid(author.orcid.as_deref())), affiliations, topics, figures })
}

pub(super) fn prepare_institution(value: serde_json::Value) -> Result<InstitutionRecord, String> {
    let inst: OaInstitution = serde_json::from_value(value).map_err(|e| format!("not an OpenAlex institution: {e}"))?;
    let raw_id = inst.id.as_deref().ok_or_else(|| "the institution has no id".to_owned())?;
    openalex_id(raw_id, 'I').map_err(reason)?;
    if non_empty(inst.display_name.as_deref()).is_none() {
        return Err("the institution has no display_name".to_owned());
    }
    institution_record(&inst).ok_or_else(|| "the institution could not be read".to_owned())
}
