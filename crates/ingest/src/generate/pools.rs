//! The word pools the synthetic catalogue draws from: given names, surnames, institutions'
//! cities, venues and the research vocabulary of titles and abstracts, kept as data files under
//! `data/` (one entry a line; a city and its country separated by a tab) and read into the
//! binary. Earlier entries are drawn more often (the generator samples them Zipf-like), so
//! common surnames are shared by many.

use std::sync::LazyLock;

/// The lines of a pool file.
fn lines(text: &'static str) -> Vec<&'static str> {
    text.lines().filter(|l| !l.is_empty()).collect()
}

/// The lines of a pool file of pairs, split at the tab.
fn pairs(text: &'static str) -> Vec<(&'static str, &'static str)> {
    text.lines().filter_map(|l| l.split_once('\t')).collect()
}

pub static GIVEN_NAMES: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/given_names.txt")));
pub static SURNAMES: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/surnames.txt")));
/// Cities for institutions' names, with their country codes.
pub static CITIES: LazyLock<Vec<(&str, &str)>> = LazyLock::new(|| pairs(include_str!("../../data/cities.txt")));
/// How institutions are named: `{}` is a city.
pub static INSTITUTION_FORMS: LazyLock<Vec<&str>> =
    LazyLock::new(|| lines(include_str!("../../data/institution_forms.txt")));
pub static VENUES: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/venues.txt")));
/// Terms of titles and abstracts, most common first (phrases stay together).
pub static TERMS: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/terms.txt")));
/// Word parts whose products extend the vocabulary past the terms above ("thermo" + "dynamics").
pub static PREFIXES: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/prefixes.txt")));
pub static ROOTS: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/roots.txt")));
/// Connecting words between terms.
pub static FILLERS: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/fillers.txt")));
/// How titles open; the rest are terms.
pub static TITLE_OPENINGS: LazyLock<Vec<&str>> = LazyLock::new(|| lines(include_str!("../../data/title_openings.txt")));

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pool_file_is_read_whole() {
        assert_eq!(GIVEN_NAMES.len(), 167);
        assert_eq!(SURNAMES.len(), 266);
        assert_eq!(CITIES.len(), 66);
        assert_eq!(INSTITUTION_FORMS.len(), 8);
        assert_eq!(VENUES.len(), 32);
        assert_eq!(TERMS.len(), 163);
        assert_eq!(PREFIXES.len(), 30);
        assert_eq!(ROOTS.len(), 40);
        assert_eq!(FILLERS.len(), 95);
        assert_eq!(TITLE_OPENINGS.len(), 15);
        assert!(CITIES.iter().all(|(city, country)| !city.is_empty() && country.len() == 2));
    }
}
