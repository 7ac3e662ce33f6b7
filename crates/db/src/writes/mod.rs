//! What people and importers change: accounts and their mail links, follows, claims and the
//! owner's edits, collaboration (invitations, conversations, blocks), alerts, the mail outbox,
//! rate-limit windows, dismissed suggestions, and the imported catalogue (record by record, or
//! in bulk) with its harvest checkpoints. Each write is idempotent where it can be, and race-free.

pub mod alerts;
pub mod blocks;
pub mod bulk;
pub mod catalogue;
pub mod claims;
pub mod conversations;
pub mod email_tokens;
pub mod follows;
pub mod harvests;
pub mod invitations;
pub mod outbox;
pub mod rate_limits;
pub mod suggestions;
pub mod users;
