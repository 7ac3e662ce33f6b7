//! Harvesters: bring a field's records in from OpenAlex's API (`openalex`, by filter) or arXiv's
//! OAI-PMH (`arxiv`, by set), page by page, through the importers' idempotent merge. Each merged
//! page moves a checkpoint on (`db::harvests`), so an interrupted run resumes where it stopped;
//! `since_last` asks only for what changed since the last complete run of the same query; one run
//! per query at a time across processes.

mod arxiv;
pub mod client;
mod oai;
mod openalex;

use crate::import::{self, ImportError, ImportKind, ImportSummary, Preview};
pub use client::{FetchError, Politeness, Traffic};
use db::writes::harvests::{self, Ending, HarvestLock};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use sqlx::PgPool;
use std::collections::HashSet;
use std::fmt;
use std::time::{Duration, Instant};

/// What to harvest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Query {
    /// Works matching an OpenAlex filter (`topics.id:T10320`, `authorships.author.id:A…`).
    OpenAlex { filter: String },
    /// An arXiv set (`cs`, `math`, `physics:hep-th`), from a date when one is given.
    Arxiv { set: String, from: Option<chrono::NaiveDate> },
}

impl Query {
    pub fn source(&self) -> &'static str {
        match self {
            Self::OpenAlex { .. } => "openalex",
            Self::Arxiv { .. } => "arxiv",
        }
    }

    /// The checkpoint's key: the filter, or the set (a run from another date goes on the same row).
    pub fn key(&self) -> &str {
        match self {
            Self::OpenAlex { filter } => filter,
            Self::Arxiv { set, .. } => set,
        }
    }
}

/// Where the sources are: the real ones, or a test's stubs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub openalex: String,
    pub arxiv: String,
}

impl Endpoints {
    pub const OPENALEX: &'static str = "https://api.openalex.org";
    pub const ARXIV: &'static str = "https://oaipmh.arxiv.org/oai";

    /// `BZPEER_OPENALEX_URL` and `BZPEER_ARXIV_OAI_URL` when set, else the real services.
    pub fn from_env() -> Self {
        let var = |name: &str, default: &str| {
            std::env::var(name).ok().filter(|v| !v.is_empty()).unwrap_or(default.to_owned())
        };
        Self { openalex: var("BZPEER_OPENALEX_URL", Self::OPENALEX), arxiv: var("BZPEER_ARXIV_OAI_URL", Self::ARXIV) }
    }
}

/// How a run goes.
#[derive(Debug, Clone)]
pub struct HarvestOptions {
    /// Stop after this many works (the next run resumes): exactly for OpenAlex (the last page
    /// asks for what is left), at the end of the page that reaches it for arXiv (its pages have
    /// the server's size).
    pub max: Option<usize>,
    /// Ask only for what changed since the last complete run of the same query.
    pub since_last: bool,
    /// Fetch and check, write nothing, report what would change.
    pub dry_run: bool,
    pub progress: bool,
    /// The e-mail address for the sources' polite pools (`BZPEER_CONTACT_EMAIL`).
    pub contact: Option<String>,
    pub endpoints: Endpoints,
    /// The source's own pace and retries unless set (tests set faster ones).
    pub politeness: Option<Politeness>,
}

impl Default for HarvestOptions {
    fn default() -> Self {
        Self {
            max: None,
            since_last: false,
            dry_run: false,
            progress: false,
            contact: std::env::var("BZPEER_CONTACT_EMAIL").ok().filter(|m| m.contains('@')),
            endpoints: Endpoints::from_env(),
            politeness: None,
        }
    }
}

/// A page of a source's list: its records, where the next page starts, and how many the whole
/// list holds when the source says.
pub struct Page {
    pub records: Vec<serde_json::Value>,
    pub next: Option<String>,
    pub total: Option<u64>,
    /// Records the source lists as withdrawn (OAI-PMH `deleted`).
    pub deleted: usize,
}

/// What a run did.
#[derive(Debug, Default, Clone)]
pub struct HarvestSummary {
    pub pages: usize,
    pub works: ImportSummary,
    pub authors: ImportSummary,
    pub institutions: ImportSummary,
    /// For a dry run: the works as found, of which already here.
    pub preview: Option<Preview>,
    pub deleted: usize,
    pub traffic: Traffic,
    pub took: Duration,
    /// The run went on from an earlier one's page.
    pub resumed: bool,
    /// The date asked from (`since_last` or the arXiv `from`).
    pub since: Option<chrono::NaiveDate>,
    /// Every page was read (else `max` stopped it, and the next run resumes).
    pub complete: bool,
}

impl HarvestSummary {
    /// Works a second: what was read over the run's whole time, waits included.
    pub fn works_per_second(&self) -> f64 {
        let read = self.preview.as_ref().map_or(self.works.read, |p| p.valid + p.invalid);
        read as f64 / self.took.as_secs_f64().max(1e-9)
    }
}

impl fmt::Display for HarvestSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.preview {
            write!(
                f,
                "dry run, nothing written: {} pages; {} works would be merged ({} new, {} already here and updated if changed), {} skipped",
                self.pages,
                p.valid,
                p.valid.saturating_sub(p.known),
                p.known,
                p.invalid
            )?;
        } else {
            write!(f, "{} pages; works: {}", self.pages, self.works)?;
            if self.authors.read + self.institutions.read > 0 {
                write!(f, "; authors: {}; institutions: {}", self.authors, self.institutions)?;
            }
        }
        if self.deleted > 0 {
            write!(f, "; {} withdrawn records passed over", self.deleted)?;
        }
        write!(
            f,
            "; {} requests, {} retried; {:.1} s, {:.0} works/s",
            self.traffic.requests,
            self.traffic.retries,
            self.took.as_secs_f64(),
            self.works_per_second()
        )?;
        if !self.complete {
            write!(f, "; stopped before the end, the next run resumes")?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum HarvestError {
    #[error("another run is harvesting {source_name} {query} right now; try again when it has finished")]
    Busy { source_name: &'static str, query: String },
    #[error(transparent)]
    Fetch(#[from] FetchError),
    #[error("{url} answered something that cannot be read: {reason}")]
    Unreadable { url: String, reason: String },
    #[error("the OAI-PMH server answered {code}: {message}")]
    Protocol { code: String, message: String },
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("the database failed during the harvest: {0}")]
    Database(#[from] sqlx::Error),
    #[error("{reason}. The harvest stopped after {pages} pages ({works} works merged); run the same command again to resume from there")]
    Interrupted { reason: String, pages: i32, works: i32 },
}

/// Harvests `query` into the catalogue (or, with `dry_run`, only looks).
pub async fn harvest(pool: &PgPool, query: &Query, options: &HarvestOptions) -> Result<HarvestSummary, HarvestError> {
    let (source, key) = (query.source(), query.key().to_owned());
    let Some(lock) = HarvestLock::try_take(pool, source, &key).await? else {
        return Err(HarvestError::Busy { source_name: source, query: key });
    };
    let result = run(pool, query, options).await;
    lock.release(source, &key).await?;
    result
}

async fn run(pool: &PgPool, query: &Query, options: &HarvestOptions) -> Result<HarvestSummary, HarvestError> {
    let started = Instant::now();
    let (source, key) = (query.source(), query.key());
    let mut conn = pool.acquire().await?;
    let checkpoint = if options.dry_run {
        harvests::peek(&mut conn, source, key).await?
    } else {
        Some(harvests::begin(&mut conn, source, key).await?)
    };
    let asked_from = match query {
        Query::Arxiv { from: Some(from), .. } => Some(*from),
        _ if options.since_last => checkpoint.as_ref().and_then(|c| c.complete_since).map(|t| t.date_naive()),
        _ => None,
    };
    // An unfinished run is resumed when this one asks for the same list (the same command again).
    let resume = checkpoint.as_ref().and_then(|c| c.resume.clone()).filter(|(_, from)| *from == asked_from);
    if let (Some(c), None, false) = (&checkpoint, &resume, options.dry_run) {
        if c.resume.is_some() {
            tracing::info!(
                source,
                query = key,
                "starting over: this run asks for another list than the unfinished one"
            );
            harvests::start_over(&mut conn, c.id).await?;
        }
    }
    let since = asked_from;
    if options.since_last && since.is_none() {
        tracing::info!(source, query = key, "no complete run of this query yet: harvesting all of it");
    }
    let mut summary = HarvestSummary { resumed: resume.is_some(), since, ..HarvestSummary::default() };
    let policy = options.politeness.unwrap_or(match query {
        Query::OpenAlex { .. } => Politeness::OPENALEX,
        Query::Arxiv { .. } => Politeness::ARXIV,
    });
    let name = match query {
        Query::OpenAlex { .. } => "OpenAlex",
        Query::Arxiv { .. } => "arXiv",
    };
    let mut client = client::Client::new(name, policy, options.contact.as_deref())?;
    let bar = progress_bar(options.progress);
    let mut cursor = resume.map(|(cursor, _)| cursor);
    let mut seen = HashSet::new();
    let outcome: Result<(), HarvestError> = async {
        loop {
            let left = options.max.map(|max| max.saturating_sub(summary.works.read + preview_read(&summary)));
            if left == Some(0) {
                break;
            }
            let page = fetch_page(&mut client, query, options, cursor.as_deref(), since, left).await?;
            if let Some(total) = page.total {
                bar.set_length(total);
            }
            summary.pages += 1;
            summary.deleted += page.deleted;
            let label = format!("page {}", summary.pages);
            let count = page.records.len();
            if options.dry_run {
                let seen_page = import::preview(pool, work_kind(query), &label, page.records).await?;
                summary.preview.get_or_insert_with(Preview::default).absorb(seen_page);
            } else {
                merge_page(pool, &mut client, query, options, &label, page.records, &mut seen, &mut summary).await?;
                if let Some(c) = &checkpoint {
                    harvests::page_done(&mut conn, c.id, page.next.as_deref(), since, count).await?;
                }
            }
            bar.inc(count as u64);
            bar.set_message(format!("page {}", summary.pages));
            match page.next {
                Some(next) => cursor = Some(next),
                None => {
                    summary.complete = true;
                    break;
                }
            }
        }
        Ok(())
    }
    .await;
    bar.finish_and_clear();
    summary.traffic = client.traffic;
    summary.took = started.elapsed();
    let Some(checkpoint) = checkpoint.filter(|_| !options.dry_run) else {
        return outcome.map(|()| summary);
    };
    // What was merged gets its counts, co-authors and topic pages now, whatever happened next.
    db::caches::refresh_all_marked(&mut conn).await?;
    let counts = [summary.works.read, summary.works.created, summary.works.updated, summary.works.skipped]
        .map(|n| i32::try_from(n).unwrap_or(i32::MAX));
    db::writes::catalogue::record_import_run(&mut conn, &format!("harvest-{source}"), key, counts).await?;
    match outcome {
        Ok(()) => {
            let ending = if summary.complete { Ending::Complete } else { Ending::Stopped };
            harvests::finish(&mut conn, checkpoint.id, ending, &summary.to_string(), None).await?;
            Ok(summary)
        }
        Err(error) => {
            let reason = error.to_string();
            harvests::finish(&mut conn, checkpoint.id, Ending::Failed, &summary.to_string(), Some(&reason)).await?;
            let (pages, works) = harvests::progress(&mut conn, checkpoint.id).await?;
            Err(HarvestError::Interrupted { reason: crate::domain::text::upper_first(&reason), pages, works })
        }
    }
}

fn preview_read(summary: &HarvestSummary) -> usize {
    summary.preview.as_ref().map_or(0, |p| p.valid + p.invalid)
}

fn work_kind(query: &Query) -> ImportKind {
    match query {
        Query::OpenAlex { .. } => ImportKind::OpenAlexWorks,
        Query::Arxiv { .. } => ImportKind::Arxiv,
    }
}

async fn fetch_page(
    client: &mut client::Client,
    query: &Query,
    options: &HarvestOptions,
    cursor: Option<&str>,
    since: Option<chrono::NaiveDate>,
    left: Option<usize>,
) -> Result<Page, HarvestError> {
    match query {
        Query::OpenAlex { filter } => {
            let filter = match since {
                Some(date) => format!("{filter},from_updated_date:{}", date.format("%Y-%m-%d")),
                None => filter.clone(),
            };
            let per_page = left.unwrap_or(openalex::PER_PAGE);
            let base = &options.endpoints.openalex;
            openalex::works_page(client, base, &filter, cursor.unwrap_or("*"), per_page, options.contact.as_deref())
                .await
        }
        Query::Arxiv { set, .. } => {
            let request = match cursor {
                Some(token) => arxiv::Request::Resume { token },
                None => arxiv::Request::First { set, from: since },
            };
            // OAI-PMH pages have the server's size: a `max` ends the run at the end of the page
            // that reaches it (cutting the page would lose its rest: the token points past it).
            arxiv::records_page(client, &options.endpoints.arxiv, request).await
        }
    }
}

/// Merges one page: for OpenAlex, the institutions its works name first (so affiliations link),
/// then the works, then their authors' own records (affiliations, topics, figures).
#[expect(
    clippy::too_many_arguments,
    reason = "a page merges with everything the harvest carries: the pool, the client, the query, its options, its label, the works, the entities seen and the summary"
)]
async fn merge_page(
    pool: &PgPool,
    client: &mut client::Client,
    query: &Query,
    options: &HarvestOptions,
    label: &str,
    works: Vec<serde_json::Value>,
    seen: &mut HashSet<String>,
    summary: &mut HarvestSummary,
) -> Result<(), HarvestError> {
    let Query::OpenAlex { .. } = query else {
        summary.works.absorb(import::import_values(pool, ImportKind::Arxiv, label, works).await?);
        return Ok(());
    };
    let (authors, institutions) = openalex::referenced(&works, seen);
    let (base, contact) = (&options.endpoints.openalex, options.contact.as_deref());
    let found = openalex::entities(client, base, openalex::Entity::Institutions, &institutions, contact).await?;
    if !found.is_empty() {
        let merged = import::import_values(pool, ImportKind::OpenAlexInstitutions, label, found).await?;
        summary.institutions.absorb(merged);
    }
    summary.works.absorb(import::import_values(pool, ImportKind::OpenAlexWorks, label, works).await?);
    let found = openalex::entities(client, base, openalex::Entity::Authors, &authors, contact).await?;
    if !found.is_empty() {
        summary.authors.absorb(import::import_values(pool, ImportKind::OpenAlexAuthors, label, found).await?);
    }
    Ok(())
}

fn progress_bar(visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    if let Ok(style) =
        ProgressStyle::with_template("{spinner} {msg} [{bar:30}] {pos}/{len} works {elapsed} (eta {eta})")
    {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_message("harvesting");
    bar
}
