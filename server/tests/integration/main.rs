//! The one integration-test binary: database tests (`#[sqlx::test]`, a fresh migrated database
//! each) and HTTP tests through the real router.

mod accounts;
mod claims;
mod collaboration;
mod collaboration_db;
mod embedded;
mod follows;
mod graph;
mod helpers;
mod import;
mod load;
mod outage;
mod pages;
