//! Many stateless servers on one database: two real `server` processes, one visitor alternating
//! between them as a load balancer would send it; background jobs that run once across
//! processes; graceful shutdown and the load balancer's health checks.

use crate::helpers::EVIDENCE;
use crate::helpers::{import_seed, text, REFERENCE_SLUG};
use crate::processes::{body, database_url, ServerProcess, SmtpSink, Visitor};
use sqlx::PgPool;
use std::time::{Duration, Instant};
use tokio::io::AsyncWriteExt;

const INVITE: &str = "subject=Working+together&body=I+would+like+to+extend+your+SGD+result+to+deep+nets.";

/// The token of the newest mail to `email`.
async fn token_for(pool: &PgPool, email: &str) -> String {
    crate::helpers::verification_token(pool, email).await
}

/// Signs `email` up on `a`, verifies on `b`, logs in on `a`.
async fn sign_up_across(pool: &PgPool, visitor: &mut Visitor, a: &ServerProcess, b: &ServerProcess, email: &str) {
    let encoded = email.replace('@', "%40");
    let signup =
        visitor.post(a, "/api/signup", &format!("email={encoded}&display_name=Tester&password=correct+horse")).await;
    assert_eq!(signup.status, 303, "{}", body(&signup));
    let token = token_for(pool, email).await;
    let verified = visitor.post(b, "/api/verify_email", &format!("token={token}&password=correct+horse")).await;
    assert_eq!((verified.status, verified.header("location")), (303, Some("/login?verified=1")));
    let login = visitor.post(a, "/api/login", &format!("email={encoded}&password=correct+horse")).await;
    assert_eq!((login.status, login.header("location")), (303, Some("/")), "{}", body(&login));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn two_server_processes_behave_as_one_for_a_visitor_without_javascript(pool: PgPool) {
    import_seed(&pool).await;
    let other: String = sqlx::query_scalar("SELECT slug FROM authors WHERE slug <> $1 ORDER BY slug LIMIT 1")
        .bind(REFERENCE_SLUG)
        .fetch_one(&pool)
        .await
        .expect("a second record");
    let url = database_url(&pool);
    let (a, b) = tokio::join!(ServerProcess::start(&url, &[]), ServerProcess::start(&url, &[]));

    // Sign up on A, verify on B, log in on A: one session, whichever process answers.
    let mut ada = Visitor::default();
    sign_up_across(&pool, &mut ada, &a, &b, "ada@example.org").await;
    assert!(text(&body(&ada.get(&b, "/").await)).contains("Tester Inbox"), "B knows who is logged in");

    // Follow on B, see the count on A: at once for the writer, and within a second on both
    // processes for a visitor without a session, though each holds the page kept before.
    let profile = format!("/authors/{REFERENCE_SLUG}");
    let mut anonymous = Visitor::default();
    for process in [&a, &b] {
        assert!(text(&body(&anonymous.get(process, &profile).await)).contains("Follow researcher 0"));
    }
    let follow = ada.post(&b, "/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!((follow.status, follow.header("location")), (303, Some(profile.as_str())));
    let followed = std::time::Instant::now();
    assert!(text(&body(&ada.get(&a, &profile).await)).contains("Following Unfollow 1"));
    for process in [&a, &b] {
        let page = anonymous.get(process, &profile).await;
        assert!(text(&body(&page)).contains("Follow researcher 1"), "the kept page moved with the follow");
        assert!(page.header("etag").is_some(), "and is kept again");
    }
    assert!(followed.elapsed() < std::time::Duration::from_secs(1));

    // Claim on A, see "Claim pending" on B.
    let claim = ada.post(&a, "/api/claim_with_evidence", &format!("slug={other}&{EVIDENCE}")).await;
    assert_eq!(claim.status, 303, "{}", body(&claim));
    assert!(text(&body(&ada.get(&b, &format!("/authors/{other}")).await)).contains("Claim pending"));

    // Bea holds the reference record; Ada invites her on B, Bea sees it in her inbox on A.
    let mut bea = Visitor::default();
    sign_up_across(&pool, &mut bea, &b, &a, "bea@example.org").await;
    sqlx::query(
        "UPDATE authors SET claim_state = 'claimed', claimed_by = (SELECT id FROM users WHERE email = $2) WHERE slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .bind("bea@example.org")
    .execute(&pool)
    .await
    .expect("Bea holds the record");
    let sent = ada.post(&b, "/api/send_invitation", &format!("slug={REFERENCE_SLUG}&{INVITE}")).await;
    assert_eq!(sent.status, 303, "{}", body(&sent));
    let inbox = text(&body(&bea.get(&a, "/me/inbox").await));
    assert!(inbox.contains("Working together"), "{inbox}");

    // The log-in limit (10 attempts per client address per quarter hour) counts attempts on both
    // processes together: after Ada's and Bea's log-ins, alternating, the 9th attempt is the
    // 11th from this address, though neither process has seen more than 6 of them.
    let mut stranger = Visitor::default();
    let mut refused = None;
    for attempt in 1..=11 {
        let on = if attempt % 2 == 0 { &a } else { &b };
        let tried = stranger.post(on, "/api/login", "email=ada%40example.org&password=wrong+password").await;
        if tried.status == 429 {
            refused = Some((attempt, tried.header("retry-after").is_some()));
            break;
        }
        assert_eq!(tried.status, 303, "attempt {attempt}: {}", body(&tried));
    }
    assert_eq!(refused, Some((9, true)), "the 11th log-in from this address, across both processes, is refused");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn two_processes_deliver_each_queued_mail_once_and_run_housekeeping_once(pool: PgPool) {
    // Thirty mails queued while no server was running.
    for i in 0..30 {
        db::writes::outbox::insert(&pool, &format!("r{i}@example.org"), &format!("Mail {i}"), "Hello", true)
            .await
            .expect("queued");
    }
    // Each mail takes the SMTP server 30 ms, so both senders are at work at once.
    let sink = SmtpSink::start(Duration::from_millis(30)).await;
    let url = database_url(&pool);
    let smtp = sink.url();
    let env_a = [("BZPEER_SMTP_URL", smtp.as_str()), ("BZPEER_MAIL_FROM", "a@bzpeer.test")];
    let env_b = [("BZPEER_SMTP_URL", smtp.as_str()), ("BZPEER_MAIL_FROM", "b@bzpeer.test")];
    let (_a, _b) = tokio::join!(ServerProcess::start(&url, &env_a), ServerProcess::start(&url, &env_b));
    let started = Instant::now();
    loop {
        let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM outbox WHERE sent_at IS NULL")
            .fetch_one(&pool)
            .await
            .expect("count");
        if pending == 0 {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "{pending} mails still pending after 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A moment for a mail sent twice to arrive.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let received = sink.received();
    let mut subjects: Vec<String> = received
        .iter()
        .filter_map(|mail| mail.data.lines().find_map(|l| l.strip_prefix("Subject: ")).map(str::to_owned))
        .collect();
    subjects.sort();
    let mut expected: Vec<String> = (0..30).map(|i| format!("Mail {i}")).collect();
    expected.sort();
    assert_eq!(subjects, expected, "every mail once");
    let by_a = received.iter().filter(|m| m.from.contains("a@bzpeer.test")).count();
    eprintln!("mail delivered by process A: {by_a}, by process B: {}", received.len() - by_a);

    // Both processes looked for the hourly housekeeping as they started; one ran it.
    assert_eq!(db::job_runs::runs(&pool, jobs::HOUSEKEEPING).await.expect("runs"), 1);
    let summary: Option<String> = sqlx::query_scalar("SELECT last_summary FROM job_runs WHERE job = 'housekeeping'")
        .fetch_one(&pool)
        .await
        .expect("the run is recorded");
    assert!(summary.is_some_and(|s| s.contains("expired sessions")));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn sigterm_finishes_the_request_in_flight_then_exits(pool: PgPool) {
    let url = database_url(&pool);
    let mut server = ServerProcess::start(&url, &[]).await;
    // A form post whose body is still arriving when the stop comes.
    let form = b"email=someone%40example.org&password=correct+horse";
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connected");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: {addr}\r\nOrigin: http://{addr}\r\nAccept: text/html\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n",
        form.len(),
        addr = server.addr
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    stream.write_all(&form[..10]).await.expect("part of the body sent");
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.terminate();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(server.exited_within(Duration::ZERO).await, None, "it waits for the request in flight");
    // New connections are no longer accepted.
    assert!(tokio::net::TcpStream::connect(server.addr).await.is_err(), "the listener is closed");
    stream.write_all(&form[10..]).await.expect("the rest of the body sent");
    let mut answer = String::new();
    tokio::io::AsyncReadExt::read_to_string(&mut stream, &mut answer).await.expect("an answer");
    assert!(answer.starts_with("HTTP/1.1 303"), "the request in flight is answered: {answer}");
    assert_eq!(server.exited_within(Duration::from_secs(10)).await, Some(0), "{}", server.log_tail());
    assert!(server.log().contains("stopped"), "{}", server.log_tail());
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_request_that_never_finishes_does_not_hold_the_shutdown_past_its_grace(pool: PgPool) {
    let url = database_url(&pool);
    let mut server = ServerProcess::start(&url, &[("BZPEER_SHUTDOWN_GRACE_SECS", "1")]).await;
    let mut stream = tokio::net::TcpStream::connect(server.addr).await.expect("connected");
    let head = format!(
        "POST /api/login HTTP/1.1\r\nHost: {0}\r\nOrigin: http://{0}\r\nContent-Length: 100\r\n\r\nemail=",
        server.addr
    );
    stream.write_all(head.as_bytes()).await.expect("head sent");
    tokio::time::sleep(Duration::from_millis(200)).await;
    let stopping = Instant::now();
    server.terminate();
    assert_eq!(server.exited_within(Duration::from_secs(10)).await, Some(0), "{}", server.log_tail());
    let took = stopping.elapsed();
    assert!(took >= Duration::from_millis(900) && took < Duration::from_secs(5), "stopped after {took:?}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn readiness_needs_the_database_and_this_builds_schema_and_liveness_does_not(pool: PgPool) {
    let app = crate::helpers::app(pool.clone());
    let live = crate::helpers::get(&app, "/healthz").await;
    assert_eq!((live.status.as_u16(), live.body.as_str()), (200, "ok"));
    let ready = crate::helpers::get(&app, "/readyz").await;
    assert_eq!((ready.status.as_u16(), ready.body.as_str()), (200, "ready"));

    // A database a migration behind this build: not ready, and it says why.
    sqlx::query("DELETE FROM _sqlx_migrations WHERE version = (SELECT max(version) FROM _sqlx_migrations)")
        .execute(&pool)
        .await
        .expect("forget the newest migration");
    let behind = crate::helpers::get(&app, "/readyz").await;
    assert_eq!((behind.status.as_u16(), behind.body.as_str()), (503, "migrations not applied: 1"));

    // No database at all: liveness still answers, readiness does not.
    pool.close().await;
    assert_eq!(crate::helpers::get(&app, "/healthz").await.status.as_u16(), 200);
    assert_eq!(crate::helpers::get(&app, "/readyz").await.status.as_u16(), 503);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_job_claimed_in_its_period_is_not_claimed_again_until_the_period_has_passed(pool: PgPool) {
    use db::job_runs::claim;
    let hour = Duration::from_secs(3600);
    assert_eq!(claim(&pool, "job", hour).await.expect("claimed"), Some(1));
    assert_eq!(claim(&pool, "job", hour).await.expect("asked"), None, "the same hour: another process ran it");
    assert_eq!(claim(&pool, "other", hour).await.expect("claimed"), Some(1), "jobs are counted apart");
    sqlx::query("UPDATE job_runs SET last_started_at = now() - interval '55 minutes' WHERE job = 'job'")
        .execute(&pool)
        .await
        .expect("an earlier run");
    assert_eq!(claim(&pool, "job", hour).await.expect("claimed"), Some(2), "a timer a little early still runs it");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn senders_leasing_at_once_never_share_a_mail_and_failed_mail_waits_for_its_retry(pool: PgPool) {
    use db::writes::outbox;
    for i in 0..40 {
        outbox::insert(&pool, &format!("r{i}@example.org"), "Hello", "Body", true).await.expect("queued");
    }
    outbox::insert(&pool, "dev@example.org", "Kept for /dev/outbox", "Body", false).await.expect("written");
    let mut senders = tokio::task::JoinSet::new();
    for _ in 0..4 {
        let pool = pool.clone();
        senders.spawn(async move { outbox::lease_pending(&pool, 15, 120).await.expect("leased") });
    }
    let mut ids: Vec<i64> = senders.join_all().await.into_iter().flatten().map(|m| m.id).collect();
    let leased = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!((leased, ids.len()), (40, 40), "each queued mail leased once, the outbox-only one never");
    assert!(outbox::lease_pending(&pool, 15, 120).await.expect("leased").is_empty(), "all are under lease");

    outbox::mark_failed(&pool, ids[0], 0, "connection refused").await.expect("failed");
    outbox::mark_sent(&pool, ids[1]).await.expect("sent");
    sqlx::query("UPDATE outbox SET lease_until = now() - interval '1 second' WHERE id = ANY($1)")
        .bind(&ids[..2])
        .execute(&pool)
        .await
        .expect("leases over");
    let again = outbox::lease_pending(&pool, 15, 120).await.expect("leased");
    assert_eq!(again.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(), [(ids[0], 2)], "only the failed one");
}
