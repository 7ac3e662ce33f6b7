//! Pages kept as documents (`kept_pages`, at the version of `page_versions` they were built at;
//! see the migration `kept_pages` for what moves a version): the one statement a view of a kept
//! page makes, and keeping a new rendering.

use crate::domain::pages::PageKey;
use crate::error::AppError;
use sqlx::PgExecutor;

/// A kept rendering: its validator, policy and bodies.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct KeptRow {
    pub etag: String,
    pub csp: String,
    pub body_br: Vec<u8>,
    pub body_gz: Vec<u8>,
}

type CurrentRow = (i64, Option<String>, Option<String>, Option<Vec<u8>>, Option<Vec<u8>>);

/// The name a rendering of the page `key` is kept under: the page's own key, or for a file made
/// from the same rows (a record's `.bib`), the key and the file's extension (`a:<slug>.bib`).
pub fn kept_name(key: &PageKey, file: Option<&str>) -> String {
    match file {
        Some(extension) => format!("{}.{extension}", key.as_key()),
        None => key.as_key(),
    }
}

/// The page's current version (0 when nothing ever moved it), with its rendering kept as `file`
/// (`kept_name`) when one is kept at that version and it is not the version the caller holds
/// (`held`): one statement, which sends no body to a caller whose copy is current.
pub async fn current(
    db: impl PgExecutor<'_>,
    key: &PageKey,
    file: Option<&str>,
    held: Option<i64>,
) -> Result<(i64, Option<KeptRow>), AppError> {
    let row: CurrentRow = sqlx::query_as(
        "SELECT v.version, k.etag, k.csp, k.body_br, k.body_gz
         FROM (SELECT coalesce((SELECT version FROM page_versions WHERE key = $1), 0) AS version) v
         LEFT JOIN kept_pages k ON k.key = $3 AND k.version = v.version AND v.version IS DISTINCT FROM $2",
    )
    .bind(key.as_key())
    .bind(held)
    .bind(kept_name(key, file))
    .fetch_one(db)
    .await?;
    let kept = match row {
        (_, Some(etag), Some(csp), Some(body_br), Some(body_gz)) => Some(KeptRow { etag, csp, body_br, body_gz }),
        _ => None,
    };
    Ok((row.0, kept))
}

/// Keeps a rendering (of the page, or of `file`) built at `version`; a rendering of a later
/// version kept meanwhile (by another process) is not replaced.
pub async fn keep(
    db: impl PgExecutor<'_>,
    key: &PageKey,
    file: Option<&str>,
    version: i64,
    kept: &KeptRow,
) -> Result<(), AppError> {
    sqlx::query(
        "INSERT INTO kept_pages (key, version, etag, csp, body_br, body_gz) VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, etag = EXCLUDED.etag, csp = EXCLUDED.csp,
             body_br = EXCLUDED.body_br, body_gz = EXCLUDED.body_gz, kept_at = now()
         WHERE kept_pages.version < EXCLUDED.version",
    )
    .bind(kept_name(key, file))
    .bind(version)
    .bind(&kept.etag)
    .bind(&kept.csp)
    .bind(&kept.body_br)
    .bind(&kept.body_gz)
    .execute(db)
    .await?;
    Ok(())
}

/// Moves the versions of the profiles of `ids` (what no trigger sees: their first suggestions).
pub async fn bump_authors(db: impl PgExecutor<'_>, ids: &[i64]) -> Result<(), sqlx::Error> {
    if !ids.is_empty() {
        sqlx::query("SELECT bump_author_pages($1)").bind(ids).execute(db).await?;
    }
    Ok(())
}
