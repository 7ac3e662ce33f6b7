//! The HTTP tests: the real router on a fresh migrated database per test (`#[sqlx::test]`), as a
//! browser without JavaScript uses it, plus the server's own processes where a test needs them.
//! The slow process-level tests are the `slow` target; database and ingest tests live with their
//! crates.

#[path = "../common/helpers.rs"]
mod helpers;
#[path = "../common/processes.rs"]
#[expect(dead_code, reason = "the process helpers of every test target; this one uses a few")]
mod processes;

mod accounts;
mod accounts_security;
mod aggregates;
mod alerts;
mod api_v1;
mod busy;
mod citations;
mod claim_endings;
mod claims;
mod collaboration;
mod delivery;
mod demo;
mod flash;
mod generate;
mod graph;
mod harvest;

mod hidden_works;
mod inputs;
mod islands;
mod kept_pages;
mod layouts;
mod moderation;
mod pages;
mod password_reset;
mod subjects;
mod suggestion_reach;
mod suggestions;

mod web_index;
mod xss;
