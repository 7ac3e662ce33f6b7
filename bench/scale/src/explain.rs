//! Query plans behind each page kind. A second server runs with `BZPEER_EXPLAIN_SLOWER_THAN_MS=0`
//! (auto_explain in every pooled connection: each statement's `EXPLAIN (ANALYZE, BUFFERS)` comes
//! back as a notice, which the server logs); one request of every kind is replayed against it,
//! one at a time, and the plans logged meanwhile are that request's.

use crate::load::Session;
use crate::process::Server;
use crate::sample::{Kind, Target};
use loopback_http::Client;
use std::collections::HashMap;
use std::time::Duration;

/// The plans of one replayed request.
pub struct Replay {
    pub kind: Kind,
    pub request: String,
    pub plans: Vec<String>,
    /// The whole request's time, as the client saw it.
    pub took: Duration,
}

impl Replay {
    /// What the statements took in all, by auto_explain's `duration: <ms> ms` lines.
    pub fn statements_ms(&self) -> f64 {
        self.plans
            .iter()
            .filter_map(|p| p.strip_prefix("duration: ")?.split_whitespace().next()?.parse::<f64>().ok())
            .sum()
    }
}

/// Replays `targets` (one per kind) one after the other, collecting each one's plans.
pub async fn replay(server: &Server, targets: &[Target], session: &Session) -> Vec<Replay> {
    let mut client = Client::new(server.addr);
    client.headers.push(("X-Forwarded-For".to_owned(), crate::load::client_address(900)));
    let mut replays = Vec::new();
    for target in targets {
        // Settle: plans of an earlier request are all logged before this one starts.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let from = server.log_len();
        let (took, outcome) = crate::load::one(&mut client, target, Some(session)).await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let mut plans = plans_in(&server.log_since(from));
        if let Err(e) = outcome {
            plans.insert(0, format!("(the replayed request failed: {e})"));
        }
        replays.push(Replay { kind: target.kind, request: target.path_with_slug(), plans, took });
    }
    replays
}

/// The auto_explain notices among log lines: one per statement, its continuation lines kept.
pub fn plans_in(lines: &[String]) -> Vec<String> {
    let mut plans: Vec<String> = Vec::new();
    let mut current: Option<String> = None;
    for line in lines.iter().map(|l| strip_ansi(l)) {
        let line = &line;
        let starts_event = line.len() > 20 && line.as_bytes()[0].is_ascii_digit() && line.contains("Z ");
        if starts_event {
            plans.extend(current.take());
            if line.contains("sqlx::postgres::notice") && line.contains("plan:") {
                current = Some(line.split_once("notice: ").map_or(line.as_str(), |(_, rest)| rest).to_owned());
            }
        } else if let Some(plan) = current.as_mut() {
            plan.push('\n');
            plan.push_str(line);
        }
    }
    plans.extend(current);
    plans
}

/// The line without terminal colour codes (`ESC [ ... m`), should the log carry them.
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// A sequential scan of a table with more than `min_rows` rows (by the planner's estimate,
/// `pg_class.reltuples`) in a plan: (table, rows).
pub fn big_seq_scans(plan: &str, rows: &HashMap<String, f64>, min_rows: f64) -> Vec<(String, f64)> {
    plan.lines()
        .filter_map(|line| line.split_once("Seq Scan on ").map(|(_, rest)| rest))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(|table| table.rsplit('.').next().unwrap_or(table).trim_matches('"').to_owned())
        .filter_map(|table| rows.get(&table).copied().filter(|n| *n > min_rows).map(|n| (table, n)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_are_cut_out_of_the_log_with_their_continuation_lines() {
        let log: Vec<String> = [
            "\u{1b}[2m2026-01-01T00:00:00.000001Z\u{1b}[0m \u{1b}[32m INFO\u{1b}[0m sqlx::postgres::notice: duration: 1.2 ms  plan:",
            "Query Text: SELECT 1",
            "Result  (cost=0.00..0.01 rows=1 width=4) (actual time=0.001..0.001 rows=1 loops=1)",
            "2026-01-01T00:00:00.000002Z  WARN server::something: unrelated",
            "unrelated continuation",
            "2026-01-01T00:00:00.000003Z  INFO sqlx::postgres::notice: duration: 0.5 ms  plan:",
            "Seq Scan on works w  (cost=0.00..10.00 rows=1 width=4)",
        ]
        .map(str::to_owned)
        .to_vec();
        let plans = plans_in(&log);
        assert_eq!(plans.len(), 2);
        assert!(plans[0].starts_with("duration: 1.2 ms") && plans[0].ends_with("loops=1)"));
        assert!(plans[1].contains("Seq Scan on works w"));
    }

    #[test]
    fn only_sequential_scans_of_big_tables_are_flagged() {
        let rows = HashMap::from([("works".to_owned(), 3e6), ("topics".to_owned(), 300.0)]);
        let plan =
            "->  Seq Scan on works w  (cost=...)\n->  Parallel Seq Scan on public.works\n->  Seq Scan on topics t";
        assert_eq!(big_seq_scans(plan, &rows, 10_000.0), vec![("works".to_owned(), 3e6), ("works".to_owned(), 3e6)]);
    }
}
