//! Following researchers: follow and unfollow (idempotent, counted in the same transaction) and
//! the following page with its feed.

use crate::api::profiles::WorkSummary;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

pub const FEED_PAGE: i64 = 20;
pub const FOLLOWED_SHOWN: i64 = 100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowState {
    pub following: bool,
    pub followers: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowedResearcher {
    pub slug: String,
    pub name: String,
    pub followers: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedItem {
    pub work: WorkSummary,
    pub followed_authors: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FollowingPage {
    pub researchers: Vec<FollowedResearcher>,
    pub more_researchers: bool,
    pub feed: Vec<FeedItem>,
    pub next: Option<String>,
    pub is_first: bool,
}

#[cfg(feature = "ssr")]
async fn change_follow(slug: String, follow: bool) -> Result<FollowState, AppError> {
    use db::writes::follows;
    let profile = format!("/authors/{slug}");
    let change = async {
        let user = crate::ssr::auth::require_user().await?;
        let slug = crate::api::record_slug(&slug, "this researcher")?;
        let pool = crate::ssr::pool()?;
        let author_id = follows::author_id_by_slug(&pool, slug.as_str())
            .await?
            .ok_or_else(|| AppError::NotFound("this researcher".into()))?;
        let mut conn = pool.acquire().await?;
        let followers = follows::set_following(&mut conn, user.id, author_id, follow).await?;
        Ok(FollowState { following: follow, followers: i64::from(followers) })
    };
    crate::ssr::forms::Form::on(&profile).answer(&profile, change).await
}

#[server(prefix = "/api", endpoint = "follow_researcher")]
pub async fn follow_researcher(slug: String) -> Result<FollowState, AppError> {
    change_follow(slug, true).await
}

#[server(prefix = "/api", endpoint = "unfollow_researcher")]
pub async fn unfollow_researcher(slug: String) -> Result<FollowState, AppError> {
    change_follow(slug, false).await
}

/// The researchers the viewer follows and, newest first, their works; `after` pages the feed.
#[server(prefix = "/api", endpoint = "following")]
pub async fn following(after: Option<String>) -> Result<FollowingPage, AppError> {
    use crate::domain::paging::DateCursor;
    use db::writes::follows;
    let after = match after.as_deref().filter(|a| !a.is_empty()) {
        Some(raw) => Some(DateCursor::parse(raw).map_err(|r| AppError::invalid("after", r))?),
        None => None,
    };
    let user = crate::ssr::auth::require_user().await?;
    let pool = crate::ssr::pool()?;
    let mut researchers = follows::followed(&pool, user.id, None, FOLLOWED_SHOWN + 1).await?;
    let mut feed = follows::feed(&pool, user.id, after.map(|c| (c.date, c.id)), FEED_PAGE + 1).await?;
    let more_researchers = researchers.len() as i64 > FOLLOWED_SHOWN;
    researchers.truncate(FOLLOWED_SHOWN as usize);
    let has_next = feed.len() as i64 > FEED_PAGE;
    feed.truncate(FEED_PAGE as usize);
    let next = has_next.then(|| feed.last().map(|r| DateCursor { date: r.sort_date, id: r.id }.to_string())).flatten();
    Ok(FollowingPage {
        researchers: researchers
            .into_iter()
            .map(|r| FollowedResearcher { slug: r.slug, name: r.display_name, followers: i64::from(r.follower_count) })
            .collect(),
        more_researchers,
        feed: feed.into_iter().map(|r| FeedItem { work: r.work, followed_authors: r.followed_authors }).collect(),
        next,
        is_first: after.is_none(),
    })
}
