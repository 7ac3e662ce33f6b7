//! Citation edges from OpenAlex reference lists: idempotent on re-import, linked when a cited
//! work arrives later, our counts kept by triggers; OpenAlex's author figures kept.

use crate::helpers::{import, real_samples};
use crate::synthetic::{json_array, work, Author};
use app::ssr::import::ImportKind;
use serde_json::{json, Value};
use sqlx::PgPool;

const ADA: Author<'static> = Author { id: 1, name: "Ada Citer", institution: None };

fn citing(id: u32, year: u32, cites: &[u32]) -> Value {
    let mut value = work(id, &format!("Work {id}"), &format!("{year}-01-01"), &[ADA], &[1]);
    value["referenced_works"] = json!(cites.iter().map(|c| format!("https://openalex.org/W9{c:08}")).collect::<Vec<_>>());
    value
}

/// Every edge as (citing, cited key, whether linked), and each work's count of citations from
/// the catalogue.
async fn edges(pool: &PgPool) -> (Vec<(String, String, bool)>, Vec<(String, i32)>) {
    let edges = sqlx::query_as(
        "SELECT w.openalex_id, c.cited_key, c.cited_work_id IS NOT NULL
         FROM citations c JOIN works w ON w.id = c.citing_work_id ORDER BY 1, 2",
    )
    .fetch_all(pool)
    .await
    .expect("edges");
    let counts = sqlx::query_as("SELECT openalex_id, citing_count FROM works ORDER BY openalex_id")
        .fetch_all(pool)
        .await
        .expect("counts");
    (edges, counts)
}

fn w(n: u32) -> String {
    format!("W9{n:08}")
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn citation_edges_survive_a_re_import_unchanged_and_a_late_work_is_linked_when_it_arrives(pool: PgPool) {
    let first = json_array(&[citing(1, 2024, &[2, 3]), citing(2, 2020, &[])]);
    import(&pool, ImportKind::OpenAlexWorks, first.path().to_path_buf()).await;
    let expected = (
        vec![(w(1), w(2), true), (w(1), w(3), false)],
        vec![(w(1), 0), (w(2), 1)],
    );
    assert_eq!(edges(&pool).await, expected, "the cited work not yet here is kept by its id");
    import(&pool, ImportKind::OpenAlexWorks, first.path().to_path_buf()).await;
    assert_eq!(edges(&pool).await, expected, "a re-import changes nothing");

    // The cited work arrives: the waiting edge is linked and counted.
    let later = json_array(&[citing(3, 2019, &[])]);
    import(&pool, ImportKind::OpenAlexWorks, later.path().to_path_buf()).await;
    assert_eq!(
        edges(&pool).await,
        (vec![(w(1), w(2), true), (w(1), w(3), true)], vec![(w(1), 0), (w(2), 1), (w(3), 1)])
    );

    // A corrected reference list drops the edge it no longer has, and its count.
    let corrected = json_array(&[citing(1, 2024, &[2])]);
    import(&pool, ImportKind::OpenAlexWorks, corrected.path().to_path_buf()).await;
    assert_eq!(edges(&pool).await, (vec![(w(1), w(2), true)], vec![(w(1), 0), (w(2), 1), (w(3), 0)]));
}

#[sqlx::test(migrator = "app::ssr::db::MIGRATOR")]
async fn the_real_sample_keeps_its_references_and_openalexs_author_figures(pool: PgPool) {
    let Some(data) = real_samples() else { return };
    let sample = data.join("openalex-sample");
    import(&pool, ImportKind::OpenAlexWorks, sample.join("works.json")).await;
    import(&pool, ImportKind::OpenAlexAuthors, sample.join("authors.json")).await;
    let (edges, linked): (i64, i64) =
        sqlx::query_as("SELECT count(*), count(cited_work_id) FROM citations").fetch_one(&pool).await.expect("edges");
    assert_eq!((edges, linked), (13_391, 250), "every reference, 250 of them between sample works");
    let counted: i64 = sqlx::query_scalar("SELECT sum(citing_count) FROM works").fetch_one(&pool).await.expect("sum");
    assert_eq!(counted, 250);
    let figures: (Option<i32>, Option<i32>, i64) = sqlx::query_as(
        "SELECT a.source_h_index, a.source_i10_index, (SELECT count(*) FROM author_counts_by_year y WHERE y.author_id = a.id)
         FROM authors a WHERE a.source_h_index IS NOT NULL ORDER BY a.source_cited_by_count DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("an author with OpenAlex's figures");
    assert!(figures.0.is_some() && figures.1.is_some() && figures.2 > 0, "{figures:?}");
}
