//! The database layer's tests: each on a fresh migrated database (`#[sqlx::test]`), through the
//! functions of `db` alone (the data comes through the importer, as a catalogue's does).

mod collaboration;
mod follows;
mod pages;
