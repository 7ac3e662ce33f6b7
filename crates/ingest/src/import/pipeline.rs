//! One import run. A reader thread parses and checks records into batches of at most
//! `batch_size`, handed over a channel holding one batch, to writers (two for works) that write
//! them side by side, each on its own connection; batches are counted in the order they were read.
//! A handful of batches are in memory at once, whatever the size of the input. A batch of works is
//! merged set-based; authors and institutions, deferred works, and a batch whose merge the database
//! refused are written record by record, each in a savepoint, so a refused record is reported and
//! skipped alone.

use super::openalex::AuthorEntry;
use super::source::{Location, Record};
use super::{arxiv, openalex, store, ImportError, ImportKind, ImportSummary, MAX_REPORTED_PROBLEMS};
use db::writes::catalogue::{self, Change, InstitutionRecord, WorkRecord};
use indicatif::ProgressBar;
use sqlx::{Connection, PgConnection, PgPool};
use std::collections::BTreeMap;
use tokio::sync::mpsc::{Receiver, Sender};
use tokio::sync::Mutex;

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

/// A record's external ids (OpenAlex, arXiv), or why it cannot be stored: what a dry run looks up.
pub(super) fn prepare_keys(
    kind: ImportKind,
    value: serde_json::Value,
) -> Result<(Option<String>, Option<String>), String> {
    Ok(match prepare(kind, value)? {
        Prepared::Work(work) => (work.fields.openalex_id, work.fields.arxiv_id),
        Prepared::Author(entry) => (entry.author.openalex_id, None),
        Prepared::Institution(inst) => (Some(inst.openalex_id), None),
    })
}

/// Batches of works written side by side, each writer on its own connection: the merge is bound
/// by the database (search vectors, index and foreign-key upkeep), which then uses both cores.
/// Authors and institutions files, written record by record, have one writer.
const WORK_WRITERS: usize = 2;

/// A batch written, with what happened to each record, for the summary.
struct Written {
    seq: usize,
    batch: Vec<Item>,
    outcomes: Vec<Outcome>,
    refused: bool,
}

pub(super) async fn run(
    pool: &PgPool,
    kind: ImportKind,
    source: impl Iterator<Item = Record> + Send + 'static,
    batch_size: usize,
    bar: &ProgressBar,
) -> Result<ImportSummary, ImportError> {
    let (sender, receiver) = tokio::sync::mpsc::channel::<(usize, Vec<Item>)>(1);
    let reader = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(batch_size);
        let mut seq = 0;
        for (location, value, size) in source {
            let record = value.and_then(|v| prepare(kind, v));
            batch.push(Item { location, size, record });
            if batch.len() == batch_size {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(batch_size));
                if sender.blocking_send((seq, full)).is_err() {
                    // The writers stopped (the database failed): nothing more to read for.
                    return;
                }
                seq += 1;
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send((seq, batch));
        }
    });
    let merged = matches!(kind, ImportKind::Arxiv | ImportKind::OpenAlexWorks);
    let receiver = Mutex::new(receiver);
    let (done, mut written) = tokio::sync::mpsc::channel::<Written>(WORK_WRITERS);
    // The writers run side by side in this task: their work is in the database.
    let first = writer(pool, merged, &receiver, done.clone());
    let second = writer(pool, merged, &receiver, done);
    let second = async move {
        if merged {
            second.await
        } else {
            Ok(())
        }
    };
    // Batches are counted in the order they were read, whichever writer finished first.
    let count = async {
        let mut summary = ImportSummary::default();
        let mut waiting: BTreeMap<usize, Written> = BTreeMap::new();
        while let Some(batch) = written.recv().await {
            waiting.insert(batch.seq, batch);
            while let Some(batch) = waiting.remove(&summary.batches) {
                tally(&mut summary, batch, bar);
            }
        }
        summary
    };
    let (summary, first, second) = tokio::join!(count, first, second);
    first?;
    second?;
    reader.await.map_err(|e| ImportError::Unreadable { path: "the input".to_owned(), reason: e.to_string() })?;
    Ok(summary)
}

/// One writer: writes batches until the reader is done; on a failure it stops the reader (the
/// other writer finishes what was read). An `async fn`, not a closure returning a future, so the
/// run's future stays `Send` for any lifetime (a harvest runs in a spawned task).
async fn writer(
    pool: &PgPool,
    merged: bool,
    receiver: &Mutex<Receiver<(usize, Vec<Item>)>>,
    done: Sender<Written>,
) -> Result<(), ImportError> {
    let result = write_batches(pool, merged, receiver, &done).await;
    if result.is_err() {
        receiver.lock().await.close();
    }
    drop(done);
    result
}

async fn write_batches(
    pool: &PgPool,
    merged: bool,
    receiver: &Mutex<Receiver<(usize, Vec<Item>)>>,
    done: &Sender<Written>,
) -> Result<(), ImportError> {
    let mut conn = pool.acquire().await?;
    if merged {
        catalogue::create_staging_tables(&mut conn).await?;
    }
    loop {
        let next = receiver.lock().await.recv().await;
        let Some((seq, batch)) = next else { return Ok(()) };
        let (outcomes, refused) = if merged {
            write_works(&mut conn, &batch).await?
        } else {
            (write_one_by_one(&mut conn, &batch).await?, false)
        };
        if done.send(Written { seq, batch, outcomes, refused }).await.is_err() {
            return Ok(());
        }
    }
}

fn tally(summary: &mut ImportSummary, written: Written, bar: &ProgressBar) {
    summary.batches += 1;
    summary.largest_batch = summary.largest_batch.max(written.batch.len());
    summary.merges_refused += usize::from(written.refused);
    for (item, outcome) in written.batch.iter().zip(written.outcomes) {
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

/// A deadlock with the other writer (both adding the same new author, say): the transaction is
/// tried again rather than a record reported as refused.
fn is_transient(e: &dyn sqlx::error::DatabaseError) -> bool {
    matches!(e.code().as_deref(), Some("40P01" | "40001"))
}

/// Attempts at a transaction that meets a deadlock.
const ATTEMPTS: usize = 5;

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
    let mut attempt = 1;
    let (mut tx, merged) = loop {
        let mut tx = conn.begin().await?;
        match catalogue::merge_works(&mut tx, &works).await {
            Ok(merged) => break (tx, merged),
            Err(sqlx::Error::Database(e)) if is_transient(&*e) && attempt < ATTEMPTS => {
                tx.rollback().await?;
                attempt += 1;
            }
            Err(sqlx::Error::Database(e)) => {
                tx.rollback().await?;
                tracing::warn!("the database refused a batch merge ({}); writing its records one by one", e.message());
                return Ok((write_one_by_one(conn, batch).await?, true));
            }
            Err(e) => return Err(e.into()),
        }
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
    catalogue::store_citations(&mut tx, &works).await?;
    tx.commit().await?;
    Ok((outcomes, false))
}

async fn write_one_by_one(conn: &mut PgConnection, batch: &[Item]) -> Result<Vec<Outcome>, ImportError> {
    let mut tx = conn.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut stored = Vec::new();
    for item in batch {
        outcomes.push(match &item.record {
            Err(reason) => Err(reason.clone()),
            Ok(prepared) => {
                let outcome = store_in_savepoint(&mut tx, prepared).await?;
                if let (Ok(_), Prepared::Work(work)) = (&outcome, prepared) {
                    stored.push(work);
                }
                outcome
            }
        });
    }
    catalogue::store_citations(&mut tx, &stored).await?;
    tx.commit().await?;
    Ok(outcomes)
}

/// Stores one record inside a savepoint, so a record the database refuses leaves nothing behind
/// and the batch goes on. Only a failure of the connection itself ends the run.
async fn store_in_savepoint(tx: &mut PgConnection, prepared: &Prepared) -> Result<Outcome, ImportError> {
    let mut attempt = 1;
    loop {
        let mut savepoint = tx.begin().await?;
        let stored = match prepared {
            Prepared::Work(work) => store::store_work(&mut savepoint, work).await,
            Prepared::Author(author) => store::store_author(&mut savepoint, author).await,
            Prepared::Institution(inst) => store::store_institution(&mut savepoint, inst).await,
        };
        match stored {
            Ok(change) => {
                savepoint.commit().await?;
                return Ok(Ok(change));
            }
            Err(sqlx::Error::Database(e)) if is_transient(&*e) && attempt < ATTEMPTS => {
                savepoint.rollback().await?;
                attempt += 1;
            }
            Err(sqlx::Error::Database(e)) => {
                savepoint.rollback().await?;
                return Ok(Err(format!("the database refused it: {}", e.message())));
            }
            Err(e) => return Err(ImportError::Database(e)),
        }
    }
}
