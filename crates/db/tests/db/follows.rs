//! Follow counts under concurrency, and session purging, against the database itself.

use db::writes::follows;
use sqlx::PgPool;
use tower_sessions::ExpiredDeletion;

async fn users(pool: &PgPool, n: usize) -> Vec<i64> {
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let id = db::writes::users::insert_user(pool, &format!("u{i}@example.org"), "U", "x")
            .await
            .expect("insert")
            .expect("a new user");
        ids.push(id);
    }
    ids
}

async fn some_authors(pool: &PgPool, n: i64) -> Vec<i64> {
    sqlx::query_scalar("SELECT id FROM authors ORDER BY id LIMIT $1").bind(n).fetch_all(pool).await.expect("authors")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn following_twice_keeps_one_follow(pool: PgPool) {
    test_data::import_seed(&pool).await;
    let user = users(&pool, 1).await[0];
    let author = some_authors(&pool, 1).await[0];
    let mut conn = pool.acquire().await.expect("conn");
    assert_eq!(follows::follow(&mut conn, user, author).await.expect("follow"), 1);
    assert_eq!(follows::follow(&mut conn, user, author).await.expect("follow"), 1);
    let rows: i64 = sqlx::query_scalar("SELECT count(*) FROM follows").fetch_one(&pool).await.expect("count");
    assert_eq!(rows, 1);
    assert_eq!(follows::unfollow(&mut conn, user, author).await.expect("unfollow"), 0);
    assert_eq!(follows::unfollow(&mut conn, user, author).await.expect("unfollow"), 0);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn concurrent_toggles_leave_every_count_equal_to_its_recount(pool: PgPool) {
    test_data::import_seed(&pool).await;
    let users = users(&pool, 50).await;
    let authors = some_authors(&pool, 3).await;
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..200usize {
        let pool = pool.clone();
        let user = users[(i * 7) % users.len()];
        let author = authors[i % authors.len()];
        tasks.spawn(async move {
            let mut conn = pool.acquire().await.expect("conn");
            if i % 3 == 0 {
                follows::unfollow(&mut conn, user, author).await
            } else {
                follows::follow(&mut conn, user, author).await
            }
        });
    }
    while let Some(done) = tasks.join_next().await {
        done.expect("task").expect("toggle");
    }
    let mismatched: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM authors a
         WHERE a.follower_count <> (SELECT count(*) FROM follows f WHERE f.author_id = a.id)",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(mismatched, 0);
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM follows").fetch_one(&pool).await.expect("count");
    assert!(total > 0, "some follows remain");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn expired_sessions_are_purged(pool: PgPool) {
    sqlx::query(
        "INSERT INTO tower_sessions.session (id, data, expiry_date) VALUES
         ('old', '\\x00', now() - interval '1 hour'), ('live', '\\x00', now() + interval '1 day')",
    )
    .execute(&pool)
    .await
    .expect("sessions");
    tower_sessions_sqlx_store::PostgresStore::new(pool.clone()).delete_expired().await.expect("purge");
    let left: Vec<String> =
        sqlx::query_scalar("SELECT id FROM tower_sessions.session").fetch_all(&pool).await.expect("ids");
    assert_eq!(left, ["live"]);
}
