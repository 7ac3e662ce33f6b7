//! The API's endpoints: records, works, topics and institutions by id or slug, and keyset pages
//! of works (with the search page's filters) and of records. Each reads through the request's
//! read route (a replica may answer) and answers through `respond`.

use super::respond::{self, decode_cursor, encode_cursor, Fields};
use super::types::{Author, AuthorDetail, AuthorList, Institution, Topic, Work, WorkDetail, WorkList};
use crate::http::state::AppState;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::request::Parts;
use axum::response::Response;
use bzpeer_core::domain::paging::{CountCursor, DateCursor};
use bzpeer_core::domain::search::WorkFilters;
use bzpeer_core::error::AppError;
use bzpeer_core::model::subjects::SubjectKind;
use db::views::api::{self as lists, SlugTable, WorksFrom};
use serde::Deserialize;
use sqlx::pool::PoolConnection;
use sqlx::Postgres;
use utoipa::IntoParams;

/// Results per page unless `per_page` says otherwise, and the most it may say.
pub const PER_PAGE: i64 = 25;
pub const MAX_PER_PAGE: i64 = 100;

async fn connection(state: &AppState, parts: &Parts) -> Result<PoolConnection<Postgres>, AppError> {
    Ok(crate::http::replicas::read_pool(state, &parts.extensions).await.acquire().await?)
}

/// What every item endpoint shares: its query read and its `fields` parsed, a connection on the
/// request's read route, then `read`'s answer as JSON (or 304), a 404 naming `what`, or the error.
async fn item<T: serde::Serialize>(
    state: &AppState,
    parts: &Parts,
    query: Result<Query<ItemQuery>, QueryRejection>,
    what: &str,
    read: impl AsyncFnOnce(&mut sqlx::PgConnection) -> Result<Option<T>, AppError>,
) -> Response {
    let found = async {
        let Query(query) = query.map_err(|e| AppError::invalid("query", e.body_text()))?;
        let fields = Fields::parse(query.fields.as_deref())?;
        let mut conn = connection(state, parts).await?;
        Ok::<_, AppError>(read(&mut conn).await?.map(|value| (value, fields)))
    }
    .await;
    match found {
        Ok(Some((value, fields))) => respond::json(&value, &fields, &parts.headers),
        Ok(None) => respond::not_found(what),
        Err(e) => respond::app_error(e),
    }
}

/// A list's answer: JSON (or 304), or the error.
fn list<T: serde::Serialize>(found: Result<(T, Fields), AppError>, parts: &Parts) -> Response {
    match found {
        Ok((value, fields)) => respond::json(&value, &fields, &parts.headers),
        Err(e) => respond::app_error(e),
    }
}

/// `42` is an id; anything else a slug.
fn as_id(id_or_slug: &str) -> Option<i64> {
    (!id_or_slug.is_empty() && id_or_slug.len() <= 18 && id_or_slug.bytes().all(|b| b.is_ascii_digit()))
        .then(|| id_or_slug.parse().ok())
        .flatten()
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct ItemQuery {
    /// Comma-separated top-level fields to keep (`id,name`).
    pub fields: Option<String>,
}

async fn slug_for(
    conn: &mut sqlx::PgConnection,
    table: SlugTable,
    id_or_slug: &str,
) -> Result<Option<String>, AppError> {
    match as_id(id_or_slug) {
        Some(id) => lists::slug_of(conn, table, id).await,
        None => Ok(bzpeer_core::domain::slug::Slug::parse(id_or_slug).ok().map(|s| s.into_string())),
    }
}

/// A researcher's record.
#[utoipa::path(get, path = "/api/v1/authors/{id_or_slug}", tag = "authors",
    params(("id_or_slug" = String, Path, description = "The record's id or slug"), ItemQuery),
    responses((status = 200, body = AuthorDetail), (status = 304), (status = 400, body = super::types::ApiError),
               (status = 404, body = super::types::ApiError), (status = 429, body = super::types::ApiError)))]
pub async fn author(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
    query: Result<Query<ItemQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let site = state.site_url.clone();
    item(&state, &parts, query, "this researcher", async |conn| {
        let Some(slug) = slug_for(conn, SlugTable::Authors, &id_or_slug).await? else {
            return Ok(None);
        };
        Ok(db::views::profiles::rows::author(conn, &slug).await?.map(|r| AuthorDetail::of(&r, &site)))
    })
    .await
}

/// A work with its abstract, authors and topics.
#[utoipa::path(get, path = "/api/v1/works/{id_or_slug}", tag = "works",
    params(("id_or_slug" = String, Path, description = "The work's id or slug"), ItemQuery),
    responses((status = 200, body = WorkDetail), (status = 304), (status = 400, body = super::types::ApiError),
               (status = 404, body = super::types::ApiError), (status = 429, body = super::types::ApiError)))]
pub async fn work(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
    query: Result<Query<ItemQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let site = state.site_url.clone();
    item(&state, &parts, query, "this work", async |conn| {
        let Some(slug) = slug_for(conn, SlugTable::Works, &id_or_slug).await? else {
            return Ok(None);
        };
        Ok(db::views::works::record(conn, &slug).await?.map(|w| WorkDetail::of(&w, &site)))
    })
    .await
}

/// A topic, with its place in the hierarchy and related topics.
#[utoipa::path(get, path = "/api/v1/topics/{id_or_slug}", tag = "topics",
    params(("id_or_slug" = String, Path, description = "The topic's id or slug (`machine-learning-12`)"), ItemQuery),
    responses((status = 200, body = Topic), (status = 304), (status = 400, body = super::types::ApiError),
               (status = 404, body = super::types::ApiError), (status = 429, body = super::types::ApiError)))]
pub async fn topic(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
    query: Result<Query<ItemQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let site = state.site_url.clone();
    item(&state, &parts, query, "this topic", async |conn| {
        let Some(id) = bzpeer_core::domain::slug::subject_id(&id_or_slug) else {
            return Ok(None);
        };
        Ok(db::views::subjects::about(conn, SubjectKind::Topic, id).await?.map(|a| Topic::of(&a, &site)))
    })
    .await
}

/// An institution.
#[utoipa::path(get, path = "/api/v1/institutions/{id_or_slug}", tag = "institutions",
    params(("id_or_slug" = String, Path, description = "The institution's id or slug"), ItemQuery),
    responses((status = 200, body = Institution), (status = 304), (status = 400, body = super::types::ApiError),
               (status = 404, body = super::types::ApiError), (status = 429, body = super::types::ApiError)))]
pub async fn institution(
    State(state): State<AppState>,
    Path(id_or_slug): Path<String>,
    query: Result<Query<ItemQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let site = state.site_url.clone();
    item(&state, &parts, query, "this institution", async |conn| {
        let Some(id) = bzpeer_core::domain::slug::subject_id(&id_or_slug) else {
            return Ok(None);
        };
        Ok(db::views::subjects::about(conn, SubjectKind::Institution, id).await?.map(|a| Institution::of(&a, &site)))
    })
    .await
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct WorksQuery {
    /// Words of a title or abstract (all works when absent).
    pub q: Option<String>,
    /// First year.
    pub from: Option<String>,
    /// Last year.
    pub to: Option<String>,
    /// Work type (`article`, `preprint`, ...).
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub work_type: Option<String>,
    /// `1`: open access only.
    pub oa: Option<String>,
    /// A topic's id or slug.
    pub topic: Option<String>,
    /// `id` (ascending, the default), `newest` or `cited`.
    pub sort: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100 (25 unless given).
    pub per_page: Option<String>,
    /// Comma-separated fields of each result to keep.
    pub fields: Option<String>,
}

fn per_page(raw: Option<&str>) -> Result<i64, AppError> {
    match raw.map(str::trim).filter(|r| !r.is_empty()) {
        None => Ok(PER_PAGE),
        Some(raw) => raw
            .parse::<i64>()
            .ok()
            .filter(|n| (1..=MAX_PER_PAGE).contains(n))
            .ok_or_else(|| AppError::invalid("per_page", format!("from 1 to {MAX_PER_PAGE}"))),
    }
}

/// Works matching the search page's filters, a keyset page at a time.
#[utoipa::path(get, path = "/api/v1/works", tag = "works", params(WorksQuery),
    responses((status = 200, body = WorkList), (status = 304), (status = 400, body = super::types::ApiError),
               (status = 429, body = super::types::ApiError)))]
pub async fn works(
    State(state): State<AppState>,
    query: Result<Query<WorksQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let found = async {
        let Query(query) = query.map_err(|e| AppError::invalid("query", e.body_text()))?;
        let fields = Fields::parse(query.fields.as_deref())?;
        let limit = per_page(query.per_page.as_deref())?;
        // The search page's filters, checked the same way.
        let filters = WorkFilters::parse(&query.from, &query.to, &query.work_type, &query.oa, &query.topic)?;
        let text = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => Some(bzpeer_core::domain::search::SearchQuery::parse(q)?),
            None => None,
        };
        let order = query.sort.as_deref().filter(|s| !s.is_empty()).unwrap_or("id");
        let position =
            query.cursor.as_deref().filter(|c| !c.is_empty()).map(|c| decode_cursor(c, order)).transpose()?;
        let bad = |_| AppError::invalid("cursor", "not a cursor this list gave (start again without one)");
        let from = match order {
            "id" => WorksFrom::Id(position.map(|p| p.parse::<i64>().map_err(|_| bad(String::new()))).transpose()?),
            "newest" => WorksFrom::Newest(position.map(|p| DateCursor::parse(&p)).transpose().map_err(bad)?),
            "cited" => WorksFrom::MostCited(position.map(|p| CountCursor::parse(&p)).transpose().map_err(bad)?),
            _ => return Err(AppError::invalid("sort", "sort by id, newest or cited")),
        };
        let mut conn = connection(&state, &parts).await?;
        let mut rows = lists::works(&mut conn, text.as_ref().map(|t| t.as_str()), &filters, from, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = more.then(|| rows.last()).flatten().map(|r| {
            let position = match from {
                WorksFrom::Id(_) => r.id.to_string(),
                WorksFrom::Newest(_) => DateCursor { date: r.sort_date, id: r.id }.to_string(),
                WorksFrom::MostCited(_) => CountCursor { count: i64::from(r.cited_by), id: r.id }.to_string(),
            };
            encode_cursor(order, &position)
        });
        let site = &state.site_url;
        let results = rows.into_iter().map(|r| Work::listed(r, site)).collect();
        Ok::<_, AppError>((WorkList { results, next_cursor }, fields))
    }
    .await;
    list(found, &parts)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
pub struct AuthorsQuery {
    /// A name (all records when absent).
    pub q: Option<String>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// 1 to 100 (25 unless given).
    pub per_page: Option<String>,
    /// Comma-separated fields of each result to keep.
    pub fields: Option<String>,
}

/// Records whose name matches, by ascending id, a keyset page at a time.
#[utoipa::path(get, path = "/api/v1/authors", tag = "authors", params(AuthorsQuery),
    responses((status = 200, body = AuthorList), (status = 304), (status = 400, body = super::types::ApiError),
               (status = 429, body = super::types::ApiError)))]
pub async fn authors(
    State(state): State<AppState>,
    query: Result<Query<AuthorsQuery>, QueryRejection>,
    parts: Parts,
) -> Response {
    let found = async {
        let Query(query) = query.map_err(|e| AppError::invalid("query", e.body_text()))?;
        let fields = Fields::parse(query.fields.as_deref())?;
        let limit = per_page(query.per_page.as_deref())?;
        let text = match query.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            Some(q) => Some(bzpeer_core::domain::search::SearchQuery::parse(q)?),
            None => None,
        };
        let after =
            match query.cursor.as_deref().filter(|c| !c.is_empty()) {
                Some(c) => Some(decode_cursor(c, "id")?.parse::<i64>().map_err(|_| {
                    AppError::invalid("cursor", "not a cursor this list gave (start again without one)")
                })?),
                None => None,
            };
        let mut conn = connection(&state, &parts).await?;
        let mut rows = lists::authors(&mut conn, text.as_ref().map(|t| t.as_str()), after, limit + 1).await?;
        let more = rows.len() as i64 > limit;
        rows.truncate(limit as usize);
        let next_cursor = more.then(|| rows.last()).flatten().map(|r| encode_cursor("id", &r.id.to_string()));
        let site = &state.site_url;
        let results = rows.into_iter().map(|r| Author::listed(r, site)).collect();
        Ok::<_, AppError>((AuthorList { results, next_cursor }, fields))
    }
    .await;
    list(found, &parts)
}
