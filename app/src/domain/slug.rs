//! URL slugs: readable name or title words plus a short hash that stays stable across re-imports.

use sha1::{Digest, Sha1};

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

#[cfg(test)]
mod tests {
    use super::*;

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
    fn the_hash_depends_only_on_the_key() {
        assert_eq!(short_hash("arxiv:1806.01796"), short_hash("arxiv:1806.01796"));
        assert_ne!(short_hash("arxiv:1806.01796"), short_hash("arxiv:1806.01797"));
        assert_eq!(short_hash("x").len(), 10);
    }
}
