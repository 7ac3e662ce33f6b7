//! The public JSON API through the real router: answers deserialize into the published types and
//! validate against the served OpenAPI document; keyset paging, fields, conditional GET, CORS,
//! the rate limit and JSON errors.

use crate::helpers::{add_work_by, app, get_with, import, import_seed, send, state, Page, REFERENCE_SLUG};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use ingest::import::ImportKind;
use serde::de::DeserializeOwned;
use server::web::api_v1::types::{ApiError, AuthorDetail, AuthorList, Institution, Topic, WorkDetail, WorkList};
use sqlx::PgPool;
use std::collections::HashSet;
use test_data::synthetic::{self, json_array, Author};

async fn get(app: &Router, path: &str) -> Page {
    get_with(app, path, &[]).await
}

/// The served OpenAPI document.
async fn openapi(app: &Router) -> serde_json::Value {
    let page = get(app, "/api/v1/openapi.json").await;
    assert_eq!(page.status, StatusCode::OK);
    let doc: serde_json::Value = serde_json::from_str(&page.body).expect("as the test set it up");
    assert!(doc["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")), "OpenAPI 3.1: {}", doc["openapi"]);
    doc
}

/// Checks `body` against the document's schema `name` (JSON Schema 2020-12, as OpenAPI 3.1 has
/// it), then reads it into the published type.
fn checked<T: DeserializeOwned>(doc: &serde_json::Value, name: &str, page: &Page) -> T {
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let body: serde_json::Value = serde_json::from_str(&page.body).expect("as the test set it up");
    let mut schema = serde_json::json!({ "$ref": format!("#/components/schemas/{name}") });
    schema["components"] = doc["components"].clone();
    let validator = jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema {name}: {e}"));
    let errors: Vec<String> = validator.iter_errors(&body).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{name} does not match the document: {errors:?}\n{}", page.body);
    serde_json::from_value(body).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn records_works_and_topics_match_the_openapi_document(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let doc = openapi(&app).await;
    for path in ["/api/v1/authors/{id_or_slug}", "/api/v1/works", "/api/v1/authors", "/api/v1/topics/{id_or_slug}"] {
        assert!(doc["paths"][path]["get"].is_object(), "{path} is documented");
    }

    let author: AuthorDetail =
        checked(&doc, "AuthorDetail", &get(&app, &format!("/api/v1/authors/{REFERENCE_SLUG}")).await);
    assert_eq!(author.author.name, "Mor Shpigel Nacson");
    assert_eq!(author.author.works_count, 3);
    assert_eq!(author.main_topic.as_ref().map(|t| t.name.as_str()), Some("Machine Learning"));
    let by_id: AuthorDetail =
        checked(&doc, "AuthorDetail", &get(&app, &format!("/api/v1/authors/{}", author.author.id)).await);
    assert_eq!(by_id, author);

    let works: WorkList = checked(&doc, "WorkList", &get(&app, "/api/v1/works?sort=newest").await);
    assert_eq!(works.results.len(), 3);
    assert_eq!(works.results[0].year, Some(2022));
    let work: WorkDetail =
        checked(&doc, "WorkDetail", &get(&app, &format!("/api/v1/works/{}", works.results[0].slug)).await);
    assert_eq!(work.authors[0].name, "Mor Shpigel Nacson");
    assert!(work.topics.iter().any(|t| t.name == "Machine Learning"));

    let topic_id = work.topics.iter().find(|t| t.name == "Machine Learning").expect("as the test set it up").id;
    let topic: Topic = checked(&doc, "Topic", &get(&app, &format!("/api/v1/topics/{topic_id}")).await);
    assert_eq!(topic.hierarchy, ["Computer Science", "Statistics"]);
    assert_eq!(topic.works_count, 3);
    let by_slug: Topic = checked(&doc, "Topic", &get(&app, &format!("/api/v1/topics/{}", topic.slug)).await);
    assert_eq!(by_slug, topic);

    let people: AuthorList = checked(&doc, "AuthorList", &get(&app, "/api/v1/authors?q=Nacson").await);
    assert_eq!(people.results.len(), 1);

    // Filters as the search page has them.
    let since: WorkList =
        checked(&doc, "WorkList", &get(&app, "/api/v1/works?q=gradient+OR+bias+OR+stability&from=2021").await);
    assert_eq!(since.results.len(), 2);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn institutions_match_the_document(pool: PgPool) {
    import(&pool, ImportKind::OpenAlexInstitutions, crate::helpers::fixture("synthetic-openalex-institutions.json"))
        .await;
    import(&pool, ImportKind::OpenAlexWorks, crate::helpers::fixture("synthetic-openalex-works.json")).await;
    let id: i64 = sqlx::query_scalar("SELECT id FROM institutions WHERE display_name = 'Synthetic University'")
        .fetch_one(&pool)
        .await
        .expect("as the test set it up");
    let app = app(pool.clone());
    let doc = openapi(&app).await;
    let institution: Institution =
        checked(&doc, "Institution", &get(&app, &format!("/api/v1/institutions/{id}")).await);
    assert_eq!(institution.ror.as_deref(), Some("000000101"));
    assert_eq!(institution.country_code.as_deref(), Some("NL"));
    assert!(institution.works_count >= 1);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn cursor_paging_visits_every_work_once_while_works_are_added(pool: PgPool) {
    let people = [Author { id: 1, name: "Paige Pager", institution: None }];
    let works: Vec<serde_json::Value> = (1..=23)
        .map(|i| {
            synthetic::work(
                i,
                &format!("Paged work {i}"),
                &format!("20{:02}-01-0{}", i % 20 + 1, i % 9 + 1),
                &people,
                &[1],
            )
        })
        .collect();
    let file = json_array(&works);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_path_buf()).await;
    let author: String =
        sqlx::query_scalar("SELECT slug FROM authors LIMIT 1").fetch_one(&pool).await.expect("as the test set it up");
    let app = app(pool.clone());
    for sort in ["id", "newest", "cited"] {
        let before: HashSet<String> = sqlx::query_scalar("SELECT slug FROM works")
            .fetch_all(&pool)
            .await
            .expect("as the test set it up")
            .into_iter()
            .collect();
        let mut seen: Vec<String> = Vec::new();
        let mut cursor: Option<String> = None;
        for page in 0.. {
            let path = match &cursor {
                Some(c) => format!("/api/v1/works?sort={sort}&per_page=5&cursor={c}"),
                None => format!("/api/v1/works?sort={sort}&per_page=5"),
            };
            let list: WorkList = serde_json::from_str(&get(&app, &path).await.body).expect("as the test set it up");
            seen.extend(list.results.into_iter().map(|w| w.slug));
            // A new work arrives between pages.
            add_work_by(&pool, &author, &format!("added-{sort}-{page}"), "Added between pages").await;
            match list.next_cursor {
                Some(next) => cursor = Some(next),
                None => break,
            }
            assert!(page < 50, "the paging ends");
        }
        let unique: HashSet<&String> = seen.iter().collect();
        assert_eq!(unique.len(), seen.len(), "{sort}: no work twice");
        for slug in &before {
            assert!(seen.contains(slug), "{sort}: {slug} was visited");
        }
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn answers_carry_etags_fields_cors_and_json_errors(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool.clone());
    let path = format!("/api/v1/authors/{REFERENCE_SLUG}");
    let first = get(&app, &path).await;
    let tag = first.headers.get(header::ETAG).and_then(|v| v.to_str().ok()).expect("an ETag").to_owned();
    assert!(first.headers.get(header::CACHE_CONTROL).is_some());
    assert_eq!(first.headers.get(header::ACCESS_CONTROL_ALLOW_ORIGIN).and_then(|v| v.to_str().ok()), Some("*"));
    let again = get_with(&app, &path, &[("if-none-match", tag.as_str())]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(get_with(&app, &path, &[("if-none-match", "\"stale\"")]).await.status, StatusCode::OK);

    let some = get(&app, &format!("{path}?fields=id,name")).await;
    let value: serde_json::Value = serde_json::from_str(&some.body).expect("as the test set it up");
    assert_eq!(value.as_object().map(|o| o.len()), Some(2), "{value}");
    let list: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/v1/works?fields=title").await.body).expect("as the test set it up");
    assert!(list["results"].as_array().expect("as the test set it up").iter().all(|w| w
        .as_object()
        .expect("as the test set it up")
        .keys()
        .eq(["title"])));

    let preflight = send(
        &app,
        Request::builder()
            .method("OPTIONS")
            .uri("/api/v1/works")
            .header("origin", "https://elsewhere.example")
            .header("access-control-request-method", "GET")
            .body(Body::empty())
            .expect("as the test set it up"),
    )
    .await;
    assert_eq!(preflight.status, StatusCode::NO_CONTENT);
    assert!(preflight.headers.get(header::ACCESS_CONTROL_ALLOW_METHODS).is_some());

    for (path, status, code) in [
        ("/api/v1/authors/nobody-here", StatusCode::NOT_FOUND, "not_found"),
        ("/api/v1/works?per_page=500", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/works?cursor=junk", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/works?sort=random", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/works?fields=nope", StatusCode::BAD_REQUEST, "invalid_parameter"),
        ("/api/v1/nothing", StatusCode::NOT_FOUND, "not_found"),
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, status, "{path}: {}", page.body);
        let error: ApiError = serde_json::from_str(&page.body).unwrap_or_else(|e| panic!("{path}: {e}: {}", page.body));
        assert_eq!(error.error.code, code, "{path}");
    }
    // A cursor of one order is refused by another.
    let newest: WorkList = serde_json::from_str(&get(&app, "/api/v1/works?sort=newest&per_page=1").await.body)
        .expect("as the test set it up");
    let cursor = newest.next_cursor.expect("a next page");
    assert_eq!(get(&app, &format!("/api/v1/works?sort=cited&cursor={cursor}")).await.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_client_past_its_rate_gets_429_with_retry_after(pool: PgPool) {
    import_seed(&pool).await;
    let app = server::http::router(server::http::AppState { api_per_minute: 3, ..state(pool, crate::helpers::SITE) });
    let statuses: Vec<StatusCode> = {
        let mut statuses = Vec::new();
        for _ in 0..4 {
            statuses.push(get(&app, "/api/v1/works").await.status);
        }
        statuses
    };
    // A window can end between two requests; then the count starts again.
    if statuses[..3].iter().all(|s| *s == StatusCode::OK) {
        assert_eq!(statuses[3], StatusCode::TOO_MANY_REQUESTS);
    }
    let mut refused = get(&app, "/api/v1/works").await;
    for _ in 0..4 {
        if refused.status == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        refused = get(&app, "/api/v1/works").await;
    }
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 =
        refused.headers.get(header::RETRY_AFTER).and_then(|v| v.to_str().ok()?.parse().ok()).expect("Retry-After");
    assert!((1..=60).contains(&retry));
    let error: ApiError = serde_json::from_str(&refused.body).expect("as the test set it up");
    assert_eq!(error.error.code, "rate_limited");
}
