//! The report, printed as the run goes: the catalogue, latency per kind, the framework's overhead,
//! the plans of the kinds over budget and the big sequential scans, then one line per budget.

use crate::database::Db;
use crate::explain::{big_seq_scans, Replay};
use crate::load::{KindResult, RunResult};
use crate::sample::Kind;
use crate::views::PerView;
use crate::Args;
use std::collections::{BTreeSet, HashMap};
use std::time::Duration;

/// A table "big" enough that scanning it whole on a page path is a finding.
const SEQ_SCAN_ROWS: f64 = 10_000.0;

/// The latency budget of a page kind: its name, quantile and limit in milliseconds.
pub fn page_budget(kind: Kind) -> Option<(&'static str, f64, f64)> {
    match kind {
        Kind::Profile | Kind::ProfileTop100 => Some(("profile-p99", 0.99, 20.0)),
        Kind::ProfileBr => Some(("profile-br-p99", 0.99, 20.0)),
        Kind::Profile304 => Some(("profile-304-p99", 0.99, 20.0)),
        Kind::Work => Some(("work-p99", 0.99, 20.0)),
        Kind::GraphSlice => Some(("graph-slice-p95", 0.95, 50.0)),
        Kind::Explore3 => Some(("explore-3-p95", 0.95, 100.0)),
        Kind::SearchSurname | Kind::SearchRareName | Kind::SearchTitle => Some(("search-p95", 0.95, 50.0)),
        Kind::SearchFiltered => Some(("search-filtered-p95", 0.95, 50.0)),
        Kind::Topic => Some(("topic-p95", 0.95, 20.0)),
        Kind::Institution => Some(("institution-p95", 0.95, 20.0)),
        // A sitemap is 50,000 URLs (about 4 MB before compression), fetched by crawlers now and then.
        Kind::Sitemap => Some(("sitemap-p95", 0.95, 50.0)),
        Kind::RecordBib => Some(("record-bib-p95", 0.95, 100.0)),
        Kind::ApiWorks => Some(("api-works-p95", 0.95, 50.0)),
        Kind::Feed => Some(("feed-p95", 0.95, 20.0)),
        Kind::Suggestions => Some(("suggestions-p95", 0.95, 20.0)),
        Kind::Follow | Kind::Unfollow => None,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub struct Report {
    generation: Option<(f64, String)>,
    database_size: i64,
    import_rate: Option<f64>,
    seq_scans: usize,
    cpu: Option<PerView>,
    trips: PerView,
    static_ratio: f64,
}

impl Report {
    pub fn new(args: &Args, db: &Db) -> Self {
        Self {
            generation: db.generation.clone(),
            database_size: 0,
            import_rate: args.import_rate,
            seq_scans: 0,
            cpu: None,
            trips: PerView::default(),
            static_ratio: 0.0,
        }
    }

    pub async fn section_catalogue(&mut self, db: &Db) -> anyhow::Result<()> {
        let (now, size, authors, works, authorships): (String, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT to_char(now(), 'YYYY-MM-DD HH24:MI TZ'), pg_database_size(current_database()),
                    (SELECT count(*) FROM authors), (SELECT count(*) FROM works), (SELECT count(*) FROM authorships)",
        )
        .fetch_one(&db.pool)
        .await?;
        self.database_size = size;
        let cpu = std::fs::read_to_string("/proc/cpuinfo")
            .ok()
            .and_then(|c| {
                c.lines()
                    .find(|l| l.starts_with("model name"))
                    .map(|l| l.split(':').nth(1).unwrap_or("").trim().to_owned())
            })
            .unwrap_or_else(|| "unknown CPU".to_owned());
        let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
        println!("\nbench-scale, {now}: {cores} cores ({cpu})");
        println!(
            "Catalogue in {}: {authors} authors, {works} works, {authorships} authorships; database size {:.1} MB",
            db.name,
            size as f64 / 1e6
        );
        Ok(())
    }

    pub fn section_load(&self, run: &RunResult) {
        let secs = run.elapsed.as_secs_f64();
        println!(
            "{} requests in {secs:.1} s, {:.0} requests/s\n",
            run.total(),
            run.total() as f64 / secs.max(f64::EPSILON)
        );
        println!(
            "{:<17} {:>7} {:>6} {:>9} {:>9} {:>9} {:>9} {:>8}",
            "kind", "count", "errors", "p50 ms", "p95 ms", "p99 ms", "max ms", "req/s"
        );
        for (kind, k) in &run.kinds {
            println!("{}", row(&kind.to_string(), k, secs));
        }
        for e in &run.first_errors {
            println!("  error: {e}");
        }
    }

    pub fn section_framework(&self, real: &RunResult, bare: &RunResult, trips_real: f64, trips_bare: f64) {
        println!("\nFramework overhead: the same profile URLs, {} connections", crate::load::CONCURRENCY);
        for (name, run) in [("real route", real), ("bare handler", bare)] {
            let k = run.kinds.get(&Kind::Profile);
            let secs = run.elapsed.as_secs_f64();
            if let Some(k) = k {
                println!("{}", row(name, k, secs));
            }
        }
        println!("  throughput ratio real/bare: {:.2}", ratio(real, bare));
        println!(
            "  database transactions per logged-out profile view: real {trips_real:.2}, bare {trips_bare:.2} \
             (pg_stat_database over 50 sequential views)"
        );
    }

    #[expect(clippy::too_many_arguments, reason = "one section of the report, each figure named")]
    pub fn section_views(
        &mut self,
        cpu_views: i64,
        cpu: Option<PerView>,
        trip_views: i64,
        (trips, pings): (PerView, PerView),
        pages: &RunResult,
        file: &RunResult,
        static_ratio: f64,
    ) {
        println!("\nWhat a profile view costs (sequential views of distinct records outside the mix)");
        match cpu {
            Some(c) => println!(
                "  CPU, server + PostgreSQL, over {cpu_views} views each: cold {:.2} ms, warm {:.2} ms, logged in {:.2} ms \
                 (a record's first view ever, its graph laid out: {:.2} ms)",
                c.cold, c.warm, c.logged_in, c.first
            ),
            None => println!("  CPU: n/a (PostgreSQL's processes are not on this machine)"),
        }
        println!(
            "  round trips to PostgreSQL (Query and Sync messages, counted by a proxy), over {trip_views} views each: \
             cold {:.2}, warm {:.2}, logged in {:.2}; of which pings (a bare Sync: sqlx checks a connection \
             when the pool takes it back) cold {:.2}, warm {:.2}, logged in {:.2} (first view ever: {:.2}, \
             pings {:.2})",
            trips.cold, trips.warm, trips.logged_in, pings.cold, pings.warm, pings.logged_in, trips.first, pings.first
        );
        println!(
            "\nProfile against a static file: {} connections, as a browser asks (brotli)",
            crate::load::CONCURRENCY
        );
        for (name, run) in [("profile", pages), ("stylesheet", file)] {
            if let Some(k) = run.kinds.get(&Kind::ProfileBr) {
                println!("{}", row(name, k, run.elapsed.as_secs_f64()));
            }
        }
        println!("  ratio profile/static: {static_ratio:.2}");
        (self.cpu, self.trips, self.static_ratio) = (cpu, trips, static_ratio);
    }

    pub async fn section_plans(&mut self, db: &Db, run: &RunResult, replays: &[Replay]) -> anyhow::Result<()> {
        let rows: HashMap<String, f64> = sqlx::query_as::<_, (String, f64)>(
            "SELECT c.relname::text, CASE WHEN c.reltuples >= 0 THEN c.reltuples::float8
                                     ELSE coalesce(s.n_live_tup, 0)::float8 END
             FROM pg_class c LEFT JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relkind IN ('r', 'p', 'm')",
        )
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .collect();
        for replay in replays {
            let Some((name, q, limit)) = page_budget(replay.kind) else { continue };
            let Some(k) = run.kinds.get(&replay.kind) else { continue };
            let measured = ms(k.quantile(q));
            if measured <= limit {
                continue;
            }
            println!(
                "\nOver budget: {} {name} {measured:.1} ms > {limit} ms. Replayed alone: {}\n\
                 {} statements took {:.1} ms of the request's {:.1} ms (with auto_explain's own cost); their plans:\n",
                replay.kind,
                replay.request,
                replay.plans.len(),
                replay.statements_ms(),
                ms(replay.took)
            );
            for plan in &replay.plans {
                println!("{plan}\n");
            }
        }
        let mut found = BTreeSet::new();
        for replay in replays {
            for plan in &replay.plans {
                for (table, n) in big_seq_scans(plan, &rows, SEQ_SCAN_ROWS) {
                    found.insert((replay.kind, table, n as i64));
                }
            }
        }
        println!("\nSequential scans of tables over {SEQ_SCAN_ROWS} rows on a page path (one request of every kind, every statement explained):");
        if found.is_empty() {
            println!("  none");
        }
        for (kind, table, n) in &found {
            println!("  {kind}: Seq Scan on {table} ({n} rows)");
        }
        let statements: usize = replays.iter().filter(|r| r.kind == Kind::Profile).map(|r| r.plans.len()).sum();
        println!("  (statements behind the replayed profile view, logged out: {statements})");
        self.seq_scans = found.len();
        Ok(())
    }

    pub fn budgets(&self, run: &RunResult, real: &RunResult, bare: &RunResult) {
        println!();
        let line = |name: &str, measured: String, limit: &str, pass: bool| {
            println!("budget {name} {measured} {limit} {}", if pass { "PASS" } else { "FAIL" });
        };
        match &self.generation {
            Some((secs, how)) => {
                line("generation-time", format!("{secs:.0}s"), "900s", *secs <= 900.0);
                println!("  (generation time {how})");
            }
            None => println!("budget generation-time n/a 900s (not generated by a bench run: no timing recorded)"),
        }
        match self.import_rate {
            Some(rate) => line("import-rate", format!("{rate:.0}works/s"), "5000works/s", rate >= 5000.0),
            None => println!(
                "budget import-rate n/a 5000works/s (measured by the streaming importer's own run; pass IMPORT_RATE=<works/s>)"
            ),
        }
        // A budget shared by several kinds holds the worst of them.
        let mut worst: Vec<(&str, f64, f64)> = Vec::new();
        for kind in Kind::ALL {
            let (Some((name, q, limit)), Some(k)) = (page_budget(kind), run.kinds.get(&kind)) else { continue };
            let measured = ms(k.quantile(q));
            match worst.iter_mut().find(|(n, _, _)| *n == name) {
                Some(entry) => entry.1 = entry.1.max(measured),
                None => worst.push((name, measured, limit)),
            }
        }
        for (name, measured, limit) in worst {
            line(name, format!("{measured:.1}ms"), &format!("{limit}ms"), measured <= limit);
        }
        let errors: usize = run.kinds.values().map(|k| k.errors).sum();
        line("errors", errors.to_string(), "0", errors == 0);
        line("seq-scans", self.seq_scans.to_string(), "0", self.seq_scans == 0);
        let r = ratio(real, bare);
        line("framework-ratio", format!("{r:.2}"), "0.8", r >= 0.8);
        match self.cpu {
            Some(cpu) => {
                line("cpu-warm-view", format!("{:.2}ms", cpu.warm), "0.3ms", cpu.warm <= 0.3);
                line("cpu-cold-view", format!("{:.2}ms", cpu.cold), "5ms", cpu.cold <= 5.0);
            }
            None => println!("budget cpu-warm-view n/a 0.3ms\nbudget cpu-cold-view n/a 5ms"),
        }
        let trips = self.trips;
        line("round-trips-warm", format!("{:.2}", trips.warm), "1", trips.warm <= 1.0);
        line("round-trips-cold", format!("{:.2}", trips.cold), "2", trips.cold <= 2.0);
        line("round-trips-logged-in", format!("{:.2}", trips.logged_in), "3", trips.logged_in <= 3.0);
        let r = self.static_ratio;
        line("profile-static-ratio", format!("{r:.2}"), "0.5", r >= 0.5);
        println!("database size {:.1} MB", self.database_size as f64 / 1e6);
    }
}

fn row(name: &str, k: &KindResult, secs: f64) -> String {
    format!(
        "{name:<17} {:>7} {:>6} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>8.1}",
        k.latencies.len(),
        k.errors,
        ms(k.quantile(0.50)),
        ms(k.quantile(0.95)),
        ms(k.quantile(0.99)),
        ms(k.quantile(1.0)),
        k.latencies.len() as f64 / secs.max(f64::EPSILON)
    )
}

/// Throughput of the real route over the bare handler's.
fn ratio(real: &RunResult, bare: &RunResult) -> f64 {
    let rate = |r: &RunResult| r.total() as f64 / r.elapsed.as_secs_f64().max(f64::EPSILON);
    rate(real) / rate(bare).max(f64::EPSILON)
}
