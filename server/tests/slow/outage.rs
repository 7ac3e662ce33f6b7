//! PostgreSQL restarted under load: a private embedded cluster (never the shared server) is
//! stopped for two seconds and started again while pages and follows run. While it is down every
//! answer is a 503 (or a normal one), never another 5xx and never a hang; after the restart the
//! service is back within 5 s; every acknowledged follow and unfollow is in the table.

use crate::helpers::{app_at, import_seed, signed_in, SITE};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use server::ops::embedded::EmbeddedPostgres;
use std::collections::BTreeMap;
use std::os::unix::fs::PermissionsExt;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// A request slower than this counts as hung.
const DEADLINE: Duration = Duration::from_secs(8);
const DOWN_FOR: Duration = Duration::from_secs(2);
const RECOVERY_BUDGET: Duration = Duration::from_secs(5);
const WORKERS: usize = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Page,
    Follow,
    Unfollow,
}

#[derive(Debug)]
struct Answer {
    started: Instant,
    finished: Instant,
    kind: Kind,
    /// `None`: no answer within the deadline.
    status: Option<StatusCode>,
}

/// One request with the session cookie: a page, or a follow posted as a hydrated page posts it
/// (JSON back), so an acknowledgement is a 200 with the new state. `None`: no answer in time.
async fn exchange(router: &Router, cookie: &str, kind: Kind, target: &str) -> Option<StatusCode> {
    let (builder, body) = match kind {
        Kind::Page => (Request::get(target).header("accept", "text/html"), Body::empty()),
        Kind::Follow | Kind::Unfollow => {
            let endpoint = if kind == Kind::Follow { "follow_researcher" } else { "unfollow_researcher" };
            let builder = Request::post(format!("/api/{endpoint}"))
                .header("content-type", "application/x-www-form-urlencoded")
                .header("accept", "application/json")
                .header("origin", SITE);
            (builder, Body::from(format!("slug={target}")))
        }
    };
    let request = builder.header("cookie", cookie).body(body).expect("a valid request");
    let answer = tokio::time::timeout(DEADLINE, async {
        let response = router.clone().oneshot(request).await.expect("the router answers");
        let status = response.status();
        let _ = response.into_body().collect().await;
        status
    })
    .await;
    answer.ok()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_database_restart_under_load_answers_503_recovers_within_5_s_and_loses_no_acknowledged_follow() {
    let top = tempfile::tempdir().expect("a temporary folder");
    std::fs::set_permissions(top.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    let base = top.path().join("pg");
    // Started from this thread, which outlives the test body: the cluster is tied to it.
    let mut cluster = EmbeddedPostgres::start(&base).expect("the private cluster starts");
    let pool = server::ops::database::pool_options()
        .connect_with(cluster.connect_options("postgres"))
        .await
        .expect("a pool on the private cluster");
    db::MIGRATOR.run(&pool).await.expect("migrations");
    import_seed(&pool).await;
    sqlx::query(
        "INSERT INTO authors (source, source_key, slug, display_name, search_name) \
         SELECT 'arxiv', 'outage-' || g, 'researcher-' || g, 'Researcher ' || g, 'researcher ' || g \
         FROM generate_series(1, $1) g",
    )
    .bind(i32::try_from(8 * WORKERS).unwrap_or(96))
    .execute(&pool)
    .await
    .expect("researchers to follow");
    let router = app_at(pool.clone(), SITE);
    let cookie = signed_in(router.clone(), &pool, "outage@example.org").await.cookie.expect("a session cookie");
    let user: i64 = sqlx::query_scalar("SELECT id FROM users").fetch_one(&pool).await.expect("the user");
    let slugs: Vec<String> = sqlx::query_scalar("SELECT slug FROM authors WHERE slug LIKE 'researcher-%' ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("authors");
    assert!(slugs.len() >= 2 * WORKERS, "the seed has {} authors", slugs.len());
    // Each worker follows its own researchers and unfollows others it already follows.
    let (to_follow, to_unfollow) = slugs.split_at(slugs.len() / 2);
    let (to_follow, to_unfollow) = (Arc::new(to_follow.to_vec()), Arc::new(to_unfollow.to_vec()));
    let unfollow_ids: Vec<i64> = sqlx::query_scalar("SELECT id FROM authors WHERE slug = ANY($1)")
        .bind(to_unfollow.as_slice())
        .fetch_all(&pool)
        .await
        .expect("the ones to unfollow");
    let mut conn = pool.acquire().await.expect("a connection");
    for author in unfollow_ids {
        db::writes::follows::follow(&mut conn, user, author).await.expect("following the ones to unfollow");
    }
    drop(conn);

    let answers = Arc::new(Mutex::new(Vec::<Answer>::new()));
    let acknowledged = Arc::new(Mutex::new(BTreeMap::<String, bool>::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let mut workers = tokio::task::JoinSet::new();
    for w in 0..WORKERS {
        let (router, cookie, answers, acknowledged, stop) =
            (router.clone(), cookie.clone(), answers.clone(), acknowledged.clone(), stop.clone());
        let (to_follow, to_unfollow) = (to_follow.clone(), to_unfollow.clone());
        let mine: Vec<(Kind, String)> = to_follow
            .iter()
            .skip(w)
            .step_by(WORKERS)
            .map(|s| (Kind::Follow, s.clone()))
            .chain(to_unfollow.iter().skip(w).step_by(WORKERS).map(|s| (Kind::Unfollow, s.clone())))
            .collect();
        workers.spawn(async move {
            let mut round = 0_usize;
            while !stop.load(Ordering::Relaxed) {
                round += 1;
                let (kind, target) = match round % 4 {
                    0 => match mine.get((round / 4) % mine.len().max(1)) {
                        Some((kind, slug)) => (*kind, slug.clone()),
                        None => continue,
                    },
                    1 => (Kind::Page, format!("/authors/{}/claim", to_follow[w % to_follow.len()])),
                    2 => (Kind::Page, "/me/following".to_owned()),
                    _ => (Kind::Page, format!("/authors/{}", to_unfollow[w % to_unfollow.len()])),
                };
                let started = Instant::now();
                let status = exchange(&router, &cookie, kind, &target).await;
                if kind != Kind::Page && status == Some(StatusCode::OK) {
                    acknowledged.lock().expect("not poisoned").insert(target, kind == Kind::Follow);
                }
                answers.lock().expect("not poisoned").push(Answer { started, finished: Instant::now(), kind, status });
                if status.is_none() {
                    return;
                }
            }
        });
    }

    tokio::time::sleep(Duration::from_millis(2000)).await;
    let stopping = Instant::now();
    cluster.stop();
    let down = Instant::now();
    tokio::time::sleep(DOWN_FOR).await;
    let mut cluster = EmbeddedPostgres::start(&base).expect("the private cluster starts again");
    let up = Instant::now();
    // Recovered: a page and the health check answer 200 again.
    let recovered = loop {
        let page = exchange(&router, &cookie, Kind::Page, &format!("/authors/{}", to_follow[0])).await;
        let health = exchange(&router, &cookie, Kind::Page, "/healthz").await;
        if page == Some(StatusCode::OK) && health == Some(StatusCode::OK) {
            break up.elapsed();
        }
        assert!(up.elapsed() < 2 * RECOVERY_BUDGET, "not back {:?} after the restart", up.elapsed());
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    // Load goes on a little after the recovery: everything must succeed by then.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::Relaxed);
    while let Some(joined) = workers.join_next().await {
        joined.expect("a worker does not panic");
    }

    let answers = std::mem::take(&mut *answers.lock().expect("not poisoned"));
    let mut counts = BTreeMap::<(&str, Kind, String), usize>::new();
    for a in &answers {
        let phase = if a.started < stopping {
            "before"
        } else if a.started < up {
            "down"
        } else if a.started < up + recovered {
            "recovering"
        } else {
            "after"
        };
        let status = a.status.map_or_else(|| "hung".to_owned(), |s| s.as_u16().to_string());
        *counts.entry((phase, a.kind, status)).or_default() += 1;
    }
    let acknowledged = std::mem::take(&mut *acknowledged.lock().expect("not poisoned"));
    let followed: Vec<String> = sqlx::query_scalar(
        "SELECT a.slug FROM follows f JOIN authors a ON a.id = f.author_id WHERE f.user_id = $1 ORDER BY a.slug",
    )
    .bind(user)
    .fetch_all(&pool)
    .await
    .expect("the follows after the restart");
    let lost: Vec<_> = acknowledged.iter().filter(|(slug, follows)| followed.contains(slug) != **follows).collect();
    println!(
        "stop took {:?}, down for {:?}, back {recovered:?} after the restart; {} requests: {counts:?}; \
         {} follows and unfollows acknowledged, {} of them not in the table",
        down - stopping,
        up - down,
        answers.len(),
        acknowledged.len(),
        lost.len()
    );
    cluster.stop();

    let hung: Vec<_> = answers.iter().filter(|a| a.status.is_none()).collect();
    assert!(hung.is_empty(), "requests without an answer within {DEADLINE:?}: {hung:?}");
    let bad: Vec<_> = answers
        .iter()
        .filter(|a| a.status.is_some_and(|s| s.is_server_error() && s != StatusCode::SERVICE_UNAVAILABLE))
        .collect();
    assert!(bad.is_empty(), "server errors other than 503: {bad:?}");
    let failed_after: Vec<_> =
        answers.iter().filter(|a| a.started > up + recovered && a.status != Some(StatusCode::OK)).collect();
    assert!(failed_after.is_empty(), "failures once the service was back: {failed_after:?}");
    let failed_before: Vec<_> =
        answers.iter().filter(|a| a.finished < stopping && a.status != Some(StatusCode::OK)).collect();
    assert!(failed_before.is_empty(), "failures before the outage: {failed_before:?}");
    assert!(counts.keys().any(|(phase, _, status)| *phase == "down" && status == "503"), "the outage was seen");
    assert!(lost.is_empty(), "acknowledged but not in the table: {lost:?}");
    assert!(!acknowledged.is_empty(), "some follows were acknowledged");
    assert!(recovered <= RECOVERY_BUDGET, "back only {recovered:?} after the restart");
}
