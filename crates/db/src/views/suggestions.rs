//! The rows a suggestions list reads: the record asked about (and who owns it), and its ranked
//! candidates with why.

use crate::error::AppError;
use crate::model::subjects::SubjectLink;
use crate::model::suggestions::{NamedRecord, SuggestionView};
use sqlx::PgExecutor;

/// A record whose suggestions are asked for, who owns it (claimed, not pending), and what it has
/// that suggestions are drawn from.
#[derive(Debug, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub owner: Option<i64>,
    pub coauthors: i64,
    pub topics: i64,
}

const RECORD: &str = "SELECT a.id, a.slug, a.display_name AS name,
                             CASE WHEN a.claim_state IN ('claimed', 'confirmed') THEN a.claimed_by END AS owner,
                             coalesce(st.coauthors_count, 0)::bigint AS coauthors,
                             coalesce(st.topics_count, 0)::bigint AS topics
                      FROM authors a LEFT JOIN author_stats st ON st.author_id = a.id";

pub async fn record(db: impl PgExecutor<'_>, slug: &str) -> Result<Option<RecordRow>, AppError> {
    Ok(sqlx::query_as(&format!("{RECORD} WHERE a.slug = $1")).bind(slug).fetch_optional(db).await?)
}

/// The record `user` owns (claimed; a pending claim is not yet theirs).
pub async fn record_owned_by(db: impl PgExecutor<'_>, user: i64) -> Result<Option<RecordRow>, AppError> {
    Ok(sqlx::query_as(&format!("{RECORD} WHERE a.claimed_by = $1 AND a.claim_state IN ('claimed', 'confirmed')"))
        .bind(user)
        .fetch_optional(db)
        .await?)
}

#[derive(sqlx::FromRow, serde::Deserialize)]
pub(crate) struct ViewRow {
    slug: String,
    display_name: String,
    open: bool,
    hops: i16,
    via_slugs: Vec<String>,
    via_names: Vec<String>,
    topic_ids: Vec<i64>,
    topic_names: Vec<String>,
    field: Option<String>,
    affiliation: Option<String>,
    works: i64,
}

impl ViewRow {
    pub(crate) fn view(self) -> SuggestionView {
        SuggestionView {
            slug: self.slug,
            name: self.display_name,
            open: self.open,
            hops: self.hops,
            via: self
                .via_slugs
                .into_iter()
                .zip(self.via_names)
                .map(|(slug, name)| NamedRecord { slug, name })
                .collect(),
            topics: self
                .topic_ids
                .into_iter()
                .zip(self.topic_names)
                .map(|(id, name)| SubjectLink::topic(id, name))
                .collect(),
            field: self.field,
            affiliation: self.affiliation,
            works: self.works,
        }
    }
}

/// A record's suggestions in rank order (`rank`), less the dismissed: the record's id, whether
/// only candidates an invitation can reach are wanted, and how many, as SQL expressions (the
/// profile's statement reads them as one of its lists: `views::profiles::rows`).
macro_rules! suggestion_rows {
    ($author:literal, $open_only:literal, $limit:literal) => {
        concat!(
            "SELECT c.slug, c.display_name,
                (c.open_to_collaborate AND c.claim_state IN ('claimed', 'confirmed')) AS open, s.hops, s.rank,
                array(SELECT v.slug FROM unnest(s.via_ids) WITH ORDINALITY u(id, n) JOIN authors v ON v.id = u.id ORDER BY u.n) AS via_slugs,
                array(SELECT v.display_name FROM unnest(s.via_ids) WITH ORDINALITY u(id, n) JOIN authors v ON v.id = u.id ORDER BY u.n) AS via_names,
                array(SELECT t.id FROM unnest(s.topic_ids) WITH ORDINALITY u(id, n) JOIN topics t ON t.id = u.id ORDER BY u.n) AS topic_ids,
                array(SELECT t.display_name FROM unnest(s.topic_ids) WITH ORDINALITY u(id, n) JOIN topics t ON t.id = u.id ORDER BY u.n) AS topic_names,
                s.field, i.display_name AS affiliation, coalesce(st.works_count, 0)::bigint AS works
             FROM suggestions s
             JOIN authors c ON c.id = s.candidate_id
             LEFT JOIN author_stats st ON st.author_id = c.id
             LEFT JOIN institutions i ON i.id = coalesce(c.affiliation_institution_id, st.institution_id)
             WHERE s.author_id = ", $author, "
               AND NOT EXISTS (SELECT 1 FROM suggestion_dismissals d
                               WHERE d.author_id = ", $author, " AND d.candidate_id = s.candidate_id)
               AND (NOT ", $open_only, " OR (c.open_to_collaborate AND c.claim_state IN ('claimed', 'confirmed')))
             ORDER BY s.rank
             LIMIT ", $limit
        )
    };
}
pub(crate) use suggestion_rows;

/// Up to `limit` of `author`'s suggestions in rank order, less the dismissed; `open_only` keeps
/// the candidates an invitation can reach (claimed and open to collaborate).
pub async fn for_record(
    db: impl PgExecutor<'_>,
    author: i64,
    open_only: bool,
    limit: i64,
) -> Result<Vec<SuggestionView>, AppError> {
    let rows: Vec<ViewRow> = sqlx::query_as(suggestion_rows!("$1", "$2", "$3"))
        .bind(author)
        .bind(open_only)
        .bind(limit)
        .fetch_all(db)
        .await?;
    Ok(rows.into_iter().map(ViewRow::view).collect())
}
