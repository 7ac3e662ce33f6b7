//! Read replicas: which server answers a request's lag-tolerant reads (profiles, work pages,
//! search, the graph). Every write, and every read of the visitor's own state, goes to the
//! primary through `ssr::pool()`; `ssr::read_pool()` may answer from a replica instead.
//!
//! - A monitor samples the primary's write position and each replica's replay position every
//!   second. A replica is *healthy* when it answers and has replayed everything the primary had
//!   written `max_lag` ago; otherwise it is skipped (logged once per change), never an error.
//! - Read your own writes: after a request that wrote, the server remembers the primary's write
//!   position in the visitor's session. That visitor's next reads go to a replica only once it
//!   has replayed past that position (waiting briefly for it), else to the primary.
//! - A page read that fails on a replica is answered again from the primary by the server.

use super::wal;
use crate::error::AppError;
use sqlx::PgPool;
use std::collections::VecDeque;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a read after a write waits for a replica to replay it before going to the primary.
const CATCH_UP_WAIT: Duration = Duration::from_millis(40);
const CATCH_UP_POLL: Duration = Duration::from_millis(5);
/// A replica that does not answer the monitor within this is skipped.
const CHECK_TIMEOUT: Duration = Duration::from_millis(800);

pub struct Replicas {
    primary: PgPool,
    members: Vec<Replica>,
    max_lag: Duration,
    next: AtomicUsize,
    /// The primary's write position at each monitor round, oldest first (about `max_lag` of them).
    written: Mutex<VecDeque<(Instant, u64)>>,
}

pub struct Replica {
    /// Host and port (never the password), for logs.
    pub name: String,
    pub pool: PgPool,
    state: Mutex<ReplicaState>,
}

#[derive(Debug, Clone, Default)]
struct ReplicaState {
    healthy: bool,
    replayed: u64,
    lag: Option<Duration>,
}

/// What the monitor last saw of a replica.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaStatus {
    pub name: String,
    pub healthy: bool,
    /// How far behind the primary it was (`None`: it did not answer).
    pub lag: Option<Duration>,
}

impl Replicas {
    /// Replicas start unchecked (skipped) until the first monitor round.
    pub fn new(primary: PgPool, members: Vec<(String, PgPool)>, max_lag: Duration) -> Arc<Self> {
        let members = members
            .into_iter()
            .map(|(name, pool)| Replica { name, pool, state: Mutex::new(ReplicaState::default()) })
            .collect();
        Arc::new(Self { primary, members, max_lag, next: AtomicUsize::new(0), written: Mutex::new(VecDeque::new()) })
    }

    pub fn primary(&self) -> &PgPool {
        &self.primary
    }

    /// Checks the replicas every `every`, for as long as the process runs.
    pub async fn monitor(self: Arc<Self>, every: Duration) {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            self.check().await;
        }
    }

    /// One monitor round: samples the primary's write position, then each replica's replay
    /// position, and says which replicas may serve reads.
    pub async fn check(&self) {
        let now = Instant::now();
        match tokio::time::timeout(CHECK_TIMEOUT, wal::written(&self.primary)).await {
            Ok(Ok(position)) => {
                let mut written = self.written.lock().unwrap_or_else(PoisonError::into_inner);
                written.push_back((now, position));
                // Keep what a lag up to `max_lag` is measured against (and one older sample).
                while written.len() > 2 && written.get(1).is_some_and(|(at, _)| now.duration_since(*at) > self.max_lag)
                {
                    written.pop_front();
                }
            }
            Ok(Err(e)) => tracing::warn!(%e, "replica monitor: the primary did not answer"),
            Err(_) => tracing::warn!("replica monitor: the primary did not answer in time"),
        }
        for replica in &self.members {
            let replayed = match tokio::time::timeout(CHECK_TIMEOUT, wal::replayed(&replica.pool)).await {
                Ok(Ok(Some(position))) => Ok(position),
                Ok(Ok(None)) => Err("it is not replaying a primary".to_owned()),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err("it did not answer in time".to_owned()),
            };
            let state = match replayed {
                Ok(position) => {
                    let lag = self.lag_at(position, now);
                    ReplicaState { healthy: lag <= self.max_lag, replayed: position, lag: Some(lag) }
                }
                Err(why) => {
                    replica.set(ReplicaState::default(), &why);
                    continue;
                }
            };
            let why = format!("it is {} ms behind the primary", state.lag.unwrap_or_default().as_millis());
            replica.set(state, &why);
        }
    }

    fn lag_at(&self, replayed: u64, now: Instant) -> Duration {
        lag_behind(&self.written.lock().unwrap_or_else(PoisonError::into_inner), replayed, now)
    }

    /// What the monitor last saw, replica by replica.
    pub fn status(&self) -> Vec<ReplicaStatus> {
        self.members
            .iter()
            .map(|r| {
                let state = r.state();
                ReplicaStatus { name: r.name.clone(), healthy: state.healthy, lag: state.lag }
            })
            .collect()
    }

    /// A healthy replica that has replayed `written` (the visitor's last write, if any), taking
    /// them in turn; `None`: read from the primary.
    pub async fn for_reads(&self, written: Option<u64>) -> Option<usize> {
        let count = self.members.len();
        let first = self.next.fetch_add(1, Ordering::Relaxed);
        for i in (0..count).map(|k| (first + k) % count) {
            let replica = &self.members[i];
            let state = replica.state();
            if !state.healthy {
                continue;
            }
            match written {
                Some(position) if state.replayed < position => {
                    if replica.catches_up(position).await {
                        return Some(i);
                    }
                }
                _ => return Some(i),
            }
        }
        None
    }

    /// The pool of replica `index`.
    pub fn pool(&self, index: usize) -> &PgPool {
        &self.members[index].pool
    }

    /// Skips replica `index` until the monitor finds it healthy again (a read on it failed).
    pub fn mark_down(&self, index: usize, why: &str) {
        if let Some(replica) = self.members.get(index) {
            replica.set(ReplicaState { healthy: false, ..replica.state() }, why);
        }
    }

    /// Closes the replicas' connections (at shutdown).
    pub async fn close(&self) {
        for replica in &self.members {
            replica.pool.close().await;
        }
    }

    /// Where the primary has written up to: what a visitor who just wrote must see.
    pub async fn primary_written(&self) -> Result<u64, AppError> {
        wal::written(&self.primary).await
    }
}

impl Replica {
    fn state(&self) -> ReplicaState {
        self.state.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }

    /// Sets what the monitor saw, logging a change between serving and skipped.
    fn set(&self, new: ReplicaState, why: &str) {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        match (state.healthy, new.healthy) {
            (true, false) => tracing::warn!(replica = %self.name, why, "replica skipped: reads go to the primary"),
            (false, true) => tracing::info!(replica = %self.name, "replica serving reads"),
            _ => {}
        }
        *state = new;
    }

    /// Whether the replica replays past `position` within `CATCH_UP_WAIT`.
    async fn catches_up(&self, position: u64) -> bool {
        let deadline = Instant::now() + CATCH_UP_WAIT;
        loop {
            match tokio::time::timeout(CHECK_TIMEOUT, wal::replayed(&self.pool)).await {
                Ok(Ok(Some(replayed))) => {
                    let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
                    state.replayed = state.replayed.max(replayed);
                    if replayed >= position {
                        return true;
                    }
                }
                _ => return false,
            }
            if Instant::now() + CATCH_UP_POLL > deadline {
                return false;
            }
            tokio::time::sleep(CATCH_UP_POLL).await;
        }
    }
}

/// One request's reads: put in the request's extensions by the server, consulted by
/// `ssr::read_pool()` the first time the request reads something that tolerates lag.
pub struct ReadRoute {
    replicas: Arc<Replicas>,
    /// The visitor's last write, from the session.
    written: Option<u64>,
    chosen: tokio::sync::OnceCell<Option<usize>>,
    lag_tolerant: AtomicBool,
}

impl ReadRoute {
    pub fn new(replicas: Arc<Replicas>, written: Option<u64>) -> Self {
        Self { replicas, written, chosen: tokio::sync::OnceCell::new(), lag_tolerant: AtomicBool::new(false) }
    }

    /// The pool for this request's lag-tolerant reads (the same one for all of them).
    pub async fn pool(&self) -> PgPool {
        self.lag_tolerant.store(true, Ordering::Relaxed);
        let chosen = *self.chosen.get_or_init(|| self.replicas.for_reads(self.written)).await;
        match chosen {
            Some(index) => self.replicas.pool(index).clone(),
            None => self.replicas.primary().clone(),
        }
    }

    /// The replica this request read from, if any.
    pub fn replica_used(&self) -> Option<usize> {
        self.chosen.get().copied().flatten()
    }

    /// Whether the request asked for lag-tolerant reads (a read, not a write).
    pub fn was_read(&self) -> bool {
        self.lag_tolerant.load(Ordering::Relaxed)
    }
}

/// How far behind a replica that has replayed up to `replayed` is: how long ago the primary had
/// written past it, from the primary's sampled write positions (oldest first); zero when it
/// misses nothing the samples know of.
fn lag_behind(written: &VecDeque<(Instant, u64)>, replayed: u64, now: Instant) -> Duration {
    written.iter().find(|(_, position)| *position > replayed).map_or(Duration::ZERO, |(at, _)| now - *at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replica_is_as_far_behind_as_the_oldest_write_it_has_not_replayed() {
        let now = Instant::now();
        let samples: VecDeque<(Instant, u64)> =
            [(3, 100), (2, 200), (1, 300)].map(|(secs_ago, at)| (now - Duration::from_secs(secs_ago), at)).into();
        assert_eq!(lag_behind(&samples, 300, now), Duration::ZERO, "caught up");
        assert_eq!(lag_behind(&samples, 400, now), Duration::ZERO, "past the last sample");
        assert_eq!(lag_behind(&samples, 250, now), Duration::from_secs(1));
        assert_eq!(lag_behind(&samples, 150, now), Duration::from_secs(2));
        assert_eq!(lag_behind(&samples, 0, now), Duration::from_secs(3));
        assert_eq!(lag_behind(&VecDeque::new(), 0, now), Duration::ZERO, "nothing sampled yet");
    }
}
