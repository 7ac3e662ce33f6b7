//! Builds the real router on a test's own database, and reads responses; the data a test
//! starts from is `test_data`'s.

pub use test_data::{add_work_by, fixture, import, import_seed, real_samples, REFERENCE_SLUG};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use axum::Router;
use http_body_util::BodyExt;
use jobs::mail::Mailer;
use leptos::config::LeptosOptions;
use server::http::{router, AppState};
use sqlx::PgPool;
use tower::ServiceExt;

pub const SITE: &str = "http://bzpeer.test";

pub fn app(pool: PgPool) -> Router {
    app_at(pool, SITE)
}

pub fn app_at(pool: PgPool, site_url: &str) -> Router {
    router(state(pool, site_url))
}

/// The app behind `hops` trusted proxies: client addresses come from `X-Forwarded-For`.
pub fn app_behind_proxies(pool: PgPool, hops: usize) -> Router {
    router(AppState { trusted_proxies: hops, ..state(pool, SITE) })
}

pub fn state(pool: PgPool, site_url: &str) -> AppState {
    let leptos_options =
        LeptosOptions::builder().output_name("bzpeer").site_root("target/site").site_pkg_dir("pkg").build();
    AppState {
        leptos_options,
        pool: pool.clone(),
        site_url: site_url.to_owned(),
        mailer: Mailer::Outbox,
        dev_outbox: true,
        trusted_proxies: 0,
        replicas: None,
        draining: Default::default(),
        api_per_minute: server::ops::config::API_PER_MINUTE,
        heavy_per_minute: server::http::heavy::HEAVY_PER_MINUTE,
        versions: server::ops::database::held_for(&pool),
        kept: Default::default(),
        computed: Default::default(),
    }
}

pub struct Page {
    pub status: StatusCode,
    pub body: String,
    pub headers: HeaderMap,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get("location").and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn set_cookie(&self) -> Option<&str> {
        self.headers.get("set-cookie").and_then(|v| v.to_str().ok())
    }
}

pub async fn send(app: &Router, request: Request<Body>) -> Page {
    let what = format!("{} {}", request.method(), request.uri());
    // A request that never answers fails its test instead of stalling the whole run.
    let response = tokio::time::timeout(std::time::Duration::from_secs(30), app.clone().oneshot(request))
        .await
        .unwrap_or_else(|_| panic!("{what} did not answer within 30 s"))
        .expect("the router answers");
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.expect("a readable body").to_bytes();
    Page { status, body: String::from_utf8_lossy(&bytes).into_owned(), headers }
}

/// A browser without JavaScript: keeps the session cookie, posts forms from our own origin and
/// does not follow redirects (tests look at them).
pub struct Browser {
    pub app: Router,
    pub cookie: Option<String>,
}

impl Browser {
    pub fn new(app: Router) -> Self {
        Self { app, cookie: None }
    }

    async fn exchange(&mut self, builder: axum::http::request::Builder, body: Body) -> Page {
        let builder = match &self.cookie {
            Some(cookie) => builder.header("cookie", cookie.clone()),
            None => builder,
        };
        let page = send(&self.app, builder.body(body).expect("a valid request")).await;
        if let Some(set) = page.set_cookie() {
            self.cookie = cookie_after(set);
        }
        page
    }

    pub async fn get(&mut self, path: &str) -> Page {
        self.exchange(Request::get(path).header("accept", "text/html"), Body::empty()).await
    }

    /// The same post from a hydrated page: it asks for data, not a redirect.
    pub async fn post_json(&mut self, path: &str, form: &str) -> Page {
        let builder = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .header("origin", SITE);
        self.exchange(builder, Body::from(form.to_owned())).await
    }

    pub async fn post_form(&mut self, path: &str, form: &str) -> Page {
        let builder = Request::post(path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .header("origin", SITE)
            .header("referer", format!("{SITE}/"));
        self.exchange(builder, Body::from(form.to_owned())).await
    }
}

/// The session cookie a browser keeps after a `Set-Cookie`: its name and value, or none when the
/// cookie is set to expire (log-out).
pub fn cookie_after(set_cookie: &str) -> Option<String> {
    let pair = set_cookie.split(';').next().unwrap_or_default().to_owned();
    (!set_cookie.contains("Max-Age=0")).then_some(pair)
}

/// The token in the newest verification mail to `email`, read from the outbox.
pub async fn verification_token(pool: &PgPool, email: &str) -> String {
    let body: String = sqlx::query_scalar("SELECT body FROM outbox WHERE to_email = $1 ORDER BY id DESC LIMIT 1")
        .bind(email)
        .fetch_one(pool)
        .await
        .expect("a mail in the outbox");
    token_in(&body)
}

/// The token of the link in a mail's body.
pub fn token_in(body: &str) -> String {
    body.split("token=").nth(1).and_then(|rest| rest.split_whitespace().next()).expect("a link with a token").to_owned()
}

/// Signs up, verifies and logs in `email` (password `correct horse`), as a browser without JavaScript.
pub async fn signed_in(app: Router, pool: &PgPool, email: &str) -> Browser {
    let mut browser = Browser::new(app);
    let encoded = email.replace('@', "%40");
    let form = format!("email={encoded}&display_name=Tester&password=correct+horse");
    assert_eq!(browser.post_form("/api/signup", &form).await.status, StatusCode::SEE_OTHER);
    let token = verification_token(pool, email).await;
    let verify = format!("token={token}&password=correct+horse");
    assert_eq!(browser.post_form("/api/verify_email", &verify).await.status, StatusCode::SEE_OTHER);
    let login = browser.post_form("/api/login", &format!("email={encoded}&password=correct+horse")).await;
    assert_eq!((login.status, login.location()), (StatusCode::SEE_OTHER, "/"));
    browser
}

/// A GET with the given headers (none added).
pub async fn get_with(app: &Router, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut request = Request::get(path);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    send(app, request.body(Body::empty()).expect("as the test set it up")).await
}

pub async fn get(app: &Router, path: &str) -> Page {
    let request = Request::get(path).header("accept", "text/html").body(Body::empty()).expect("a valid request");
    send(app, request).await
}

/// A form post from our own origin, with the given `Accept`.
pub async fn post_form(app: &Router, path: &str, form: &str, accept: &str) -> Page {
    let request = Request::post(path)
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", accept)
        .header("origin", SITE)
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

pub async fn moderator(pool: &PgPool, email: &str) -> Browser {
    let browser = signed_in(app(pool.clone()), pool, email).await;
    assert!(db::writes::claims::grant_moderator(pool, email).await.expect("grant"));
    browser
}

pub const EVIDENCE: &str = "evidence=I+am+Jane+Roe%3B+this+is+my+preprint+and+my+staff+page+lists+it+with+my+ORCID.&links=https%3A%2F%2Fwww.example.edu%2Fstaff%2Froe";
