//! `make bench-suggest`: collaborator suggestions measured against what happened. On each
//! catalogue (the demo a clean clone loads, and a large synthetic one), every co-authorship first
//! seen in the latest year is hidden; the records are ranked from the earlier years alone, with
//! the product's ranking (`domain::suggest`, over the neighbourhood the product keeps: the 60
//! strongest ties, topic profiles of 8, 30 peers per topic) and the baselines in the same run;
//! precision@10, recall@10 and MRR against the new co-authorships, and PASS when ours beats the
//! best baseline on each. A report: it exits 0 whatever the figures.

use bzpeer_core::domain::suggest::{
    rank_with, Fields, Neighbourhood, Person, Scorer, Tie, Weights, FIRST_HOP, WEIGHTS,
};
use sqlx::postgres::PgPoolOptions;
use sqlx::{ConnectOptions, PgPool};
use std::collections::{HashMap, HashSet};
use std::str::FromStr;
use std::time::Instant;

/// Records evaluated per catalogue (evenly spread over those with a new co-author).
const SAMPLE: usize = 2_000;
/// Ranked positions MRR looks at.
const DEPTH: usize = 100;
/// Topics kept per record and peers per topic, as the product keeps them.
const TOPICS_KEPT: usize = 8;
const PEERS_PER_TOPIC: usize = db::caches::suggestions::PEERS_PER_TOPIC as usize;

const SCORERS: [(Scorer, &str); 4] = [
    (Scorer::Ours, "BZPEER ranking"),
    (Scorer::CommonNeighbours, "common neighbours"),
    (Scorer::AdamicAdar, "Adamic-Adar"),
    (Scorer::TopicOverlap, "topic overlap alone"),
];

pub async fn run(args: crate::Args) -> anyhow::Result<()> {
    println!("Collaborator suggestions against the co-authorships of the latest year\n");
    let demo = demo_database().await?;
    evaluate("demo catalogue (a clean clone's make run)", &demo).await?;
    let db = crate::database::prepare(&args).await?;
    let label = format!("synthetic catalogue ({} authors, {} works, seed {})", args.authors, args.works, args.seed);
    evaluate(&label, &db.pool).await?;
    Ok(())
}

/// `bzpeer_suggest_demo`, migrated and loaded as a clean clone's `make run` loads it (the
/// synthetic demo and the committed seed), once.
async fn demo_database() -> anyhow::Result<PgPool> {
    let admin_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = sqlx::postgres::PgConnectOptions::from_str(&admin_url)?.disable_statement_logging();
    let mut conn = admin.clone().database("postgres").connect().await?;
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'bzpeer_suggest_demo')")
            .fetch_one(&mut conn)
            .await?;
    if !exists {
        sqlx::query("CREATE DATABASE bzpeer_suggest_demo").execute(&mut conn).await?;
    }
    let pool = PgPoolOptions::new().max_connections(4).connect_with(admin.database("bzpeer_suggest_demo")).await?;
    db::MIGRATOR.run(&pool).await?;
    let nowhere = std::path::Path::new("/nonexistent/bzpeer-demo-data");
    let report = ingest::import::demo::load_if_empty(&pool, nowhere, false).await?;
    if let Some((works, authors)) = report.synthetic {
        println!("Database bzpeer_suggest_demo: loaded the demo ({authors} researchers, {works} works)");
    }
    Ok(pool)
}

/// One work: its year, authors and topics.
struct Work {
    year: i32,
    authors: Vec<i64>,
    topics: Vec<i64>,
}

async fn works(pool: &PgPool) -> anyhow::Result<Vec<Work>> {
    let rows: Vec<(i64, i32, Vec<i64>, Vec<i64>)> = sqlx::query_as(
        "SELECT w.id, w.year,
                array(SELECT author_id FROM authorships s WHERE s.work_id = w.id ORDER BY position),
                array(SELECT topic_id FROM work_topics t WHERE t.work_id = w.id)
         FROM works w WHERE w.year IS NOT NULL",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(|(_, year, authors, topics)| Work { year, authors, topics }).collect())
}

#[derive(Default)]
struct Record {
    works: u32,
    last_year: Option<i32>,
    topics: HashMap<i64, u32>,
    ties: HashMap<i64, (u32, i32)>,
}

/// The neighbourhood the product would hold had the catalogue ended before `year`, and every
/// co-author of the records with more than the kept ties (the product checks those in the
/// database before it keeps a suggestion).
fn before(works: &[Work], year: i32, fields: Fields) -> (Neighbourhood, HashMap<i64, HashSet<i64>>) {
    let mut records: HashMap<i64, Record> = HashMap::new();
    for w in works.iter().filter(|w| w.year < year) {
        let mut authors = w.authors.clone();
        authors.sort_unstable();
        authors.dedup();
        for &a in &authors {
            let r = records.entry(a).or_default();
            r.works += 1;
            r.last_year = Some(r.last_year.map_or(w.year, |y| y.max(w.year)));
            for &t in &w.topics {
                *r.topics.entry(t).or_default() += 1;
            }
            for &b in authors.iter().filter(|&&b| b != a) {
                let tie = r.ties.entry(b).or_insert((0, w.year));
                tie.0 += 1;
                tie.1 = tie.1.max(w.year);
            }
        }
    }
    // The researchers with most works on each topic (`subject_top_authors`).
    let mut on_topic: HashMap<i64, Vec<(u32, i64)>> = HashMap::new();
    for (&id, r) in &records {
        for (&t, &n) in &r.topics {
            on_topic.entry(t).or_default().push((n, id));
        }
    }
    let on_topic: HashMap<i64, Vec<(u32, i64)>> = on_topic
        .into_iter()
        .map(|(t, mut v)| {
            v.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
            v.truncate(PEERS_PER_TOPIC);
            (t, v)
        })
        .collect();
    let mut hood = Neighbourhood::default();
    let mut beyond_kept = HashMap::new();
    for (id, r) in records {
        if r.ties.len() > FIRST_HOP {
            beyond_kept.insert(id, r.ties.keys().copied().collect());
        }
        let mut ties: Vec<Tie> =
            r.ties.iter().map(|(&to, &(shared_works, last_year))| Tie { to, shared_works, last_year }).collect();
        ties.sort_unstable_by(|x, y| {
            y.shared_works.cmp(&x.shared_works).then(y.last_year.cmp(&x.last_year)).then(x.to.cmp(&y.to))
        });
        let degree = ties.len() as u32;
        ties.truncate(FIRST_HOP);
        let mut topics: Vec<(i64, u32)> = r.topics.into_iter().collect();
        topics.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        topics.truncate(TOPICS_KEPT);
        let peers =
            topics.iter().take(2).flat_map(|(t, _)| on_topic.get(t).into_iter().flatten().map(|(_, id)| *id)).collect();
        hood.peers.insert(id, peers);
        hood.people.insert(id, Person { ties, degree, topics, last_year: r.last_year });
    }
    // As the product loads them: a peer's works on the topic it is a peer on count too.
    for (topic, peers) in &on_topic {
        for (works, peer) in peers {
            if let Some(person) = hood.people.get_mut(peer) {
                bzpeer_core::domain::suggest::add_topic(person, *topic, *works);
            }
        }
    }
    // A short list is filled from the record's other topics and its fields, as the product does.
    hood.fields = fields;
    hood.fields.set_peers(on_topic.iter().flat_map(|(t, peers)| peers.iter().map(|(n, id)| (*t, *id, *n))));
    hood.on_topic = on_topic.into_iter().map(|(t, peers)| (t, peers.into_iter().map(|(_, id)| id).collect())).collect();
    (hood, beyond_kept)
}

#[derive(Default, Clone, Copy)]
struct Scores {
    precision: f64,
    recall: f64,
    mrr: f64,
}

async fn evaluate(label: &str, pool: &PgPool) -> anyhow::Result<()> {
    let started = Instant::now();
    let works = works(pool).await?;
    let Some(year) = works.iter().map(|w| w.year).max() else {
        println!("{label}: no dated works, nothing to measure\n");
        return Ok(());
    };
    let fields = db::caches::suggestions::topic_fields(&mut *pool.acquire().await?).await?;
    let (hood, beyond_kept) = before(&works, year, fields);
    // The co-authorships first seen in `year`, between records the earlier years already hold.
    let mut new: HashMap<i64, HashSet<i64>> = HashMap::new();
    for w in works.iter().filter(|w| w.year == year) {
        for &a in &w.authors {
            let Some(p) = hood.people.get(&a) else { continue };
            if p.ties.is_empty() {
                continue;
            }
            let kept: HashSet<i64> = p.ties.iter().map(|t| t.to).collect();
            let known = beyond_kept.get(&a).unwrap_or(&kept);
            for &b in w.authors.iter().filter(|&&b| b != a && !known.contains(&b) && hood.people.contains_key(&b)) {
                new.entry(a).or_default().insert(b);
            }
        }
    }
    let mut sources: Vec<i64> = new.keys().copied().collect();
    sources.sort_unstable();
    let step = sources.len().div_ceil(SAMPLE).max(1);
    let sample: Vec<i64> = sources.iter().step_by(step).copied().collect();
    let loaded = started.elapsed();
    println!(
        "{label}: {} works, latest year {year}; {} records gained a co-author in {year} (of those with earlier co-authors), {} evaluated; loaded in {:.1} s",
        works.len(),
        sources.len(),
        sample.len(),
        loaded.as_secs_f64()
    );
    let none = HashSet::new();
    let mut table: Vec<(String, Scores, f64)> = Vec::new();
    // Other weights to compare, from BZPEER_SUGGEST_WEIGHTS ("three_hop,topic,tie,activity,reach;...").
    let variants: Vec<Weights> = std::env::var("BZPEER_SUGGEST_WEIGHTS")
        .unwrap_or_default()
        .split(';')
        .filter_map(|v| {
            let f: Vec<f64> = v.split(',').filter_map(|x| x.trim().parse().ok()).collect();
            (f.len() == 5).then(|| Weights {
                three_hop: f[0],
                topic: f[1],
                tie_half_life: f[2],
                activity_half_life: f[3],
                reach: f[4],
            })
        })
        .collect();
    let runs = SCORERS
        .iter()
        .map(|(s, n)| (*s, (*n).to_owned(), WEIGHTS))
        .chain(variants.iter().map(|w| (Scorer::Ours, format!("ours {w:?}"), *w)));
    for (scorer, name, weights) in runs {
        let ranking = Instant::now();
        let mut total = Scores::default();
        for &a in &sample {
            let truth = &new[&a];
            let ranked = rank_with(&hood, a, year, scorer, beyond_kept.get(&a).unwrap_or(&none), DEPTH, &weights);
            let hits = ranked.iter().take(10).filter(|s| truth.contains(&s.candidate)).count() as f64;
            total.precision += hits / 10.0;
            total.recall += hits / truth.len() as f64;
            total.mrr += ranked.iter().position(|s| truth.contains(&s.candidate)).map_or(0.0, |i| 1.0 / (i + 1) as f64);
        }
        let n = sample.len().max(1) as f64;
        let mean = Scores { precision: total.precision / n, recall: total.recall / n, mrr: total.mrr / n };
        table.push((name, mean, ranking.elapsed().as_secs_f64() * 1000.0 / n));
    }
    println!("{:<22} {:>12} {:>10} {:>8} {:>14}", "ranking", "precision@10", "recall@10", "MRR", "ms per record");
    for (name, s, ms) in &table {
        println!("{name:<22} {:>12.4} {:>10.4} {:>8.4} {:>14.2}", s.precision, s.recall, s.mrr, ms);
    }
    let ours = table[0].1;
    let best = |f: fn(&Scores) -> f64| {
        table[1..SCORERS.len()].iter().map(|(n, s, _)| (f(s), n.as_str())).fold((0.0, ""), |a, b| {
            if b.0 > a.0 {
                b
            } else {
                a
            }
        })
    };
    for (metric, f) in [
        ("precision@10", (|s: &Scores| s.precision) as fn(&Scores) -> f64),
        ("recall@10", |s: &Scores| s.recall),
        ("MRR", |s: &Scores| s.mrr),
    ] {
        let (value, by) = best(f);
        let verdict = if f(&ours) > value { "PASS" } else { "FAIL" };
        println!("budget suggest-{metric} ours {:.4} > best baseline {value:.4} ({by}) {verdict}", f(&ours));
    }
    refresh_rate(pool).await?;
    println!();
    Ok(())
}

/// How fast the product re-ranks records (`db::caches::suggestions::refresh_marked`, as an import
/// or the minute job does): 2,000 records spread over the catalogue, marked and ranked.
async fn refresh_rate(pool: &PgPool) -> anyhow::Result<()> {
    let mut conn = pool.acquire().await?;
    let marked = sqlx::query(
        "INSERT INTO suggestions_dirty (author_id)
         SELECT id FROM (SELECT id, row_number() OVER (ORDER BY id) AS n, count(*) OVER () AS total FROM authors) a
         WHERE n % greatest(total / 2000, 1) = 0 ON CONFLICT DO NOTHING",
    )
    .execute(&mut *conn)
    .await?
    .rows_affected();
    let started = Instant::now();
    let ranked = db::caches::suggestions::refresh_marked(&mut conn).await?;
    let secs = started.elapsed().as_secs_f64();
    let authors: i64 = sqlx::query_scalar("SELECT count(*) FROM authors").fetch_one(&mut *conn).await?;
    let started = Instant::now();
    let all = db::caches::suggestions::rebuild_all(&mut conn).await?;
    println!(
        "re-ranking everything at once (rebuild_all, as the daily job and a bulk load do): {all} records in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "re-ranking in batches (refresh_marked, as an import does): {ranked} records (of {marked} marked) in {secs:.1} s, {:.0} records/s; all {authors} this way would take {:.0} s",
        ranked as f64 / secs,
        authors as f64 * secs / ranked.max(1) as f64
    );
    Ok(())
}
