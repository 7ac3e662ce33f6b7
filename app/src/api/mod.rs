//! Server functions, one file per domain, and the wire types they return. Each is a public
//! endpoint under `/api/<name>`: it parses its input into domain types at the edge, reads or
//! writes through `db` (which returns rows), builds its wire type from those rows, and
//! answers a plain form post through `ssr::forms::Form`.

pub mod alerts;
pub mod auth;
pub mod claims;
pub mod conversations;
pub mod flash;
pub mod follows;
pub mod graph;
pub mod home;
pub mod inbox;
pub mod invitations;
pub mod moderation;
pub mod password_reset;
pub mod profiles;
pub mod record_edit;
pub mod search;
pub mod subjects;
pub mod suggestions;
pub mod works;

/// A record's slug from an address or a form, parsed before the database is asked: one that
/// cannot name a record (NUL, control characters, over-long) is not found, like an unknown one.
#[cfg(feature = "ssr")]
pub(crate) fn record_slug(raw: &str, what: &str) -> Result<crate::domain::slug::Slug, crate::error::AppError> {
    crate::domain::slug::Slug::parse(raw).map_err(|_| crate::error::AppError::NotFound(what.to_owned()))
}
