//! Direct collaboration rules: what an invitation, a message and an answer may hold, and how many
//! invitations a sender may send a day (fewer when most of theirs are declined).

use crate::domain::claims::plain_text;
use serde::{Deserialize, Serialize};

pub const MAX_SUBJECT_CHARS: usize = 150;
pub const MIN_INVITATION_CHARS: usize = 20;
pub const MAX_MESSAGE_CHARS: usize = 4_000;
pub const MAX_NOTE_CHARS: usize = 1_000;

/// Invitations a sender may send per day (UTC), and the limit once they are slowed down.
pub const DAILY_INVITATIONS: i32 = 10;
pub const SLOWED_DAILY_INVITATIONS: i32 = 1;
/// The decline rule: of a sender's last `DECLINE_WINDOW` answered invitations, `DECLINES_TO_SLOW`
/// or more declined slows them down to `SLOWED_DAILY_INVITATIONS` a day.
pub const DECLINE_WINDOW: i64 = 10;
pub const DECLINES_TO_SLOW: i64 = 7;
/// Messages a user may post per `MESSAGE_WINDOW_SECS`, over all their conversations.
pub const MESSAGES_PER_WINDOW: i32 = 30;
pub const MESSAGE_WINDOW_SECS: i64 = 10 * 60;

/// How many invitations a sender may send today, given how many of their last
/// `DECLINE_WINDOW` answered invitations were declined.
pub fn daily_invitation_limit(recent_declines: i64) -> i32 {
    if recent_declines >= DECLINES_TO_SLOW {
        SLOWED_DAILY_INVITATIONS
    } else {
        DAILY_INVITATIONS
    }
}

/// The subject of an invitation: one line of plain text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject(String);

impl TryFrom<String> for Subject {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, String> {
        let text = plain_text(&raw, MAX_SUBJECT_CHARS, true).map_err(|r| format!("the subject: {r}"))?;
        if text.contains('\n') {
            return Err("the subject: keep it to one line".to_owned());
        }
        Ok(Self(text))
    }
}

impl Subject {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The text of an invitation, a message or an answer's note: plain text, shown escaped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text(String);

impl Text {
    /// An invitation's message: 20 to 4,000 characters.
    pub fn invitation(raw: &str) -> Result<Self, String> {
        let text = plain_text(raw, MAX_MESSAGE_CHARS, true).map_err(|r| format!("the message: {r}"))?;
        let chars = text.chars().count();
        if chars < MIN_INVITATION_CHARS {
            return Err(format!(
                "the message: write at least {MIN_INVITATION_CHARS} characters about what you propose ({chars} now)"
            ));
        }
        Ok(Self(text))
    }

    /// A message in a conversation: 1 to 4,000 characters.
    pub fn message(raw: &str) -> Result<Self, String> {
        plain_text(raw, MAX_MESSAGE_CHARS, true).map(Self).map_err(|r| format!("the message: {r}"))
    }

    /// The optional note with an answer; empty is `None`.
    pub fn note(raw: &str) -> Result<Option<Self>, String> {
        let text = plain_text(raw, MAX_NOTE_CHARS, false).map_err(|r| format!("the note: {r}"))?;
        Ok((!text.is_empty()).then_some(Self(text)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The recipient's answer to an invitation, parsed from the form's `decision`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

impl Answer {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw {
            "accept" => Ok(Self::Accept),
            "decline" => Ok(Self::Decline),
            _ => Err("choose accept or decline"),
        }
    }

    /// The state the invitation moves to.
    pub fn state(self) -> InvitationState {
        match self {
            Self::Accept => InvitationState::Accepted,
            Self::Decline => InvitationState::Declined,
        }
    }
}

/// Where an invitation stands (`invitations.state`, decoded by sqlx: an unknown value is an error).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum InvitationState {
    Pending,
    Accepted,
    Declined,
    Withdrawn,
}

impl InvitationState {
    pub fn label(self) -> &'static str {
        match self {
            Self::Pending => "Waiting for an answer",
            Self::Accepted => "Accepted",
            Self::Declined => "Declined",
            Self::Withdrawn => "Withdrawn",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mostly_declined_senders_are_slowed_to_one_a_day() {
        assert_eq!(daily_invitation_limit(0), DAILY_INVITATIONS);
        assert_eq!(daily_invitation_limit(6), DAILY_INVITATIONS);
        assert_eq!(daily_invitation_limit(7), SLOWED_DAILY_INVITATIONS);
        assert_eq!(daily_invitation_limit(10), SLOWED_DAILY_INVITATIONS);
    }

    #[test]
    fn an_invitation_needs_a_subject_line_and_twenty_characters() {
        assert!(Subject::try_from("Joint work on priors".to_owned()).is_ok());
        assert!(Subject::try_from("  ".to_owned()).is_err_and(|e| e.contains("cannot be empty")));
        assert!(Subject::try_from("two\nlines".to_owned()).is_err_and(|e| e.contains("one line")));
        assert!(Text::invitation("too short").is_err_and(|e| e.contains("at least 20")));
        assert!(Text::invitation(&"a".repeat(20)).is_ok());
    }

    #[test]
    fn messages_are_capped_at_four_thousand_characters() {
        assert!(Text::message(&"é".repeat(4_000)).is_ok());
        let err = Text::message(&"a".repeat(4_001)).err().unwrap_or_default();
        assert!(err.contains("keep it to 4000 characters (4001 now)"), "{err}");
        assert!(Text::message("").is_err());
        assert!(Text::message("bell \u{7}").is_err());
    }

    #[test]
    fn an_empty_note_is_no_note() {
        assert_eq!(Text::note("  "), Ok(None));
        assert_eq!(Text::note("Thanks").map(|n| n.map(|t| t.as_str().to_owned())), Ok(Some("Thanks".to_owned())));
    }
}
