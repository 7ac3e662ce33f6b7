//! Invitations, conversations and blocks against the database itself: one open invitation per
//! pair under concurrent sends, and nothing delivered across a block.

use bzpeer_core::domain::collaboration::Answer;
use db::writes::conversations::{self, PostOutcome};
use db::writes::invitations::{self, AnswerOutcome, NewInvitation, SendOutcome};
use db::writes::{blocks, users};
use sqlx::PgPool;

/// A user `a`, and a user `b` holding the reference record; returns (a, b, the record's id).
async fn pair(pool: &PgPool) -> (i64, i64, i64) {
    test_data::import_seed(pool).await;
    let a = users::insert_user(pool, "a@example.org", "Ada", "x").await.expect("insert").expect("new");
    let b = users::insert_user(pool, "b@example.org", "Bea", "x").await.expect("insert").expect("new");
    let author: i64 =
        sqlx::query_scalar("UPDATE authors SET claim_state = 'claimed', claimed_by = $2 WHERE slug = $1 RETURNING id")
            .bind(test_data::REFERENCE_SLUG)
            .bind(b)
            .fetch_one(pool)
            .await
            .expect("claim");
    (a, b, author)
}

fn invitation(sender_id: i64, author_id: i64) -> NewInvitation<'static> {
    NewInvitation {
        sender_id,
        author_id,
        work_id: None,
        subject: "Working together",
        body: "A focused proposal about your work on SGD.",
    }
}

async fn count(pool: &PgPool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect("count")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn one_open_invitation_per_pair_holds_under_concurrent_sends(pool: PgPool) {
    let (a, _, author) = pair(&pool).await;
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..12 {
        let pool = pool.clone();
        tasks.spawn(async move {
            let mut conn = pool.acquire().await.expect("conn");
            invitations::send(&mut conn, &invitation(a, author)).await
        });
    }
    let mut outcomes = Vec::new();
    while let Some(done) = tasks.join_next().await {
        outcomes.push(done.expect("task").expect("send"));
    }
    let sent = outcomes.iter().filter(|o| matches!(o, SendOutcome::Sent(_))).count();
    let refused = outcomes.iter().filter(|o| **o == SendOutcome::AlreadyOpen).count();
    assert_eq!((sent, refused), (1, 11), "{outcomes:?}");
    assert_eq!(count(&pool, "SELECT count(*) FROM invitations WHERE state = 'pending'").await, 1);

    // Once answered, the pair may have a new open invitation.
    let id: i64 = sqlx::query_scalar("SELECT id FROM invitations").fetch_one(&pool).await.expect("id");
    let mut conn = pool.acquire().await.expect("conn");
    let b: i64 = sqlx::query_scalar("SELECT recipient_id FROM invitations").fetch_one(&pool).await.expect("b");
    assert_eq!(
        invitations::answer(&mut conn, id, b, Answer::Decline, Some("Not now")).await.expect("answer"),
        AnswerOutcome::Declined
    );
    assert!(matches!(invitations::send(&mut conn, &invitation(a, author)).await.expect("send"), SendOutcome::Sent(_)));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn nobody_can_invite_themselves_or_an_unclaimed_record(pool: PgPool) {
    let (_, b, author) = pair(&pool).await;
    let mut conn = pool.acquire().await.expect("conn");
    assert_eq!(invitations::send(&mut conn, &invitation(b, author)).await.expect("send"), SendOutcome::NotAccepting);
    let unclaimed: i64 = sqlx::query_scalar("SELECT id FROM authors WHERE claim_state = 'unclaimed' LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("id");
    let a = users::insert_user(&pool, "c@example.org", "Cy", "x").await.expect("insert").expect("new");
    assert_eq!(invitations::send(&mut conn, &invitation(a, unclaimed)).await.expect("send"), SendOutcome::NotAccepting);
    assert_eq!(count(&pool, "SELECT count(*) FROM invitations").await, 0);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn blocking_stops_delivery(pool: PgPool) {
    let (a, b, author) = pair(&pool).await;
    let mut conn = pool.acquire().await.expect("conn");
    let SendOutcome::Sent(first) = invitations::send(&mut conn, &invitation(a, author)).await.expect("send") else {
        panic!("the first invitation is sent");
    };
    let AnswerOutcome::Accepted { conversation_id } =
        invitations::answer(&mut conn, first, b, Answer::Accept, None).await.expect("answer")
    else {
        panic!("accepted");
    };
    assert!(matches!(
        conversations::post(&mut conn, conversation_id, a, "Hello!").await.expect("post"),
        PostOutcome::Posted(_)
    ));
    let SendOutcome::Sent(second) = invitations::send(&mut conn, &invitation(a, author)).await.expect("send") else {
        panic!("a second invitation is sent");
    };
    assert_eq!(invitations::unread_total(&pool, b).await.expect("unread"), 2, "one message and one invitation");

    assert!(blocks::block(&mut conn, b, a).await.expect("block"));
    // What was open between them is ended: the pending invitation declined, the conversation closed.
    let state: String = sqlx::query_scalar("SELECT state FROM invitations WHERE id = $1")
        .bind(second)
        .fetch_one(&pool)
        .await
        .expect("state");
    assert_eq!(state, "declined");
    // Nothing more arrives from the blocked user.
    assert_eq!(
        conversations::post(&mut conn, conversation_id, a, "Are you there?").await.expect("post"),
        PostOutcome::Closed
    );
    assert_eq!(invitations::send(&mut conn, &invitation(a, author)).await.expect("send"), SendOutcome::Blocked);
    assert_eq!(count(&pool, "SELECT count(*) FROM messages").await, 1);
    assert_eq!(count(&pool, "SELECT count(*) FROM invitations WHERE state = 'pending'").await, 0);
    assert_eq!(invitations::unread_total(&pool, b).await.expect("unread"), 1, "only the message from before the block");

    // Lifting the block lets new invitations through again.
    assert!(blocks::unblock(&pool, b, a).await.expect("unblock"));
    assert!(matches!(invitations::send(&mut conn, &invitation(a, author)).await.expect("send"), SendOutcome::Sent(_)));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn reading_marks_messages_read_and_pages_go_back_in_order(pool: PgPool) {
    let (a, b, author) = pair(&pool).await;
    let mut conn = pool.acquire().await.expect("conn");
    let SendOutcome::Sent(id) = invitations::send(&mut conn, &invitation(a, author)).await.expect("send") else {
        panic!("sent");
    };
    let AnswerOutcome::Accepted { conversation_id } =
        invitations::answer(&mut conn, id, b, Answer::Accept, None).await.expect("answer")
    else {
        panic!("accepted");
    };
    for i in 0..5 {
        conversations::post(&mut conn, conversation_id, a, &format!("message {i}")).await.expect("post");
    }
    assert_eq!(invitations::unread_total(&pool, b).await.expect("unread"), 5);
    let newest = conversations::messages(&pool, conversation_id, None, 2).await.expect("page");
    let bodies: Vec<_> = newest.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(bodies, ["message 4", "message 3"]);
    let older = conversations::messages(&pool, conversation_id, Some(newest[1].id), 10).await.expect("page");
    assert_eq!(older.iter().map(|m| m.body.as_str()).collect::<Vec<_>>(), ["message 2", "message 1", "message 0"]);
    conversations::mark_read(&pool, conversation_id, b, newest[0].id).await.expect("read");
    conversations::mark_read(&pool, conversation_id, b, older[0].id).await.expect("never back");
    assert_eq!(invitations::unread_total(&pool, b).await.expect("unread"), 0);
    assert_eq!(invitations::unread_total(&pool, a).await.expect("unread"), 1, "the acceptance is news to the sender");
    invitations::mark_seen(&pool, a).await.expect("seen");
    assert_eq!(invitations::unread_total(&pool, a).await.expect("unread"), 0);
}
