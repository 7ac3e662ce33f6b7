//! The research graph: the slice behind it, the SVG in the server-rendered pages, and the
//! explorer's addresses (expand, search) without JavaScript.

use crate::helpers::{app, get, import, import_seed, real_samples, text, REFERENCE_SLUG};
use axum::http::StatusCode;
use bzpeer_core::domain::graph::{EdgeKind, GraphSlice, NodeKey, NodeKind, EXPLORER_NODES, INLINE_NODES};
use db::views::graph::{around, Reach, EXPLORER_REACH, INLINE_REACH};
use ingest::import::ImportKind;
use sqlx::PgPool;
use test_data::synthetic::{self, Author};

async fn slug_of(pool: &PgPool, name: &str) -> String {
    sqlx::query_scalar("SELECT slug FROM authors WHERE display_name = $1 ORDER BY id LIMIT 1")
        .bind(name)
        .fetch_one(pool)
        .await
        .expect("the author exists")
}

async fn reference_slice(pool: &PgPool) -> GraphSlice {
    let mut conn = pool.acquire().await.expect("a connection");
    around(&mut conn, &NodeKey::Author(REFERENCE_SLUG.to_owned()), &[], INLINE_REACH)
        .await
        .expect("the slice query")
        .expect("the reference author exists")
}

fn weight_to(slice: &GraphSlice, label: &str, kind: EdgeKind) -> Option<u32> {
    let i = slice.nodes.iter().position(|n| n.label == label)? as u32;
    slice
        .edges
        .iter()
        .find(|e| e.kind == kind && ((e.source == 0 && e.target == i) || (e.target == 0 && e.source == i)))
        .map(|e| e.weight)
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_reference_slice_has_her_works_co_authors_by_shared_works_and_topic(pool: PgPool) {
    import_seed(&pool).await;
    let slice = reference_slice(&pool).await;
    assert_eq!(slice.nodes[0].label, "Mor Shpigel Nacson");
    assert_eq!(slice.nodes[0].kind, NodeKind::Person);
    let works: Vec<&str> = slice.nodes.iter().filter(|n| n.kind == NodeKind::Work).map(|n| n.label.as_str()).collect();
    assert_eq!(works.len(), 3, "{works:?}");
    assert!(works.contains(&"On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent"));
    for w in slice.nodes.iter().filter(|n| n.kind == NodeKind::Work) {
        assert_eq!(weight_to(&slice, &w.label, EdgeKind::Authored), Some(1), "she authored {}", w.label);
    }
    assert_eq!(weight_to(&slice, "Daniel Soudry", EdgeKind::CoAuthored), Some(3));
    assert_eq!(weight_to(&slice, "Nathan Srebro", EdgeKind::CoAuthored), Some(2));
    for one in ["Shahar Azulay", "Edward Moroshko", "Blake Woodworth", "Amir Globerson", "Niv Giladi", "Elad Hoffer"] {
        assert_eq!(weight_to(&slice, one, EdgeKind::CoAuthored), Some(1), "{one}");
    }
    let topic = slice.nodes.iter().find(|n| n.kind == NodeKind::Topic && n.label == "Machine Learning");
    assert!(topic.is_some(), "the Machine Learning topic is in the slice");
    // Co-authors link to the works they share with her.
    let soudry = slice.nodes.iter().position(|n| n.label == "Daniel Soudry").expect("Soudry") as u32;
    let soudry_works = slice
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Authored && (e.source == soudry || e.target == soudry))
        .count();
    assert_eq!(soudry_works, 3);
    // Ranked: the heaviest co-author comes before the others.
    let position = |label: &str| slice.nodes.iter().position(|n| n.label == label).unwrap_or(usize::MAX);
    assert!(position("Daniel Soudry") < position("Nathan Srebro"));
    assert!(position("Nathan Srebro") < position("Niv Giladi"));
}

/// The bounds checked around the researcher with the most works.
async fn assert_slices_stay_within_their_bounds(pool: &PgPool) -> (GraphSlice, GraphSlice) {
    let busiest: String = sqlx::query_scalar(
        "SELECT a.slug FROM authors a JOIN authorships s ON s.author_id = a.id GROUP BY a.id ORDER BY count(*) DESC, a.slug LIMIT 1",
    )
    .fetch_one(pool)
    .await
    .expect("an author");
    let mut conn = pool.acquire().await.expect("a connection");
    let focus = NodeKey::Author(busiest);
    let inline = around(&mut conn, &focus, &[], INLINE_REACH).await.expect("slice").expect("exists");
    assert!(inline.nodes.len() <= INLINE_NODES);
    let tight = Reach { per_seed: 30, max_nodes: 5 };
    let bounded = around(&mut conn, &focus, &[], tight).await.expect("slice").expect("exists");
    assert_eq!(bounded.nodes.len(), 5.min(inline.nodes.len()));
    assert!(bounded.edges.iter().all(|e| (e.source as usize) < 5 && (e.target as usize) < 5));
    // Expanding every topic in the slice stays within the explorer's bound and keeps the seeds.
    let topics: Vec<NodeKey> = inline
        .nodes
        .iter()
        .filter(|n| n.kind == NodeKind::Topic)
        .map(|n| NodeKey::parse(&n.key).expect("key"))
        .collect();
    let wide = around(&mut conn, &focus, &topics, EXPLORER_REACH).await.expect("slice").expect("exists");
    assert!(wide.nodes.len() <= EXPLORER_NODES);
    assert!(wide.nodes.len() >= inline.nodes.len());
    assert_eq!(wide.expanded.len(), topics.len());
    for t in &topics {
        assert!(wide.nodes.iter().any(|n| n.key == t.to_string()));
    }
    // An unknown focus is no slice at all.
    let missing = around(&mut conn, &NodeKey::Author("nobody-here".into()), &[], INLINE_REACH).await.expect("query");
    assert!(missing.is_none());
    (inline, wide)
}

/// 40 works by one researcher, each with 3 of 60 co-authors (each at one of 40 institutions) and
/// 5 of 200 topics, and 60 works by the co-authors alone on the same topics: more than an inline
/// slice holds.
fn a_catalogue_larger_than_a_slice() -> Vec<serde_json::Value> {
    let names: Vec<String> = (0..60).map(|i| format!("Co Author {i}")).collect();
    let co_author =
        |i: u32| Author { id: 100 + i % 60, name: &names[(i % 60) as usize], institution: Some(1 + i % 40) };
    (1..=100_u32)
        .map(|n| {
            let date = format!("20{:02}-{:02}-{:02}", 10 + n / 12, 1 + n % 12, 1 + n % 28);
            if n <= 40 {
                let mut authors = vec![Author { id: 1, name: "Nadia Node", institution: None }];
                authors.extend((0..3).map(|k| co_author(3 * n + 7 * k)));
                let topics: Vec<u32> = (0..5).map(|k| 1 + (5 * n + 37 * k) % 200).collect();
                synthetic::work(n, &format!("Her work {n}"), &date, &authors, &topics)
            } else {
                let authors = [co_author(n), co_author(n + 29)];
                let topics = [1 + (7 * n) % 200, 1 + (7 * n + 100) % 200];
                synthetic::work(n, &format!("Their work {n}"), &date, &authors, &topics)
            }
        })
        .collect()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn slices_stay_within_their_bounds(pool: PgPool) {
    let file = synthetic::json_array(&a_catalogue_larger_than_a_slice());
    let summary = import(&pool, ImportKind::OpenAlexWorks, file.path().to_owned()).await;
    assert_eq!((summary.created, summary.skipped), (100, 0), "{:?}", summary.problems);
    let (inline, wide) = assert_slices_stay_within_their_bounds(&pool).await;
    // The catalogue is large enough that the bounds bite.
    assert_eq!(inline.nodes[0].label, "Nadia Node");
    assert!(inline.omitted > 0 && inline.nodes.len() == INLINE_NODES, "{} nodes", inline.nodes.len());
    assert!(wide.nodes.len() > inline.nodes.len());
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn slices_stay_within_their_bounds_on_the_real_sample(pool: PgPool) {
    let Some(data) = real_samples() else { return };
    import(&pool, ImportKind::Arxiv, data.join("arxiv-sample/arxiv-metadata-oai-snapshot.jsonl")).await;
    assert_slices_stay_within_their_bounds(&pool).await;
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn node_kinds_come_from_the_database_by_name_and_an_unknown_one_is_an_error(pool: PgPool) {
    let kinds: Vec<NodeKind> = sqlx::query_scalar("SELECT unnest(ARRAY['person', 'work', 'topic', 'institution'])")
        .fetch_all(&pool)
        .await
        .expect("the four kinds decode");
    assert_eq!(kinds, NodeKind::ALL);
    for unknown in ["a", "Person", ""] {
        let decoded = sqlx::query_scalar::<_, NodeKind>("SELECT $1::text").bind(unknown).fetch_one(&pool).await;
        assert!(matches!(decoded, Err(sqlx::Error::ColumnDecode { .. })), "{unknown:?}: {decoded:?}");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_profile_and_work_pages_carry_the_graph_as_svg_and_a_list(pool: PgPool) {
    import_seed(&pool).await;
    let router = app(pool.clone());
    let soudry = slug_of(&pool, "Daniel Soudry").await;
    let page = get(&router, &format!("/authors/{REFERENCE_SLUG}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"class="graph-svg""#), "the SVG is in the first response");
    assert!(page.body.contains(r#"aria-label="Research graph around Mor Shpigel Nacson""#));
    assert!(
        page.body.contains(&format!(r#"<a href="/authors/{soudry}" aria-label="Daniel Soudry, researcher">"#)),
        "nodes are links with accessible names"
    );
    assert!(page.body.contains("<canvas"), "the canvas waits for the WASM");
    let body = text(&page.body);
    assert!(body.contains("People (8)"), "{body}");
    assert!(body.contains("Daniel Soudry · 3 shared works"));
    assert!(body.contains("Nathan Srebro · 2 shared works"));
    assert!(body.contains("Machine Learning"));

    let work: String = sqlx::query_scalar("SELECT slug FROM works ORDER BY sort_date DESC LIMIT 1")
        .fetch_one(&pool)
        .await
        .expect("a work");
    let page = get(&router, &format!("/works/{work}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(text(&page.body).contains("Research map"));
    assert!(page.body.contains(r#"class="graph-svg""#));
    assert!(page
        .body
        .contains(&format!(r#"href="/authors/{REFERENCE_SLUG}" aria-label="Mor Shpigel Nacson, researcher""#)));
    assert!(page.body.contains(&format!("/explore?focus=w:{work}")));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_explorer_expands_by_address_and_adds_nodes_by_search(pool: PgPool) {
    import_seed(&pool).await;
    let router = app(pool.clone());
    let soudry = slug_of(&pool, "Daniel Soudry").await;
    let page = get(&router, &format!("/explore?focus={REFERENCE_SLUG}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"class="graph-svg""#));
    // Without JavaScript, expanding is a link (in the SVG and in the list).
    let expand = format!("/explore?focus=a:{REFERENCE_SLUG}&amp;expand=a:{soudry}");
    assert!(page.body.contains(&format!(r#"href="{expand}""#)), "an expand link for Soudry");

    let expanded = get(&router, &format!("/explore?focus=a:{REFERENCE_SLUG}&expand=a:{soudry}")).await;
    assert_eq!(expanded.status, StatusCode::OK);
    let body = text(&expanded.body);
    assert!(body.contains("Expanded: Daniel Soudry"), "{body}");

    let search = get(&router, &format!("/explore?focus=a:{REFERENCE_SLUG}&expand=&q=Hoffer")).await;
    assert_eq!(search.status, StatusCode::OK);
    let hoffer = slug_of(&pool, "Elad Hoffer").await;
    assert!(search.body.contains(&format!("expand=a:{hoffer}")), "the search offers Hoffer");
    assert!(text(&search.body).contains("Add to graph"));

    let bad = get(&router, "/explore?focus=x:%3Cscript%3E").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(text(&bad.body).contains("Not a graph node"));
    let missing = get(&router, "/explore?focus=a:nobody-here").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}
