//! The one integration-test binary: database tests (`#[sqlx::test]`, a fresh migrated database
//! each) and HTTP tests through the real router.

mod accounts;
mod accounts_security;
mod aggregates;
mod citations;
mod claim_endings;
mod claims;
mod collaboration;
mod collaboration_db;
mod delivery;
mod embedded;
mod flash;
mod follows;
mod fuzz;
mod fuzz_cases;
mod generate;
mod graph;
mod helpers;
mod hidden_works;
mod import;
mod inputs;
mod islands;
mod layouts;
mod load;
mod moderation;
mod outage;
mod pages;
mod password_reset;
mod processes;
mod read_replicas;
mod scale_out;
mod streaming_import;
mod synthetic;
mod xss;
