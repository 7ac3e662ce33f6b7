//! The demo data `make run` loads into an empty database: the reference profile's seed, then the
//! arXiv and OpenAlex samples from the shared data folder. A clone without that folder gets a
//! synthetic catalogue of a few thousand made-up researchers instead (`generate`), with the
//! committed seed, so every page, the graph and search have something to show.

use super::{import_file, ImportKind, ImportSummary};
use db::writes::catalogue;
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The seed, as committed in this repository (used when the data folder has none).
pub const BUNDLED_SEED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/arxiv-seed.jsonl");

/// The files of the demo data, in import order, relative to the data folder.
const DEMO_FILES: &[(ImportKind, &str)] = &[
    (ImportKind::Arxiv, "seed/arxiv-seed.jsonl"),
    (ImportKind::Arxiv, "arxiv-sample/arxiv-metadata-oai-snapshot.jsonl"),
    (ImportKind::OpenAlexInstitutions, "openalex-sample/institutions.json"),
    (ImportKind::OpenAlexWorks, "openalex-sample/works.json"),
    (ImportKind::OpenAlexAuthors, "openalex-sample/authors.json"),
];

/// The made-up catalogue of a clone without a data folder: a few thousand researchers in
/// communities across the arXiv topics, "Machine Learning" (the seed's) among the largest.
pub const SYNTHETIC: crate::generate::Size = crate::generate::Size { authors: 3_000, works: 9_000, seed: 2026 };

/// The data folder: `BZPEER_DATA_DIR` when set, else `../shared/data` beside the checkout.
pub fn data_dir() -> PathBuf {
    std::env::var_os("BZPEER_DATA_DIR").map_or_else(|| PathBuf::from("../shared/data"), PathBuf::from)
}

/// What the demo loader did, file by file.
#[derive(Debug, Default)]
pub struct DemoReport {
    pub files: Vec<(String, ImportSummary, Duration)>,
    pub missing: Vec<String>,
    pub skipped_because_not_empty: bool,
    /// The synthetic catalogue drawn because there was no data folder: works and researchers.
    pub synthetic: Option<(u64, u64)>,
}

/// Imports the demo data when the catalogue is empty; a database that already holds works is
/// left alone. Missing files are reported and passed over.
pub async fn load_if_empty(pool: &PgPool, dir: &Path, progress: bool) -> Result<DemoReport, super::ImportError> {
    let mut report = DemoReport::default();
    if !catalogue::catalogue_is_empty(&mut *pool.acquire().await?).await? {
        report.skipped_because_not_empty = true;
        return Ok(report);
    }
    if !dir.is_dir() {
        tracing::warn!(
            dir = %dir.display(),
            "no data folder here (set BZPEER_DATA_DIR): loading DEMO DATA, {} made-up researchers and {} made-up works \
             beside the reference profile's three real ones",
            SYNTHETIC.authors,
            SYNTHETIC.works
        );
        let started = Instant::now();
        let generated = crate::generate::generate(pool, SYNTHETIC, false, progress).await?;
        tracing::info!(
            works = generated.totals.works,
            researchers = generated.totals.authors,
            took_ms = started.elapsed().as_millis() as u64,
            "demo data: synthetic catalogue drawn"
        );
        report.synthetic = Some((generated.totals.works, generated.totals.authors));
    }
    for (kind, relative) in DEMO_FILES {
        let mut path = dir.join(relative);
        if !path.is_file() && *relative == "seed/arxiv-seed.jsonl" {
            path = PathBuf::from(BUNDLED_SEED);
        }
        if !path.is_file() {
            tracing::warn!(file = %path.display(), "demo file not found; going on without it");
            report.missing.push(path.display().to_string());
            continue;
        }
        let started = Instant::now();
        let summary = import_file(pool, *kind, &path, progress).await?;
        let took = started.elapsed();
        tracing::info!(file = %path.display(), kind = kind.name(), %summary, took_ms = took.as_millis() as u64, "imported");
        report.files.push((path.display().to_string(), summary, took));
    }
    Ok(report)
}
