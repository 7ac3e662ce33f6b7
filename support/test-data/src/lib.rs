//! The data tests start from, shared by the database, ingest and HTTP tests: the repository's
//! fixtures and the real samples (`../shared/data`, skipped with a line where a clone has none),
//! imported as the product imports them, synthetic OpenAlex works made to a shape (`synthetic`),
//! and a work added straight into the tables (a write that is not an import).

pub mod stubs;
pub mod synthetic;

use ingest::import::{import_file, ImportKind, ImportSummary};
use sqlx::PgPool;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::LazyLock;

/// The checkout this crate is in (`support/test-data/..`/..).
static CHECKOUT: LazyLock<PathBuf> =
    LazyLock::new(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().expect("the checkout"));

pub const REFERENCE_SLUG: &str = "mor-shpigel-nacson-arxiv-fb85d1b566";

/// A file in the repository's `tests/fixtures`.
pub fn fixture(name: &str) -> PathBuf {
    CHECKOUT.join("tests/fixtures").join(name)
}

/// The data folder with the real samples, found as the server finds it (`BZPEER_DATA_DIR`, else
/// `../shared/data` beside the checkout).
fn data_dir() -> PathBuf {
    CHECKOUT.join(ingest::import::demo::data_dir())
}

/// The data folder, for the few tests that exist to exercise the real samples. A clone without
/// it (no `../shared` beside it) skips them: `None`, and a `SKIPPED <test>: <why>` line. Every other
/// test gets its data from `tests/fixtures` or makes it (`synthetic`).
pub fn real_samples() -> Option<PathBuf> {
    let dir = data_dir();
    if dir.is_dir() {
        return Some(dir);
    }
    // Written to stderr itself: the harness keeps what `eprintln!` prints to itself when a test
    // passes, and a skip must show in the run.
    let thread = std::thread::current();
    let test = thread.name().unwrap_or("a test that needs the real samples");
    let _ = writeln!(std::io::stderr(), "SKIPPED {test}: no data folder at {} (BZPEER_DATA_DIR)", dir.display());
    None
}

/// Imports `path` as `kind`, as `server import` does; a failure fails the test.
pub async fn import(pool: &PgPool, kind: ImportKind, path: PathBuf) -> ImportSummary {
    match import_file(pool, kind, &path, false).await {
        Ok(summary) => summary,
        Err(e) => panic!("importing {} failed: {e}", path.display()),
    }
}

/// The reference profile's three works, as the repository keeps them.
pub async fn import_seed(pool: &PgPool) -> ImportSummary {
    import(pool, ImportKind::Arxiv, fixture("arxiv-seed.jsonl")).await
}

/// Adds a 2026 preprint written by the record at `author_slug` alone, straight into the tables
/// (a write that is not an import).
pub async fn add_work_by(pool: &PgPool, author_slug: &str, work_slug: &str, title: &str) {
    sqlx::query(
        "WITH w AS (INSERT INTO works (source, slug, title, work_type, year)
                    VALUES ('arxiv', $2, $3, 'preprint', 2026) RETURNING id)
         INSERT INTO authorships (work_id, position, author_id, raw_name)
         SELECT w.id, 1, a.id, a.display_name FROM w, authors a WHERE a.slug = $1",
    )
    .bind(author_slug)
    .bind(work_slug)
    .bind(title)
    .execute(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
}
