//! Islands: a page loads the app's JavaScript and wasm only when it has an island, and the
//! islands are exactly the parts that react in place (follow, invitation, graph).

use crate::helpers::{app, get, import_seed, signed_in, REFERENCE_SLUG};
use sqlx::PgPool;

fn loads_wasm(body: &str) -> bool {
    body.contains(".wasm") || body.contains("/pkg/bzpeer") && body.contains("<script")
}

fn islands(body: &str) -> Vec<String> {
    body.split("<leptos-island")
        .skip(1)
        .filter_map(|rest| rest.split("data-component=\"").nth(1))
        .filter_map(|rest| rest.split('"').next())
        .map(str::to_owned)
        .collect()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn pages_without_interaction_load_no_script_and_no_wasm(pool: PgPool) {
    import_seed(&pool).await;
    let app = app(pool);
    for path in ["/", "/search?q=gradient", "/login", "/signup", "/about/trust", "/authors/nobody-here"] {
        let page = get(&app, path).await;
        assert!(islands(&page.body).is_empty(), "{path}: {:?}", islands(&page.body));
        assert!(!loads_wasm(&page.body), "{path} loads the app:\n{}", page.body);
        assert!(!page.body.contains("<script"), "{path} has a script");
        assert!(!page.body.contains("bzpeer-islands-"), "{path} keeps a marker");
        assert!(page.body.contains("/pkg/bzpeer.css"), "{path} keeps its styles");
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_profile_hydrates_only_its_graph_for_a_visitor_and_its_follow_box_once_logged_in(pool: PgPool) {
    import_seed(&pool).await;
    let path = format!("/authors/{REFERENCE_SLUG}");
    let visitor = get(&app(pool.clone()), &path).await;
    assert_eq!(islands(&visitor.body).len(), 1, "{:?}", islands(&visitor.body));
    assert!(islands(&visitor.body)[0].contains("GraphCanvas"), "{:?}", islands(&visitor.body));
    assert!(loads_wasm(&visitor.body), "the graph needs the app");
    // The no-JavaScript graph is inside the island, as its server-rendered children.
    let island = visitor.body.split("<leptos-island").nth(1).unwrap_or_default();
    assert!(island.contains("<leptos-children") && island.contains("<svg"), "{island}");

    let mut reader = signed_in(app(pool.clone()), &pool, "reader@example.org").await;
    let page = reader.get(&path).await;
    let names = islands(&page.body);
    assert!(names.iter().any(|n| n.contains("FollowButton")), "{names:?}");
    assert!(names.iter().any(|n| n.contains("GraphCanvas")), "{names:?}");
    // The header (who is logged in, log out) is plain HTML now: no state handed to the browser.
    assert!(page.body.contains("Log out") && !page.body.contains("data-viewer"));
}

/// What an island's form gets back: JSON on success, and on refusal the status and the message a
/// page would show, in `x-error-message` (the islands read no JSON error types).
#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_islands_form_gets_json_or_the_message_to_show(pool: PgPool) {
    import_seed(&pool).await;
    let mut reader = signed_in(app(pool.clone()), &pool, "islander@example.org").await;
    let followed = reader.post_json("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert_eq!(followed.status, 200, "{}", followed.body);
    let state: serde_json::Value = serde_json::from_str(&followed.body).expect("JSON");
    assert_eq!((state["following"].as_bool(), state["followers"].as_i64()), (Some(true), Some(1)));
    assert!(followed.headers.get("x-error-message").is_none());

    let refused = reader.post_json("/api/post_message", "conversation=999999&body=hello").await;
    assert_eq!(refused.status, 404, "{}", refused.body);
    let message = refused.headers.get("x-error-message").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert!(message.starts_with("This+conversation") || message.contains("conversation"), "{message}");
    assert!(message.bytes().all(|b| b.is_ascii_graphic()), "percent-encoded: {message}");
}
