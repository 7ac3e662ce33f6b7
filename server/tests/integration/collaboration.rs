//! Direct collaboration through the real router: invitations, the inbox, conversations, privacy
//! (strangers get 404), refusals, rate limits, escaping and oversize messages.

use crate::helpers::{app, import_seed, signed_in, text, Browser, REFERENCE_SLUG};
use axum::http::StatusCode;
use sqlx::PgPool;

const INVITE: &str = "subject=Working+together&body=I+would+like+to+extend+your+SGD+result+to+deep+nets.";

/// Ada, and Bea who holds the reference record (open to collaborate).
async fn ada_and_bea(pool: &PgPool) -> (Browser, Browser) {
    import_seed(pool).await;
    let ada = signed_in(app(pool.clone()), pool, "ada@example.org").await;
    let bea = signed_in(app(pool.clone()), pool, "bea@example.org").await;
    sqlx::query(
        "UPDATE authors SET claim_state = 'claimed', claimed_by = (SELECT id FROM users WHERE email = $2) WHERE slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .bind("bea@example.org")
    .execute(pool)
    .await
    .expect("claim");
    (ada, bea)
}

async fn invite(browser: &mut Browser) -> crate::helpers::Page {
    browser.post_json("/api/send_invitation", &format!("slug={REFERENCE_SLUG}&{INVITE}")).await
}

/// Ada invites Bea, Bea accepts: the conversation's id.
async fn conversation(ada: &mut Browser, bea: &mut Browser) -> i64 {
    let sent = invite(ada).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let accepted = bea.post_json("/api/answer_invitation", &format!("id={}&decision=accept", sent.body)).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    accepted.body.parse().expect("a conversation id")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_invitation_reaches_the_inbox_and_mail_and_accepting_opens_a_conversation(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    let profile = text(&ada.get(&format!("/authors/{REFERENCE_SLUG}")).await.body);
    assert!(profile.contains("Direct collaboration"), "{profile}");
    assert!(profile.contains("Send invitation"), "{profile}");
    let work: String = sqlx::query_scalar(
        "SELECT w.slug FROM works w JOIN authorships s ON s.work_id = w.id JOIN authors a ON a.id = s.author_id
         WHERE a.slug = $1 LIMIT 1",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(&pool)
    .await
    .expect("a work");
    let sent = ada.post_form("/api/send_invitation", &format!("slug={REFERENCE_SLUG}&{INVITE}&work={work}")).await;
    assert_eq!(
        (sent.status, sent.location()),
        (StatusCode::SEE_OTHER, format!("/authors/{REFERENCE_SLUG}?invited=1#collaboration").as_str())
    );
    let mail: String =
        sqlx::query_scalar("SELECT body FROM outbox WHERE to_email = 'bea@example.org' ORDER BY id DESC LIMIT 1")
            .fetch_one(&pool)
            .await
            .expect("a mail to Bea");
    assert!(mail.contains("http://bzpeer.test/me/inbox"), "{mail}");
    assert!(text(&ada.get(&format!("/authors/{REFERENCE_SLUG}")).await.body)
        .contains("Invitation sent to Mor Shpigel Nacson, waiting for an answer."));

    // Bea's header counts it; showing the inbox marks it seen.
    assert!(text(&bea.get("/").await.body).contains("Inbox (1)"));
    let inbox = text(&bea.get("/me/inbox").await.body);
    assert!(inbox.contains("Working together New From Tester About"), "{inbox}");
    assert!(text(&bea.get("/").await.body).contains("Inbox Following"));

    let id: i64 = sqlx::query_scalar("SELECT id FROM invitations").fetch_one(&pool).await.expect("id");
    let accepted = bea.post_form("/api/answer_invitation", &format!("id={id}&decision=accept&note=Gladly")).await;
    let conversation: i64 =
        sqlx::query_scalar("SELECT id FROM conversations").fetch_one(&pool).await.expect("conversation");
    assert_eq!(accepted.location(), format!("/conversations/{conversation}"));
    let posted = bea.post_form("/api/post_message", &format!("conversation={conversation}&body=Hello+Ada")).await;
    assert_eq!(posted.location(), format!("/conversations/{conversation}#latest"));
    assert!(text(&ada.get("/").await.body).contains("Inbox (2)"), "the answer and the message");
    let page = text(&ada.get(&format!("/conversations/{conversation}")).await.body);
    assert!(page.contains("Hello Ada"), "{page}");
    assert!(page.contains("Note with the acceptance: Gladly"), "{page}");
    assert!(text(&ada.get("/").await.body).contains("Inbox (1)"), "the message is read, the answer not yet seen");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_stranger_reading_or_posting_to_a_conversation_gets_404(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    let id = conversation(&mut ada, &mut bea).await;
    let mut stranger = signed_in(app(pool.clone()), &pool, "eve@example.org").await;
    let missing = stranger.get("/conversations/999999").await;
    let read = stranger.get(&format!("/conversations/{id}")).await;
    assert_eq!((read.status, missing.status), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(text(&read.body), text(&missing.body), "no hint that it exists");
    let post = stranger.post_json("/api/post_message", &format!("conversation={id}&body=Let+me+in")).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    assert_eq!(
        stranger.post_json("/api/close_conversation", &format!("conversation={id}")).await.status,
        StatusCode::NOT_FOUND
    );
    let bea_id: i64 =
        sqlx::query_scalar("SELECT id FROM users WHERE email = 'bea@example.org'").fetch_one(&pool).await.expect("id");
    assert_eq!(stranger.post_json("/api/block_user", &format!("user={bea_id}")).await.status, StatusCode::NOT_FOUND);
    let logged_out = crate::helpers::get(&app(pool.clone()), &format!("/conversations/{id}")).await;
    assert_eq!(logged_out.status, StatusCode::UNAUTHORIZED);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM messages").fetch_one(&pool).await.expect("n"), 0);
    assert_eq!(ada.get(&format!("/conversations/{id}")).await.status, StatusCode::OK);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn invitations_to_unclaimed_or_closed_records_are_refused_clearly(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    let unclaimed: String = sqlx::query_scalar("SELECT slug FROM authors WHERE claim_state = 'unclaimed' LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("slug");
    let refused = ada.post_json("/api/send_invitation", &format!("slug={unclaimed}&{INVITE}")).await;
    assert_eq!(refused.status, StatusCode::CONFLICT);
    assert!(refused.body.contains("has not claimed this record yet"), "{}", refused.body);
    assert!(text(&ada.get(&format!("/authors/{unclaimed}")).await.body)
        .contains("Claim this author entity first to unlock direct invitations."));

    sqlx::query("UPDATE authors SET open_to_collaborate = FALSE WHERE slug = $1")
        .bind(REFERENCE_SLUG)
        .execute(&pool)
        .await
        .expect("close");
    let closed = invite(&mut ada).await;
    assert_eq!(closed.status, StatusCode::CONFLICT);
    assert!(closed.body.contains("is not open to collaboration invitations right now"), "{}", closed.body);
    let profile = text(&ada.get(&format!("/authors/{REFERENCE_SLUG}")).await.body);
    assert!(profile.contains("is not open to collaboration invitations right now."), "{profile}");
    assert!(!profile.contains("Send invitation"), "{profile}");

    // Without JavaScript the refusal comes back to the profile, nothing typed in the URL.
    let form = ada.post_form("/api/send_invitation", &format!("slug={REFERENCE_SLUG}&{INVITE}")).await;
    assert_eq!(form.location(), format!("/authors/{REFERENCE_SLUG}#collaboration"));

    let own = invite(&mut bea).await;
    assert_eq!(own.status, StatusCode::BAD_REQUEST);
    assert!(own.body.contains("you cannot invite yourself"), "{}", own.body);
    let short =
        ada.post_json("/api/send_invitation", &format!("slug={REFERENCE_SLUG}&subject=Hi&body=Too+short")).await;
    assert_eq!(short.status, StatusCode::BAD_REQUEST);
    assert_eq!(sqlx::query_scalar::<_, i64>("SELECT count(*) FROM invitations").fetch_one(&pool).await.expect("n"), 0);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn rate_limits_answer_429(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    // Ten invitations a day, even when each is withdrawn again.
    for _ in 0..10 {
        let sent = invite(&mut ada).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let withdrawn = ada.post_json("/api/withdraw_invitation", &format!("id={}", sent.body)).await;
        assert_eq!(withdrawn.status, StatusCode::OK);
    }
    let limited = invite(&mut ada).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.body);
    assert!(limited.headers.get("retry-after").is_some());

    // Thirty messages per ten minutes.
    sqlx::query("DELETE FROM rate_limits").execute(&pool).await.expect("reset");
    let id = conversation(&mut ada, &mut bea).await;
    for i in 0..30 {
        let posted = bea.post_json("/api/post_message", &format!("conversation={id}&body=Note+{i}")).await;
        assert_eq!(posted.status, StatusCode::OK, "message {i}: {}", posted.body);
    }
    let limited = bea.post_json("/api/post_message", &format!("conversation={id}&body=One+more")).await;
    assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(limited.body.contains("RateLimited"), "{}", limited.body);
    assert!(limited.headers.get("retry-after").is_some());
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn senders_whose_invitations_are_mostly_declined_are_slowed_to_one_a_day(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    for _ in 0..7 {
        let sent = invite(&mut ada).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let declined =
            bea.post_json("/api/answer_invitation", &format!("id={}&decision=decline&note=No", sent.body)).await;
        assert_eq!((declined.status, declined.body.as_str()), (StatusCode::OK, "null"));
    }
    let slowed = invite(&mut ada).await;
    assert_eq!(slowed.status, StatusCode::TOO_MANY_REQUESTS, "{}", slowed.body);
    let inbox = text(&ada.get("/me/inbox").await.body);
    assert!(inbox.contains("Declined on"), "declined invitations stay listed: {inbox}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn script_tags_in_messages_come_back_escaped(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    let id = conversation(&mut ada, &mut bea).await;
    let script = "%3Cscript%3Ealert(%22owned%22)%3C%2Fscript%3E+%3Cb%3Ebold%3C%2Fb%3E";
    assert_eq!(
        ada.post_json("/api/post_message", &format!("conversation={id}&body={script}")).await.status,
        StatusCode::OK
    );
    let page = bea.get(&format!("/conversations/{id}")).await.body;
    assert!(page.contains("&lt;script&gt;alert("), "the message is shown as text");
    assert!(!page.contains("<script>alert("), "no script tag reaches the page");
    assert!(!page.contains("<b>bold"), "no markup reaches the page");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn oversize_messages_get_a_clear_4xx_and_the_longest_allowed_fits(pool: PgPool) {
    let (mut ada, mut bea) = ada_and_bea(&pool).await;
    let id = conversation(&mut ada, &mut bea).await;
    let too_long = ada.post_json("/api/post_message", &format!("conversation={id}&body={}", "a".repeat(4001))).await;
    assert_eq!(too_long.status, StatusCode::BAD_REQUEST);
    assert!(too_long.body.contains("keep it to 4000 characters (4001 now)"), "{}", too_long.body);
    // 4,000 four-byte characters, percent-encoded, still fit the 64 KiB body limit.
    let widest = "%F0%9F%94%AC".repeat(4000);
    assert_eq!(
        ada.post_json("/api/post_message", &format!("conversation={id}&body={widest}")).await.status,
        StatusCode::OK
    );
    // Past 64 KiB a browser (which sends Content-Length) is refused before the body is read.
    let form = format!("conversation={id}&body={}", "a".repeat(70_000));
    let request = axum::http::Request::post("/api/post_message")
        .header("content-type", "application/x-www-form-urlencoded")
        .header("content-length", form.len().to_string())
        .header("origin", crate::helpers::SITE)
        .header("cookie", ada.cookie.clone().unwrap_or_default())
        .body(axum::body::Body::from(form))
        .expect("a request");
    assert_eq!(crate::helpers::send(&ada.app, request).await.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Without JavaScript the error comes back above the reply box, with the text kept there
    // (not in the URL), once.
    let form = ada.post_form("/api/post_message", &format!("conversation={id}&body={}", "b".repeat(4001))).await;
    assert_eq!(form.location(), format!("/conversations/{id}#reply"));
    let page = ada.get(&format!("/conversations/{id}")).await.body;
    assert!(text(&page).contains("The message: keep it to 4000 characters (4001 now)"), "{page}");
    assert!(page.contains(&format!(">{}</textarea>", "b".repeat(4001))), "the typed text is kept");
    let again = ada.get(&format!("/conversations/{id}")).await.body;
    assert!(!again.contains(&"b".repeat(4001)) && !again.contains("role=\"alert\""), "shown once");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_failed_invitation_comes_back_to_its_form_without_its_text_in_the_url(pool: PgPool) {
    let (mut ada, _bea) = ada_and_bea(&pool).await;
    let form = ada
        .post_form("/api/send_invitation", &format!("slug={REFERENCE_SLUG}&subject=Private+plans&body=Too+short"))
        .await;
    assert_eq!(form.location(), format!("/authors/{REFERENCE_SLUG}#collaboration"));
    let page = ada.get(&format!("/authors/{REFERENCE_SLUG}")).await.body;
    assert!(text(&page).contains("The message: write at least"), "{page}");
    assert!(page.contains("value=\"Private plans\""), "the subject is kept: {page}");
    assert!(page.contains(">Too short</textarea>"), "the message is kept");
    assert!(!ada.get(&format!("/authors/{REFERENCE_SLUG}")).await.body.contains("Private plans"), "shown once");
}
