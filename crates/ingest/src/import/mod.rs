//! Importers for public scholarly metadata: arXiv snapshots and OpenAlex works, authors and
//! institutions, from files of any size or OpenAlex snapshot directories. Every run is idempotent,
//! streamed in bounded batches, and skips (and reports) a malformed record without leaving half of
//! it behind.

mod arxiv;
pub mod demo;
pub mod export;
mod openalex;
mod pipeline;
mod source;
mod store;

use db::writes::catalogue;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use source::{Location, Position, RecordSource};
use sqlx::PgPool;
use std::fmt;
use std::path::Path;

/// Records read ahead and written per transaction: big enough that a batch's fixed number of
/// merge statements costs little per record, small enough to hold a few in memory.
pub const BATCH_SIZE: usize = 2000;
/// Problems printed in full; the rest are counted.
const MAX_REPORTED_PROBLEMS: usize = 50;

pub use crate::domain::import_kind::ImportKind;

/// What a run did, for the closing summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// The first problems met, each with where it was (`line 3`, `index 7`,
    /// `updated_date=2026-01-01/part_000.gz line 3`) and why.
    pub problems: Vec<String>,
    /// Batches written, and the most records one held: memory is bounded by the batch size.
    pub batches: usize,
    pub largest_batch: usize,
    /// Batches whose set-based merge the database refused, written again record by record.
    pub merges_refused: usize,
}

impl ImportSummary {
    /// Adds another run's counts (a harvest's next page) to these.
    pub fn absorb(&mut self, other: ImportSummary) {
        self.read += other.read;
        self.created += other.created;
        self.updated += other.updated;
        self.unchanged += other.unchanged;
        self.skipped += other.skipped;
        self.batches += other.batches;
        self.largest_batch = self.largest_batch.max(other.largest_batch);
        self.merges_refused += other.merges_refused;
        let room = MAX_REPORTED_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(other.problems.into_iter().take(room));
    }
}

impl fmt::Display for ImportSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "read {}, created {}, updated {}, unchanged {}, skipped {}",
            self.read, self.created, self.updated, self.unchanged, self.skipped
        )
    }
}

/// Why a whole run could not go on. A bad record is never one of these: it is skipped.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("cannot read {path}: {reason}")]
    Unreadable { path: String, reason: String },
    #[error("{path} is not valid JSON or JSON lines: {reason}")]
    NotJson { path: String, reason: String },
    #[error("the database failed during the import: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the synthetic demo catalogue could not be drawn: {0}")]
    Generate(#[from] crate::generate::GenerateError),
}

/// Why a single record cannot be stored, found before it reaches the database.
#[derive(Debug)]
pub(crate) enum RecordError {
    Invalid(String),
}

pub(crate) fn invalid(reason: impl Into<String>) -> RecordError {
    RecordError::Invalid(reason.into())
}

/// How a run reads and writes: tests shrink the batch to watch it stay bounded.
#[derive(Debug, Clone, Copy)]
pub struct ImportOptions {
    /// Draw a progress bar on standard error.
    pub progress: bool,
    /// Records read ahead and written together.
    pub batch_size: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self { progress: false, batch_size: BATCH_SIZE }
    }
}

/// Imports one file, or a snapshot directory (`updated_date=*/part_*.gz`). `progress` draws a
/// progress bar on standard error.
pub async fn import_file(
    pool: &PgPool,
    kind: ImportKind,
    path: &Path,
    progress: bool,
) -> Result<ImportSummary, ImportError> {
    import_with(pool, kind, path, ImportOptions { progress, ..ImportOptions::default() }).await
}

/// [`import_file`] with every option.
pub async fn import_with(
    pool: &PgPool,
    kind: ImportKind,
    path: &Path,
    options: ImportOptions,
) -> Result<ImportSummary, ImportError> {
    let source = RecordSource::open(path)?;
    let bar = progress_bar(source.total(), options.progress);
    let summary = pipeline::run(pool, kind, source, options.batch_size.max(1), &bar).await?;
    bar.finish_and_clear();
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let counts =
        [summary.read, summary.created, summary.updated, summary.skipped].map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let mut conn = pool.acquire().await?;
    catalogue::record_import_run(&mut conn, kind.name(), &name, counts).await?;
    // The records this run touched get their counts and co-authors now, not on the next
    // housekeeping round.
    db::caches::refresh_all_marked(&mut conn).await?;
    Ok(summary)
}

/// Imports records fetched rather than read from a file (a harvested page, named `label` in
/// reports), merged as a file's are. No run is recorded and no aggregate refreshed: the harvest
/// records its own run and refreshes once at its end.
pub async fn import_values(
    pool: &PgPool,
    kind: ImportKind,
    label: &str,
    values: Vec<serde_json::Value>,
) -> Result<ImportSummary, ImportError> {
    let records = source::records_of(label, values);
    pipeline::run(pool, kind, records, BATCH_SIZE, &ProgressBar::hidden()).await
}

/// What importing some records would do, found without writing: how many are valid, how many of
/// those the catalogue already holds (each updated if it changed), and why the rest would be skipped.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Preview {
    pub valid: usize,
    pub known: usize,
    pub invalid: usize,
    pub problems: Vec<String>,
}

impl Preview {
    /// Adds another page's view to this one.
    pub fn absorb(&mut self, other: Preview) {
        self.valid += other.valid;
        self.known += other.known;
        self.invalid += other.invalid;
        let room = MAX_REPORTED_PROBLEMS.saturating_sub(self.problems.len());
        self.problems.extend(other.problems.into_iter().take(room));
    }
}

/// [`import_values`] without the writes: a dry run's view of one page.
pub async fn preview(
    pool: &PgPool,
    kind: ImportKind,
    label: &str,
    values: Vec<serde_json::Value>,
) -> Result<Preview, ImportError> {
    let mut preview = Preview::default();
    let (mut openalex, mut arxiv) = (Vec::new(), Vec::new());
    for (location, value, _) in source::records_of(label, values) {
        match value.and_then(|v| pipeline::prepare_keys(kind, v)) {
            Ok((openalex_id, arxiv_id)) => {
                preview.valid += 1;
                openalex.extend(openalex_id);
                arxiv.extend(arxiv_id);
            }
            Err(reason) => {
                preview.invalid += 1;
                if preview.problems.len() < MAX_REPORTED_PROBLEMS {
                    preview.problems.push(format!("{location}: {reason}"));
                }
            }
        }
    }
    let mut conn = pool.acquire().await?;
    preview.known = db::writes::harvests::known(&mut conn, kind, &openalex, &arxiv).await?;
    Ok(preview)
}

fn progress_bar(total: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {percent:>3}% {elapsed}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("importing");
    bar
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file} ")?;
        }
        match self.at {
            Position::Line(n) => write!(f, "line {n}"),
            Position::Index(n) => write!(f, "index {n}"),
            Position::File => write!(f, "file"),
        }
    }
}
