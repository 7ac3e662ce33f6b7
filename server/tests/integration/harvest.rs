//! Harvests as the server runs them: the schedule across processes, the command line, and the
//! moderators' page (the harvesters themselves are tested in `crates/ingest/tests`).

use crate::helpers::{app, get, moderator, text};
use ingest::harvest::{harvest, Query};
use jobs::harvests::{self as schedule, Schedule};
use sqlx::PgPool;
use std::time::Duration;
use test_data::stubs::{corpus, openalex, openalex_stub, options, param, works, works_requests, FILTER};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};
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
