//! Topic and institution pages, the links to them, and search with filters, through the real
//! router.

use crate::helpers::{app, fixture, get, import, import_seed, text, REFERENCE_SLUG};
use axum::http::StatusCode;
use ingest::import::ImportKind;
use serde_json::json;
use sqlx::PgPool;
use test_data::synthetic::{self, json_array, Author};

const REFERENCE_WORKS: [&str; 3] = [
    "Stochastic Gradient Descent on Separable Data",
    "On the Implicit Bias of Initialization Shape",
    "At Stability's Edge",
];

async fn topic_id(pool: &PgPool, name: &str) -> i64 {
    sqlx::query_scalar("SELECT id FROM topics WHERE display_name = $1")
        .bind(name)
        .fetch_one(pool)
        .await
        .expect("as the test set it up")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_machine_learning_topic_page_lists_her_works_and_her(pool: PgPool) {
    import_seed(&pool).await;
    let id = topic_id(&pool, "Machine Learning").await;
    let app = app(pool.clone());
    let page = get(&app, &format!("/topics/machine-learning-{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let shown = text(&page.body);
    assert!(shown.contains("Machine Learning"), "{shown}");
    // arXiv files Machine Learning under Computer Science (cs.LG) and Statistics (stat.ML).
    crate::helpers::assert_in_order(&shown, &["Computer Science", "Statistics", "Machine Learning"]);
    for title in REFERENCE_WORKS {
        assert!(shown.contains(title), "{title} is on the topic page");
    }
    assert!(shown.contains("Researchers with most works here"));
    assert!(page.body.contains(&format!("href=\"/authors/{REFERENCE_SLUG}\"")), "she leads the topic");
    assert!(shown.contains("3 works"), "{shown}");
    assert!(page.body.contains("type=\"application/atom+xml\""), "the page names its feed");

    // Most cited first, and a page past the last.
    let cited = get(&app, &format!("/topics/machine-learning-{id}?sort=cited")).await;
    assert_eq!(cited.status, StatusCode::OK);
    assert!(text(&cited.body).contains("Most cited works"));

    // The words in the address only read well: the id finds the topic.
    assert_eq!(get(&app, &format!("/topics/anything-{id}")).await.status, StatusCode::OK);
    for missing in ["/topics/machine-learning", "/topics/machine-learning-999999", "/institutions/x-999999"] {
        assert_eq!(get(&app, missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
    assert_eq!(get(&app, &format!("/topics/machine-learning-{id}?after=x")).await.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn chips_and_graph_nodes_link_to_topic_pages(pool: PgPool) {
    import_seed(&pool).await;
    let id = topic_id(&pool, "Machine Learning").await;
    let href = format!("href=\"/topics/machine-learning-{id}\"");
    let app = app(pool.clone());
    let profile = get(&app, &format!("/authors/{REFERENCE_SLUG}")).await;
    assert!(profile.body.contains(&href), "the profile's main topic chip links to the topic page");
    let work: String = sqlx::query_scalar("SELECT slug FROM works WHERE arxiv_id = '1806.01796'")
        .fetch_one(&pool)
        .await
        .expect("as the test set it up");
    let work = get(&app, &format!("/works/{work}")).await;
    assert!(work.body.contains(&href), "the work's topic chip links to the topic page");
    let explore = get(&app, &format!("/explore?focus=t:{id}")).await;
    assert!(explore.body.contains(&format!("/topics/machine-learning-{id}")), "the graph's topic node links to it");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_institution_page_shows_its_country_ror_works_and_people(pool: PgPool) {
    import(&pool, ImportKind::OpenAlexInstitutions, fixture("synthetic-openalex-institutions.json")).await;
    import(&pool, ImportKind::OpenAlexWorks, fixture("synthetic-openalex-works.json")).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM institutions WHERE display_name = 'Synthetic University'")
        .fetch_one(&pool)
        .await
        .expect("as the test set it up");
    let app = app(pool.clone());
    let page = get(&app, &format!("/institutions/synthetic-university-{id}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let shown = text(&page.body);
    assert!(shown.contains("Synthetic University") && shown.contains("Country NL"), "{shown}");
    assert!(page.body.contains("https://ror.org/000000101"));
    assert!(shown.contains("Rebuilding abstracts from an inverted index"), "{shown}");
    assert!(shown.contains("Ines Inverted"), "a researcher there is listed");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn openalex_topics_sit_under_their_domain_field_and_subfield(pool: PgPool) {
    let mut work = synthetic::work(
        1,
        "Sets that are fuzzy",
        "2024-02-01",
        &[Author { id: 1, name: "Fay Fuzzy", institution: None }],
        &[],
    );
    work["topics"] = json!([{
        "id": "https://openalex.org/T11671", "display_name": "Fuzzy and Soft Set Theory", "score": 0.99,
        "subfield": {"id": "https://openalex.org/subfields/1803", "display_name": "Management Science and Operations Research"},
        "field": {"id": "https://openalex.org/fields/18", "display_name": "Decision Sciences"},
        "domain": {"id": "https://openalex.org/domains/2", "display_name": "Social Sciences"}
    }]);
    let file = json_array(&[work]);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_path_buf()).await;
    let id = topic_id(&pool, "Fuzzy and Soft Set Theory").await;
    let page = get(&app(pool.clone()), &format!("/topics/fuzzy-and-soft-set-theory-{id}")).await;
    assert_eq!(page.status, StatusCode::OK);
    crate::helpers::assert_in_order(
        &text(&page.body),
        &[
            "Social Sciences",
            "Decision Sciences",
            "Management Science and Operations Research",
            "Fuzzy and Soft Set Theory",
        ],
    );
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn search_filters_by_year_type_access_and_topic_in_the_address(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    // The three works: preprints of 2022, 2021 and 2020.
    let all = text(&get(&app, "/search?q=gradient+OR+bias+OR+stability&kind=works").await.body);
    let since = text(&get(&app, "/search?q=gradient+OR+bias+OR+stability&kind=works&from=2021").await.body);
    assert!(all.contains(REFERENCE_WORKS[2]), "{all}");
    assert!(since.contains(REFERENCE_WORKS[0]) && !since.contains(REFERENCE_WORKS[2]), "{since}");
    let until = text(&get(&app, "/search?q=gradient+OR+bias+OR+stability&kind=works&to=2020").await.body);
    assert!(until.contains(REFERENCE_WORKS[2]) && !until.contains(REFERENCE_WORKS[0]), "{until}");

    let preprints = get(&app, "/search?q=gradient+OR+bias+OR+stability&kind=works&type=preprint").await;
    assert!(text(&preprints.body).contains(REFERENCE_WORKS[0]));
    let articles = text(&get(&app, "/search?q=gradient+OR+bias+OR+stability&kind=works&type=article").await.body);
    assert!(articles.contains("Nothing matched"), "{articles}");

    // Counts per kind and per type, each a link that keeps the rest of the search.
    assert!(all.contains("Works (3)") && all.contains("preprint (3)"), "{all}");
    assert!(preprints.body.contains("href=\"/search?q=gradient+OR+bias+OR+stability&amp;kind=works&amp;type=preprint"));

    let id = topic_id(&pool, "Machine Learning").await;
    let topic = text(&get(&app, &format!("/search?q=gradient+OR+bias+OR+stability&kind=works&topic={id}")).await.body);
    assert!(topic.contains("Topic: Machine Learning") && topic.contains(REFERENCE_WORKS[0]), "{topic}");

    // Newest first.
    let newest = text(&get(&app, "/search?q=gradient+OR+bias+OR+stability&kind=works&sort=newest").await.body);
    crate::helpers::assert_in_order(&newest, &[REFERENCE_WORKS[0], REFERENCE_WORKS[1], REFERENCE_WORKS[2]]);

    // Topics are found by name.
    let topics = text(&get(&app, "/search?q=machine+learning&kind=topics").await.body);
    assert!(topics.contains("Machine Learning") && topics.contains("Topics (1)"), "{topics}");

    for bad in
        ["from=20x", "from=2020&to=2010", "type=%3Cb%3E", "oa=maybe", "topic=abc", "sort=oldest", "kind=all-of-it"]
    {
        let page = get(&app, &format!("/search?q=gradient&{bad}")).await;
        assert_eq!(page.status, StatusCode::BAD_REQUEST, "{bad}");
    }
}
