//! Harvest checkpoints (`harvests`): one row per harvested query, with the page an unfinished run
//! resumes from and what the last run did; the lock that lets one process at a time harvest a
//! query; and a dry run's lookups of what the catalogue already holds.

use crate::domain::import_kind::ImportKind;
use chrono::{DateTime, NaiveDate, Utc};
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, PgPool, Postgres};

/// Where a query's harvest stands when a run begins.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checkpoint {
    pub id: i64,
    /// The page an unfinished run had reached, and the date it asked from.
    pub resume: Option<(String, Option<NaiveDate>)>,
    /// When the last list read to its end was begun (by its first run, if others resumed it).
    pub complete_since: Option<DateTime<Utc>>,
}

/// One query's harvest, for the moderators' page.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HarvestRow {
    pub source: String,
    pub query: String,
    pub state: String,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
    pub pages: i32,
    pub records: i32,
    pub summary: String,
    pub error: Option<String>,
    pub resumable: bool,
}

/// A session-level advisory lock on one query, held on its own connection for the run: a second
/// harvest of the same query, in this process or another, is refused while it is held.
pub struct HarvestLock {
    conn: Option<PoolConnection<Postgres>>,
}

impl HarvestLock {
    /// Takes the lock, or `None` when another run holds it.
    pub async fn try_take(pool: &PgPool, source: &str, query: &str) -> Result<Option<Self>, sqlx::Error> {
        let mut conn = pool.acquire().await?;
        let taken: bool = sqlx::query_scalar("SELECT pg_try_advisory_lock(hashtextextended($1, 17))")
            .bind(lock_key(source, query))
            .fetch_one(&mut *conn)
            .await?;
        Ok(taken.then_some(Self { conn: Some(conn) }))
    }

    /// Lets the lock go and returns the connection to the pool.
    pub async fn release(mut self, source: &str, query: &str) -> Result<(), sqlx::Error> {
        if let Some(mut conn) = self.conn.take() {
            sqlx::query("SELECT pg_advisory_unlock(hashtextextended($1, 17))")
                .bind(lock_key(source, query))
                .execute(&mut *conn)
                .await?;
        }
        Ok(())
    }
}

impl Drop for HarvestLock {
    /// A run that ends without `release` (an error, a panic) closes the connection instead of
    /// handing it back still holding the lock: closing it ends the lock.
    fn drop(&mut self) {
        if let Some(conn) = self.conn.take() {
            drop(conn.detach());
        }
    }
}

fn lock_key(source: &str, query: &str) -> String {
    format!("harvest {source} {query}")
}

/// A checkpoint's row: id, cursor, the date it asked from, and the last complete run's start.
type CheckpointRow = (i64, Option<String>, Option<NaiveDate>, Option<DateTime<Utc>>);

/// Marks the query's run as started (creating its row the first time) and says where the last
/// one left off.
pub async fn begin(conn: &mut PgConnection, source: &str, query: &str) -> Result<Checkpoint, sqlx::Error> {
    let (id, cursor, from, complete_since): CheckpointRow = sqlx::query_as(
        "INSERT INTO harvests AS h (source, query, state, started_at, chain_started_at)
             VALUES ($1, $2, 'running', now(), now())
             ON CONFLICT (source, query) DO UPDATE
                SET state = 'running', started_at = now(), finished_at = NULL, error = NULL,
                    chain_started_at = CASE WHEN h.resume_cursor IS NULL THEN now() ELSE h.chain_started_at END,
                    pages = CASE WHEN h.resume_cursor IS NULL THEN 0 ELSE h.pages END,
                    records = CASE WHEN h.resume_cursor IS NULL THEN 0 ELSE h.records END
             RETURNING id, resume_cursor, resume_from, complete_since",
    )
    .bind(source)
    .bind(query)
    .fetch_one(conn)
    .await?;
    Ok(Checkpoint { id, resume: cursor.map(|c| (c, from)), complete_since })
}

/// Starts the count of a run that does not resume (its cursor is dropped).
pub async fn start_over(conn: &mut PgConnection, id: i64) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE harvests SET resume_cursor = NULL, resume_from = NULL, pages = 0, records = 0, chain_started_at = now()
         WHERE id = $1",
    )
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// A page is merged: the next one is where a resumed run starts.
pub async fn page_done(
    conn: &mut PgConnection,
    id: i64,
    next: Option<&str>,
    from: Option<NaiveDate>,
    records: usize,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "UPDATE harvests SET resume_cursor = $2, resume_from = CASE WHEN $2::text IS NULL THEN NULL ELSE $3 END,
                pages = pages + 1, records = records + $4
         WHERE id = $1",
    )
    .bind(id)
    .bind(next)
    .bind(from)
    .bind(i32::try_from(records).unwrap_or(i32::MAX))
    .execute(conn)
    .await?;
    Ok(())
}

/// How a run ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// Every page was read: a later `--since-last` run starts from this run's start.
    Complete,
    /// Stopped early (`--max`): the next run resumes.
    Stopped,
    Failed,
}

/// Records how the run ended and what it did.
pub async fn finish(
    conn: &mut PgConnection,
    id: i64,
    ending: Ending,
    summary: &str,
    error: Option<&str>,
) -> Result<(), sqlx::Error> {
    let state = match ending {
        Ending::Complete => "idle",
        Ending::Stopped => "stopped",
        Ending::Failed => "failed",
    };
    sqlx::query(
        "UPDATE harvests SET state = $2, finished_at = now(), summary = $3, error = $4,
                complete_since = CASE WHEN $2 = 'idle' THEN chain_started_at ELSE complete_since END,
                resume_cursor = CASE WHEN $2 = 'idle' THEN NULL ELSE resume_cursor END,
                resume_from = CASE WHEN $2 = 'idle' THEN NULL ELSE resume_from END
         WHERE id = $1",
    )
    .bind(id)
    .bind(state)
    .bind(summary)
    .bind(error)
    .execute(conn)
    .await?;
    Ok(())
}

/// The harvests, most recently started first (a short list: one row per configured query).
pub async fn recent(pool: &PgPool, limit: i64) -> Result<Vec<HarvestRow>, sqlx::Error> {
    sqlx::query_as(
        "SELECT source, query, state, started_at, finished_at, pages, records, summary, error,
                resume_cursor IS NOT NULL AS resumable
         FROM harvests ORDER BY started_at DESC NULLS LAST LIMIT $1",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// How many of these records the catalogue already holds, by their unique external ids.
pub async fn known(
    conn: &mut PgConnection,
    kind: ImportKind,
    openalex: &[String],
    arxiv: &[String],
) -> Result<usize, sqlx::Error> {
    let count: i64 = match kind {
        ImportKind::Arxiv | ImportKind::OpenAlexWorks => {
            sqlx::query_scalar("SELECT count(*) FROM works WHERE openalex_id = ANY($1) OR arxiv_id = ANY($2)")
                .bind(openalex)
                .bind(arxiv)
                .fetch_one(conn)
                .await?
        }
        ImportKind::OpenAlexAuthors => {
            sqlx::query_scalar("SELECT count(*) FROM authors WHERE openalex_id = ANY($1)")
                .bind(openalex)
                .fetch_one(conn)
                .await?
        }
        ImportKind::OpenAlexInstitutions => {
            sqlx::query_scalar("SELECT count(*) FROM institutions WHERE openalex_id = ANY($1)")
                .bind(openalex)
                .fetch_one(conn)
                .await?
        }
    };
    Ok(usize::try_from(count).unwrap_or(0))
}

/// Where the query's harvest stands, without starting a run (a dry run looks).
pub async fn peek(conn: &mut PgConnection, source: &str, query: &str) -> Result<Option<Checkpoint>, sqlx::Error> {
    let row: Option<CheckpointRow> = sqlx::query_as(
        "SELECT id, resume_cursor, resume_from, complete_since FROM harvests WHERE source = $1 AND query = $2",
    )
    .bind(source)
    .bind(query)
    .fetch_optional(conn)
    .await?;
    Ok(row.map(|(id, cursor, from, complete_since)| Checkpoint {
        id,
        resume: cursor.map(|c| (c, from)),
        complete_since,
    }))
}

/// Pages and records merged by the query's runs since it last reached the end.
pub async fn progress(conn: &mut PgConnection, id: i64) -> Result<(i32, i32), sqlx::Error> {
    sqlx::query_as("SELECT pages, records FROM harvests WHERE id = $1").bind(id).fetch_one(conn).await
}
