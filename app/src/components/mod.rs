//! Reusable pieces of pages.

pub mod head;
pub mod layout;
pub mod work_card;
