//! The HTTP side of the server: the router and its layers (`router`), what paths name
//! (`paths`), the shared state and limits (`state`), and the layers themselves: security headers,
//! same-origin and input guards, client addresses for rate limits, the limit on heavy answers, the island-script pass and the
//! read-replica route.

pub mod bulkhead;
pub mod client_address;
pub mod headers;
pub mod heavy;
pub mod input;
pub mod islands;
pub mod kept;
pub mod paths;
pub mod replicas;
mod router;
pub mod security;
pub mod state;

pub use router::*;
