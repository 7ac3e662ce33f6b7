//! Pages kept as documents. An anonymous GET of a profile, a work, a topic or an institution (no
//! query, no session cookie) reads the page's version in one statement and is answered with the
//! rendering kept at that version: from this process's memory, else from `kept_pages` (the same
//! statement brings it), else rendered now and, once sent, compressed (brotli 5 and gzip 6, under
//! a millisecond for a profile) and kept for every process (by the next version statement, which
//! keeps what waits on its way, or by one of its own within `KEEP_WITHIN`). A strong `ETag` answers `If-None-Match` with 304, and
//! shared caches may keep the page a minute (`Vary: Cookie`: a visitor with a session is never
//! served it). Anyone with a session goes through the page as before, fresh. A record's citation
//! files are kept the same way, at the record's version (`web::exports`).

use crate::http::state::AppState;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY, CONTENT_TYPE, COOKIE, ETAG,
    IF_NONE_MATCH, SET_COOKIE, VARY,
};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use bzpeer_core::domain::pages::PageKey;
use bzpeer_core::error::AppError;
use db::caches::pages::{self, KeptRow};
use sha2::{Digest, Sha256};
use std::io::Write;
use std::sync::Arc;

/// How long a shared cache (a CDN, nginx, Varnish) may serve a kept page before revalidating it,
/// and how long it may serve a stale one while it does.
pub const SHARED_CACHE: &str = "public, max-age=0, s-maxage=60, stale-while-revalidate=60";
/// The bytes of kept pages one process holds in memory.
const MEMORY_BYTES: u64 = 256 * 1024 * 1024;
/// More than any page we render.
const PAGE_LIMIT_BYTES: usize = 16 * 1024 * 1024;

/// The kept pages this process holds (the latest it served of each, with its version), and the
/// renderings it made that wait to be kept for every process: the next version statement keeps
/// them on its way (no round trip of their own), else a statement of their own after
/// `KEEP_WITHIN`.
#[derive(Clone)]
pub struct KeptPages {
    memory: moka::sync::Cache<String, Arc<Kept>>,
    waiting: Arc<std::sync::Mutex<Vec<pages::ToKeep>>>,
}

impl Default for KeptPages {
    fn default() -> Self {
        Self {
            memory: moka::sync::Cache::builder()
                .weigher(|_, kept: &Arc<Kept>| u32::try_from(kept.br.len() + kept.gz.len()).unwrap_or(u32::MAX))
                .max_capacity(MEMORY_BYTES)
                .build(),
            waiting: Arc::default(),
        }
    }
}

impl KeptPages {
    /// The renderings waiting to be kept, taken to be kept now.
    fn take_waiting(&self) -> Vec<pages::ToKeep> {
        self.waiting.lock().map(|mut waiting| std::mem::take(&mut *waiting)).unwrap_or_default()
    }

    /// Puts renderings back to wait (a statement that was to keep them failed).
    fn wait_again(&self, keeping: Vec<pages::ToKeep>) {
        if let Ok(mut waiting) = self.waiting.lock() {
            waiting.extend(keeping);
        }
    }
}

/// How long a rendering waits to be kept by another view's statement before it is kept by one
/// of its own: other processes render the page themselves until then.
const KEEP_WITHIN: std::time::Duration = std::time::Duration::from_millis(200);

impl std::fmt::Debug for KeptPages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "KeptPages({} pages)", self.memory.entry_count())
    }
}

/// One kept rendering, as it is sent.
pub struct Kept {
    version: i64,
    etag: HeaderValue,
    csp: HeaderValue,
    br: Bytes,
    gz: Bytes,
}

impl Kept {
    fn from_row(version: i64, row: KeptRow) -> Option<Self> {
        Some(Self {
            version,
            etag: HeaderValue::from_str(&row.etag).ok()?,
            csp: HeaderValue::from_str(&row.csp).ok()?,
            br: Bytes::from(row.body_br),
            gz: Bytes::from(row.body_gz),
        })
    }
}

/// Marks a request whose page is being rendered to be kept: its reads go to the primary (a
/// replica behind the version just read would have the page kept with older rows).
#[derive(Clone, Copy, Debug)]
pub struct RenderToKeep;

/// The key of the kept page this request asks for (and the rendering's name beside the page's,
/// `pages::kept_name`), if it is one an anonymous visitor asks for: a page without a query, or
/// the explorer around one focus (`/explore?focus=<key>`, nothing expanded, no search), kept
/// beside the focus's page at its version (the explorer shows what the page's inline graph
/// shows, wider).
fn keepable(request: &Request) -> Option<(PageKey, Option<&'static str>)> {
    let anonymous = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .all(|cookie| !cookie.to_str().unwrap_or("").contains(crate::http::SESSION_COOKIE));
    if !anonymous || !matches!(*request.method(), Method::GET | Method::HEAD) {
        return None;
    }
    match request.uri().query() {
        None => PageKey::of_path(request.uri().path()).map(|key| (key, None)),
        Some(_) if request.uri().path() == "/explore" => explored(request.uri()).map(|key| (key, Some("explore"))),
        Some(_) => None,
    }
}

/// The page of the one focus an explorer address asks for, with nothing else asked.
fn explored(uri: &axum::http::Uri) -> Option<PageKey> {
    use bzpeer_core::domain::graph::NodeKey;
    let axum::extract::Query(asked) = axum::extract::Query::<Vec<(String, String)>>::try_from_uri(uri).ok()?;
    let [(name, focus)] = asked.as_slice() else { return None };
    if name != "focus" {
        return None;
    }
    Some(match NodeKey::parse(focus).ok()? {
        NodeKey::Author(slug) => PageKey::Author(slug),
        NodeKey::Work(slug) => PageKey::Work(slug),
        NodeKey::Topic(id) => PageKey::Topic(id),
        NodeKey::Institution(id) => PageKey::Institution(id),
    })
}

pub async fn serve(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((key, file)) = keepable(&request) else {
        return next.run(request).await;
    };
    // A database that cannot answer: the page itself says so, as it would without keeping.
    match lookup(&state, &key, file).await {
        Ok((_, Some(kept))) => answer(&kept, request.method(), request.headers(), HTML),
        Ok((version, None)) => render_and_keep(&state, (key, file), version, request, next).await,
        Err(_) => next.run(request).await,
    }
}

const HTML: &str = "text/html; charset=utf-8";

/// The version of the page `key` now, and its rendering (or that of `file`, as
/// `pages::kept_name` names it) kept at that version if there is one: from this process's
/// memory, else from `kept_pages`, in the one statement that reads the version.
pub async fn lookup(
    state: &AppState,
    key: &PageKey,
    file: Option<&'static str>,
) -> Result<(i64, Option<Arc<Kept>>), AppError> {
    let name = pages::kept_name(key, file);
    let held = state.kept.memory.get(&name);
    let (version, row) = current(state, key, file, held.as_ref().map(|k| k.version)).await?;
    Ok(match (held, row) {
        (Some(held), _) if held.version == version => (version, Some(held)),
        (_, Some(row)) => {
            let kept = Kept::from_row(version, row).map(Arc::new);
            if let Some(kept) = &kept {
                state.kept.memory.insert(name, kept.clone());
            }
            (version, kept)
        }
        _ => (version, None),
    })
}

/// The version statement on one of the held connections (`AppState::versions`: no pool check,
/// one round trip), keeping the renderings that wait to be kept on its way; a reused connection
/// that fails (one that outlived a restart of the database) is dropped and the statement tried
/// once more on a new one.
async fn current(
    state: &AppState,
    key: &PageKey,
    file: Option<&str>,
    held: Option<i64>,
) -> Result<(i64, Option<KeptRow>), AppError> {
    let keeping = state.kept.take_waiting();
    let mut fresh = false;
    loop {
        let mut taken = match state.versions.take(fresh).await {
            Ok(taken) => taken,
            Err(error) => {
                state.kept.wait_again(keeping);
                return Err(error);
            }
        };
        match pages::current(&mut taken.conn, key, file, held, &keeping).await {
            Ok(read) => {
                taken.give_back();
                return Ok(read);
            }
            Err(error) if taken.fresh => {
                state.kept.wait_again(keeping);
                return Err(error);
            }
            // Dropped with `taken`; once more on a new connection.
            Err(_) => fresh = true,
        }
    }
}

/// The strong validator of a rendering's bytes.
fn etag_of(body: &[u8]) -> String {
    format!("\"{}\"", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&Sha256::digest(body)[..18]))
}

/// Marks `response` (whose body is `body`, rendered at `version`) as the rendering about to be
/// kept: the validator it will be kept with, and what a shared cache may do with it. Then, once
/// the answer has gone (the visitor who asked first does not wait for the compression), keeps
/// it for every process, compressed once.
pub fn keep_after_sending(
    response: &mut Response,
    state: &AppState,
    (key, file): (PageKey, Option<&'static str>),
    version: i64,
    body: Bytes,
    csp: String,
) {
    let etag = etag_of(&body);
    let headers = response.headers_mut();
    if let Ok(value) = HeaderValue::from_str(&etag) {
        headers.insert(ETAG, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(SHARED_CACHE));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
    let state = state.clone();
    tokio::spawn(async move {
        let compressed = tokio::task::spawn_blocking(move || compress(&body)).await;
        let Ok(Ok((br, gz))) = compressed else {
            tracing::warn!("compressing a rendering to keep failed; it is made again on its next view");
            return;
        };
        let row = KeptRow { etag, csp, body_br: br, body_gz: gz };
        let name = pages::kept_name(&key, file);
        if let Some(kept) = Kept::from_row(version, row.clone()) {
            state.kept.memory.insert(name.clone(), Arc::new(kept));
        }
        state.kept.wait_again(vec![pages::ToKeep { name, version, row }]);
        // Kept by the next version statement, or else by one of its own.
        tokio::time::sleep(KEEP_WITHIN).await;
        let keeping = state.kept.take_waiting();
        // A rendering not kept is made again on its next view; nothing else depends on it.
        if let Err(error) = pages::keep_all(&state.pool, &keeping).await {
            tracing::warn!(?error, "keeping renderings failed");
        }
    });
}

/// Renders the page as the app does; a whole page for anyone is kept once it has been sent.
async fn render_and_keep(
    state: &AppState,
    kept_as: (PageKey, Option<&'static str>),
    version: i64,
    mut request: Request,
    next: Next,
) -> Response {
    request.extensions_mut().insert(RenderToKeep);
    let response = next.run(request).await;
    let html = response.headers().get(CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html"));
    if response.status() != StatusCode::OK || !html || response.headers().contains_key(SET_COOKIE) {
        return response;
    }
    let csp = response.headers().get(CONTENT_SECURITY_POLICY).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let (parts, body) = response.into_parts();
    let Ok(page) = axum::body::to_bytes(body, PAGE_LIMIT_BYTES).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "This page could not be sent; try again.").into_response();
    };
    let mut response = Response::from_parts(parts, Body::from(page.clone()));
    if let Some(csp) = csp {
        keep_after_sending(&mut response, state, kept_as, version, page, csp);
    }
    response
}

/// The brotli quality renderings are kept at: 0.7 ms for a 53 kB profile, 13 % larger than
/// quality 11, which takes 58 ms (230 ms for the most prolific record's profile, 23 s for its
/// 12.8 MB `.bib`): at 11, a mix of mostly first views kept the cores compressing (docs/pages.md).
const QUALITY: u32 = 5;

/// The rendering as brotli (`QUALITY`) and gzip (level 6).
fn compress(page: &[u8]) -> std::io::Result<(Vec<u8>, Vec<u8>)> {
    let mut br = Vec::with_capacity(page.len() / 4);
    {
        let mut writer = brotli::CompressorWriter::new(&mut br, 4096, QUALITY, 22);
        writer.write_all(page)?;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::with_capacity(page.len() / 3), flate2::Compression::new(6));
    gz.write_all(page)?;
    Ok((br, gz.finish()?))
}

/// The kept rendering (of `content_type`) for what the request accepts: 304 when its copy is
/// current, else the body in brotli, gzip or as it is.
pub fn answer(kept: &Kept, method: &Method, asked: &HeaderMap, content_type: &'static str) -> Response {
    let mut headers = HeaderMap::new();
    headers.insert(ETAG, kept.etag.clone());
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(SHARED_CACHE));
    headers.insert(VARY, HeaderValue::from_static("accept-encoding, cookie"));
    if !kept.csp.is_empty() {
        headers.insert(CONTENT_SECURITY_POLICY, kept.csp.clone());
    }
    let fresh = asked.get_all(IF_NONE_MATCH).iter().any(|v| {
        v.to_str().unwrap_or("").split(',').any(|tag| {
            let tag = tag.trim();
            tag == "*" || tag.trim_start_matches("W/") == kept.etag.to_str().unwrap_or("")
        })
    });
    if fresh {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(content_type));
    let accepts = |coding: &str| {
        asked.get_all(ACCEPT_ENCODING).iter().any(|v| {
            v.to_str().unwrap_or("").split(',').any(|c| {
                let mut parts = c.trim().split(';');
                parts.next() == Some(coding) && parts.all(|p| p.trim() != "q=0")
            })
        })
    };
    let body = if accepts("br") {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
        kept.br.clone()
    } else if accepts("gzip") {
        headers.insert(CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        kept.gz.clone()
    } else {
        let mut page = Vec::new();
        let mut reader = flate2::read::GzDecoder::new(&kept.gz[..]);
        if std::io::Read::read_to_end(&mut reader, &mut page).is_err() {
            return (StatusCode::INTERNAL_SERVER_ERROR, "This page could not be sent; try again.").into_response();
        }
        Bytes::from(page)
    };
    let body = if *method == Method::HEAD { Body::empty() } else { Body::from(body) };
    (StatusCode::OK, headers, body).into_response()
}
