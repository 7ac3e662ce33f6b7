//! Pure types and maths shared by the server and the browser: no I/O here, everything unit-tested.

pub mod abstracts;
pub mod account;
pub mod alerts;
pub mod arxiv_taxonomy;
pub mod bio;
pub mod cite;
pub mod claims;
pub mod collaboration;
pub mod flash;
pub mod graph;
pub mod html;
pub mod ids;
pub mod import_kind;
pub mod meta;
pub mod metrics;
/// The force-directed layout (its own crate, built for speed in the wasm bundle).
pub use graph_layout as layout;
pub mod names;
pub mod pages;
pub mod paging;
pub mod percent;
pub mod search;
pub mod slug;
pub mod suggest;
pub mod text;
pub mod time_cursor;
pub mod topics;
pub mod trust;
