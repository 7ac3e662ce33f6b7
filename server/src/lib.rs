//! The BZPEER server: configuration, database selection (including the embedded cluster), the
//! HTTP router and the command line.

pub mod cli;
pub mod config;
pub mod database;
pub mod embedded;
pub mod input;
pub mod security;
pub mod startup;
