//! `server generate`: a synthetic catalogue of a given size, drawn deterministically from a seed
//! (`catalogue`, with the distributions of `shape`) and loaded with COPY. The catalogue tables'
//! indexes and constraints are dropped first and rebuilt after the load, two at a time.

mod catalogue;
mod pools;
mod rows;
mod shape;
mod text;

pub use catalogue::{draw, Sink, Size, Totals};
pub use rows::Field;

use db::writes::bulk::{self, Deferred, Table};
use db::writes::catalogue as store;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sqlx::postgres::PgPoolOptions;
use sqlx::{ConnectOptions, PgPool};
use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::sync::mpsc;

/// COPY streams for the works table (the slowest to load: its search vector is computed per row).
const WORK_STREAMS: usize = 2;
/// Chunks a stream holds before the generator waits for the database.
const CHUNKS_IN_FLIGHT: usize = 4;
/// Indexes and constraints rebuilt at once.
const INDEX_WORKERS: usize = 2;

/// What a run did and how long it took.
#[derive(Debug, Clone)]
pub struct GenerateReport {
    pub totals: Totals,
    pub load: Duration,
    pub indexes: Duration,
    pub total: Duration,
    pub database_bytes: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum GenerateError {
    #[error(
        "the database already holds a catalogue ({works} works, {authors} author records); \
         run again with --replace to empty it first (with it go the follows, claims and invitations of its records)"
    )]
    NotEmpty { works: i64, authors: i64 },
    #[error("the database failed during the load: {0}")]
    Database(#[from] sqlx::Error),
    #[error("the generator stopped: {0}")]
    Stopped(String),
}

/// Draws a catalogue of `size` and loads it into the (empty, or emptied with `replace`) database.
pub async fn generate(
    pool: &PgPool,
    size: Size,
    replace: bool,
    progress: bool,
) -> Result<GenerateReport, GenerateError> {
    let started = Instant::now();
    // One connection per COPY stream, plus the index workers', to the database `pool` reaches.
    let database = bulk::current_database(pool).await?;
    let options = (*pool.connect_options()).clone().database(&database);
    let pool = PgPoolOptions::new()
        .max_connections((Table::ALL.len() + WORK_STREAMS + INDEX_WORKERS) as u32)
        // The index rebuilds are slow statements on purpose.
        .connect_with(options.disable_statement_logging())
        .await?;
    {
        let mut conn = pool.acquire().await?;
        let (works, authors) = bulk::catalogue_counts(&mut conn).await?;
        if works + authors > 0 {
            if !replace {
                return Err(GenerateError::NotEmpty { works, authors });
            }
            bulk::empty_catalogue(&mut conn).await?;
        }
    }
    bulk::defer_indexes(&pool).await?;

    let bar = progress_bar(size.works as u64, progress);
    let totals = load(&pool, size, bar.clone()).await?;
    let load_time = started.elapsed();

    bar.set_message("rebuilding indexes");
    restore_indexes(&pool, &bar).await?;
    let indexed = started.elapsed();
    let mut conn = pool.acquire().await?;
    bulk::continue_identities(&mut conn).await?;
    bar.set_message("vacuuming and analysing");
    bulk::vacuum_analyze(&mut conn).await?;
    // Topic and institution pages read caches the load's disabled triggers did not mark.
    bar.set_message("topic and institution aggregates");
    db::caches::subjects::mark_all(&mut conn).await?;
    db::caches::subjects::refresh_marked(&mut conn).await?;
    bar.set_message("collaborator suggestions");
    db::caches::suggestions::rebuild_after_bulk_load(&mut conn).await?;
    let works = i32::try_from(totals.works).unwrap_or(i32::MAX);
    let name = format!("authors={} works={} seed={}", size.authors, size.works, size.seed);
    store::record_import_run(&mut conn, "generate", &name, [works, works, 0, 0]).await?;
    let database_bytes = bulk::database_size(&mut conn).await?;
    bar.finish_and_clear();
    let total = started.elapsed();
    Ok(GenerateReport { totals, load: load_time, indexes: indexed - load_time, total, database_bytes })
}

/// Draws on a blocking thread while a task per COPY stream writes what it draws.
async fn load(pool: &PgPool, size: Size, bar: ProgressBar) -> Result<Totals, GenerateError> {
    let mut senders: Vec<Vec<mpsc::Sender<Vec<u8>>>> = Vec::new();
    let mut copies = Vec::new();
    for table in Table::ALL {
        let streams = if table == Table::Works { WORK_STREAMS } else { 1 };
        let mut table_senders = Vec::new();
        for _ in 0..streams {
            let (tx, rx) = mpsc::channel(CHUNKS_IN_FLIGHT);
            table_senders.push(tx);
            let pool = pool.clone();
            copies.push(tokio::spawn(async move { bulk::copy_chunks(&pool, table, rx).await }));
        }
        senders.push(table_senders);
    }
    let drawing = tokio::task::spawn_blocking(move || {
        let mut sink = CopySink::new(senders, bar);
        let totals = catalogue::draw(size, &mut sink);
        sink.finish();
        totals
    });
    let totals = drawing.await.map_err(|e| GenerateError::Stopped(e.to_string()))?;
    for copy in copies {
        copy.await.map_err(|e| GenerateError::Stopped(e.to_string()))??;
    }
    Ok(totals)
}

/// Rebuilds the deferred indexes and unique constraints, biggest tables first, then the foreign
/// keys, `INDEX_WORKERS` at a time.
async fn restore_indexes(pool: &PgPool, bar: &ProgressBar) -> Result<(), sqlx::Error> {
    let pending = bulk::deferred(&mut *pool.acquire().await?).await?;
    let (foreign_keys, mut indexes): (Vec<Deferred>, Vec<Deferred>) =
        pending.into_iter().partition(Deferred::is_foreign_key);
    indexes.sort_by_key(|d| (!d.statement.contains("USING gin"), size_rank(&d.table_name)));
    for stage in [indexes, foreign_keys] {
        let queue = Arc::new(Mutex::new(VecDeque::from(stage)));
        let workers: Vec<_> = (0..INDEX_WORKERS)
            .map(|_| {
                let (queue, pool, bar) = (queue.clone(), pool.clone(), bar.clone());
                tokio::spawn(async move {
                    let mut conn = pool.acquire().await?;
                    loop {
                        let next = queue.lock().map(|mut q| q.pop_front()).unwrap_or(None);
                        let Some(item) = next else { return Ok::<(), sqlx::Error>(()) };
                        bar.set_message(format!("rebuilding {}", item.name));
                        bulk::restore_one(&mut conn, item.position, &item.statement).await?;
                    }
                })
            })
            .collect();
        for worker in workers {
            worker.await.map_err(|e| sqlx::Error::Protocol(format!("an index worker stopped: {e}")))??;
        }
    }
    Ok(())
}

/// Larger tables first, so the longest rebuilds start early.
fn size_rank(table: &str) -> usize {
    ["works", "authorships", "authorship_institutions", "coauthors", "work_topics", "author_topics", "authors"]
        .iter()
        .position(|t| *t == table)
        .unwrap_or(usize::MAX)
}

/// Buffers rows per table and sends full chunks to the table's COPY stream(s), round robin.
struct CopySink {
    buffers: Vec<Vec<u8>>,
    senders: Vec<Vec<mpsc::Sender<Vec<u8>>>>,
    turns: Vec<usize>,
    closed: bool,
    bar: ProgressBar,
    works: u64,
}

impl CopySink {
    fn new(senders: Vec<Vec<mpsc::Sender<Vec<u8>>>>, bar: ProgressBar) -> Self {
        let n = senders.len();
        Self { buffers: vec![Vec::new(); n], senders, turns: vec![0; n], closed: false, bar, works: 0 }
    }

    fn slot(table: Table) -> usize {
        Table::ALL.iter().position(|t| *t == table).unwrap_or(0)
    }

    fn flush(&mut self, slot: usize) {
        let chunk = std::mem::replace(&mut self.buffers[slot], Vec::with_capacity(rows::CHUNK_BYTES + 64 * 1024));
        if chunk.is_empty() || self.closed {
            return;
        }
        let streams = &self.senders[slot];
        let stream = &streams[self.turns[slot] % streams.len()];
        self.turns[slot] += 1;
        // A stream that stopped has failed on the database; its error ends the run.
        if stream.blocking_send(chunk).is_err() {
            self.closed = true;
        }
    }

    fn finish(mut self) {
        for slot in 0..self.buffers.len() {
            self.flush(slot);
        }
        self.bar.set_position(self.works);
    }
}

impl Sink for CopySink {
    fn row(&mut self, table: Table, fields: &[Field<'_>]) {
        let slot = Self::slot(table);
        rows::push_row(&mut self.buffers[slot], fields);
        if self.buffers[slot].len() >= rows::CHUNK_BYTES {
            self.flush(slot);
        }
    }

    fn work_done(&mut self) {
        self.works += 1;
        if self.works.is_multiple_of(1_000) {
            self.bar.set_position(self.works);
        }
    }

    fn is_closed(&self) -> bool {
        self.closed
    }
}

fn progress_bar(total: u64, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} works {elapsed} (eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("generating");
    bar
}
