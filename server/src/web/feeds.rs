//! Atom feeds of new works: `/authors/<slug>/feed.atom` (a record's works),
//! `/topics/<slug>/feed.atom` (a topic's), newest first, read like pages (a replica may answer);
//! and `/feeds/<secret>.atom`, a person's private feed of the researchers they follow.

use crate::http::state::AppState;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use bzpeer_core::domain::paging::DateCursor;
use bzpeer_core::error::AppError;
use bzpeer_core::model::subjects::{SubjectKind, SubjectLink};
use chrono::{DateTime, NaiveDate, Utc};
use formats::atom::{self, Entry, Feed};

/// Entries per feed.
pub const ENTRIES: i64 = 20;
/// Abstracts are cut to this many characters in a feed.
const SUMMARY_CHARS: usize = 1_000;

/// A work as a feed entry needs it.
pub struct FeedWork {
    pub slug: String,
    pub title: String,
    pub abstract_text: Option<String>,
    pub date: NaiveDate,
    pub authors: Vec<String>,
}

fn day(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// The feed of `works` (newest first) for the page at `path`.
pub fn feed(site: &str, path: &str, title: String, subtitle: String, works: Vec<FeedWork>) -> Feed {
    let updated = works.first().map_or(DateTime::<Utc>::UNIX_EPOCH, |w| day(w.date));
    Feed {
        id: format!("{site}{path}"),
        title,
        subtitle: Some(subtitle),
        self_url: format!("{site}{path}/feed.atom"),
        alternate_url: format!("{site}{path}"),
        updated,
        entries: works
            .into_iter()
            .map(|w| Entry {
                id: format!("{site}/works/{}", w.slug),
                url: format!("{site}/works/{}", w.slug),
                title: w.title,
                updated: day(w.date),
                published: Some(day(w.date)),
                authors: w.authors,
                summary: w.abstract_text.map(|a| a.chars().take(SUMMARY_CHARS).collect()),
                categories: Vec::new(),
            })
            .collect(),
    }
}

fn answer(found: Result<Option<Feed>, AppError>, parts: &Parts) -> Response {
    match found {
        Ok(Some(feed)) => (
            [(header::CONTENT_TYPE, atom::CONTENT_TYPE), (header::CACHE_CONTROL, "public, max-age=600")],
            atom::render(&feed),
        )
            .into_response(),
        Ok(None) => crate::http::security::refusal(
            StatusCode::NOT_FOUND,
            "Not found",
            &AppError::NotFound("this feed".to_owned()),
            &parts.headers,
        ),
        Err(e) => {
            let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            crate::http::security::refusal(status, "This feed cannot be made now", &e, &parts.headers)
        }
    }
}

pub async fn record(State(state): State<AppState>, Path(slug): Path<String>, parts: Parts) -> Response {
    let pool = crate::http::replicas::read_pool(&state, &parts.extensions).await;
    let found = async {
        let Ok(slug) = bzpeer_core::domain::slug::Slug::parse(&slug) else {
            return Ok(None);
        };
        let mut conn = pool.acquire().await?;
        let Some(author) = db::views::profiles::rows::author(&mut conn, slug.as_str()).await? else {
            return Ok(None);
        };
        let rows = db::views::profiles::rows::works_after(&mut conn, author.id, None::<DateCursor>, ENTRIES).await?;
        let works = rows
            .into_iter()
            .map(|r| FeedWork {
                slug: r.work.slug,
                title: r.work.title,
                abstract_text: r.work.abstract_text,
                date: r.sort_date,
                authors: vec![author.display_name.clone()],
            })
            .collect();
        let path = format!("/authors/{}", author.slug);
        let subtitle = format!("New works by {} on BZPEER", author.display_name);
        Ok(Some(feed(&state.site_url, &path, author.display_name.clone(), subtitle, works)))
    }
    .await;
    answer(found, &parts)
}

pub async fn topic(State(state): State<AppState>, Path(slug): Path<String>, parts: Parts) -> Response {
    let pool = crate::http::replicas::read_pool(&state, &parts.extensions).await;
    let found = async {
        let Some(id) = bzpeer_core::domain::slug::subject_id(&slug) else {
            return Ok(None);
        };
        let mut conn = pool.acquire().await?;
        let Some(topic) = db::views::subjects::rows::subject(&mut conn, SubjectKind::Topic, id).await? else {
            return Ok(None);
        };
        let rows = db::views::subjects::rows::newest_works(&mut conn, SubjectKind::Topic, id, None, ENTRIES).await?;
        let works = rows
            .into_iter()
            .map(|r| FeedWork {
                slug: r.work.slug,
                title: r.work.title,
                abstract_text: r.work.abstract_text,
                date: r.sort_date,
                authors: Vec::new(),
            })
            .collect();
        let path = SubjectLink::topic(id, topic.name.clone()).href;
        let subtitle = format!("New works on {} on BZPEER", topic.name);
        Ok(Some(feed(&state.site_url, &path, topic.name, subtitle, works)))
    }
    .await;
    answer(found, &parts)
}

/// A person's private feed: the works of the researchers they follow, newest first. The address's
/// secret is checked by its hash; an unknown or revoked one finds nothing (404). Never cached by
/// a shared cache, never indexed.
pub async fn private(State(state): State<AppState>, Path(file): Path<String>, parts: Parts) -> Response {
    let found = async {
        let Some(token) = file.strip_suffix(".atom").filter(|t| !t.is_empty() && t.len() <= 100) else {
            return Ok(None);
        };
        let hash = app::ssr::account_mail::token_hash(token);
        // The primary: a feed made a moment ago must open at once.
        let Some(user_id) = db::writes::alerts::feed_owner(&state.pool, &hash).await? else {
            return Ok(None);
        };
        let rows = db::writes::follows::feed(&state.pool, user_id, None, ENTRIES).await?;
        let works = rows
            .into_iter()
            .map(|r| FeedWork {
                slug: r.work.slug,
                title: r.work.title,
                abstract_text: r.work.abstract_text,
                date: r.sort_date,
                authors: r.followed_authors,
            })
            .collect();
        let mut feed = feed(
            &state.site_url,
            "/me/following",
            "Researchers you follow".to_owned(),
            "New works by the researchers you follow on BZPEER".to_owned(),
            works,
        );
        feed.id = format!("{}/feeds/private/{user_id}", state.site_url);
        feed.self_url = format!("{}/feeds/{file}", state.site_url);
        Ok(Some(feed))
    }
    .await;
    let mut response = answer(found, &parts);
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, axum::http::HeaderValue::from_static("private, no-store"));
    headers.insert("x-robots-tag", axum::http::HeaderValue::from_static("noindex"));
    response
}
