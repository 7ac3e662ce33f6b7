//! Where reads go: the primary, or a read replica fresh enough for the visitor (`replicas`),
//! judged by positions in the write-ahead log (`wal`).

pub mod replicas;
pub mod wal;
