//! The hidden-works rule, held in one place (the `record_authorships` view): a work the owner
//! hides leaves every page and count of their record: the profile's list, counts, co-authors,
//! topics and graph, search, the explorer, followers' feeds and the invitation's work choice.

use crate::helpers::{app, import_seed, signed_in, Browser, REFERENCE_SLUG};
use app::api::follows::FollowingPage;
use app::api::graph::Exploration;
use axum::http::StatusCode;
use bzpeer_core::model::profile::Profile;
use bzpeer_core::model::search::SearchResults;
use sqlx::PgPool;

/// The two works that go, the only ones with Niv Giladi and Elad Hoffer; the record keeps "On
/// the Implicit Bias of Initialization Shape" (one work, one topic).
const HIDDEN: [&str; 2] = ["1806.01796", "1909.12340"];

/// A server function's JSON answer, read into the type the binding names.
macro_rules! json {
    ($page:expr) => {{
        let page = $page;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{e}: {}", page.body))
    }};
}

async fn profile(browser: &mut Browser) -> Profile {
    json!(browser.post_json("/api/get_profile", &format!("slug={REFERENCE_SLUG}")).await)
}

/// Mor, owning the reference record, and a reader following it.
async fn owner_and_follower(pool: &PgPool) -> (Browser, Browser) {
    import_seed(pool).await;
    let mut mor = signed_in(app(pool.clone()), pool, "mor@example.org").await;
    let mut reader = signed_in(app(pool.clone()), pool, "reader@example.org").await;
    sqlx::query(
        "UPDATE authors SET claim_state = 'claimed', open_to_collaborate = TRUE,
                claimed_by = (SELECT id FROM users WHERE email = 'mor@example.org')
         WHERE slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .execute(pool)
    .await
    .expect("claim");
    let followed = reader.post_json("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!(followed.status, StatusCode::OK, "{}", followed.body);
    let before = profile(&mut mor).await;
    assert_eq!(before.counts.works, 3, "the seed as imported");
    (mor, reader)
}

async fn slug_of(pool: &PgPool, arxiv_id: &str) -> String {
    sqlx::query_scalar("SELECT slug FROM works WHERE arxiv_id = $1").bind(arxiv_id).fetch_one(pool).await.expect("work")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_hidden_work_leaves_every_page_and_count_of_the_record(pool: PgPool) {
    let (mut mor, mut reader) = owner_and_follower(&pool).await;
    let mut hidden_slugs = Vec::new();
    for id in HIDDEN {
        let slug = slug_of(&pool, id).await;
        let hidden = mor.post_form("/api/hide_work", &format!("slug={REFERENCE_SLUG}&work={slug}")).await;
        assert_eq!(hidden.status, StatusCode::SEE_OTHER, "{}", hidden.body);
        hidden_slugs.push(slug);
    }
    let gone = |what: &str, keys: &[String]| {
        for slug in &hidden_slugs {
            assert!(!keys.iter().any(|k| k.contains(slug.as_str())), "{what} still shows {slug}: {keys:?}");
        }
    };

    // The profile: its list, its counts, its co-authors and its graph.
    let page = profile(&mut reader).await;
    assert_eq!((page.counts.works, page.counts.topics), (1, 1), "{:?}", page.counts);
    gone("the works list", &page.works.items.iter().map(|w| w.slug.clone()).collect::<Vec<_>>());
    let graph_keys: Vec<String> = page.graph.nodes.iter().map(|n| n.key.clone()).collect();
    gone("the profile's graph", &graph_keys);
    let labels: Vec<&str> = page.graph.nodes.iter().map(|n| n.label.as_str()).collect();
    for only_on_hidden in ["Niv Giladi", "Elad Hoffer"] {
        assert!(!labels.iter().any(|l| l.contains(only_on_hidden)), "{only_on_hidden} in {labels:?}");
    }
    assert!(page.close_collaborators.iter().all(|c| c.name != "Niv Giladi" && c.name != "Elad Hoffer"));

    // The explorer around the record.
    let explored: Exploration = json!(reader.post_json("/api/explore", &format!("focus=a:{REFERENCE_SLUG}")).await);
    gone("the explorer", &explored.slice.nodes.iter().map(|n| n.key.clone()).collect::<Vec<_>>());

    // Search counts the record's works without them.
    let found: SearchResults = json!(reader.post_json("/api/search", "q=Mor+Shpigel+Nacson&kind=people").await);
    let hit = found.people.iter().find(|p| p.slug == REFERENCE_SLUG).expect("the record is found");
    assert_eq!(hit.works, 1);

    // A follower's feed.
    let feed: FollowingPage = json!(reader.post_json("/api/following", "").await);
    gone("the feed", &feed.feed.iter().map(|f| f.work.slug.clone()).collect::<Vec<_>>());
    assert_eq!(feed.feed.len(), 1);

    // An invitation about a hidden work is refused like one about someone else's work.
    let invite = format!(
        "slug={REFERENCE_SLUG}&subject=Working+together&body=I+would+like+to+extend+your+SGD+result+to+deep+nets.&work={}",
        hidden_slugs[0]
    );
    let refused = reader.post_json("/api/send_invitation", &invite).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{}", refused.body);
}
