//! `server harvest openalex|arxiv`: the command line of the harvesters, with a progress bar and
//! a closing summary (what was merged, requests and retries, works a second).

use crate::ops::config::Settings;
use crate::ops::database;
use clap::{Args, Subcommand};
use ingest::harvest::{self, HarvestOptions, Query};

#[derive(Debug, Subcommand)]
pub enum HarvestCommand {
    /// Works matching an OpenAlex filter (e.g. topics.id:T10320, authorships.author.id:A5023888391,
    /// from_updated_date:2026-11-01), with the authors and institutions they name.
    Openalex {
        /// The OpenAlex filter, as in the API's `filter=` parameter.
        #[arg(long)]
        filter: String,
        #[command(flatten)]
        run: RunArgs,
    },
    /// An arXiv set (e.g. cs, math, physics:hep-th) through OAI-PMH, in arXiv's metadata format.
    Arxiv {
        /// The OAI-PMH set.
        #[arg(long)]
        set: String,
        /// Only records added or changed on or after this date (YYYY-MM-DD).
        #[arg(long, conflicts_with = "since_last")]
        from: Option<chrono::NaiveDate>,
        #[command(flatten)]
        run: RunArgs,
    },
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// Stop after this many works (for arXiv, at the end of the page that reaches it); the next
    /// run of the same query goes on from there.
    #[arg(long)]
    max: Option<usize>,
    /// Only what changed since the last complete run of the same query.
    #[arg(long)]
    since_last: bool,
    /// Fetch and check everything, write nothing, and say what would change.
    #[arg(long)]
    dry_run: bool,
}

pub async fn run(command: HarvestCommand) -> anyhow::Result<()> {
    let (query, args) = match command {
        HarvestCommand::Openalex { filter, run } => (Query::OpenAlex { filter: filter.trim().to_owned() }, run),
        HarvestCommand::Arxiv { set, from, run } => (Query::Arxiv { set: set.trim().to_owned(), from }, run),
    };
    if query.key().is_empty() || query.key().contains(char::is_whitespace) {
        anyhow::bail!("the {} query must be one word without spaces, not {:?}", query.source(), query.key());
    }
    if args.max == Some(0) {
        anyhow::bail!("--max must be at least 1");
    }
    let options = HarvestOptions {
        max: args.max,
        since_last: args.since_last,
        dry_run: args.dry_run,
        progress: true,
        ..HarvestOptions::default()
    };
    if options.contact.is_none() && matches!(query, Query::OpenAlex { .. }) {
        eprintln!("note: set BZPEER_CONTACT_EMAIL to your e-mail address to use OpenAlex's polite pool");
    }
    let db = database::open(&Settings::from_env(), false).await?;
    let result = harvest::harvest(&db.pool, &query, &options).await;
    db.pool.close().await;
    let summary = result?;
    let problems = summary.preview.as_ref().map_or_else(
        || summary.works.problems.iter().chain(&summary.authors.problems).collect::<Vec<_>>(),
        |p| p.problems.iter().collect(),
    );
    for problem in problems {
        eprintln!("skipped {problem}");
    }
    let from = match (summary.resumed, summary.since) {
        (true, _) => " (resumed where the last run stopped)".to_owned(),
        (false, Some(since)) => format!(" (changed since {since})"),
        (false, None) => String::new(),
    };
    println!("harvested {} {}{from}: {summary}", query.source(), query.key());
    Ok(())
}
