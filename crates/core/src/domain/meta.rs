//! A page's `<head>` metadata, for every page kind: OpenGraph and Twitter card tags, and JSON-LD embedded safely in
//! a `<script type="application/ld+json">` element (the records themselves are built by `formats::structured`).
//! Meta-tag contents are returned raw: the HTML template must still attribute-escape them.

use super::text::{one_line as clean, truncate_with_ellipsis};
use serde_json::Value;

/// Page kind for [`open_graph`] (`og:type`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OgKind {
    Website,
    Profile,
    Article,
}

/// Limit for og:description / twitter:description, including the "…" added when cut.
const OG_DESCRIPTION_MAX_CHARS: usize = 300;
const SITE_NAME: &str = "BZPEER";

/// Compact JSON for inside `<script type="application/ld+json">`: `<`, `>`, `&`, U+2028 and U+2029 are written as
/// `\u` escapes, so no text can close the element or open a comment, and the text still parses to `value`.
pub fn script_text(value: &Value) -> String {
    // Value's Display is compact serde_json serialisation. These characters can only occur inside JSON strings
    // (never in its syntax), where a \uXXXX escape denotes the same character.
    let json = value.to_string();
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// OpenGraph and Twitter card tags as (attribute, key, content): attribute is "property" for `og:*` and "name" for
/// `twitter:*`. Descriptions are cut to 300 chars in total (ending in "…" when cut); empty values are omitted.
pub fn open_graph(
    kind: OgKind,
    title: &str,
    description: &str,
    url: &str,
) -> Vec<(&'static str, &'static str, String)> {
    let og_type = match kind {
        OgKind::Website => "website",
        OgKind::Profile => "profile",
        OgKind::Article => "article",
    };
    let title = clean(title);
    let description = truncate_with_ellipsis(&clean(description), OG_DESCRIPTION_MAX_CHARS);
    let url = clean(url);
    let tags = [
        ("property", "og:site_name", SITE_NAME.to_owned()),
        ("property", "og:type", og_type.to_owned()),
        ("property", "og:title", title.clone()),
        ("property", "og:description", description.clone()),
        ("property", "og:url", url),
        ("name", "twitter:card", "summary".to_owned()),
        ("name", "twitter:title", title),
        ("name", "twitter:description", description),
    ];
    tags.into_iter().filter(|(_, _, content)| !content.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const HOSTILE: &str = "</script><script>alert(1)</script><!--";

    fn round_trip(v: &Value) -> String {
        let text = script_text(v);
        assert!(!text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "unescaped char in {text}");
        assert!(!text.contains('\n'), "not compact: {text}");
        let back: Value = serde_json::from_str(&text).expect("script_text must be valid JSON");
        assert_eq!(&back, v);
        text
    }

    #[test]
    fn script_text_escapes_and_round_trips() {
        let v = json!({
            "a<b>": "x & y </script> <!-- --> \u{2028}\u{2029}",
            "n": [1, 2.5, null, true, {"k": "é🦀\"\\"}],
        });
        let text = round_trip(&v);
        assert!(text.contains("\\u003c/script\\u003e"));
        assert!(text.contains("\\u0026"));
        assert!(text.contains("\\u2028\\u2029"));
        assert!(text.contains("\\u003c!--"));
        assert!(text.contains("é🦀"), "other non-ASCII stays literal: {text}");
    }

    #[test]
    fn script_text_of_scalars() {
        for v in [json!(null), json!(1), json!("<"), json!([]), json!({})] {
            round_trip(&v);
        }
        assert_eq!(script_text(&json!("<&>")), "\"\\u003c\\u0026\\u003e\"");
    }

    #[test]
    fn open_graph_tags_and_kinds() {
        let tags = open_graph(OgKind::Article, "Title", "Desc", "https://e.x/w");
        let expected: Vec<(&str, &str, String)> = vec![
            ("property", "og:site_name", "BZPEER".into()),
            ("property", "og:type", "article".into()),
            ("property", "og:title", "Title".into()),
            ("property", "og:description", "Desc".into()),
            ("property", "og:url", "https://e.x/w".into()),
            ("name", "twitter:card", "summary".into()),
            ("name", "twitter:title", "Title".into()),
            ("name", "twitter:description", "Desc".into()),
        ];
        assert_eq!(tags, expected);
        assert_eq!(open_graph(OgKind::Profile, "t", "d", "u")[1].2, "profile");
        assert_eq!(open_graph(OgKind::Website, "t", "d", "u")[1].2, "website");
        for (attr, key, _) in open_graph(OgKind::Website, "t", "d", "u") {
            let want = if key.starts_with("og:") { "property" } else { "name" };
            assert_eq!(attr, want, "{key}");
        }
    }

    #[test]
    fn open_graph_description_truncation() {
        let long = "ü🦀".repeat(200); // 400 chars
        let tags = open_graph(OgKind::Website, "t", &long, "u");
        let og = &tags.iter().find(|t| t.1 == "og:description").expect("as the test set it up").2;
        let tw = &tags.iter().find(|t| t.1 == "twitter:description").expect("as the test set it up").2;
        assert_eq!(og, tw);
        assert_eq!(og.chars().count(), 300);
        assert!(og.ends_with('…'));
        assert!(long.starts_with(og.trim_end_matches('…')));

        let exact = "ß".repeat(300);
        let tags = open_graph(OgKind::Website, "t", &exact, "u");
        assert_eq!(tags.iter().find(|t| t.1 == "og:description").expect("as the test set it up").2, exact);

        let over = format!("{} {}", "w".repeat(298), "tail");
        let tags = open_graph(OgKind::Website, "t", &over, "u");
        assert_eq!(
            tags.iter().find(|t| t.1 == "og:description").expect("as the test set it up").2,
            format!("{}…", "w".repeat(298))
        );
    }

    #[test]
    fn open_graph_omits_empty_and_cleans() {
        let tags = open_graph(OgKind::Profile, "\u{202e}Ada\n", " \t", "");
        assert_eq!(
            tags,
            vec![
                ("property", "og:site_name", "BZPEER".to_string()),
                ("property", "og:type", "profile".to_string()),
                ("property", "og:title", "Ada".to_string()),
                ("name", "twitter:card", "summary".to_string()),
                ("name", "twitter:title", "Ada".to_string()),
            ]
        );
    }

    #[test]
    fn open_graph_hostile_text_passes_through_raw() {
        // Meta contents are raw text; attribute escaping belongs to the HTML template.
        let tags = open_graph(OgKind::Article, HOSTILE, HOSTILE, "https://e.x");
        assert_eq!(tags.iter().find(|t| t.1 == "og:title").expect("as the test set it up").2, HOSTILE);
    }
}
