//! Sitemaps.org 0.9 protocol writer: `<urlset>` sitemaps, `<sitemapindex>` indexes, and robots.txt naming them.

use chrono::NaiveDate;

use super::atom::escape;

/// Most `<url>` entries one sitemap (or `<sitemap>` entries one index) may hold.
pub const MAX_URLS: usize = 50_000;
/// HTTP `Content-Type` for the output of [`index`] and [`urlset`].
pub const CONTENT_TYPE: &str = "application/xml; charset=utf-8";

const NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One location: an absolute URL (a page, or a sitemap in an index) and its optional last-modified date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Url {
    pub loc: String,
    pub lastmod: Option<NaiveDate>,
}

/// Renders a sitemap index listing the given sitemaps (the schema wants at least one).
pub fn index(sitemaps: &[Url]) -> String {
    debug_assert!(sitemaps.len() <= MAX_URLS, "a sitemap index holds at most {MAX_URLS} sitemaps");
    render("sitemapindex", "sitemap", sitemaps)
}

/// Renders a sitemap listing the given pages (the schema wants at least one); callers split lists longer
/// than [`MAX_URLS`]. Locs are XML-escaped, with characters XML 1.0 forbids dropped.
pub fn urlset(urls: &[Url]) -> String {
    debug_assert!(urls.len() <= MAX_URLS, "a sitemap holds at most {MAX_URLS} URLs");
    render("urlset", "url", urls)
}

/// Renders a robots.txt allowing every agent except under `disallow`, and naming `<site_url>/sitemap.xml`.
/// One trailing slash on `site_url` is trimmed; control characters (line breaks included) are dropped so an
/// argument cannot add lines. With nothing to disallow, an empty `Disallow:` (allow all) keeps the group valid.
pub fn robots(site_url: &str, disallow: &[&str]) -> String {
    let line = |text: &str| text.chars().filter(|c| !c.is_control()).collect::<String>();
    let mut out = String::from("User-agent: *\n");
    if disallow.is_empty() {
        out.push_str("Disallow:\n");
    }
    for path in disallow {
        out.push_str(&format!("Disallow: {}\n", line(path)));
    }
    let site_url = site_url.strip_suffix('/').unwrap_or(site_url);
    out.push_str(&format!("Sitemap: {}/sitemap.xml\n", line(site_url)));
    out
}

fn render(root: &str, item: &str, urls: &[Url]) -> String {
    let mut out = String::with_capacity(128 + 96 * urls.len());
    out.push_str(&format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<{root} xmlns=\"{NAMESPACE}\">\n"));
    for url in urls {
        out.push_str(&format!("  <{item}>\n    <loc>{}</loc>\n", escape(&url.loc)));
        if let Some(lastmod) = url.lastmod {
            out.push_str(&format!("    <lastmod>{}</lastmod>\n", lastmod.format("%Y-%m-%d")));
        }
        out.push_str(&format!("  </{item}>\n"));
    }
    out.push_str(&format!("</{root}>\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;
    use std::process::Command;

    const TRICKY: &str = "https://bzpeer.example/search?q=rock&roll&who=o'brien";

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    fn url(loc: &str, lastmod: Option<NaiveDate>) -> Url {
        Url { loc: loc.into(), lastmod }
    }

    /// Validates `xml` against a vendored sitemaps.org schema with `xmllint`: `Some(Err(report))` when invalid,
    /// and `None` (after printing a note) when xmllint is not installed, so the check is skipped, not failed.
    fn xmllint(name: &str, xml: &str, xsd: &str) -> Option<Result<(), String>> {
        let dir = std::env::temp_dir().join(format!("feeds-sitemap-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("as the test set it up");
        let file = dir.join(format!("{name}.xml"));
        std::fs::write(&file, xml).expect("as the test set it up");
        let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(xsd);
        let output = Command::new("xmllint").arg("--noout").arg("--schema").arg(schema).arg(&file).output();
        std::fs::remove_dir_all(&dir).expect("as the test set it up");
        match output {
            // `make test-tools` installs it: a validation that cannot run fails.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                panic!("xmllint is not installed (make test-tools, or apt-get install libxml2-utils): {name}")
            }
            Err(e) => panic!("could not run xmllint: {e}"),
            Ok(out) if out.status.success() => Some(Ok(())),
            Ok(out) => Some(Err(String::from_utf8_lossy(&out.stderr).into_owned())),
        }
    }

    fn assert_valid(name: &str, xml: &str, xsd: &str) {
        if let Some(Err(report)) = xmllint(name, xml, xsd) {
            let head = |text: &str| text.chars().take(3000).collect::<String>();
            panic!("{name} is not valid against {xsd}:\n{}\n{}", head(&report), head(xml));
        }
    }

    fn assert_invalid(name: &str, xml: &str, xsd: &str) {
        assert!(!matches!(xmllint(name, xml, xsd), Some(Ok(()))), "{name} should not be valid against {xsd}");
    }

    #[test]
    fn urlset_of_three_renders_and_validates() {
        let urls = [
            url("https://bzpeer.example/", day(2024, 5, 6)),
            url("https://bzpeer.example/about", None),
            url("https://bzpeer.example/p/1", day(999, 1, 2)),
        ];
        let xml = urlset(&urls);
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <url>
    <loc>https://bzpeer.example/</loc>
    <lastmod>2024-05-06</lastmod>
  </url>
  <url>
    <loc>https://bzpeer.example/about</loc>
  </url>
  <url>
    <loc>https://bzpeer.example/p/1</loc>
    <lastmod>0999-01-02</lastmod>
  </url>
</urlset>
"#;
        assert_eq!(xml, expected);
        assert_valid("urlset-three", &xml, "sitemap.xsd");
    }

    #[test]
    fn index_of_two_renders_and_validates() {
        let xml = index(&[
            url("https://bzpeer.example/sitemap-pages.xml", day(2024, 12, 31)),
            url("https://bzpeer.example/sitemap-posts.xml", None),
        ]);
        let expected = r#"<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
  <sitemap>
    <loc>https://bzpeer.example/sitemap-pages.xml</loc>
    <lastmod>2024-12-31</lastmod>
  </sitemap>
  <sitemap>
    <loc>https://bzpeer.example/sitemap-posts.xml</loc>
  </sitemap>
</sitemapindex>
"#;
        assert_eq!(xml, expected);
        assert_valid("index-two", &xml, "siteindex.xsd");
    }

    #[test]
    fn ampersand_and_apostrophe_are_escaped_and_validate() {
        let urls = [url(TRICKY, day(2024, 1, 1)), url("https://bzpeer.example/a\u{0}b\u{202E}c", None)];
        for (name, xml, xsd) in
            [("urlset-tricky", urlset(&urls), "sitemap.xsd"), ("index-tricky", index(&urls), "siteindex.xsd")]
        {
            assert!(xml.contains("<loc>https://bzpeer.example/search?q=rock&amp;roll&amp;who=o&apos;brien</loc>"));
            let doc = roxmltree::Document::parse(&xml).expect("well-formed XML");
            let locs: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("loc")).filter_map(|n| n.text()).collect();
            assert_eq!(locs, [TRICKY, "https://bzpeer.example/abc"]);
            assert_valid(name, &xml, xsd);
        }
    }

    #[test]
    fn validator_rejects_the_wrong_document() {
        let urls = [url(TRICKY, None)];
        assert_invalid("index-as-urlset", &index(&urls), "sitemap.xsd");
        assert_invalid("urlset-as-index", &urlset(&urls), "siteindex.xsd");
        // The schemas require at least one entry: an empty list is well-formed but not valid.
        assert!(roxmltree::Document::parse(&urlset(&[])).is_ok());
        assert_invalid("urlset-empty", &urlset(&[]), "sitemap.xsd");
    }

    #[test]
    fn a_full_urlset_validates() {
        let urls: Vec<_> =
            (0..MAX_URLS).map(|i| url(&format!("https://bzpeer.example/p/{i}"), day(2024, 1, 1))).collect();
        assert_valid("urlset-full", &urlset(&urls), "sitemap.xsd");
    }

    #[test]
    #[cfg(debug_assertions)]
    #[should_panic(expected = "at most 50000 URLs")]
    fn urlset_over_the_limit_panics_in_debug_builds() {
        urlset(&vec![url("", None); MAX_URLS + 1]);
    }

    #[test]
    fn robots_is_exact() {
        let expected =
            "User-agent: *\nDisallow: /admin\nDisallow: /api/\nSitemap: https://bzpeer.example/sitemap.xml\n";
        assert_eq!(robots("https://bzpeer.example", &["/admin", "/api/"]), expected);
        assert_eq!(robots("https://bzpeer.example/", &["/admin", "/api/"]), expected);
        assert_eq!(
            robots("https://bzpeer.example//", &[]),
            "User-agent: *\nDisallow:\nSitemap: https://bzpeer.example//sitemap.xml\n"
        );
        let injected = robots("https://bzpeer.example\r\nAllow: /x", &["/a\r\nAllow: /secret"]);
        assert_eq!(
            injected,
            "User-agent: *\nDisallow: /aAllow: /secret\nSitemap: https://bzpeer.exampleAllow: /x/sitemap.xml\n"
        );
    }

    #[test]
    fn constants() {
        assert_eq!((MAX_URLS, CONTENT_TYPE), (50_000, "application/xml; charset=utf-8"));
    }
}
