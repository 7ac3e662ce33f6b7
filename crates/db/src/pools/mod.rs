//! Where reads go: the primary, or a read replica fresh enough for the visitor (`replicas`),
//! judged by positions in the write-ahead log (`wal`); and the connections a kept page's view
//! uses for its one statement (`held`).

pub mod held;
pub mod replicas;
pub mod wal;
