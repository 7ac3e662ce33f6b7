//! Attackers' text stays text: an XSS corpus pushed through every field an import or a user
//! controls, read back on every page that shows it, and the security headers on every page kind.

use crate::helpers::{app, get, import, signed_in, Browser, Page, SITE};
use axum::http::StatusCode;
use ingest::import::ImportKind;
use sqlx::PgPool;

/// The corpus in one string, so that every field carries all of it: a text-area and a title
/// breakout (Leptos writes both elements' text as given), a script,
/// an attribute breakout into an SVG handler, a single-quoted one into an image handler, and a
/// right-to-left override that would flip the text after it.
const PAYLOAD: &str =
    "</textarea></title><script>alert(1)</script>\"><svg onload=alert(2)>'><img src=x onerror=alert(3)>\u{202e}gpj.exe";
/// The payload as it must appear in markup: every markup character escaped, the override gone.
const ESCAPED: &str = "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;";
/// Where a URL is expected.
const SCRIPT_URL: &str = "javascript:alert(4)";

fn encode(s: &str) -> String {
    bzpeer_core::domain::percent::query_value(s)
}

/// No payload survives as markup: no element, no handler, no script URL, one `<title>`, and no
/// bidirectional override.
fn assert_inert(page: &Page, what: &str) {
    let html = page.body.to_ascii_lowercase();
    for raw in ["<script>alert", "<svg onload", "<img src=x onerror", "</title><script", "</textarea></title>"] {
        assert!(!html.contains(raw), "{what}: `{raw}` came through as markup");
    }
    for attr in ["href=\"javascript:", "src=\"javascript:", "action=\"javascript:", "href='javascript:"] {
        assert!(!html.contains(attr), "{what}: a script URL in `{attr}`");
    }
    // One document title in the head (the graph's SVG has titles of its own), none broken out of.
    let head = html.split("</head>").next().unwrap_or_default();
    assert_eq!(head.matches("<title>").count(), 1, "{what}: one title element");
    assert_eq!(html.matches("<title>").count(), html.matches("</title>").count(), "{what}: titles close");
    assert!(!page.body.contains('\u{202e}'), "{what}: a right-to-left override came through");
}

/// Shown on the page, escaped: the test is not vacuous.
fn assert_shown_escaped(page: &Page, what: &str) {
    assert!(page.body.contains(ESCAPED), "{what}: the payload is not on the page (escaped)");
}

/// An OpenAlex work, its institution and its first author, every text field carrying the payload
/// and every URL field a script URL.
async fn import_hostile_records(pool: &PgPool) -> (String, String) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let institutions = serde_json::json!([{
        "id": "https://openalex.org/I990000001", "ror": "https://ror.org/099000001",
        "display_name": format!("Institute {PAYLOAD}"), "country_code": "GB", "type": "education",
        "homepage_url": SCRIPT_URL,
    }]);
    let works = serde_json::json!([{
        "id": "https://openalex.org/W990000001",
        "title": format!("Title {PAYLOAD}"), "display_name": format!("Title {PAYLOAD}"),
        "abstract_inverted_index": { PAYLOAD: [0] },
        "publication_year": 2024, "publication_date": "2024-02-03",
        "doi": SCRIPT_URL,
        "primary_location": {"is_oa": true, "landing_page_url": SCRIPT_URL,
                             "source": {"id": "https://openalex.org/S990000001", "display_name": format!("Venue {PAYLOAD}")}},
        "concepts": [{"id": "https://openalex.org/C990000001", "display_name": format!("Topic {PAYLOAD}"), "level": 1, "score": 0.9}],
        "authorships": [
            {"author_position": "first",
             "author": {"id": "https://openalex.org/A990000001", "display_name": format!("Eve {PAYLOAD}"), "orcid": null},
             "institutions": [{"id": "https://openalex.org/I990000001", "display_name": format!("Institute {PAYLOAD}"),
                               "ror": "https://ror.org/099000001", "country_code": "GB", "type": "education"}],
             "raw_author_name": format!("Eve {PAYLOAD}")},
            {"author_position": "last",
             "author": {"id": "https://openalex.org/A990000002", "display_name": "Plain Coauthor", "orcid": null},
             "institutions": [], "raw_author_name": "Plain Coauthor"}
        ],
        "referenced_works": [], "language": "en", "type": "article"
    }, {
        // Eve with someone Plain Coauthor has not written with: a suggestion for Plain Coauthor
        // whose reason names Eve and the topic, at the institution.
        "id": "https://openalex.org/W990000002", "title": "Second work", "display_name": "Second work",
        "publication_year": 2025, "publication_date": "2025-02-03",
        "concepts": [{"id": "https://openalex.org/C990000001", "display_name": format!("Topic {PAYLOAD}"), "level": 1, "score": 0.9}],
        "authorships": [
            {"author_position": "first",
             "author": {"id": "https://openalex.org/A990000001", "display_name": format!("Eve {PAYLOAD}"), "orcid": null},
             "institutions": [], "raw_author_name": format!("Eve {PAYLOAD}")},
            {"author_position": "last",
             "author": {"id": "https://openalex.org/A990000003", "display_name": format!("Third {PAYLOAD}"), "orcid": null},
             "institutions": [{"id": "https://openalex.org/I990000001", "display_name": format!("Institute {PAYLOAD}"),
                               "ror": "https://ror.org/099000001", "country_code": "GB", "type": "education"}],
             "raw_author_name": format!("Third {PAYLOAD}")}
        ],
        "referenced_works": [], "language": "en", "type": "article"
    }]);
    for (name, value, kind) in [
        ("institutions.json", institutions, ImportKind::OpenAlexInstitutions),
        ("works.json", works, ImportKind::OpenAlexWorks),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, value.to_string()).expect("write the records");
        import(pool, kind, path).await;
    }
    let author: String = sqlx::query_scalar("SELECT slug FROM authors WHERE display_name LIKE 'Eve %'")
        .fetch_one(pool)
        .await
        .expect("the hostile author");
    let work: String = sqlx::query_scalar("SELECT slug FROM works WHERE title LIKE 'Title %'")
        .fetch_one(pool)
        .await
        .expect("the hostile work");
    (author, work)
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_search_query_stays_text_in_the_title_and_the_page(pool: PgPool) {
    let app = app(pool);
    for kind in ["people", "works"] {
        let page = get(&app, &format!("/search?kind={kind}&q={}", encode(PAYLOAD))).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_inert(&page, "search");
        let title = format!("<title>Search “{}", bzpeer_core::domain::html::escape("</textarea></title><script>"));
        assert!(page.body.contains(&title), "the title holds the query, escaped");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn imported_names_titles_venues_topics_and_links_stay_text_on_every_page(pool: PgPool) {
    let (author, work) = import_hostile_records(&pool).await;
    let app = app(pool.clone());
    let topic: i64 = sqlx::query_scalar("SELECT id FROM topics WHERE display_name LIKE 'Topic %'")
        .fetch_one(&pool)
        .await
        .expect("the hostile topic");
    let institution: i64 = sqlx::query_scalar("SELECT id FROM institutions WHERE display_name LIKE 'Institute %'")
        .fetch_one(&pool)
        .await
        .expect("the hostile institution");
    let plain: String = sqlx::query_scalar("SELECT slug FROM authors WHERE display_name = 'Plain Coauthor'")
        .fetch_one(&pool)
        .await
        .expect("the plain co-author");
    for path in [
        format!("/authors/{author}"),
        format!("/works/{work}"),
        // Suggestions: a candidate, the co-author it is reached through, the shared topic and
        // the candidate's institution, every one imported.
        format!("/authors/{plain}"),
        format!("/authors/{plain}/suggestions"),
        format!("/explore?focus=a:{author}"),
        format!("/explore?focus=w:{work}"),
        format!("/explore?focus=t:{topic}"),
        "/search?kind=people&q=Eve".to_owned(),
        "/search?kind=works&q=Title".to_owned(),
        // Topic and institution pages, and search over them (the works' topic facets too).
        format!("/topics/t-{topic}"),
        format!("/institutions/i-{institution}"),
        "/search?kind=topics&q=Topic".to_owned(),
        "/search?kind=institutions&q=Institute".to_owned(),
        "/search?q=Title".to_owned(),
    ] {
        let page = get(&app, &path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_inert(&page, &path);
        assert_shown_escaped(&page, &path);
    }

    // Feeds are XML a feed reader shows: the payload is escaped text there too, and the JSON-LD
    // answer is JSON with no markup character left in it.
    for path in [format!("/authors/{author}/feed.atom"), format!("/topics/t-{topic}/feed.atom")] {
        let feed = get(&app, &path).await;
        assert_eq!(feed.status, StatusCode::OK, "{path}");
        assert!(!feed.body.to_ascii_lowercase().contains("<script"), "{path}: markup came through");
        let parsed = feed_rs::parser::parse(feed.body.as_bytes()).expect("an Atom feed");
        assert!(parsed
            .entries
            .iter()
            .any(|e| e.title.as_ref().is_some_and(|t| t.content.contains("<script>alert(1)"))));
    }
    let profile = get(&app, &format!("/authors/{author}")).await;
    let ld_start = profile.body.find("type=\"application/ld+json\">").expect("JSON-LD on the profile");
    let ld = &profile.body[ld_start..];
    let ld = &ld[ld.find('>').expect("the tag ends") + 1..ld.find("</script>").expect("the script ends")];
    assert!(!ld.contains('<'), "no markup character inside the JSON-LD: {ld}");
    let value: serde_json::Value = serde_json::from_str(ld).expect("JSON-LD parses");
    assert!(value["mainEntity"]["name"].as_str().is_some_and(|n| n.contains("<script>alert(1)")), "kept as text");

    let mut eve = signed_in(app.clone(), &pool, "eve@example.org").await;
    let claim = eve.get(&format!("/authors/{author}/claim")).await;
    assert_inert(&claim, "claim page");
    assert_shown_escaped(&claim, "claim page");
    sqlx::query("UPDATE authors SET claim_state = 'claimed', claimed_by = (SELECT id FROM users WHERE email = $2) WHERE slug = $1")
        .bind(&author)
        .bind("eve@example.org")
        .execute(&pool)
        .await
        .expect("claim");
    let edit = eve.get(&format!("/authors/{author}/edit")).await;
    assert_eq!(edit.status, StatusCode::OK);
    assert_inert(&edit, "edit page");
    assert_shown_escaped(&edit, "edit page");
}

/// Mallory signs up with the payload as her name and writes it into every field she can.
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn what_users_type_stays_text_wherever_it_is_shown(pool: PgPool) {
    let (author, _) = import_hostile_records(&pool).await;
    let mut owner = signed_in(app(pool.clone()), &pool, "owner@example.org").await;
    sqlx::query("UPDATE authors SET claim_state = 'claimed', claimed_by = (SELECT id FROM users WHERE email = $2) WHERE slug = $1")
        .bind(&author)
        .bind("owner@example.org")
        .execute(&pool)
        .await
        .expect("claim");
    let short = "</title><script>alert(1)</script>\"><svg onload=alert(2)>";
    let form =
        format!("slug={author}&bio={}&affiliation={}&homepage=&open_to_collaborate=on", encode(PAYLOAD), encode(short));
    let saved = owner.post_form("/api/update_record", &form).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let script_homepage =
        owner.post_json("/api/update_record", &format!("slug={author}&bio=&affiliation=&homepage={SCRIPT_URL}")).await;
    assert_eq!(script_homepage.status, StatusCode::BAD_REQUEST, "a script URL is no homepage");

    let mut mallory = Browser::new(app(pool.clone()));
    let signup = format!("email=mallory%40example.org&display_name={}&password=correct+horse", encode(short));
    assert_eq!(mallory.post_form("/api/signup", &signup).await.status, StatusCode::SEE_OTHER);
    let token = crate::helpers::verification_token(&pool, "mallory@example.org").await;
    mallory.post_form("/api/verify_email", &format!("token={token}&password=correct+horse")).await;
    mallory.post_form("/api/login", "email=mallory%40example.org&password=correct+horse").await;

    let invitation =
        format!("slug={author}&subject={}&body={}", encode(short), encode(&format!("A long enough message {PAYLOAD}")));
    let sent = mallory.post_json("/api/send_invitation", &invitation).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    let accepted = owner.post_json("/api/answer_invitation", &format!("id={}&decision=accept", sent.body)).await;
    assert_eq!(accepted.status, StatusCode::OK, "{}", accepted.body);
    let conversation = accepted.body.trim();
    let posted =
        mallory.post_json("/api/post_message", &format!("conversation={conversation}&body={}", encode(PAYLOAD))).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);

    for (whose, path) in [
        ("owner", format!("/authors/{author}")),
        ("owner", format!("/authors/{author}/edit")),
        ("owner", "/me/inbox".to_owned()),
        ("owner", format!("/conversations/{conversation}")),
        ("mallory", format!("/conversations/{conversation}")),
        ("mallory", "/me/inbox".to_owned()),
        ("mallory", "/".to_owned()),
        ("mallory", format!("/authors/{author}?subject={0}&body={0}", encode(PAYLOAD))),
        ("mallory", format!("/conversations/{conversation}?body={}", encode(PAYLOAD))),
    ] {
        let browser = if whose == "owner" { &mut owner } else { &mut mallory };
        let page = browser.get(&path).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert_inert(&page, &path);
        assert_shown_escaped(&page, &path);
    }
}

/// Evidence and reasons reach the moderators' pages.
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn claim_evidence_stays_text_for_moderators(pool: PgPool) {
    let (author, _) = import_hostile_records(&pool).await;
    let mut claimant = signed_in(app(pool.clone()), &pool, "claimant@example.org").await;
    let evidence = format!("evidence={}&links=", encode(&format!("I wrote this paper, and here is why: {PAYLOAD}")));
    let claimed = claimant.post_json("/api/claim_with_evidence", &format!("slug={author}&{evidence}")).await;
    assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.body);
    // A refused claim (a script link) comes back with its evidence in the text area, as text.
    let mut refused = signed_in(app(pool.clone()), &pool, "refused@example.org").await;
    let bad = format!("slug={author}&{}&links={}", &evidence[..evidence.len() - "&links=".len()], encode(SCRIPT_URL));
    let back = refused.post_form("/api/claim_with_evidence", &bad).await;
    assert_eq!(back.status, StatusCode::SEE_OTHER);
    let again = refused.get(&format!("/authors/{author}/claim")).await;
    assert_inert(&again, "a refused claim's page");
    assert!(again.body.contains("&lt;/textarea&gt;"), "the evidence is back in its box, escaped");

    let mut moderator = signed_in(app(pool.clone()), &pool, "moderator@example.org").await;
    assert!(db::writes::claims::grant_moderator(&pool, "moderator@example.org").await.expect("grant"));
    let queue = moderator.get("/moderation/claims").await;
    assert_eq!(queue.status, StatusCode::OK);
    assert_inert(&queue, "the queue");
    assert_shown_escaped(&queue, "the queue");
    let history = moderator.get(&format!("/moderation/records/{author}")).await;
    assert_eq!(history.status, StatusCode::OK);
    assert_inert(&history, "the record's history");
}

/// Every kind of response carries the headers, and a page's policy admits its own hydration
/// script by nonce and nothing inline without it.
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn every_page_kind_carries_the_security_headers(pool: PgPool) {
    crate::helpers::import_seed(&pool).await;
    let app = app(pool.clone());
    let paths = [
        "/",
        "/search?q=gradient",
        &format!("/authors/{}", crate::helpers::REFERENCE_SLUG),
        &format!("/explore?focus=a:{}", crate::helpers::REFERENCE_SLUG),
        "/about/trust",
        "/signup",
        "/login",
        "/authors/nobody-here",
        "/healthz",
        "/favicon.svg",
    ];
    for path in paths {
        let page = get(&app, path).await;
        let header = |name: &str| page.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
        assert_eq!(header("x-content-type-options"), "nosniff", "{path}");
        assert_eq!(header("referrer-policy"), "same-origin", "{path}");
        assert!(header("strict-transport-security").is_empty(), "{path}: no HSTS on http");
        let policy = header("content-security-policy");
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(policy.contains(directive), "{path}: {policy}");
        }
        if page.headers.get("content-type").is_some_and(|v| v.to_str().unwrap_or("").starts_with("text/html")) {
            // No nonce anywhere: each inline script that runs is named by its hash, and a second
            // request gets the same bytes and the same policy.
            assert!(!page.body.contains("nonce=") && !policy.contains("nonce"), "{path}: {policy}");
            for hash in server::http::islands::inline_script_hashes(&page.body) {
                assert!(policy.contains(&format!("'{hash}'")), "{path}: {hash} missing from {policy}");
            }
            let again = get(&app, path).await;
            assert_eq!(again.body, page.body, "{path}: the same bytes for every anonymous visitor");
            assert_eq!(again.headers.get("content-security-policy"), page.headers.get("content-security-policy"));
        }
    }
    let https = crate::helpers::app_at(pool, "https://bzpeer.example");
    let page = get(&https, "/").await;
    assert!(
        page.headers.get("strict-transport-security").is_some_and(|v| v.to_str().unwrap_or("").contains("max-age=")),
        "HSTS on https"
    );
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_outbox_is_not_served_unless_the_server_was_asked_to(pool: PgPool) {
    let production =
        server::http::router(server::http::AppState { dev_outbox: false, ..crate::helpers::state(pool.clone(), SITE) });
    signed_in(production.clone(), &pool, "someone@example.org").await;
    let page = get(&production, "/dev/outbox").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(!page.body.contains("token="), "no verification link leaks");
    let api = crate::helpers::post_form(&production, "/api/dev_outbox", "", "application/json").await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(!api.body.contains("token="));
}
