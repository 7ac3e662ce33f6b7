//! Text from outside (imports and forms) made safe to show: bidirectional embeddings, overrides
//! and isolates are removed (a name could otherwise reverse the text after it, `exe.gpj` shown as
//! `jpg.exe`), and so are NUL and the other control characters except line breaks and tabs.

use std::borrow::Cow;

/// U+202A–U+202E (embeddings, overrides, pop) and U+2066–U+2069 (isolates).
pub fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

fn unwanted(c: char) -> bool {
    is_bidi_control(c) || (c.is_control() && c != '\n' && c != '\t' && c != '\r')
}

/// `s` without bidirectional controls and control characters; borrowed when there were none.
/// For imported text, which nobody is there to ask.
pub fn clean(s: &str) -> Cow<'_, str> {
    without(s, unwanted)
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
