//! Reading citations: the works that cite a work (newest first, keyset on the citing work's
//! sort date), and what a work cites.

use super::profiles::rows::WorkRow;
use crate::domain::paging::DateCursor;
use crate::error::AppError;
use crate::model::works::{Reference, ReferencedWork, References};
use sqlx::PgConnection;

/// Up to `limit` works in the catalogue citing the work at `slug`, newest first, after the
/// cursor: one range of `citations_cited_idx`, however often the work is cited.
pub async fn cited_by(
    db: &mut PgConnection,
    slug: &str,
    after: Option<DateCursor>,
    limit: i64,
) -> Result<Vec<WorkRow>, AppError> {
    Ok(sqlx::query_as(
        "SELECT w.id, w.slug, w.title, w.abstract, w.work_type, w.year, w.venue, w.sort_date
         FROM citations c JOIN works w ON w.id = c.citing_work_id
         WHERE c.cited_work_id = (SELECT id FROM works WHERE slug = $1)
           AND ($2::date IS NULL OR (c.citing_sort_date, c.citing_work_id) < ($2, $3))
         ORDER BY c.citing_sort_date DESC, c.citing_work_id DESC
         LIMIT $4",
    )
    .bind(slug)
    .bind(after.map(|c| c.date))
    .bind(after.map_or(0, |c| c.id))
    .bind(limit)
    .fetch_all(&mut *db)
    .await?)
}

#[derive(sqlx::FromRow)]
struct ReferenceRow {
    key: String,
    slug: Option<String>,
    title: Option<String>,
    year: Option<i32>,
    total: i64,
}

/// Up to `limit` of what the work at `slug` cites (those in the catalogue first, newest first,
/// then the others by id), and how many it cites in all.
pub async fn references(db: &mut PgConnection, slug: &str, limit: i64) -> Result<References, AppError> {
    let rows: Vec<ReferenceRow> = sqlx::query_as(
        "SELECT c.cited_key AS key, w.slug, w.title, w.year, count(*) OVER () AS total
         FROM citations c LEFT JOIN works w ON w.id = c.cited_work_id
         WHERE c.citing_work_id = (SELECT id FROM works WHERE slug = $1)
         ORDER BY w.id IS NULL, w.sort_date DESC, c.cited_key
         LIMIT $2",
    )
    .bind(slug)
    .bind(limit)
    .fetch_all(&mut *db)
    .await?;
    let total = rows.first().map_or(0, |r| r.total);
    let shown = rows
        .into_iter()
        .map(|r| Reference {
            key: r.key,
            work: match (r.slug, r.title) {
                (Some(slug), Some(title)) => Some(ReferencedWork { slug, title, year: r.year }),
                _ => None,
            },
        })
        .collect();
    Ok(References { shown, total })
}
