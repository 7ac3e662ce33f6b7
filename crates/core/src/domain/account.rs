//! Account input parsed at the edge: e-mail addresses, passwords, display names and the
//! return paths of "log in to ..." links.

use serde::{Deserialize, Serialize};
use std::fmt;

/// How long a verification link works (and an unverified account lives).
pub const VERIFY_LINK_HOURS: i64 = 48;
/// How long a password-reset link works.
pub const RESET_LINK_HOURS: i64 = 1;

/// The logged-in account as pages see it (the header's name and inbox count).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Viewer {
    pub display_name: String,
    pub email: String,
    pub email_verified: bool,
    /// New invitations, unseen answers and unread messages, for the header's "Inbox (n)".
    #[serde(default)]
    pub unread: i64,
}

pub const MIN_PASSWORD_CHARS: usize = 8;
pub const MAX_PASSWORD_CHARS: usize = 128;
pub const MAX_DISPLAY_NAME_CHARS: usize = 80;
pub const MAX_EMAIL_CHARS: usize = 254;

/// An e-mail address, trimmed and lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

impl TryFrom<String> for Email {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        let email = raw.trim().to_lowercase();
        if email.is_empty() {
            return Err("enter your e-mail address".to_owned());
        }
        if email.chars().count() > MAX_EMAIL_CHARS {
            return Err(format!("an e-mail address has at most {MAX_EMAIL_CHARS} characters"));
        }
        let Some((local, domain)) = email.split_once('@') else {
            return Err("an e-mail address looks like name@example.org".to_owned());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
        if local.is_empty() || !domain_ok || email.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err("an e-mail address looks like name@example.org".to_owned());
        }
        Ok(Self(email))
    }
}

impl From<Email> for String {
    fn from(e: Email) -> Self {
        e.0
    }
}

impl Email {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn domain(&self) -> &str {
        self.0.split_once('@').map_or("", |(_, d)| d)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A password as typed: 8 to 128 characters. Never logged, never serialised back.
#[derive(Clone, PartialEq, Eq)]
pub struct Password(String);

impl TryFrom<String> for Password {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        let chars = raw.chars().count();
        if chars < MIN_PASSWORD_CHARS {
            return Err(format!("use at least {MIN_PASSWORD_CHARS} characters"));
        }
        if chars > MAX_PASSWORD_CHARS {
            return Err(format!("use at most {MAX_PASSWORD_CHARS} characters"));
        }
        Ok(Self(raw))
    }
}

impl Password {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(..)")
    }
}

/// The name shown for an account: trimmed, 1 to 80 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DisplayName(String);

impl TryFrom<String> for DisplayName {
    type Error = String;

    fn try_from(raw: String) -> Result<Self, Self::Error> {
        let name = super::text::strip_bidi(&raw).split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            return Err("enter the name to show on your account".to_owned());
        }
        if name.chars().count() > MAX_DISPLAY_NAME_CHARS {
            return Err(format!("use at most {MAX_DISPLAY_NAME_CHARS} characters"));
        }
        if name.chars().any(char::is_control) {
            return Err("the name has characters that cannot be shown".to_owned());
        }
        Ok(Self(name))
    }
}

impl From<DisplayName> for String {
    fn from(n: DisplayName) -> Self {
        n.0
    }
}

impl DisplayName {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Where to go after logging in: only a same-site relative path (`/authors/x?after=y`).
/// Anything else (`https://evil.example`, `//evil.example`, `/\evil`) falls back to `/`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReturnPath(String);

impl ReturnPath {
    pub fn parse_or_home(raw: Option<&str>) -> Self {
        raw.and_then(Self::parse).unwrap_or_else(|| Self("/".to_owned()))
    }

    pub fn parse(raw: &str) -> Option<Self> {
        let safe = raw.starts_with('/')
            && !raw.starts_with("//")
            && !raw.starts_with("/\\")
            && raw.len() <= 2048
            && !raw.chars().any(|c| c.is_control() || c == '\\' || c.is_whitespace());
        safe.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The log-in page that comes back to `next` (a path on this site) afterwards.
pub fn login_href(next: &str) -> String {
    format!("/login?next={}", super::percent::query_value(next))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_in_links_encode_where_to_come_back() {
        assert_eq!(login_href("/authors/ada/claim"), "/login?next=/authors/ada/claim");
        assert_eq!(login_href("/search?q=a b&page=2"), "/login?next=/search%3Fq%3Da+b%26page%3D2");
    }

    #[test]
    fn emails_are_trimmed_and_lower_cased() {
        assert_eq!(Email::try_from(" Ada@Example.ORG ".to_owned()).map(String::from), Ok("ada@example.org".to_owned()));
    }

    #[test]
    fn malformed_emails_are_refused_with_a_reason() {
        for raw in
            ["", "ada", "ada@", "@example.org", "ada@example", "ada@@example.org", "a da@example.org", "ada@.org"]
        {
            assert!(Email::try_from(raw.to_owned()).is_err(), "{raw}");
        }
        assert!(Email::try_from(format!("{}@example.org", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_need_8_to_128_characters() {
        assert!(Password::try_from("short".to_owned()).is_err());
        assert!(Password::try_from("exactly8".to_owned()).is_ok());
        assert!(Password::try_from("é".repeat(128)).is_ok());
        assert!(Password::try_from("x".repeat(129)).is_err());
    }

    #[test]
    fn a_password_never_shows_in_debug_output() {
        let p = Password::try_from("correct horse".to_owned()).map(|p| format!("{p:?}"));
        assert_eq!(p.as_deref(), Ok("Password(..)"));
    }

    #[test]
    fn display_names_are_collapsed_and_bounded() {
        assert_eq!(
            DisplayName::try_from("  Ada   Lovelace ".to_owned()).map(String::from),
            Ok("Ada Lovelace".to_owned())
        );
        assert!(DisplayName::try_from("   ".to_owned()).is_err());
        assert!(DisplayName::try_from("x".repeat(81)).is_err());
    }

    #[test]
    fn only_same_site_return_paths_are_honoured() {
        assert_eq!(
            ReturnPath::parse_or_home(Some("/authors/x?after=2022-01-01.4")).as_str(),
            "/authors/x?after=2022-01-01.4"
        );
        for evil in
            ["https://evil.example/", "//evil.example", "/\\evil.example", "evil", "/a b", "javascript:alert(1)"]
        {
            assert_eq!(ReturnPath::parse_or_home(Some(evil)).as_str(), "/", "{evil}");
        }
        assert_eq!(ReturnPath::parse_or_home(None).as_str(), "/");
    }

    #[test]
    fn query_values_are_percent_encoded() {
        assert_eq!(login_href("/authors/x?after=1&y"), "/login?next=/authors/x%3Fafter%3D1%26y");
    }
}
