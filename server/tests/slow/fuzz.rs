//! Property-based fuzz of every page route and server function through the real router: random
//! segments, queries and forms (wrong types, missing and repeated keys, NUL, invalid UTF-8,
//! oversize bodies), random methods and content types, logged in or not. No answer may be a 5xx,
//! no handler may panic or hang. `FUZZ_CASES` and `FUZZ_SEED` (a number) override the defaults;
//! `FUZZ_LOG=1` prints every case with its status.

use crate::fuzz_cases::{case, Case, Known};
use crate::helpers::{app, import_seed, signed_in, SITE};
use axum::body::Body;
use axum::http::Request;
use axum::Router;
use http_body_util::BodyExt;
use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sqlx::PgPool;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};
use tower::ServiceExt;

const DEFAULT_CASES: usize = 10_000;
/// Requests in flight at once: most wait on the database.
const IN_FLIGHT: usize = 6;

/// Every server function's fields; one missing here is still fuzzed, with all these names.
const SERVER_FNS: &[(&str, &[&str])] = &[
    ("get_work", &["slug"]),
    ("get_profile", &["slug", "after", "sort"]),
    ("search", &["q", "kind", "page"]),
    ("explore", &["focus", "expand", "q"]),
    ("signup", &["email", "display_name", "password", "next"]),
    ("verify_email", &["token", "password"]),
    ("login", &["email", "password", "next"]),
    ("resend_verification", &["email"]),
    ("logout", &[]),
    ("dev_outbox", &[]),
    ("follow_researcher", &["slug"]),
    ("unfollow_researcher", &["slug"]),
    ("following", &["after"]),
    ("claim_page", &["slug"]),
    ("claim_with_email", &["slug"]),
    ("claim_with_evidence", &["slug", "evidence", "links"]),
    ("dispute_claim", &["slug", "evidence", "links", "claim"]),
    ("moderation_queue", &[]),
    ("decide_request", &["id", "decision", "reason"]),
    ("unclaim_record", &["slug", "reason"]),
    ("record_audit", &["slug"]),
    ("record_institutions", &["slug"]),
    ("update_record", &["slug", "bio", "affiliation", "homepage", "open_to_collaborate", "affiliation_institution"]),
    ("hide_work", &["slug", "work"]),
    ("send_invitation", &["slug", "subject", "body", "work"]),
    ("withdraw_invitation", &["id", "back"]),
    ("answer_invitation", &["id", "decision", "note"]),
    ("inbox", &["received", "sent", "conversations"]),
    ("block_user", &["user", "back"]),
    ("unblock_user", &["user", "back"]),
    ("conversation", &["id", "before"]),
    ("post_message", &["conversation", "body"]),
    ("close_conversation", &["conversation"]),
    ("request_password_reset", &["email"]),
    ("reset_password", &["token", "password"]),
    ("take_flash", &["page"]),
];

/// The fields of a server function, by its path; an unlisted one gets every name we know.
fn fields_of(path: &str) -> Vec<&'static str> {
    let name = path.trim_start_matches("/api/");
    match SERVER_FNS.iter().find(|(n, _)| *n == name) {
        Some((_, fields)) => fields.to_vec(),
        None => {
            let mut all: Vec<&'static str> = SERVER_FNS.iter().flat_map(|(_, f)| f.iter().copied()).collect();
            all.sort_unstable();
            all.dedup();
            all
        }
    }
}

/// Bea holds the reference record, moderates, and has a conversation with Ada: the fuzz acts as
/// Bea, so owner, moderator and participant paths are reachable. Returns her cookie and what the
/// database holds.
async fn world(pool: &PgPool) -> (String, Known) {
    import_seed(pool).await;
    let mut ada = signed_in(app(pool.clone()), pool, "ada@example.org").await;
    let mut bea = signed_in(app(pool.clone()), pool, "bea@example.org").await;
    sqlx::query(
        "UPDATE authors SET claim_state = 'claimed', claimed_by = (SELECT id FROM users WHERE email = $2),
         open_to_collaborate = true WHERE slug = $1",
    )
    .bind(crate::helpers::REFERENCE_SLUG)
    .bind("bea@example.org")
    .execute(pool)
    .await
    .expect("Bea holds the record");
    sqlx::query("UPDATE users SET is_moderator = true WHERE email = 'bea@example.org'")
        .execute(pool)
        .await
        .expect("Bea moderates");
    let invite = format!("slug={}&subject=Hello&body=Twenty+characters+at+least+here.", crate::helpers::REFERENCE_SLUG);
    let sent = ada.post_json("/api/send_invitation", &invite).await;
    let accepted = bea.post_json("/api/answer_invitation", &format!("id={}&decision=accept", sent.body)).await;
    assert!(accepted.status.is_success(), "{}", accepted.body);

    let text = |sql: &'static str| sqlx::query_scalar::<_, String>(sql).fetch_all(pool);
    let mut values =
        text("(SELECT slug FROM authors ORDER BY id LIMIT 4) UNION ALL (SELECT slug FROM works ORDER BY id LIMIT 4)")
            .await
            .expect("slugs");
    let slugs = values.clone();
    values.extend(slugs.iter().map(|s| format!("a:{s}")));
    values.extend(text("SELECT 't:' || id FROM topics ORDER BY id LIMIT 3").await.expect("topics"));
    values.extend(text("SELECT id::text FROM users UNION ALL SELECT id::text FROM invitations").await.expect("ids"));
    values.extend(text("SELECT id::text FROM conversations").await.expect("conversations"));
    values.extend(["ada@example.org", "Mor Shpigel", "2022-01-01.1", "/authors", "plain words"].map(str::to_owned));

    let mut server_fns: Vec<(String, Vec<&'static str>)> =
        leptos::server_fn::axum::server_fn_paths().map(|(path, _)| (path.to_owned(), fields_of(path))).collect();
    server_fns.sort();
    server_fns.dedup();
    let routes = leptos_axum::generate_route_list(app::App).iter().map(|r| r.path().to_owned()).collect();
    let cookie = bea.cookie.take().expect("Bea is logged in");
    (cookie, Known { values, routes, server_fns })
}

fn request(case: &Case, cookie: &str) -> Option<Request<Body>> {
    let client = std::net::SocketAddr::from(([10, 0, 0, case.client], 40_000));
    let mut builder =
        Request::builder().method(case.method).uri(&case.uri).extension(axum::extract::ConnectInfo(client));
    if let Some(content_type) = case.content_type {
        builder = builder.header("content-type", content_type);
    }
    if let Some(accept) = case.accept {
        builder = builder.header("accept", accept);
    }
    match case.same_origin {
        Some(true) => builder = builder.header("origin", SITE),
        Some(false) => builder = builder.header("origin", "https://evil.example"),
        None => {}
    }
    // Logging Bea out would end the logged-in half of the run.
    if case.logged_in && !case.uri.starts_with("/api/logout") {
        builder = builder.header("cookie", cookie);
    }
    builder.body(Body::from(case.body.clone())).ok()
}

/// A case's status and how long it took, or what went wrong (5xx, panic, hang, broken body).
type Outcome = Result<(u16, Duration), String>;

/// Sends one case.
async fn exchange(app: &Router, cookie: &str, case: &Case) -> Outcome {
    let Some(request) = request(case, cookie) else {
        return Ok((0, Duration::ZERO));
    };
    let app = app.clone();
    let started = Instant::now();
    let mut task = tokio::spawn(async move {
        let response = app.oneshot(request).await.map_err(|e| format!("{e}"))?;
        let status = response.status().as_u16();
        response.into_body().collect().await.map_err(|e| format!("the body broke off: {e}"))?;
        Ok::<u16, String>(status)
    });
    match tokio::time::timeout(Duration::from_secs(20), &mut task).await {
        Err(_) => {
            task.abort();
            Err("no answer within 20 s".to_owned())
        }
        Ok(Err(e)) => Err(format!("the handler panicked: {e}")),
        Ok(Ok(Err(e))) => Err(e),
        Ok(Ok(Ok(status))) if status >= 500 => Err(format!("answered {status}")),
        Ok(Ok(Ok(status))) => Ok((status, started.elapsed())),
    }
}

/// The simplest case that still fails, shrunk as proptest would (bounded). Each try comes from a
/// fresh client address, so the per-address rate limits do not make a failing case pass.
async fn shrink(app: &Router, cookie: &str, mut tree: Box<dyn ValueTree<Value = Case>>, why: String) -> (Case, String) {
    let mut found = (tree.current(), why);
    if !tree.simplify() {
        return found;
    }
    for attempt in 0..300u16 {
        let mut candidate = tree.current();
        candidate.client = 16 + (attempt % 200) as u8;
        let more = match exchange(app, cookie, &candidate).await {
            Err(why) => {
                found = (candidate, why);
                tree.simplify()
            }
            Ok(_) => tree.complicate(),
        };
        if !more {
            break;
        }
    }
    found
}

/// What the run saw: statuses, the slowest requests, and the failing cases (shrunk).
#[derive(Default)]
struct Tally {
    statuses: BTreeMap<u16, usize>,
    slowest: Vec<(Duration, String)>,
    failures: Vec<(Case, String)>,
}

impl Tally {
    fn answered(&mut self, case: &Case, status: u16, took: Duration, log: bool) {
        if log {
            println!("fuzz-case {status} {case:?}");
        }
        *self.statuses.entry(status).or_default() += 1;
        self.slowest.push((took, case.uri.chars().take(120).collect()));
        self.slowest.sort_by_key(|(took, _)| std::cmp::Reverse(*took));
        self.slowest.truncate(5);
    }
}

fn runner() -> (TestRunner, u64) {
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| {
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(1, |d| d.as_nanos() as u64)
    });
    let mut seed_bytes = [0u8; 32];
    seed_bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let config = Config { failure_persistence: None, ..Config::default() };
    (TestRunner::new_with_rng(config, TestRng::from_seed(RngAlgorithm::ChaCha, &seed_bytes)), seed)
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn random_requests_to_every_route_never_get_a_server_error(pool: PgPool) {
    let cases: usize = std::env::var("FUZZ_CASES").ok().and_then(|c| c.parse().ok()).unwrap_or(DEFAULT_CASES);
    let log = std::env::var_os("FUZZ_LOG").is_some();
    let (mut runner, seed) = runner();
    let (cookie, known) = world(&pool).await;
    let unlisted: Vec<&str> = known
        .server_fns
        .iter()
        .map(|(path, _)| path.as_str())
        .filter(|path| !SERVER_FNS.iter().any(|(name, _)| path.trim_start_matches("/api/") == *name))
        .collect();
    println!(
        "fuzz: {} page routes, {} server functions ({unlisted:?} fuzzed with every field name)",
        known.routes.len(),
        known.server_fns.len()
    );
    let app = app(pool);
    let strategy = case(&known);

    let started = Instant::now();
    let mut tally = Tally::default();
    let mut done = 0;
    while done < cases {
        let batch: Vec<_> = (0..IN_FLIGHT.min(cases - done))
            .map(|_| strategy.new_tree(&mut runner).expect("a generated case"))
            .collect();
        done += batch.len();
        let outcomes = send_all(batch.iter().map(|tree| tree.current()).collect(), &app, &cookie).await;
        for (tree, outcome) in batch.into_iter().zip(outcomes) {
            match outcome {
                Ok((status, took)) => tally.answered(&tree.current(), status, took, log),
                Err(why) => tally.failures.push(shrink(&app, &cookie, tree, why).await),
            }
        }
    }
    let Tally { statuses, slowest, failures } = tally;
    println!("fuzz: {done} cases in {:.1} s, seed {seed} (FUZZ_SEED to replay)", started.elapsed().as_secs_f64());
    println!("fuzz: statuses {statuses:?} (0: not a valid request, not sent); failures: {}", failures.len());
    println!("fuzz: slowest {slowest:?}");
    let report: Vec<String> = failures.iter().take(10).map(|(case, why)| format!("{why}: {case:?}")).collect();
    assert!(failures.is_empty(), "{} failing cases (seed {seed}), shrunk:\n{}", failures.len(), report.join("\n"));
}

/// Sends the cases at once; their outcomes in the cases' order.
async fn send_all(cases: Vec<Case>, app: &Router, cookie: &str) -> Vec<Outcome> {
    let mut set = tokio::task::JoinSet::new();
    for (i, case) in cases.into_iter().enumerate() {
        let (app, cookie) = (app.clone(), cookie.to_owned());
        set.spawn(async move { (i, exchange(&app, &cookie, &case).await) });
    }
    let mut outcomes: Vec<(usize, Outcome)> = Vec::new();
    while let Some(joined) = set.join_next().await {
        outcomes.push(joined.unwrap_or_else(|e| (usize::MAX, Err(format!("{e}")))));
    }
    outcomes.sort_by_key(|(i, _)| *i);
    outcomes.into_iter().map(|(_, o)| o).collect()
}
