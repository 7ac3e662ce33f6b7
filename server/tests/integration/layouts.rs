//! Graph layouts are kept in the database: the second view of a page reads the positions the
//! first laid out (the same picture), kept under the slice's name while the slice is unchanged,
//! and a slice that changed is laid out anew in its place.

use crate::helpers::{add_work_by, app, get, import_seed, REFERENCE_SLUG};
use sqlx::PgPool;

/// The graph's drawing on a page.
fn drawing(body: &str) -> &str {
    let start = body.find("<svg").unwrap_or_else(|| panic!("no drawing in {body}"));
    let end = body[start..].find("</svg>").map_or(body.len(), |e| start + e);
    &body[start..end]
}

async fn kept(pool: &PgPool) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM named_layouts").fetch_one(pool).await.unwrap_or(-1)
}

/// The kept layout's slice key, and whether it was laid out in the last minute.
async fn kept_key(pool: &PgPool) -> (Vec<u8>, bool) {
    sqlx::query_as("SELECT layout_key, laid_out_at > now() - interval '1 minute' FROM named_layouts")
        .fetch_one(pool)
        .await
        .unwrap_or_default()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_layout_is_kept_and_read_again(pool: PgPool) {
    import_seed(&pool).await;
    let router = app(pool.clone());
    let path = format!("/authors/{REFERENCE_SLUG}");
    let first = get(&router, &path).await;
    assert_eq!(kept(&pool).await, 1, "the profile's graph was laid out and kept");
    // Positions read back must be the ones laid out: same page, bit for bit.
    sqlx::query("UPDATE named_layouts SET laid_out_at = now() - interval '1 hour'")
        .execute(&pool)
        .await
        .unwrap_or_default();
    let (key, _) = kept_key(&pool).await;
    sqlx::query("SELECT bump_pages(ARRAY['a:' || $1])").bind(REFERENCE_SLUG).execute(&pool).await.unwrap_or_default();
    let second = get(&router, &path).await;
    assert_eq!(kept(&pool).await, 1);
    assert_eq!(kept_key(&pool).await, (key.clone(), false), "read, not laid out again");
    assert_eq!(drawing(&first.body), drawing(&second.body));

    // Kept positions are what the page shows: moving them moves the drawing of the page rendered
    // next (the page itself is kept until its version moves, as any write to it would).
    sqlx::query("UPDATE named_layouts SET positions = array_fill(7.5::real, ARRAY[array_length(positions, 1)])")
        .execute(&pool)
        .await
        .unwrap_or_default();
    sqlx::query("SELECT bump_pages(ARRAY['a:' || $1])").bind(REFERENCE_SLUG).execute(&pool).await.unwrap_or_default();
    let moved = get(&router, &path).await;
    assert_ne!(drawing(&moved.body), drawing(&first.body));

    // A changed slice (a new co-authored work) has a new key: laid out anew, in the old one's place.
    add_work_by(&pool, REFERENCE_SLUG, "another-work", "Another work").await;
    get(&router, &path).await;
    assert_eq!(kept(&pool).await, 1);
    let (new_key, fresh) = kept_key(&pool).await;
    assert!(new_key != key && fresh, "the changed slice was laid out again");
}

/// A kept layout's nodes and where each stands, by the slice's name.
async fn picture(pool: &PgPool, name: &str) -> std::collections::HashMap<String, (f32, f32)> {
    let (keys, positions): (Vec<String>, Vec<f32>) =
        sqlx::query_as("SELECT keys, positions FROM named_layouts WHERE name = $1")
            .bind(name)
            .fetch_one(pool)
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    keys.into_iter().zip(positions.chunks_exact(2).map(|p| (p[0], p[1]))).collect()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_expansion_keeps_what_was_on_screen_where_it_was(pool: PgPool) {
    import_seed(&pool).await;
    let router = app(pool.clone());
    // Her main topic: expanding it brings in its other works.
    let topic: i64 = sqlx::query_scalar(
        "SELECT st.main_topic_id FROM author_stats st JOIN authors a ON a.id = st.author_id WHERE a.slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    // A work of someone else on that topic.
    let other: String = sqlx::query_scalar("SELECT slug FROM authors WHERE slug <> $1 ORDER BY id LIMIT 1")
        .bind(REFERENCE_SLUG)
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    add_work_by(&pool, &other, "a-topic-neighbour", "A topic neighbour").await;
    sqlx::query("INSERT INTO work_topics (work_id, topic_id, score) SELECT id, $1, 1 FROM works WHERE slug = 'a-topic-neighbour'")
        .bind(topic)
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let focus = format!("a:{REFERENCE_SLUG}");
    get(&router, &format!("/explore?focus={focus}")).await;
    let before = picture(&pool, &format!("5000/{focus}")).await;
    let expanded = get(&router, &format!("/explore?focus={focus}&expand=t:{topic}")).await;
    assert_eq!(expanded.status, axum::http::StatusCode::OK);
    let after = picture(&pool, &format!("5000/{focus}+t:{topic}")).await;
    assert!(after.len() > before.len(), "the expansion added nodes: {} -> {}", before.len(), after.len());
    for (key, at) in &before {
        if let Some(now) = after.get(key) {
            assert_eq!(now, at, "{key} stays where it was on screen");
        }
    }
    let expired: i64 =
        sqlx::query_scalar("SELECT count(*) FROM named_layouts WHERE expanded").fetch_one(&pool).await.unwrap_or(0);
    assert_eq!(expired, 1, "the expansion's layout is the one kept as expanded (purged after a day)");
}
