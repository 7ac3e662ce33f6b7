//! External identifiers, parsed once at the edge: arXiv ids, DOIs, ORCIDs and OpenAlex ids.

use std::fmt;

/// Why an identifier was refused, in words a person importing data can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdError(pub String);

impl fmt::Display for IdError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for IdError {}

macro_rules! id_newtype {
    ($name:ident) => {
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub struct $name(String);

        impl $name {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
    };
}

id_newtype!(ArxivId);
id_newtype!(Doi);
id_newtype!(Orcid);
id_newtype!(OpenAlexId);

impl ArxivId {
    /// `1806.01796`, `0704.0001v2` (the version is dropped) or the old `hep-th/9901001` form.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let raw = raw.trim();
        let raw = raw.strip_prefix("arXiv:").or_else(|| raw.strip_prefix("arxiv:")).unwrap_or(raw);
        let base = match raw.rfind('v') {
            Some(i) if i > 0 && raw[i + 1..].chars().all(|c| c.is_ascii_digit()) && i + 1 < raw.len() => &raw[..i],
            _ => raw,
        };
        let new_style = base
            .split_once('.')
            .is_some_and(|(a, b)| a.len() == 4 && all_digits(a) && (4..=5).contains(&b.len()) && all_digits(b));
        let old_style = base.split_once('/').is_some_and(|(archive, number)| {
            !archive.is_empty()
                && archive.chars().all(|c| c.is_ascii_alphabetic() || c == '-' || c == '.')
                && number.len() == 7
                && all_digits(number)
        });
        if new_style || old_style {
            Ok(Self(base.to_owned()))
        } else {
            Err(IdError(format!("`{raw}` is not an arXiv identifier (like 1806.01796)")))
        }
    }
}

impl Doi {
    /// A DOI, with or without a resolver (`https://doi.org/`, `dx.doi.org`) or `doi:` before
    /// it, in any case; stored lower-case (DOIs are case-insensitive). Its registrant is `10.`
    /// and digits or dots, and it names something after the slash.
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let trimmed = raw.trim();
        let lower = trimmed.to_lowercase();
        let bare = ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"]
            .iter()
            .find_map(|p| lower.strip_prefix(p))
            .map_or(lower.as_str(), str::trim_start);
        match bare.split_once('/') {
            Some((registrant, suffix))
                if registrant.len() > 3
                    && registrant.starts_with("10.")
                    && registrant[3..].bytes().all(|b| b.is_ascii_digit() || b == b'.')
                    && !suffix.is_empty() =>
            {
                Ok(Self(bare.to_owned()))
            }
            _ => Err(IdError(format!("`{trimmed}` is not a DOI (like 10.1103/PhysRevD.76.013009)"))),
        }
    }

    /// Its address at the DOI resolver, every unsafe byte percent-encoded.
    pub fn url(&self) -> String {
        format!("https://doi.org/{}", super::percent::path(&self.0))
    }

    /// The arXiv id inside an arXiv DataCite DOI (`10.48550/arxiv.1806.01796`).
    pub fn arxiv_id(&self) -> Option<ArxivId> {
        self.0.strip_prefix("10.48550/arxiv.").and_then(|id| ArxivId::parse(id).ok())
    }
}

impl Orcid {
    /// An ORCID iD, with or without `https://orcid.org/` (and a trailing slash), checksum
    /// verified (ISO 7064 11,2).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let trimmed = raw.trim();
        let bare = ["https://orcid.org/", "http://orcid.org/", "orcid.org/"]
            .iter()
            .find_map(|p| {
                trimmed.get(..p.len()).filter(|head| head.eq_ignore_ascii_case(p)).map(|_| &trimmed[p.len()..])
            })
            .unwrap_or(trimmed)
            .trim_end_matches('/');
        let digits: Vec<char> = bare.chars().filter(|c| *c != '-').collect();
        let well_formed = bare.len() == 19
            && bare.chars().enumerate().all(|(i, c)| {
                if i % 5 == 4 {
                    c == '-'
                } else {
                    c.is_ascii_digit() || (i == 18 && c == 'X')
                }
            });
        if !well_formed || digits.len() != 16 {
            return Err(IdError(format!("`{trimmed}` is not an ORCID iD (like 0000-0002-1825-0097)")));
        }
        let mut total: u32 = 0;
        for c in &digits[..15] {
            total = (total + c.to_digit(10).unwrap_or(0)) * 2;
        }
        let check = (12 - total % 11) % 11;
        let expected = if check == 10 { 'X' } else { char::from_digit(check, 10).unwrap_or('?') };
        if digits[15] != expected {
            return Err(IdError(format!("`{trimmed}` has a wrong ORCID check digit")));
        }
        Ok(Self(bare.to_owned()))
    }

    pub fn url(&self) -> String {
        format!("https://orcid.org/{}", self.0)
    }
}

impl OpenAlexId {
    /// `https://openalex.org/A5102889969` or `A5102889969`; the leading letter names the kind
    /// of entity (W work, A author, I institution, T topic, C concept, S source).
    pub fn parse(raw: &str) -> Result<Self, IdError> {
        let trimmed = raw.trim();
        let bare = trimmed.strip_prefix("https://openalex.org/").unwrap_or(trimmed);
        let mut chars = bare.chars();
        match chars.next() {
            Some(kind) if "WAITCSP".contains(kind) && bare.len() > 1 && all_digits(chars.as_str()) => {
                Ok(Self(bare.to_owned()))
            }
            _ => Err(IdError(format!("`{trimmed}` is not an OpenAlex id (like https://openalex.org/W2741809807)"))),
        }
    }

    pub fn kind(&self) -> char {
        self.0.chars().next().unwrap_or('?')
    }
}

/// Whether BZPEER made this OpenAlex id up (the demo's synthetic records, `A9…`, `W9…`, `I9…`):
/// OpenAlex's own ids have not reached a 9 after their letter. Pages never link such an id.
pub fn is_made_up_openalex(id: &str) -> bool {
    id.trim().trim_start_matches("https://openalex.org/").chars().nth(1) == Some('9')
}

/// The openalex.org page of an id, unless the id is made up.
pub fn openalex_url(id: &str) -> Option<String> {
    (!is_made_up_openalex(id))
        .then(|| format!("https://openalex.org/{}", id.trim_start_matches("https://openalex.org/")))
}

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn made_up_openalex_ids_get_no_link() {
        assert_eq!(openalex_url("A5102889969").as_deref(), Some("https://openalex.org/A5102889969"));
        assert_eq!(
            openalex_url("https://openalex.org/W2741809807").as_deref(),
            Some("https://openalex.org/W2741809807")
        );
        assert!(is_made_up_openalex("A90000000001") && is_made_up_openalex("https://openalex.org/W9000000001"));
        assert_eq!(openalex_url("I9000000001"), None);
    }

    #[test]
    fn arxiv_ids_of_both_styles_parse_and_drop_their_version() {
        assert_eq!(ArxivId::parse("1806.01796").map(|i| i.0), Ok("1806.01796".to_owned()));
        assert_eq!(ArxivId::parse("0704.0001v2").map(|i| i.0), Ok("0704.0001".to_owned()));
        assert_eq!(ArxivId::parse("hep-th/9901001").map(|i| i.0), Ok("hep-th/9901001".to_owned()));
        assert!(ArxivId::parse("not an id").is_err());
        assert!(ArxivId::parse("").is_err());
    }

    #[test]
    fn dois_are_stripped_of_their_resolver_and_lower_cased() {
        let doi = Doi::parse("https://doi.org/10.48550/arXiv.1806.01796");
        assert_eq!(doi.as_ref().map(Doi::as_str), Ok("10.48550/arxiv.1806.01796"));
        assert_eq!(doi.ok().and_then(|d| d.arxiv_id()).map(|i| i.0), Some("1806.01796".to_owned()));
        assert!(Doi::parse("11.1/x").is_err());
    }

    #[test]
    fn orcids_are_checked_by_their_check_digit() {
        assert!(Orcid::parse("https://orcid.org/0000-0002-7296-5413").is_ok());
        assert!(Orcid::parse("0000-0002-1825-0097").is_ok());
        assert!(Orcid::parse("0000-0002-1694-233X").is_ok());
        assert!(Orcid::parse("0000-0002-1825-0098").is_err());
        assert!(Orcid::parse("0000-0002-1825").is_err());
    }

    #[test]
    fn openalex_ids_keep_their_kind_letter() {
        let id = OpenAlexId::parse("https://openalex.org/A5102889969");
        assert_eq!(id.as_ref().map(OpenAlexId::as_str), Ok("A5102889969"));
        assert_eq!(id.map(|i| i.kind()), Ok('A'));
        assert!(OpenAlexId::parse("https://openalex.org/").is_err());
        assert!(OpenAlexId::parse("X123").is_err());
    }

    #[test]
    fn a_doi_is_found_behind_any_resolver_and_its_registrant_is_checked() {
        let doi = |raw: &str| Doi::parse(raw).ok().map(|d| d.as_str().to_owned());
        assert_eq!(doi("10.1000/xyz").as_deref(), Some("10.1000/xyz"));
        assert_eq!(doi(" https://doi.org/10.1000/XYZ ").as_deref(), Some("10.1000/xyz"));
        assert_eq!(doi("HTTPS://DX.DOI.ORG/10.1000/a").as_deref(), Some("10.1000/a"));
        assert_eq!(doi("doi: 10.1000.5/a/b").as_deref(), Some("10.1000.5/a/b"));
        for bad in ["10.1000/", "11.1000/x", "10./x", "10.12ab/x", "not a doi", "", "é"] {
            assert_eq!(doi(bad), None, "{bad}");
        }
        let encoded = Doi::parse("10.1002/(SICI)1097<448::AID>3.0.CO;2-A").map(|d| d.url()).ok();
        assert_eq!(encoded.as_deref(), Some("https://doi.org/10.1002/(sici)1097%3C448::aid%3E3.0.co;2-a"));
    }

    #[test]
    fn an_orcid_is_found_behind_its_address_with_or_without_a_slash() {
        let orcid = |raw: &str| Orcid::parse(raw).ok().map(|o| o.as_str().to_owned());
        assert_eq!(orcid("https://orcid.org/0000-0002-1825-0097/").as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(orcid("orcid.org/0000-0002-1825-0097").as_deref(), Some("0000-0002-1825-0097"));
        assert_eq!(orcid(" \t "), None);
        assert_eq!(orcid("https://orcid.org/"), None);
    }
}
