//! Citation edges and the citation figures a source gives: a batch's reference lists replace the
//! edges of its works (idempotent: a re-import changes nothing), a work arriving later is linked
//! to the edges that were waiting for it, and OpenAlex's figures for an author are kept beside
//! the ones computed from the record.

use super::records::WorkRecord;
use sqlx::PgConnection;

/// What OpenAlex says of an author: totals and per-year counts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceFigures {
    pub cited_by_count: Option<i32>,
    pub h_index: Option<i32>,
    pub i10_index: Option<i32>,
    /// Distinct years, oldest first.
    pub by_year: Vec<YearCount>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearCount {
    pub year: i32,
    pub works: i32,
    pub citations: i32,
}

/// Replaces the citation edges of the batch's works whose source lists references, then links
/// every edge that was waiting for one of the batch's works. A few statements per batch,
/// whatever its size.
pub async fn store_citations(conn: &mut PgConnection, records: &[&WorkRecord]) -> Result<(), sqlx::Error> {
    let mut citing = Vec::new();
    let (mut from, mut to) = (Vec::new(), Vec::new());
    let mut arrived = Vec::new();
    for record in records {
        let Some(id) = record.fields.openalex_id.as_deref() else { continue };
        arrived.push(id.to_owned());
        if let Some(references) = &record.references {
            citing.push(id.to_owned());
            for cited in references {
                from.push(id.to_owned());
                to.push(cited.clone());
            }
        }
    }
    if !citing.is_empty() {
        sqlx::query(
            "WITH citing AS (SELECT id, openalex_id FROM works WHERE openalex_id = ANY($3)),
                  incoming AS (SELECT c.id AS citing_id, p.cited
                               FROM unnest($1::text[], $2::text[]) AS p (citing, cited)
                               JOIN citing c ON c.openalex_id = p.citing),
                  gone AS (DELETE FROM citations x USING citing c
                           WHERE x.citing_work_id = c.id
                             AND NOT EXISTS (SELECT 1 FROM incoming i
                                             WHERE i.citing_id = x.citing_work_id AND i.cited = x.cited_key))
             INSERT INTO citations (citing_work_id, cited_key, cited_work_id)
             SELECT i.citing_id, i.cited, w.id FROM incoming i LEFT JOIN works w ON w.openalex_id = i.cited
             ON CONFLICT (citing_work_id, cited_key) DO NOTHING",
        )
        .bind(&from)
        .bind(&to)
        .bind(&citing)
        .execute(&mut *conn)
        .await?;
    }
    if !arrived.is_empty() {
        sqlx::query(
            "UPDATE citations c SET cited_work_id = w.id FROM works w
             WHERE w.openalex_id = ANY($1) AND c.cited_key = w.openalex_id AND c.cited_work_id IS NULL",
        )
        .bind(&arrived)
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Keeps OpenAlex's figures for an author (replacing what an earlier import kept).
pub async fn set_source_figures(
    conn: &mut PgConnection,
    author_id: i64,
    figures: &SourceFigures,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE authors SET source_cited_by_count = $2, source_h_index = $3, source_i10_index = $4 WHERE id = $1",
    )
    .bind(author_id)
    .bind(figures.cited_by_count)
    .bind(figures.h_index)
    .bind(figures.i10_index)
    .execute(&mut *conn)
    .await?;
    let years: Vec<i32> = figures.by_year.iter().map(|y| y.year).collect();
    let works: Vec<i32> = figures.by_year.iter().map(|y| y.works).collect();
    let citations: Vec<i32> = figures.by_year.iter().map(|y| y.citations).collect();
    sqlx::query(
        "WITH gone AS (DELETE FROM author_counts_by_year WHERE author_id = $1 AND NOT (year = ANY($2)))
         INSERT INTO author_counts_by_year (author_id, year, works_count, cited_by_count)
         SELECT $1, y, w, c FROM unnest($2::int[], $3::int[], $4::int[]) AS t (y, w, c)
         ON CONFLICT (author_id, year) DO UPDATE SET works_count = EXCLUDED.works_count,
             cited_by_count = EXCLUDED.cited_by_count
         WHERE (author_counts_by_year.works_count, author_counts_by_year.cited_by_count)
               IS DISTINCT FROM (EXCLUDED.works_count, EXCLUDED.cited_by_count)",
    )
    .bind(author_id)
    .bind(&years)
    .bind(&works)
    .bind(&citations)
    .execute(&mut *conn)
    .await?;
    Ok(())
}
