//! The OpenAlex harvester against a local stub of its API: a full harvest with its authors and
//! institutions, resuming after a failure mid-way, `Retry-After` waited out, a 500 retried then
//! given up with a clear error, a second run that changes nothing, `--since-last`, `--max`, a dry
//! run, and one run at a time.

use db::writes::harvests::HarvestLock;
use ingest::harvest::{harvest, HarvestError, HarvestOptions};
use serde_json::json;
use sqlx::PgPool;
use std::time::{Duration, Instant};
use test_data::stubs::{
    corpus, count, mount_openalex, openalex, openalex_stub, options, param, works, works_requests, FILTER,
};
use test_data::synthetic::{self};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, ResponseTemplate};
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
