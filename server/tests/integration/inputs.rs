//! Input bounds at the edge: NUL bytes, control characters, over-long slugs, out-of-range page
//! cursors and oversize lists get a 4xx with a reason before any work, never a 500.

use crate::helpers::{app, get, import_seed, post_form, signed_in, REFERENCE_SLUG};
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_nul_byte_or_a_control_character_in_a_record_address_is_not_found(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let long = "a".repeat(5_000);
    for path in [
        "/authors/a%00b".to_owned(),
        "/works/a%00".to_owned(),
        "/authors/a%00b/claim".to_owned(),
        "/authors/a%01b".to_owned(),
        "/works/a%0Ab".to_owned(),
        format!("/authors/{REFERENCE_SLUG}%00"),
        format!("/authors/{long}"),
        format!("/works/{long}"),
    ] {
        let page = get(&app, &path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    let mut moderator = signed_in(app.clone(), &pool, "mod@example.org").await;
    sqlx::query("UPDATE users SET is_moderator = true WHERE email = 'mod@example.org'")
        .execute(&pool)
        .await
        .expect("a moderator");
    for path in ["/authors/a%00b/edit", "/moderation/records/a%00b"] {
        assert_eq!(moderator.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    for (endpoint, form) in
        [("/api/get_profile", "slug=a%00b"), ("/api/get_work", "slug=a%00b"), ("/api/follow_researcher", "slug=a%00b")]
    {
        let answer = post_form(&app, endpoint, form, "application/json").await;
        assert!(answer.status.is_client_error(), "{endpoint}: {} {}", answer.status, answer.body);
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_nul_byte_in_a_query_or_a_form_is_refused_with_a_reason(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool);
    for path in [
        "/search?q=a%00b",
        "/search?q=Mor&kind=%00",
        "/explore?focus=a%00b",
        &format!("/explore?focus={REFERENCE_SLUG}&q=a%00b"),
        &format!("/authors/{REFERENCE_SLUG}?after=%00"),
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.body.contains("NUL"), "{path}: {}", page.body);
    }
    for (endpoint, form) in [
        ("/api/search", "q=a%00b"),
        ("/api/explore", "focus=a&q=a%00b"),
        ("/api/verify_email", "token=%00"),
        ("/api/update_record", "slug=a&bio=a%00b&affiliation=&homepage="),
    ] {
        let answer = post_form(&app, endpoint, form, "application/json").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{endpoint}: {}", answer.body);
    }
}

/// Found by the fuzz: the per-account rate limit wrote the raw address, NUL and all, into
/// PostgreSQL, which refused it, and the request was answered 503.
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_nul_byte_in_a_rate_limited_address_is_refused_not_unavailable(pool: PgPool) {
    let app = app(pool);
    for (endpoint, form) in [
        ("/api/login", "email=a%00b%40example.org&password=whatever+it+is"),
        ("/api/signup", "email=a%00b%40example.org&display_name=A&password=long+enough"),
        ("/api/resend_verification", "email=a%00b%40example.org"),
    ] {
        let answer = post_form(&app, endpoint, form, "application/json").await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{endpoint}: {}", answer.body);
        assert!(answer.body.contains("NUL"), "{endpoint}: {}", answer.body);
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_page_link_outside_its_range_is_refused_not_an_error(pool: PgPool) {
    import_seed(&pool).await;
    let mut browser = signed_in(app(pool.clone()), &pool, "ada@example.org").await;
    for path in [
        format!("/authors/{REFERENCE_SLUG}?after=-5000-01-01.1"),
        format!("/authors/{REFERENCE_SLUG}?after=+99999-01-01.1"),
        format!("/authors/{REFERENCE_SLUG}?after=2022-01-01.0"),
        "/me/following?after=-5000-01-01.1".to_owned(),
        "/me/following?after=262143-12-31.9".to_owned(),
    ] {
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{path}");
        assert!(page.body.contains("this page link is not valid"), "{path}");
    }
    for path in [
        "/search?q=Mor&page=-5",
        "/search?q=Mor&page=99999999999999999999",
        "/conversations/1?before=-9223372036854775808",
        "/conversations/99999999999999999999",
        "/conversations/-1?before=9223372036854775807",
        "/me/inbox?received=-1&sent=9223372036854775807&conversations=abc",
    ] {
        let page = browser.get(path).await;
        assert!(page.status.is_client_error() || page.status.is_success(), "{path}: {}", page.status);
    }
}
