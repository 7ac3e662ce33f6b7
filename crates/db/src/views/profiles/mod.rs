//! A researcher's profile as its page reads it, in one statement (`rows::record_page`): the
//! record with its co-authors, linked records, suggestions, a page of its works, its graph's
//! rows with the layout kept for them, and the viewer's follow and standing; then the graph
//! laid out if its slice changed.

pub mod rows;

use crate::domain::bio::{generated_bio, RecordFacts};
use crate::domain::paging::{CountCursor, DateCursor, WorksAfter};
use crate::domain::trust::{assess, TrustInputs};
use crate::error::AppError;
use crate::model::profile::*;
use crate::views::graph;
use rows::{self as db, WorkRow};

/// The page's data: the record's rows in one statement through `pool`, then its graph laid out,
/// off the async workers, when its slice changed (a new layout kept through `primary`).
pub async fn profile(
    pool: &sqlx::PgPool,
    primary: &sqlx::PgPool,
    slug: &str,
    after: WorksAfter,
    per_page: i64,
    viewer: Option<i64>,
) -> Result<Profile, AppError> {
    let mut conn = pool.acquire().await?;
    let asked = db::PageAsked {
        slug,
        coauthors: CLOSE_COLLABORATORS as i64,
        suggestions: crate::model::suggestions::ON_PROFILE,
        viewer,
        works: after,
        // One row more than a page tells whether there is a next page.
        works_read: per_page + 1,
    };
    let page = db::record_page(&mut conn, asked).await?;
    drop(conn);
    let db::RecordPage { record: row, coauthors, linked, suggestions, works, graph, viewer_follows, viewer_standing } =
        page.ok_or_else(|| AppError::NotFound("this researcher".to_owned()))?;
    let is_first = match after {
        WorksAfter::Newest(cursor) => cursor.is_none(),
        WorksAfter::MostCited(cursor) => cursor.is_none(),
    };
    let works = match works {
        db::PageWorks::Newest(rows) => work_page(rows, is_first, per_page),
        db::PageWorks::MostCited(rows) => cited_page(rows, is_first, per_page),
    };
    let citations = record_citations(&row, chrono::Datelike::year(&chrono::Utc::now()));
    let graph = graph::laid_out(primary, graph.unwrap_or_default()).await?;

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
        viewer_invitation: viewer_standing,
        homepage_url: row.homepage_url,
        own_bio: row.bio,
        graph,
        citations,
    })
}

/// The record's citation figures: its own (kept with its aggregates), OpenAlex's beside, by year.
fn record_citations(row: &db::AuthorRow, this_year: i32) -> crate::model::citations::RecordCitations {
    use crate::model::citations::{RecordCitations, YearRow};
    let by_year: Vec<(i32, i32)> = row.cited_years.iter().copied().zip(row.cited_counts.iter().copied()).collect();
    let works: Vec<(i32, i32)> = row.work_years.iter().copied().zip(row.work_year_counts.iter().copied()).collect();
    let recent_since = this_year - 4;
    let years_seen = works.iter().chain(&by_year).map(|(y, _)| *y);
    let (first, last) = (years_seen.clone().min(), years_seen.max());
    // At most the last 60 years: a stray year on one work must not stretch the chart.
    let years = match (first, last) {
        (Some(first), Some(last)) => (first.max(last - 59)..=last)
            .map(|year| YearRow {
                year,
                works: works.iter().filter(|(y, _)| *y == year).map(|(_, n)| i64::from(*n)).sum(),
                citations: (!by_year.is_empty())
                    .then(|| by_year.iter().filter(|(y, _)| *y == year).map(|(_, c)| i64::from(*c)).sum()),
            })
            .collect(),
        _ => Vec::new(),
    };
    RecordCitations {
        citations: row.citations,
        h_index: i64::from(row.h_index),
        i10_index: i64::from(row.i10_index),
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
pub fn work_page(rows: Vec<WorkRow>, is_first: bool, per_page: i64) -> WorkPage {
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
