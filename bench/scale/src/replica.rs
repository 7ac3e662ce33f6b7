//! `bench-scale --replica`: the profile page with its reads on a streaming replica against the
//! same page reading the primary, measured side by side in one run on one catalogue. The primary
//! is a private cluster in `target/bench-scale/replica/` (a base backup of the shared server
//! would copy every database on it, and needs a replication entry in its `pg_hba.conf`), the
//! replica is made from it with `pg_basebackup -R`; both keep their data for the next run.

use crate::load::{self, RunResult};
use crate::sample::{self, Kind, Target};
use crate::{database, process, Args};
use server::ops::embedded::EmbeddedPostgres;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Throughput with reads on the replica, over the same on the primary, at least this.
const RATIO_BUDGET: f64 = 0.90;
/// Rounds of (primary, replica), alternated so that neither runs on a warmer cache.
const ROUNDS: usize = 2;

pub async fn run(mut args: Args) -> anyhow::Result<()> {
    let base = Path::new("target/bench-scale/replica");
    std::fs::create_dir_all(base)?;
    // Started from this (the main) thread, which lives as long as the run.
    let primary = EmbeddedPostgres::start(&base.join("primary"))?;
    // `database::prepare` and `server generate` use the primary through DATABASE_URL.
    std::env::set_var("DATABASE_URL", socket_url(&primary, "postgres"));
    args.database = "bzpeer_scale".to_owned();
    let db = database::prepare(&args).await?;
    // A fresh base backup every run: a replica kept from an earlier run may need WAL the
    // primary has since recycled.
    let replica_dir = base.join("replica");
    if replica_dir.exists() {
        std::fs::remove_dir_all(&replica_dir)?;
    }
    let replica = primary.start_replica(&replica_dir)?;
    let replica_url = socket_url(&replica, &args.database);
    println!("Primary {}, replica {} (pg_basebackup -R)", primary.base().display(), replica.base().display());

    let mix = sample::sample(&mut *db.pool.acquire().await?, args.seed).await?;
    let on_primary = process::start(&args.server, &args.site, args.port, &db.url, &[]).await?;
    let on_replica =
        process::start(&args.server, &args.site, args.port + 1, &db.url, &[("DATABASE_READ_URL", &replica_url)])
            .await?;
    let profiles: Vec<Target> =
        mix.profiles.iter().map(|slug| Target::page(Kind::Profile, format!("/authors/{slug}"))).collect();
    // Warm-up: every profile once on each (graph layouts kept, caches filled).
    let warm = Arc::new(profiles.clone());
    for server in [&on_primary, &on_replica] {
        load::drive(server.addr, warm.clone(), None, load::CONCURRENCY, Duration::from_secs(120)).await;
    }

    let count = (args.requests / 4).max(1_000);
    let cycle = Arc::new(profiles.iter().cycle().take(count).cloned().collect::<Vec<_>>());
    let limit = Duration::from_secs(args.seconds.div_ceil(2));
    let replica_reads_before = transactions(&replica, &args.database).await?;
    let (mut primary_runs, mut replica_runs) = (Vec::new(), Vec::new());
    let lags = Arc::new(Mutex::new(Vec::new()));
    for _ in 0..ROUNDS {
        primary_runs.push(load::drive(on_primary.addr, cycle.clone(), None, load::CONCURRENCY, limit).await);
        let watching = tokio::spawn(watch_lag(on_replica.addr, lags.clone()));
        replica_runs.push(load::drive(on_replica.addr, cycle.clone(), None, load::CONCURRENCY, limit).await);
        watching.abort();
    }
    // The replica's statistics reach pg_stat_database when its backends go idle (within ~10 s).
    tokio::time::sleep(Duration::from_secs(11)).await;
    let replica_reads = transactions(&replica, &args.database).await? - replica_reads_before;
    on_primary.stop().await;
    on_replica.stop().await;

    println!(
        "\nProfile page, reads on the primary vs on the replica: {} profiles, {} connections, {ROUNDS} rounds of \
         {count} requests each, alternated",
        profiles.len(),
        load::CONCURRENCY
    );
    println!(
        "{:<17} {:>7} {:>6} {:>9} {:>9} {:>9} {:>8}",
        "reads on", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "req/s"
    );
    let primary_total = summary("primary", &primary_runs);
    let replica_total = summary("replica", &replica_runs);
    let ratio = replica_total / primary_total.max(f64::EPSILON);
    let mut lags = lags.lock().map(|l| l.clone()).unwrap_or_default();
    lags.sort_unstable();
    let lag = |q: f64| lags.get(((lags.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0);
    println!(
        "  transactions on the replica's database during the replica runs: {replica_reads}\n  replica lag seen by the \
         server during its runs (every 200 ms, {} samples): median {} ms, max {} ms",
        lags.len(),
        lag(0.5),
        lag(1.0)
    );
    let verdict = if ratio >= RATIO_BUDGET && replica_reads > 0 { "PASS" } else { "FAIL" };
    println!(
        "{verdict} replica read throughput: {ratio:.2} of the primary's (budget >= {RATIO_BUDGET:.2}; one machine: \
         both servers share its cores, so this measures the cost of the routing, not added capacity)"
    );
    Ok(())
}

/// A URL for `database` on an embedded cluster's Unix socket.
fn socket_url(cluster: &EmbeddedPostgres, database: &str) -> String {
    format!("postgres://postgres@localhost:5432/{database}?host={}", cluster.socket_dir().display())
}

/// Prints one line over all runs and returns their requests per second.
fn summary(name: &str, runs: &[RunResult]) -> f64 {
    let mut latencies: Vec<Duration> =
        runs.iter().filter_map(|r| r.kinds.get(&Kind::Profile)).flat_map(|k| k.latencies.iter().copied()).collect();
    latencies.sort_unstable();
    let errors: usize = runs.iter().filter_map(|r| r.kinds.get(&Kind::Profile)).map(|k| k.errors).sum();
    let secs: f64 = runs.iter().map(|r| r.elapsed.as_secs_f64()).sum();
    let rate = latencies.len() as f64 / secs.max(f64::EPSILON);
    let ms = |q: f64| load::quantile_of_sorted(&latencies, q).as_secs_f64() * 1e3;
    println!(
        "{name:<17} {:>7} {errors:>6} {:>9.1} {:>9.1} {:>9.1} {rate:>8.1}",
        latencies.len(),
        ms(0.5),
        ms(0.95),
        ms(0.99)
    );
    rate
}

/// Transactions committed so far in `database` on the replica.
async fn transactions(replica: &EmbeddedPostgres, database: &str) -> anyhow::Result<i64> {
    use sqlx::Connection;
    let mut conn = sqlx::PgConnection::connect_with(&replica.connect_options("postgres")).await?;
    let count: i64 = sqlx::query_scalar("SELECT xact_commit FROM pg_stat_database WHERE datname = $1")
        .bind(database)
        .fetch_one(&mut conn)
        .await?;
    Ok(count)
}

/// Samples the lag the server's replica monitor reports on `/readyz`, until aborted.
async fn watch_lag(addr: std::net::SocketAddr, lags: Arc<Mutex<Vec<u64>>>) {
    let mut client = loopback_http::Client::new(addr);
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(3600) {
        if let Ok(answer) = client.get("/readyz", &[], Duration::from_secs(2)).await {
            let body = String::from_utf8_lossy(&answer.body).into_owned();
            let behind = body
                .lines()
                .filter_map(|l| l.split(", ").nth(1)?.strip_suffix(" ms behind")?.parse::<u64>().ok())
                .max();
            if let (Some(ms), Ok(mut lags)) = (behind, lags.lock()) {
                lags.push(ms);
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}
