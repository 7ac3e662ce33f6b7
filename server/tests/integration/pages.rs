//! Pages through the real router: what a browser without JavaScript receives.

use crate::helpers::{app, assert_in_order, get, import, import_seed, post_form, text, REFERENCE_SLUG};
use axum::http::StatusCode;
use ingest::import::ImportKind;
use sqlx::PgPool;
use test_data::synthetic::{self, Author};

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_reference_profile_renders_every_section_server_side(pool: PgPool) {
    import_seed(&pool).await;
    let page = get(&app(pool), &format!("/authors/{REFERENCE_SLUG}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = text(&page.body);
    assert_in_order(
        &body,
        &[
            "Researcher profile",
            "Mor Shpigel Nacson",
            "Researcher",
            "Affiliation not imported",
            "Open to collaborate",
            "Trust snapshot",
            "Quick read",
            "Trust 15 - Unverified",
            "Verification L1",
            "Unclaimed author",
            "3 works",
            "0 followers",
            "1 topics",
            "4 close collaborators",
            "Actions",
            "Decide how to stay connected",
            "Follow researcher 0",
            "Identity and collaboration",
            "How to connect with this researcher",
            "Claiming links this public author record to a researcher profile and unlocks direct collaboration workflows.",
            "Log in to claim",
            "Direct collaboration",
            "Open a focused conversation when the fit is right",
            "Claim this author entity first to unlock direct invitations.",
            "Research graph",
            "See the researcher in context",
            "Open full explorer",
            "Published work",
            "3 published item(s)",
        ],
    );
    // Newest first, each with type, year, venue, title and abstract.
    assert_in_order(
        &body,
        &[
            "preprint 2022 arXiv Stochastic Gradient Descent on Separable Data: Exact Convergence with a Fixed Learning Rate",
            "Stochastic Gradient Descent (SGD) is a central tool in machine learning.",
            "preprint 2021 arXiv On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent",
            "Recent work has highlighted the role of initialization scale",
            "preprint 2020 arXiv At Stability's Edge: How to Adjust Hyperparameters to Preserve Minima Selection",
            "Background: Recent developments have made it possible",
        ],
    );
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn close_collaborators_are_ranked_by_shared_works_then_recency_then_name(pool: PgPool) {
    import_seed(&pool).await;
    let page = get(&app(pool), &format!("/authors/{REFERENCE_SLUG}")).await;
    let body = text(&page.body);
    let section = &body[body.find("Close collaborators").expect("the list is shown")..];
    assert_in_order(
        section,
        &[
            "Daniel Soudry · 3 shared works",
            "Nathan Srebro · 2 shared works",
            "Amir Globerson · 1 shared work",
            "Blake Woodworth · 1 shared work",
            "How this score is worked out",
        ],
    );
    assert!(page.body.contains("href=\"/authors/daniel-soudry-arxiv-"), "collaborators link to their profiles");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_profile_head_has_title_description_and_canonical_link(pool: PgPool) {
    import_seed(&pool).await;
    let page = get(&app(pool), &format!("/authors/{REFERENCE_SLUG}")).await;
    let head = &page.body[..page.body.find("</head>").expect("a head")];
    assert!(head.contains("<title>Mor Shpigel Nacson · BZPEER</title>"), "{head}");
    assert!(
        head.contains("<meta name=\"description\" content=\"Mor Shpigel Nacson: 3 works, trust 15 (Unverified)."),
        "{head}"
    );
    assert!(
        head.contains(&format!("<link href=\"http://bzpeer.test/authors/{REFERENCE_SLUG}\" rel=\"canonical\">")),
        "{head}"
    );
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_work_page_shows_its_authors_in_order_and_its_topics(pool: PgPool) {
    import_seed(&pool).await;
    let slug: String = sqlx::query_scalar("SELECT slug FROM works WHERE arxiv_id = '2102.09769'")
        .fetch_one(&pool)
        .await
        .expect("slug");
    let page = get(&app(pool), &format!("/works/{slug}")).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = text(&page.body);
    assert_in_order(
        &body,
        &[
            "On the Implicit Bias of Initialization Shape: Beyond Infinitesimal Mirror Descent",
            "preprint 2021 arXiv Open access",
            "Recent work has highlighted",
            "Authors (7)",
            "Shahar Azulay Edward Moroshko Mor Shpigel Nacson Blake Woodworth Nathan Srebro Amir Globerson Daniel Soudry",
            "Topics Machine Learning",
            "arXiv 2102.09769",
        ],
    );
    assert!(page.body.contains(&format!("href=\"/authors/{REFERENCE_SLUG}\"")));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn unknown_records_and_paths_answer_404_with_a_page(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool);
    for path in ["/authors/nobody-arxiv-0000000000", "/works/nothing-0000000000", "/no/such/page"] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(text(&page.body).contains("Not found"), "{path}");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_broken_page_cursor_gets_a_clear_400(pool: PgPool) {
    import_seed(&pool).await;
    let page = get(&app(pool), &format!("/authors/{REFERENCE_SLUG}?after=yesterday")).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(text(&page.body).contains("is not a page position"), "{}", text(&page.body));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn more_than_twenty_works_are_paginated_by_a_plain_link_and_listed_on_one_page_to_print(pool: PgPool) {
    // One researcher with 27 works, three a day, so the page break falls between works of one day.
    let co_authors: Vec<String> = (1..=27).map(|n| format!("Co Author {n}")).collect();
    let works: Vec<_> = co_authors
        .iter()
        .zip(1_u32..)
        .map(|(co_author, n)| {
            let authors = [
                Author { id: 1, name: "Paige Turner", institution: None },
                Author { id: 100 + n, name: co_author, institution: None },
            ];
            let date = format!("2023-01-{:02}", 1 + (n - 1) / 3);
            synthetic::work(n, &format!("Synthetic work {n}"), &date, &authors, &[])
        })
        .collect();
    let file = synthetic::json_array(&works);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_owned()).await;
    let author: i64 = sqlx::query_scalar(
        "SELECT author_id FROM authorships GROUP BY author_id ORDER BY count(*) DESC, author_id LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .expect("an author");
    let (slug, total): (String, i64) = sqlx::query_as(
        "SELECT a.slug, (SELECT count(DISTINCT work_id) FROM authorships WHERE author_id = a.id) FROM authors a WHERE a.id = $1",
    )
    .bind(author)
    .fetch_one(&pool)
    .await
    .expect("slug");
    let app = app(pool);
    let first = get(&app, &format!("/authors/{slug}")).await;
    assert_eq!(first.body.matches("class=\"work-card\"").count(), 20);
    let next =
        first.body.split("rel=\"next\" href=\"").nth(1).and_then(|s| s.split('"').next()).expect("an older-works link");
    let second = get(&app, &next.replace("&amp;", "&")).await;
    assert_eq!(second.status, StatusCode::OK);
    assert_eq!(second.body.matches("class=\"work-card\"").count() as i64, total - 20);
    assert!(text(&second.body).contains("← Newest works"));
    // The two pages list every work once, the works of the day at the break included.
    let mut shown: Vec<&str> = [&first.body, &second.body]
        .into_iter()
        .flat_map(|body| body.split("class=\"work-card\"").skip(1))
        .filter_map(|card| card.split("href=\"/works/").nth(1)?.split('"').next())
        .collect();
    shown.sort_unstable();
    shown.dedup();
    assert_eq!((total, shown.len()), (27, 27));

    // Every work on one page (the list a person prints), linked from the paged list, its sort
    // links keeping it; an unknown value is refused with the field named.
    assert!(first.body.contains(&format!("href=\"/authors/{slug}?works=all#works-heading\"")));
    assert!(text(&first.body).contains("All 27 works on one page, to print"));
    let all = get(&app, &format!("/authors/{slug}?works=all")).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_eq!(all.body.matches("class=\"work-card\"").count(), 27);
    assert!(!all.body.contains("rel=\"next\""));
    assert!(all.body.contains(&format!("href=\"/authors/{slug}?works=all&amp;sort=cited#works-heading\"")));
    assert!(text(&all.body).contains("Show the works a page at a time"));
    let cited = get(&app, &format!("/authors/{slug}?works=all&sort=cited")).await;
    assert_eq!(cited.body.matches("class=\"work-card\"").count(), 27);
    let wrong = get(&app, &format!("/authors/{slug}?works=every")).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(text(&wrong.body).contains("works=all"), "{}", text(&wrong.body));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn search_finds_the_reference_profile_and_works(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool);
    let page = get(&app, "/search?q=Mor+Shpigel+Nacson").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("href=\"/authors/{REFERENCE_SLUG}\"")), "{}", text(&page.body));
    let by_surname = get(&app, "/search?q=nacson").await;
    assert!(by_surname.body.contains(&format!("href=\"/authors/{REFERENCE_SLUG}\"")));
    let works = get(&app, "/search?q=asynchronous+training").await;
    assert!(text(&works.body).contains("At Stability's Edge"), "{}", text(&works.body));
    let nothing = get(&app, "/search?q=zzzqqq").await;
    assert_eq!(nothing.status, StatusCode::OK);
    assert!(text(&nothing.body).contains("Nothing matched"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn bad_search_input_gets_a_clear_400(pool: PgPool) {
    let app = app(pool);
    let long = format!("/search?q={}", "x".repeat(300));
    let page = get(&app, &long).await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(text(&page.body).contains("Keep the query under 200 characters"));
    let page = get(&app, "/search?q=a&page=999").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn server_functions_answer_errors_with_their_status(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool);
    let found = post_form(&app, "/api/get_profile", &format!("slug={REFERENCE_SLUG}"), "application/json").await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    assert!(found.body.contains("\"name\":\"Mor Shpigel Nacson\""));
    let missing = post_form(&app, "/api/get_profile", "slug=nobody", "application/json").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed = post_form(&app, "/api/get_profile", "nonsense=%%%", "application/json").await;
    assert!(malformed.status.is_client_error(), "{}", malformed.status);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_trust_page_explains_the_reference_rows(pool: PgPool) {
    let page = get(&app(pool), "/about/trust").await;
    assert_eq!(page.status, StatusCode::OK);
    let body = text(&page.body);
    assert!(body.contains("11 for one work, 15 for three, 21 from six on"));
    assert!(body.contains("L1 corroborated by at least two works"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_health_check_answers_when_the_database_does(pool: PgPool) {
    let page = get(&app(pool), "/healthz").await;
    assert_eq!((page.status, page.body.as_str()), (StatusCode::OK, "ok"));
}

/// The search box shows what was searched for in the server's HTML (no script fills it in).
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_search_box_keeps_the_query_without_javascript(pool: PgPool) {
    let page = get(&app(pool), "/search?q=%22gradient%22+%3Cdescent%3E").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(
            r#"id="search-q" type="search" name="q" maxlength="200" value="&quot;gradient&quot; &lt;descent&gt;""#
        ),
        "{}",
        page.body
    );
}

/// Pages for logged-in people answer a visitor 401 with what logging in is for and a link back.
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn pages_for_logged_in_people_send_a_visitor_to_log_in_and_back(pool: PgPool) {
    let app = app(pool);
    for (path, says) in [
        ("/me/inbox", "Log in to see your invitations and conversations."),
        ("/me/following", "Log in to see the researchers you follow."),
        ("/conversations/7", "Log in to read your conversations."),
    ] {
        let page = get(&app, path).await;
        assert_eq!(page.status, StatusCode::UNAUTHORIZED, "{path}");
        assert!(text(&page.body).contains(says), "{path}: {}", text(&page.body));
        assert!(page.body.contains(&format!("href=\"/login?next={path}\"")), "{path}: {}", page.body);
    }
}
