//! Content negotiation for linked data: a GET of a profile or a work page that asks for
//! `application/ld+json` gets the page's schema.org record (the JSON-LD the page embeds) instead
//! of the HTML. Both answers say they vary by `Accept`.

use crate::http::state::AppState;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use bzpeer_core::domain::paging::WorksAfter;
use bzpeer_core::error::AppError;

pub const CONTENT_TYPE: &str = "application/ld+json";

/// `(is a record, slug)` for `/authors/<slug>` and `/works/<slug>`.
fn record_page(path: &str) -> Option<(bool, &str)> {
    let (record, slug) = match path.strip_prefix("/authors/") {
        Some(slug) => (true, slug),
        None => (false, path.strip_prefix("/works/")?),
    };
    bzpeer_core::domain::slug::Slug::parse(slug).is_ok().then_some((record, slug))
}

/// Whether the client asks for JSON-LD (named in `Accept` with a quality above zero).
fn wants_linked_data(headers: &HeaderMap) -> bool {
    headers.get_all(header::ACCEPT).iter().filter_map(|v| v.to_str().ok()).any(|list| {
        list.split(',').any(|item| {
            let mut parts = item.split(';').map(str::trim);
            let media = parts.next().unwrap_or_default();
            let quality =
                parts.find_map(|p| p.strip_prefix("q=")).map_or(1.0, |q| q.trim().parse::<f32>().unwrap_or(0.0));
            media.eq_ignore_ascii_case(CONTENT_TYPE) && quality > 0.0
        })
    })
}

pub async fn negotiate(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let Some((record, slug)) = (request.method() == Method::GET).then(|| record_page(request.uri().path())).flatten()
    else {
        return next.run(request).await;
    };
    if !wants_linked_data(request.headers()) {
        let mut response = next.run(request).await;
        response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept"));
        return response;
    }
    let pool = crate::http::replicas::read_pool(&state, request.extensions()).await;
    let site = &state.site_url;
    let found = if record {
        db::views::profiles::profile(
            &pool,
            &state.pool,
            slug,
            WorksAfter::Newest(None),
            bzpeer_core::model::profile::WORKS_PER_PAGE,
            None,
        )
        .await
        .map(|p| Some(formats::markup::person_ld(&p, site)))
        .or_else(|e| if matches!(e, AppError::NotFound(_)) { Ok(None) } else { Err(e) })
    } else {
        db::views::works::work(&pool, &state.pool, slug, site)
            .await
            .map(|w| w.map(|w| formats::markup::work_markup(&w, site).0))
    };
    let mut response = match found {
        Ok(Some(value)) => ([(header::CONTENT_TYPE, CONTENT_TYPE)], value.to_string()).into_response(),
        Ok(None) => crate::web::api_v1::respond::not_found(if record { "this researcher" } else { "this work" }),
        Err(e) => crate::web::api_v1::respond::app_error(e),
    };
    response.headers_mut().append(header::VARY, HeaderValue::from_static("Accept"));
    if response.status() == StatusCode::OK {
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_profile_and_work_pages_negotiate() {
        assert_eq!(record_page("/authors/mor-1"), Some((true, "mor-1")));
        assert_eq!(record_page("/works/a-b"), Some((false, "a-b")));
        for other in ["/authors/a/claim", "/works/", "/topics/x-1", "/works/a.bib", "/"] {
            assert_eq!(record_page(other), None, "{other}");
        }
    }

    #[test]
    fn linked_data_is_chosen_only_when_asked_for() {
        let accept = |v: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(header::ACCEPT, HeaderValue::from_str(v).expect("as the test set it up"));
            wants_linked_data(&headers)
        };
        assert!(accept("application/ld+json"));
        assert!(accept("text/html;q=0.9, application/ld+json"));
        assert!(accept("application/ld+json; q=0.5"));
        assert!(!accept("application/ld+json;q=0"));
        assert!(!accept("text/html,application/xhtml+xml,*/*;q=0.8"));
        assert!(!accept("application/json"));
    }
}
