//! Writes of the imported catalogue: idempotent upserts of works, authors, institutions, topics
//! and the links between them. Each reports whether it created, changed or left a row alone.

use chrono::NaiveDate;
use sqlx::{FromRow, PgConnection};

/// What an upsert did to the row it was given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Unchanged,
}

impl Change {
    /// The combined effect of writing a record and its parts: created wins, then updated.
    pub fn and(self, other: Change) -> Change {
        match (self, other) {
            (Change::Created, _) | (_, Change::Created) => Change::Created,
            (Change::Updated, _) | (_, Change::Updated) => Change::Updated,
            _ => Change::Unchanged,
        }
    }

    fn from_changed(changed: bool) -> Change {
        if changed {
            Change::Updated
        } else {
            Change::Unchanged
        }
    }
}

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

/// The identity of an author record as an importer sees it.
#[derive(Debug, Clone)]
pub struct AuthorIdentity<'a> {
    pub source: &'a str,
    pub source_key: &'a str,
    pub slug: &'a str,
    pub display_name: &'a str,
    pub search_name: &'a str,
    pub openalex_id: Option<&'a str>,
    pub orcid: Option<&'a str>,
}

/// Finds or creates the author record for an identity. A known record keeps its slug and name
/// (so its address is stable); an OpenAlex record takes a newly reported ORCID.
pub async fn upsert_author(conn: &mut PgConnection, author: &AuthorIdentity<'_>) -> Result<(i64, Change), sqlx::Error> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO authors (source, source_key, slug, display_name, search_name, openalex_id, orcid)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (source, source_key) DO NOTHING
         RETURNING id",
    )
    .bind(author.source)
    .bind(author.source_key)
    .bind(author.slug)
    .bind(author.display_name)
    .bind(author.search_name)
    .bind(author.openalex_id)
    .bind(author.orcid)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        return Ok((id, Change::Created));
    }
    let updated: Option<i64> = sqlx::query_scalar(
        "UPDATE authors SET orcid = $3, updated_at = now()
         WHERE source = $1 AND source_key = $2 AND $3::text IS NOT NULL AND orcid IS DISTINCT FROM $3
         RETURNING id",
    )
    .bind(author.source)
    .bind(author.source_key)
    .bind(author.orcid)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = updated {
        return Ok((id, Change::Updated));
    }
    let id = sqlx::query_scalar("SELECT id FROM authors WHERE source = $1 AND source_key = $2")
        .bind(author.source)
        .bind(author.source_key)
        .fetch_one(&mut *conn)
        .await?;
    Ok((id, Change::Unchanged))
}

/// Links the records carrying this ORCID to one canonical record (an OpenAlex one first, then
/// the oldest), so the profiles of one person point at each other without cycles, and a
/// re-import changes nothing.
pub async fn link_by_orcid(conn: &mut PgConnection, orcid: &str) -> Result<Change, sqlx::Error> {
    let linked = sqlx::query(
        "UPDATE authors a SET same_as_id = NULLIF(c.id, a.id), updated_at = now()
         FROM (SELECT id FROM authors WHERE orcid = $1 ORDER BY (source <> 'openalex'), id LIMIT 1) c
         WHERE a.orcid = $1 AND a.same_as_id IS DISTINCT FROM NULLIF(c.id, a.id)",
    )
    .bind(orcid)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(linked.rows_affected() > 0))
}

/// Gives an arXiv record the ORCID an OpenAlex byline attributes to the same name on the same
/// work, and links it to that OpenAlex record.
pub async fn adopt_orcid(
    conn: &mut PgConnection,
    arxiv_author_id: i64,
    orcid: Option<&str>,
    openalex_author_id: i64,
) -> Result<Change, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE authors SET orcid = coalesce(orcid, $2), same_as_id = $3, updated_at = now()
         WHERE id = $1 AND source = 'arxiv'
           AND (same_as_id IS DISTINCT FROM $3 OR (orcid IS NULL AND $2::text IS NOT NULL))",
    )
    .bind(arxiv_author_id)
    .bind(orcid)
    .bind(openalex_author_id)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(done.rows_affected() > 0))
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
pub async fn set_authorships(conn: &mut PgConnection, work_id: i64, authors: &[(i64, String)]) -> Result<Change, sqlx::Error> {
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

/// An institution as OpenAlex describes it; `full` records (from the institutions file) overwrite,
/// stubs (from a byline) only create.
#[derive(Debug, Clone)]
pub struct InstitutionFields<'a> {
    pub openalex_id: &'a str,
    pub ror: Option<&'a str>,
    pub display_name: &'a str,
    pub country_code: Option<&'a str>,
    pub kind: Option<&'a str>,
    pub homepage_url: Option<&'a str>,
}

pub async fn upsert_institution(
    conn: &mut PgConnection,
    inst: &InstitutionFields<'_>,
    full: bool,
) -> Result<(i64, Change), sqlx::Error> {
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO institutions (openalex_id, ror, display_name, country_code, kind, homepage_url)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (openalex_id) DO NOTHING
         RETURNING id",
    )
    .bind(inst.openalex_id)
    .bind(inst.ror)
    .bind(inst.display_name)
    .bind(inst.country_code)
    .bind(inst.kind)
    .bind(inst.homepage_url)
    .fetch_optional(&mut *conn)
    .await?;
    if let Some(id) = inserted {
        return Ok((id, Change::Created));
    }
    if full {
        let updated: Option<i64> = sqlx::query_scalar(
            "UPDATE institutions
             SET ror = $2, display_name = $3, country_code = $4, kind = $5, homepage_url = $6, updated_at = now()
             WHERE openalex_id = $1
               AND (ror, display_name, country_code, kind, homepage_url)
                   IS DISTINCT FROM ($2, $3, $4, $5, $6)
             RETURNING id",
        )
        .bind(inst.openalex_id)
        .bind(inst.ror)
        .bind(inst.display_name)
        .bind(inst.country_code)
        .bind(inst.kind)
        .bind(inst.homepage_url)
        .fetch_optional(&mut *conn)
        .await?;
        if let Some(id) = updated {
            return Ok((id, Change::Updated));
        }
    }
    let id = sqlx::query_scalar("SELECT id FROM institutions WHERE openalex_id = $1")
        .bind(inst.openalex_id)
        .fetch_one(&mut *conn)
        .await?;
    Ok((id, Change::Unchanged))
}

pub async fn upsert_topic(conn: &mut PgConnection, source: &str, key: &str, name: &str) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "WITH inserted AS (
             INSERT INTO topics (source, source_key, display_name) VALUES ($1, $2, $3)
             ON CONFLICT (source, source_key) DO NOTHING RETURNING id)
         SELECT id FROM inserted
         UNION ALL SELECT id FROM topics WHERE source = $1 AND source_key = $2
         LIMIT 1",
    )
    .bind(source)
    .bind(key)
    .bind(name)
    .fetch_one(&mut *conn)
    .await
}

/// Replaces the topics of a work from one source with `topics` (topic id, score).
pub async fn set_work_topics(
    conn: &mut PgConnection,
    work_id: i64,
    source: &str,
    topics: &[(i64, Option<f32>)],
) -> Result<Change, sqlx::Error> {
    let ids: Vec<i64> = topics.iter().map(|(id, _)| *id).collect();
    let scores: Vec<Option<f32>> = topics.iter().map(|(_, s)| *s).collect();
    let removed = sqlx::query(
        "DELETE FROM work_topics wt USING topics t
         WHERE wt.work_id = $1 AND t.id = wt.topic_id AND t.source = $2 AND NOT (wt.topic_id = ANY($3))",
    )
    .bind(work_id)
    .bind(source)
    .bind(&ids)
    .execute(&mut *conn)
    .await?;
    let written = sqlx::query(
        "INSERT INTO work_topics (work_id, topic_id, score)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::real[])
         ON CONFLICT (work_id, topic_id) DO UPDATE SET score = EXCLUDED.score
            WHERE work_topics.score IS DISTINCT FROM EXCLUDED.score",
    )
    .bind(work_id)
    .bind(&ids)
    .bind(&scores)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(removed.rows_affected() + written.rows_affected() > 0))
}

/// Replaces an author's topics with `topics` (topic id, number of works).
pub async fn set_author_topics(conn: &mut PgConnection, author_id: i64, topics: &[(i64, Option<i32>)]) -> Result<Change, sqlx::Error> {
    let ids: Vec<i64> = topics.iter().map(|(id, _)| *id).collect();
    let counts: Vec<Option<i32>> = topics.iter().map(|(_, c)| *c).collect();
    let removed = sqlx::query("DELETE FROM author_topics WHERE author_id = $1 AND NOT (topic_id = ANY($2))")
        .bind(author_id)
        .bind(&ids)
        .execute(&mut *conn)
        .await?;
    let written = sqlx::query(
        "INSERT INTO author_topics (author_id, topic_id, work_count)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::int[])
         ON CONFLICT (author_id, topic_id) DO UPDATE SET work_count = EXCLUDED.work_count
            WHERE author_topics.work_count IS DISTINCT FROM EXCLUDED.work_count",
    )
    .bind(author_id)
    .bind(&ids)
    .bind(&counts)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(removed.rows_affected() + written.rows_affected() > 0))
}

/// Replaces an author's affiliations with `rows` (institution id, last year, last known).
pub async fn set_affiliations(
    conn: &mut PgConnection,
    author_id: i64,
    rows: &[(i64, Option<i32>, bool)],
) -> Result<Change, sqlx::Error> {
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let years: Vec<Option<i32>> = rows.iter().map(|r| r.1).collect();
    let last_known: Vec<bool> = rows.iter().map(|r| r.2).collect();
    let removed = sqlx::query("DELETE FROM affiliations WHERE author_id = $1 AND NOT (institution_id = ANY($2))")
        .bind(author_id)
        .bind(&ids)
        .execute(&mut *conn)
        .await?;
    let written = sqlx::query(
        "INSERT INTO affiliations (author_id, institution_id, last_year, last_known)
         SELECT $1, * FROM UNNEST($2::bigint[], $3::int[], $4::bool[])
         ON CONFLICT (author_id, institution_id) DO UPDATE
            SET last_year = EXCLUDED.last_year, last_known = EXCLUDED.last_known
            WHERE (affiliations.last_year, affiliations.last_known)
                  IS DISTINCT FROM (EXCLUDED.last_year, EXCLUDED.last_known)",
    )
    .bind(author_id)
    .bind(&ids)
    .bind(&years)
    .bind(&last_known)
    .execute(&mut *conn)
    .await?;
    Ok(Change::from_changed(removed.rows_affected() + written.rows_affected() > 0))
}

/// Records a finished import run.
pub async fn record_import_run(
    conn: &mut PgConnection,
    kind: &str,
    file_name: &str,
    counts: [i32; 4],
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO import_runs (kind, file_name, read_count, created, updated, skipped)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(kind)
    .bind(file_name)
    .bind(counts[0])
    .bind(counts[1])
    .bind(counts[2])
    .bind(counts[3])
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Whether the catalogue holds nothing yet (the demo loader imports only into an empty one).
pub async fn catalogue_is_empty(conn: &mut PgConnection) -> Result<bool, sqlx::Error> {
    let any: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM works)").fetch_one(&mut *conn).await?;
    Ok(!any)
}
