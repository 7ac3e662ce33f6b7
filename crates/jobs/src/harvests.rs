//! Scheduled harvests: `BZPEER_HARVEST` names the queries (`openalex <filter>` or `arxiv <set>`,
//! separated by `;`), `BZPEER_HARVEST_EVERY_HOURS` how often (24), `BZPEER_HARVEST_MAX` how many
//! works one run takes at most (10,000; the next run goes on). Each run asks only for what changed
//! since the last complete one, and each period's run of a query happens in one process.

use db::job_runs;
use ingest::harvest::{harvest, HarvestError, HarvestOptions, Query};
use sqlx::PgPool;
use std::time::Duration;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub queries: Vec<Query>,
    pub every: Duration,
    pub max: usize,
}

impl Schedule {
    /// The schedule the environment sets, `Ok(None)` when it sets none, or why it cannot be read.
    pub fn from_env() -> Result<Option<Self>, String> {
        let Some(spec) = std::env::var("BZPEER_HARVEST").ok().filter(|s| !s.trim().is_empty()) else {
            return Ok(None);
        };
        let queries = parse(&spec)?;
        let number = |name: &str, default: u64| -> Result<u64, String> {
            match std::env::var(name).ok().filter(|v| !v.trim().is_empty()) {
                None => Ok(default),
                Some(v) => v
                    .trim()
                    .parse::<u64>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("{name} must be a whole number above 0, not {v:?}")),
            }
        };
        let hours = number("BZPEER_HARVEST_EVERY_HOURS", 24)?;
        let max = number("BZPEER_HARVEST_MAX", 10_000)?;
        Ok(Some(Self {
            queries,
            every: Duration::from_secs(hours.saturating_mul(3600)),
            max: usize::try_from(max).unwrap_or(usize::MAX),
        }))
    }
}

/// Reads `openalex topics.id:T10320; arxiv cs`.
pub fn parse(spec: &str) -> Result<Vec<Query>, String> {
    let mut queries = Vec::new();
    for entry in spec.split(';').map(str::trim).filter(|e| !e.is_empty()) {
        let (source, rest) = entry.split_once(char::is_whitespace).unwrap_or((entry, ""));
        let rest = rest.trim();
        if rest.is_empty() || rest.contains(char::is_whitespace) {
            return Err(format!(
                "BZPEER_HARVEST: {entry:?} should be a source and one filter or set, e.g. \"openalex topics.id:T10320\" or \"arxiv cs\""
            ));
        }
        queries.push(match source {
            "openalex" => Query::OpenAlex { filter: rest.to_owned() },
            "arxiv" => Query::Arxiv { set: rest.to_owned(), from: None },
            other => return Err(format!("BZPEER_HARVEST: unknown source {other:?} (openalex or arxiv)")),
        });
    }
    if queries.is_empty() {
        return Err("BZPEER_HARVEST names no query".to_owned());
    }
    Ok(queries)
}

/// The job name a query's scheduled runs are claimed under.
pub fn job_name(query: &Query) -> String {
    format!("harvest {} {}", query.source(), query.key())
}

/// Runs each query whose period has passed and that no other process has claimed, with the
/// `base` options (where the sources are, the contact address) made incremental; says what ran.
pub async fn run_due(pool: &PgPool, schedule: &Schedule, base: &HarvestOptions) -> Vec<String> {
    let mut done = Vec::new();
    for query in &schedule.queries {
        let job = job_name(query);
        match job_runs::claim(pool, &job, schedule.every).await {
            Ok(Some(_)) => {}
            Ok(None) => continue,
            Err(e) => {
                tracing::warn!(%e, job, "could not claim a scheduled harvest");
                continue;
            }
        }
        let options = HarvestOptions { max: Some(schedule.max), since_last: true, dry_run: false, ..base.clone() };
        let said = match harvest(pool, query, &options).await {
            Ok(summary) => {
                tracing::info!(job, %summary, "scheduled harvest");
                summary.to_string()
            }
            Err(e @ HarvestError::Busy { .. }) => {
                tracing::info!(job, %e, "scheduled harvest passed over");
                e.to_string()
            }
            Err(e) => {
                tracing::warn!(job, %e, "scheduled harvest failed");
                format!("failed: {e}")
            }
        };
        if let Err(e) = job_runs::finish(pool, &job, &said).await {
            tracing::warn!(%e, job, "could not record a scheduled harvest");
        }
        done.push(format!("{job}: {said}"));
    }
    done
}

/// How often each process looks for a scheduled harvest that is due.
const HARVEST_LOOK: Duration = Duration::from_secs(300);

/// Runs the scheduled harvests (`BZPEER_HARVEST`): every process looks every few minutes, and
/// each query's run of a period is claimed by one of them (`job_runs`); a query being harvested
/// elsewhere (its advisory lock held) is passed over.
pub fn spawn(pool: PgPool, schedule: Schedule) {
    let options = HarvestOptions::default();
    tokio::spawn(async move {
        let mut every = tokio::time::interval(HARVEST_LOOK);
        loop {
            every.tick().await;
            // A harvest is long bulk work (and its future need not be `Send`: the import
            // pipeline's is not, for every lifetime, to the compiler).
            let (pool, schedule, options) = (pool.clone(), schedule.clone(), options.clone());
            let ran = crate::on_own_thread(move || async move { run_due(&pool, &schedule, &options).await }).await;
            if let Err(e) = ran {
                tracing::warn!(%e, "the scheduled harvests stopped");
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_schedule_names_openalex_filters_and_arxiv_sets() {
        let queries = parse(" openalex topics.id:T10320 ; arxiv cs;").expect("valid");
        assert_eq!(
            queries,
            [Query::OpenAlex { filter: "topics.id:T10320".into() }, Query::Arxiv { set: "cs".into(), from: None }]
        );
    }

    #[test]
    fn a_bad_schedule_says_what_is_wrong() {
        assert!(parse("crossref x").expect_err("unknown").contains("unknown source \"crossref\""));
        assert!(parse("openalex").expect_err("no filter").contains("one filter or set"));
        assert!(parse("arxiv cs math").expect_err("two sets").contains("one filter or set"));
        assert!(parse(" ; ").expect_err("empty").contains("names no query"));
    }
}
