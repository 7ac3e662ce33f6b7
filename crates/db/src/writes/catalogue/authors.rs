//! Author records: identity, ORCID links, affiliations and topics.

use super::Change;
use sqlx::PgConnection;

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

/// Replaces an author's topics with `topics` (topic id, number of works).
pub async fn set_author_topics(
    conn: &mut PgConnection,
    author_id: i64,
    topics: &[(i64, Option<i32>)],
) -> Result<Change, sqlx::Error> {
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
