//! Bulk loading of the catalogue tables: COPY targets, the indexes and constraints a load drops
//! and restores (kept in `bulk_load_deferred` until restored, so a load that stops half way is
//! repaired by the next), emptying the catalogue, and what a load reports (sizes).

use sqlx::{PgConnection, PgPool};

/// The catalogue tables a bulk load writes (and the records' aggregates it computes itself), in
/// the order their rows are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    Topics,
    Institutions,
    Authors,
    Works,
    Authorships,
    AuthorshipInstitutions,
    WorkTopics,
    Affiliations,
    AuthorTopics,
    AuthorStats,
    Coauthors,
}

impl Table {
    pub const ALL: [Table; 11] = [
        Table::Topics,
        Table::Institutions,
        Table::Authors,
        Table::Works,
        Table::Authorships,
        Table::AuthorshipInstitutions,
        Table::WorkTopics,
        Table::Affiliations,
        Table::AuthorTopics,
        Table::AuthorStats,
        Table::Coauthors,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Table::Topics => "topics",
            Table::Institutions => "institutions",
            Table::Authors => "authors",
            Table::Works => "works",
            Table::Authorships => "authorships",
            Table::AuthorshipInstitutions => "authorship_institutions",
            Table::WorkTopics => "work_topics",
            Table::Affiliations => "affiliations",
            Table::AuthorTopics => "author_topics",
            Table::AuthorStats => "author_stats",
            Table::Coauthors => "coauthors",
        }
    }

    /// The COPY statement whose columns the generator's rows follow.
    pub fn copy_statement(self) -> &'static str {
        match self {
            Table::Topics => "COPY topics (id, source, source_key, display_name) FROM STDIN",
            Table::Institutions => "COPY institutions (id, openalex_id, display_name, country_code, kind) FROM STDIN",
            Table::Authors => {
                "COPY authors (id, source, source_key, slug, display_name, search_name, orcid, openalex_id) FROM STDIN"
            }
            Table::Works => {
                "COPY works (id, source, slug, title, abstract, work_type, year, published_on, venue, is_open_access,
                             cited_by_count, openalex_id, doi) FROM STDIN"
            }
            Table::Authorships => "COPY authorships (work_id, position, author_id, raw_name, sort_date) FROM STDIN",
            Table::AuthorshipInstitutions => {
                "COPY authorship_institutions (work_id, position, institution_id) FROM STDIN"
            }
            Table::WorkTopics => "COPY work_topics (work_id, topic_id, score, sort_date, cited_by) FROM STDIN",
            Table::Affiliations => "COPY affiliations (author_id, institution_id, last_year, last_known) FROM STDIN",
            Table::AuthorTopics => "COPY author_topics (author_id, topic_id, work_count) FROM STDIN",
            Table::AuthorStats => {
                "COPY author_stats (author_id, works_count, first_year, last_year, topics_count, main_topic_id,
                                    institution_id, coauthors_count, citations, h_index, i10_index, work_years,
                                    work_year_counts) FROM STDIN"
            }
            Table::Coauthors => "COPY coauthors (author_id, coauthor_id, shared_works, last_shared) FROM STDIN",
        }
    }

    fn names() -> Vec<&'static str> {
        Table::ALL.iter().map(|t| t.name()).collect()
    }
}

/// The name of the database a pool reaches (a test pool's options name its server's default).
pub async fn current_database(pool: &PgPool) -> Result<String, sqlx::Error> {
    sqlx::query_scalar("SELECT current_database()").fetch_one(pool).await
}

/// Works and author records already in the catalogue.
pub async fn catalogue_counts(conn: &mut PgConnection) -> Result<(i64, i64), sqlx::Error> {
    sqlx::query_as("SELECT (SELECT count(*) FROM works), (SELECT count(*) FROM authors)").fetch_one(conn).await
}

/// Empties the catalogue and everything that points into it (follows, claims, invitations and
/// their conversations); accounts stay. Identities start again at 1.
pub async fn empty_catalogue(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    let tables = Table::names().join(", ");
    sqlx::query(&format!(
        "TRUNCATE {tables}, import_runs, author_stats_dirty, institution_works, subject_stats, subject_top_authors, \
         subject_stats_dirty, author_topic_profiles, suggestions, suggestions_dirty RESTART IDENTITY CASCADE"
    ))
    .execute(conn)
    .await?;
    Ok(())
}

/// Moves the catalogue tables' secondary indexes, unique and foreign-key constraints (primary keys
/// stay) into `bulk_load_deferred` and drops them, in one transaction. Returns how many.
pub async fn defer_indexes(pool: &PgPool) -> Result<usize, sqlx::Error> {
    let mut tx = pool.begin().await?;
    // Restore order: unique constraints and indexes first (position < 1e6), foreign keys last.
    let deferred: Vec<(i32, String, String)> = sqlx::query_as(
        "INSERT INTO bulk_load_deferred (position, table_name, name, statement, drop_statement)
         SELECT coalesce((SELECT max(position) FROM bulk_load_deferred), 0)
                    + row_number() OVER (ORDER BY d.stage, d.table_name, d.name)::int + d.stage * $2,
                d.table_name, d.name, d.statement, d.drop_statement
         FROM (
             SELECT CASE c.contype WHEN 'f' THEN 1 ELSE 0 END AS stage, c.conrelid::regclass::text AS table_name,
                    c.conname::text AS name,
                    format('ALTER TABLE %s ADD CONSTRAINT %I %s', c.conrelid::regclass, c.conname,
                           pg_get_constraintdef(c.oid)) AS statement,
                    format('ALTER TABLE %s DROP CONSTRAINT %I', c.conrelid::regclass, c.conname) AS drop_statement
             FROM pg_constraint c
             WHERE c.conrelid = ANY($1::text[]::regclass[]) AND c.contype IN ('f', 'u')
             UNION ALL
             SELECT 0, i.indrelid::regclass::text, i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid),
                    format('DROP INDEX %s', i.indexrelid::regclass)
             FROM pg_index i
             WHERE i.indrelid = ANY($1::text[]::regclass[]) AND NOT i.indisprimary
               AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype <> 'f')
             UNION ALL
             -- The tables' own triggers (sort keys, marking aggregates stale) are off during the
             -- load: it writes the sort keys itself and refreshes every aggregate after.
             SELECT 0, t.table_name, t.table_name || ' triggers',
                    format('ALTER TABLE %s ENABLE TRIGGER USER', t.table_name),
                    format('ALTER TABLE %s DISABLE TRIGGER USER', t.table_name)
             FROM unnest($1::text[]) AS t(table_name)
             WHERE EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = t.table_name::regclass AND NOT g.tgisinternal)
         ) d
         RETURNING position, name, drop_statement",
    )
    .bind(Table::names())
    .bind(FOREIGN_KEY_STAGE)
    .fetch_all(&mut *tx)
    .await?;
    // Foreign keys go first: a unique constraint cannot be dropped while one depends on it.
    let mut drops = deferred;
    drops.sort_by_key(|(position, _, _)| std::cmp::Reverse(*position));
    for (_, _, drop_statement) in &drops {
        sqlx::query(drop_statement).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(drops.len())
}

/// A dropped index or constraint waiting to be restored.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Deferred {
    pub position: i32,
    pub table_name: String,
    pub name: String,
    pub statement: String,
}

impl Deferred {
    /// Foreign keys are restored after every index (they read the indexes they check against).
    pub fn is_foreign_key(&self) -> bool {
        self.position >= FOREIGN_KEY_STAGE
    }
}

const FOREIGN_KEY_STAGE: i32 = 1_000_000;

/// The statements still deferred, in restore order.
pub async fn deferred(conn: &mut PgConnection) -> Result<Vec<Deferred>, sqlx::Error> {
    sqlx::query_as("SELECT position, table_name, name, statement FROM bulk_load_deferred ORDER BY position")
        .fetch_all(conn)
        .await
}

/// Runs one deferred statement and forgets it, in one transaction.
pub async fn restore_one(conn: &mut PgConnection, position: i32, statement: &str) -> Result<(), sqlx::Error> {
    let mut tx = sqlx::Connection::begin(&mut *conn).await?;
    sqlx::query("SET LOCAL maintenance_work_mem = '512MB'").execute(&mut *tx).await?;
    sqlx::query(statement).execute(&mut *tx).await?;
    sqlx::query("DELETE FROM bulk_load_deferred WHERE position = $1").bind(position).execute(&mut *tx).await?;
    tx.commit().await
}

/// Copies every chunk of COPY text that arrives into `table`, on a connection of its own, until
/// the sender is dropped. Returns the rows written.
pub async fn copy_chunks(
    pool: &PgPool,
    table: Table,
    mut chunks: tokio::sync::mpsc::Receiver<Vec<u8>>,
) -> Result<u64, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    sqlx::query("SET synchronous_commit = off").execute(&mut *conn).await?;
    let mut copy = conn.copy_in_raw(table.copy_statement()).await?;
    while let Some(chunk) = chunks.recv().await {
        copy.send(chunk).await?;
    }
    copy.finish().await
}

/// After rows were copied with explicit ids: each identity continues after the largest id.
pub async fn continue_identities(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    for table in ["topics", "institutions", "authors", "works"] {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', 'id'), coalesce(max(id), 0) + 1, false) FROM {table}"
        ))
        .execute(&mut *conn)
        .await?;
    }
    Ok(())
}

/// Fresh planner statistics for the catalogue tables, and their visibility maps set (a freshly
/// loaded table's index-only scans would otherwise visit the heap for every row).
pub async fn vacuum_analyze(conn: &mut PgConnection) -> Result<(), sqlx::Error> {
    sqlx::query(&format!("VACUUM (ANALYZE) {}", Table::names().join(", "))).execute(conn).await?;
    Ok(())
}

/// The database's size on disk, in bytes.
pub async fn database_size(conn: &mut PgConnection) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT pg_database_size(current_database())").fetch_one(conn).await
}
