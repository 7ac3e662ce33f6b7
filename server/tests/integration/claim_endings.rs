//! When a claim ends (the owner releases it, a moderator revokes it, a dispute unseats the owner)
//! nothing the owner set stays on the record, and a dispute only ever acts on the claim it disputed.

use crate::claims::{import_jane, state};
use crate::helpers::{app, signed_in, text, Browser};
use crate::helpers::{moderator, EVIDENCE};
use axum::http::StatusCode;
use db::writes::claims;
use sqlx::PgPool;

const BIO: &str = "I study graphs of peers.";

/// Jane claims her record with her institutional e-mail and sets everything an owner can: bio,
/// homepage, affiliation (an institution from the list, or her own words), "Open to collaborate"
/// off, and her one work hidden.
async fn jane_owns_a_filled_in_record(pool: &PgPool, institution: bool) -> (String, Browser) {
    let slug = import_jane(pool).await;
    let mut jane = signed_in(app(pool.clone()), pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    let chosen = if institution {
        let id: String =
            sqlx::query_scalar("SELECT openalex_id FROM institutions").fetch_one(pool).await.expect("institution");
        format!("&affiliation_institution={id}")
    } else {
        String::new()
    };
    let edit = format!(
        "slug={slug}&bio=I+study+graphs+of+peers.&affiliation=Graph+Lab+Upstairs&homepage=https%3A%2F%2Fjane.example.edu{chosen}"
    );
    let saved = jane.post_form("/api/update_record", &edit).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.location());
    let work: String = sqlx::query_scalar("SELECT slug FROM works").fetch_one(pool).await.expect("work");
    let hidden = jane.post_form("/api/hide_work", &format!("slug={slug}&work={work}")).await;
    assert_eq!(hidden.location(), format!("/authors/{slug}/edit"));
    let profile = text(&jane.get(&format!("/authors/{slug}")).await.body);
    assert!(profile.contains(BIO) && !profile.contains("A Good Record"), "{profile}");
    let owner_row = owner_fields(pool, &slug).await;
    assert_eq!(owner_row.0.as_deref(), Some(BIO));
    assert!(owner_row.2 || owner_row.3, "an affiliation was saved");
    assert!(!owner_row.4, "the box was left unchecked");
    (slug, jane)
}

/// (bio, homepage, institution chosen, own-words affiliation, open to collaborate, hidden works)
async fn owner_fields(pool: &PgPool, slug: &str) -> (Option<String>, Option<String>, bool, bool, bool, i64) {
    sqlx::query_as(
        "SELECT a.bio, a.homepage_url, a.affiliation_institution_id IS NOT NULL, a.affiliation_text IS NOT NULL,
                a.open_to_collaborate, (SELECT count(*) FROM hidden_works h WHERE h.author_id = a.id)
         FROM authors a WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_one(pool)
    .await
    .expect("record")
}

/// The row is back to what an import gives, and the page shows none of the former owner's words.
async fn assert_owner_data_cleared(pool: &PgPool, slug: &str) {
    assert_eq!(owner_fields(pool, slug).await, (None, None, false, false, true, 0));
    let page = crate::helpers::get(&app(pool.clone()), &format!("/authors/{slug}")).await;
    let profile = text(&page.body);
    assert!(!profile.contains(BIO), "the old bio is gone: {profile}");
    assert!(!profile.contains("Graph Lab Upstairs"), "{profile}");
    assert!(!page.body.contains("jane.example.edu"), "the old homepage is gone");
    assert!(profile.contains("A Good Record"), "the hidden work is shown again: {profile}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn releasing_a_record_clears_everything_its_owner_set(pool: PgPool) {
    let (slug, mut jane) = jane_owns_a_filled_in_record(&pool, false).await;
    let release = jane.post_form("/api/unclaim_record", &format!("slug={slug}")).await;
    assert_eq!((release.status, release.location()), (StatusCode::SEE_OTHER, format!("/authors/{slug}").as_str()));
    assert_eq!(state(&pool, &slug).await, ("unclaimed".into(), None));
    assert_owner_data_cleared(&pool, &slug).await;
    let audit: Vec<String> = sqlx::query_scalar("SELECT from_state || '>' || to_state FROM claim_audit ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("audit");
    assert_eq!(audit, ["unclaimed>claimed", "claimed>claimed", "claimed>unclaimed"]);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn revoking_a_record_clears_everything_its_owner_set(pool: PgPool) {
    let (slug, _jane) = jane_owns_a_filled_in_record(&pool, true).await;
    let mut moderator = moderator(&pool, "mod@example.org").await;
    let revoke = moderator.post_form("/api/unclaim_record", &format!("slug={slug}&reason=Impersonation")).await;
    assert_eq!(revoke.status, StatusCode::SEE_OTHER);
    assert_eq!(state(&pool, &slug).await, ("unclaimed".into(), None));
    assert_owner_data_cleared(&pool, &slug).await;
    let log = text(&moderator.get(&format!("/moderation/records/{slug}")).await.body);
    assert!(log.contains("claimed unclaimed revoked by a moderator: Impersonation"), "{log}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_approved_dispute_clears_everything_the_unseated_owner_set(pool: PgPool) {
    let (slug, _jane) = jane_owns_a_filled_in_record(&pool, false).await;
    let mut rival = signed_in(app(pool.clone()), &pool, "rival@example.org").await;
    let dispute = rival.post_form("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
    assert_eq!(dispute.location(), format!("/authors/{slug}?disputed=1"));
    let id: i64 = sqlx::query_scalar("SELECT id FROM claim_requests WHERE kind = 'dispute'")
        .fetch_one(&pool)
        .await
        .expect("dispute");
    let mut moderator = moderator(&pool, "mod@example.org").await;
    let approve = moderator.post_form("/api/decide_request", &format!("id={id}&decision=approve&reason=Checked")).await;
    assert_eq!((approve.status, approve.location()), (StatusCode::SEE_OTHER, "/moderation/claims"));
    assert_eq!(state(&pool, &slug).await, ("unclaimed".into(), None));
    assert_owner_data_cleared(&pool, &slug).await;
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_dispute_about_an_earlier_claim_cannot_unseat_the_next_owner(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let mut first = signed_in(app(pool.clone()), &pool, "first@cs.example.edu").await;
    first.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    let mut rival = signed_in(app(pool.clone()), &pool, "rival@example.org").await;
    rival.post_form("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}")).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM claim_requests WHERE kind = 'dispute'")
        .fetch_one(&pool)
        .await
        .expect("dispute");

    // The disputed owner lets go, and the record's real author claims it.
    first.post_form("/api/unclaim_record", &format!("slug={slug}")).await;
    let mut jane = signed_in(app(pool.clone()), &pool, "jane@cs.example.edu").await;
    jane.post_form("/api/claim_with_email", &format!("slug={slug}")).await;
    assert_eq!(state(&pool, &slug).await, ("claimed".into(), Some("jane@cs.example.edu".into())));

    // A dispute form opened under the earlier claim is refused, not turned against Jane.
    let late = rival.post_json("/api/dispute_claim", &format!("slug={slug}&{EVIDENCE}&claim=1")).await;
    assert_eq!(late.status, StatusCode::CONFLICT);
    assert!(late.body.contains("changed hands"), "{}", late.body);

    let mut moderator = moderator(&pool, "mod@example.org").await;
    let queue = text(&moderator.get("/moderation/claims").await.body);
    assert!(!queue.contains("Dispute:"), "a dispute of an ended claim leaves the queue: {queue}");
    let approve = moderator.post_json("/api/decide_request", &format!("id={id}&decision=approve&reason=ok")).await;
    assert_eq!(approve.status, StatusCode::CONFLICT);
    assert!(approve.body.contains("this dispute is about an earlier claim"), "{}", approve.body);
    assert_eq!(state(&pool, &slug).await, ("claimed".into(), Some("jane@cs.example.edu".into())));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_request_whose_claim_ended_unnoticed_is_closed_as_stale_when_decided(pool: PgPool) {
    let slug = import_jane(&pool).await;
    let author: i64 =
        sqlx::query_scalar("SELECT id FROM authors WHERE slug = $1").bind(&slug).fetch_one(&pool).await.expect("id");
    let mut users = Vec::new();
    for who in ["owner", "rival", "mod"] {
        let email = format!("{who}@example.org");
        users.push(db::writes::users::insert_user(&pool, &email, who, "x").await.expect("user").expect("new"));
    }
    let mut conn = pool.acquire().await.expect("conn");
    claims::claim_with_automatic_evidence(&mut conn, author, users[0], "test").await.expect("claim");
    let opened = claims::open_dispute(&mut conn, author, users[1], None, "not theirs", &[], 5).await.expect("dispute");
    let claims::DisputeOutcome::Opened(id) = opened else { panic!("{opened:?}") };
    // The claim the dispute was about ends and another begins, as a race could leave it.
    sqlx::query("UPDATE authors SET claim_generation = claim_generation + 1 WHERE id = $1")
        .bind(author)
        .execute(&pool)
        .await
        .expect("next claim");
    let decided = claims::decide(&mut conn, id, users[2], bzpeer_core::domain::claims::Verdict::Approve, "ok")
        .await
        .expect("decide");
    assert!(
        matches!(&decided, claims::Decided::Stale { kind } if *kind == bzpeer_core::domain::claims::RequestKind::Dispute),
        "{decided:?}"
    );
    assert_eq!(state(&pool, &slug).await, ("claimed".into(), Some("owner@example.org".into())));
    let status: String = sqlx::query_scalar("SELECT status FROM claim_requests WHERE id = $1")
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("s");
    assert_eq!(status, "stale");
}
