//! Reads the arXiv metadata snapshot (Kaggle `arxiv-metadata-oai-snapshot` JSON lines) into checked
//! work records. Authors are identified by their normalised name; categories become taxonomy topics.

use super::{invalid, RecordError};
use crate::domain::{abstracts, arxiv_taxonomy, ids, names, slug};
use chrono::{Datelike, NaiveDate};
use db::writes::catalogue::{AuthorRecord, BylineEntry, TopicRef, WorkFields, WorkRecord};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct ArxivRecord {
    id: String,
    authors: String,
    title: String,
    #[serde(default)]
    categories: Option<String>,
    #[serde(rename = "abstract", default)]
    abstract_text: Option<String>,
    #[serde(default)]
    doi: Option<String>,
    #[serde(default)]
    update_date: Option<String>,
    #[serde(default)]
    versions: Option<Vec<Version>>,
    #[serde(default)]
    authors_parsed: Option<Vec<Vec<String>>>,
}

#[derive(Debug, Deserialize)]
struct Version {
    created: String,
}

/// A record that passed every check, ready to be written.
#[derive(Debug)]
struct ArxivWork {
    fields: WorkFields,
    work_key: String,
    authors: Vec<String>,
    topics: Vec<String>,
}

fn parse(value: serde_json::Value) -> Result<ArxivWork, RecordError> {
    let record: ArxivRecord =
        serde_json::from_value(value).map_err(|e| invalid(format!("not an arXiv record: {e}")))?;
    let arxiv_id = ids::ArxivId::parse(&record.id).map_err(|e| invalid(e.to_string()))?;
    let title = abstracts::unwrap_arxiv_abstract(&record.title);
    if title.is_empty() {
        return Err(invalid("the title is empty"));
    }
    let authors = names::arxiv_author_names(&record.authors, record.authors_parsed.as_deref());
    if authors.is_empty() {
        return Err(invalid("no author could be read from `authors`"));
    }
    // The first version's date is when the work appeared; the snapshot's `update_date` is the
    // fallback (only its year is meaningful then).
    let first_version = record.versions.as_ref().and_then(|v| v.first()).and_then(|v| parse_version_date(&v.created));
    let updated = record.update_date.as_deref().and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok());
    let year = first_version.or(updated).map(|d| d.year());
    let doi = record
        .doi
        .as_deref()
        .and_then(|raw| raw.split_whitespace().find_map(|d| ids::Doi::parse(d).ok()))
        .map(|d| d.to_string());
    let mut topics: Vec<String> = Vec::new();
    for code in record.categories.as_deref().unwrap_or("").split_whitespace() {
        let name = arxiv_taxonomy::topic_name(code);
        if !topics.contains(&name) {
            topics.push(name);
        }
    }
    let abstract_text = record.abstract_text.as_deref().map(abstracts::unwrap_arxiv_abstract).filter(|a| !a.is_empty());
    Ok(ArxivWork {
        work_key: format!("arxiv:{arxiv_id}"),
        fields: WorkFields {
            source: "arxiv".to_owned(),
            title,
            abstract_text,
            work_type: "preprint".to_owned(),
            year,
            published_on: first_version,
            venue: Some("arXiv".to_owned()),
            is_open_access: Some(true),
            cited_by_count: None,
            arxiv_id: Some(arxiv_id.to_string()),
            openalex_id: None,
            doi,
        },
        authors,
        topics,
    })
}

/// `Mon, 2 Apr 2007 19:18:42 GMT`
fn parse_version_date(raw: &str) -> Option<NaiveDate> {
    chrono::DateTime::parse_from_rfc2822(&raw.replace("GMT", "+0000")).ok().map(|d| d.date_naive())
}

/// Reads and checks an arXiv record: everything the database needs, or why it cannot be stored.
pub(super) fn prepare(value: serde_json::Value) -> Result<WorkRecord, String> {
    let work = parse(value).map_err(|RecordError::Invalid(reason)| reason)?;
    let slug = slug::work_slug(&work.fields.title, &work.work_key);
    let byline = work
        .authors
        .into_iter()
        .map(|name| {
            let key = names::name_key(&name);
            BylineEntry {
                author: AuthorRecord {
                    source: "arxiv",
                    slug: slug::author_slug(&name, "arxiv", &key),
                    search_name: key.clone(),
                    source_key: key,
                    display_name: name.clone(),
                    openalex_id: None,
                    orcid: None,
                },
                printed: name,
                institutions: Vec::new(),
            }
        })
        .collect();
    let topics = work
        .topics
        .into_iter()
        .map(|name| TopicRef { key: name.clone(), name, score: None, hierarchy: None })
        .collect();
    Ok(WorkRecord { fields: work.fields, slug, byline, topic_source: "arxiv", topics, references: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_sample_record_parses_with_decoded_authors_and_its_first_version_date() {
        let work = parse(json!({
            "id": "0704.0001", "authors": "C. Bal\\'azs, E. L. Berger", "title": "Calculation of\n  prompt",
            "categories": "hep-ph", "abstract": "  A fully\ndifferential", "doi": "10.1103/PhysRevD.76.013009",
            "update_date": "2008-11-26",
            "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}]
        }))
        .map_err(|e| format!("{e:?}"));
        let work = work.as_ref().expect("parses");
        assert_eq!(work.authors, ["C. Balázs", "E. L. Berger"]);
        assert_eq!(work.fields.title, "Calculation of prompt");
        assert_eq!(work.fields.year, Some(2007));
        assert_eq!(work.fields.doi.as_deref(), Some("10.1103/physrevd.76.013009"));
        assert_eq!(work.topics, ["High Energy Physics - Phenomenology"]);
    }

    #[test]
    fn aliased_categories_become_one_topic() {
        let work = parse(json!({"id": "1806.01796", "authors": "A B", "title": "T", "categories": "stat.ML cs.LG",
                                 "update_date": "2022-01-01"}));
        assert_eq!(work.map(|w| w.topics).ok(), Some(vec!["Machine Learning".to_owned()]));
    }

    #[test]
    fn records_without_an_id_title_or_authors_are_refused_with_a_reason() {
        let no_id = parse(json!({"id": "nope", "authors": "A B", "title": "T"}));
        assert!(matches!(no_id, Err(RecordError::Invalid(r)) if r.contains("arXiv identifier")));
        let no_title = parse(json!({"id": "1806.01796", "authors": "A B", "title": "  "}));
        assert!(matches!(no_title, Err(RecordError::Invalid(r)) if r.contains("title")));
        let no_authors = parse(json!({"id": "1806.01796", "authors": " , ", "title": "T"}));
        assert!(matches!(no_authors, Err(RecordError::Invalid(r)) if r.contains("author")));
        let wrong_shape = parse(json!({"id": 5}));
        assert!(matches!(wrong_shape, Err(RecordError::Invalid(r)) if r.contains("not an arXiv record")));
    }
}
