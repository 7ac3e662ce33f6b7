//! Citations of works as reference managers read them: BibTeX, RIS, CSL-JSON and an APA-like line; stable citation keys; names in Last, First form.
//!
//! This file owns the input type, names and keys; the four output formats are `formats::cite`.

use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

/// One work as the citation formats need it.
#[derive(Debug, Default, Clone, PartialEq, Serialize, Deserialize)]
pub struct CiteWork {
    pub title: String,
    /// Authors as display names in byline order ("Mor Shpigel Nacson", "Daniel Soudry", "Nathan Srebro").
    pub authors: Vec<String>,
    pub year: Option<i32>,
    /// OpenAlex/arXiv work type: "preprint", "article", "book-chapter", "dissertation", "book", ...
    pub work_type: String,
    pub venue: Option<String>,
    /// Bare DOI such as "10.48550/arxiv.2110.12345", no URL.
    pub doi: Option<String>,
    /// "2110.12345" or old style "math/0701001".
    pub arxiv_id: Option<String>,
    /// The work's page on our site, absolute.
    pub url: String,
    pub abstract_text: Option<String>,
}

/// Name suffixes that stay out of the family name.
const SUFFIXES: [&str; 7] = ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];

/// Title words a citation key skips: they say nothing about the work.
const STOP_WORDS: [&str; 13] = ["a", "an", "the", "on", "of", "in", "for", "and", "to", "with", "at", "by", "from"];

/// Splits a display name into `(family, given)` for "Family, Given" output.
///
/// The family name is the last word plus any lowercase particles before it ("Jean de la Fontaine" ->
/// ("de la Fontaine", "Jean")); the first word always stays given. A suffix (Jr., Sr., II, III, IV)
/// is kept out of the family and appended to the given name after a comma ("Martin Luther King Jr."
/// -> ("King", "Martin Luther, Jr.")), which is RIS's "Family, Given, Suffix" order; use
/// [`given_and_suffix`] to take it apart again. A name with commas is read as "Family, Given" or
/// BibTeX's "Family, Suffix, Given". Compound surnames without a particle cannot be told from
/// middle names: "Mor Shpigel Nacson" gives ("Nacson", "Mor Shpigel"); "Shpigel Nacson, Mor" is exact.
pub fn split_name(display: &str) -> (String, String) {
    let name = collapse_spaces(display);
    if name.contains(',') {
        return split_comma_name(&name);
    }
    let mut words: Vec<&str> = name.split(' ').filter(|w| !w.is_empty()).collect();
    let suffix = match words.last() {
        Some(last) if words.len() > 1 && SUFFIXES.contains(last) => words.pop(),
        _ => None,
    };
    let Some(last) = words.len().checked_sub(1) else {
        return (String::new(), String::new());
    };
    let mut start = last;
    while start > 1 && words[start - 1].starts_with(|c: char| c.is_lowercase()) {
        start -= 1;
    }
    let start = start.max(1).min(last);
    let family = words[start..].join(" ");
    (family, with_suffix(words[..start].join(" "), suffix))
}

/// Reads "Family, Given" and "Family, Suffix, Given" (or "Family, Given, Suffix").
fn split_comma_name(name: &str) -> (String, String) {
    let parts: Vec<&str> = name.split(',').map(str::trim).collect();
    let family = parts[0].to_string();
    match parts[1..] {
        [given] => (family, given.to_string()),
        [a, b] if SUFFIXES.contains(&a) => (family, with_suffix(b.to_string(), Some(a))),
        _ => (family, parts[1..].join(", ")),
    }
}

fn with_suffix(given: String, suffix: Option<&str>) -> String {
    match suffix {
        Some(s) if given.is_empty() => s.to_string(),
        Some(s) => format!("{given}, {s}"),
        None => given,
    }
}

/// Separates a given name from the suffix [`split_name`] appended: "Martin Luther, Jr." ->
/// ("Martin Luther", Some("Jr.")).
pub fn given_and_suffix(given: &str) -> (&str, Option<&str>) {
    match given.rsplit_once(", ") {
        Some((g, s)) if SUFFIXES.contains(&s) => (g, Some(s)),
        _ => (given, None),
    }
}

/// A work's authors as (family, given, suffix), nameless entries dropped.
pub fn people(work: &CiteWork) -> Vec<(String, String, Option<String>)> {
    let split = |display: &String| {
        let (family, given) = split_name(display);
        let (given, suffix) = given_and_suffix(&given);
        (family, given.to_string(), suffix.map(str::to_string))
    };
    work.authors.iter().map(split).filter(|(family, _, _)| !family.is_empty()).collect()
}

/// Initials of given names as APA writes them: "Jean-Paul" -> "J.-P.", "J.R.R." -> "J. R. R.".
pub fn initials(given: &str) -> String {
    let part_initials = |part: &str| {
        let letters = part.split('.').filter_map(|p| p.chars().next());
        letters.map(|c| format!("{}.", c.to_uppercase())).collect::<Vec<_>>().join(" ")
    };
    let word_initials =
        |word: &str| word.split('-').map(part_initials).filter(|p| !p.is_empty()).collect::<Vec<_>>().join("-");
    given.split_whitespace().map(word_initials).filter(|i| !i.is_empty()).collect::<Vec<_>>().join(" ")
}

/// Trims and turns every run of whitespace into one space.
pub fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One key per work: family name of the first author, year, first meaningful title word
/// ("soudry2018implicit"), lower-case ASCII. No author gives "anon", no year "nd".
///
/// When several works share a key, every one of them gets a letter in input order
/// ("soudry2018implicita", "soudry2018implicitb"), as BibLaTeX's extradate and Zotero do, so no
/// key silently means the first of several. Letters run a..z, then aa, ab, ...; a letter whose
/// key is already taken is skipped. The same input always gives the same keys.
pub fn citation_keys(works: &[CiteWork]) -> Vec<String> {
    let bare: Vec<String> = works.iter().map(bare_key).collect();
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for key in &bare {
        *counts.entry(key).or_default() += 1;
    }
    let mut taken: HashSet<String> = bare.iter().cloned().collect();
    let mut next_letter: HashMap<&str, usize> = HashMap::new();
    bare.iter()
        .map(|key| {
            if counts.get(key.as_str()).copied().unwrap_or(0) < 2 {
                return key.clone();
            }
            let n = next_letter.entry(key).or_default();
            loop {
                let candidate = format!("{key}{}", letters(*n));
                *n += 1;
                if taken.insert(candidate.clone()) {
                    return candidate;
                }
            }
        })
        .collect()
}

/// The key before collisions are resolved.
fn bare_key(work: &CiteWork) -> String {
    let family = work
        .authors
        .iter()
        .map(|a| ascii_word(&split_name(a).0))
        .find(|f| !f.is_empty())
        .unwrap_or_else(|| "anon".to_string());
    let year = work.year.map_or_else(|| "nd".to_string(), |y| y.to_string());
    let word = work
        .title
        .split(|c: char| c.is_whitespace() || c == '-' || c == '/')
        .map(ascii_word)
        .find(|w| !w.is_empty() && !STOP_WORDS.contains(&w.as_str()))
        .unwrap_or_default();
    format!("{family}{year}{word}")
}

/// 0 -> "a", 25 -> "z", 26 -> "aa": bijective base 26.
fn letters(mut n: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'a' + (n % 26) as u8);
        if n < 26 {
            break;
        }
        n = n / 26 - 1;
    }
    out.iter().rev().map(|&b| char::from(b)).collect()
}

/// Lower-case ASCII letters and digits only: accents transliterated, everything else dropped.
pub fn ascii_word(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            out.push_str(transliterate(c));
        }
    }
    out
}

/// The ASCII spelling of a common accented lower-case letter, or "" for anything else.
fn transliterate(c: char) -> &'static str {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'ı' => "i",
        'ł' | 'ľ' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' | 'ș' => "s",
        'ß' => "ss",
        'ť' | 'ţ' | 'ț' => "t",
        'þ' => "th",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => "",
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn pair(family: &str, given: &str) -> (String, String) {
        (family.to_string(), given.to_string())
    }

    /// A work with our page as its only link; tests add venue, DOI, arXiv id and abstract.
    pub(crate) fn work(work_type: &str, title: &str, authors: &[&str], year: Option<i32>) -> CiteWork {
        CiteWork {
            title: title.to_string(),
            authors: authors.iter().map(|a| a.to_string()).collect(),
            year,
            work_type: work_type.to_string(),
            venue: None,
            doi: None,
            arxiv_id: None,
            url: "https://bzpeer.example/w/some-work".to_string(),
            abstract_text: None,
        }
    }

    #[test]
    fn family_name_is_the_last_word_with_its_lowercase_particles() {
        assert_eq!(split_name("Daniel Soudry"), pair("Soudry", "Daniel"));
        assert_eq!(split_name("Ludwig van Beethoven"), pair("van Beethoven", "Ludwig"));
        assert_eq!(split_name("Jean de la Fontaine"), pair("de la Fontaine", "Jean"));
        assert_eq!(split_name("Mor Shpigel Nacson"), pair("Nacson", "Mor Shpigel"));
        assert_eq!(split_name("danah boyd"), pair("boyd", "danah"));
    }

    #[test]
    fn suffixes_go_after_the_given_name() {
        assert_eq!(split_name("Martin Luther King Jr."), pair("King", "Martin Luther, Jr."));
        assert_eq!(split_name("John Smith III"), pair("Smith", "John, III"));
        assert_eq!(given_and_suffix("Martin Luther, Jr."), ("Martin Luther", Some("Jr.")));
        assert_eq!(given_and_suffix("Daniel"), ("Daniel", None));
        assert_eq!(
            (initials("Jean-Paul"), initials("J.R.R."), initials("mor  Shpigel")),
            ("J.-P.".into(), "J. R. R.".into(), "M. S.".into())
        );
    }

    #[test]
    fn comma_names_single_words_and_spacing_are_read_as_written() {
        assert_eq!(split_name("Soudry, Daniel"), pair("Soudry", "Daniel"));
        assert_eq!(split_name("King, Jr., Martin Luther"), pair("King", "Martin Luther, Jr."));
        assert_eq!(split_name("Shpigel Nacson,  Mor "), pair("Shpigel Nacson", "Mor"));
        assert_eq!(split_name("  Plato "), pair("Plato", ""));
        assert_eq!(split_name("  Nathan \t  Srebro "), pair("Srebro", "Nathan"));
        assert_eq!(split_name("   "), pair("", ""));
    }

    #[test]
    fn keys_skip_stop_words_and_transliterate_accents() {
        let works = [
            work("article", "On the Implicit Bias of SGD", &["Daniel Soudry"], Some(2018)),
            work("article", "The Über-Graph", &["Søren Kierkegaard"], Some(1843)),
            work("article", "À la recherche", &["Paul Erdős"], Some(1999)),
            work("article", "Straße des Wissens", &["Jürgen Groß"], Some(2001)),
        ];
        let keys = citation_keys(&works);
        assert_eq!(keys, ["soudry2018implicit", "kierkegaard1843uber", "erdos1999la", "gross2001strasse"]);
    }

    #[test]
    fn missing_author_year_or_title_word_still_give_a_key() {
        let works = [work("article", "A Study", &[], None), work("article", "", &["", "Ana Lima"], Some(2020))];
        assert_eq!(citation_keys(&works), ["anonndstudy", "lima2020"]);
    }

    #[test]
    fn colliding_keys_get_letters_in_input_order() {
        let w = work("article", "Implicit Bias", &["Daniel Soudry"], Some(2018));
        let other = work("article", "Other", &["Nathan Srebro"], Some(2018));
        let works = [w.clone(), other, w.clone(), w];
        let keys = citation_keys(&works);
        assert_eq!(keys, ["soudry2018implicita", "srebro2018other", "soudry2018implicitb", "soudry2018implicitc"]);
        assert_eq!(citation_keys(&works), keys, "keys are deterministic");
        assert_eq!((letters(25), letters(26), letters(27)), ("z".into(), "aa".into(), "ab".into()));
    }
}
