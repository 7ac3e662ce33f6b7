//! Disputes are limited per account, the moderation queue is paged, and no moderator decides a
//! request of their own.

use crate::claims::{import_jane, state};
use crate::helpers::{app, signed_in, text, Browser};
use crate::helpers::{moderator, EVIDENCE};
use axum::http::StatusCode;
use sqlx::PgPool;

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_second_open_dispute_of_the_same_record_is_refused(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    let mut rival = signed_in(app(pool.clone()), &pool, "rival@example.org").await;
    let first = rival.post_form("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(first.location(), format!("/authors/{slug}?disputed=1"));
    let second = rival.post_json("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(second.status, StatusCode::CONFLICT);
    assert!(second.body.contains("you already have an open dispute of this record"), "{}", second.body);
    let again = rival.post_form("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(again.location(), format!("/authors/{slug}/claim"));
    assert!(
        text(&rival.get(&format!("/authors/{slug}/claim")).await.body)
            .contains("You already have an open dispute of this record"),
        "the refusal is shown on the claim page"
    );
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM claim_requests WHERE kind = 'dispute'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(open, 1);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn disputes_past_the_daily_limit_are_answered_429(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    let mut rival = signed_in(app(pool.clone()), &pool, "rival@example.org").await;
    for _ in 0..bzpeer_core::domain::claims::DISPUTES_PER_DAY {
        let answer = rival.post_json("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
        assert!(answer.status == StatusCode::OK || answer.status == StatusCode::CONFLICT, "{}", answer.body);
    }
    let limited = rival.post_json("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.headers.contains_key("retry-after"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn concurrent_duplicate_disputes_leave_one_open_dispute(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    let rival = signed_in(app(pool.clone()), &pool, "rival@example.org").await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let mut tab = Browser { app: rival.app.clone(), cookie: rival.cookie.clone() };
        let form = format!("slug={slug}&{EVIDENCE}");
        tasks.spawn(async move { tab.post_json("/api/dispute_claim", &form).await.status });
    }
    let mut statuses = Vec::new();
    while let Some(done) = tasks.join_next().await {
        statuses.push(done.expect("task"));
    }
    assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
    assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
    let open: i64 = sqlx::query_scalar("SELECT count(*) FROM claim_requests WHERE kind = 'dispute'")
        .fetch_one(&pool)
        .await
        .expect("count");
    assert_eq!(open, 1);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_account_keeps_at_most_five_disputes_open(pool: PgPool) {
    crate::helpers::import_seed(&pool).await;
    let slugs: Vec<String> =
        sqlx::query_scalar("SELECT slug FROM authors ORDER BY id LIMIT 6").fetch_all(&pool).await.expect("records");
    for (i, slug) in slugs.iter().enumerate() {
        let owner = db::writes::users::insert_user(&pool, &format!("owner{i}@example.org"), "Owner", "x")
            .await
            .expect("user")
            .expect("new");
        sqlx::query("UPDATE authors SET claim_state = 'claimed', claimed_by = $2 WHERE slug = $1")
            .bind(slug)
            .bind(owner)
            .execute(&pool)
            .await
            .expect("claimed");
    }
    let mut rival = signed_in(app(pool.clone()), &pool, "rival@example.org").await;
    for slug in &slugs[..5] {
        let dispute = rival.post_form("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
        assert_eq!(dispute.location(), format!("/authors/{slug}?disputed=1"));
    }
    let sixth = rival.post_json("/api/dispute_claim", &format!("slug={}&{EVIDENCE}", slugs[5])).await;
    assert_eq!(sixth.status, StatusCode::CONFLICT);
    assert!(sixth.body.contains("at most 5 open disputes"), "{}", sixth.body);
}

/// 120 open claims on seeded records (Seeded 001 oldest) and three later disputes, by one account.
async fn seed_queue(pool: &PgPool) {
    let requester =
        db::writes::users::insert_user(pool, "many@example.org", "Many", "x").await.expect("user").expect("new");
    sqlx::query(
        "WITH a AS (
             INSERT INTO authors (source, source_key, slug, display_name, search_name)
             SELECT 'arxiv', 'seeded ' || n, 'seeded-' || n, 'Seeded ' || lpad(n::text, 3, '0'), 'seeded ' || n
             FROM generate_series(1, 123) n ORDER BY n
             RETURNING id, split_part(source_key, ' ', 2)::int AS n)
         INSERT INTO claim_requests (author_id, user_id, kind, evidence, claim_generation, created_at)
         SELECT id, $1, CASE WHEN n > 120 THEN 'dispute' ELSE 'claim' END, 'Seeded evidence', 0,
                -- Pairs share a timestamp, so the page boundary falls inside a tie.
                timestamptz '2026-01-01 00:00:00+00' + (n / 2) * interval '1 minute'
         FROM a ORDER BY n",
    )
    .bind(requester)
    .execute(pool)
    .await
    .expect("seeded queue");
}

fn next_link(html: &str) -> Option<String> {
    let start = html.find("href=\"/moderation/claims?after=")? + "href=\"".len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].replace("&amp;", "&"))
}

/// How many seeded requests a page lists.
fn seeded_on(page: &str) -> usize {
    page.matches("Claim: Seeded").count() + page.matches("Dispute: Seeded").count()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_moderation_queue_pages_fifty_at_a_time_oldest_first(pool: PgPool) {
    seed_queue(&pool).await;
    let mut moderator = moderator(&pool, "mod@example.org").await;
    let first = moderator.get("/moderation/claims").await;
    let page = text(&first.body);
    assert!(page.contains("123 open requests: 120 claims, 3 disputes"), "{page}");
    crate::helpers::assert_in_order(&page, &["Claim: Seeded 001", "Claim: Seeded 002", "Claim: Seeded 050"]);
    assert!(!page.contains("Seeded 051"), "{page}");
    assert_eq!(seeded_on(&page), 50);

    let second = moderator.get(&next_link(&first.body).expect("a next page")).await;
    let page = text(&second.body);
    crate::helpers::assert_in_order(&page, &["Claim: Seeded 051", "Claim: Seeded 100"]);
    assert!(!page.contains("Seeded 050") && !page.contains("Seeded 101"), "{page}");

    let third = moderator.get(&next_link(&second.body).expect("a third page")).await;
    let page = text(&third.body);
    crate::helpers::assert_in_order(&page, &["Claim: Seeded 101", "Claim: Seeded 120", "Dispute: Seeded 123"]);
    assert_eq!(seeded_on(&page), 23, "{page}");
    assert_eq!(next_link(&third.body), None, "the last page has no next link");

    let bad = moderator.get("/moderation/claims?after=not-a-cursor").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_moderator_cannot_decide_their_own_claim(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = moderator(&pool, "jane@home.example.org").await;
    jane.post_form("/api/claim_with_evidence", &format!("slug={slug}&{EVIDENCE}")).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM claim_requests").fetch_one(&pool).await.expect("request");

    let queue = text(&jane.get("/moderation/claims").await.body);
    assert!(queue.contains("Your own request: another moderator decides it."), "{queue}");
    assert!(!queue.contains("Approve"), "{queue}");
    let own = jane.post_json("/api/decide_request", &format!("id={id}&decision=approve&reason=Trust+me")).await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    assert!(own.body.contains("another moderator decides your own request"), "{}", own.body);
    assert_eq!(state(&pool, &slug).await.0, "pending");

    let mut other = moderator(&pool, "mod@example.org").await;
    assert!(text(&other.get("/moderation/claims").await.body).contains("Approve"));
    let approve = other.post_form("/api/decide_request", &format!("id={id}&decision=approve&reason=Checked")).await;
    assert_eq!(approve.location(), "/moderation/claims");
    assert_eq!(state(&pool, &slug).await.0, "confirmed");
}
