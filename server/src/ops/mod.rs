//! Running the server: its settings (`config`), choosing and opening the database (`database`,
//! with the embedded cluster in `embedded`), serving until asked to stop (`serve`), and what a load
//! balancer polls (`health`).

pub mod config;
pub mod database;
pub mod embedded;
pub mod health;
pub mod serve;
