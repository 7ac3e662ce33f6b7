//! Where flashes live: in the session, under one key, with the path of the page they are for.
//! A server function leaves one without awaiting (`leave`, called by `forms::Form` as it answers); `keep_left_flash`, a layer inside the session layer, writes it to
//! the session once the function has answered. The page takes it (`take`) as it renders.

use crate::domain::flash::Flash;
use crate::error::AppError;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};
use tower_sessions::Session;

const KEY: &str = "flash";

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Stored {
    page: String,
    flash: Flash,
}

/// The flash a server function left during this request, not yet in the session.
#[derive(Clone, Default)]
pub struct LeftFlash(Arc<Mutex<Option<Stored>>>);

/// The path part of a same-site URL (no query, no anchor): what a flash is matched on.
pub fn page_path(url: &str) -> &str {
    url.split(['?', '#']).next().unwrap_or(url)
}

/// Leaves `error` and the `keep` fields (empty ones too: a field cleared on purpose stays
/// cleared) for the page at `page`, replacing any flash left before. Written to the session
/// when the request is answered.
pub fn leave(page: &str, error: Option<AppError>, keep: &[(&str, &str)]) {
    let stored = Stored {
        page: page_path(page).to_owned(),
        flash: Flash { error, fields: keep.iter().map(|(n, v)| ((*n).to_owned(), (*v).to_owned())).collect() },
    };
    let left = leptos::prelude::use_context::<axum::http::request::Parts>()
        .and_then(|parts| parts.extensions.get::<LeftFlash>().cloned());
    let Some(left) = left else {
        tracing::warn!(page = stored.page, "no flash slot on this request; the message is dropped");
        return;
    };
    if let Ok(mut slot) = left.0.lock() {
        *slot = Some(stored);
    };
}

/// The layer (inside the session layer) that gives server functions a slot for a flash and
/// writes what they leave there to the session.
pub async fn keep_left_flash(mut request: Request, next: Next) -> Response {
    if !request.uri().path().starts_with("/api/") {
        return next.run(request).await;
    }
    let left = LeftFlash::default();
    request.extensions_mut().insert(left.clone());
    let session = request.extensions().get::<Session>().cloned();
    let response = next.run(request).await;
    let stored = left.0.lock().ok().and_then(|mut slot| slot.take());
    if let (Some(stored), Some(session)) = (stored, session) {
        if let Err(e) = session.insert(KEY, stored).await {
            tracing::warn!(%e, "could not keep the flash in the session");
        }
    }
    response
}

/// The flash left for `page`, removed from the session as it is read; a flash for another page
/// stays for that page.
pub async fn take(page: &str) -> Result<Option<Flash>, AppError> {
    let session = crate::ssr::auth::session().await?;
    let stored = match session.get::<Stored>(KEY).await {
        Ok(stored) => stored,
        Err(e) => {
            // Unreadable (say, from an older shape): drop it rather than fail the page.
            tracing::warn!(%e, "dropping an unreadable flash");
            session.remove_value(KEY).await.map_err(store_error)?;
            None
        }
    };
    let Some(stored) = stored.filter(|s| s.page == page_path(page)) else {
        return Ok(None);
    };
    session.remove_value(KEY).await.map_err(store_error)?;
    // A session that held only the flash goes, with its cookie.
    if session.is_empty().await {
        session.flush().await.map_err(store_error)?;
    }
    Ok(Some(stored.flash))
}

fn store_error(e: tower_sessions::session::Error) -> AppError {
    tracing::error!(%e, "session store failed");
    AppError::Unavailable
}

#[cfg(test)]
mod tests {
    use super::page_path;

    #[test]
    fn a_flash_is_matched_on_the_path_alone() {
        assert_eq!(page_path("/conversations/4?before=9#reply"), "/conversations/4");
        assert_eq!(page_path("/authors/x#collaboration"), "/authors/x");
        assert_eq!(page_path("/login"), "/login");
    }
}
