//! Resetting a forgotten password by mail, as a browser without JavaScript and as a hydrated page.

use crate::accounts_security::{mail_count, newest_mail};
use crate::helpers::{app, signed_in, text, token_in, Browser, SITE};
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_password_reset_by_mail_sets_a_new_password_once_and_ends_other_sessions(pool: PgPool) {
    let app = app(pool.clone());
    let mut elsewhere = signed_in(app.clone(), &pool, "rae@example.org").await;
    let mut browser = Browser::new(app.clone());
    let login = browser.get("/login").await;
    assert!(login.body.contains("href=\"/forgot-password\""), "the log-in page links the reset");
    assert!(text(&login.body).contains("Forgot your password?"));
    let form = browser.get("/forgot-password").await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(text(&form.body).contains("Reset your password"), "{}", text(&form.body));

    // The same answer for every address; mail only for the account.
    let known = browser.post_form("/api/request_password_reset", "email=rae%40example.org").await;
    let unknown = browser.post_form("/api/request_password_reset", "email=nobody%40example.org").await;
    assert_eq!(known.status, StatusCode::SEE_OTHER);
    assert_eq!((known.status, known.location()), (unknown.status, unknown.location()));
    let known = browser.post_json("/api/request_password_reset", "email=rae%40example.org").await;
    let unknown = browser.post_json("/api/request_password_reset", "email=nobody%40example.org").await;
    assert_eq!((known.status, known.body), (unknown.status, unknown.body));
    assert_eq!(mail_count(&pool, "nobody@example.org").await, 0);
    let (subject, body) = newest_mail(&pool, "rae@example.org").await;
    assert_eq!(subject, "Reset your BZPEER password");
    assert!(body.contains(&format!("{SITE}/reset-password?token=")), "{body}");
    let token = token_in(&body);

    let page = browser.get(&format!("/reset-password?token={token}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(text(&page.body).contains("Choose a new password"), "{}", text(&page.body));
    let reset = browser.post_form("/api/reset_password", &format!("token={token}&password=brand+new+secret")).await;
    assert_eq!((reset.status, reset.location()), (StatusCode::SEE_OTHER, "/"));
    assert!(text(&browser.get("/").await.body).contains("Tester Inbox"), "logged in fresh");
    assert!(
        text(&elsewhere.get("/me/following").await.body).contains("Log in to see the researchers you follow"),
        "the session from before the reset has ended"
    );

    let again = browser.post_form("/api/reset_password", &format!("token={token}&password=another+secret")).await;
    assert_eq!(again.location(), "/reset-password", "single use");
    let mut fresh = Browser::new(app);
    let old = fresh.post_form("/api/login", "email=rae%40example.org&password=correct+horse").await;
    assert_eq!(old.location(), "/login", "the old password is refused");
    let new = fresh.post_form("/api/login", "email=rae%40example.org&password=brand+new+secret").await;
    assert_eq!(new.location(), "/");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn expired_revoked_and_unknown_reset_links_are_refused_and_a_reset_verifies_the_address(pool: PgPool) {
    let mut browser = Browser::new(app(pool.clone()));
    browser.post_form("/api/signup", "email=una%40example.org&display_name=Una&password=correct+horse").await;
    browser.post_form("/api/request_password_reset", "email=una%40example.org").await;
    let expired = token_in(&newest_mail(&pool, "una@example.org").await.1);
    sqlx::query("UPDATE email_tokens SET expires_at = now() - interval '1 minute' WHERE purpose = 'reset_password'")
        .execute(&pool)
        .await
        .expect("expire the link");
    let page = browser.post_json("/api/reset_password", &format!("token={expired}&password=brand+new+secret")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("expired"), "{}", page.body);

    browser.post_form("/api/request_password_reset", "email=una%40example.org").await;
    let first = token_in(&newest_mail(&pool, "una@example.org").await.1);
    browser.post_form("/api/request_password_reset", "email=una%40example.org").await;
    let second = token_in(&newest_mail(&pool, "una@example.org").await.1);
    let short = browser.post_json("/api/reset_password", &format!("token={second}&password=short")).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST, "a bad password does not spend the link");
    let done = browser.post_json("/api/reset_password", &format!("token={second}&password=brand+new+secret")).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let verified: bool = sqlx::query_scalar("SELECT email_verified_at IS NOT NULL FROM users WHERE email = $1")
        .bind("una@example.org")
        .fetch_one(&pool)
        .await
        .expect("the account");
    assert!(verified, "the mail proved the address");
    let revoked = browser.post_json("/api/reset_password", &format!("token={first}&password=other+secret")).await;
    assert_eq!(revoked.status, StatusCode::BAD_REQUEST, "the other links are revoked");
    let unknown = browser.post_json("/api/reset_password", "token=not-a-token&password=other+secret").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
}
