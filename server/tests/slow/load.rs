//! Many page renders at once: every page kind (one resource under one Suspense, rendered with
//! `SsrMode::Async`) answers within seconds under 64 requests in flight, also while other routers
//! are built in the same process, as the other tests of this binary do.

use crate::helpers::{app, import_seed, signed_in, REFERENCE_SLUG};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::PgPool;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tower::ServiceExt;

/// Renders of the profile and of the claim page (each alternately logged out and logged in), and
/// of every other page kind: all have the same shape, the two named in the hang's report most.
const NAMED: usize = 200;
const OTHERS: usize = 40;
/// Requests in flight at once.
const IN_FLIGHT: usize = 64;
/// A render slower than this counts as hung (a hung one never ends; the slowest healthy render
/// seen on a 2-core machine at load average 16 took 6 s).
const DEADLINE: Duration = Duration::from_secs(10);
/// After this many hung renders the run stops early: the verdict is already known.
const GIVE_UP_AFTER: usize = 8;

#[derive(Debug, Default)]
struct Outcome {
    done: usize,
    hung: Vec<String>,
    wrong: Vec<String>,
    slowest: Duration,
}

async fn render(router: Router, path: String, cookie: Option<String>) -> Result<(StatusCode, bool), String> {
    let mut request = Request::get(&path).header("accept", "text/html");
    if let Some(cookie) = cookie {
        request = request.header("cookie", cookie);
    }
    let request = request.body(Body::empty()).map_err(|e| e.to_string())?;
    let response = router.oneshot(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.into_body().collect().await.map_err(|e| e.to_string())?.to_bytes();
    Ok((status, String::from_utf8_lossy(&body).contains("</html>")))
}

/// Fires each path's count of requests, `IN_FLIGHT` at a time, on a multi-threaded runtime
/// (as the server runs), while another thread keeps building routers.
async fn hammer(
    options: PgConnectOptions,
    paths: Vec<(String, Option<String>, usize)>,
    logged_in: Option<String>,
) -> Outcome {
    let pool = PgPoolOptions::new()
        .max_connections(10)
        .acquire_timeout(Duration::from_secs(3))
        .connect_with(options)
        .await
        .expect("a pool for the load");
    let router = app(pool.clone());

    let stop = Arc::new(AtomicBool::new(false));
    let builder = {
        let (stop, pool, runtime) = (stop.clone(), pool.clone(), tokio::runtime::Handle::current());
        std::thread::spawn(move || {
            let _entered = runtime.enter();
            let mut built = 0_usize;
            while !stop.load(Ordering::Relaxed) {
                drop(app(pool.clone()));
                built += 1;
                std::thread::sleep(Duration::from_millis(10));
            }
            built
        })
    };

    let hung = Arc::new(AtomicUsize::new(0));
    let permits = Arc::new(tokio::sync::Semaphore::new(IN_FLIGHT));
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..NAMED.max(OTHERS) {
        for (kind, (path, cookie, times)) in paths.iter().enumerate() {
            if round >= *times {
                continue;
            }
            // The profile and claim pages: every other round as the logged-in visitor.
            let cookie = if kind < 2 && round % 2 == 1 { logged_in.clone() } else { cookie.clone() };
            let permit = permits.clone().acquire_owned().await.expect("the semaphore stays open");
            if hung.load(Ordering::Relaxed) >= GIVE_UP_AFTER {
                break;
            }
            let (router, path, hung) = (router.clone(), path.clone(), hung.clone());
            tasks.spawn(async move {
                let _permit = permit;
                let started = Instant::now();
                let result = tokio::time::timeout(DEADLINE, render(router, path.clone(), cookie)).await;
                if result.is_err() {
                    hung.fetch_add(1, Ordering::Relaxed);
                }
                (format!("{path} (#{round})"), started.elapsed(), result)
            });
        }
    }
    let mut outcome = Outcome::default();
    while let Some(joined) = tasks.join_next().await {
        let (what, took, result) = joined.expect("a render task does not panic");
        outcome.slowest = outcome.slowest.max(took);
        match result {
            Err(_) => outcome.hung.push(what),
            Ok(Ok((StatusCode::OK, true))) => outcome.done += 1,
            Ok(other) => outcome.wrong.push(format!("{what}: {other:?}")),
        }
    }
    stop.store(true, Ordering::Relaxed);
    let built = builder.join().expect("the router builder does not panic");
    println!(
        "{} renders done, {} hung, {} wrong, slowest {:?}, {built} routers built meanwhile",
        outcome.done,
        outcome.hung.len(),
        outcome.wrong.len(),
        outcome.slowest
    );
    pool.close().await;
    outcome
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn hundreds_of_concurrent_renders_of_every_page_kind_finish_while_routers_are_built(pool: PgPool) {
    import_seed(&pool).await;
    let browser = signed_in(app(pool.clone()), &pool, "load@example.org").await;
    let work: String =
        sqlx::query_scalar("SELECT slug FROM works ORDER BY id LIMIT 1").fetch_one(&pool).await.expect("a work");
    let logged_in = browser.cookie.clone();
    let paths = vec![
        (format!("/authors/{REFERENCE_SLUG}"), None, NAMED),
        (format!("/authors/{REFERENCE_SLUG}/claim"), None, NAMED),
        (format!("/works/{work}"), None, OTHERS),
        ("/search?q=nacson".to_owned(), None, OTHERS),
        (format!("/explore?focus=a:{REFERENCE_SLUG}"), None, OTHERS),
        ("/me/following".to_owned(), logged_in.clone(), OTHERS),
        ("/me/inbox".to_owned(), logged_in.clone(), OTHERS),
    ];

    // The server runs on a multi-threaded runtime; `#[sqlx::test]` gives a single-threaded one.
    let options = (*pool.connect_options()).clone();
    let started = Instant::now();
    let outcome = std::thread::spawn(move || {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(4)
            .enable_all()
            .build()
            .expect("a runtime")
            .block_on(hammer(options, paths, logged_in))
    })
    .join()
    .expect("the load thread does not panic");
    println!("the load took {:?}", started.elapsed());
    assert!(outcome.hung.is_empty(), "renders still waiting after {DEADLINE:?}: {:?}", outcome.hung);
    assert!(outcome.wrong.is_empty(), "renders without a whole 200 page: {:?}", outcome.wrong);
}
