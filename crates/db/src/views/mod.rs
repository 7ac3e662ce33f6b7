//! What a page or an API answer reads: one module per page kind (profile, work, subject, search,
//! suggestions, the graph), and the lists the JSON API, feeds, sitemaps and citation files read.
//! The kept aggregates they read are `caches`.

pub mod api;
pub mod citations;
pub mod cite;
pub mod graph;
pub mod profiles;
pub mod search;
pub mod sitemap;
pub mod subjects;
pub mod suggestions;
pub mod works;
