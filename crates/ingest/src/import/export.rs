//! Writes the catalogue's works as OpenAlex Work objects (the fields the importer reads), gzipped
//! JSON lines in OpenAlex's snapshot layout `DIR/updated_date=YYYY-MM-DD/part_NNN.gz`: streamed a
//! page of works at a time, in constant memory, so a catalogue can be re-imported at volume.
//! A work, author or topic the catalogue has no OpenAlex id for (an arXiv record) gets one made
//! from its row id (`W9…`, `A9…`, `T9…`), so every record survives the round trip.

use db::writes::catalogue::{self, ExportAuthorship, ExportInstitution, ExportTopic, ExportWork};
use flate2::write::GzEncoder;
use flate2::Compression;
use serde_json::{json, Map, Value};
use sqlx::PgPool;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Works read from the database per query.
const PAGE: i64 = 1000;
const ARXIV_SOURCE: &str = "https://openalex.org/S4306400194";

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("cannot write {path}: {reason}")]
    Unwritable { path: String, reason: String },
    #[error("the database failed during the export: {0}")]
    Database(#[from] sqlx::Error),
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct ExportSummary {
    pub works: usize,
    pub files: Vec<PathBuf>,
}

/// Writes every work into `dir`, `part_size` works a file.
pub async fn export_openalex_works(pool: &PgPool, dir: &Path, part_size: usize) -> Result<ExportSummary, ExportError> {
    let folder = dir.join(format!("updated_date={}", chrono::Utc::now().date_naive().format("%Y-%m-%d")));
    let unwritable = |path: &Path, e: std::io::Error| ExportError::Unwritable {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    std::fs::create_dir_all(&folder).map_err(|e| unwritable(&folder, e))?;
    let mut conn = pool.acquire().await?;
    let mut summary = ExportSummary::default();
    let mut part: Option<(PathBuf, GzEncoder<BufWriter<File>>)> = None;
    let mut in_part = 0;
    let mut after = 0;
    loop {
        let page = catalogue::export_page(&mut conn, after, PAGE).await?;
        let Some(last) = page.works.last() else { break };
        after = last.id;
        let (mut authorships, mut institutions, mut topics) =
            (page.authorships.iter().peekable(), page.institutions.iter().peekable(), page.topics.iter().peekable());
        for work in &page.works {
            let byline: Vec<&ExportAuthorship> = take_while_work(&mut authorships, work.id, |a| a.work_id);
            let insts: Vec<&ExportInstitution> = take_while_work(&mut institutions, work.id, |i| i.work_id);
            let work_topics: Vec<&ExportTopic> = take_while_work(&mut topics, work.id, |t| t.work_id);
            if part.is_none() || in_part >= part_size.max(1) {
                if let Some((path, encoder)) = part.take() {
                    finish(encoder).map_err(|e| unwritable(&path, e))?;
                    summary.files.push(path);
                }
                let path = folder.join(format!("part_{:03}.gz", summary.files.len()));
                let file = File::create(&path).map_err(|e| unwritable(&path, e))?;
                part = Some((path, GzEncoder::new(BufWriter::new(file), Compression::fast())));
                in_part = 0;
            }
            if let Some((path, encoder)) = part.as_mut() {
                let value = work_object(work, &byline, &insts, &work_topics);
                serde_json::to_writer(&mut *encoder, &value).map_err(|e| unwritable(path, e.into()))?;
                encoder.write_all(b"\n").map_err(|e| unwritable(path, e))?;
            }
            in_part += 1;
            summary.works += 1;
        }
    }
    if let Some((path, encoder)) = part.take() {
        finish(encoder).map_err(|e| unwritable(&path, e))?;
        summary.files.push(path);
    }
    Ok(summary)
}

fn finish(encoder: GzEncoder<BufWriter<File>>) -> std::io::Result<()> {
    encoder.finish()?.into_inner().map_err(|e| e.into_error())?.sync_all()
}

/// The leading rows of `rows` that belong to `work_id` (both are ordered by work).
fn take_while_work<'a, T>(
    rows: &mut std::iter::Peekable<std::slice::Iter<'a, T>>,
    work_id: i64,
    of: impl Fn(&T) -> i64,
) -> Vec<&'a T> {
    let mut taken = Vec::new();
    while let Some(row) = rows.next_if(|r| of(*r) <= work_id) {
        if of(row) == work_id {
            taken.push(row);
        }
    }
    taken
}

fn openalex_url(id: Option<&str>, kind: char, row_id: i64) -> String {
    match id {
        Some(id) => format!("https://openalex.org/{id}"),
        None => format!("https://openalex.org/{kind}9{row_id:010}"),
    }
}

fn work_object(
    work: &ExportWork,
    byline: &[&ExportAuthorship],
    institutions: &[&ExportInstitution],
    topics: &[&ExportTopic],
) -> Value {
    let doi = work.fields.doi.clone().or_else(|| work.fields.arxiv_id.as_ref().map(|a| format!("10.48550/arxiv.{a}")));
    let on_arxiv = work.fields.venue.as_deref() == Some("arXiv") && work.fields.arxiv_id.is_some();
    let source = if on_arxiv {
        json!({"id": ARXIV_SOURCE, "display_name": "arXiv (Cornell University)"})
    } else {
        work.fields.venue.as_ref().map_or(Value::Null, |v| json!({"id": null, "display_name": v}))
    };
    let landing = work.fields.arxiv_id.as_ref().map(|a| format!("https://arxiv.org/abs/{a}"));
    let authorships: Vec<Value> = byline
        .iter()
        .map(|a| {
            let insts: Vec<Value> = institutions
                .iter()
                .filter(|i| i.position == a.position)
                .map(|i| {
                    json!({"id": format!("https://openalex.org/{}", i.openalex_id), "display_name": i.display_name,
                           "ror": i.ror, "country_code": i.country_code, "type": i.kind,
                           "homepage_url": i.homepage_url})
                })
                .collect();
            json!({
                "author_position": if a.position == 1 { "first" } else { "middle" },
                "author": {"id": openalex_url(a.openalex_id.as_deref(), 'A', a.author_id), "display_name": a.display_name,
                           "orcid": a.orcid.as_ref().map(|o| format!("https://orcid.org/{o}"))},
                "institutions": insts,
                "raw_author_name": a.raw_name,
            })
        })
        .collect();
    let topics: Vec<Value> = topics
        .iter()
        .map(|t| {
            let key = (t.source == "openalex").then_some(t.source_key.as_str());
            json!({"id": openalex_url(key, 'T', t.topic_id), "display_name": t.display_name, "score": t.score})
        })
        .collect();
    json!({
        "id": openalex_url(work.fields.openalex_id.as_deref(), 'W', work.id),
        "doi": doi.map(|d| format!("https://doi.org/{d}")),
        "title": work.fields.title,
        "display_name": work.fields.title,
        "publication_year": work.fields.year,
        "publication_date": work.fields.published_on.map(|d| d.format("%Y-%m-%d").to_string()),
        "type": work.fields.work_type,
        "cited_by_count": work.fields.cited_by_count,
        "abstract_inverted_index": work.fields.abstract_text.as_deref().map(inverted_index),
        "authorships": authorships,
        "topics": topics,
        "primary_location": {"is_oa": work.fields.is_open_access, "landing_page_url": landing, "source": source},
        "open_access": {"is_oa": work.fields.is_open_access},
    })
}

/// `{word: [positions]}`, as OpenAlex ships abstracts.
fn inverted_index(text: &str) -> Value {
    let mut index: Map<String, Value> = Map::new();
    for (position, word) in text.split_whitespace().enumerate() {
        if let Value::Array(positions) = index.entry(word).or_insert_with(|| Value::Array(Vec::new())) {
            positions.push(json!(position));
        }
    }
    Value::Object(index)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_abstract_becomes_an_inverted_index_that_reads_back_the_same() {
        let index = inverted_index("to be or not to be");
        assert_eq!(index, json!({"to": [0, 4], "be": [1, 5], "or": [2], "not": [3]}));
    }
}
