//! The BZPEER server: configuration, database selection (including the embedded cluster), the
//! HTTP router and the command line.

pub mod cli;
pub mod client_address;
pub mod config;
pub mod database;
pub mod embedded;
pub mod headers;
pub mod input;
pub mod islands;
pub mod security;
pub mod startup;
pub mod state;
