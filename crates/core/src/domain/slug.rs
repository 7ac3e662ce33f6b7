//! URL slugs: readable name or title words plus a short hash that stays stable across re-imports.

use sha1::{Digest, Sha1};
use std::fmt;

/// Slugs longer than this name no record (ours are under 100 bytes).
pub const MAX_SLUG_BYTES: usize = 200;

/// A record's address as `slugify` writes it: lower-case ASCII letters, digits and `-`, at most
/// `MAX_SLUG_BYTES`. Anything else (NUL, control characters, an over-long path) names no record,
/// so it is refused before the database is asked.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

/// Why a slug was refused: it cannot name a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadSlug;

impl fmt::Display for BadSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a record address")
    }
}

impl Slug {
    pub fn parse(raw: &str) -> Result<Self, BadSlug> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_SLUG_BYTES
            && raw.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        ok.then(|| Self(raw.to_owned())).ok_or(BadSlug)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for Slug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Lower-case ASCII words joined by `-`, cut at a word boundary to at most `max_len` bytes.
/// Accented letters are transliterated (`Balázs` becomes `balazs`).
pub fn slugify(text: &str, max_len: usize) -> String {
    let ascii = deunicode::deunicode(text).to_lowercase();
    let mut out = String::new();
    for word in ascii.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()) {
        let extra = if out.is_empty() { word.len() } else { word.len() + 1 };
        if out.len() + extra > max_len {
            if out.is_empty() {
                out.push_str(&word[..max_len.min(word.len())]);
            }
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(word);
    }
    out
}

/// The first ten hex digits of the SHA-1 of a record's source key.
pub fn short_hash(source_key: &str) -> String {
    let digest = Sha1::digest(source_key.as_bytes());
    digest.iter().take(5).map(|b| format!("{b:02x}")).collect()
}

/// `/authors/<slug>`: `mor-shpigel-nacson-arxiv-fb85d1b566`.
pub fn author_slug(display_name: &str, source: &str, source_key: &str) -> String {
    let name = slugify(display_name, 60);
    let name = if name.is_empty() { "author".to_owned() } else { name };
    format!("{name}-{source}-{}", short_hash(source_key))
}

/// `/works/<slug>`: title words, then the short hash of the work's stable key (`arxiv:1806.01796`).
pub fn work_slug(title: &str, work_key: &str) -> String {
    let words = slugify(title, 70);
    let words = if words.is_empty() { "work".to_owned() } else { words };
    format!("{words}-{}", short_hash(work_key))
}

/// `/topics/<slug>` and `/institutions/<slug>`: the name's words, then the database id
/// (`machine-learning-12`). The id finds the subject; the words only read well, so a renamed
/// subject's old address still finds it.
pub fn subject_slug(name: &str, id: i64) -> String {
    let words = slugify(name, 60);
    if words.is_empty() {
        id.to_string()
    } else {
        format!("{words}-{id}")
    }
}

/// The id a subject's address ends with (`machine-learning-12` → 12), or a bare id (`12`).
pub fn subject_id(slug: &str) -> Option<i64> {
    let slug = Slug::parse(slug).ok()?;
    let digits = slug.as_str().rsplit('-').next()?;
    if digits.is_empty() || digits.len() > 18 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse::<i64>().ok().filter(|id| *id > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subject_addresses_end_with_their_id() {
        assert_eq!(subject_slug("Machine Learning", 12), "machine-learning-12");
        assert_eq!(
            subject_slug("Technion – Israel Institute of Technology", 3),
            "technion-israel-institute-of-technology-3"
        );
        assert_eq!(subject_slug("???", 7), "7");
        assert_eq!(subject_id("machine-learning-12"), Some(12));
        assert_eq!(subject_id("12"), Some(12));
        assert_eq!(subject_id("anything-else-12"), Some(12));
        for bad in
            ["", "machine-learning", "machine-learning-0", "ml-12x", "ML-12", "a-99999999999999999999", "-", "x-"]
        {
            assert_eq!(subject_id(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn the_reference_author_slug_is_reproduced() {
        assert_eq!(
            author_slug("Mor Shpigel Nacson", "arxiv", "mor shpigel nacson"),
            "mor-shpigel-nacson-arxiv-fb85d1b566"
        );
    }

    #[test]
    fn accents_are_transliterated_and_punctuation_dropped() {
        assert_eq!(slugify("C. Balázs & E. L. Berger", 80), "c-balazs-e-l-berger");
    }

    #[test]
    fn long_titles_are_cut_at_a_word_boundary() {
        let slug = slugify("At Stability's Edge: How to Adjust Hyperparameters to Preserve Minima", 30);
        assert_eq!(slug, "at-stability-s-edge-how-to");
        assert!(slug.len() <= 30);
    }

    #[test]
    fn an_empty_title_still_gives_a_usable_slug() {
        assert_eq!(work_slug("???", "arxiv:1"), format!("work-{}", short_hash("arxiv:1")));
    }

    #[test]
    fn slugs_we_make_parse_and_nothing_else_does() {
        let made = author_slug("C. Balázs & E. L. Berger", "arxiv", "c balazs");
        assert_eq!(Slug::parse(&made).map(Slug::into_string), Ok(made));
        let long = "a".repeat(MAX_SLUG_BYTES + 1);
        for bad in ["", "a\0b", "a\u{1}b", "a\nb", "A-b", "a b", "a/b", "ä", "a%00", long.as_str()] {
            assert_eq!(Slug::parse(bad), Err(BadSlug), "{bad:?}");
        }
    }

    #[test]
    fn the_hash_depends_only_on_the_key() {
        assert_eq!(short_hash("arxiv:1806.01796"), short_hash("arxiv:1806.01796"));
        assert_ne!(short_hash("arxiv:1806.01796"), short_hash("arxiv:1806.01797"));
        assert_eq!(short_hash("x").len(), 10);
    }
}
