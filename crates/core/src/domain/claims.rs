//! Claim evidence and owner edits, parsed at the edge: written evidence with links, homepages,
//! bios, moderation reasons, and matching an institutional e-mail to an institution's domain.

use crate::domain::trust::ClaimState;
use serde::{Deserialize, Serialize};

pub const MIN_EVIDENCE_CHARS: usize = 50;
pub const MAX_EVIDENCE_CHARS: usize = 2_000;
pub const MAX_EVIDENCE_LINKS: usize = 3;
pub const MAX_BIO_CHARS: usize = 500;
pub const MAX_REASON_CHARS: usize = 500;
pub const MAX_AFFILIATION_CHARS: usize = 200;
/// Disputes an account may have open at once (one per record), and may send in a day.
pub const MAX_OPEN_DISPUTES: i32 = 5;
pub const DISPUTES_PER_DAY: i32 = 10;

/// What a claim request asks for (`claim_requests.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum RequestKind {
    /// To take an unclaimed record, with written evidence.
    Claim,
    /// To end someone else's claim.
    Dispute,
}

impl RequestKind {
    pub fn name(self) -> &'static str {
        match self {
            Self::Claim => "claim",
            Self::Dispute => "dispute",
        }
    }
}

/// Where a claim request stands (`claim_requests.status`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum RequestStatus {
    Open,
    Approved,
    Rejected,
    Withdrawn,
    /// The claim it was about ended before anyone decided it.
    Stale,
}

/// A moderator's verdict on a request, parsed from the form's `decision` (`approve`/`reject`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Approve,
    Reject,
}

impl Verdict {
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        match raw {
            "approve" => Ok(Self::Approve),
            "reject" => Ok(Self::Reject),
            _ => Err("choose approve or reject"),
        }
    }

    /// The status a request decided this way ends in.
    pub fn status(self) -> RequestStatus {
        match self {
            Self::Approve => RequestStatus::Approved,
            Self::Reject => RequestStatus::Rejected,
        }
    }

    /// "approved" / "rejected", for the audit log and the mail.
    pub fn past(self) -> &'static str {
        match self {
            Self::Approve => "approved",
            Self::Reject => "rejected",
        }
    }
}

/// The record's claim state after a moderator decides a request about it: an approved claim is
/// confirmed (L3), a rejected one frees the record, an approved dispute ends the claim; anything
/// else leaves the record as it was.
pub fn claim_after(kind: RequestKind, verdict: Verdict, from: ClaimState) -> ClaimState {
    match (kind, verdict, from) {
        (RequestKind::Claim, Verdict::Approve, ClaimState::Pending) => ClaimState::Confirmed,
        (RequestKind::Claim, Verdict::Reject, ClaimState::Pending) => ClaimState::Unclaimed,
        (RequestKind::Dispute, Verdict::Approve, _) => ClaimState::Unclaimed,
        _ => from,
    }
}

/// Mail providers anyone can sign up with: an address there proves nothing about an institution.
pub const FREE_MAIL_DOMAINS: &[&str] = &[
    "gmail.com",
    "googlemail.com",
    "outlook.com",
    "hotmail.com",
    "live.com",
    "msn.com",
    "yahoo.com",
    "yahoo.co.uk",
    "ymail.com",
    "icloud.com",
    "me.com",
    "mac.com",
    "aol.com",
    "proton.me",
    "protonmail.com",
    "pm.me",
    "gmx.com",
    "gmx.de",
    "gmx.net",
    "web.de",
    "mail.com",
    "yandex.com",
    "yandex.ru",
    "mail.ru",
    "qq.com",
    "163.com",
    "126.com",
    "sina.com",
    "zoho.com",
    "fastmail.com",
    "tutanota.com",
    "hey.com",
];

pub fn is_free_mail(domain: &str) -> bool {
    FREE_MAIL_DOMAINS.contains(&domain.to_ascii_lowercase().as_str())
}

/// Whether an e-mail domain belongs to an institution's web domain: the same domain or a
/// subdomain of it (`cs.ox.ac.uk` belongs to `ox.ac.uk`), never a free-mail provider.
pub fn email_domain_matches(email_domain: &str, institution_domain: &str) -> bool {
    let email = email_domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let inst = institution_domain.trim().trim_end_matches('.').to_ascii_lowercase();
    let inst = inst.strip_prefix("www.").unwrap_or(&inst);
    if inst.is_empty() || !inst.contains('.') || is_free_mail(&email) || is_free_mail(inst) {
        return false;
    }
    email == inst || email.ends_with(&format!(".{inst}"))
}

/// The host of an http(s) URL, lower-cased, without `www.`: the domain an institution's
/// homepage gives it.
pub fn web_domain(url: &str) -> Option<String> {
    let rest = url.trim().strip_prefix("https://").or_else(|| url.trim().strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#', ':']).next()?.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host).to_owned();
    (host.contains('.')
        && !host.starts_with('.')
        && host.chars().all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-'))
    .then_some(host)
}

/// An http or https link a person typed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WebLink(String);

impl WebLink {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let link = raw.trim();
        if link.len() > 500 {
            return Err("a link has at most 500 characters".to_owned());
        }
        if web_domain(link).is_none() || link.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(format!("`{}` is not an http or https link", link.chars().take(80).collect::<String>()));
        }
        Ok(Self(link.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Written evidence for review: 50 to 2,000 characters of plain text and up to three links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub text: String,
    pub links: Vec<WebLink>,
}

impl Evidence {
    /// `links` is the form's text area: one link a line, blank lines ignored.
    pub fn parse(text: &str, links: &str) -> Result<Self, (&'static str, String)> {
        let text = super::text::strip_bidi(text).trim().replace("\r\n", "\n");
        let chars = text.chars().count();
        if chars < MIN_EVIDENCE_CHARS {
            return Err(("evidence", format!("write at least {MIN_EVIDENCE_CHARS} characters ({chars} so far)")));
        }
        if chars > MAX_EVIDENCE_CHARS {
            return Err(("evidence", format!("keep it to {MAX_EVIDENCE_CHARS} characters ({chars} now)")));
        }
        let raw_links: Vec<&str> = links.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        if raw_links.len() > MAX_EVIDENCE_LINKS {
            return Err(("links", format!("give at most {MAX_EVIDENCE_LINKS} links")));
        }
        let links =
            raw_links.into_iter().map(WebLink::parse).collect::<Result<Vec<_>, _>>().map_err(|e| ("links", e))?;
        Ok(Self { text, links })
    }
}

/// Plain text up to `max` characters (bios, reasons, free-text affiliations); empty allowed
/// only where `required` is false.
pub fn plain_text(raw: &str, max: usize, required: bool) -> Result<String, String> {
    let text = super::text::strip_bidi(raw).trim().replace("\r\n", "\n");
    if required && text.is_empty() {
        return Err("this cannot be empty".to_owned());
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(format!("keep it to {max} characters ({chars} now)"));
    }
    if text.chars().any(|c| c.is_control() && c != '\n') {
        return Err("this has characters that cannot be shown".to_owned());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::{claim_after, RequestKind, Verdict};
    use crate::domain::trust::ClaimState;

    #[test]
    fn a_decision_moves_the_claim_only_where_the_rules_say() {
        use ClaimState::*;
        assert_eq!(claim_after(RequestKind::Claim, Verdict::Approve, Pending), Confirmed);
        assert_eq!(claim_after(RequestKind::Claim, Verdict::Reject, Pending), Unclaimed);
        assert_eq!(claim_after(RequestKind::Dispute, Verdict::Approve, Claimed), Unclaimed);
        assert_eq!(claim_after(RequestKind::Dispute, Verdict::Approve, Confirmed), Unclaimed);
        assert_eq!(claim_after(RequestKind::Dispute, Verdict::Reject, Confirmed), Confirmed);
        // A claim request about a record that is no longer pending changes nothing.
        assert_eq!(claim_after(RequestKind::Claim, Verdict::Approve, Claimed), Claimed);
        assert_eq!(Verdict::parse("approve"), Ok(Verdict::Approve));
        assert!(Verdict::parse("Approve").is_err());
    }

    use super::*;

    #[test]
    fn institutional_addresses_match_their_domain_and_its_subdomains() {
        assert!(email_domain_matches("ox.ac.uk", "ox.ac.uk"));
        assert!(email_domain_matches("cs.ox.ac.uk", "www.ox.ac.uk"));
        assert!(!email_domain_matches("evilox.ac.uk", "ox.ac.uk"));
        assert!(!email_domain_matches("ox.ac.uk.evil.com", "ox.ac.uk"));
        assert!(!email_domain_matches("ac.uk", "ox.ac.uk"));
    }

    #[test]
    fn free_mail_never_matches() {
        assert!(!email_domain_matches("gmail.com", "gmail.com"));
        assert!(!email_domain_matches("mail.gmail.com", "gmail.com"));
        assert!(is_free_mail("Outlook.com"));
    }

    #[test]
    fn homepages_give_their_web_domain() {
        assert_eq!(web_domain("https://www.ox.ac.uk/research").as_deref(), Some("ox.ac.uk"));
        assert_eq!(web_domain("http://health.ucsd.edu:8080/").as_deref(), Some("health.ucsd.edu"));
        assert_eq!(web_domain("ftp://x.org"), None);
        assert_eq!(web_domain("javascript:alert(1)"), None);
    }

    #[test]
    fn evidence_needs_50_to_2000_characters_and_at_most_three_http_links() {
        let text = "I am the author of these papers; see my university page and ORCID record.";
        assert!(Evidence::parse(text, "https://a.example.org/me\n\nhttp://orcid.org/x").is_ok());
        assert_eq!(Evidence::parse("too short", "").map_err(|e| e.0), Err("evidence"));
        assert_eq!(Evidence::parse(&"x".repeat(2001), "").map_err(|e| e.0), Err("evidence"));
        assert_eq!(
            Evidence::parse(text, "https://a.org\nhttps://b.org\nhttps://c.org\nhttps://d.org").map_err(|e| e.0),
            Err("links")
        );
        assert_eq!(Evidence::parse(text, "javascript:alert(1)").map_err(|e| e.0), Err("links"));
        assert_eq!(Evidence::parse(text, "ftp://files.example.org").map_err(|e| e.0), Err("links"));
    }

    #[test]
    fn plain_text_is_bounded_and_trimmed() {
        assert_eq!(plain_text("  hi  ", 10, true).as_deref(), Ok("hi"));
        assert!(plain_text("", 10, true).is_err());
        assert_eq!(plain_text("", 10, false).as_deref(), Ok(""));
        assert!(plain_text(&"é".repeat(11), 10, false).is_err());
    }
}
