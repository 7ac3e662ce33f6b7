//! Citation edges from OpenAlex reference lists: idempotent on re-import, linked when a cited
//! work arrives later, our counts kept by triggers; OpenAlex's author figures kept.

use crate::helpers::{import, real_samples};
use ingest::import::ImportKind;
use serde_json::{json, Value};
use sqlx::PgPool;
use test_data::synthetic::{json_array, work, Author};

const ADA: Author<'static> = Author { id: 1, name: "Ada Citer", institution: None };

fn citing(id: u32, year: u32, cites: &[u32]) -> Value {
    let mut value = work(id, &format!("Work {id}"), &format!("{year}-01-01"), &[ADA], &[1]);
    value["referenced_works"] =
        json!(cites.iter().map(|c| format!("https://openalex.org/W9{c:08}")).collect::<Vec<_>>());
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

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn citation_edges_survive_a_re_import_unchanged_and_a_late_work_is_linked_when_it_arrives(pool: PgPool) {
    let first = json_array(&[citing(1, 2024, &[2, 3]), citing(2, 2020, &[])]);
    import(&pool, ImportKind::OpenAlexWorks, first.path().to_path_buf()).await;
    let expected = (vec![(w(1), w(2), true), (w(1), w(3), false)], vec![(w(1), 0), (w(2), 1)]);
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

#[sqlx::test(migrator = "db::MIGRATOR")]
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

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_reference_profile_exports_her_three_works_in_each_format_with_its_content_type(pool: PgPool) {
    crate::helpers::import_seed(&pool).await;
    let app = crate::helpers::app(pool.clone());
    let profile = format!("/authors/{}", crate::helpers::REFERENCE_SLUG);
    let titles = ["Stochastic Gradient Descent on Separable Data", "On the Implicit Bias", "At Stability"];

    let bib = crate::helpers::get(&app, &format!("{profile}.bib")).await;
    assert_eq!(bib.headers["content-type"], "application/x-bibtex; charset=utf-8");
    assert_eq!(bib.body.matches("\n@").count() + usize::from(bib.body.starts_with('@')), 3, "{}", bib.body);
    assert_eq!(
        bib.body.matches("doi = {10.48550/arXiv.").count(),
        3,
        "arXiv papers get their DataCite DOI: {}",
        bib.body
    );
    let ris = crate::helpers::get(&app, &format!("{profile}.ris")).await;
    assert_eq!(ris.headers["content-type"], "application/x-research-info-systems; charset=utf-8");
    assert_eq!(ris.body.matches("TY  - ").count(), 3, "{}", ris.body);
    let csl = crate::helpers::get(&app, &format!("{profile}.json")).await;
    assert_eq!(csl.headers["content-type"], "application/vnd.citationstyles.csl+json; charset=utf-8");
    let items: Vec<Value> = serde_json::from_str(&csl.body).expect("a CSL-JSON array");
    assert_eq!(items.len(), 3);
    for (body, format) in [(&bib.body, "bib"), (&ris.body, "ris"), (&csl.body, "json")] {
        for title in titles {
            assert!(body.contains(title), "{format} lacks {title}: {body}");
        }
    }
    // Newest first, as the profile lists them.
    let years: Vec<i64> = items.iter().filter_map(|i| i["issued"]["date-parts"][0][0].as_i64()).collect();
    assert!(years.windows(2).all(|w| w[0] >= w[1]), "{years:?}");

    let work: String =
        sqlx::query_scalar("SELECT slug FROM works ORDER BY id LIMIT 1").fetch_one(&pool).await.expect("a work");
    let one = crate::helpers::get(&app, &format!("/works/{work}.bib")).await;
    assert_eq!(one.body.matches('@').count(), 1, "{}", one.body);
    let page = crate::helpers::text(&crate::helpers::get(&app, &format!("/works/{work}")).await.body);
    assert!(page.contains("Cite Reference") && page.contains("BibTeX"), "{page}");
    assert_eq!(crate::helpers::get(&app, "/works/no-such-work.bib").await.status.as_u16(), 404);
    assert_eq!(crate::helpers::get(&app, "/authors/no-such-record.ris").await.status.as_u16(), 404);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_records_metrics_come_from_its_visible_works_and_a_hidden_work_leaves_them(pool: PgPool) {
    let works: Vec<Value> = [10, 8, 5, 4, 3]
        .iter()
        .enumerate()
        .map(|(i, cited)| {
            let mut value = citing(u32::try_from(i).unwrap_or(0) + 10, 2020, &[]);
            value["cited_by_count"] = json!(cited);
            value
        })
        .collect();
    let file = json_array(&works);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_path_buf()).await;
    let slug: String = sqlx::query_scalar("SELECT slug FROM authors").fetch_one(&pool).await.expect("Ada's record");
    let app = crate::helpers::app(pool.clone());
    let metric = |body: &str, name: &str| {
        let marker = format!("data-metric=\"{name}\">");
        body.split(&marker).nth(1).and_then(|rest| rest.split('<').next()).unwrap_or_default().to_owned()
    };
    let page = crate::helpers::get(&app, &format!("/authors/{slug}")).await.body;
    assert_eq!(
        (metric(&page, "citations"), metric(&page, "h-index"), metric(&page, "i10-index")),
        ("30".to_owned(), "4".to_owned(), "1".to_owned())
    );
    assert!(page.contains("<table class=\"year-table\""), "the chart's figures as a table");
    let cited = crate::helpers::text(&crate::helpers::get(&app, &format!("/authors/{slug}?sort=cited")).await.body);
    crate::helpers::assert_in_order(&cited, &["Work 10", "Work 11", "Work 12", "Work 13", "Work 14"]);
    let newest = crate::helpers::text(&page);
    crate::helpers::assert_in_order(&newest, &["Work 14", "Work 13", "Work 12", "Work 11", "Work 10"]);
    let refused = crate::helpers::get(&app, &format!("/authors/{slug}?sort=oldest")).await;
    assert_eq!(refused.status.as_u16(), 400, "an unknown order is refused clearly");
    sqlx::query(
        "INSERT INTO hidden_works (author_id, work_id)
         SELECT a.id, w.id FROM authors a, works w WHERE a.slug = $1 AND w.cited_by_count = 10",
    )
    .bind(&slug)
    .execute(&pool)
    .await
    .expect("hidden");
    let page = crate::helpers::get(&app, &format!("/authors/{slug}")).await.body;
    assert_eq!(
        (metric(&page, "citations"), metric(&page, "h-index"), metric(&page, "i10-index")),
        ("20".to_owned(), "3".to_owned(), "0".to_owned())
    );
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_works_graph_shows_its_citing_and_cited_works_with_citation_edges(pool: PgPool) {
    // Work 2 cites work 1; work 3 cites work 2.
    let file = json_array(&[citing(1, 2018, &[]), citing(2, 2020, &[1]), citing(3, 2022, &[2])]);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_path_buf()).await;
    let slug: String = sqlx::query_scalar("SELECT slug FROM works WHERE openalex_id = $1")
        .bind(w(2))
        .fetch_one(&pool)
        .await
        .expect("work 2");
    let app = crate::helpers::app(pool.clone());
    let page = crate::helpers::get(&app, &format!("/explore?focus=w:{slug}")).await.body;
    assert!(page.contains("class=\"edge cites\""), "citation edges are drawn in their own style");
    assert!(page.contains("Citations (2)"), "the legend counts them");
    let text = crate::helpers::text(&page);
    assert!(text.contains("Work 1 · citation") && text.contains("Work 3 · citation"), "{text}");
    let work_page = crate::helpers::text(&crate::helpers::get(&app, &format!("/works/{slug}")).await.body);
    assert!(work_page.contains("Cited by 1"), "{work_page}");
    assert!(work_page.contains("References (1)"), "{work_page}");
}
