//! Reusable pieces of pages.

pub mod citations;
pub mod collaboration;
pub mod copy;
pub mod follow;
pub mod forms;
pub mod graph;
pub mod head;
pub mod identifiers;
pub mod islands;
pub mod layout;
pub mod record_citations;
pub mod suggestions;
pub mod work_card;
