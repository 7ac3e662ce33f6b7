//! `make bench-scale`: the release server on a synthetic catalogue (generated once per size and
//! seed into its own database) under a fixed-concurrency mix of page kinds; plans of the kinds
//! over budget, sequential scans on any page path, the framework's overhead against a bare
//! handler, database round trips per profile view, and one line per budget. A report: it exits
//! 0 whatever the figures, and fails only when it cannot measure.

mod bare;
mod database;
mod explain;
mod load;
mod process;
mod replica;
mod report;
mod sample;
mod suggest_eval;
mod views;

use clap::Parser;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

#[derive(Debug, Parser)]
#[command(name = "bench-scale", about = "Load benchmark of the release server on a large synthetic catalogue")]
pub struct Args {
    #[arg(long, default_value_t = 1_000_000)]
    pub authors: u64,
    #[arg(long, default_value_t = 3_000_000)]
    pub works: u64,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// The database (on the server of DATABASE_URL, else the local one at 127.0.0.1:5432).
    #[arg(long, default_value = "bzpeer_scale")]
    pub database: String,
    /// Measure the database as it is (no `server generate`): demo data or rows of your own.
    #[arg(long)]
    pub no_generate: bool,
    #[arg(long, default_value = "target/server-release/server")]
    pub server: PathBuf,
    #[arg(long, default_value = "target/site")]
    pub site: PathBuf,
    /// The server under load; the explaining server listens on the next port, the bare handler
    /// on the one after.
    #[arg(long, default_value_t = 3230)]
    pub port: u16,
    /// At most this many requests in the mixed load...
    #[arg(long, default_value_t = 20_000)]
    pub requests: usize,
    /// ...and at most this many seconds.
    #[arg(long, default_value_t = 120)]
    pub seconds: u64,
    /// Instead of the mixed load: the profile page with its reads on a streaming replica against
    /// the same on the primary (a private primary and replica under target/bench-scale/replica).
    #[arg(long)]
    pub replica: bool,
    /// Instead of the mixed load: collaborator suggestions against the latest year's new
    /// co-authorships, on the demo catalogue and on this database's (`make bench-suggest`).
    #[arg(long)]
    pub suggest: bool,
    /// OpenAlex works imported per second, as the streaming importer measured it (for its budget).
    #[arg(long)]
    pub import_rate: Option<f64>,
}

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(args)) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bench-scale: cannot measure: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    if args.replica {
        return replica::run(args).await;
    }
    if args.suggest {
        return suggest_eval::run(args).await;
    }
    let db = database::prepare(&args).await?;
    let mut out = report::Report::new(&args, &db);
    out.section_catalogue(&db).await?;

    let mut mix = sample::sample(&mut *db.pool.acquire().await?, args.seed).await?;
    let real = process::start(&args.server, &args.site, args.port, &db.url, &[]).await?;
    let session = database::log_in_and_follow(&real, &db.pool, &mix).await?;

    // Warm-up and capture: every profile the comparison uses, logged out, once; revalidations
    // send the ETag that view was answered with.
    let (pages, etags) = database::capture_profiles(real.addr, &mix.profiles).await?;
    mix.revalidate(&etags);

    let schedule = Arc::new(load::mix_schedule(&mix, args.requests, args.seed));
    println!(
        "\nMixed load: {} connections, at most {} requests and {} s, loopback ({})",
        load::CONCURRENCY,
        args.requests,
        args.seconds,
        real.addr
    );
    let result =
        load::drive(real.addr, schedule, Some(session.clone()), load::CONCURRENCY, Duration::from_secs(args.seconds))
            .await;
    out.section_load(&result);

    // Framework overhead: the same profile URLs, same concurrency, real route then bare handler.
    let profiles: Vec<sample::Target> = mix
        .profiles
        .iter()
        .filter(|slug| pages.contains_key(*slug))
        .map(|slug| sample::Target::page(sample::Kind::Profile, format!("/authors/{slug}")))
        .collect();
    let bare_pool = server::ops::database::pool_options().connect_with(db.options.clone()).await?;
    let bare_addr = bare::start(bare_pool, pages, args.port + 2).await?;
    let count = (args.requests / 4).max(500);
    let cycle = Arc::new(profiles.iter().cycle().take(count).cloned().collect::<Vec<_>>());
    let limit = Duration::from_secs(args.seconds.div_ceil(2));
    let real_run = load::drive(real.addr, cycle.clone(), None, load::CONCURRENCY, limit).await;
    let bare_run = load::drive(bare_addr, cycle, None, load::CONCURRENCY, limit).await;
    let per_view_real = database::round_trips(&db, real.addr, &profiles).await?;
    let per_view_bare = database::round_trips(&db, bare_addr, &profiles).await?;
    out.section_framework(&real_run, &bare_run, per_view_real, per_view_bare);

    // What a view costs (CPU and round trips, cold, warm and logged in) and the profile/static
    // ratio, on records outside the mix.
    let records = views::distinct_records(&db, CPU_VIEWS).await?;
    let cpu = match real.pid() {
        Some(pid) => views::cpu(&db, real.addr, pid, &records, &session.reader).await?,
        None => None,
    };
    let upstream = (db.options.get_host().to_owned(), db.options.get_port());
    let upstream = tokio::net::lookup_host(upstream)
        .await?
        .next()
        .ok_or_else(|| anyhow::anyhow!("cannot resolve the database's host"))?;
    let proxy = views::proxy(upstream, args.port + 4).await?;
    let counted =
        process::start(&args.server, &args.site, args.port + 3, &views::through(&db.url, proxy.addr)?, &[]).await?;
    let trips_records = views::distinct_records(&db, TRIP_VIEWS).await?;
    let (trips, pings) = views::round_trips(&db, counted.addr, &proxy, &trips_records, &session.reader).await?;
    counted.stop().await;
    let (page_run, file_run, static_ratio) = views::static_ratio(real.addr, &mix.profiles, count, limit).await?;
    out.section_views(CPU_VIEWS, cpu, TRIP_VIEWS, (trips, pings), &page_run, &file_run, static_ratio);
    real.stop().await;

    // Plans: one request of every kind (its slowest in the load) on a server that explains
    // every statement.
    let explaining = process::start(
        &args.server,
        &args.site,
        args.port + 1,
        &db.url,
        &[("BZPEER_EXPLAIN_SLOWER_THAN_MS", "0"), ("RUST_LOG", "warn,sqlx::postgres::notice=info")],
    )
    .await?;
    let replayed: Vec<sample::Target> = sample::Kind::ALL
        .iter()
        .filter_map(|kind| {
            let slowest = result.kinds.get(kind).and_then(|k| k.slowest.as_ref()).map(|(_, path)| path.clone());
            let targets = mix.of(*kind);
            slowest
                .and_then(|path| targets.iter().find(|t| t.path_with_slug() == path))
                .or_else(|| targets.first())
                .cloned()
        })
        .collect();
    let replays = explain::replay(&explaining, &replayed, &session).await;
    explaining.stop().await;
    out.section_plans(&db, &result, &replays).await?;
    out.budgets(&result, &real_run, &bare_run);
    Ok(())
}

/// Sequential profile views of distinct records for the CPU per view (each sort)...
const CPU_VIEWS: i64 = 2_000;
/// ...and for the round trips per view.
const TRIP_VIEWS: i64 = 200;
