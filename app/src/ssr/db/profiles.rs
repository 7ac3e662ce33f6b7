//! Reads behind the researcher profile: the record, its works page, closest co-authors, main
//! topic, linked records and the viewer's follow and invitation standing, each an indexed query
//! on one connection, never one per row; then the research graph slice (`graph`), which carries
//! the neighbours the page lists.

use super::map_sqlx;
use crate::api::profiles::{
    ClaimRelation, LinkedRecord, PersonLink, Profile, ProfileCounts, WorkPage, WorkSummary, CLOSE_COLLABORATORS,
    WORKS_PER_PAGE,
};
use crate::domain::bio::{generated_bio, RecordFacts};
use crate::domain::graph::{NodeKey, GRAPH_SEED};
use crate::domain::paging::DateCursor;
use crate::domain::trust::{assess, ClaimState, TrustInputs};
use crate::error::AppError;
use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection, PgPool};
use std::collections::HashMap;

#[derive(Debug, FromRow)]
struct AuthorRow {
    id: i64,
    slug: String,
    display_name: String,
    bio: Option<String>,
    source: String,
    orcid: Option<String>,
    openalex_id: Option<String>,
    open_to_collaborate: bool,
    follower_count: i32,
    works_count: i64,
    topics_count: i64,
    first_year: Option<i32>,
    last_year: Option<i32>,
    affiliation: Option<String>,
    claim_state: String,
    claimed_by: Option<i64>,
    homepage_url: Option<String>,
}

async fn author(db: &mut PgConnection, slug: &str) -> Result<Option<AuthorRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.id, a.slug, a.display_name, a.bio, a.source, a.orcid, a.openalex_id,
                a.open_to_collaborate, a.follower_count, a.claim_state, a.claimed_by, a.homepage_url,
                w.works_count, w.first_year, w.last_year,
                (SELECT count(*) FROM (
                    SELECT wt.topic_id FROM authorships s JOIN work_topics wt ON wt.work_id = s.work_id
                    WHERE s.author_id = a.id
                    UNION
                    SELECT topic_id FROM author_topics WHERE author_id = a.id) t) AS topics_count,
                coalesce(owner_aff.display_name, a.affiliation_text, aff.display_name) AS affiliation
         FROM authors a
         LEFT JOIN institutions owner_aff ON owner_aff.id = a.affiliation_institution_id
         CROSS JOIN LATERAL (
             SELECT count(DISTINCT s.work_id) AS works_count, min(w.year) AS first_year, max(w.year) AS last_year
             FROM authorships s JOIN works w ON w.id = s.work_id
             WHERE s.author_id = a.id
               AND NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = a.id AND h.work_id = s.work_id)) w
         LEFT JOIN LATERAL (
             SELECT display_name FROM (
                 SELECT i.display_name, 0 AS rank, f.last_known, f.last_year AS year
                 FROM affiliations f JOIN institutions i ON i.id = f.institution_id WHERE f.author_id = a.id
                 UNION ALL
                 SELECT i.display_name, 1, false, w.year
                 FROM authorships s
                 JOIN authorship_institutions ai ON ai.work_id = s.work_id AND ai.position = s.position
                 JOIN institutions i ON i.id = ai.institution_id
                 JOIN works w ON w.id = s.work_id
                 WHERE s.author_id = a.id) candidates
             ORDER BY rank, last_known DESC, year DESC NULLS LAST, display_name
             LIMIT 1) aff ON true
         WHERE a.slug = $1",
    )
    .bind(slug)
    .fetch_optional(&mut *db)
    .await
}

#[derive(Debug, FromRow)]
struct WorkRow {
    id: i64,
    slug: String,
    title: String,
    #[sqlx(rename = "abstract")]
    abstract_text: Option<String>,
    work_type: String,
    year: Option<i32>,
    venue: Option<String>,
    sort_date: NaiveDate,
}

impl From<WorkRow> for WorkSummary {
    fn from(row: WorkRow) -> Self {
        WorkSummary {
            slug: row.slug,
            title: row.title,
            abstract_text: row.abstract_text,
            work_type: row.work_type,
            year: row.year,
            venue: row.venue,
        }
    }
}

/// One newest-first page of an author's works: one row more than a page tells whether there is
/// a next page.
async fn works_page(db: &mut PgConnection, author_id: i64, after: Option<DateCursor>) -> Result<WorkPage, sqlx::Error> {
    let mut rows: Vec<WorkRow> = sqlx::query_as(
        "SELECT w.id, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue, w.sort_date
         FROM works w
         WHERE w.id IN (SELECT work_id FROM authorships WHERE author_id = $1)
           AND NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = $1 AND h.work_id = w.id)
           AND ($2::date IS NULL OR (w.sort_date, w.id) < ($2, $3))
         ORDER BY w.sort_date DESC, w.id DESC
         LIMIT $4",
    )
    .bind(author_id)
    .bind(after.map(|c| c.date))
    .bind(after.map_or(0, |c| c.id))
    .bind(WORKS_PER_PAGE + 1)
    .fetch_all(&mut *db)
    .await?;
    let has_more = rows.len() as i64 > WORKS_PER_PAGE;
    rows.truncate(WORKS_PER_PAGE as usize);
    let next = has_more.then(|| rows.last().map(|r| DateCursor { date: r.sort_date, id: r.id }.to_string())).flatten();
    Ok(WorkPage { items: rows.into_iter().map(WorkSummary::from).collect(), next, is_first: after.is_none() })
}

#[derive(Debug, FromRow)]
struct CoauthorRow {
    slug: String,
    display_name: String,
    shared_works: i64,
    total: i64,
}

/// Co-authors ranked by shared works, then the most recent shared work, then name.
async fn coauthors(db: &mut PgConnection, author_id: i64) -> Result<Vec<CoauthorRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT a.slug, a.display_name, count(DISTINCT mine.work_id) AS shared_works,
                count(*) OVER () AS total
         FROM authorships mine
         JOIN authorships theirs ON theirs.work_id = mine.work_id AND theirs.author_id <> mine.author_id
         JOIN authors a ON a.id = theirs.author_id
         JOIN works w ON w.id = mine.work_id
         WHERE mine.author_id = $1
           AND NOT EXISTS (SELECT 1 FROM hidden_works h WHERE h.author_id = $1 AND h.work_id = mine.work_id)
         GROUP BY a.id
         ORDER BY shared_works DESC, max(w.sort_date) DESC, a.display_name
         LIMIT $2",
    )
    .bind(author_id)
    .bind(CLOSE_COLLABORATORS as i64)
    .fetch_all(&mut *db)
    .await
}

/// The topic most of the researcher's works are about (for the generated bio).
async fn main_topic(db: &mut PgConnection, author_id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT t.display_name
         FROM (
             SELECT wt.topic_id, count(*) AS works
             FROM authorships s JOIN work_topics wt ON wt.work_id = s.work_id
             WHERE s.author_id = $1 GROUP BY wt.topic_id
             UNION ALL
             SELECT topic_id, coalesce(work_count, 0)::bigint FROM author_topics WHERE author_id = $1) c
         JOIN topics t ON t.id = c.topic_id
         GROUP BY t.id
         ORDER BY max(c.works) DESC, t.display_name
         LIMIT 1",
    )
    .bind(author_id)
    .fetch_optional(&mut *db)
    .await
}

#[derive(Debug, FromRow)]
struct LinkedRow {
    slug: String,
    display_name: String,
    source: String,
}

/// Other records of the same person: the one this record links to, and those linking to it.
async fn linked_records(db: &mut PgConnection, author_id: i64) -> Result<Vec<LinkedRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT o.slug, o.display_name, o.source FROM authors me JOIN authors o ON o.id = me.same_as_id
         WHERE me.id = $1
         UNION
         SELECT slug, display_name, source FROM authors WHERE same_as_id = $1
         ORDER BY 1 LIMIT 10",
    )
    .bind(author_id)
    .fetch_all(&mut *db)
    .await
}

pub async fn profile(
    pool: &PgPool,
    slug: &str,
    after: Option<DateCursor>,
    viewer: Option<i64>,
) -> Result<Profile, AppError> {
    // One connection, queries in turn: a profile view never holds more than one connection.
    let mut conn = pool.acquire().await.map_err(map_sqlx)?;
    let db = &mut *conn;
    let row =
        author(db, slug).await.map_err(map_sqlx)?.ok_or_else(|| AppError::NotFound("this researcher".to_owned()))?;
    let works = works_page(db, row.id, after).await.map_err(map_sqlx)?;
    let coauthors = coauthors(db, row.id).await.map_err(map_sqlx)?;
    let main_topic = main_topic(db, row.id).await.map_err(map_sqlx)?;
    let linked = linked_records(db, row.id).await.map_err(map_sqlx)?;
    let viewer_follows = match viewer {
        Some(user_id) => Some(super::follows::is_following(&mut *db, user_id, row.id).await.map_err(map_sqlx)?),
        None => None,
    };

    let mut graph = super::graph::slice(db, &NodeKey::Author(row.slug.clone()), &[], super::graph::INLINE_REACH)
        .await?
        .unwrap_or_default();
    graph.lay_out(GRAPH_SEED, &HashMap::new());

    let distinct_coauthors = coauthors.first().map_or(0, |c| c.total);
    let close_collaborators: Vec<PersonLink> = coauthors
        .into_iter()
        .map(|c| PersonLink { slug: c.slug, name: c.display_name, shared_works: c.shared_works })
        .collect();
    let bio = row.bio.clone().filter(|b| !b.is_empty()).unwrap_or_else(|| {
        generated_bio(&RecordFacts {
            name: &row.display_name,
            source: &row.source,
            works: row.works_count,
            first_year: row.first_year,
            last_year: row.last_year,
            main_topic: main_topic.as_deref(),
        })
    });
    let claim = ClaimState::from_db(&row.claim_state);
    let trust = assess(&TrustInputs {
        works: u32::try_from(row.works_count).unwrap_or(u32::MAX),
        followers: u32::try_from(row.follower_count).unwrap_or(0),
        claim,
    });
    let relation = ClaimRelation::of(viewer, row.claimed_by, claim);
    Ok(Profile {
        counts: ProfileCounts {
            works: row.works_count,
            followers: i64::from(row.follower_count),
            topics: row.topics_count,
            close_collaborators: distinct_coauthors.min(CLOSE_COLLABORATORS as i64),
        },
        slug: row.slug,
        name: row.display_name,
        bio,
        source: row.source,
        orcid: row.orcid,
        openalex_id: row.openalex_id,
        affiliation: row.affiliation,
        open_to_collaborate: row.open_to_collaborate,
        trust,
        close_collaborators,
        linked_records: linked
            .into_iter()
            .map(|l| LinkedRecord { slug: l.slug, name: l.display_name, source: l.source })
            .collect(),
        works,
        viewer_follows,
        viewer_invitation: None,
        relation,
        homepage_url: row.homepage_url,
        own_bio: row.bio,
        graph,
    })
}
