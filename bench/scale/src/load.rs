//! The load: a schedule of requests sent by a fixed number of connections, each as fast as its
//! answers come, until the schedule or the time runs out. Every answer is timed; an answer with
//! another status than the kind expects, or none within the timeout, is an error.

use crate::sample::{Kind, Mix, Target};
use loopback_http::Client;
use rand::{Rng, SeedableRng};
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Connections sending at once.
pub const CONCURRENCY: usize = 16;
/// A request without an answer after this long is an error.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// The session cookies of the two bench users: one reads the feed (it follows exactly the mix's
/// 200 researchers), the other follows and unfollows (so the feed's list does not drift).
#[derive(Clone)]
pub struct Session {
    pub reader: Arc<String>,
    pub follower: Arc<String>,
}

impl Session {
    /// The cookie a request of `kind` carries; logged-out kinds carry none.
    fn cookie_for(&self, kind: Kind) -> Option<&str> {
        match kind {
            Kind::Feed => Some(&self.reader),
            Kind::Follow | Kind::Unfollow => Some(&self.follower),
            _ => None,
        }
    }
}

/// A client address of worker `i`, from the benchmarking range (RFC 2544): the server trusts one
/// proxy in the benchmark, so each connection counts as its own client for the rate limits.
pub fn client_address(i: usize) -> String {
    format!("198.18.{}.{}", i / 250, i % 250 + 1)
}

#[derive(Debug, Default)]
pub struct KindResult {
    pub latencies: Vec<Duration>,
    pub errors: usize,
    pub slowest: Option<(Duration, String)>,
}

impl KindResult {
    /// The latency at quantile `q` (nearest rank), over answered and failed requests alike.
    pub fn quantile(&self, q: f64) -> Duration {
        let mut sorted = self.latencies.clone();
        sorted.sort_unstable();
        quantile_of_sorted(&sorted, q)
    }
}

pub fn quantile_of_sorted(sorted: &[Duration], q: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((q * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

pub struct RunResult {
    pub kinds: BTreeMap<Kind, KindResult>,
    pub elapsed: Duration,
    pub first_errors: Vec<String>,
}

impl RunResult {
    pub fn total(&self) -> usize {
        self.kinds.values().map(|k| k.latencies.len()).sum()
    }
}

/// `count` requests drawn from the mix by the kinds' weights.
pub fn mix_schedule(mix: &Mix, count: usize, seed: u64) -> Vec<Target> {
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let kinds: Vec<Kind> = Kind::ALL.into_iter().filter(|k| !mix.of(*k).is_empty()).collect();
    let total: u32 = kinds.iter().map(|k| k.weight()).sum();
    (0..count)
        .map(|_| {
            let mut pick = rng.gen_range(0..total);
            let kind = kinds
                .iter()
                .copied()
                .find(|k| {
                    if pick < k.weight() {
                        true
                    } else {
                        pick -= k.weight();
                        false
                    }
                })
                .unwrap_or(Kind::Profile);
            let targets = mix.of(kind);
            targets[rng.gen_range(0..targets.len())].clone()
        })
        .collect()
}

/// Sends `schedule` with `concurrency` connections to `addr`, stopping at `deadline` at the latest.
pub async fn drive(
    addr: SocketAddr,
    schedule: Arc<Vec<Target>>,
    session: Option<Session>,
    concurrency: usize,
    time_limit: Duration,
) -> RunResult {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let deadline = started + time_limit;
    let mut workers = Vec::new();
    for i in 0..concurrency {
        let (schedule, next, session) = (schedule.clone(), next.clone(), session.clone());
        workers.push(tokio::spawn(async move {
            let mut client = Client::new(addr);
            client.headers.push(("X-Forwarded-For".to_owned(), client_address(i)));
            let mut done: Vec<(Kind, Duration, Result<(), String>, usize)> = Vec::new();
            loop {
                let index = next.fetch_add(1, Ordering::Relaxed);
                if index >= schedule.len() || Instant::now() >= deadline {
                    break;
                }
                let target = &schedule[index];
                let (took, outcome) = one(&mut client, target, session.as_ref()).await;
                done.push((target.kind, took, outcome, index));
            }
            done
        }));
    }
    let mut kinds: BTreeMap<Kind, KindResult> = BTreeMap::new();
    let mut first_errors = Vec::new();
    for worker in workers {
        for (kind, took, outcome, index) in worker.await.unwrap_or_default() {
            let entry = kinds.entry(kind).or_default();
            entry.latencies.push(took);
            if entry.slowest.as_ref().is_none_or(|(d, _)| took > *d) {
                entry.slowest = Some((took, schedule[index].path_with_slug()));
            }
            if let Err(e) = outcome {
                entry.errors += 1;
                if first_errors.len() < 10 {
                    first_errors.push(format!("{kind} {}: {e}", schedule[index].path_with_slug()));
                }
            }
        }
    }
    RunResult { kinds, elapsed: started.elapsed(), first_errors }
}

/// One request of `target`, timed; an error says what was wrong with the answer.
pub async fn one(client: &mut Client, target: &Target, session: Option<&Session>) -> (Duration, Result<(), String>) {
    let cookie = session.and_then(|s| s.cookie_for(target.kind));
    let mut extra: Vec<(&str, &str)> = cookie.map(|c| ("Cookie", c)).into_iter().collect();
    extra.extend(target.kind.header());
    extra.extend(target.etag.as_deref().map(|etag| ("If-None-Match", etag)));
    let started = Instant::now();
    let answer = match &target.slug {
        Some(slug) => client.post_form(&target.path, &[("slug", slug)], &extra, TIMEOUT).await,
        None => client.get(&target.path, &extra, TIMEOUT).await,
    };
    let took = started.elapsed();
    let outcome = match answer {
        // A follow that did not happen (no session) also answers 303, to the log-in page.
        Ok(r) if target.slug.is_some() && !r.header("location").is_some_and(|l| l.starts_with("/authors/")) => {
            Err(format!("status {} to {:?} (expected 303 to the profile)", r.status, r.header("location")))
        }
        Ok(r) if target.kind.expected(r.status) => Ok(()),
        Ok(r) => Err(format!("status {} (unexpected for {})", r.status, target.kind)),
        Err(e) => Err(e.to_string()),
    };
    (took, outcome)
}

impl Target {
    /// The path, and the posted slug for a form post.
    pub fn path_with_slug(&self) -> String {
        match &self.slug {
            Some(slug) => format!("POST {} slug={slug}", self.path),
            None => self.path.clone(),
        }
    }
}
