//! Alerts about followed researchers: the private feed (made, shown once, revoked), the digest
//! (queued once per period, with a one-click unsubscribe that works from a mail client), and the
//! digest sent once by two real server processes.

use crate::helpers::{add_work_by, app, import_seed, send, signed_in, text, REFERENCE_SLUG, SITE};
use crate::processes::{database_url, ServerProcess, SmtpSink};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use sqlx::PgPool;
use std::time::{Duration, Instant};

/// The feed address the settings page shows once, after it was made.
fn feed_path(html: &str) -> String {
    let start = html.find(&format!("{SITE}/feeds/")).expect("the feed's address is shown");
    let url = &html[start..start + html[start..].find('"').expect("the link ends")];
    url.trim_start_matches(SITE).to_owned()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_private_feed_lists_followed_works_and_a_new_address_revokes_the_old(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    assert_eq!(crate::helpers::get(&app, "/me/settings").await.status, StatusCode::UNAUTHORIZED);
    let mut browser = signed_in(app.clone(), &pool, "reader@example.org").await;
    browser.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;

    let made = browser.post_form("/api/reset_private_feed", "").await;
    assert_eq!((made.status, made.location()), (StatusCode::SEE_OTHER, "/me/settings"));
    let settings = browser.get("/me/settings").await;
    let path = feed_path(&settings.body);
    assert!(text(&settings.body).contains("Your private feed is on"));
    // Shown once: the next view no longer has it.
    assert!(!browser.get("/me/settings").await.body.contains("/feeds/"));

    // No session needed: the secret is the key.
    let feed = crate::helpers::get(&app, &path).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(feed.headers.get("cache-control").expect("as the test set it up"), "private, no-store");
    let parsed = feed_rs::parser::parse(feed.body.as_bytes()).expect("an Atom feed");
    assert_eq!(parsed.entries.len(), 3, "her three works");
    let stored: Option<Vec<u8>> = sqlx::query_scalar("SELECT feed_token_hash FROM alert_settings")
        .fetch_one(&pool)
        .await
        .expect("as the test set it up");
    assert!(stored.is_some_and(|h| h.len() == 32), "only the token's hash is kept");

    browser.post_form("/api/reset_private_feed", "").await;
    let again = feed_path(&browser.get("/me/settings").await.body);
    assert_ne!(again, path);
    assert_eq!(crate::helpers::get(&app, &path).await.status, StatusCode::NOT_FOUND, "the old address is revoked");
    assert_eq!(crate::helpers::get(&app, &again).await.status, StatusCode::OK);
    browser.post_form("/api/remove_private_feed", "").await;
    assert_eq!(crate::helpers::get(&app, &again).await.status, StatusCode::NOT_FOUND);
    assert_eq!(crate::helpers::get(&app, "/feeds/not-a-token.atom").await.status, StatusCode::NOT_FOUND);
}

/// The seed's works arrived a month ago: they are not news.
async fn seed_is_old(pool: &PgPool) {
    sqlx::query("UPDATE works SET created_at = now() - interval '30 days'")
        .execute(pool)
        .await
        .expect("as the test set it up");
}

/// Makes the digest due: its last period ended a day and an hour ago.
async fn make_due(pool: &PgPool) {
    sqlx::query("UPDATE alert_settings SET covered_until = now() - interval '25 hours'")
        .execute(pool)
        .await
        .expect("as the test set it up");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_digest_lists_new_works_once_a_period_and_stops_with_one_click(pool: PgPool) {
    import_seed(&pool).await;
    seed_is_old(&pool).await;
    let app = app(pool.clone());
    let mut browser = signed_in(app.clone(), &pool, "digest@example.org").await;
    browser.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!(browser.post_form("/api/set_digest", "digest=monthly").await.status, StatusCode::SEE_OTHER);
    assert!(text(&browser.get("/me/settings").await.body).contains("Off, daily or weekly"), "a bad choice is named");
    assert_eq!(browser.post_form("/api/set_digest", "digest=daily").await.status, StatusCode::SEE_OTHER);
    let page = browser.get("/me/settings").await.body;
    let daily = &page[page.find("value=\"daily\"").expect("the daily choice")..];
    assert!(daily[..daily.find('>').expect("as the test set it up")].contains("checked"), "daily is chosen");

    // Nothing is due before a day has passed; works that were there before are not news.
    assert_eq!(jobs::alerts::queue_due_digests(&pool, SITE, false).await.expect("as the test set it up"), 0);
    add_work_by(&pool, REFERENCE_SLUG, "a-new-work-1", "A new work on implicit bias").await;
    make_due(&pool).await;
    assert_eq!(jobs::alerts::queue_due_digests(&pool, SITE, false).await.expect("as the test set it up"), 1);
    assert_eq!(
        jobs::alerts::queue_due_digests(&pool, SITE, false).await.expect("as the test set it up"),
        0,
        "once a period"
    );
    let (subject, body, unsubscribe): (String, String, Option<String>) = sqlx::query_as(
        "SELECT subject, body, list_unsubscribe FROM outbox WHERE to_email = 'digest@example.org' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("as the test set it up");
    assert_eq!(subject, "1 new work by researchers you follow today");
    assert!(body.contains("A new work on implicit bias") && body.contains(&format!("{SITE}/works/a-new-work-1")));
    let unsubscribe = unsubscribe.expect("a List-Unsubscribe address");
    assert!(body.contains(&unsubscribe));

    // Opening the link changes nothing; a mail client's one-click POST (from no page of ours) stops it.
    let path = unsubscribe.trim_start_matches(SITE).to_owned();
    let opened = crate::helpers::get(&app, &path).await;
    assert!(text(&opened.body).contains("Stop the digest"));
    let one_click = Request::post(&path)
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("List-Unsubscribe=One-Click"))
        .expect("as the test set it up");
    assert_eq!(send(&app, one_click).await.status, StatusCode::OK);
    let digest: String =
        sqlx::query_scalar("SELECT digest FROM alert_settings").fetch_one(&pool).await.expect("as the test set it up");
    assert_eq!(digest, "off");
    add_work_by(&pool, REFERENCE_SLUG, "a-new-work-2", "Another new work").await;
    make_due(&pool).await;
    assert_eq!(
        jobs::alerts::queue_due_digests(&pool, SITE, false).await.expect("as the test set it up"),
        0,
        "no digest once stopped"
    );
    let forged = Request::post("/alerts/unsubscribe?token=forged").body(Body::empty()).expect("as the test set it up");
    assert_eq!(send(&app, forged).await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn two_processes_send_a_due_digest_once_with_its_unsubscribe_headers(pool: PgPool) {
    import_seed(&pool).await;
    seed_is_old(&pool).await;
    let app = app(pool.clone());
    let mut browser = signed_in(app.clone(), &pool, "twice@example.org").await;
    browser.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    browser.post_form("/api/set_digest", "digest=weekly").await;
    add_work_by(&pool, REFERENCE_SLUG, "a-new-work-3", "A work for the weekly digest").await;
    sqlx::query("UPDATE alert_settings SET covered_until = now() - interval '8 days'")
        .execute(&pool)
        .await
        .expect("as the test set it up");
    sqlx::query("DELETE FROM outbox").execute(&pool).await.expect("as the test set it up");

    let sink = SmtpSink::start(Duration::from_millis(10)).await;
    let url = database_url(&pool);
    let smtp = sink.url();
    let env = [("BZPEER_SMTP_URL", smtp.as_str()), ("BZPEER_MAIL_FROM", "digest@bzpeer.test")];
    let (_a, _b) = tokio::join!(ServerProcess::start(&url, &env), ServerProcess::start(&url, &env));
    let started = Instant::now();
    while sink.received().is_empty() {
        assert!(started.elapsed() < Duration::from_secs(30), "no digest after 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // A moment for a second copy to arrive, were there one.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let received = sink.received();
    assert_eq!(received.len(), 1, "one digest, from one of the two processes");
    let mail = &received[0].data;
    assert!(mail.contains("Subject: 1 new work by researchers you follow this week"), "{mail}");
    assert!(mail.contains("List-Unsubscribe: <http://") && mail.contains("/alerts/unsubscribe?token="), "{mail}");
    assert!(mail.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"), "{mail}");
}
