//! The command line: `serve` (the default, see `serve`), `import <kind> <file or snapshot directory>`,
//! `export openalex-works --out <dir>`, `generate`, `harvest openalex|arxiv`, `user grant-moderator <email>`.

pub mod harvest;

use crate::ops::config::Settings;
use crate::ops::database;
use clap::{Parser, Subcommand, ValueEnum};
use ingest::import::{self, export, ImportKind};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

#[derive(Debug, Parser)]
#[command(name = "server", about = "BZPEER: serve the site or import scholarly metadata")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve the site (the default). Imports the demo data into an empty database first.
    Serve {
        /// Do not import the demo data, even into an empty database.
        #[arg(long)]
        no_demo: bool,
        /// Drop and recreate the local or embedded database first (for test runs).
        #[arg(long)]
        fresh: bool,
    },
    /// Import one metadata file (JSON lines, plain or .gz, or a JSON array) or an OpenAlex
    /// snapshot directory (updated_date=*/part_*.gz).
    Import {
        #[arg(value_enum)]
        kind: Kind,
        file: PathBuf,
    },
    /// Fill the database with a synthetic catalogue shaped like the real one (for scale tests and
    /// benchmarks), deterministic per seed.
    Generate {
        /// Author records to draw.
        #[arg(long)]
        authors: usize,
        /// Works to draw.
        #[arg(long)]
        works: usize,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Empty the catalogue first (with it go the follows, claims and invitations of its records).
        #[arg(long)]
        replace: bool,
    },
    /// Write the catalogue's works as an OpenAlex snapshot: DIR/updated_date=YYYY-MM-DD/part_NNN.gz.
    Export {
        #[arg(value_enum)]
        what: ExportWhat,
        /// The snapshot directory to write into.
        #[arg(long)]
        out: PathBuf,
        /// Works per part file.
        #[arg(long, default_value_t = 100_000)]
        part_size: usize,
    },
    /// Harvest a field's records from OpenAlex's API or arXiv's OAI-PMH (resumable, idempotent).
    Harvest {
        #[command(subcommand)]
        source: crate::cli::harvest::HarvestCommand,
    },
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
}

#[derive(Debug, Subcommand)]
enum UserCommand {
    /// Let the account with this e-mail address review claims at /moderation/claims.
    GrantModerator { email: String },
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum ExportWhat {
    OpenalexWorks,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Kind {
    Arxiv,
    OpenalexWorks,
    OpenalexAuthors,
    OpenalexInstitutions,
}

impl From<Kind> for ImportKind {
    fn from(kind: Kind) -> Self {
        match kind {
            Kind::Arxiv => ImportKind::Arxiv,
            Kind::OpenalexWorks => ImportKind::OpenAlexWorks,
            Kind::OpenalexAuthors => ImportKind::OpenAlexAuthors,
            Kind::OpenalexInstitutions => ImportKind::OpenAlexInstitutions,
        }
    }
}

pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The futures below run on this (the main) thread, so an embedded cluster is spawned from a
    // thread that lives as long as the process.
    let result = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve { no_demo: false, fresh: false }) {
            Command::Serve { no_demo, fresh } => crate::ops::serve::serve(no_demo, fresh).await,
            Command::Import { kind, file } => import_one(kind.into(), file).await,
            Command::Generate { authors, works, seed, replace } => {
                generate(ingest::generate::Size { authors, works, seed }, replace).await
            }
            Command::Export { what: ExportWhat::OpenalexWorks, out, part_size } => export_works(out, part_size).await,
            Command::Harvest { source } => crate::cli::harvest::run(source).await,
            Command::User { command: UserCommand::GrantModerator { email } } => grant_moderator(&email).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn import_one(kind: ImportKind, file: PathBuf) -> anyhow::Result<()> {
    if !file.is_file() && !file.is_dir() {
        anyhow::bail!("{} is not a readable file or directory", file.display());
    }
    let settings = Settings::from_env();
    let db = database::open(&settings, false).await?;
    let started = Instant::now();
    let summary = import::import_file(&db.pool, kind, &file, true).await?;
    for problem in &summary.problems {
        eprintln!("skipped {problem}");
    }
    if summary.skipped > summary.problems.len() {
        eprintln!("… and {} more skipped records", summary.skipped - summary.problems.len());
    }
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "{} {}: {summary} in {seconds:.2} s ({:.0} records/s)",
        kind.name(),
        file.display(),
        summary.read as f64 / seconds.max(1e-9)
    );
    db.pool.close().await;
    Ok(())
}

async fn export_works(out: PathBuf, part_size: usize) -> anyhow::Result<()> {
    let db = database::open(&Settings::from_env(), false).await?;
    let started = Instant::now();
    let summary = export::export_openalex_works(&db.pool, &out, part_size).await?;
    println!(
        "exported {} works into {} files under {} in {:.2} s",
        summary.works,
        summary.files.len(),
        out.display(),
        started.elapsed().as_secs_f64()
    );
    db.pool.close().await;
    Ok(())
}

async fn generate(size: ingest::generate::Size, replace: bool) -> anyhow::Result<()> {
    let db = database::open(&Settings::from_env(), false).await?;
    let report = ingest::generate::generate(&db.pool, size, replace, true).await?;
    let t = &report.totals;
    println!(
        "generated {} author records, {} works, {} authorships, {} institutions, {} topics (seed {}) \
         in {:.1} s: load {:.1} s, indexes {:.1} s; database size {:.2} GiB",
        t.authors,
        t.works,
        t.authorships,
        t.institutions,
        t.topics,
        size.seed,
        report.total.as_secs_f64(),
        report.load.as_secs_f64(),
        report.indexes.as_secs_f64(),
        report.database_bytes as f64 / f64::from(1 << 30),
    );
    db.pool.close().await;
    Ok(())
}

async fn grant_moderator(email: &str) -> anyhow::Result<()> {
    let email = bzpeer_core::domain::account::Email::try_from(email.to_owned()).map_err(anyhow::Error::msg)?;
    let db = database::open(&Settings::from_env(), false).await?;
    let granted = db::writes::claims::grant_moderator(&db.pool, email.as_str()).await?;
    db.pool.close().await;
    if granted {
        println!("{email} is now a moderator");
        Ok(())
    } else {
        anyhow::bail!("no account with the e-mail address {email}")
    }
}
