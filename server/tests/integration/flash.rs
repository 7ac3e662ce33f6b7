//! Errors after a plain form post: kept in the session for one page, shown once, never read
//! from the URL (so a link cannot make a page say anything).

use crate::helpers::{app, fixture, import, signed_in, text, Browser};
use axum::http::StatusCode;
use ingest::import::ImportKind;
use sqlx::PgPool;

const FORGED: &str = "error=%3Cscript%3Ealert(1)%3C%2Fscript%3EYour+account+is+locked";

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_error_written_into_the_url_shows_nothing(pool: PgPool) {
    let mut browser = Browser::new(app(pool));
    for page in ["/login", "/signup", "/verify-email", "/signup/check-email"] {
        let answer = browser.get(&format!("{page}?{FORGED}&email=mallory%40example.org")).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert!(!text(&answer.body).to_lowercase().contains("account is locked"), "{page}: {}", answer.body);
        assert!(!answer.body.contains("role=\"alert\""), "{page} shows no alert");
        assert!(!answer.body.contains("<script>alert(1)"), "{page}");
        assert!(!answer.body.contains("mallory@example.org"), "{page} refills nothing from the URL");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_failed_log_in_comes_back_once_with_the_address_and_never_the_password(pool: PgPool) {
    let mut browser = Browser::new(app(pool));
    let next = "%2Fauthors%2Fsomeone";
    let failed =
        browser.post_form("/api/login", &format!("email=ada%40example.org&password=not+my+secret&next={next}")).await;
    assert_eq!((failed.status, failed.location()), (StatusCode::SEE_OTHER, "/login"));

    let page = browser.get("/login").await;
    assert!(text(&page.body).contains("The e-mail address or the password is wrong"), "{}", page.body);
    assert!(page.body.contains("role=\"alert\""));
    assert!(page.body.contains("value=\"ada@example.org\""), "the address is kept: {}", page.body);
    assert!(page.body.contains("value=\"/authors/someone\""), "the return path is kept: {}", page.body);
    assert!(!page.body.contains("not my secret"), "never the password");

    let again = browser.get("/login").await;
    assert!(!text(&again.body).to_lowercase().contains("password is wrong"), "shown once");
    assert!(!again.body.contains("ada@example.org"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_failed_sign_up_waits_for_its_own_page_and_keeps_the_name_and_address(pool: PgPool) {
    let mut browser = Browser::new(app(pool));
    let failed =
        browser.post_form("/api/signup", "email=ada%40example.org&display_name=Ada+Lovelace&password=short").await;
    assert_eq!((failed.status, failed.location()), (StatusCode::SEE_OTHER, "/signup"));

    // Another page leaves it for the page it was meant for.
    let elsewhere = browser.get("/login").await;
    assert!(!text(&elsewhere.body).to_lowercase().contains("use at least"), "{}", elsewhere.body);

    let page = browser.get("/signup").await;
    assert!(text(&page.body).contains("Use at least 8 characters"), "{}", page.body);
    assert!(page.body.contains("value=\"Ada Lovelace\""), "{}", page.body);
    assert!(page.body.contains("value=\"ada@example.org\""), "{}", page.body);
    assert!(!page.body.contains("value=\"short\""), "never the password");
    assert!(!text(&browser.get("/signup").await.body).contains("Use at least"), "shown once");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_address_a_link_went_to_is_not_in_the_url(pool: PgPool) {
    let mut browser = Browser::new(app(pool));
    let signed =
        browser.post_form("/api/signup", "email=ada%40example.org&display_name=Ada&password=correct+horse").await;
    assert_eq!((signed.status, signed.location()), (StatusCode::SEE_OTHER, "/signup/check-email"));
    assert!(text(&browser.get("/signup/check-email").await.body)
        .contains("We sent a verification link to ada@example.org."));

    let resent = browser.post_form("/api/resend_verification", "email=ada%40example.org").await;
    assert_eq!((resent.status, resent.location()), (StatusCode::SEE_OTHER, "/login?resent=1"));
    let page = browser.get("/login?resent=1").await;
    assert!(text(&page.body).contains("a new link is on its way"), "{}", page.body);
    assert!(page.body.contains("value=\"ada@example.org\""), "{}", page.body);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn failed_claim_evidence_comes_back_in_its_box_not_in_the_url(pool: PgPool) {
    import(&pool, ImportKind::Arxiv, fixture("linked-arxiv.jsonl")).await;
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM authors WHERE source = 'arxiv' AND source_key = 'jane roe'")
            .fetch_one(&pool)
            .await
            .expect("Jane");
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@home.example.org").await;
    let claim = format!("/authors/{slug}/claim");
    let failed = jane
        .post_form(
            "/api/claim_with_evidence",
            &format!("slug={slug}&evidence=I+am+Jane+Roe&links=https%3A%2F%2Fexample.org%2Fjane"),
        )
        .await;
    assert_eq!((failed.status, failed.location()), (StatusCode::SEE_OTHER, claim.as_str()));

    let page = jane.get(&claim).await;
    assert!(text(&page.body).contains("Write at least 50 characters (13 so far)"), "{}", page.body);
    assert!(page.body.contains(">I am Jane Roe</textarea>"), "the evidence is kept: {}", page.body);
    assert!(page.body.contains(">https://example.org/jane</textarea>"), "the links are kept");
    assert!(!jane.get(&claim).await.body.contains("I am Jane Roe"), "shown once");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_refused_edit_shows_what_was_sent_not_what_is_saved(pool: PgPool) {
    import(&pool, ImportKind::Arxiv, fixture("linked-arxiv.jsonl")).await;
    import(&pool, ImportKind::OpenAlexInstitutions, fixture("linked-openalex-institutions.json")).await;
    import(&pool, ImportKind::OpenAlexWorks, fixture("linked-openalex-works.json")).await;
    let slug: String =
        sqlx::query_scalar("SELECT slug FROM authors WHERE source = 'arxiv' AND source_key = 'jane roe'")
            .fetch_one(&pool)
            .await
            .expect("Jane");
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    let edit = format!("/authors/{slug}/edit");
    let form = format!("slug={slug}&bio=A+new+bio+about+graphs.&affiliation=&homepage=javascript%3Aalert(1)");
    let refused = jane.post_form("/api/update_record", &form).await;
    assert_eq!((refused.status, refused.location()), (StatusCode::SEE_OTHER, edit.as_str()));

    let page = jane.get(&edit).await.body;
    assert!(page.contains("role=\"alert\""), "{page}");
    assert!(page.contains(">A new bio about graphs.</textarea>"), "the bio is kept: {page}");
    assert!(page.contains("value=\"javascript:alert(1)\""), "the link to fix is kept, as a value");
    assert!(!jane.get(&edit).await.body.contains("A new bio about graphs."), "shown once");
}
