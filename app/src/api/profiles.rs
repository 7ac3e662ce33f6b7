//! The researcher profile: one server function that returns everything the page shows, assembled
//! from the rows `ssr::db::profiles` reads.

use crate::domain::trust::TrustAssessment;
use crate::error::AppError;
use leptos::prelude::*;
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

pub use crate::model::works::WorkSummary;

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
    pub viewer_invitation: Option<crate::api::invitations::Standing>,
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

/// The profile at `/authors/<slug>`; `sort` lists the works newest first (the default) or most
/// cited first (`cited`), `after` is the works cursor of the page to show, and `works=all` lists
/// them on one page (up to `ALL_WORKS_PER_PAGE`), to print.
#[server(prefix = "/api", endpoint = "get_profile")]
pub async fn get_profile(
    slug: String,
    after: Option<String>,
    sort: Option<String>,
    works: Option<String>,
) -> Result<Profile, AppError> {
    use crate::domain::paging::WorksAfter;
    let slug = super::record_slug(&slug, "this researcher")?;
    let after = WorksAfter::parse(sort.as_deref(), after.as_deref())
        .map_err(|(field, reason)| AppError::invalid(field, reason))?;
    let all_works = match works.as_deref().filter(|w| !w.is_empty()) {
        None => false,
        Some("all") => true,
        Some(_) => {
            return Err(AppError::invalid("works", "works are listed a page at a time or all on one page (works=all)"))
        }
    };
    let viewer = crate::ssr::auth::current_user().await?.map(|u| u.id);
    let pool = crate::ssr::read_pool().await?;
    let per_page = if all_works { ALL_WORKS_PER_PAGE } else { WORKS_PER_PAGE };
    let mut profile = server::profile(&pool, &crate::ssr::pool()?, slug.as_str(), after, per_page, viewer).await?;
    if let Some(viewer) = viewer {
        profile.viewer_invitation = Some(crate::api::invitations::standing(&pool, slug.as_str(), viewer).await?);
    }
    Ok(profile)
}

/// The profile's data exactly as the page reads it (the same queries on one connection, then the
/// layout), without the request context: what `bench/scale`'s bare handler serves, so its
/// comparison with the real route measures the framework, not different work.
#[cfg(feature = "ssr")]
pub use server::profile as load_profile;
#[cfg(feature = "ssr")]
pub(crate) use server::work_page;

#[cfg(feature = "ssr")]
mod server {
    use super::*;
    use crate::domain::bio::{generated_bio, RecordFacts};
    use crate::domain::graph::NodeKey;
    use crate::domain::paging::{CountCursor, DateCursor, WorksAfter};
    use crate::domain::trust::{assess, TrustInputs};
    use crate::ssr::db::profiles::{self as db, WorkRow};
    use crate::ssr::graph;

    /// The page's data: the record's rows read in turn on one connection of `pool` (a profile
    /// view never holds more than one), then its graph laid out off the async workers (a new
    /// layout kept through `primary`).
    pub async fn profile(
        pool: &sqlx::PgPool,
        primary: &sqlx::PgPool,
        slug: &str,
        after: WorksAfter,
        per_page: i64,
        viewer: Option<i64>,
    ) -> Result<Profile, AppError> {
        let mut conn = pool.acquire().await?;
        let db = &mut *conn;
        let row = db::author(db, slug).await?.ok_or_else(|| AppError::NotFound("this researcher".to_owned()))?;
        // One row more than a page tells whether there is a next page.
        let works = match after {
            WorksAfter::Newest(cursor) => {
                work_page(db::works_after(db, row.id, cursor, per_page + 1).await?, cursor.is_none(), per_page)
            }
            WorksAfter::MostCited(cursor) => {
                cited_page(db::works_by_citations(db, row.id, cursor, per_page + 1).await?, cursor.is_none(), per_page)
            }
        };
        let coauthors = db::coauthors(db, row.id, CLOSE_COLLABORATORS as i64).await?;
        let linked = db::linked_records(db, row.id).await?;
        let works_cited = db::work_years_and_citations(db, row.id).await?;
        let by_year: Vec<(i32, i32)> = row.cited_years.iter().copied().zip(row.cited_counts.iter().copied()).collect();
        let citations = record_citations(&row, &works_cited, &by_year, chrono::Datelike::year(&chrono::Utc::now()));
        let viewer_follows = match viewer {
            Some(user_id) => Some(crate::ssr::db::follows::is_following(&mut *db, user_id, row.id).await?),
            None => None,
        };
        let suggestions =
            crate::ssr::db::suggestions::for_record(&mut *db, row.id, false, crate::api::suggestions::ON_PROFILE)
                .await?;
        let slice = graph::around(db, &NodeKey::Author(row.slug.clone()), &[], graph::INLINE_REACH).await?;
        drop(conn);
        let graph = graph::laid_out(pool, primary, slice.unwrap_or_default()).await?;

        let bio = row.bio.clone().filter(|b| !b.is_empty()).unwrap_or_else(|| {
            generated_bio(&RecordFacts {
                name: &row.display_name,
                source: &row.source,
                works: row.works_count,
                first_year: row.first_year,
                last_year: row.last_year,
                main_topic: row.main_topic.as_deref(),
            })
        });
        let trust = assess(&TrustInputs {
            works: u32::try_from(row.works_count).unwrap_or(u32::MAX),
            followers: u32::try_from(row.follower_count).unwrap_or(0),
            claim: row.claim_state,
        });
        Ok(Profile {
            counts: ProfileCounts {
                works: row.works_count,
                followers: i64::from(row.follower_count),
                topics: row.topics_count,
                close_collaborators: row.coauthors_count.min(CLOSE_COLLABORATORS as i64),
            },
            relation: ClaimRelation::of(viewer, row.claimed_by, row.claim_state),
            slug: row.slug,
            name: row.display_name,
            bio,
            source: row.source,
            orcid: row.orcid,
            openalex_id: row.openalex_id,
            affiliation_href: row
                .affiliation_id
                .zip(row.affiliation.clone())
                .map(|(id, name)| crate::model::subjects::SubjectLink::institution(id, name).href),
            main_topic: row
                .main_topic_id
                .zip(row.main_topic.clone())
                .map(|(id, name)| crate::model::subjects::SubjectLink::topic(id, name)),
            affiliation: row.affiliation,
            open_to_collaborate: row.open_to_collaborate,
            trust,
            close_collaborators: coauthors
                .into_iter()
                .map(|c| PersonLink { slug: c.slug, name: c.display_name, shared_works: c.shared_works })
                .collect(),
            linked_records: linked
                .into_iter()
                .map(|l| LinkedRecord { slug: l.slug, name: l.display_name, source: l.source })
                .collect(),
            works,
            most_cited_first: matches!(after, WorksAfter::MostCited(_)),
            all_works: per_page > WORKS_PER_PAGE,
            suggestions,
            viewer_follows,
            viewer_invitation: None,
            homepage_url: row.homepage_url,
            own_bio: row.bio,
            graph,
            citations,
        })
    }

    /// The record's citation figures: computed from its works, OpenAlex's beside, by year.
    fn record_citations(
        row: &db::AuthorRow,
        works: &[(Option<i32>, Option<i32>)],
        by_year: &[(i32, i32)],
        this_year: i32,
    ) -> crate::model::citations::RecordCitations {
        use crate::model::citations::{RecordCitations, YearRow};
        let counts: Vec<i32> = works.iter().map(|(_, c)| c.unwrap_or(0)).collect();
        let computed = crate::domain::metrics::metrics(&counts);
        let recent_since = this_year - 4;
        let years_with_works = works.iter().filter_map(|(y, _)| *y);
        let first = years_with_works.clone().chain(by_year.iter().map(|(y, _)| *y)).min();
        let last = years_with_works.chain(by_year.iter().map(|(y, _)| *y)).max();
        // At most the last 60 years: a stray year on one work must not stretch the chart.
        let years = match (first, last) {
            (Some(first), Some(last)) => (first.max(last - 59)..=last)
                .map(|year| YearRow {
                    year,
                    works: works.iter().filter(|(y, _)| *y == Some(year)).count() as i64,
                    citations: (!by_year.is_empty())
                        .then(|| by_year.iter().filter(|(y, _)| *y == year).map(|(_, c)| i64::from(*c)).sum()),
                })
                .collect(),
            _ => Vec::new(),
        };
        RecordCitations {
            citations: computed.citations,
            h_index: computed.h_index,
            i10_index: computed.i10_index,
            source_citations: row.source_cited_by_count.map(i64::from),
            source_h_index: row.source_h_index.map(i64::from),
            source_i10_index: row.source_i10_index.map(i64::from),
            recent_since,
            recent_citations: (!by_year.is_empty())
                .then(|| by_year.iter().filter(|(y, _)| *y >= recent_since).map(|(_, c)| i64::from(*c)).sum()),
            years,
        }
    }

    /// A page of works, newest first, from up to one row more than a page.
    pub(crate) fn work_page(rows: Vec<WorkRow>, is_first: bool, per_page: i64) -> WorkPage {
        page_of(rows, is_first, per_page, |r| DateCursor { date: r.sort_date, id: r.id }.to_string(), |r| r.work)
    }

    /// A page of works, most cited first, from up to one row more than a page.
    fn cited_page(rows: Vec<db::CitedWorkRow>, is_first: bool, per_page: i64) -> WorkPage {
        let cursor = |r: &db::CitedWorkRow| CountCursor { count: i64::from(r.cites), id: r.id }.to_string();
        page_of(rows, is_first, per_page, cursor, |r| r.work)
    }

    /// A page from up to one row more than `per_page` (the extra row says there is a next page,
    /// whose cursor is the last shown row's).
    fn page_of<R>(
        mut rows: Vec<R>,
        is_first: bool,
        per_page: i64,
        cursor: impl Fn(&R) -> String,
        work: impl Fn(R) -> WorkSummary,
    ) -> WorkPage {
        let has_more = rows.len() as i64 > per_page;
        rows.truncate(usize::try_from(per_page).unwrap_or(usize::MAX));
        let next = if has_more { rows.last().map(&cursor) } else { None };
        WorkPage { items: rows.into_iter().map(work).collect(), next, is_first }
    }
}
