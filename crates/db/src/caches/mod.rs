//! What jobs recompute from the catalogue, kept so a page reads a few rows: records' aggregates,
//! topic and institution pages, collaborator suggestions and graph layouts; the marks that say
//! which are stale.

pub mod aggregates;
pub mod layouts;
pub mod marks;
pub mod pages;
pub mod subjects;
pub mod suggestions;

use sqlx::PgConnection;

/// Every cache a write can leave stale, in the order each reads the one before: records'
/// aggregates, topic and institution pages, then collaborator suggestions (which read both; a
/// short list near a refreshed topic is ranked again too). Returns how many records and
/// subjects were refreshed.
pub async fn refresh_all_marked(conn: &mut PgConnection) -> Result<u64, sqlx::Error> {
    let records = aggregates::refresh_marked(conn).await?;
    let (subjects, topics) = subjects::refresh_marked(conn).await?;
    suggestions::mark_short_near(conn, &topics).await?;
    suggestions::refresh_marked(conn).await?;
    Ok(records + subjects)
}
