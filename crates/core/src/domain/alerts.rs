//! Alerts about followed researchers: how often the digest comes, and the digest mail itself.

use serde::{Deserialize, Serialize};

/// How often the digest of new works by followed researchers is mailed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type))]
#[cfg_attr(feature = "sqlx", sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum DigestPeriod {
    #[default]
    Off,
    Daily,
    Weekly,
}

impl DigestPeriod {
    pub const ALL: [DigestPeriod; 3] = [DigestPeriod::Off, DigestPeriod::Daily, DigestPeriod::Weekly];

    pub fn parse(raw: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == raw.trim())
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Off => "off",
            Self::Daily => "daily",
            Self::Weekly => "weekly",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Off => "Off",
            Self::Daily => "Daily",
            Self::Weekly => "Weekly",
        }
    }

    /// The period's length in hours (none when off).
    pub fn hours(self) -> Option<i64> {
        match self {
            Self::Off => None,
            Self::Daily => Some(24),
            Self::Weekly => Some(24 * 7),
        }
    }
}

/// A new work as the digest lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestWork {
    pub title: String,
    pub slug: String,
    /// The followed researchers on it.
    pub followed: Vec<String>,
}

/// Works listed in one digest; the rest are counted and linked.
pub const DIGEST_WORKS: usize = 50;

/// The digest mail's subject and plain-text body.
pub fn digest_mail(
    site: &str,
    period: DigestPeriod,
    works: &[DigestWork],
    total: usize,
    unsubscribe: &str,
) -> (String, String) {
    let when = match period {
        DigestPeriod::Weekly => "this week",
        _ => "today",
    };
    let subject = if total == 1 {
        format!("1 new work by researchers you follow {when}")
    } else {
        format!("{total} new works by researchers you follow {when}")
    };
    let mut body = format!("New on BZPEER by researchers you follow ({when}):\n\n");
    for work in works.iter().take(DIGEST_WORKS) {
        let title = crate::domain::text::clean(&work.title);
        body.push_str(&format!("- {title}\n  by {}\n  {site}/works/{}\n\n", work.followed.join(", "), work.slug));
    }
    if total > works.len().min(DIGEST_WORKS) {
        body.push_str(&format!("... and {} more: {site}/me/following\n\n", total - works.len().min(DIGEST_WORKS)));
    }
    body.push_str(&format!(
        "You get this {} digest because you chose it at {site}/me/settings.\nStop it with one click: {unsubscribe}\n",
        period.as_str()
    ));
    (subject, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_parse_from_their_names_only() {
        assert_eq!(DigestPeriod::parse("weekly"), Some(DigestPeriod::Weekly));
        assert_eq!(DigestPeriod::parse("monthly"), None);
        assert_eq!(DigestPeriod::Daily.hours(), Some(24));
        assert_eq!(DigestPeriod::Off.hours(), None);
    }

    #[test]
    fn the_digest_lists_the_works_and_ends_with_the_unsubscribe_link() {
        let works =
            vec![DigestWork { title: "A\u{202e} title".into(), slug: "a-1".into(), followed: vec!["Ada".into()] }];
        let (subject, body) =
            digest_mail("https://b.example", DigestPeriod::Daily, &works, 1, "https://b.example/u?t=x");
        assert_eq!(subject, "1 new work by researchers you follow today");
        assert!(body.contains("- A title\n  by Ada\n  https://b.example/works/a-1"), "{body}");
        assert!(body.trim_end().ends_with("https://b.example/u?t=x"));
        let (subject, body) = digest_mail("https://b.example", DigestPeriod::Weekly, &works, 60, "u");
        assert_eq!(subject, "60 new works by researchers you follow this week");
        assert!(body.contains("... and 59 more"));
    }
}
