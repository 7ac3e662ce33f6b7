//! What search engines, scholar indexes and feed readers read: JSON-LD in the pages and by
//! content negotiation, Scholar and OpenGraph tags, robots.txt, sitemaps (validated against the
//! sitemaps.org schemas by xmllint) and Atom feeds (read by a feed parser).

use crate::helpers::{app, get, import_seed, send, Page, REFERENCE_SLUG, SITE};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use sqlx::PgPool;
use std::path::PathBuf;
use std::process::Command;

/// The JSON of each `<script type="application/ld+json">` in a page.
fn json_ld(html: &str) -> Vec<serde_json::Value> {
    // (The script element carries the page's nonce before its type.)
    let open = "type=\"application/ld+json\">";
    html.match_indices(open)
        .map(|(at, _)| {
            let rest = &html[at + open.len()..];
            let json = &rest[..rest.find("</script>").expect("the script ends")];
            serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {json}"))
        })
        .collect()
}

fn meta(html: &str, attribute: &str, key: &str) -> Option<String> {
    let start = html.find(&format!("{attribute}=\"{key}\""))?;
    let tag_start = html[..start].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let content = tag.split("content=\"").nth(1)?;
    Some(content[..content.find('"')?].to_owned())
}

async fn reference_work(pool: &PgPool) -> String {
    sqlx::query_scalar("SELECT slug FROM works WHERE arxiv_id = '1806.01796'")
        .fetch_one(pool)
        .await
        .expect("as the test set it up")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn profiles_and_works_carry_json_ld_scholar_and_opengraph_tags(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let profile = get(&app, &format!("/authors/{REFERENCE_SLUG}")).await;
    let blocks = json_ld(&profile.body);
    let [page]: [serde_json::Value; 1] =
        blocks.clone().try_into().unwrap_or_else(|_| panic!("one JSON-LD block: {blocks:?}\n{}", profile.body));
    assert_eq!(page["@context"], "https://schema.org");
    assert_eq!(page["@type"], "ProfilePage");
    assert_eq!(page["mainEntity"]["@type"], "Person");
    assert_eq!(page["mainEntity"]["name"], "Mor Shpigel Nacson");
    assert_eq!(page["mainEntity"]["url"], format!("{SITE}/authors/{REFERENCE_SLUG}"));
    assert_eq!(meta(&profile.body, "property", "og:type").as_deref(), Some("profile"));
    assert_eq!(meta(&profile.body, "property", "og:title").as_deref(), Some("Mor Shpigel Nacson"));
    assert_eq!(meta(&profile.body, "name", "twitter:card").as_deref(), Some("summary"));

    let slug = reference_work(&pool).await;
    let work = get(&app, &format!("/works/{slug}")).await;
    let [article]: [serde_json::Value; 1] = json_ld(&work.body).try_into().expect("one JSON-LD block");
    assert_eq!(article["@type"], "ScholarlyArticle");
    assert!(article["headline"].as_str().expect("as the test set it up").starts_with("Stochastic Gradient Descent"));
    assert_eq!(article["author"][0]["name"], "Mor Shpigel Nacson");
    assert_eq!(article["datePublished"], "2022");
    let title = meta(&work.body, "name", "citation_title").expect("citation_title");
    assert!(title.starts_with("Stochastic Gradient Descent on Separable Data"));
    assert_eq!(meta(&work.body, "name", "citation_author").as_deref(), Some("Mor Shpigel Nacson"));
    assert_eq!(meta(&work.body, "name", "citation_publication_date").as_deref(), Some("2022"));
    assert_eq!(meta(&work.body, "name", "citation_pdf_url").as_deref(), Some("https://arxiv.org/pdf/1806.01796"));
    assert_eq!(meta(&work.body, "property", "og:type").as_deref(), Some("article"));

    // Every page kind has OpenGraph tags.
    for path in ["/", "/search?q=gradient", "/about/trust", "/login"] {
        let page = get(&app, path).await;
        assert!(meta(&page.body, "property", "og:title").is_some(), "{path}");
        assert_eq!(meta(&page.body, "property", "og:site_name").as_deref(), Some("BZPEER"), "{path}");
    }
}

async fn asking_for_linked_data(app: &Router, path: &str) -> Page {
    let request = Request::get(path)
        .header(header::ACCEPT, "application/ld+json")
        .body(Body::empty())
        .expect("as the test set it up");
    send(app, request).await
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_same_addresses_answer_json_ld_when_asked(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let profile = asking_for_linked_data(&app, &format!("/authors/{REFERENCE_SLUG}")).await;
    assert_eq!(profile.status, StatusCode::OK);
    assert_eq!(profile.headers.get(header::CONTENT_TYPE).expect("as the test set it up"), "application/ld+json");
    assert!(profile.headers.get_all(header::VARY).iter().any(|v| v == "Accept"));
    let value: serde_json::Value = serde_json::from_str(&profile.body).expect("as the test set it up");
    assert_eq!(value["mainEntity"]["@type"], "Person");
    let work = asking_for_linked_data(&app, &format!("/works/{}", reference_work(&pool).await)).await;
    let value: serde_json::Value = serde_json::from_str(&work.body).expect("as the test set it up");
    assert_eq!(value["@type"], "ScholarlyArticle");
    assert_eq!(asking_for_linked_data(&app, "/authors/nobody-here").await.status, StatusCode::NOT_FOUND);
    // A browser still gets the page.
    let html = get(&app, &format!("/authors/{REFERENCE_SLUG}")).await;
    assert!(html
        .headers
        .get(header::CONTENT_TYPE)
        .expect("as the test set it up")
        .to_str()
        .expect("as the test set it up")
        .starts_with("text/html"));
}

/// Validates `xml` against a sitemaps.org schema with xmllint (a real XML schema validator).
fn validate(xml: &str, xsd: &str) {
    let dir = tempfile::tempdir().expect("as the test set it up");
    let file = dir.path().join("sitemap.xml");
    std::fs::write(&file, xml).expect("as the test set it up");
    let schema = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../crates/formats/tests/fixtures").join(xsd);
    let out = Command::new("xmllint")
        .args(["--noout", "--schema"])
        .arg(&schema)
        .arg(&file)
        .output()
        .expect("xmllint runs (make test-tools installs it)");
    assert!(out.status.success(), "{}\n{xml}", String::from_utf8_lossy(&out.stderr));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn robots_and_sitemaps_list_every_page_and_validate(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let robots = get(&app, "/robots.txt").await;
    assert!(robots.body.contains(&format!("Sitemap: {SITE}/sitemap.xml")), "{}", robots.body);
    assert!(robots.body.contains("Disallow: /api/"));

    let index = get(&app, "/sitemap.xml").await;
    assert_eq!(index.status, StatusCode::OK);
    validate(&index.body, "siteindex.xsd");
    let sitemaps: Vec<String> = index
        .body
        .split("<loc>")
        .skip(1)
        .map(|s| s[..s.find("</loc>").expect("as the test set it up")].trim_start_matches(SITE).to_owned())
        .collect();
    assert!(sitemaps.contains(&"/sitemaps/works-0.xml".to_owned()), "{sitemaps:?}");
    let mut listed = String::new();
    for path in &sitemaps {
        let sitemap = get(&app, path).await;
        assert_eq!(sitemap.status, StatusCode::OK, "{path}");
        validate(&sitemap.body, "sitemap.xsd");
        listed.push_str(&sitemap.body);
    }
    assert!(listed.contains(&format!("{SITE}/authors/{REFERENCE_SLUG}</loc>")));
    assert!(listed.contains(&format!("{SITE}/works/{}</loc>", reference_work(&pool).await)));
    assert!(listed.contains(&format!("{SITE}/topics/machine-learning-")));
    for missing in ["/sitemaps/works-7.xml", "/sitemaps/users-0.xml", "/sitemaps/works-x.xml"] {
        assert_eq!(get(&app, missing).await.status, StatusCode::NOT_FOUND, "{missing}");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn record_and_topic_feeds_parse_as_atom(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let page = get(&app, &format!("/authors/{REFERENCE_SLUG}/feed.atom")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page
        .headers
        .get(header::CONTENT_TYPE)
        .expect("as the test set it up")
        .to_str()
        .expect("as the test set it up")
        .starts_with("application/atom+xml"));
    let feed = feed_rs::parser::parse(page.body.as_bytes()).expect("an Atom feed");
    assert_eq!(feed.title.map(|t| t.content).as_deref(), Some("Mor Shpigel Nacson"));
    let titles: Vec<String> = feed.entries.iter().filter_map(|e| e.title.as_ref().map(|t| t.content.clone())).collect();
    assert_eq!(titles.len(), 3);
    assert!(titles[0].starts_with("Stochastic Gradient Descent"), "newest first: {titles:?}");
    assert!(feed.entries[0].links.iter().any(|l| l.href.starts_with(&format!("{SITE}/works/"))));

    let id: i64 = sqlx::query_scalar("SELECT id FROM topics WHERE display_name = 'Machine Learning'")
        .fetch_one(&pool)
        .await
        .expect("as the test set it up");
    let topic = get(&app, &format!("/topics/machine-learning-{id}/feed.atom")).await;
    let feed = feed_rs::parser::parse(topic.body.as_bytes()).expect("an Atom feed");
    assert_eq!(feed.entries.len(), 3);
    assert_eq!(get(&app, "/authors/nobody-here/feed.atom").await.status, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/topics/x-999999/feed.atom").await.status, StatusCode::NOT_FOUND);
}
