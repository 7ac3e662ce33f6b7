//! Writes of the imported catalogue: idempotent upserts of works, authors, institutions, topics
//! and the links between them, record by record or merged a batch at a time from staging tables,
//! each reporting whether it created, changed or left a row alone; and the catalogue read back
//! for an export.

mod authors;
mod citations;
mod export;
mod merge;
mod records;
mod staging;
mod subjects;
mod works;

pub use authors::*;
pub use citations::*;
pub use export::*;
pub use merge::merge_works;
pub use records::*;
pub use staging::create_staging_tables;
pub use subjects::*;
pub use works::*;

use sqlx::{PgConnection, PgExecutor};

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

    pub(crate) fn from_changed(changed: bool) -> Change {
        if changed {
            Change::Updated
        } else {
            Change::Unchanged
        }
    }
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

/// Works the synthetic generator (`server generate`, or the demo of a clone without a data
/// folder) added, when it ran on this catalogue. `import_runs` holds a row per run: a short table.
pub async fn generated_works(conn: &mut PgConnection) -> Result<Option<i32>, sqlx::Error> {
    sqlx::query_scalar("SELECT sum(read_count)::int FROM import_runs WHERE kind = 'generate'").fetch_one(conn).await
}

/// The arXiv category topic of this name (its unique source key), as id and name.
pub async fn arxiv_topic(conn: &mut PgConnection, name: &str) -> Result<Option<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, display_name FROM topics WHERE source = 'arxiv' AND source_key = $1")
        .bind(name)
        .fetch_optional(conn)
        .await
}

/// Keeps an institution's web domain for e-mail matching.
pub async fn add_institution_domain(
    db: impl PgExecutor<'_>,
    institution_id: i64,
    domain: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query("INSERT INTO institution_domains (domain, institution_id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(domain)
        .bind(institution_id)
        .execute(db)
        .await?;
    Ok(())
}
