//! Importers for public scholarly metadata: arXiv snapshots and OpenAlex works, authors and
//! institutions. Every run is idempotent, batched in transactions, and skips (and reports) a
//! malformed record without leaving half of it behind.

mod arxiv;
pub mod demo;
mod openalex;
mod source;

use crate::ssr::db::catalogue::{self, Change};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use source::{Location, RecordSource};
use sqlx::{Acquire, PgConnection, PgPool};
use std::fmt;
use std::path::Path;

/// Records written per transaction.
const BATCH_SIZE: usize = 250;
/// Problems printed in full; the rest are counted.
const MAX_REPORTED_PROBLEMS: usize = 50;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    Arxiv,
    OpenAlexWorks,
    OpenAlexAuthors,
    OpenAlexInstitutions,
}

impl ImportKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Arxiv => "arxiv",
            Self::OpenAlexWorks => "openalex-works",
            Self::OpenAlexAuthors => "openalex-authors",
            Self::OpenAlexInstitutions => "openalex-institutions",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        [Self::Arxiv, Self::OpenAlexWorks, Self::OpenAlexAuthors, Self::OpenAlexInstitutions]
            .into_iter()
            .find(|k| k.name() == name)
    }
}

/// What a run did, for the closing summary.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct ImportSummary {
    pub read: usize,
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub skipped: usize,
    /// The first problems met, each with where it was (`line 3`, `index 7`) and why.
    pub problems: Vec<String>,
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
}

/// A reason a single record was skipped.
#[derive(Debug)]
pub(crate) enum RecordError {
    Invalid(String),
    Database(sqlx::Error),
}

impl From<sqlx::Error> for RecordError {
    fn from(e: sqlx::Error) -> Self {
        Self::Database(e)
    }
}

pub(crate) fn invalid(reason: impl Into<String>) -> RecordError {
    RecordError::Invalid(reason.into())
}

/// Imports one file. `progress` draws a progress bar on standard error.
pub async fn import_file(
    pool: &PgPool,
    kind: ImportKind,
    path: &Path,
    progress: bool,
) -> Result<ImportSummary, ImportError> {
    let source = RecordSource::open(path)?;
    let bar = progress_bar(source.total(), progress);
    let mut summary = ImportSummary::default();
    let mut batch = Vec::with_capacity(BATCH_SIZE);
    let mut records = source.into_iter();
    loop {
        batch.clear();
        batch.extend(records.by_ref().take(BATCH_SIZE));
        if batch.is_empty() {
            break;
        }
        let mut tx = pool.begin().await?;
        for (location, record, size) in batch.drain(..) {
            summary.read += 1;
            bar.inc(size);
            let outcome = match record {
                Ok(value) => store_in_savepoint(&mut tx, kind, value).await?,
                Err(reason) => Err(reason),
            };
            match outcome {
                Ok(Change::Created) => summary.created += 1,
                Ok(Change::Updated) => summary.updated += 1,
                Ok(Change::Unchanged) => summary.unchanged += 1,
                Err(reason) => {
                    summary.skipped += 1;
                    let line = format!("{location}: {reason}");
                    bar.suspend(|| tracing::warn!("skipped {line}"));
                    if summary.problems.len() < MAX_REPORTED_PROBLEMS {
                        summary.problems.push(line);
                    }
                }
            }
        }
        tx.commit().await?;
    }
    bar.finish_and_clear();
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let counts =
        [summary.read, summary.created, summary.updated, summary.skipped].map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    let mut conn = pool.acquire().await?;
    catalogue::record_import_run(&mut conn, kind.name(), &name, counts).await?;
    // The records this run touched get their counts and co-authors now, not on the next
    // housekeeping round.
    crate::ssr::db::stats::refresh_marked(&mut conn).await?;
    Ok(summary)
}

/// Stores one record inside a savepoint, so a record the database refuses leaves nothing behind
/// and the batch goes on. Only a failure of the connection itself ends the run.
async fn store_in_savepoint(
    tx: &mut PgConnection,
    kind: ImportKind,
    value: serde_json::Value,
) -> Result<Result<Change, String>, ImportError> {
    let mut savepoint = tx.begin().await?;
    let stored = match kind {
        ImportKind::Arxiv => arxiv::store(&mut savepoint, value).await,
        ImportKind::OpenAlexWorks => openalex::store_work(&mut savepoint, value).await,
        ImportKind::OpenAlexAuthors => openalex::store_author(&mut savepoint, value).await,
        ImportKind::OpenAlexInstitutions => openalex::store_institution(&mut savepoint, value).await,
    };
    match stored {
        Ok(change) => {
            savepoint.commit().await?;
            Ok(Ok(change))
        }
        Err(RecordError::Invalid(reason)) => {
            savepoint.rollback().await?;
            Ok(Err(reason))
        }
        Err(RecordError::Database(sqlx::Error::Database(e))) => {
            savepoint.rollback().await?;
            Ok(Err(format!("the database refused it: {}", e.message())))
        }
        Err(RecordError::Database(e)) => Err(ImportError::Database(e)),
    }
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
        match self {
            Location::Line(n) => write!(f, "line {n}"),
            Location::Index(n) => write!(f, "index {n}"),
        }
    }
}
