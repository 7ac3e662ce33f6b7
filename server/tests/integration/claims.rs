//! Claims, moderation and owner powers through the real router, and claim races in the database.

use crate::helpers::{app, fixture, import, moderator, signed_in, text, EVIDENCE};
use axum::http::StatusCode;
use bzpeer_core::domain::claims::Verdict;
use db::writes::claims::{self, ClaimOutcome};
use ingest::import::ImportKind;
use sqlx::PgPool;

/// Jane Roe's arXiv record, whose work OpenAlex places at Example University (example.edu).
pub async fn import_jane(pool: &PgPool) -> String {
    import(pool, ImportKind::Arxiv, fixture("linked-arxiv.jsonl")).await;
    import(pool, ImportKind::OpenAlexInstitutions, fixture("linked-openalex-institutions.json")).await;
    import(pool, ImportKind::OpenAlexWorks, fixture("linked-openalex-works.json")).await;
    sqlx::query_scalar("SELECT slug FROM authors WHERE source = 'arxiv' AND source_key = 'jane roe'")
        .fetch_one(pool)
        .await
        .expect("Jane")
}

pub async fn state(pool: &PgPool, slug: &str) -> (String, Option<String>) {
    sqlx::query_as(
        "SELECT a.claim_state, u.email FROM authors a LEFT JOIN users u ON u.id = a.claimed_by WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .expect("record")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_matching_institutional_email_claims_the_record_at_l2(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    let page = text(&jane.get(&format!("/authors/{slug}/claim")).await.body);
    assert!(page.contains("Your verified e-mail address belongs to Example University"), "{page}");
    let claim = jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    assert_eq!((claim.status, claim.location()), (StatusCode::SEE_OTHER, format!("/authors/{slug}").as_str()));
    assert_eq!(state(&pool, &slug).await, ("claimed".into(), Some("jane@cs.example.edu".into())));
    let profile = text(&jane.get(&format!("/authors/{slug}")).await.body);
    assert!(profile.contains("Trust 21 - Emerging Verification L2 Claimed"), "{profile}");
    assert!(profile.contains("Why this score? +9 Imported from public scholarly metadata +2 1 published work on the record +10 Claimed by its author with automatic evidence"), "{profile}");
    assert!(profile.contains("This is your record. Edit your record"), "{profile}");
    let audit: Vec<String> = sqlx::query_scalar("SELECT from_state || '>' || to_state FROM claim_audit")
        .fetch_all(&pool)
        .await
        .expect("audit");
    assert_eq!(audit, ["unclaimed>claimed"]);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn free_mail_never_claims_automatically(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut someone = signed_in(app(pool.clone()), &pool, "jane.roe@gmail.com").await;
    let claim = someone.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    assert_eq!(claim.location(), format!("/authors/{slug}/claim"));
    let page = text(&someone.get(&format!("/authors/{slug}/claim")).await.body);
    assert!(page.contains("Your verified e-mail address does not belong to an institution on this record"), "{page}");
    assert_eq!(state(&pool, &slug).await.0, "unclaimed");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn written_evidence_goes_pending_and_a_moderator_confirms_it_at_l3(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@home.example.org").await;
    let claim = jane.post_form("/api/claim_with_evidence", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(claim.status, StatusCode::SEE_OTHER);
    assert_eq!(state(&pool, &slug).await.0, "pending");
    assert!(text(&jane.get(&format!("/authors/{slug}")).await.body)
        .contains("Claim pending: your claim is waiting for a moderator."));

    // Others see "Claim pending" and may dispute, not claim.
    let mut other = signed_in(app(pool.clone()), &pool, "other@example.org").await;
    let seen = text(&other.get(&format!("/authors/{slug}")).await.body);
    assert!(seen.contains("Claim pending · someone has asked to claim this record. Dispute this claim"), "{seen}");
    let second = other.post_form("/api/claim_with_evidence", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(second.location(), format!("/authors/{slug}/claim"));
    let refused = text(&other.get(&format!("/authors/{slug}/claim")).await.body);
    assert!(refused.contains("This record has just been claimed"), "{refused}");

    // A non-moderator cannot see the queue or decide.
    assert_eq!(other.get("/moderation/claims").await.status, StatusCode::FORBIDDEN);
    let id: i64 = sqlx::query_scalar("SELECT id FROM claim_requests").fetch_one(&pool).await.expect("request");
    let forbidden = other.post_json("/api/decide_request", &format!("id={id}&decision=approve&reason=ok")).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);

    let mut moderator = moderator(&pool, "mod@example.org").await;
    let queue = text(&moderator.get("/moderation/claims").await.body);
    assert!(queue.contains("I am Jane Roe; this is my preprint"), "{queue}");
    let approve = moderator
        .post_form("/api/decide_request", &format!("id={id}&decision=approve&reason=Staff+page+checked"))
        .await;
    assert_eq!((approve.status, approve.location()), (StatusCode::SEE_OTHER, "/moderation/claims"));
    assert_eq!(state(&pool, &slug).await, ("confirmed".into(), Some("jane@home.example.org".into())));
    let profile = text(&jane.get(&format!("/authors/{slug}")).await.body);
    assert!(profile.contains("Verification L3 Claimed"), "{profile}");
    let mail: String = sqlx::query_scalar(
        "SELECT subject FROM outbox WHERE to_email = 'jane@home.example.org' ORDER BY id DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("mail");
    assert_eq!(mail, "Your claim was approved");
    let log = text(&moderator.get(&format!("/moderation/records/{slug}")).await.body);
    assert!(log.contains("pending confirmed claim approved: Staff page checked"), "{log}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_rejected_claim_frees_the_record(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@home.example.org").await;
    jane.post_form("/api/claim_with_evidence", &format!("slug={slug}&{EVIDENCE}")).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM claim_requests").fetch_one(&pool).await.expect("request");
    let mut moderator = moderator(&pool, "mod@example.org").await;
    moderator
        .post_form("/api/decide_request", &format!("id={id}&decision=reject&reason=No+evidence+of+identity"))
        .await;
    assert_eq!(state(&pool, &slug).await, ("unclaimed".into(), None));
    let again = moderator.post_form("/api/decide_request", &format!("id={id}&decision=approve&reason=late")).await;
    assert_eq!(again.location(), "/moderation/claims");
    let queue = text(&moderator.get("/moderation/claims").await.body);
    assert!(queue.contains("This request was already decided"), "{queue}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn only_the_owner_edits_and_what_they_type_comes_back_escaped(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;

    let bio = "bio=%3Cscript%3Ealert(1)%3C%2Fscript%3E+I+study+graphs.&affiliation=Example+University&homepage=https%3A%2F%2Fjane.example.edu";
    let saved = jane.post_form("/api/update_record", &format!("slug={slug}&{bio}")).await;
    assert_eq!((saved.status, saved.location()), (StatusCode::SEE_OTHER, format!("/authors/{slug}").as_str()));
    let html = jane.get(&format!("/authors/{slug}")).await.body;
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; I study graphs."), "escaped");
    assert!(!html.contains("<script>alert(1)"), "never raw");
    assert!(!text(&html).contains("Open to collaborate"), "the unchecked box turned it off");

    let mut other = signed_in(app(pool.clone()), &pool, "mallory@example.org").await;
    let refused = other.post_json("/api/update_record", &format!("slug={slug}&{bio}&open_to_collaborate=on")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(other.get(&format!("/authors/{slug}/edit")).await.status, StatusCode::FORBIDDEN);

    let bad_link = jane
        .post_json("/api/update_record", &format!("slug={slug}&bio=&affiliation=&homepage=javascript%3Aalert(1)"))
        .await;
    assert_eq!(bad_link.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn oversize_and_malformed_evidence_get_a_clear_4xx(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@home.example.org").await;
    let short = jane.post_json("/api/claim_with_evidence", &format!("slug={slug}&evidence=too+short")).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert!(short.body.contains("write at least 50 characters"), "{}", short.body);
    let long = format!("slug={slug}&evidence={}", "x".repeat(2_001));
    let oversize = jane.post_json("/api/claim_with_evidence", &long).await;
    assert!(oversize.body.contains("keep it to 2000 characters"), "{}", oversize.body);
    let links =
        jane.post_json("/api/claim_with_evidence", &format!("slug={slug}&{EVIDENCE}%0Aftp%3A%2F%2Fx.org")).await;
    assert_eq!(links.status, StatusCode::BAD_REQUEST);
    let malformed = jane.post_json("/api/claim_with_evidence", "nothing=here").await;
    assert!(malformed.status.is_client_error());
    assert_eq!(state(&pool, &slug).await.0, "unclaimed");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_claim_is_always_for_the_session_user(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let victim = signed_in(app(pool.clone()), &pool, "victim@example.org").await;
    drop(victim);
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}&user_id=1&email=victim%40example.org")).await;
    assert_eq!(state(&pool, &slug).await.1.as_deref(), Some("jane@cs.example.edu"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn fifty_concurrent_claims_have_exactly_one_winner(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let author: i64 =
        sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1").bind(&slug).fetch_one(&pool).await.expect("id");
    let mut users = Vec::new();
    for i in 0..50 {
        users.push(
            db::writes::users::insert_user(&pool, &format!("c{i}@example.org"), "C", "x")
                .await
                .expect("user")
                .expect("new"),
        );
    }
    let mut tasks = tokio::task::JoinSet::new();
    for user in users {
        let pool = pool.clone();
        tasks.spawn(async move {
            let mut conn = pool.acquire().await.expect("conn");
            claims::claim_with_automatic_evidence(&mut conn, author, user, "race").await.expect("claim")
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.expect("task"));
    }
    assert_eq!(outcomes.iter().filter(|o| **o == ClaimOutcome::Done).count(), 1);
    assert_eq!(outcomes.iter().filter(|o| **o == ClaimOutcome::Taken).count(), 49);
    let audit: i64 = sqlx::query_scalar("SELECT count(*) FROM claim_audit").fetch_one(&pool).await.expect("count");
    assert_eq!(audit, 1, "nothing half-written by the losers");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_account_holds_at_most_one_record_and_every_transition_is_audited(pool: PgPool) {
    import_jane(&pool).await;
    let records: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM authors ORDER BY id LIMIT 2").fetch_all(&pool).await.expect("ids");
    let user = db::writes::users::insert_user(&pool, "one@example.org", "One", "x").await.expect("user").expect("new");
    let moderator = db::writes::users::insert_user(&pool, "m@example.org", "M", "x").await.expect("user").expect("new");
    let mut conn = pool.acquire().await.expect("conn");
    assert_eq!(
        claims::claim_with_automatic_evidence(&mut conn, records[0], user, "a").await.expect("claim"),
        ClaimOutcome::Done
    );
    assert_eq!(
        claims::claim_with_automatic_evidence(&mut conn, records[1], user, "b").await.expect("claim"),
        ClaimOutcome::AccountHoldsAnother
    );
    assert_eq!(
        claims::request_claim_review(&mut conn, records[1], user, "evidence", &[]).await.expect("claim"),
        ClaimOutcome::AccountHoldsAnother
    );
    assert!(claims::unclaim(&mut conn, records[0], user, true, "released").await.expect("release"));
    assert_eq!(
        claims::request_claim_review(&mut conn, records[1], user, "evidence", &[]).await.expect("claim"),
        ClaimOutcome::Done
    );
    let request: i64 = sqlx::query_scalar("SELECT id FROM claim_requests").fetch_one(&pool).await.expect("request");
    let decided = claims::decide(&mut conn, request, moderator, Verdict::Approve, "fine").await.expect("decide");
    assert!(matches!(decided, claims::Decided::Done(_)), "{decided:?}");
    assert!(claims::unclaim(&mut conn, records[1], moderator, false, "revoked").await.expect("revoke"));
    let audit: Vec<String> = sqlx::query_scalar("SELECT from_state || '>' || to_state FROM claim_audit ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("audit");
    assert_eq!(
        audit,
        ["unclaimed>claimed", "claimed>unclaimed", "unclaimed>pending", "pending>confirmed", "confirmed>unclaimed"]
    );
    let tamper = sqlx::query("DELETE FROM claim_audit").execute(&pool).await;
    assert!(tamper.is_err(), "the audit log is append-only");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_hidden_work_leaves_the_owners_list_and_counts(pool: PgPool) {
    crate::helpers::import_seed(&pool).await;
    let slug = crate::helpers::REFERENCE_SLUG;
    let mut mor = signed_in(app(pool.clone()), &pool, "mor@example.org").await;
    let author: i64 =
        sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1").bind(slug).fetch_one(&pool).await.expect("id");
    let user: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'mor@example.org'").fetch_one(&pool).await.expect("id");
    let mut conn = pool.acquire().await.expect("conn");
    claims::claim_with_automatic_evidence(&mut conn, author, user, "test").await.expect("claim");
    let work: String = sqlx::query_scalar("SELECT slug FROM works WHERE arxiv_id = '1909.12340'")
        .fetch_one(&pool)
        .await
        .expect("work");
    let hidden = mor.post_form("/api/hide_work", &format!("slug={slug}&work={work}")).await;
    assert_eq!(hidden.status, StatusCode::SEE_OTHER);
    let profile = text(&mor.get(&format!("/authors/{slug}")).await.body);
    assert!(profile.contains("2 works") && profile.contains("2 published item(s)"), "{profile}");
    assert!(!profile.contains("At Stability's Edge"), "{profile}");
    let reason: String = sqlx::query_scalar("SELECT reason FROM claim_audit ORDER BY id DESC LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("audit");
    assert!(reason.starts_with("hid a work that is not theirs: At Stability"), "{reason}");
}
