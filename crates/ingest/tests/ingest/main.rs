//! The importers and harvesters against files and local stubs of the services they read, each
//! on a fresh migrated database (`#[sqlx::test]`).

mod harvest_arxiv;
mod harvest_openalex;
mod import;
mod streaming_import;
