//! Server functions, one file per domain, and the wire types they return.
//! Each is a public endpoint under `/api/<name>`: thin, parsing its input into domain types and
//! making one call into `ssr::db`.

pub mod auth;
pub mod claims;
pub mod conversations;
pub mod flash;
pub mod follows;
pub mod graph;
pub mod inbox;
pub mod invitations;
pub mod moderation;
pub mod password_reset;
pub mod profiles;
pub mod record_edit;
pub mod search;
pub mod works;

/// A record's slug from an address or a form, parsed before the database is asked: one that
/// cannot name a record (NUL, control characters, over-long) is not found, like an unknown one.
#[cfg(feature = "ssr")]
pub(crate) fn record_slug(raw: &str, what: &str) -> Result<crate::domain::slug::Slug, crate::error::AppError> {
    crate::domain::slug::Slug::parse(raw).map_err(|_| crate::error::AppError::NotFound(what.to_owned()))
}
