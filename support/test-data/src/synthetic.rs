//! Synthetic OpenAlex works, made in the test and written as the importer reads them, for tests
//! that need data of a given shape (more works than a page holds, a graph larger than its bound)
//! rather than real records. Ids start at 9, which OpenAlex has not reached.

use serde_json::{json, Value};
use std::io::Write;
use tempfile::NamedTempFile;

/// One author of a synthetic work: OpenAlex author number, name, and institution number if any.
pub struct Author<'a> {
    pub id: u32,
    pub name: &'a str,
    pub institution: Option<u32>,
}

/// An OpenAlex Work object with the fields the importer reads: work `id`, published on `date`
/// (`YYYY-MM-DD`), by `authors` in byline order, about the topics numbered `topics`.
pub fn work(id: u32, title: &str, date: &str, authors: &[Author<'_>], topics: &[u32]) -> Value {
    let year: i32 = date.get(..4).and_then(|y| y.parse().ok()).unwrap_or(2000);
    let authorships: Vec<Value> = authors
        .iter()
        .enumerate()
        .map(|(i, a)| {
            let institutions: Vec<Value> = a
                .institution
                .map(|n| {
                    json!({"id": format!("https://openalex.org/I9{n:08}"), "display_name": format!("Institute {n}"),
                           "country_code": "NL", "type": "education"})
                })
                .into_iter()
                .collect();
            json!({
                "author_position": if i == 0 { "first" } else { "middle" },
                "author": {"id": format!("https://openalex.org/A9{:08}", a.id), "display_name": a.name, "orcid": null},
                "institutions": institutions,
                "raw_author_name": a.name,
            })
        })
        .collect();
    let topics: Vec<Value> = topics
        .iter()
        .map(|t| json!({"id": format!("https://openalex.org/T9{t:08}"), "display_name": format!("Topic {t}"), "score": 0.9}))
        .collect();
    json!({
        "id": format!("https://openalex.org/W9{id:08}"),
        "title": title,
        "display_name": title,
        "publication_year": year,
        "publication_date": date,
        "type": "article",
        "cited_by_count": 0,
        "abstract_inverted_index": {"A": [0], "synthetic": [1], "work.": [2]},
        "primary_location": {"is_oa": true, "landing_page_url": null,
                             "source": {"id": "https://openalex.org/S900000001", "display_name": "Journal of Synthetic Data"}},
        "authorships": authorships,
        "topics": topics,
        "referenced_works": [],
    })
}

/// `records` as one JSON array (OpenAlex's format) in a temporary file, removed when dropped.
pub fn json_array(records: &[Value]) -> NamedTempFile {
    let mut file = NamedTempFile::new().expect("a temporary file");
    serde_json::to_writer(&mut file, records).expect("written");
    file.flush().expect("flushed");
    file
}
