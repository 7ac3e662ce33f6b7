//! Pages kept as documents: an anonymous profile, work or topic page is rendered once, kept, and
//! served as the same bytes with a strong `ETag` (304 on revalidation, brotli and gzip kept
//! once); a write moves the page at once for every process; a page for someone with a session is
//! never kept nor served to anyone else, and the reverse.

use crate::helpers::{app, get, import_seed, signed_in, text, Page, REFERENCE_SLUG};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use sqlx::PgPool;
use std::io::Read;

const PROFILE: &str = "/authors/mor-shpigel-nacson-arxiv-fb85d1b566";

async fn get_with(app: &Router, path: &str, headers: &[(&str, &str)]) -> (Page, Vec<u8>) {
    let mut request = Request::get(path).header("accept", "text/html");
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = tower::ServiceExt::oneshot(app.clone(), request.body(Body::empty()).expect("a request"))
        .await
        .expect("an answer");
    let (status, headers) = (response.status(), response.headers().clone());
    let bytes = http_body_util::BodyExt::collect(response.into_body()).await.expect("a body").to_bytes().to_vec();
    (Page { status, body: String::new(), headers }, bytes)
}

fn header<'a>(page: &'a Page, name: &str) -> &'a str {
    page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The version `key` is kept at, once it is (a rendering is kept after it has been sent: this
/// waits up to 5 s for it).
async fn kept(pool: &PgPool, key: &str) -> Option<i64> {
    for _ in 0..100 {
        let version = sqlx::query_scalar("SELECT version FROM kept_pages WHERE key = $1")
            .bind(key)
            .fetch_optional(pool)
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        if version.is_some() {
            return version;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    None
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_anonymous_page_is_kept_and_served_as_the_same_bytes_with_a_strong_etag(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let work: String =
        sqlx::query_scalar("SELECT slug FROM works ORDER BY id LIMIT 1").fetch_one(&pool).await.unwrap_or_default();
    let topic: (i64, String) = sqlx::query_as("SELECT id, display_name FROM topics ORDER BY id LIMIT 1")
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let topic_path = bzpeer_core::model::subjects::SubjectLink::topic(topic.0, topic.1).href;
    for (path, key) in [
        (PROFILE.to_owned(), format!("a:{REFERENCE_SLUG}")),
        (format!("/works/{work}"), format!("w:{work}")),
        (topic_path, format!("t:{}", topic.0)),
        ("/sitemaps/works-0.xml".to_owned(), "sm:works:0".to_owned()),
        (format!("/explore?focus=a:{REFERENCE_SLUG}"), format!("a:{REFERENCE_SLUG}.explore")),
    ] {
        let first = get(&app, &path).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert!(kept(&pool, &key).await.is_some(), "{path} is kept");
        let etag = header(&first, "etag").to_owned();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{path}: a strong ETag, {etag}");
        assert_eq!(header(&first, "cache-control"), server::http::kept::SHARED_CACHE, "{path}");
        assert!(header(&first, "vary").contains("cookie"), "{path}");
        let second = get(&app, &path).await;
        assert_eq!((second.body.as_str(), header(&second, "etag")), (first.body.as_str(), etag.as_str()), "{path}");

        let (revalidated, body) = get_with(&app, &path, &[("if-none-match", &etag)]).await;
        assert_eq!((revalidated.status, body.len()), (StatusCode::NOT_MODIFIED, 0), "{path}");
        assert_eq!(header(&revalidated, "etag"), etag);

        let (br, body) = get_with(&app, &path, &[("accept-encoding", "gzip, br")]).await;
        assert_eq!(header(&br, "content-encoding"), "br", "{path}");
        let mut page = String::new();
        brotli::Decompressor::new(&body[..], 4096).read_to_string(&mut page).expect("brotli");
        assert_eq!(page, first.body, "{path}: brotli holds the same page");
        let (gz, body) = get_with(&app, &path, &[("accept-encoding", "gzip")]).await;
        assert_eq!(header(&gz, "content-encoding"), "gzip", "{path}");
        let mut page = String::new();
        flate2::read::GzDecoder::new(&body[..]).read_to_string(&mut page).expect("gzip");
        assert_eq!(page, first.body, "{path}: gzip holds the same page");
    }
    // A page with a query is rendered as it asks, and not kept under the page's key; nor is an
    // explorer with expansions or a search.
    for path in [
        format!("{PROFILE}?sort=cited"),
        format!("/explore?focus=a:{REFERENCE_SLUG}&expand=w:{work}"),
        format!("/explore?focus=a:{REFERENCE_SLUG}&q=learning"),
    ] {
        let page = get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(page.headers.get("etag").is_none(), "{path}");
    }
    // The kept explorer moves with its focus's page: a new work of hers is on it at once.
    crate::helpers::add_work_by(&pool, REFERENCE_SLUG, "a-kept-explorer-work", "A kept explorer work").await;
    let explorer = get(&app, &format!("/explore?focus=a:{REFERENCE_SLUG}")).await;
    assert!(explorer.body.contains("A kept explorer work"), "the new work is in the explorer");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_follow_moves_the_page_at_once_on_every_process_and_the_writer_sees_it(pool: PgPool) {
    import_seed(&pool).await;
    // Two processes on one database, each with its own kept pages in memory.
    let (a, b) = (app(pool.clone()), app(pool.clone()));
    assert!(text(&get(&b, PROFILE).await.body).contains("Follow researcher 0"));
    assert!(text(&get(&a, PROFILE).await.body).contains("Follow researcher 0"));
    let mut writer = signed_in(a.clone(), &pool, "fan@example.org").await;
    writer.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    let own = writer.get(PROFILE).await;
    assert!(text(&own.body).contains("Following Unfollow 1"), "the writer's next view");
    assert_eq!(header(&own, "cache-control"), "private, no-store");
    for process in [&a, &b] {
        assert!(text(&get(process, PROFILE).await.body).contains("Follow researcher 1"), "everyone's next view");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_page_with_a_session_is_never_kept_nor_served_to_anyone_else_and_the_reverse(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let anonymous = get(&app, PROFILE).await;
    assert!(text(&anonymous.body).contains("Log in Sign up"));
    let mut member = signed_in(app.clone(), &pool, "member@example.org").await;
    let personal = member.get(PROFILE).await;
    assert!(text(&personal.body).contains("Log out"), "the member's own header, not the kept page");
    assert!(personal.headers.get("etag").is_none());
    assert_eq!(header(&personal, "cache-control"), "private, no-store");
    let after = get(&app, PROFILE).await;
    assert_eq!(after.body, anonymous.body, "the anonymous page, unchanged by the member's view");
    assert!(!text(&after.body).contains("Log out"));
    assert!(kept(&pool, &format!("a:{REFERENCE_SLUG}")).await.is_some());
    let kept_body: Vec<u8> = sqlx::query_scalar("SELECT body_gz FROM kept_pages WHERE key = $1")
        .bind(format!("a:{REFERENCE_SLUG}"))
        .fetch_one(&pool)
        .await
        .unwrap_or_default();
    let mut page = String::new();
    flate2::read::GzDecoder::new(&kept_body[..]).read_to_string(&mut page).expect("gzip");
    assert!(!page.contains("member@example.org") && !text(&page).contains("Log out"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn hiding_a_work_and_an_import_move_the_kept_profile(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    assert!(text(&get(&app, PROFILE).await.body).contains("3 published item(s)"));
    // An import adds a work of hers: the import refreshes her aggregates, which moves the page.
    let mut file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    let record = serde_json::json!({
        "id": "2611.00002", "authors": "Mor Shpigel Nacson", "title": "A fourth work",
        "categories": "cs.LG", "abstract": "Made up for the test.", "update_date": "2026-11-01",
        "versions": [{"version": "v1", "created": "Sun, 1 Nov 2026 00:00:00 GMT"}]
    });
    std::io::Write::write_all(&mut file, format!("{record}\n").as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    crate::helpers::import(&pool, ingest::import::ImportKind::Arxiv, file.path().to_owned()).await;
    let page = text(&get(&app, PROFILE).await.body);
    assert!(page.contains("4 published item(s)") && page.contains("A fourth work"), "{page}");
    // Hiding it (a write straight into the tables) moves the page too.
    sqlx::query(
        "INSERT INTO hidden_works (author_id, work_id)
         SELECT a.id, w.id FROM authors a, works w WHERE a.slug = $1 AND w.title = 'A fourth work'",
    )
    .bind(REFERENCE_SLUG)
    .execute(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let page = text(&get(&app, PROFILE).await.body);
    assert!(page.contains("3 published item(s)") && !page.contains("A fourth work"), "{page}");
}

async fn page_version(pool: &PgPool, key: &str) -> i64 {
    sqlx::query_scalar("SELECT coalesce((SELECT version FROM page_versions WHERE key = $1), 0)")
        .bind(key)
        .fetch_one(pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_refresh_that_changes_nothing_shown_keeps_the_page_and_a_new_citation_count_moves_it(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let key = format!("a:{REFERENCE_SLUG}");
    get(&app, PROFILE).await;
    let version = kept(&pool, &key).await.expect("kept");
    assert_eq!(page_version(&pool, &key).await, version);
    // The housekeeping refresh of every record: nothing shown changed, nothing moves.
    sqlx::query("SELECT refresh_author_stats(array(SELECT id FROM authors))")
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page_version(&pool, &key).await, version, "an unchanged refresh keeps the page");
    let (again, _) = get_with(&app, PROFILE, &[("accept-encoding", "br")]).await;
    assert_eq!(header(&again, "content-encoding"), "br", "still the kept rendering");

    // A harvest raises one of her works' citation counts: the work marks her record, and its
    // refresh moves her page, whose metrics (kept with the record) now count it.
    sqlx::query(
        "UPDATE works SET cited_by_count = 250 WHERE id = (SELECT min(s.work_id) FROM authorships s
         JOIN authors a ON a.id = s.author_id WHERE a.slug = $1)",
    )
    .bind(REFERENCE_SLUG)
    .execute(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let marked: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM author_stats_dirty d JOIN authors a ON a.id = d.author_id WHERE a.slug = $1)",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(marked, "a new citation count marks the work's authors for a refresh");
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    db::caches::aggregates::refresh_marked(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
    assert!(page_version(&pool, &key).await > version, "the refresh moved the page");
    let body = get(&app, PROFILE).await.body;
    let citations = body.split("data-metric=\"citations\">").nth(1).and_then(|r| r.split('<').next());
    assert!(citations.and_then(|c| c.parse::<i64>().ok()).is_some_and(|c| c >= 250), "{citations:?}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_sitemap_is_kept_until_a_row_of_its_range_changes(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let first = get(&app, "/sitemaps/authors-0.xml").await;
    assert_eq!(first.status, StatusCode::OK);
    let version = kept(&pool, "sm:authors:0").await.expect("kept");
    assert_eq!(get(&app, "/sitemaps/authors-0.xml").await.body, first.body);
    // A record's own edit that a sitemap does not list (its bio) keeps it.
    sqlx::query("UPDATE authors SET bio = 'Edited.' WHERE slug = $1")
        .bind(REFERENCE_SLUG)
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(page_version(&pool, "sm:authors:0").await, version);
    // A new record in the range is listed at once.
    sqlx::query(
        "INSERT INTO authors (source, source_key, slug, display_name, search_name)
         VALUES ('arxiv', 'new-one', 'a-new-record-0123456789', 'A New Record', 'a new record')",
    )
    .execute(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(page_version(&pool, "sm:authors:0").await > version);
    let after = get(&app, "/sitemaps/authors-0.xml").await;
    assert!(after.body.contains("/authors/a-new-record-0123456789"), "{}", after.body);
    assert!(!first.body.contains("a-new-record"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_records_citation_file_is_kept_at_the_records_version(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let file = format!("{PROFILE}.bib");
    let first = get(&app, &file).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(header(&first, "content-type").starts_with("application/x-bibtex"));
    assert_eq!(header(&first, "content-disposition"), format!("inline; filename=\"{REFERENCE_SLUG}.bib\""));
    assert!(kept(&pool, &format!("a:{REFERENCE_SLUG}.bib")).await.is_some(), "kept beside the page");
    let etag = header(&first, "etag").to_owned();
    assert!(etag.starts_with('"'), "a strong ETag: {etag}");
    let (again, body) = get_with(&app, &file, &[("if-none-match", &etag)]).await;
    assert_eq!((again.status, body.len()), (StatusCode::NOT_MODIFIED, 0));
    // A second process serves the same bytes from the kept row.
    let other = get(&crate::helpers::app(pool.clone()), &file).await;
    assert_eq!((other.body.as_str(), header(&other, "etag")), (first.body.as_str(), etag.as_str()));

    // A new work of hers moves the record's version: the next file has it, on every process.
    crate::helpers::add_work_by(&pool, REFERENCE_SLUG, "a-kept-file-test", "A work added after the file was kept")
        .await;
    let after = get(&app, &file).await;
    assert!(after.body.contains("A work added after the file was kept"), "{}", after.body);
    assert_ne!(header(&after, "etag"), etag);
    let json = get(&app, &format!("{PROFILE}.json")).await;
    assert!(json.body.contains("A work added after the file was kept"));
}
