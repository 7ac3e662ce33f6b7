//! OpenAlex works, authors and institutions (JSON arrays of OpenAlex objects). Authors are
//! identified by their OpenAlex id and linked to other records of the same ORCID.

use super::{invalid, RecordError};
use crate::domain::{abstracts, ids, names, slug};
use crate::ssr::db::catalogue::{self, AuthorIdentity, Change, InstitutionFields, WorkFields};
use chrono::NaiveDate;
use serde::Deserialize;
use sqlx::PgConnection;
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

async fn store_institution_ref(
    conn: &mut PgConnection,
    inst: &OaInstitution,
    full: bool,
) -> Result<Option<(i64, Change)>, RecordError> {
    let (Some(raw_id), Some(name)) = (inst.id.as_deref(), non_empty(inst.display_name.as_deref())) else {
        return Ok(None);
    };
    let Ok(id) = ids::OpenAlexId::parse(raw_id) else {
        return Ok(None);
    };
    let fields = InstitutionFields {
        openalex_id: id.as_str(),
        ror: non_empty(inst.ror.as_deref()),
        display_name: name,
        country_code: non_empty(inst.country_code.as_deref()),
        kind: non_empty(inst.kind.as_deref()),
        homepage_url: non_empty(inst.homepage_url.as_deref()),
    };
    let (id, change) = catalogue::upsert_institution(conn, &fields, full).await?;
    // The homepage's domain lets a claimant's institutional e-mail be matched to it.
    if let Some(domain) = fields.homepage_url.and_then(crate::domain::claims::web_domain) {
        catalogue::add_institution_domain(&mut *conn, id, &domain).await?;
    }
    Ok(Some((id, change)))
}

async fn store_author_ref(
    conn: &mut PgConnection,
    id: &ids::OpenAlexId,
    name: &str,
    orcid: Option<&str>,
) -> Result<(i64, Change), RecordError> {
    let key = id.as_str().to_ascii_lowercase();
    let author_slug = slug::author_slug(name, "openalex", &key);
    let search_name = names::name_key(name);
    let identity = AuthorIdentity {
        source: "openalex",
        source_key: &key,
        slug: &author_slug,
        display_name: name,
        search_name: &search_name,
        openalex_id: Some(id.as_str()),
        orcid,
    };
    let (author_id, mut change) = catalogue::upsert_author(conn, &identity).await?;
    if let Some(orcid) = orcid {
        change = change.and(catalogue::link_by_orcid(conn, orcid).await?);
    }
    Ok((author_id, change))
}

pub(super) async fn store_work(conn: &mut PgConnection, value: serde_json::Value) -> Result<Change, RecordError> {
    let work: OaWork = serde_json::from_value(value).map_err(|e| invalid(format!("not an OpenAlex work: {e}")))?;
    let id = openalex_id(&work.id, 'W')?;
    let title = non_empty(work.title.as_deref().or(work.display_name.as_deref()))
        .ok_or_else(|| invalid("the work has no title"))?
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
    let (work_id, mut change, from_other_source) = catalogue::upsert_work(conn, &fields, &slug).await?;

    // Authors of the byline; an authorship without an OpenAlex author id is left out.
    let mut byline: Vec<(i64, String, Option<String>, Vec<i64>)> = Vec::with_capacity(work.authorships.len());
    for authorship in &work.authorships {
        let (Some(raw_id), Some(name)) =
            (authorship.author.id.as_deref(), non_empty(authorship.author.display_name.as_deref()))
        else {
            continue;
        };
        let Ok(author_id) = openalex_id(raw_id, 'A') else {
            continue;
        };
        let author_orcid = orcid(authorship.author.orcid.as_deref());
        let (stored_id, author_change) = store_author_ref(conn, &author_id, name, author_orcid.as_deref()).await?;
        change = change.and(author_change);
        let mut institutions = Vec::new();
        for inst in &authorship.institutions {
            if let Some((inst_id, inst_change)) = store_institution_ref(conn, inst, false).await? {
                change = change.and(inst_change);
                if !institutions.contains(&inst_id) {
                    institutions.push(inst_id);
                }
            }
        }
        let printed = non_empty(authorship.raw_author_name.as_deref()).unwrap_or(name).to_owned();
        byline.push((stored_id, printed, author_orcid, institutions));
    }

    if from_other_source {
        // The arXiv byline stays; link each arXiv author to the OpenAlex author printed at the
        // same position under the same name, and give the authorship its institutions.
        let stored = catalogue::byline(conn, work_id).await?;
        for ((position, arxiv_author, key), (oa_author, printed, author_orcid, institutions)) in
            stored.iter().zip(&byline)
        {
            if *key == names::name_key(printed) {
                change =
                    change.and(catalogue::adopt_orcid(conn, *arxiv_author, author_orcid.as_deref(), *oa_author).await?);
                if let Some(orcid) = author_orcid.as_deref() {
                    change = change.and(catalogue::link_by_orcid(conn, orcid).await?);
                }
                change =
                    change.and(catalogue::set_authorship_institutions(conn, work_id, *position, institutions).await?);
            }
        }
    } else {
        let authors: Vec<(i64, String)> = byline.iter().map(|(id, name, _, _)| (*id, name.clone())).collect();
        change = change.and(catalogue::set_authorships(conn, work_id, &authors).await?);
        for (index, (_, _, _, institutions)) in byline.iter().enumerate() {
            let position = i16::try_from(index + 1).unwrap_or(i16::MAX);
            change = change.and(catalogue::set_authorship_institutions(conn, work_id, position, institutions).await?);
        }
    }

    let mut topic_ids = Vec::new();
    if work.topics.is_empty() {
        let mut concepts: Vec<&OaConcept> = work
            .concepts
            .iter()
            .filter(|c| c.level.unwrap_or(0) >= 1 && c.score.unwrap_or(0.0) >= MIN_CONCEPT_SCORE)
            .collect();
        concepts.sort_by(|a, b| b.score.unwrap_or(0.0).total_cmp(&a.score.unwrap_or(0.0)));
        for concept in concepts.into_iter().take(MAX_CONCEPTS) {
            if let Ok(cid) = ids::OpenAlexId::parse(&concept.id) {
                let topic = catalogue::upsert_topic(conn, "openalex", cid.as_str(), &concept.display_name).await?;
                topic_ids.push((topic, concept.score.map(|s| s as f32)));
            }
        }
    } else {
        for topic in &work.topics {
            if let Ok(tid) = ids::OpenAlexId::parse(&topic.id) {
                let stored = catalogue::upsert_topic(conn, "openalex", tid.as_str(), &topic.display_name).await?;
                topic_ids.push((stored, topic.score.map(|s| s as f32)));
            }
        }
    }
    change = change.and(catalogue::set_work_topics(conn, work_id, "openalex", &topic_ids).await?);
    Ok(change)
}

pub(super) async fn store_author(conn: &mut PgConnection, value: serde_json::Value) -> Result<Change, RecordError> {
    let author: OaAuthor =
        serde_json::from_value(value).map_err(|e| invalid(format!("not an OpenAlex author: {e}")))?;
    let id = openalex_id(&author.id, 'A')?;
    let name = non_empty(author.display_name.as_deref()).ok_or_else(|| invalid("the author has no display_name"))?;
    let author_orcid = orcid(author.orcid.as_deref());
    let (author_id, mut change) = store_author_ref(conn, &id, name, author_orcid.as_deref()).await?;

    let last_known: Vec<&str> = author.last_known_institutions.iter().filter_map(|i| i.id.as_deref()).collect();
    let mut rows: Vec<(i64, Option<i32>, bool)> = Vec::new();
    for affiliation in &author.affiliations {
        if let Some((inst_id, inst_change)) = store_institution_ref(conn, &affiliation.institution, false).await? {
            change = change.and(inst_change);
            let is_last = affiliation.institution.id.as_deref().is_some_and(|i| last_known.contains(&i));
            if !rows.iter().any(|r| r.0 == inst_id) {
                rows.push((inst_id, affiliation.years.iter().max().copied(), is_last));
            }
        }
    }
    for inst in &author.last_known_institutions {
        if let Some((inst_id, inst_change)) = store_institution_ref(conn, inst, false).await? {
            change = change.and(inst_change);
            if !rows.iter().any(|r| r.0 == inst_id) {
                rows.push((inst_id, None, true));
            }
        }
    }
    change = change.and(catalogue::set_affiliations(conn, author_id, &rows).await?);

    let mut topics = Vec::new();
    for topic in &author.topics {
        if let Ok(tid) = ids::OpenAlexId::parse(&topic.id) {
            let stored = catalogue::upsert_topic(conn, "openalex", tid.as_str(), &topic.display_name).await?;
            if !topics.iter().any(|(t, _)| *t == stored) {
                topics.push((stored, topic.count));
            }
        }
    }
    change = change.and(catalogue::set_author_topics(conn, author_id, &topics).await?);
    Ok(change)
}

pub(super) async fn store_institution(
    conn: &mut PgConnection,
    value: serde_json::Value,
) -> Result<Change, RecordError> {
    let inst: OaInstitution =
        serde_json::from_value(value).map_err(|e| invalid(format!("not an OpenAlex institution: {e}")))?;
    let raw_id = inst.id.as_deref().ok_or_else(|| invalid("the institution has no id"))?;
    openalex_id(raw_id, 'I')?;
    if non_empty(inst.display_name.as_deref()).is_none() {
        return Err(invalid("the institution has no display_name"));
    }
    match store_institution_ref(conn, &inst, true).await? {
        Some((_, change)) => Ok(change),
        None => Err(invalid("the institution could not be read")),
    }
}
