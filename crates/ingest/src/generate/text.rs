//! The words of the synthetic catalogue: each community's vocabulary (terms, and prefixes on
//! roots), titles and abstracts drawn from it Zipf-like.

use super::pools::{FILLERS, PREFIXES, ROOTS, TERMS, TITLE_OPENINGS};
use super::shape::Draw;
/// Terms a community mostly writes with.
const COMMUNITY_TERMS: usize = 30;

/// The research vocabulary: the terms, then every prefix and root compound.
pub(super) fn vocabulary() -> &'static [String] {
    static VOCABULARY: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    VOCABULARY.get_or_init(|| {
        let mut words: Vec<String> = TERMS.iter().map(|t| (*t).to_owned()).collect();
        for root in ROOTS.iter() {
            for prefix in PREFIXES.iter() {
                words.push(format!("{prefix}{root}"));
            }
        }
        words
    })
}

/// A research term: mostly from the community's own slice of the vocabulary, else a common one.
pub(super) fn term(draw: &mut Draw, shift: usize) -> &'static str {
    let words = vocabulary();
    if draw.chance(0.75) {
        &words[(shift + zipf_rank(draw, COMMUNITY_TERMS)) % words.len()]
    } else {
        &words[zipf_rank(draw, words.len())]
    }
}

/// A Zipf-like rank in 0..n without a table: the inverse of the harmonic integral.
pub(super) fn zipf_rank(draw: &mut Draw, n: usize) -> usize {
    let x = ((n as f64 + 1.0).ln() * draw.unit()).exp() - 1.0;
    (x as usize).min(n - 1)
}

pub(super) fn title(draw: &mut Draw, shift: usize) -> String {
    let mut out = String::new();
    if draw.chance(0.35) {
        out.push_str(TITLE_OPENINGS[draw.below(TITLE_OPENINGS.len())]);
        out.push(' ');
    }
    out.push_str(term(draw, shift));
    out.push(' ');
    out.push_str(term(draw, shift));
    out.push(' ');
    out.push_str(["for", "in", "with", "via", "of"][draw.below(5)]);
    for _ in 0..1 + draw.below(3) {
        out.push(' ');
        out.push_str(term(draw, shift));
    }
    capitalised(out)
}

pub(super) fn abstract_text(draw: &mut Draw, shift: usize, words: usize) -> String {
    let mut out = String::with_capacity(words * 8);
    let mut in_sentence = 0;
    for i in 0..words {
        let word = if draw.chance(0.25) { term(draw, shift) } else { FILLERS[zipf_rank(draw, FILLERS.len())] };
        if in_sentence == 0 {
            if i > 0 {
                out.push(' ');
            }
            let mut chars = word.chars();
            if let Some(first) = chars.next() {
                out.extend(first.to_uppercase());
                out.push_str(chars.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(word);
        }
        in_sentence += 1;
        if in_sentence >= 12 + draw.below(14) || i + 1 == words {
            out.push('.');
            in_sentence = 0;
        }
    }
    out
}

pub(super) fn capitalised(s: String) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => s,
    }
}
