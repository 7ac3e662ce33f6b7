//! The BZPEER server: configuration, database selection (including the embedded cluster), the
//! HTTP router and the command line.

pub mod api_v1;
pub mod cli;
pub mod client_address;
pub mod config;
pub mod database;
pub mod embedded;
pub mod exports;
pub mod feeds;
pub mod harvest;
pub mod headers;
pub mod health;
pub mod input;
pub mod islands;
pub mod linked_data;
pub mod replicas;
pub mod security;
pub mod serve;
pub mod sitemaps;
pub mod startup;
pub mod state;
pub mod unsubscribe;
