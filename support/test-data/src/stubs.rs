//! Local stubs of the harvested services, started by a test: OpenAlex's API (`/works` paged by
//! `cursor`, `/authors` and `/institutions` by `ids.openalex`, each answer in the API's shape and
//! cut to the `select`ed fields) and arXiv's OAI-PMH (`ListRecords` pages in the arXiv metadata
//! format, chained by `resumptionToken`), with the harvest options and the data the harvest tests
//! share. No test reaches the internet.

use crate::synthetic::{self, Author};
use ingest::harvest::{Endpoints, HarvestOptions, Politeness, Query};
use serde_json::{json, Map, Value};
use sqlx::PgPool;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer};
use wiremock::{Request, Respond, ResponseTemplate};

/// What the OpenAlex stub serves; the test may change it between runs.
#[derive(Clone, Default)]
pub struct OpenAlexData {
    pub works: Vec<Value>,
    pub authors: Vec<Value>,
    pub institutions: Vec<Value>,
}

pub struct OpenAlexStub {
    pub data: Arc<Mutex<OpenAlexData>>,
    /// Works per page, whatever `per-page` asks (so a few works make several pages).
    pub page_size: usize,
}

fn query_of(request: &Request) -> HashMap<String, String> {
    request.url.query_pairs().into_owned().collect()
}

/// The record with only the `select`ed top-level fields, as OpenAlex answers.
fn selected(record: &Value, select: Option<&String>) -> Value {
    let (Some(select), Some(object)) = (select, record.as_object()) else { return record.clone() };
    let keep: Vec<&str> = select.split(',').collect();
    Value::Object(
        object
            .iter()
            .filter(|(k, _)| keep.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Map<_, _>>(),
    )
}

fn short(id: &str) -> String {
    id.rsplit('/').next().unwrap_or(id).to_ascii_uppercase()
}

fn list(results: Vec<Value>, count: usize, per_page: usize, next_cursor: Option<String>) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "meta": {"count": count, "db_response_time_ms": 3, "page": null, "per_page": per_page,
                 "next_cursor": next_cursor, "groups_count": null},
        "results": results,
        "group_by": [],
    }))
}

impl Respond for OpenAlexStub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = query_of(request);
        let data = self.data.lock().expect("the stub's data").clone();
        let filter = query.get("filter").cloned().unwrap_or_default();
        let select = query.get("select");
        match request.url.path() {
            "/works" => {
                // `from_updated_date:D` keeps the works updated on or after D.
                let since = filter.split(',').find_map(|f| f.strip_prefix("from_updated_date:")).map(str::to_owned);
                let works: Vec<&Value> = data
                    .works
                    .iter()
                    .filter(|w| {
                        since.as_deref().is_none_or(|d| w["updated_date"].as_str().is_some_and(|u| u[..10] >= *d))
                    })
                    .collect();
                let Some(offset) = (match query.get("cursor").map(String::as_str) {
                    Some("*") => Some(0),
                    Some(c) => c.strip_prefix('o').and_then(|n| n.parse::<usize>().ok()),
                    None => None,
                }) else {
                    return ResponseTemplate::new(400).set_body_json(
                        json!({"error": "Invalid query parameters error.", "message": "cursor is not valid"}),
                    );
                };
                let asked = query.get("per-page").and_then(|n| n.parse::<usize>().ok()).unwrap_or(25);
                let size = asked.min(self.page_size);
                let page: Vec<Value> = works.iter().skip(offset).take(size).map(|w| selected(w, select)).collect();
                // Like OpenAlex, the last (empty) page still has a cursor; the one after it has none.
                let next = (offset < works.len()).then(|| format!("o{}", offset + size));
                list(page, works.len(), size, next)
            }
            path @ ("/authors" | "/institutions") => {
                let wanted: Vec<String> = filter
                    .strip_prefix("ids.openalex:")
                    .map(|ids| ids.split('|').map(short).collect())
                    .unwrap_or_default();
                let pool = if path == "/authors" { &data.authors } else { &data.institutions };
                let found: Vec<Value> = pool
                    .iter()
                    .filter(|r| r["id"].as_str().is_some_and(|id| wanted.contains(&short(id))))
                    .map(|r| selected(r, select))
                    .collect();
                let count = found.len();
                list(found, count, 200, None)
            }
            _ => ResponseTemplate::new(404).set_body_json(json!({"error": "Not found"})),
        }
    }
}

/// An OpenAlex Author object for a synthetic work's author (`A9…` of `synthetic::work`).
pub fn author(id: u32, name: &str, institution: Option<u32>) -> Value {
    let institutions: Vec<Value> = institution.map(institution_ref).into_iter().collect();
    json!({
        "id": format!("https://openalex.org/A9{id:08}"),
        "display_name": name,
        "orcid": null,
        "cited_by_count": 40 + id,
        "summary_stats": {"h_index": 3, "i10_index": 1},
        "affiliations": institutions.iter().map(|i| json!({"institution": i, "years": [2024, 2025]})).collect::<Vec<_>>(),
        "last_known_institutions": institutions,
        "topics": [],
        "counts_by_year": [{"year": 2025, "works_count": 2, "cited_by_count": 5}],
    })
}

fn institution_ref(n: u32) -> Value {
    json!({"id": format!("https://openalex.org/I9{n:08}"), "display_name": format!("Institute {n}"),
           "ror": format!("https://ror.org/09{n:07}"), "country_code": "NL", "type": "education"})
}

/// An OpenAlex Institution object, with the fields the stub's works name.
pub fn institution(n: u32) -> Value {
    let mut value = institution_ref(n);
    value["homepage_url"] = json!(format!("https://institute{n}.example.org"));
    value
}

/// arXiv records (the snapshot's JSON shape) served as OAI-PMH pages of `page_size`.
pub struct OaiStub {
    pub records: Vec<Value>,
    pub page_size: usize,
}

impl Respond for OaiStub {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let query = query_of(request);
        if query.get("verb").map(String::as_str) != Some("ListRecords") {
            return oai_error("badVerb", "Illegal verb");
        }
        let offset = match query.get("resumptionToken") {
            // The token is exclusive: with it, no other argument but the verb.
            Some(_) if query.len() > 2 => return oai_error("badArgument", "resumptionToken is an exclusive argument"),
            Some(token) => match token.strip_prefix("page-").and_then(|n| n.parse::<usize>().ok()) {
                Some(n) => n * self.page_size,
                None => {
                    return oai_error(
                        "badResumptionToken",
                        "The value of the resumptionToken argument is invalid or expired.",
                    )
                }
            },
            None if query.get("metadataPrefix").map(String::as_str) != Some("arXiv") => {
                return oai_error("cannotDisseminateFormat", "only arXiv here")
            }
            None => 0,
        };
        if self.records.is_empty() {
            return oai_error("noRecordsMatch", "The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.");
        }
        let page: String = self.records.iter().skip(offset).take(self.page_size).map(oai_record).collect();
        let next = offset + self.page_size;
        let token = if next < self.records.len() {
            format!(
                r#"<resumptionToken cursor="{offset}" completeListSize="{}">page-{}</resumptionToken>"#,
                self.records.len(),
                next / self.page_size
            )
        } else {
            format!(r#"<resumptionToken cursor="{offset}" completeListSize="{}"/>"#, self.records.len())
        };
        oai_document(&format!("<ListRecords>{page}{token}</ListRecords>"))
    }
}

fn oai_document(body: &str) -> ResponseTemplate {
    let xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<responseDate>2026-11-30T05:00:00Z</responseDate>
<request verb="ListRecords">https://oaipmh.arxiv.org/oai</request>
{body}
</OAI-PMH>"#
    );
    ResponseTemplate::new(200).set_body_raw(xml.into_bytes(), "text/xml")
}

fn oai_error(code: &str, message: &str) -> ResponseTemplate {
    oai_document(&format!(r#"<error code="{code}">{}</error>"#, escape(message)))
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// One record in the arXiv metadata format: authors split into forenames and keyname.
fn oai_record(record: &Value) -> String {
    let field = |key: &str| record[key].as_str().map(escape).unwrap_or_default();
    let authors: String = field("authors")
        .split(", ")
        .map(|name| match name.rsplit_once(' ') {
            Some((forenames, keyname)) => {
                format!("<author><keyname>{keyname}</keyname><forenames>{forenames}</forenames></author>")
            }
            None => format!("<author><keyname>{name}</keyname></author>"),
        })
        .collect();
    let created = record["created"].as_str().unwrap_or("2026-11-02");
    format!(
        r#"<record><header><identifier>oai:arXiv.org:{id}</identifier><datestamp>{created}</datestamp><setSpec>cs</setSpec></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>{id}</id><created>{created}</created><authors>{authors}</authors>
<title>{title}</title><categories>{categories}</categories><abstract>{abstract_text}</abstract></arXiv></metadata></record>"#,
        id = field("id"),
        title = field("title"),
        categories = field("categories"),
        abstract_text = field("abstract"),
    )
}

pub const FILTER: &str = "topics.id:T900000001";
pub const UPDATED: &str = "2026-11-01T00:00:00";

/// Quick retries, no spacing: the policy's shape without its waits.
pub const QUICK: Politeness = Politeness {
    min_interval: Duration::ZERO,
    attempts: 3,
    first_backoff: Duration::from_millis(10),
    max_backoff: Duration::from_millis(40),
    max_retry_after: Duration::from_secs(5),
    timeout: Duration::from_secs(10),
};

pub fn options(server: &MockServer) -> HarvestOptions {
    HarvestOptions {
        endpoints: Endpoints { openalex: server.uri(), arxiv: format!("{}/oai", server.uri()) },
        politeness: Some(QUICK),
        contact: Some("harvest-tests@bzpeer.test".to_owned()),
        ..HarvestOptions::default()
    }
}

pub fn openalex() -> Query {
    Query::OpenAlex { filter: FILTER.to_owned() }
}

const NAMES: [&str; 8] =
    ["Ada Harvest", "Ben Cursor", "Cleo Page", "Dev Retry", "Eva Backoff", "Finn Select", "Gia Mailto", "Hal Resume"];

/// `n` works by pairs of eight authors at three institutions, each updated on `UPDATED`.
pub fn corpus(n: u32) -> OpenAlexData {
    let works = (1..=n)
        .map(|i| {
            let (a, b) = ((i % 8) as usize, ((i + 3) % 8) as usize);
            let authors = [
                Author { id: a as u32 + 1, name: NAMES[a], institution: Some(a as u32 % 3 + 1) },
                Author { id: b as u32 + 1, name: NAMES[b], institution: Some(b as u32 % 3 + 1) },
            ];
            let mut work = synthetic::work(i, &format!("Harvested work number {i}"), "2025-06-01", &authors, &[1]);
            work["updated_date"] = json!(UPDATED);
            work
        })
        .collect();
    let authors = (0..8).map(|a| author(a + 1, NAMES[a as usize], Some(a % 3 + 1))).collect();
    let institutions = (1..=3).map(institution).collect();
    OpenAlexData { works, authors, institutions }
}

pub async fn openalex_stub(data: OpenAlexData, page_size: usize) -> (MockServer, Arc<Mutex<OpenAlexData>>) {
    let server = MockServer::start().await;
    let data = Arc::new(Mutex::new(data));
    mount_openalex(&server, &data, page_size).await;
    (server, data)
}

pub async fn mount_openalex(server: &MockServer, data: &Arc<Mutex<OpenAlexData>>, page_size: usize) {
    Mock::given(method("GET"))
        .respond_with(OpenAlexStub { data: data.clone(), page_size })
        .with_priority(10)
        .mount(server)
        .await;
}

pub async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

pub async fn works(pool: &PgPool) -> i64 {
    count(pool, "SELECT count(*) FROM works").await
}

/// The `/works` requests the stub received, as their query pairs.
pub async fn works_requests(server: &MockServer) -> Vec<Vec<(String, String)>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/works")
        .map(|r| r.url.query_pairs().into_owned().collect())
        .collect()
}

pub fn param<'a>(request: &'a [(String, String)], name: &str) -> Option<&'a str> {
    request.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// arXiv records for the OAI-PMH stub: the reference profile's three and five synthetic ones.
pub fn arxiv_records() -> Vec<Value> {
    let mut records = Vec::new();
    for file in ["arxiv-seed.jsonl", "synthetic-arxiv.jsonl"] {
        let text = std::fs::read_to_string(crate::fixture(file)).expect("a fixture");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut record: Value = serde_json::from_str(line).expect("a record");
            record["created"] = json!("2026-11-02");
            records.push(record);
        }
    }
    records
}
