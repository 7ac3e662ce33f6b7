//! OpenAlex's API, as the harvester reads it: a page of works for a filter with `cursor` paging
//! and `select`ed fields, and the authors and institutions those works name, fetched in batches
//! by the `ids.openalex` filter.

use super::client::{Client, FetchError};
use super::{HarvestError, Page};
use serde::Deserialize;
use std::collections::HashSet;

/// A page holds at most this many works (OpenAlex's largest `per-page`).
pub const PER_PAGE: usize = 200;
/// Ids per `ids.openalex:A1|A2|…` request (OpenAlex takes up to 100 values in one filter).
const IDS_PER_REQUEST: usize = 100;

/// The fields the importer stores, so OpenAlex sends nothing else.
const WORK_FIELDS: &str = "id,doi,title,display_name,publication_year,publication_date,type,cited_by_count,\
open_access,primary_location,authorships,topics,concepts,abstract_inverted_index,referenced_works";
const AUTHOR_FIELDS: &str =
    "id,display_name,orcid,affiliations,last_known_institutions,topics,cited_by_count,summary_stats,counts_by_year";
const INSTITUTION_FIELDS: &str = "id,display_name,ror,country_code,type,homepage_url";

#[derive(Deserialize)]
struct Answer {
    meta: Meta,
    #[serde(default)]
    results: Vec<serde_json::Value>,
}

#[derive(Deserialize)]
struct Meta {
    count: Option<u64>,
    next_cursor: Option<String>,
}

/// One page of works matching `filter`, from `cursor` (`*` for the first).
pub async fn works_page(
    client: &mut Client,
    base: &str,
    filter: &str,
    cursor: &str,
    per_page: usize,
    contact: Option<&str>,
) -> Result<Page, HarvestError> {
    let url = format!("{}/works", base.trim_end_matches('/'));
    let per_page = per_page.clamp(1, PER_PAGE).to_string();
    let mut query =
        vec![("filter", filter), ("per-page", per_page.as_str()), ("cursor", cursor), ("select", WORK_FIELDS)];
    if let Some(mail) = contact {
        query.push(("mailto", mail));
    }
    let body = client.get(&url, &query).await?;
    let answer: Answer = serde_json::from_slice(&body)
        .map_err(|e| HarvestError::Unreadable { url: url.clone(), reason: format!("not an OpenAlex list: {e}") })?;
    // OpenAlex gives a next cursor with the last, empty page: no results is the end.
    let next = answer.meta.next_cursor.filter(|_| !answer.results.is_empty());
    Ok(Page { records: answer.results, next, total: answer.meta.count, deleted: 0 })
}

/// The authors (`A…`) or institutions (`I…`) with these ids, fetched `IDS_PER_REQUEST` at a time.
pub async fn entities(
    client: &mut Client,
    base: &str,
    kind: Entity,
    ids: &[String],
    contact: Option<&str>,
) -> Result<Vec<serde_json::Value>, FetchError> {
    let (path, fields) = match kind {
        Entity::Authors => ("authors", AUTHOR_FIELDS),
        Entity::Institutions => ("institutions", INSTITUTION_FIELDS),
    };
    let url = format!("{}/{path}", base.trim_end_matches('/'));
    let mut found = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_REQUEST) {
        let filter = format!("ids.openalex:{}", chunk.join("|"));
        let per_page = PER_PAGE.to_string();
        let mut query = vec![("filter", filter.as_str()), ("per-page", per_page.as_str()), ("select", fields)];
        if let Some(mail) = contact {
            query.push(("mailto", mail));
        }
        let body = client.get(&url, &query).await?;
        match serde_json::from_slice::<Answer>(&body) {
            Ok(answer) => found.extend(answer.results),
            // A batch that cannot be read is left out: its works are stored without it.
            Err(e) => tracing::warn!(%url, %e, "an OpenAlex batch was not a list; its records are left out"),
        }
    }
    Ok(found)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entity {
    Authors,
    Institutions,
}

/// The short ids (`A5023888391`, `I4210156221`) of the authors and institutions these works
/// name, each once, leaving out those already in `seen` (and adding the new ones to it).
pub fn referenced(works: &[serde_json::Value], seen: &mut HashSet<String>) -> (Vec<String>, Vec<String>) {
    let (mut authors, mut institutions) = (Vec::new(), Vec::new());
    let short = |raw: &str| raw.rsplit('/').next().unwrap_or(raw).to_ascii_uppercase();
    for work in works {
        let Some(authorships) = work.get("authorships").and_then(|a| a.as_array()) else { continue };
        for authorship in authorships {
            if let Some(id) = authorship.pointer("/author/id").and_then(|v| v.as_str()) {
                let id = short(id);
                if id.starts_with('A') && seen.insert(id.clone()) {
                    authors.push(id);
                }
            }
            for inst in authorship.get("institutions").and_then(|i| i.as_array()).into_iter().flatten() {
                if let Some(id) = inst.get("id").and_then(|v| v.as_str()) {
                    let id = short(id);
                    if id.starts_with('I') && seen.insert(id.clone()) {
                        institutions.push(id);
                    }
                }
            }
        }
    }
    (authors, institutions)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn referenced_ids_are_short_upper_case_and_each_named_once_per_run() {
        let works = vec![
            json!({"authorships": [
                {"author": {"id": "https://openalex.org/A1"}, "institutions": [{"id": "https://openalex.org/I9"}]},
                {"author": {"id": "https://openalex.org/a2"}, "institutions": null},
                {"author": {"id": null}}
            ]}),
            json!({"authorships": [{"author": {"id": "https://openalex.org/A1"},
                                    "institutions": [{"id": "https://openalex.org/I9"}, {"id": "I8"}]}]}),
            json!({"title": "no authorships"}),
        ];
        let mut seen = HashSet::new();
        let (authors, institutions) = referenced(&works, &mut seen);
        assert_eq!(authors, ["A1", "A2"]);
        assert_eq!(institutions, ["I9", "I8"]);
        let (again, _) = referenced(&works[..1], &mut seen);
        assert!(again.is_empty(), "ids fetched once in a run are not fetched again");
    }
}
