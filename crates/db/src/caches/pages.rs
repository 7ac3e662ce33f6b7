//! Pages kept as documents (`kept_pages`, at the version of `page_versions` they were built at;
//! see the migration `kept_pages` for what moves a version): the one statement a view of a kept
//! page makes, which also keeps the renderings waiting to be kept, and keeping them alone.

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

/// A rendering waiting to be kept: its name (`kept_name`), the version it was built at, and it.
#[derive(Debug, Clone)]
pub struct ToKeep {
    pub name: String,
    pub version: i64,
    pub row: KeptRow,
}

/// The page's current version (0 when nothing ever moved it), with its rendering kept as `file`
/// (`kept_name`) when one is kept at that version and it is not the version the caller holds
/// (`held`): one statement, which sends no body to a caller whose copy is current. Renderings
/// waiting to be kept (`keeping`) are kept by the same statement, so a view that follows a first
/// view costs no round trip of its own for keeping that one.
pub async fn current(
    db: impl PgExecutor<'_>,
    key: &PageKey,
    file: Option<&str>,
    held: Option<i64>,
    keeping: &[ToKeep],
) -> Result<(i64, Option<KeptRow>), AppError> {
    let query = if keeping.is_empty() {
        sqlx::query_as(CURRENT)
    } else {
        let columns = Columns::of(keeping);
        sqlx::query_as(CURRENT_KEEPING)
            .bind(columns.names)
            .bind(columns.versions)
            .bind(columns.etags)
            .bind(columns.csps)
            .bind(columns.brs)
            .bind(columns.gzs)
    };
    let row: CurrentRow = query.bind(key.as_key()).bind(held).bind(kept_name(key, file)).fetch_one(db).await?;
    let kept = match row {
        (_, Some(etag), Some(csp), Some(body_br), Some(body_gz)) => Some(KeptRow { etag, csp, body_br, body_gz }),
        _ => None,
    };
    Ok((row.0, kept))
}

/// The version and the rendering kept at it ($1 the page's key, $2 the version held, $3 the name
/// kept under).
const CURRENT: &str = "SELECT v.version, k.etag, k.csp, k.body_br, k.body_gz
     FROM (SELECT coalesce((SELECT version FROM page_versions WHERE key = $1), 0) AS version) v
     LEFT JOIN kept_pages k ON k.key = $3 AND k.version = v.version AND v.version IS DISTINCT FROM $2";

/// Keeps renderings given as arrays of `kept_pages`' columns ($1-$6); a rendering of a later
/// version kept meanwhile (by another process) is not replaced.
macro_rules! keep_rows {
    () => {
        "INSERT INTO kept_pages (key, version, etag, csp, body_br, body_gz)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::bytea[], $6::bytea[])
         ON CONFLICT (key) DO UPDATE SET version = EXCLUDED.version, etag = EXCLUDED.etag, csp = EXCLUDED.csp,
             body_br = EXCLUDED.body_br, body_gz = EXCLUDED.body_gz, kept_at = now()
         WHERE kept_pages.version < EXCLUDED.version"
    };
}

/// `CURRENT`, keeping renderings ($1-$6 their columns) on the way: its parameters follow them.
const CURRENT_KEEPING: &str = concat!(
    "WITH keeping AS (",
    keep_rows!(),
    ")
     SELECT v.version, k.etag, k.csp, k.body_br, k.body_gz
     FROM (SELECT coalesce((SELECT version FROM page_versions WHERE key = $7), 0) AS version) v
     LEFT JOIN kept_pages k ON k.key = $9 AND k.version = v.version AND v.version IS DISTINCT FROM $8"
);

/// Renderings as the columns of `kept_pages`, one array each.
struct Columns {
    names: Vec<String>,
    versions: Vec<i64>,
    etags: Vec<String>,
    csps: Vec<String>,
    brs: Vec<Vec<u8>>,
    gzs: Vec<Vec<u8>>,
}

impl Columns {
    fn of(keeping: &[ToKeep]) -> Self {
        // One row a name (the latest version): a statement may not update a row twice.
        let mut latest: Vec<&ToKeep> = Vec::new();
        for k in keeping {
            match latest.iter_mut().find(|l| l.name == k.name) {
                Some(l) if l.version < k.version => *l = k,
                Some(_) => {}
                None => latest.push(k),
            }
        }
        Self {
            names: latest.iter().map(|k| k.name.clone()).collect(),
            versions: latest.iter().map(|k| k.version).collect(),
            etags: latest.iter().map(|k| k.row.etag.clone()).collect(),
            csps: latest.iter().map(|k| k.row.csp.clone()).collect(),
            brs: latest.iter().map(|k| k.row.body_br.clone()).collect(),
            gzs: latest.iter().map(|k| k.row.body_gz.clone()).collect(),
        }
    }
}

/// Keeps renderings built at their versions; a rendering of a later version kept meanwhile (by
/// another process) is not replaced. One statement for them all.
pub async fn keep_all(db: impl PgExecutor<'_>, keeping: &[ToKeep]) -> Result<(), AppError> {
    if keeping.is_empty() {
        return Ok(());
    }
    let columns = Columns::of(keeping);
    sqlx::query(keep_rows!())
        .bind(columns.names)
        .bind(columns.versions)
        .bind(columns.etags)
        .bind(columns.csps)
        .bind(columns.brs)
        .bind(columns.gzs)
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
