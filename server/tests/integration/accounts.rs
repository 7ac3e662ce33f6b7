//! Accounts and follows through the real router, posting forms as a browser without JavaScript.

use crate::helpers::{
    app, app_at, import_seed, post_form, signed_in, text, verification_token, Browser, REFERENCE_SLUG, SITE,
};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use sqlx::PgPool;

const PROFILE: &str = "/authors/mor-shpigel-nacson-arxiv-fb85d1b566";

async fn followers(pool: &PgPool) -> (i32, i64) {
    sqlx::query_as(
        "SELECT a.follower_count, (SELECT count(*) FROM follows f WHERE f.author_id = a.id) FROM authors a WHERE a.slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(pool)
    .await
    .expect("the reference author")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn sign_up_verify_log_in_follow_and_unfollow_without_javascript(pool: PgPool) {
    import_seed(&pool).await;
    let mut browser = Browser::new(app(pool.clone()));

    let next = "%2Fauthors%2Fmor-shpigel-nacson-arxiv-fb85d1b566";
    let signup = browser
        .post_form(
            "/api/signup",
            &format!("email=Ada%40Example.org&display_name=Ada+L&password=correct+horse&next={next}"),
        )
        .await;
    assert_eq!(signup.status, StatusCode::SEE_OTHER);
    assert_eq!(signup.location(), "/signup/check-email", "the address stays out of the URL");
    assert!(text(&browser.get("/signup/check-email").await.body).contains("a verification link to ada@example.org"));

    // Logging in before verifying is refused with the reason, back on the form.
    let early =
        browser.post_form("/api/login", &format!("email=ada%40example.org&password=correct+horse&next={next}")).await;
    assert_eq!(early.status, StatusCode::SEE_OTHER);
    assert_eq!(early.location(), "/login");
    assert!(text(&browser.get("/login").await.body).contains("Verify your e-mail address first"));

    let token = verification_token(&pool, "ada@example.org").await;
    let verify = format!("token={token}&password=correct+horse");
    let verified = browser.post_form("/api/verify_email", &verify).await;
    assert_eq!((verified.status, verified.location()), (StatusCode::SEE_OTHER, "/login?verified=1"));
    let again = browser.post_form("/api/verify_email", &verify).await;
    assert_eq!(again.location(), "/verify-email");
    assert!(text(&browser.get("/verify-email").await.body).contains("This link was already used"), "single use");

    let login =
        browser.post_form("/api/login", &format!("email=ada%40example.org&password=correct+horse&next={next}")).await;
    assert_eq!((login.status, login.location()), (StatusCode::SEE_OTHER, PROFILE));
    let profile = browser.get(PROFILE).await;
    let body = text(&profile.body);
    assert!(body.contains("Ada L Inbox Following Settings Log out"), "the header shows the account: {body}");
    assert!(body.contains("Follow researcher 0"), "{body}");

    let follow = browser.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!((follow.status, follow.location()), (StatusCode::SEE_OTHER, PROFILE));
    assert!(text(&browser.get(PROFILE).await.body).contains("Following Unfollow 1"));
    assert_eq!(followers(&pool).await, (1, 1));

    // Following twice keeps one follow and one count.
    browser.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!(followers(&pool).await, (1, 1));

    let feed = text(&browser.get("/me/following").await.body);
    assert!(feed.contains("Researchers you follow Mor Shpigel Nacson · 1 follower"), "{feed}");
    crate::helpers::assert_in_order(
        &feed,
        &["Stochastic Gradient Descent on Separable Data", "On the Implicit Bias", "At Stability's Edge"],
    );

    let unfollow = browser.post_form("/api/unfollow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!((unfollow.status, unfollow.location()), (StatusCode::SEE_OTHER, PROFILE));
    assert!(text(&browser.get(PROFILE).await.body).contains("Follow researcher 0"));
    assert_eq!(followers(&pool).await, (0, 0));
    assert!(text(&browser.get("/me/following").await.body).contains("You do not follow anyone yet."));

    let logout = browser.post_form("/api/logout", "").await;
    assert_eq!((logout.status, logout.location()), (StatusCode::SEE_OTHER, "/"));
    assert!(text(&browser.get(PROFILE).await.body).contains("Log in Sign up"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_session_cookie_is_http_only_lax_and_renewed_at_log_in(pool: PgPool) {
    let mut browser = signed_in(app(pool.clone()), &pool, "bo@example.org").await;
    let first = browser.cookie.clone().expect("a session cookie");
    let again = browser.post_form("/api/login", "email=bo%40example.org&password=correct+horse").await;
    let set = again.set_cookie().expect("a new cookie at log-in").to_owned();
    assert!(set.starts_with("bzpeer_session="), "{set}");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && !set.contains("Secure"), "{set}");
    assert_ne!(browser.cookie.as_deref(), Some(first.as_str()), "the session id changes at log-in");
    // The old id no longer logs anyone in.
    let mut stale = Browser::new(browser.app.clone());
    stale.cookie = Some(first);
    assert!(text(&stale.get("/me/following").await.body).contains("Log in to see the researchers you follow"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_session_cookie_is_secure_on_an_https_site(pool: PgPool) {
    let app = app_at(pool.clone(), "https://bzpeer.example");
    let post = |path: &'static str, form: String| {
        Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", "https://bzpeer.example")
            .body(Body::from(form))
            .expect("request")
    };
    crate::helpers::send(
        &app,
        post("/api/signup", "email=cy%40example.org&display_name=Cy&password=correct+horse".into()),
    )
    .await;
    let token = verification_token(&pool, "cy@example.org").await;
    crate::helpers::send(&app, post("/api/verify_email", format!("token={token}&password=correct+horse"))).await;
    let page =
        crate::helpers::send(&app, post("/api/login", "email=cy%40example.org&password=correct+horse".into())).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.set_cookie().is_some_and(|c| c.contains("Secure")), "{:?}", page.set_cookie());
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_cross_origin_post_is_refused_with_403(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool);
    for origin in [Some("https://evil.example"), None] {
        let mut request = Request::post("/api/follow_researcher")
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html");
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        let page =
            crate::helpers::send(&app, request.body(Body::from(format!("slug={REFERENCE_SLUG}"))).expect("request"))
                .await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{origin:?}");
        assert!(text(&page.body).contains("This form came from another site"), "{}", page.body);
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_eleventh_quick_log_in_attempt_gets_429(pool: PgPool) {
    let mut browser = Browser::new(app(pool));
    for attempt in 1..=10 {
        let page = browser.post_form("/api/login", "email=eve%40example.org&password=wrong+password").await;
        assert_eq!(page.status, StatusCode::SEE_OTHER, "attempt {attempt}");
    }
    let page = browser.post_form("/api/login", "email=eve%40example.org&password=wrong+password").await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = page
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=900).contains(&retry_after), "{retry_after}");
    assert!(text(&page.body).contains("Too many attempts"), "{}", page.body);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_unknown_address_and_a_wrong_password_get_the_same_answer(pool: PgPool) {
    let mut browser = signed_in(app(pool.clone()), &pool, "dee@example.org").await;
    let wrong = browser.post_form("/api/login", "email=dee%40example.org&password=not+the+password").await;
    let wrong_page = browser.get("/login").await.body;
    let unknown = browser.post_form("/api/login", "email=nobody%40example.org&password=not+the+password").await;
    let unknown_page = browser.get("/login").await.body;
    assert_eq!((wrong.status, wrong.location()), (unknown.status, unknown.location()));
    let anonymous = |page: &str| text(page).replace("dee@example.org", "x").replace("nobody@example.org", "x");
    assert_eq!(anonymous(&wrong_page), anonymous(&unknown_page), "only the echoed address differs");
    assert!(text(&wrong_page).contains("The e-mail address or the password is wrong"), "{wrong_page}");
    assert!(wrong_page.contains("value=\"dee@example.org\"") && unknown_page.contains("value=\"nobody@example.org\""));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_open_redirect_return_path_is_ignored(pool: PgPool) {
    let mut browser = signed_in(app(pool.clone()), &pool, "fay@example.org").await;
    for next in ["https%3A%2F%2Fevil.example%2F", "%2F%2Fevil.example", "%2F%5Cevil.example"] {
        let page = browser
            .post_form("/api/login", &format!("email=fay%40example.org&password=correct+horse&next={next}"))
            .await;
        assert_eq!((page.status, page.location()), (StatusCode::SEE_OTHER, "/"), "{next}");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_malformed_form_gets_a_clear_4xx_never_a_500(pool: PgPool) {
    let app = app(pool);
    for (path, form) in [
        ("/api/login", "garbage"),
        ("/api/signup", "email=%ZZ"),
        ("/api/follow_researcher", ""),
        ("/api/verify_email", "tok=1"),
    ] {
        let page = post_form(&app, path, form, "application/json").await;
        assert!(page.status.is_client_error(), "{path}: {} {}", page.status, page.body);
    }
    let short =
        post_form(&app, "/api/signup", "email=gus%40example.org&display_name=Gus&password=short", "application/json")
            .await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("use at least 8 characters"), "{}", short.body);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn following_while_logged_out_leads_to_log_in_and_back(pool: PgPool) {
    import_seed(&pool).await;
    let mut browser = Browser::new(app(pool.clone()));
    let page = browser.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location(), "/login?next=/authors/mor-shpigel-nacson-arxiv-fb85d1b566");
    let profile = text(&browser.get(PROFILE).await.body);
    assert!(profile.contains("Follow researcher 0 Log in to follow"), "{profile}");
    let json =
        post_form(&browser.app, "/api/follow_researcher", &format!("slug={REFERENCE_SLUG}"), "application/json").await;
    assert_eq!(json.status, StatusCode::UNAUTHORIZED);
    assert_eq!(followers(&pool).await, (0, 0));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_outbox_page_shows_the_verification_mail_in_development(pool: PgPool) {
    let mut browser = Browser::new(app(pool.clone()));
    browser.post_form("/api/signup", "email=hal%40example.org&display_name=Hal&password=correct+horse").await;
    let outbox = text(&browser.get("/dev/outbox").await.body);
    assert!(outbox.contains("Verify your e-mail address for BZPEER To hal@example.org"), "{outbox}");
    assert!(outbox.contains(&format!("{SITE}/verify-email?token=")));
}
