//! Text from outside (imports and forms) made safe to show: bidirectional embeddings, overrides
//! and isolates are removed (a name could otherwise reverse the text after it, `exe.gpj` shown as
//! `jpg.exe`), and so are NUL and the other control characters except line breaks and tabs; and
//! a reason turned into a sentence for display (`upper_first`).

use std::borrow::Cow;

/// `s` with its first letter in upper case: an error's reason ("keep the query under 200
/// characters") as a sentence on a page, in a form's message or in a header.
pub fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    chars.next().map(|c| c.to_uppercase().collect::<String>() + chars.as_str()).unwrap_or_default()
}

/// A count as people read it: `1234567` as "1,234,567".
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What text from outside never keeps: bidirectional controls, and control characters other than
/// line breaks and tabs. The one rule for every cleaner (`clean`, `one_line`, the feeds' XML).
pub fn is_unwanted(c: char) -> bool {
    is_bidi_control(c) || (c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

/// `s` without bidirectional controls and control characters; borrowed when there were none.
/// For imported text, which nobody is there to ask.
pub fn clean(s: &str) -> Cow<'_, str> {
    without(s, is_unwanted)
}

/// `s` without bidirectional controls. For what people type: the forms' parsers refuse other
/// control characters with a message, but an override is invisible, so it is dropped.
pub fn strip_bidi(s: &str) -> Cow<'_, str> {
    without(s, is_bidi_control)
}

fn without(s: &str, drop: fn(char) -> bool) -> Cow<'_, str> {
    if s.chars().any(drop) {
        Cow::Owned(s.chars().filter(|c| !drop(*c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// One line of text for a tag or a record's field: every control character (tab and newline
/// included) becomes a space, bidirectional controls are dropped, and the result is trimmed.
pub fn one_line(s: &str) -> String {
    let mapped: String = s
        .chars()
        .filter(|c| !is_bidi_control(*c))
        .map(|c| if is_unwanted(c) || c.is_control() { ' ' } else { c })
        .collect();
    mapped.trim().to_owned()
}

/// The longest prefix of `s` with at most `max` chars (always on a char boundary).
pub fn truncate_chars(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Cuts `s` to at most `max` chars in total, ending in "…" when anything was removed.
pub fn truncate_with_ellipsis(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_owned();
    }
    let mut out = truncate_chars(s, max.saturating_sub(1)).trim_end().to_owned();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_are_grouped_by_thousands() {
        let shown: Vec<String> = [0, 7, 999, 1_000, 12_345, 1_234_567, -4_200].map(thousands).into();
        assert_eq!(shown, ["0", "7", "999", "1,000", "12,345", "1,234,567", "-4,200"]);
    }

    #[test]
    fn upper_first_capitalises_only_the_first_letter() {
        assert_eq!(upper_first("keep the query short"), "Keep the query short");
        assert_eq!(upper_first("élan"), "Élan");
        assert_eq!(upper_first(""), "");
    }

    #[test]
    fn overrides_isolates_and_controls_are_removed() {
        assert_eq!(clean("Eve\u{202e}gpj.exe"), "Evegpj.exe");
        assert_eq!(clean("a\u{2066}b\u{2069}c\u{0}d\u{7}e"), "abcde");
    }

    #[test]
    fn typed_text_loses_only_its_overrides() {
        assert_eq!(strip_bidi("a\u{202e}b\u{0}"), "ab\u{0}");
    }

    #[test]
    fn ordinary_text_is_borrowed_unchanged() {
        let text = "Balázs Kégl — שלום, line\nbreak\ttab";
        assert!(matches!(clean(text), Cow::Borrowed(t) if t == text));
    }

    #[test]
    fn clean_replaces_controls_drops_bidi_and_trims() {
        assert_eq!(one_line("  a\tb\nc\r\0d\u{1f}e\u{7f}f\u{85}g  "), "a b c  d e f g");
        assert_eq!(one_line("\u{202e}evil\u{202a}\u{202b}\u{202c}\u{202d}\u{2066}\u{2067}\u{2068}\u{2069}"), "evil");
        assert_eq!(one_line("\n\t \u{2067}"), "");
        assert_eq!(one_line("héllo wörld ✓"), "héllo wörld ✓");
        // Zero-width joiner and LRM/RLM marks are not overrides/isolates; they are kept.
        assert_eq!(one_line("a\u{200d}b\u{200e}"), "a\u{200d}b\u{200e}");
    }

    #[test]
    fn truncate_chars_respects_boundaries() {
        assert_eq!(truncate_chars("héllo", 2), "hé");
        assert_eq!(truncate_chars("héllo", 5), "héllo");
        assert_eq!(truncate_chars("héllo", 50), "héllo");
        assert_eq!(truncate_chars("", 3), "");
        assert_eq!(truncate_chars("🦀🦀🦀", 0), "");
    }
}
