//! Builds the real router on a test's own database, and reads responses.

use app::ssr::import::{import_file, ImportKind, ImportSummary};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use leptos::config::LeptosOptions;
use server::startup::{router, AppState};
use sqlx::PgPool;
use std::path::PathBuf;
use tower::ServiceExt;

pub const REFERENCE_SLUG: &str = "mor-shpigel-nacson-arxiv-fb85d1b566";

/// A file in the repository's `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures").join(name)
}

/// A file in the shared data folder (`BZPEER_DATA_DIR`, else `../shared/data` beside the checkout).
pub fn shared_data(relative: &str) -> PathBuf {
    let dir = std::env::var_os("BZPEER_DATA_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/data"));
    let path = dir.join(relative);
    assert!(path.is_file(), "the shared data file {} is missing (set BZPEER_DATA_DIR)", path.display());
    path
}

pub async fn import(pool: &PgPool, kind: ImportKind, path: PathBuf) -> ImportSummary {
    match import_file(pool, kind, &path, false).await {
        Ok(summary) => summary,
        Err(e) => panic!("importing {} failed: {e}", path.display()),
    }
}

pub async fn import_seed(pool: &PgPool) -> ImportSummary {
    import(pool, ImportKind::Arxiv, fixture("arxiv-seed.jsonl")).await
}

pub fn app(pool: PgPool) -> Router {
    let leptos_options =
        LeptosOptions::builder().output_name("bzpeer").site_root("target/site").site_pkg_dir("pkg").build();
    router(AppState { leptos_options, pool, site_url: "http://bzpeer.test".to_owned() })
}

pub struct Page {
    pub status: StatusCode,
    pub body: String,
}

pub async fn send(app: &Router, request: Request<Body>) -> Page {
    let response = app.clone().oneshot(request).await.expect("the router answers");
    let status = response.status();
    let bytes = response.into_body().collect().await.expect("a readable body").to_bytes();
    Page { status, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(app: &Router, path: &str) -> Page {
    let request = Request::get(path).header("accept", "text/html").body(Body::empty()).expect("a valid request");
    send(app, request).await
}

/// A form post as a browser without JavaScript sends it.
pub async fn post_form(app: &Router, path: &str, form: &str, accept: &str) -> Page {
    let request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", accept)
        .body(Body::from(form.to_owned()))
        .expect("a valid request");
    send(app, request).await
}

/// The text of the page with tags removed and whitespace collapsed, as a reader sees it.
pub fn text(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => {
                in_tag = true;
                out.push(' ');
            }
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out
        .replace("&amp;", "&")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `needles` occur in `haystack` in this order.
pub fn assert_in_order(haystack: &str, needles: &[&str]) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(i) => from += i + needle.len(),
            None => panic!("`{needle}` missing (or out of order) after byte {from}"),
        }
    }
}
