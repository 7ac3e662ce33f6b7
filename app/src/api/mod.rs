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
