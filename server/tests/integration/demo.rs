//! The demo a clone without a data folder gets: a synthetic catalogue of a few thousand made-up
//! researchers beside the reference profile's real works, said to be demo data on the start page,
//! whose links lead to profiles with works, collaborators and a graph.

use crate::helpers::{app, get, text, REFERENCE_SLUG};
use axum::http::StatusCode;
use ingest::import::demo;
use sqlx::PgPool;
use std::path::Path;

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_clone_without_a_data_folder_gets_a_synthetic_catalogue_and_the_start_page_says_so(pool: PgPool) {
    let report = demo::load_if_empty(&pool, Path::new("/nonexistent/bzpeer-data"), false).await.expect("the demo");
    let (works, researchers) = report.synthetic.expect("a synthetic catalogue");
    assert_eq!((works, researchers), (demo::SYNTHETIC.works as u64, demo::SYNTHETIC.authors as u64));
    let total: i64 = sqlx::query_scalar("SELECT count(*) FROM works").fetch_one(&pool).await.expect("a count");
    assert_eq!(total, works as i64 + 3, "the made-up works and the reference profile's three");

    let app = app(pool.clone());
    let home = get(&app, "/").await;
    let shown = text(&home.body);
    assert!(shown.contains("Demo data"), "{shown}");
    assert!(shown.contains("9,000 works by researchers that BZPEER's generator made up"), "{shown}");
    assert!(shown.contains("Start from Machine Learning"), "{shown}");
    // The start page's researchers lead to profiles with works, collaborators and a graph.
    let links: Vec<&str> =
        home.body.split("href=\"/authors/").skip(1).filter_map(|rest| rest.split('"').next()).collect();
    assert!(links.len() >= 5, "researchers to start from: {links:?}");
    for slug in links.iter().take(3) {
        let profile = get(&app, &format!("/authors/{slug}")).await;
        assert_eq!(profile.status, StatusCode::OK);
        let page = text(&profile.body);
        assert!(page.contains("Published work"), "{page}");
        assert!(!page.contains("No works imported"), "{page}");
        assert!(profile.body.contains("<canvas") || profile.body.contains("<svg"), "the research graph");
        // Its made-up OpenAlex id says so and links nowhere.
        assert!(page.contains("(made up for the demo)"), "{page}");
        assert!(!profile.body.contains("openalex.org/A9"), "a made-up id linked to OpenAlex");
        let collaborators: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM coauthors c JOIN authors a ON a.id = c.author_id WHERE a.slug = $1",
        )
        .bind(slug)
        .fetch_one(&pool)
        .await
        .expect("a count");
        assert!(collaborators > 0, "{slug} has collaborators");
    }
    // The reference profile is there as from the seed, and search finds made-up works too.
    assert_eq!(get(&app, &format!("/authors/{REFERENCE_SLUG}")).await.status, StatusCode::OK);
    let search = text(&get(&app, "/search?q=learning").await.body);
    assert!(search.contains("works"), "{search}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_catalogue_of_real_records_shows_no_demo_notice(pool: PgPool) {
    crate::helpers::import_seed(&pool).await;
    let shown = text(&get(&app(pool), "/").await.body);
    assert!(!shown.contains("Demo data"), "{shown}");
    assert!(shown.contains("Start from Machine Learning") && shown.contains("Mor Shpigel Nacson"), "{shown}");
}
