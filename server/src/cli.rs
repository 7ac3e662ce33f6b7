//! The command line: `serve` (the default), `import <kind> <file or snapshot directory>`,
//! `export openalex-works --out <dir>`, `generate`, `user grant-moderator <email>`.

use crate::config::Settings;
use crate::database;
use crate::startup::{router, shutdown_signal, spawn_housekeeping, AppState};
use app::ssr::import::{self, demo, export, ImportKind};
use app::ssr::mail::Mailer;
use axum::serve::ListenerExt;
use clap::{Parser, Subcommand, ValueEnum};
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
            Command::Serve { no_demo, fresh } => serve(no_demo, fresh).await,
            Command::Import { kind, file } => import_one(kind.into(), file).await,
            Command::Generate { authors, works, seed, replace } => {
                generate(app::ssr::generate::Size { authors, works, seed }, replace).await
            }
            Command::Export { what: ExportWhat::OpenalexWorks, out, part_size } => export_works(out, part_size).await,
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

async fn serve(no_demo: bool, fresh: bool) -> anyhow::Result<()> {
    let settings = Settings::from_env();
    let conf = leptos::config::get_configuration(None)?;
    let leptos_options = with_hashed_assets(conf.leptos_options);
    let addr = leptos_options.site_addr;
    let db = database::open(&settings, fresh).await?;
    if !no_demo {
        let started = Instant::now();
        let report = demo::load_if_empty(&db.pool, &demo::data_dir(), false).await?;
        if !report.skipped_because_not_empty {
            tracing::info!(
                files = report.files.len(),
                missing = report.missing.len(),
                took_ms = started.elapsed().as_millis() as u64,
                "demo data imported"
            );
        }
    }
    let site_url = settings.site_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    let mailer = match &settings.smtp_url {
        Some(url) => Mailer::smtp(url, &settings.mail_from).map_err(anyhow::Error::msg)?,
        None => {
            tracing::info!(
                "mail: no BZPEER_SMTP_URL; mail goes to the outbox table (BZPEER_DEV_OUTBOX=1 shows it at /dev/outbox)"
            );
            Mailer::Outbox
        }
    };
    let dev_outbox = crate::config::dev_outbox_allowed(settings.dev_outbox, addr, &site_url).unwrap_or_else(|why| {
        tracing::warn!("{why}");
        false
    });
    if dev_outbox {
        tracing::warn!("BZPEER_DEV_OUTBOX: mail is shown at {site_url}/dev/outbox; never expose this server");
    }
    spawn_housekeeping(db.pool.clone());
    let app = router(AppState {
        leptos_options,
        pool: db.pool.clone(),
        site_url,
        mailer,
        dev_outbox,
        trusted_proxies: settings.trusted_proxies,
    });
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {addr}: {e}"))?
        .tap_io(|tcp| {
            // Responses go out as written: with Nagle's algorithm the last segment of a small
            // response waited for the client's delayed ACK, ~40 ms per asset on a kept-alive
            // connection.
            if let Err(e) = tcp.set_nodelay(true) {
                tracing::warn!(%e, "could not set TCP_NODELAY on a connection");
            }
        });
    tracing::info!("listening on http://{addr}");
    axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown_signal())
        .await?;
    db.pool.close().await;
    drop(db);
    Ok(())
}

/// Asset names are hashed exactly when the build wrote their hashes beside the binary
/// (cargo-leptos `hash-files`), whatever `LEPTOS_HASH_FILES` says: a binary started directly,
/// not by cargo-leptos, serves them too, and one without the file does not fail on every page.
fn with_hashed_assets(mut options: leptos::config::LeptosOptions) -> leptos::config::LeptosOptions {
    let beside_binary =
        std::env::current_exe().ok().and_then(|exe| exe.parent().map(|dir| dir.join(&*options.hash_file)));
    let hashed = beside_binary.as_ref().is_some_and(|file| file.is_file());
    if options.hash_files && !hashed {
        tracing::warn!(file = ?beside_binary, "LEPTOS_HASH_FILES is set but there is no hash file: serving plain names");
    }
    options.hash_files = hashed;
    tracing::info!(hashed, "asset names");
    options
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

async fn generate(size: app::ssr::generate::Size, replace: bool) -> anyhow::Result<()> {
    let db = database::open(&Settings::from_env(), false).await?;
    let report = app::ssr::generate::generate(&db.pool, size, replace, true).await?;
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
    let email = app::domain::account::Email::try_from(email.to_owned()).map_err(anyhow::Error::msg)?;
    let db = database::open(&Settings::from_env(), false).await?;
    let granted = app::ssr::db::claims::grant_moderator(&db.pool, email.as_str()).await?;
    db.pool.close().await;
    if granted {
        println!("{email} is now a moderator");
        Ok(())
    } else {
        anyhow::bail!("no account with the e-mail address {email}")
    }
}
