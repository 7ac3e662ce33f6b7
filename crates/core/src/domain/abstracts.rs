//! OpenAlex abstracts arrive as an inverted index (`{word: [positions]}`); this rebuilds the text.

use std::collections::BTreeMap;

/// Rebuilds an abstract by placing every word at each of its positions, in position order.
/// Gaps (positions no word claims) are skipped; a position claimed twice keeps the first word
/// in key order, so the result is deterministic. An empty index gives `None`.
pub fn from_inverted_index<'a, I, P>(index: I) -> Option<String>
where
    I: IntoIterator<Item = (&'a str, P)>,
    P: IntoIterator<Item = u32>,
{
    let mut by_position: BTreeMap<u32, &'a str> = BTreeMap::new();
    for (word, positions) in index {
        for position in positions {
            by_position.entry(position).or_insert(word);
        }
    }
    if by_position.is_empty() {
        return None;
    }
    let words: Vec<&str> = by_position.into_values().collect();
    Some(words.join(" "))
}

/// arXiv abstracts are hard-wrapped with leading spaces; join them into one paragraph.
pub fn unwrap_arxiv_abstract(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_placed_by_position() {
        let index = vec![("world", vec![1]), ("hello", vec![0, 2])];
        assert_eq!(from_inverted_index(index).as_deref(), Some("hello world hello"));
    }

    #[test]
    fn gaps_are_skipped_and_order_follows_positions() {
        let index = vec![("c", vec![10]), ("a", vec![0]), ("b", vec![5])];
        assert_eq!(from_inverted_index(index).as_deref(), Some("a b c"));
    }

    #[test]
    fn an_empty_index_has_no_abstract() {
        let index: Vec<(&str, Vec<u32>)> = vec![];
        assert_eq!(from_inverted_index(index), None);
    }

    #[test]
    fn arxiv_line_breaks_are_joined() {
        assert_eq!(unwrap_arxiv_abstract("  A fully\ndifferential   calc.\n"), "A fully differential calc.");
    }
}
