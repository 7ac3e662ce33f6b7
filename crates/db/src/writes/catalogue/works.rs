//! Works and their bylines.

use super::Change;
use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};

/// The fields of a work as one source describes it.
#[derive(Debug, Clone, PartialEq, FromRow)]
pub struct WorkFields {
    pub source: String,
    pub title: String,
    #[sqlx(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub work_type: String,
    pub year: Option<i32>,
    pub published_on: Option<NaiveDate>,
    pub venue: Option<String>,
    pub is_open_access: Option<bool>,
    pub cited_by_count: Option<i32>,
    pub arxiv_id: Option<String>,
    pub openalex_id: Option<String>,
    pub doi: Option<String>,
}

impl WorkFields {
    /// Merges an incoming description into a stored one. The same source overwrites what it said
    /// before; another source only fills gaps and adds its identifiers, so importing OpenAlex
    /// after arXiv never rewrites the arXiv title.
    fn merged_with(&self, incoming: &WorkFields) -> WorkFields {
        fn pick<T: Clone>(same: bool, old: &Option<T>, new: &Option<T>) -> Option<T> {
            if same {
                new.clone().or_else(|| old.clone())
            } else {
                old.clone().or_else(|| new.clone())
            }
        }
        let same = self.source == incoming.source;
        WorkFields {
            source: self.source.clone(),
            title: if same { incoming.title.clone() } else { self.title.clone() },
            abstract_text: pick(same, &self.abstract_text, &incoming.abstract_text),
            work_type: if same { incoming.work_type.clone() } else { self.work_type.clone() },
            year: pick(same, &self.year, &incoming.year),
            published_on: pick(same, &self.published_on, &incoming.published_on),
            venue: pick(same, &self.venue, &incoming.venue),
            is_open_access: pick(same, &self.is_open_access, &incoming.is_open_access),
            cited_by_count: pick(same, &self.cited_by_count, &incoming.cited_by_count),
            arxiv_id: self.arxiv_id.clone().or_else(|| incoming.arxiv_id.clone()),
            openalex_id: self.openalex_id.clone().or_else(|| incoming.openalex_id.clone()),
            doi: self.doi.clone().or_else(|| incoming.doi.clone()),
        }
    }
}

/// A stored work found by one of its identifiers.
#[derive(Debug, FromRow)]
struct StoredWork {
    id: i64,
    #[sqlx(flatten)]
    fields: WorkFields,
}

/// Inserts a work, or merges it into the stored work that shares an arXiv id, OpenAlex id or DOI.
/// Returns the work's id, what happened, and whether the stored work came from another source.
pub async fn upsert_work(
    conn: &mut PgConnection,
    incoming: &WorkFields,
    slug: &str,
) -> Result<(i64, Change, bool), sqlx::Error> {
    let existing: Option<StoredWork> = sqlx::query_as(
        "SELECT id, source, title, abstract, work_type, year, published_on, venue, is_open_access,
                cited_by_count, arxiv_id, openalex_id, doi
         FROM works
         WHERE arxiv_id = $1 OR openalex_id = $2 OR doi = $3
         ORDER BY id LIMIT 1 FOR UPDATE",
    )
    .bind(&incoming.arxiv_id)
    .bind(&incoming.openalex_id)
    .bind(&incoming.doi)
    .fetch_optional(&mut *conn)
    .await?;

    let Some(stored) = existing else {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO works (source, slug, title, abstract, work_type, year, published_on, venue,
                                is_open_access, cited_by_count, arxiv_id, openalex_id, doi)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
             RETURNING id",
        )
        .bind(&incoming.source)
        .bind(slug)
        .bind(&incoming.title)
        .bind(&incoming.abstract_text)
        .bind(&incoming.work_type)
        .bind(incoming.year)
        .bind(incoming.published_on)
        .bind(&incoming.venue)
        .bind(incoming.is_open_access)
        .bind(incoming.cited_by_count)
        .bind(&incoming.arxiv_id)
        .bind(&incoming.openalex_id)
        .bind(&incoming.doi)
        .fetch_one(&mut *conn)
        .await?;
        return Ok((id, Change::Created, false));
    };

    let from_other_source = stored.fields.source != incoming.source;
    let merged = stored.fields.merged_with(incoming);
    if merged == stored.fields {
        return Ok((stored.id, Change::Unchanged, from_other_source));
    }
    sqlx::query(
        "UPDATE works SET title = $2, abstract = $3, work_type = $4, year = $5, published_on = $6,
                venue = $7, is_open_access = $8, cited_by_count = $9, arxiv_id = $10,
                openalex_id = $11, doi = $12, updated_at = now()
         WHERE id = $1",
    )
    .bind(stored.id)
    .bind(&merged.title)
    .bind(&merged.abstract_text)
    .bind(&merged.work_type)
    .bind(merged.year)
    .bind(merged.published_on)
    .bind(&merged.venue)
    .bind(merged.is_open_access)
    .bind(merged.cited_by_count)
    .bind(&merged.arxiv_id)
    .bind(&merged.openalex_id)
    .bind(&merged.doi)
    .execute(&mut *conn)
    .await?;
    Ok((stored.id, Change::Updated, from_other_source))
}

/// The byline of a stored work: (position, author id, name key of the author).
pub async fn byline(conn: &mut PgConnection, work_id: i64) -> Result<Vec<(i16, i64, String)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT s.position, s.author_id, a.search_name
         FROM authorships s JOIN authors a ON a.id = s.author_id
         WHERE s.work_id = $1 ORDER BY s.position",
    )
    .bind(work_id)
    .fetch_all(&mut *conn)
    .await
}

/// Replaces the byline of a work with `authors` (author id, name as printed), in order.
pub async fn set_authorships(
    conn: &mut PgConnection,
    work_id: i64,
    authors: &[(i64, String)],
) -> Result<Change, sqlx::Error> {
    let positions: Vec<i16> = (1..=authors.len()).map(|p| i16::try_from(p).unwrap_or(i16::MAX)).collect();
    let ids: Vec<i64> = authors.iter().map(|(id, _)| *id).collect();
    let names: Vec<&str> = authors.iter().map(|(_, name)| name.as_str()).collect();
    let written = sqlx::query(
        "INSERT INTO authorships (work_id, position, author_id, raw_name)
         SELECT $1, * FROM UNNEST($2::smallint[], $3::bigint[], $4::text[])
         ON CONFLICT (work_id, position) DO UPDATE
            SET author_id = EXCLUDED.author_id, raw_name = EXCLUDED.raw_name
            WHERE (authorships.author_id, authorships.raw_name)
                  IS DISTINCT FROM (EXCLUDED.author_id, EXCLUDED.raw_name)",
    )
    .bind(work_id)
    .bind(&positions)
    .bind(&ids)
    .bind(&names)
    .execute(&mut *conn)
    .await?;
    let removed = sqlx::query("DELETE FROM authorships WHERE work_id = $1 AND position > $2")
        .bind(work_id)
        .bind(i16::try_from(authors.len()).unwrap_or(i16::MAX))
        .execute(&mut *conn)
        .await?;
    Ok(Change::from_changed(written.rows_affected() + removed.rows_affected() > 0))
}

/// Replaces the institutions of one authorship.
pub async fn set_authorship_institutions(
    conn: &mut PgConnection,
    work_id: i64,
    position: i16,
    institution_ids: &[i64],
) -> Result<Change, sqlx::Error> {
    let removed = sqlx::query(
        "DELETE FROM authorship_institutions
         WHERE work_id = $1 AND position = $2 AND NOT (institution_id = ANY($3))",
    )
    .bind(work_id)
    .bind(position)
    .bind(institution_ids)
    .execute(&mut *conn)
    .await?;
    let added = sqlx::query(
        "INSERT INTO authorship_institutions (work_id, position, institution_id)
         SELECT $1, $2, UNNEST($3::bigint[])
         ON CONFLICT DO NOTHING",
    )
    .bind(work_id)
    .bind(position)
    .bind(institution_ids)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(removed.rows_affected() + added.rows_affected() > 0))
}
