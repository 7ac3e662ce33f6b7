//! The researcher profile: one server function that returns everything the page shows.

use crate::domain::trust::TrustAssessment;
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Works listed per page of a profile.
pub const WORKS_PER_PAGE: i64 = 20;
/// How many co-authors count as close collaborators.
pub const CLOSE_COLLABORATORS: usize = 4;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PersonLink {
    pub slug: String,
    pub name: String,
    /// Works shared with the profile's researcher.
    pub shared_works: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkedRecord {
    pub slug: String,
    pub name: String,
    pub source: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkSummary {
    pub slug: String,
    pub title: String,
    pub abstract_text: Option<String>,
    pub work_type: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
}

/// One page of a newest-first list, with the cursor of the next page when there is one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkPage {
    pub items: Vec<WorkSummary>,
    pub next: Option<String>,
    pub is_first: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProfileCounts {
    pub works: i64,
    pub followers: i64,
    pub topics: i64,
    pub close_collaborators: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Profile {
    pub slug: String,
    pub name: String,
    pub bio: String,
    pub source: String,
    pub orcid: Option<String>,
    pub openalex_id: Option<String>,
    pub affiliation: Option<String>,
    pub open_to_collaborate: bool,
    pub trust: TrustAssessment,
    pub counts: ProfileCounts,
    pub close_collaborators: Vec<PersonLink>,
    pub linked_records: Vec<LinkedRecord>,
    pub works: WorkPage,
    /// `None` when nobody is logged in; otherwise whether the viewer follows this researcher.
    pub viewer_follows: Option<bool>,
    /// For a logged-in visitor: where they stand with inviting this researcher.
    pub viewer_invitation: Option<crate::api::invitations::Standing>,
    pub relation: ClaimRelation,
    pub homepage_url: Option<String>,
    /// The bio the owner wrote, if any (`bio` falls back to one generated from the data).
    pub own_bio: Option<String>,
    /// The research graph around the researcher, laid out (the inline graph's first paint).
    pub graph: crate::domain::graph::GraphSlice,
}

/// Where the viewer stands with the record's claim, for the "Identity and collaboration" block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimRelation {
    LoggedOut,
    Claimable,
    PendingYours,
    PendingOther,
    Yours,
    ClaimedByOther,
}

impl ClaimRelation {
    pub fn of(viewer: Option<i64>, holder: Option<i64>, claim: crate::domain::trust::ClaimState) -> Self {
        use crate::domain::trust::ClaimState;
        match (viewer, claim) {
            (None, _) => Self::LoggedOut,
            (Some(_), ClaimState::Unclaimed) => Self::Claimable,
            (Some(v), ClaimState::Pending) if holder == Some(v) => Self::PendingYours,
            (Some(_), ClaimState::Pending) => Self::PendingOther,
            (Some(v), _) if holder == Some(v) => Self::Yours,
            (Some(_), _) => Self::ClaimedByOther,
        }
    }
}

/// The profile at `/authors/<slug>`; `after` is the works cursor of the page to show.
#[server(prefix = "/api", endpoint = "get_profile")]
pub async fn get_profile(slug: String, after: Option<String>) -> Result<Profile, AppError> {
    use crate::domain::paging::DateCursor;
    async {
        let slug = super::record_slug(&slug, "this researcher")?;
        let slug = slug.as_str();
        let after = match after.as_deref().filter(|a| !a.is_empty()) {
            Some(raw) => Some(DateCursor::parse(raw).map_err(|reason| AppError::invalid("after", reason))?),
            None => None,
        };
        let viewer = crate::ssr::auth::current_user().await?.map(|u| u.id);
        let pool = crate::ssr::pool()?;
        let mut profile = crate::ssr::db::profiles::profile(&pool, slug, after, viewer).await?;
        if let Some(viewer) = viewer {
            profile.viewer_invitation = Some(crate::api::invitations::standing(&pool, slug, viewer).await?);
        }
        Ok(profile)
    }
    .await
}
