//! The arXiv harvester against a local stub of its OAI-PMH interface: resumption tokens after a
//! 503 with `Retry-After`, `--max` at a page's end, an empty list and a bad token.

use ingest::harvest::{harvest, HarvestOptions, Query};
use sqlx::PgPool;
use std::time::{Duration, Instant};
use test_data::stubs::{arxiv_records, options, param, works, OaiStub};
use test_data::REFERENCE_SLUG;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};
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
