//! The BZPEER server: the command line (`cli`), the HTTP router and its layers (`http`), what it
//! answers besides pages (`web`: the JSON API, feeds, sitemaps, linked data, citation files), and
//! running it (`ops`: settings, the database, serving, health).

pub mod cli;
pub mod http;
pub mod ops;
pub mod web;
