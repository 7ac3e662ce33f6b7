//! `/alerts/unsubscribe?token=<secret>`: the digest's unsubscribe link. A GET (a person opening
//! the link) shows a button; a POST turns the digest off: the button's, or a mail client's
//! one-click POST (RFC 8058, `List-Unsubscribe=One-Click`), which comes from no page of ours, so
//! this path is the one exception to the same-origin rule (the secret is what authorises it).

use crate::http::state::AppState;
use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

pub const PATH: &str = "/alerts/unsubscribe";

#[derive(Debug, Deserialize)]
pub struct Link {
    token: Option<String>,
}

/// The token when it is one we could have made (URL-safe base64, short).
fn token(link: &Link) -> Option<&str> {
    let token = link.token.as_deref()?.trim();
    let ok = !token.is_empty()
        && token.len() <= 100
        && token.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(token)
}

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><meta name=\"robots\" content=\"noindex\">\
         <title>{title} · BZPEER</title></head><body><main><h1>{title}</h1>{body}\
         <p><a href=\"/\">BZPEER</a> · <a href=\"/me/settings\">Settings</a></p></main></body></html>"
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], html)
        .into_response()
}

fn unknown() -> Response {
    page(StatusCode::NOT_FOUND, "This link is not valid", "<p>It may have been copied only in part.</p>")
}

/// Asks before unsubscribing: opening a link (a mail scanner does) changes nothing.
fn confirm(link: &Link) -> Response {
    let Some(token) = token(link) else {
        return unknown();
    };
    // The token holds only URL-safe characters: nothing in it needs escaping in the attribute.
    let form = format!(
        "<p>Stop the e-mail digest of new works by the researchers you follow?</p>\
         <form method=\"post\" action=\"{PATH}?token={token}\"><button type=\"submit\">Stop the digest</button></form>"
    );
    page(StatusCode::OK, "Stop the digest", &form)
}

pub async fn ask(Query(link): Query<Link>) -> Response {
    confirm(&link)
}

/// Turns the digest off for the link's holder.
pub async fn one_click(State(state): State<AppState>, Query(link): Query<Link>) -> Response {
    let Some(token) = token(&link) else {
        return unknown();
    };
    match db::writes::alerts::unsubscribe(&state.pool, token).await {
        Ok(true) => page(
            StatusCode::OK,
            "The digest is stopped",
            "<p>You will get no more digests. You can turn it on again in your settings.</p>",
        ),
        Ok(false) => unknown(),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            page(status, "Try again in a moment", "<p>The digest could not be stopped just now.</p>")
        }
    }
}
