//! A researcher's profile as the page shows it and the server functions send it: the record, its
//! counts, trust and claim standing, close collaborators, a page of works, suggestions, the graph
//! around it and its citations, and the viewer's relation to it.

use crate::domain::trust::TrustAssessment;
use serde::{Deserialize, Serialize};

/// Works listed per page of a profile.
pub const WORKS_PER_PAGE: i64 = 20;
/// Works on the profile's one-page list (`?works=all`), the list a person prints: every work of
/// all but the most prolific records, and a next page after that.
pub const ALL_WORKS_PER_PAGE: i64 = 1000;
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

pub use super::works::{WorkPage, WorkSummary};

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
    /// The affiliation's institution page, when it names an institution.
    pub affiliation_href: Option<String>,
    /// The topic most of the record's works are on, with its page.
    pub main_topic: Option<crate::model::subjects::SubjectLink>,
    pub open_to_collaborate: bool,
    pub trust: TrustAssessment,
    pub counts: ProfileCounts,
    pub close_collaborators: Vec<PersonLink>,
    pub linked_records: Vec<LinkedRecord>,
    pub works: WorkPage,
    /// Whether `works` is sorted most cited first (else newest first).
    pub most_cited_first: bool,
    /// Whether `works` is the one-page list (`works=all`) rather than a page of `WORKS_PER_PAGE`.
    pub all_works: bool,
    /// The first collaborator suggestions (less those the owner dismissed).
    pub suggestions: Vec<crate::model::suggestions::SuggestionView>,
    /// `None` when nobody is logged in; otherwise whether the viewer follows this researcher.
    pub viewer_follows: Option<bool>,
    /// For a logged-in visitor: where they stand with inviting this researcher.
    pub viewer_invitation: Option<super::collaboration::Standing>,
    pub relation: ClaimRelation,
    pub homepage_url: Option<String>,
    /// The bio the owner wrote, if any (`bio` falls back to one generated from the data).
    pub own_bio: Option<String>,
    /// The research graph around the researcher, laid out (the inline graph's first paint).
    pub graph: crate::domain::graph::GraphSlice,
    pub citations: crate::model::citations::RecordCitations,
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

/// A researcher's record as every view of it reads it (the profile, the JSON API, feeds): its own
/// fields, its counts (hidden works left out) and its affiliation.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "sqlx", derive(sqlx::FromRow))]
pub struct Record {
    pub id: i64,
    pub slug: String,
    pub display_name: String,
    pub bio: Option<String>,
    pub source: String,
    pub orcid: Option<String>,
    pub openalex_id: Option<String>,
    pub open_to_collaborate: bool,
    pub follower_count: i32,
    pub works_count: i64,
    pub topics_count: i64,
    /// Distinct co-authors (the closest are read with `coauthors`).
    pub coauthors_count: i64,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub affiliation: Option<String>,
    /// The topic most of the record's works are about (for the generated bio).
    pub main_topic: Option<String>,
    pub main_topic_id: Option<i64>,
    /// The institution the affiliation names (none for one the owner typed).
    pub affiliation_id: Option<i64>,
    pub claim_state: crate::domain::trust::ClaimState,
    pub claimed_by: Option<i64>,
    pub homepage_url: Option<String>,
    pub source_cited_by_count: Option<i32>,
    pub source_h_index: Option<i32>,
    pub source_i10_index: Option<i32>,
    /// OpenAlex's citations per year for the author, oldest first (years, then counts).
    pub cited_years: Vec<i32>,
    pub cited_counts: Vec<i32>,
    /// Computed from the record's works (kept with its aggregates): citations, h- and i10-index.
    pub citations: i64,
    pub h_index: i32,
    pub i10_index: i32,
    /// The years the record has works in, oldest first, and how many works each.
    pub work_years: Vec<i32>,
    pub work_year_counts: Vec<i32>,
}

impl Record {
    /// Whether its researcher has claimed it.
    pub fn is_claimed(&self) -> bool {
        use crate::domain::trust::ClaimState;
        matches!(self.claim_state, ClaimState::Claimed | ClaimState::Confirmed)
    }
}
