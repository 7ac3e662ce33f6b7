//! What the server answers besides pages and server functions, each reading `db::views`: the
//! JSON API (`api_v1`), linked data for profiles and works, Atom feeds, sitemaps, citation files,
//! and the digest's unsubscribe link.

pub mod api_v1;
pub mod exports;
pub mod feeds;
pub mod linked_data;
pub mod sitemaps;
pub mod unsubscribe;
