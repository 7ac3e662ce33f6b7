//! Attacks on accounts through the real router: taking over an address before its owner
//! verifies it, probing which addresses have accounts, skipping the rate limits by encoding a
//! field name or forging `X-Forwarded-For`, and reading links out of the logs.

use crate::helpers::{app, app_behind_proxies, signed_in, text, verification_token, Browser, SITE};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use sqlx::PgPool;

/// The newest mail to `to`: its subject and body.
pub async fn newest_mail(pool: &PgPool, to: &str) -> (String, String) {
    sqlx::query_as("SELECT subject, body FROM outbox WHERE to_email = $1 ORDER BY id DESC LIMIT 1")
        .bind(to)
        .fetch_one(pool)
        .await
        .expect("a mail in the outbox")
}

pub async fn mail_count(pool: &PgPool, to: &str) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM outbox WHERE to_email = $1").bind(to).fetch_one(pool).await.expect("n")
}

async fn is_verified(pool: &PgPool, email: &str) -> bool {
    sqlx::query_scalar("SELECT email_verified_at IS NOT NULL FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(pool)
        .await
        .expect("the account")
}

/// A call from a hydrated page that reached us through a proxy which wrote `forwarded_for`.
async fn post_through_proxy(app: &Router, forwarded_for: &str, path: &str, form: &str) -> crate::helpers::Page {
    let request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "application/json")
        .header("origin", SITE)
        .header("x-forwarded-for", forwarded_for)
        .body(Body::from(form.to_owned()))
        .expect("a valid request");
    crate::helpers::send(app, request).await
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_second_sign_up_replaces_an_unverified_one_so_only_its_link_and_password_work(pool: PgPool) {
    let app = app(pool.clone());
    let mut attacker = Browser::new(app.clone());
    let first =
        attacker.post_form("/api/signup", "email=vic%40example.org&display_name=Mallory&password=attacker+pass").await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let attacker_token = verification_token(&pool, "vic@example.org").await;

    let mut victim = Browser::new(app.clone());
    let again =
        victim.post_form("/api/signup", "email=vic%40example.org&display_name=Vic&password=victim+password").await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(again.location(), "/signup/check-email");
    let victim_token = verification_token(&pool, "vic@example.org").await;
    assert_ne!(victim_token, attacker_token);

    // The first link verifies nothing any more, whatever password comes with it.
    for password in ["attacker+pass", "victim+password"] {
        let page =
            attacker.post_form("/api/verify_email", &format!("token={attacker_token}&password={password}")).await;
        assert_eq!(page.location(), "/verify-email", "{password}");
    }
    assert!(!is_verified(&pool, "vic@example.org").await);

    let verified =
        victim.post_form("/api/verify_email", &format!("token={victim_token}&password=victim+password")).await;
    assert_eq!((verified.status, verified.location()), (StatusCode::SEE_OTHER, "/login?verified=1"));
    let refused = attacker.post_form("/api/login", "email=vic%40example.org&password=attacker+pass").await;
    assert_eq!(refused.location(), "/login", "the attacker's password never logs in");
    let login = victim.post_form("/api/login", "email=vic%40example.org&password=victim+password").await;
    assert_eq!((login.status, login.location()), (StatusCode::SEE_OTHER, "/"));
    assert!(text(&victim.get("/").await.body).contains("Vic Inbox"), "the account carries the second name");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_owner_following_an_attackers_link_does_not_verify_the_attackers_sign_up(pool: PgPool) {
    let app = app(pool.clone());
    let mut attacker = Browser::new(app.clone());
    attacker.post_form("/api/signup", "email=owen%40example.org&display_name=Mallory&password=attacker+pass").await;
    let mut owner = Browser::new(app.clone());
    // The owner opens the link in the mail they did not ask for, and asks for a new one too.
    let token = verification_token(&pool, "owen@example.org").await;
    let page = owner.post_form("/api/verify_email", &format!("token={token}&password=owners+password")).await;
    assert_eq!(page.location(), "/verify-email");
    assert!(owner.get("/verify-email").await.body.contains("role=\"alert\""), "the refusal is shown once");
    owner.post_form("/api/resend_verification", "email=owen%40example.org").await;
    let token = verification_token(&pool, "owen@example.org").await;
    let page = owner.post_form("/api/verify_email", &format!("token={token}")).await;
    assert_eq!(page.location(), "/verify-email");
    assert!(!is_verified(&pool, "owen@example.org").await, "the attacker's sign-up stays unverified");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn signing_up_with_a_verified_address_answers_like_a_new_sign_up_and_mails_the_owner(pool: PgPool) {
    let app = app(pool.clone());
    signed_in(app.clone(), &pool, "ola@example.org").await;
    let mut stranger = Browser::new(app.clone());
    let form = |email: &str| format!("email={}&display_name=Mallory&password=attacker+pass", email.replace('@', "%40"));
    let known = stranger.post_form("/api/signup", &form("ola@example.org")).await;
    let fresh = stranger.post_form("/api/signup", &form("new@example.org")).await;
    assert_eq!(known.status, fresh.status);
    assert_eq!(known.location().replace("ola%40", "x%40"), fresh.location().replace("new%40", "x%40"));
    let known = stranger.post_json("/api/signup", &form("ola@example.org")).await;
    let fresh = stranger.post_json("/api/signup", &form("two@example.org")).await;
    assert_eq!((known.status, known.body), (fresh.status, fresh.body));

    let (subject, body) = newest_mail(&pool, "ola@example.org").await;
    assert_eq!(subject, "Someone tried to sign up with your BZPEER address");
    assert!(body.contains(&format!("{SITE}/login")) && body.contains(&format!("{SITE}/forgot-password")), "{body}");
    assert!(!body.contains("token="), "{body}");

    let mut owner = Browser::new(app);
    let wrong = owner.post_form("/api/login", "email=ola%40example.org&password=attacker+pass").await;
    assert_eq!(wrong.location(), "/login");
    let right = owner.post_form("/api/login", "email=ola%40example.org&password=correct+horse").await;
    assert_eq!(right.location(), "/");
    assert!(text(&owner.get("/").await.body).contains("Tester Inbox"), "the owner's account is untouched");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn unverified_accounts_expire_after_48_hours_and_are_purged(pool: PgPool) {
    let app = app(pool.clone());
    let mut browser = Browser::new(app);
    browser.post_form("/api/signup", "email=old%40example.org&display_name=Old&password=correct+horse").await;
    browser.post_form("/api/signup", "email=young%40example.org&display_name=Young&password=correct+horse").await;
    sqlx::query("UPDATE users SET created_at = now() - interval '49 hours' WHERE email = 'old@example.org'")
        .execute(&pool)
        .await
        .expect("age the account");

    // Until it is purged, an expired account is treated as absent.
    browser.post_form("/api/resend_verification", "email=old%40example.org").await;
    assert_eq!(mail_count(&pool, "old@example.org").await, 1, "no new link for an expired sign-up");
    let expired = browser.post_form("/api/login", "email=old%40example.org&password=correct+horse").await;
    let unknown = browser.post_form("/api/login", "email=nobody%40example.org&password=correct+horse").await;
    assert_eq!(expired.location().replace("old%40", "x%40"), unknown.location().replace("nobody%40", "x%40"));

    jobs::housekeeping(&pool).await;
    let left: Vec<String> =
        sqlx::query_scalar("SELECT email FROM users ORDER BY email").fetch_all(&pool).await.expect("accounts");
    assert_eq!(left, ["young@example.org"]);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_encoded_email_key_cannot_skip_the_per_account_limits(pool: PgPool) {
    let app = app_behind_proxies(pool.clone(), 1);
    post_through_proxy(&app, "192.0.2.1", "/api/signup", "email=eve%40example.org&display_name=Eve&password=pass+word")
        .await;
    // Each attempt from another address, so only the per-account limit can stop the fourth.
    for i in 1..=3 {
        let page = post_through_proxy(
            &app,
            &format!("192.0.2.{}", 10 + i),
            "/api/resend_verification",
            "%65mail=eve%40example.org",
        )
        .await;
        assert_eq!(page.status, StatusCode::OK, "resend {i}: {}", page.body);
    }
    let fourth = post_through_proxy(&app, "192.0.2.99", "/api/resend_verification", "%65mail=eve%40example.org").await;
    assert_eq!(fourth.status, StatusCode::TOO_MANY_REQUESTS, "{}", fourth.body);
    assert!(fourth.headers.get("retry-after").is_some());
    assert_eq!(mail_count(&pool, "eve@example.org").await, 4, "the sign-up mail and three links");

    for i in 1..=10 {
        let form = "%65mail=EVE%40example.org&password=wrong+password";
        let page = post_through_proxy(&app, &format!("198.51.100.{i}"), "/api/login", form).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "log-in {i}: {}", page.body);
    }
    let form = "%65mail=eve%40example.org&password=wrong+password";
    let eleventh = post_through_proxy(&app, "198.51.100.99", "/api/login", form).await;
    assert_eq!(eleventh.status, StatusCode::TOO_MANY_REQUESTS, "{}", eleventh.body);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_client_address_is_the_right_most_forwarded_hop(pool: PgPool) {
    let app = app_behind_proxies(pool, 1);
    // The client writes the left part itself; only the hop our proxy added counts.
    for i in 1..=10 {
        let form = format!("email=user{i}%40example.org&password=wrong+password");
        let page = post_through_proxy(&app, &format!("10.9.8.{i}, 203.0.113.7"), "/api/login", &form).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "attempt {i}");
    }
    let form = "email=user11%40example.org&password=wrong+password";
    let spoofed = post_through_proxy(&app, "10.9.8.99, 203.0.113.7", "/api/login", form).await;
    assert_eq!(spoofed.status, StatusCode::TOO_MANY_REQUESTS);
    let other = post_through_proxy(&app, "203.0.113.7, 203.0.113.8", "/api/login", form).await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST, "another client is not limited");
}
