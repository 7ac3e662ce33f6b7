//! The server under strain: a request whose statement is held up past the statement timeout (a
//! lock, a slow plan) is cancelled by PostgreSQL and answered 503 "try again" at once, neither
//! hanging nor holding its connection; a client asking for more heavy answers (sitemaps, whole
//! records' citation files) than its share gets 429 with `Retry-After`, others unaffected; and
//! searches wait for one of the process's slots while pages do not.

use crate::helpers::{app, get, get_with, import_seed, state, REFERENCE_SLUG, SITE};
use axum::http::StatusCode;
use server::http::{router, AppState};
use server::ops::database::{pool_options, with_statement_timeout};
use sqlx::PgPool;
use std::time::{Duration, Instant};

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_statement_held_past_the_timeout_answers_503_and_the_page_comes_back(pool: PgPool) {
    import_seed(&pool).await;
    let timeout = Duration::from_millis(300);
    let requests = pool_options()
        .max_connections(2)
        .connect_lazy_with(with_statement_timeout((*pool.connect_options()).clone(), timeout));
    let site = app(requests.clone());

    // Another session holds the authors table, as a long migration or a stuck write would.
    let mut hold = pool.begin().await.expect("a transaction");
    sqlx::query("LOCK TABLE authors IN ACCESS EXCLUSIVE MODE").execute(&mut *hold).await.expect("the lock");
    let started = Instant::now();
    let page = get(&site, &format!("/authors/{REFERENCE_SLUG}")).await;
    let took = started.elapsed();
    assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{}", page.body);
    assert!(page.body.contains("The service is busy; try again in a moment"), "{}", page.body);
    assert!(took < Duration::from_secs(3), "answered after {took:?}, the timeout is {timeout:?}");
    hold.rollback().await.expect("the lock let go");

    // The cancelled statements did not cost the pool its connections.
    for _ in 0..3 {
        let page = get(&site, &format!("/authors/{REFERENCE_SLUG}")).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("Mor Shpigel Nacson"));
    }
}

async fn get_from(site: &axum::Router, path: &str, client: &str) -> crate::helpers::Page {
    get_with(site, path, &[("accept", "text/html"), ("x-forwarded-for", client)]).await
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_client_past_its_share_of_heavy_answers_gets_429_and_others_do_not(pool: PgPool) {
    import_seed(&pool).await;
    let site = router(AppState { heavy_per_minute: 3, trusted_proxies: 1, ..state(pool, SITE) });
    let record = format!("/authors/{REFERENCE_SLUG}.bib");
    for path in ["/sitemap.xml", "/sitemaps/pages.xml", record.as_str()] {
        let page = get_from(&site, path, "203.0.113.7").await;
        assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
    }
    let refused = get_from(&site, "/sitemaps/authors-0.xml", "203.0.113.7").await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = refused.headers["retry-after"].to_str().expect("ascii").parse().expect("seconds");
    assert!((1..=60).contains(&retry_after), "Retry-After: {retry_after}");
    assert!(refused.body.contains("Too many requests"), "{}", refused.body);
    assert!(refused.body.contains(&format!("try again in {retry_after} seconds")), "{}", refused.body);

    // Pages and one work's citation file are not heavy; another client has its own share.
    let profile = get_from(&site, &format!("/authors/{REFERENCE_SLUG}"), "203.0.113.7").await;
    assert_eq!(profile.status, StatusCode::OK);
    let other = get_from(&site, &record, "198.51.100.2").await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    assert!(other.body.contains("@"), "a BibTeX file: {}", other.body);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn searches_wait_for_a_slot_and_pages_do_not(pool: PgPool) {
    import_seed(&pool).await;
    let computed = server::http::bulkhead::Slots::new(1, Duration::from_millis(300));
    let site = router(AppState { computed: computed.clone(), ..state(pool, SITE) });
    // Every slot taken (a long search elsewhere in this process).
    let slot = computed.take().await.expect("the slot");
    let started = Instant::now();
    let search = get(&site, "/search?q=Nacson").await;
    assert_eq!(search.status, StatusCode::SERVICE_UNAVAILABLE, "{}", search.body);
    assert_eq!(search.headers.get("retry-after").and_then(|v| v.to_str().ok()), Some("5"));
    assert!(started.elapsed() >= Duration::from_millis(300), "it waited for a slot first");
    let expanded = get(&site, &format!("/explore?focus=a:{REFERENCE_SLUG}&q=learning")).await;
    assert_eq!(expanded.status, StatusCode::SERVICE_UNAVAILABLE);
    // Pages do not wait for the slots.
    let page = get(&site, &format!("/authors/{REFERENCE_SLUG}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let explorer = get(&site, &format!("/explore?focus=a:{REFERENCE_SLUG}")).await;
    assert_eq!(explorer.status, StatusCode::OK);
    // The slot free again: the search is answered.
    drop(slot);
    let search = get(&site, "/search?q=Nacson").await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.body.contains("Mor Shpigel Nacson"));
}
