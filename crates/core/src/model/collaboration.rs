//! Collaboration as a profile shows it: where the viewer stands with inviting the researcher, and
//! the works an invitation may be about.

use serde::{Deserialize, Serialize};

/// Where a logged-in visitor stands with a claimed record that is open to collaborate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Standing {
    CanInvite,
    /// The visitor's open invitation to this researcher.
    Invited {
        invitation_id: i64,
    },
    /// A block stands between the two (told neutrally).
    Unavailable,
    /// Unclaimed, not open, or the visitor's own record.
    NotAccepting,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WorkRef {
    pub slug: String,
    pub title: String,
}
