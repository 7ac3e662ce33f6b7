//! Atom 1.0 (RFC 4287) feed writer: the `Feed`/`Entry` model and `render`, always well-formed XML 1.0.

use chrono::{DateTime, SecondsFormat, Utc};

/// HTTP `Content-Type` for the output of [`render`].
pub const CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

const GENERATOR: &str = "BZPEER";
const UNTITLED: &str = "Untitled";

/// A whole feed; `updated` should be the newest entry's `updated` (or now, when empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub id: String,
    pub title: String,
    pub subtitle: Option<String>,
    pub self_url: String,
    pub alternate_url: String,
    pub updated: DateTime<Utc>,
    pub entries: Vec<Entry>,
}

/// One entry; with no `authors` it inherits the feed-level author.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    pub url: String,
    pub updated: DateTime<Utc>,
    pub published: Option<DateTime<Utc>>,
    pub authors: Vec<String>,
    pub summary: Option<String>,
    pub categories: Vec<String>,
}

/// Renders `feed` as an Atom 1.0 document. Text is escaped, and characters XML 1.0 forbids (and bidi
/// override/isolate controls) are dropped, so the output is well-formed whatever the input. Blank titles
/// become "Untitled"; blank author names and blank category terms are left out.
pub fn render(feed: &Feed) -> String {
    let mut out = String::with_capacity(1024 + 512 * feed.entries.len());
    out.push_str("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    let pad = "  ";
    out += &element(pad, "id", &feed.id);
    out += &element(pad, "title", title_or_untitled(&feed.title));
    if let Some(subtitle) = &feed.subtitle {
        out += &element(pad, "subtitle", subtitle);
    }
    out += &link(pad, "self", "application/atom+xml", &feed.self_url);
    out += &link(pad, "alternate", "text/html", &feed.alternate_url);
    out += &element(pad, "updated", &timestamp(&feed.updated));
    out += &author(pad, GENERATOR);
    out += &element(pad, "generator", GENERATOR);
    for entry in &feed.entries {
        render_entry(&mut out, entry);
    }
    out.push_str("</feed>\n");
    out
}

fn render_entry(out: &mut String, entry: &Entry) {
    let pad = "    ";
    out.push_str("  <entry>\n");
    *out += &element(pad, "id", &entry.id);
    *out += &element(pad, "title", title_or_untitled(&entry.title));
    *out += &link(pad, "alternate", "text/html", &entry.url);
    *out += &element(pad, "updated", &timestamp(&entry.updated));
    if let Some(published) = &entry.published {
        *out += &element(pad, "published", &timestamp(published));
    }
    for name in entry.authors.iter().filter(|name| !is_blank(name)) {
        *out += &author(pad, name);
    }
    if let Some(summary) = &entry.summary {
        *out += &format!("{pad}<summary type=\"text\">{}</summary>\n", escape(summary));
    }
    for term in entry.categories.iter().filter(|term| !is_blank(term)) {
        *out += &format!("{pad}<category term=\"{}\"/>\n", escape_attr(term));
    }
    out.push_str("  </entry>\n");
}

fn element(pad: &str, name: &str, text: &str) -> String {
    format!("{pad}<{name}>{}</{name}>\n", escape(text))
}

fn link(pad: &str, rel: &str, media_type: &str, href: &str) -> String {
    format!("{pad}<link rel=\"{rel}\" type=\"{media_type}\" href=\"{}\"/>\n", escape_attr(href))
}

fn author(pad: &str, name: &str) -> String {
    format!("{pad}<author><name>{}</name></author>\n", escape(name))
}

fn timestamp(at: &DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn title_or_untitled(title: &str) -> &str {
    if is_blank(title) {
        UNTITLED
    } else {
        title
    }
}

fn is_blank(text: &str) -> bool {
    text.chars().all(|c| c.is_whitespace() || is_dropped(c))
}

/// XML-escapes `text` for element content, dropping every character XML 1.0 forbids and every bidi
/// override/isolate control; CR is written as `&#xD;` so readers do not turn it into LF.
pub(crate) fn escape(text: &str) -> String {
    escape_as(text, false)
}

/// Like [`escape`], for a quoted attribute value: tab and newline become character references too, since a
/// reader would otherwise normalize them to spaces.
fn escape_attr(text: &str) -> String {
    escape_as(text, true)
}

fn escape_as(text: &str, attr: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\r' => out.push_str("&#xD;"),
            '\n' if attr => out.push_str("&#xA;"),
            '\t' if attr => out.push_str("&#x9;"),
            c if is_dropped(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// What the feed leaves out: what no text keeps (`text::is_unwanted`: control characters other
/// than line breaks and tabs, and bidi controls), and the two noncharacters outside XML 1.0's
/// `Char` production (surrogates cannot occur in a `str`).
fn is_dropped(c: char) -> bool {
    bzpeer_core::domain::text::is_unwanted(c) || matches!(c, '\u{FFFE}' | '\u{FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const HOSTILE: &str = "</title><script>alert(1)</script> & \"q\" 'a' \0nul\u{7}bel\u{202E}rlo\u{2066}iso";
    const HOSTILE_CLEAN: &str = "</title><script>alert(1)</script> & \"q\" 'a' nulbelrloiso";

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, s).single().expect("a valid time")
    }

    fn entry(id: &str, title: &str) -> Entry {
        Entry {
            id: id.into(),
            title: title.into(),
            url: format!("https://bzpeer.example/p/{id}"),
            updated: at(2024, 5, 6, 7, 8, 9),
            published: None,
            authors: vec![],
            summary: None,
            categories: vec![],
        }
    }

    fn sample() -> Feed {
        let full = Entry {
            published: Some(at(2024, 5, 1, 0, 0, 0)),
            authors: vec!["Ada".into(), "Grace Hopper".into()],
            summary: Some("Line one\nline two".into()),
            categories: vec!["rust".into(), "web dev".into()],
            ..entry("urn:bzpeer:post:1", "First post")
        };
        Feed {
            id: "urn:bzpeer:feed".into(),
            title: "BZPEER news".into(),
            subtitle: Some("All the posts".into()),
            self_url: "https://bzpeer.example/feed.atom".into(),
            alternate_url: "https://bzpeer.example/".into(),
            updated: at(2024, 5, 6, 7, 8, 9),
            entries: vec![full, entry("urn:bzpeer:post:2", "Second")],
        }
    }

    fn parse(xml: &str) -> feed_rs::model::Feed {
        roxmltree::Document::parse(xml).expect("well-formed XML");
        feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs parses it")
    }

    fn links(links: &[feed_rs::model::Link]) -> Vec<(String, String, String)> {
        let opt = |s: &Option<String>| s.clone().unwrap_or_default();
        links.iter().map(|l| (opt(&l.rel), opt(&l.media_type), l.href.clone())).collect()
    }

    #[test]
    fn round_trips_through_feed_rs() {
        let parsed = parse(&render(&sample()));
        assert_eq!(parsed.id, "urn:bzpeer:feed");
        assert_eq!(parsed.title.expect("as the test set it up").content, "BZPEER news");
        assert_eq!(parsed.description.expect("as the test set it up").content, "All the posts");
        assert_eq!(parsed.updated, Some(at(2024, 5, 6, 7, 8, 9)));
        assert_eq!(parsed.authors.iter().map(|p| p.name.as_deref()).collect::<Vec<_>>(), [Some("BZPEER")]);
        assert_eq!(parsed.generator.expect("as the test set it up").content, "BZPEER");
        let self_link = ("self".into(), "application/atom+xml".into(), "https://bzpeer.example/feed.atom".into());
        let alternate = ("alternate".into(), "text/html".into(), "https://bzpeer.example/".into());
        assert_eq!(links(&parsed.links), [self_link, alternate]);

        let [first, second] = &parsed.entries[..] else { panic!("two entries: {:?}", parsed.entries) };
        assert_eq!(first.id, "urn:bzpeer:post:1");
        assert_eq!(first.title.as_ref().expect("as the test set it up").content, "First post");
        let link = ("alternate".into(), "text/html".into(), "https://bzpeer.example/p/urn:bzpeer:post:1".into());
        assert_eq!(links(&first.links), [link]);
        assert_eq!(first.updated, Some(at(2024, 5, 6, 7, 8, 9)));
        assert_eq!(first.published, Some(at(2024, 5, 1, 0, 0, 0)));
        let names: Vec<_> = first.authors.iter().map(|p| p.name.as_deref().expect("as the test set it up")).collect();
        assert_eq!(names, ["Ada", "Grace Hopper"]);
        let summary = first.summary.as_ref().expect("as the test set it up");
        assert_eq!(
            (summary.content.as_str(), summary.content_type.to_string()),
            ("Line one\nline two", "text/plain".into())
        );
        assert_eq!(first.categories.iter().map(|c| c.term.as_str()).collect::<Vec<_>>(), ["rust", "web dev"]);

        assert_eq!(second.id, "urn:bzpeer:post:2");
        assert_eq!(second.title.as_ref().expect("as the test set it up").content, "Second");
        assert_eq!((second.published, second.summary.is_none()), (None, true));
        assert!(second.authors.is_empty() && second.categories.is_empty());
    }

    #[test]
    fn renders_the_expected_document() {
        let mut feed = sample();
        feed.entries.truncate(1);
        feed.entries[0].updated = at(2024, 5, 6, 7, 8, 9) + chrono::Duration::nanoseconds(123_456_789);
        let expected = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <id>urn:bzpeer:feed</id>
  <title>BZPEER news</title>
  <subtitle>All the posts</subtitle>
  <link rel="self" type="application/atom+xml" href="https://bzpeer.example/feed.atom"/>
  <link rel="alternate" type="text/html" href="https://bzpeer.example/"/>
  <updated>2024-05-06T07:08:09Z</updated>
  <author><name>BZPEER</name></author>
  <generator>BZPEER</generator>
  <entry>
    <id>urn:bzpeer:post:1</id>
    <title>First post</title>
    <link rel="alternate" type="text/html" href="https://bzpeer.example/p/urn:bzpeer:post:1"/>
    <updated>2024-05-06T07:08:09Z</updated>
    <published>2024-05-01T00:00:00Z</published>
    <author><name>Ada</name></author>
    <author><name>Grace Hopper</name></author>
    <summary type="text">Line one
line two</summary>
    <category term="rust"/>
    <category term="web dev"/>
  </entry>
</feed>
"#;
        assert_eq!(render(&feed), expected);
    }

    #[test]
    fn hostile_text_stays_text() {
        let mut feed = sample();
        feed.title = HOSTILE.into();
        feed.subtitle = Some(HOSTILE.into());
        feed.self_url = format!("https://bzpeer.example/feed?a=1&b=\"{HOSTILE}");
        let e = &mut feed.entries[0];
        (e.title, e.summary) = (HOSTILE.into(), Some(HOSTILE.into()));
        (e.authors, e.categories) = (vec![HOSTILE.into()], vec![HOSTILE.into()]);
        let xml = render(&feed);
        assert!(!xml.contains("<script"), "{xml}");
        assert!(!xml.contains(['\0', '\u{7}', '\u{202E}', '\u{2066}']));
        let parsed = parse(&xml);
        assert_eq!(parsed.title.expect("as the test set it up").content, HOSTILE_CLEAN);
        assert_eq!(parsed.description.expect("as the test set it up").content, HOSTILE_CLEAN);
        // feed-rs percent-encodes hrefs, so read the raw attribute back instead.
        let doc = roxmltree::Document::parse(&xml).expect("as the test set it up");
        let href = doc.descendants().find(|n| n.has_tag_name("link")).and_then(|n| n.attribute("href"));
        assert_eq!(href, Some(format!("https://bzpeer.example/feed?a=1&b=\"{HOSTILE_CLEAN}").as_str()));
        let e = &parsed.entries[0];
        assert_eq!(e.title.as_ref().expect("as the test set it up").content, HOSTILE_CLEAN);
        assert_eq!(e.summary.as_ref().expect("as the test set it up").content, HOSTILE_CLEAN);
        assert_eq!(e.authors[0].name.as_deref(), Some(HOSTILE_CLEAN));
        assert_eq!(e.categories[0].term, HOSTILE_CLEAN);
    }

    #[test]
    fn every_character_yields_well_formed_xml() {
        let specials =
            ['\u{D7FF}', '\u{E000}', '\u{FDD0}', '\u{FFFD}', '\u{FFFE}', '\u{FFFF}', '\u{10000}', '\u{10FFFF}'];
        let text: String = (0..=0x3000).filter_map(char::from_u32).chain(specials).collect();
        let clean: String = text.chars().filter(|&c| !is_dropped(c)).collect();
        // C0 but tab, LF and CR; DEL and C1 (the one rule of `text::is_unwanted`); U+FFFE, U+FFFF;
        // five bidi embeddings and overrides, four isolates.
        assert_eq!(text.chars().count() - clean.chars().count(), 29 + 33 + 2 + 5 + 4);
        let mut feed = sample();
        (feed.title, feed.self_url) = (text.clone(), text.clone());
        let e = &mut feed.entries[0];
        (e.summary, e.authors, e.categories) = (Some(text.clone()), vec![text.clone()], vec![text.clone()]);
        let xml = render(&feed);
        let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
        let first = |name: &str, attr: Option<&str>| -> String {
            let node = doc.descendants().find(|n| n.has_tag_name(name)).expect(name);
            attr.map_or(node.text(), |attr| node.attribute(attr)).unwrap_or_default().to_owned()
        };
        assert!(first("title", None) == clean, "title did not round-trip");
        assert!(first("summary", None) == clean, "summary did not round-trip");
        assert!(first("link", Some("href")) == clean, "link did not round-trip");
        assert!(first("category", Some("term")) == clean, "category did not round-trip");
        let names: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("name")).filter_map(|n| n.text()).collect();
        assert!(names == ["BZPEER", clean.as_str()], "author names did not round-trip");
    }

    #[test]
    fn blank_titles_become_untitled_and_blank_names_are_skipped() {
        let mut feed = sample();
        feed.title = String::new();
        feed.entries[0].title = " \u{202E}\t\0 ".into();
        feed.entries[0].authors = vec![" ".into(), "Ada".into()];
        feed.entries[0].categories = vec!["".into(), "rust".into()];
        let parsed = parse(&render(&feed));
        assert_eq!(parsed.title.expect("as the test set it up").content, "Untitled");
        let e = &parsed.entries[0];
        assert_eq!(e.title.as_ref().expect("as the test set it up").content, "Untitled");
        assert_eq!(e.authors.iter().map(|p| p.name.as_deref()).collect::<Vec<_>>(), [Some("Ada")]);
        assert_eq!(e.categories.iter().map(|c| c.term.as_str()).collect::<Vec<_>>(), ["rust"]);
    }

    #[test]
    fn escape_covers_the_five_entities_and_drops_forbidden() {
        assert_eq!(escape("a&b<c>d\"e'f"), "a&amp;b&lt;c&gt;d&quot;e&apos;f");
        assert_eq!(escape("x\0\u{1}\u{1F}\u{FFFE}\u{FFFF}\u{202A}\u{2069}y\t\n\r"), "xy\t\n&#xD;");
        assert_eq!(CONTENT_TYPE, "application/atom+xml; charset=utf-8");
    }
}
