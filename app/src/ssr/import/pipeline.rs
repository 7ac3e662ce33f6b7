//! One import run. A reader thread parses and checks records into batches of at most
//! `batch_size`, handed over a channel holding one batch, while this task writes the batch before:
//! at most three batches are in memory, whatever the size of the input. A batch of works is
//! merged set-based; authors and institutions, deferred works, and a batch whose merge the database
//! refused are written record by record, each in a savepoint, so a refused record is reported and
//! skipped alone.

use super::openalex::AuthorEntry;
use super::source::{Location, RecordSource};
use super::{arxiv, openalex, store, ImportError, ImportKind, ImportSummary, MAX_REPORTED_PROBLEMS};
use crate::ssr::db::catalogue::{self, Change, InstitutionRecord, WorkRecord};
use indicatif::ProgressBar;
use sqlx::{Connection, PgConnection};

/// A record checked and read, ready for the database.
enum Prepared {
    Work(WorkRecord),
    Author(AuthorEntry),
    Institution(InstitutionRecord),
}

struct Item {
    location: Location,
    /// Bytes of input read for it, for the progress bar.
    size: u64,
    record: Result<Prepared, String>,
}

fn prepare(kind: ImportKind, value: serde_json::Value) -> Result<Prepared, String> {
    match kind {
        ImportKind::Arxiv => arxiv::prepare(value).map(Prepared::Work),
        ImportKind::OpenAlexWorks => openalex::prepare_work(value).map(Prepared::Work),
        ImportKind::OpenAlexAuthors => openalex::prepare_author(value).map(Prepared::Author),
        ImportKind::OpenAlexInstitutions => openalex::prepare_institution(value).map(Prepared::Institution),
    }
}

pub(super) async fn run(
    conn: &mut PgConnection,
    kind: ImportKind,
    source: RecordSource,
    batch_size: usize,
    bar: &ProgressBar,
) -> Result<ImportSummary, ImportError> {
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<Item>>(1);
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(batch_size);
        for (location, value, size) in source {
            let record = value.and_then(|v| prepare(kind, v));
            batch.push(Item { location, size, record });
            if batch.len() == batch_size {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                if sender.blocking_send(full).is_err() {
                    // The writer stopped (the database failed): nothing more to read for.
                    return;
                }
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
    });
    let merged = matches!(kind, ImportKind::Arxiv | ImportKind::OpenAlexWorks);
    if merged {
        catalogue::create_staging_tables(conn).await?;
    }
    let mut summary = ImportSummary::default();
    while let Some(batch) = receiver.recv().await {
        summary.batches += 1;
        summary.largest_batch = summary.largest_batch.max(batch.len());
        let outcomes = if merged {
            let (outcomes, refused) = write_works(conn, &batch).await?;
            summary.merges_refused += usize::from(refused);
            outcomes
        } else {
            write_one_by_one(conn, &batch).await?
        };
        for (item, outcome) in batch.iter().zip(outcomes) {
            summary.read += 1;
            bar.inc(item.size);
            match outcome {
                Ok(Change::Created) => summary.created += 1,
                Ok(Change::Updated) => summary.updated += 1,
                Ok(Change::Unchanged) => summary.unchanged += 1,
                Err(reason) => {
                    summary.skipped += 1;
                    let line = format!("{}: {reason}", item.location);
                    bar.suspend(|| tracing::warn!("skipped {line}"));
                    if summary.problems.len() < MAX_REPORTED_PROBLEMS {
                        summary.problems.push(line);
                    }
                }
            }
        }
    }
    reader.await.map_err(|e| ImportError::Unreadable { path: "the input".to_owned(), reason: e.to_string() })?;
    Ok(summary)
}

type Outcome = Result<Change, String>;

/// Merges a batch of works in one transaction; the records the merge defers follow one by one.
/// If the database refuses the merge, the whole batch is written again one by one (`true`).
async fn write_works(conn: &mut PgConnection, batch: &[Item]) -> Result<(Vec<Outcome>, bool), ImportError> {
    let works: Vec<&WorkRecord> = batch
        .iter()
        .filter_map(|item| match &item.record {
            Ok(Prepared::Work(work)) => Some(work),
            _ => None,
        })
        .collect();
    if works.is_empty() {
        return Ok((write_one_by_one(conn, batch).await?, false));
    }
    let mut tx = conn.begin().await?;
    let merged = match catalogue::merge_works(&mut tx, &works).await {
        Ok(merged) => merged,
        Err(sqlx::Error::Database(e)) => {
            tx.rollback().await?;
            tracing::warn!("the database refused a batch merge ({}); writing its records one by one", e.message());
            return Ok((write_one_by_one(conn, batch).await?, true));
        }
        Err(e) => return Err(e.into()),
    };
    let mut merged = merged.into_iter();
    let mut outcomes = Vec::with_capacity(batch.len());
    for item in batch {
        outcomes.push(match &item.record {
            Err(reason) => Err(reason.clone()),
            Ok(prepared) => match merged.next().flatten() {
                Some(change) => Ok(change),
                None => store_in_savepoint(&mut tx, prepared).await?,
            },
        });
    }
    tx.commit().await?;
    Ok((outcomes, false))
}

async fn write_one_by_one(conn: &mut PgConnection, batch: &[Item]) -> Result<Vec<Outcome>, ImportError> {
    let mut tx = conn.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    for item in batch {
        outcomes.push(match &item.record {
            Err(reason) => Err(reason.clone()),
            Ok(prepared) => store_in_savepoint(&mut tx, prepared).await?,
        });
    }
    tx.commit().await?;
    Ok(outcomes)
}

/// Stores one record inside a savepoint, so a record the database refuses leaves nothing behind
/// and the batch goes on. Only a failure of the connection itself ends the run.
async fn store_in_savepoint(tx: &mut PgConnection, prepared: &Prepared) -> Result<Outcome, ImportError> {
    let mut savepoint = tx.begin().await?;
    let stored = match prepared {
        Prepared::Work(work) => store::store_work(&mut savepoint, work).await,
        Prepared::Author(author) => store::store_author(&mut savepoint, author).await,
        Prepared::Institution(inst) => store::store_institution(&mut savepoint, inst).await,
    };
    match stored {
        Ok(change) => {
            savepoint.commit().await?;
            Ok(Ok(change))
        }
        Err(sqlx::Error::Database(e)) => {
            savepoint.rollback().await?;
            Ok(Err(format!("the database refused it: {}", e.message())))
        }
        Err(e) => Err(ImportError::Database(e)),
    }
}
