//! The harvesters against local stubs of OpenAlex and arXiv: a full harvest with its authors and
//! institutions, resuming after a failure mid-way, `Retry-After` waited out, a 500 retried then
//! given up with a clear error, a second run that changes nothing, `--since-last`, `--max`, a
//! dry run, one run at a time, the schedule across processes, the command line, and the
//! moderators' page.

use crate::claims::moderator;
use crate::harvest_stubs::{self, OaiStub, OpenAlexData, OpenAlexStub};
use crate::helpers::{app, fixture, get, text, REFERENCE_SLUG};
use crate::synthetic::{self, Author};
use db::writes::harvests::HarvestLock;
use ingest::harvest::{harvest, Endpoints, HarvestError, HarvestOptions, Politeness, Query};
use jobs::harvests::{self as schedule, Schedule};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const FILTER: &str = "topics.id:T900000001";
const UPDATED: &str = "2026-11-01T00:00:00";

/// Quick retries, no spacing: the policy's shape without its waits.
const QUICK: Politeness = Politeness {
    min_interval: Duration::ZERO,
    attempts: 3,
    first_backoff: Duration::from_millis(10),
    max_backoff: Duration::from_millis(40),
    max_retry_after: Duration::from_secs(5),
    timeout: Duration::from_secs(10),
};

fn options(server: &MockServer) -> HarvestOptions {
    HarvestOptions {
        endpoints: Endpoints { openalex: server.uri(), arxiv: format!("{}/oai", server.uri()) },
        politeness: Some(QUICK),
        contact: Some("harvest-tests@bzpeer.test".to_owned()),
        ..HarvestOptions::default()
    }
}

fn openalex() -> Query {
    Query::OpenAlex { filter: FILTER.to_owned() }
}

const NAMES: [&str; 8] =
    ["Ada Harvest", "Ben Cursor", "Cleo Page", "Dev Retry", "Eva Backoff", "Finn Select", "Gia Mailto", "Hal Resume"];

/// `n` works by pairs of eight authors at three institutions, each updated on `UPDATED`.
fn corpus(n: u32) -> OpenAlexData {
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
    let authors = (0..8).map(|a| harvest_stubs::author(a + 1, NAMES[a as usize], Some(a % 3 + 1))).collect();
    let institutions = (1..=3).map(harvest_stubs::institution).collect();
    OpenAlexData { works, authors, institutions }
}

async fn openalex_stub(data: OpenAlexData, page_size: usize) -> (MockServer, Arc<Mutex<OpenAlexData>>) {
    let server = MockServer::start().await;
    let data = Arc::new(Mutex::new(data));
    mount_openalex(&server, &data, page_size).await;
    (server, data)
}

async fn mount_openalex(server: &MockServer, data: &Arc<Mutex<OpenAlexData>>, page_size: usize) {
    Mock::given(method("GET"))
        .respond_with(OpenAlexStub { data: data.clone(), page_size })
        .with_priority(10)
        .mount(server)
        .await;
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

async fn works(pool: &PgPool) -> i64 {
    count(pool, "SELECT count(*) FROM works").await
}

/// The `/works` requests the stub received, as their query pairs.
async fn works_requests(server: &MockServer) -> Vec<Vec<(String, String)>> {
    server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/works")
        .map(|r| r.url.query_pairs().into_owned().collect())
        .collect()
}

fn param<'a>(request: &'a [(String, String)], name: &str) -> Option<&'a str> {
    request.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_openalex_filter_is_harvested_page_by_page_with_the_authors_and_institutions_it_names(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(12), 5).await;
    let summary = harvest(&pool, &openalex(), &options(&server)).await.expect("the harvest");

    assert!(summary.complete);
    assert_eq!((summary.works.read, summary.works.created, summary.works.skipped), (12, 12, 0));
    assert_eq!(works(&pool).await, 12);
    assert_eq!(summary.authors.read, 8, "each author named fetched once: {summary}");
    assert_eq!(summary.institutions.read, 3);
    // The authors' own records came in: their OpenAlex figures and last known institutions.
    assert_eq!(count(&pool, "SELECT count(*) FROM authors WHERE source_h_index = 3").await, 8);
    assert_eq!(count(&pool, "SELECT count(*) FROM affiliations WHERE last_known").await, 8);
    assert_eq!(count(&pool, "SELECT count(*) FROM institutions WHERE homepage_url LIKE 'https://institute%'").await, 3);

    let requests = works_requests(&server).await;
    assert_eq!(requests.len(), 4, "three pages of works and the empty one that ends the list");
    let first = &requests[0];
    assert_eq!(param(first, "filter"), Some(FILTER));
    assert_eq!(param(first, "cursor"), Some("*"));
    assert_eq!(param(first, "per-page"), Some("200"));
    assert_eq!(param(first, "mailto"), Some("harvest-tests@bzpeer.test"));
    assert!(param(first, "select").is_some_and(|s| s.contains("authorships") && s.contains("abstract_inverted_index")));
    assert_eq!(
        requests.iter().map(|r| param(r, "cursor").unwrap_or("")).collect::<Vec<_>>(),
        ["*", "o5", "o10", "o15"]
    );
    let by_ids: Vec<String> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|r| r.url.path() == "/authors")
        .filter_map(|r| r.url.query_pairs().find(|(k, _)| k == "filter").map(|(_, v)| v.into_owned()))
        .collect();
    assert!(by_ids.iter().all(|f| f.starts_with("ids.openalex:A9")), "{by_ids:?}");

    let row: (String, Option<String>, i32, i32) = sqlx::query_as(
        "SELECT state, resume_cursor, pages, records FROM harvests WHERE source = 'openalex' AND query = $1",
    )
    .bind(FILTER)
    .fetch_one(&pool)
    .await
    .expect("the checkpoint");
    assert_eq!(row, ("idle".to_owned(), None, 4, 12));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_second_run_over_the_same_records_changes_nothing(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(12), 5).await;
    harvest(&pool, &openalex(), &options(&server)).await.expect("the first run");
    let before = (works(&pool).await, count(&pool, "SELECT count(*) FROM authors").await);
    let again = harvest(&pool, &openalex(), &options(&server)).await.expect("the second run");
    assert_eq!((again.works.created, again.works.updated, again.works.unchanged), (0, 0, 12), "{again}");
    assert_eq!(again.authors.created + again.institutions.created, 0);
    assert_eq!((works(&pool).await, count(&pool, "SELECT count(*) FROM authors").await), before);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_harvest_that_fails_mid_way_resumes_from_the_page_it_reached(pool: PgPool) {
    let (server, data) = openalex_stub(corpus(12), 5).await;
    // The third page fails every time.
    Mock::given(method("GET"))
        .and(path("/works"))
        .and(query_param("cursor", "o10"))
        .respond_with(ResponseTemplate::new(502))
        .with_priority(1)
        .mount(&server)
        .await;
    let error = harvest(&pool, &openalex(), &options(&server)).await.expect_err("page 3 fails");
    let message = error.to_string();
    assert!(matches!(error, HarvestError::Interrupted { pages: 2, works: 10, .. }), "{message}");
    assert!(message.contains("502 Bad Gateway after 3 attempts"), "{message}");
    assert!(
        message.contains("stopped after 2 pages (10 works merged); run the same command again to resume"),
        "{message}"
    );
    assert_eq!(works(&pool).await, 10);
    let (state, cursor, error_kept): (String, Option<String>, Option<String>) =
        sqlx::query_as("SELECT state, resume_cursor, error FROM harvests").fetch_one(&pool).await.expect("a row");
    assert_eq!((state.as_str(), cursor.as_deref()), ("failed", Some("o10")));
    assert!(error_kept.is_some_and(|e| e.contains("502")));

    // The source recovers; the same command goes on from the third page.
    server.reset().await;
    mount_openalex(&server, &data, 5).await;
    let summary = harvest(&pool, &openalex(), &options(&server)).await.expect("the resumed run");
    assert!(summary.resumed && summary.complete, "{summary}");
    assert_eq!(summary.works.read, 2);
    assert_eq!(works(&pool).await, 12);
    let requests = works_requests(&server).await;
    assert_eq!(param(&requests[0], "cursor"), Some("o10"), "no page is asked for twice");
    // A later --since-last asks from when the list was begun, by the run that failed: what changed
    // while it was interrupted is not missed.
    let first_run_began: bool = sqlx::query_scalar("SELECT complete_since < started_at FROM harvests")
        .fetch_one(&pool)
        .await
        .expect("the checkpoint");
    assert!(first_run_began);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_429_is_waited_out_as_long_as_retry_after_says(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(3), 5).await;
    Mock::given(method("GET"))
        .and(path("/works"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let started = Instant::now();
    let summary = harvest(&pool, &openalex(), &options(&server)).await.expect("the harvest after the wait");
    assert!(started.elapsed() >= Duration::from_secs(1), "Retry-After: 1 was not waited out");
    assert_eq!((summary.traffic.retries, summary.works.created), (1, 3), "{summary}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_retry_after_longer_than_the_harvest_waits_stops_it_with_the_wait_named(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(3), 5).await;
    Mock::given(method("GET"))
        .and(path("/works"))
        .respond_with(ResponseTemplate::new(429).insert_header("Retry-After", "3600"))
        .with_priority(1)
        .mount(&server)
        .await;
    let message = harvest(&pool, &openalex(), &options(&server)).await.expect_err("too long a wait").to_string();
    assert!(message.contains("asked to wait 3600 s"), "{message}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_500_is_retried_then_given_up_with_a_clear_error(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(3), 5).await;
    Mock::given(method("GET"))
        .and(path("/works"))
        .respond_with(ResponseTemplate::new(500))
        .with_priority(1)
        .mount(&server)
        .await;
    let message = harvest(&pool, &openalex(), &options(&server)).await.expect_err("it gives up").to_string();
    assert!(
        message.starts_with("OpenAlex still answered 500 Internal Server Error after 3 attempts at http://"),
        "{message}"
    );
    assert!(message.contains("stopped after 0 pages (0 works merged)"), "{message}");
    assert_eq!(works_requests(&server).await.len(), 3);
    assert_eq!(works(&pool).await, 0);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_refusal_is_not_retried_and_shows_the_source_s_message(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(3), 5).await;
    Mock::given(method("GET"))
        .and(path("/works"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"error": "Forbidden", "message": "from_updated_date needs an API key"})),
        )
        .with_priority(1)
        .mount(&server)
        .await;
    let message = harvest(&pool, &openalex(), &options(&server)).await.expect_err("refused").to_string();
    assert!(message.contains("refused") && message.contains("403: from_updated_date needs an API key"), "{message}");
    assert_eq!(works_requests(&server).await.len(), 1);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn since_last_asks_only_for_what_changed_after_the_last_complete_run(pool: PgPool) {
    let (server, data) = openalex_stub(corpus(6), 5).await;
    harvest(&pool, &openalex(), &options(&server)).await.expect("the first run");
    let today = chrono::Utc::now().date_naive();
    {
        let mut data = data.lock().expect("the stub's data");
        data.works[0]["title"] = json!("A corrected title");
        data.works[0]["display_name"] = json!("A corrected title");
        data.works[0]["updated_date"] = json!(format!("{today}T01:00:00"));
        let mut new = synthetic::work(99, "A work that appeared today", "2026-11-29", &[], &[1]);
        new["authorships"] = data.works[1]["authorships"].clone();
        new["updated_date"] = json!(format!("{today}T02:00:00"));
        data.works.push(new);
    }
    server.reset().await;
    mount_openalex(&server, &data, 5).await;
    let since = harvest(&pool, &openalex(), &HarvestOptions { since_last: true, ..options(&server) })
        .await
        .expect("the incremental run");
    assert_eq!(since.since, Some(today));
    assert_eq!((since.works.read, since.works.created, since.works.updated), (2, 1, 1), "{since}");
    let asked = works_requests(&server).await;
    assert_eq!(param(&asked[0], "filter"), Some(format!("{FILTER},from_updated_date:{today}").as_str()));
    assert_eq!(count(&pool, "SELECT count(*) FROM works WHERE title = 'A corrected title'").await, 1);
    assert_eq!(works(&pool).await, 7);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn max_stops_a_run_early_and_the_next_run_goes_on(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(12), 5).await;
    let first = harvest(&pool, &openalex(), &HarvestOptions { max: Some(7), ..options(&server) }).await.expect("7");
    assert_eq!((first.works.read, first.complete), (7, false), "{first}");
    assert!(first.to_string().contains("stopped before the end, the next run resumes"));
    assert_eq!(works(&pool).await, 7);
    let rest = harvest(&pool, &openalex(), &options(&server)).await.expect("the rest");
    assert!(rest.resumed && rest.complete);
    assert_eq!(rest.works.read, 5);
    assert_eq!(works(&pool).await, 12);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_dry_run_writes_nothing_and_says_what_would_change(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(12), 5).await;
    let dry = harvest(&pool, &openalex(), &HarvestOptions { dry_run: true, ..options(&server) }).await.expect("dry");
    let preview = dry.preview.clone().expect("a preview");
    assert_eq!((preview.valid, preview.known, preview.invalid), (12, 0, 0));
    assert!(dry
        .to_string()
        .starts_with("dry run, nothing written: 4 pages; 12 works would be merged (12 new, 0 already here"));
    assert_eq!(works(&pool).await, 0);
    assert_eq!(count(&pool, "SELECT count(*) FROM harvests").await, 0, "a dry run leaves no checkpoint");

    harvest(&pool, &openalex(), &HarvestOptions { max: Some(5), ..options(&server) }).await.expect("five");
    let dry = harvest(&pool, &openalex(), &HarvestOptions { dry_run: true, ..options(&server) }).await.expect("dry");
    let preview = dry.preview.expect("a preview");
    assert_eq!((preview.valid, preview.known), (7, 0), "a dry run looks from where the real run would resume");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn one_run_of_a_query_at_a_time(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(3), 5).await;
    let held = HarvestLock::try_take(&pool, "openalex", FILTER).await.expect("the database").expect("free");
    let message = harvest(&pool, &openalex(), &options(&server)).await.expect_err("busy").to_string();
    assert_eq!(
        message,
        format!("another run is harvesting openalex {FILTER} right now; try again when it has finished")
    );
    held.release("openalex", FILTER).await.expect("released");
    harvest(&pool, &openalex(), &options(&server)).await.expect("free again");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_scheduled_harvest_runs_once_a_period_across_processes(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(6), 5).await;
    let schedule = Schedule { queries: vec![openalex()], every: Duration::from_secs(3600), max: 100 };
    let base = options(&server);
    // Two processes look at once: one runs the harvest.
    let (one, two) =
        tokio::join!(schedule::run_due(&pool, &schedule, &base), schedule::run_due(&pool, &schedule, &base));
    assert_eq!(one.len() + two.len(), 1, "{one:?} {two:?}");
    let firsts = works_requests(&server).await.iter().filter(|r| param(r, "cursor") == Some("*")).count();
    assert_eq!(firsts, 1);
    assert_eq!(works(&pool).await, 6);
    assert!(schedule::run_due(&pool, &schedule, &base).await.is_empty(), "this period's run has happened");
    let summary: String = sqlx::query_scalar("SELECT last_summary FROM job_runs WHERE job = $1")
        .bind(schedule::job_name(&openalex()))
        .fetch_one(&pool)
        .await
        .expect("the job's row");
    assert!(summary.contains("works: read 6, created 6"), "{summary}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn moderators_see_what_each_harvest_last_did(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(3), 5).await;
    harvest(&pool, &openalex(), &options(&server)).await.expect("the harvest");
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(500)).with_priority(1).mount(&server).await;
    let set = Query::Arxiv { set: "cs".to_owned(), from: None };
    harvest(&pool, &set, &options(&server)).await.expect_err("arXiv is down");

    let mut moderator = moderator(&pool, "mod@example.org").await;
    let page = moderator.get("/moderation/harvests").await;
    let shown = text(&page.body);
    assert!(shown.contains(&format!("openalex {FILTER}")), "{shown}");
    assert!(shown.contains("finished") && shown.contains("works: read 3, created 3"), "{shown}");
    assert!(shown.contains("arxiv cs") && shown.contains("failed"), "{shown}");
    assert!(shown.contains("arXiv still answered 500 Internal Server Error"), "{shown}");

    let stranger = get(&app(pool.clone()), "/moderation/harvests").await;
    assert!(!stranger.body.contains(FILTER), "only moderators see the harvests");
}

/// arXiv records for the OAI-PMH stub: the reference profile's three and five synthetic ones.
fn arxiv_records() -> Vec<Value> {
    let mut records = Vec::new();
    for file in ["arxiv-seed.jsonl", "synthetic-arxiv.jsonl"] {
        let text = std::fs::read_to_string(fixture(file)).expect("a fixture");
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let mut record: Value = serde_json::from_str(line).expect("a record");
            record["created"] = json!("2026-11-02");
            records.push(record);
        }
    }
    records
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_arxiv_set_is_harvested_by_resumption_token_after_a_503_with_retry_after(pool: PgPool) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oai"))
        .respond_with(ResponseTemplate::new(503).insert_header("Retry-After", "1"))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/oai"))
        .respond_with(OaiStub { records: arxiv_records(), page_size: 3 })
        .mount(&server)
        .await;
    let from = chrono::NaiveDate::from_ymd_opt(2026, 11, 1);
    let started = Instant::now();
    let summary =
        harvest(&pool, &Query::Arxiv { set: "cs".to_owned(), from }, &options(&server)).await.expect("the harvest");
    assert!(started.elapsed() >= Duration::from_secs(1), "the 503's Retry-After was not waited out");
    assert_eq!((summary.pages, summary.works.created, summary.traffic.retries), (3, 8, 1), "{summary}");
    assert!(summary.complete);
    let reference: i64 =
        sqlx::query_scalar("SELECT count(*) FROM authorships s JOIN authors a ON a.id = s.author_id WHERE a.slug = $1")
            .bind(REFERENCE_SLUG)
            .fetch_one(&pool)
            .await
            .expect("a count");
    assert_eq!(reference, 3, "the reference profile's works arrived through OAI-PMH as through the snapshot");
    let asked: Vec<Vec<(String, String)>> = server
        .received_requests()
        .await
        .unwrap_or_default()
        .into_iter()
        .map(|r| r.url.query_pairs().into_owned().collect())
        .collect();
    assert_eq!(param(&asked[1], "set"), Some("cs"));
    assert_eq!(param(&asked[1], "from"), Some("2026-11-01"));
    assert_eq!(param(&asked[2], "resumptionToken"), Some("page-1"));

    let again = harvest(&pool, &Query::Arxiv { set: "cs".to_owned(), from }, &options(&server)).await.expect("again");
    assert_eq!((again.works.created, again.works.unchanged), (0, 8), "{again}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn max_on_arxiv_ends_at_the_end_of_a_page_and_loses_nothing(pool: PgPool) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oai"))
        .respond_with(OaiStub { records: arxiv_records(), page_size: 3 })
        .mount(&server)
        .await;
    let set = Query::Arxiv { set: "cs".to_owned(), from: None };
    let first = harvest(&pool, &set, &HarvestOptions { max: Some(4), ..options(&server) }).await.expect("four");
    assert_eq!((first.works.read, first.complete), (6, false), "the page that reached 4 is read whole: {first}");
    let rest = harvest(&pool, &set, &options(&server)).await.expect("the rest");
    assert!(rest.resumed && rest.complete);
    assert_eq!(rest.works.read, 2);
    assert_eq!(works(&pool).await, 8, "no record of a cut page is lost");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_empty_arxiv_list_is_a_complete_run_and_a_bad_token_an_error(pool: PgPool) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/oai"))
        .respond_with(OaiStub { records: Vec::new(), page_size: 3 })
        .mount(&server)
        .await;
    let summary = harvest(&pool, &Query::Arxiv { set: "cs".to_owned(), from: None }, &options(&server))
        .await
        .expect("noRecordsMatch is an empty list");
    assert!(summary.complete && summary.works.read == 0);
    // A resumption token the server no longer knows ends the run with its own words.
    sqlx::query("UPDATE harvests SET resume_cursor = 'expired' WHERE source = 'arxiv'")
        .execute(&pool)
        .await
        .expect("a stale token");
    let message = harvest(&pool, &Query::Arxiv { set: "cs".to_owned(), from: None }, &options(&server))
        .await
        .expect_err("a bad token")
        .to_string();
    assert!(
        message.starts_with("The OAI-PMH server answered badResumptionToken: The value of the resumptionToken"),
        "{message}"
    );
}

/// `server harvest …` as a person types it, against the stub.
async fn cli(pool: &PgPool, server: &MockServer, args: &'static [&'static str]) -> std::process::Output {
    let (database_url, stub) = (crate::processes::database_url(pool), server.uri());
    tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_server"))
            .args(args)
            .env("DATABASE_URL", database_url)
            .env("BZPEER_OPENALEX_URL", stub)
            .env("BZPEER_CONTACT_EMAIL", "harvest-tests@bzpeer.test")
            .env("RUST_LOG", "warn")
            .output()
            .expect("the server binary runs")
    })
    .await
    .expect("the command")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_command_line_harvests_reports_and_refuses_bad_input(pool: PgPool) {
    let (server, _) = openalex_stub(corpus(12), 5).await;
    let run = |args: &'static [&'static str]| cli(&pool, &server, args);
    let dry = run(&["harvest", "openalex", "--filter", FILTER, "--dry-run"]).await;
    let out = String::from_utf8_lossy(&dry.stdout);
    assert!(dry.status.success(), "{out} {}", String::from_utf8_lossy(&dry.stderr));
    assert!(out.contains(&format!("harvested openalex {FILTER}: dry run, nothing written")), "{out}");
    assert_eq!(works(&pool).await, 0);

    let some = run(&["harvest", "openalex", "--filter", FILTER, "--max", "5"]).await;
    let out = String::from_utf8_lossy(&some.stdout);
    assert!(some.status.success(), "{out} {}", String::from_utf8_lossy(&some.stderr));
    assert!(out.contains("works: read 5, created 5") && out.contains("the next run resumes"), "{out}");
    let rest = run(&["harvest", "openalex", "--filter", FILTER]).await;
    let out = String::from_utf8_lossy(&rest.stdout);
    assert!(out.contains("(resumed where the last run stopped)") && out.contains("works: read 7, created 7"), "{out}");
    assert_eq!(works(&pool).await, 12);

    let bad = run(&["harvest", "openalex", "--filter", FILTER, "--max", "0"]).await;
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--max must be at least 1"));
    let both = run(&["harvest", "arxiv", "--set", "cs", "--from", "2026-11-01", "--since-last"]).await;
    assert!(!both.status.success());
    assert!(String::from_utf8_lossy(&both.stderr).contains("cannot be used with"), "clap names the conflict");
    let date = run(&["harvest", "arxiv", "--set", "cs", "--from", "yesterday"]).await;
    assert!(String::from_utf8_lossy(&date.stderr).contains("invalid value 'yesterday' for '--from"));
}
