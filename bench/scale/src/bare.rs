//! The bare profile handler: plain axum, no Leptos, no middleware. It reads what the real page
//! reads (`db::views::profiles::profile`: the same queries on one connection from a pool set
//! up as the server's, and the same graph layout) and answers the HTML the real page answered
//! for that record, captured once. The real route's throughput over this one is the cost of the
//! framework: rendering, sessions, the layers.

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::serve::ListenerExt;
use axum::Router;
use sqlx::PgPool;
use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;

#[derive(Clone)]
struct Bare {
    pool: PgPool,
    pages: Arc<HashMap<String, axum::body::Bytes>>,
}

/// Serves `/authors/{slug}` on 127.0.0.1:`port` until the process ends; `pages` maps a slug to
/// its captured HTML.
pub async fn start(pool: PgPool, pages: HashMap<String, Vec<u8>>, port: u16) -> anyhow::Result<SocketAddr> {
    let pages = pages.into_iter().map(|(slug, html)| (slug, axum::body::Bytes::from(html))).collect();
    let app = Router::new().route("/authors/{slug}", get(profile)).with_state(Bare { pool, pages: Arc::new(pages) });
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    // As the real server does: a small answer is not held back for the client's delayed ACK.
    let listener = listener.tap_io(|tcp| {
        let _ = tcp.set_nodelay(true);
    });
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(addr)
}

async fn profile(State(bare): State<Bare>, Path(slug): Path<String>) -> Response {
    match db::views::profiles::profile(
        &bare.pool,
        &bare.pool,
        &slug,
        bzpeer_core::domain::paging::WorksAfter::Newest(None),
        bzpeer_core::model::profile::WORKS_PER_PAGE,
        None,
    )
    .await
    {
        Ok(profile) => match bare.pages.get(&profile.slug) {
            Some(html) => ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html.clone()).into_response(),
            None => StatusCode::NOT_FOUND.into_response(),
        },
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}
