//! Escaping text for HTML: the one path for markup the server writes by hand (the `<title>`,
//! the graph's SVG). Leptos escapes text nodes and attributes itself; `leptos_meta` writes the
//! title's text as it is given, so the title goes through here.

/// Escapes `s` for an element's text or a double- or single-quoted attribute value.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The content of a `<textarea>`. Leptos writes a textarea's children into the server's HTML
/// as they are (as it does for `<script>`), so `</textarea><script>` in a bio would end the
/// element: the server escapes it here (the browser decodes it back into the same text); in the
/// browser the child is set as text already.
pub fn textarea_text(value: &str) -> String {
    // Overrides are dropped when the text is accepted anyway (`text::strip_bidi`).
    let value = super::text::strip_bidi(value);
    if cfg!(feature = "sqlx") {
        escape(&value)
    } else {
        value.into_owned()
    }
}

/// The text of a page's `<title>`: `"<page> · BZPEER"`, or the site's name alone; no
/// bidirectional control in the page's part can turn the site's name around.
pub fn page_title(text: &str) -> String {
    let text = super::text::clean(text);
    if text.is_empty() {
        "BZPEER".to_owned()
    } else {
        format!("{text} · BZPEER")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_characters_become_entities() {
        assert_eq!(
            escape(r#"</title><script>alert("x")</script> & 'y'"#),
            "&lt;/title&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
    }

    #[test]
    fn plain_text_and_unicode_pass_unchanged() {
        assert_eq!(escape("Balázs Kégl \u{202e}"), "Balázs Kégl \u{202e}");
    }

    #[test]
    fn titles_carry_the_site_name() {
        assert_eq!(page_title(""), "BZPEER");
        assert_eq!(page_title("Search"), "Search · BZPEER");
        assert_eq!(page_title("Eve\u{202e}gpj.exe"), "Evegpj.exe · BZPEER");
    }
}
