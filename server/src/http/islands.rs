//! The last pass over a rendered page. Pages without an island load no JavaScript and no wasm:
//! the shell writes the hydration scripts between two marker `<meta>` tags
//! (`app::ISLAND_SCRIPTS_START` / `_END`); from an HTML page that has no `<leptos-island>` this
//! drops them and every other `<script>` (Leptos's inline bookkeeping for hydration, which
//! nothing there reads), and from every page the markers. And a page is made the same bytes for
//! every visitor: the per-response nonce Leptos writes (on scripts, and as `crossorigin` of its
//! preloads) is taken out, and the Content-Security-Policy names the hashes of the page's inline
//! scripts instead, whose text is fixed per build. Pages render completely before they are sent
//! (`SsrMode::Async`), so reading the body whole costs nothing.

use axum::body::Body;
use axum::http::header::{CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use std::borrow::Cow;

/// More than any page we render; a larger body is an error, not a page to cut.
const PAGE_LIMIT_BYTES: usize = 16 * 1024 * 1024;

pub async fn drop_unused_scripts(response: Response) -> Response {
    let is_html =
        response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if !is_html {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, PAGE_LIMIT_BYTES).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(%e, "could not read a page to drop its unused scripts");
            return (StatusCode::INTERNAL_SERVER_ERROR, "This page could not be sent; try again.").into_response();
        }
    };
    let Ok(html) = std::str::from_utf8(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let page = without_nonce(&without_unused_scripts(html)).into_owned();
    let policy = crate::http::headers::content_security_policy(&inline_script_hashes(&page));
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        parts.headers.insert(CONTENT_SECURITY_POLICY, policy);
    }
    parts.headers.remove(CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(page))
}

/// The page without the nonce of this response: off its scripts, and out of the `crossorigin`
/// of its preloads (left empty: "anonymous", as an unknown value means).
pub fn without_nonce(html: &str) -> Cow<'_, str> {
    let Some(nonce) = html.find(" nonce=\"").and_then(|at| {
        let value = &html[at + " nonce=\"".len()..];
        value.find('"').map(|end| &value[..end])
    }) else {
        return Cow::Borrowed(html);
    };
    Cow::Owned(
        html.replace(&format!(" nonce=\"{nonce}\""), "")
            .replace(&format!("crossorigin=\"{nonce}\""), "crossorigin=\"\""),
    )
}

/// `'sha256-…'` of each inline script that runs (a module or a classic script: not a data block
/// such as JSON-LD, not one loaded by `src`), once each, in the page's order.
pub fn inline_script_hashes(html: &str) -> Vec<String> {
    let mut hashes: Vec<String> = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        let tag_end = match rest[at..].find('>') {
            Some(end) => at + end + 1,
            None => break,
        };
        let tag = &rest[at..tag_end];
        let Some(close) = rest[tag_end..].find("</script>") else { break };
        let text = &rest[tag_end..tag_end + close];
        let kind = attribute(tag, "type").unwrap_or("");
        let runs = matches!(kind, "" | "module" | "text/javascript" | "application/javascript");
        if runs && attribute(tag, "src").is_none() {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes()));
            let hash = format!("sha256-{hash}");
            if !hashes.contains(&hash) {
                hashes.push(hash);
            }
        }
        rest = &rest[tag_end + close + "</script>".len()..];
    }
    hashes
}

/// The value of `name="…"` in a start tag.
fn attribute<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    tag[at..].find('"').map(|end| &tag[at..at + end])
}

/// The page without its hydration scripts when it has no island, and without the markers.
pub fn without_unused_scripts(html: &str) -> Cow<'_, str> {
    let (Some(start), Some(end)) = (marker(html, app::ISLAND_SCRIPTS_START), marker(html, app::ISLAND_SCRIPTS_END))
    else {
        return Cow::Borrowed(html);
    };
    if start.1 > end.0 {
        return Cow::Borrowed(html);
    }
    if html.contains("<leptos-island") {
        Cow::Owned([&html[..start.0], &html[start.1..end.0], &html[end.1..]].concat())
    } else {
        Cow::Owned(without_scripts(&[&html[..start.0], &html[end.1..]].concat()))
    }
}

/// `html` without its `<script>` elements. Pages escape every `<` of their text, so a `<script`
/// in the markup is one the renderer wrote.
fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find("<script") {
        out.push_str(&rest[..at]);
        match rest[at..].find("</script>") {
            Some(end) => rest = &rest[at + end + "</script>".len()..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Where the `<meta name="{name}">` tag starts and ends.
fn marker(html: &str, name: &str) -> Option<(usize, usize)> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let start = html[..at].rfind("<meta")?;
    let end = at + html[at..].find('>')? + 1;
    Some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEAD: &str = "<head><meta charset=\"utf-8\"><meta name=\"bzpeer-islands-start\"><link rel=\"modulepreload\" href=\"/pkg/bzpeer.js\"><script type=\"module\">go()</script><meta name=\"bzpeer-islands-end\"><title>T</title></head>";

    #[test]
    fn a_page_without_islands_loses_its_scripts() {
        let page = format!("<html>{HEAD}<body><p>Hi</p><script nonce=\"n\">__RESOLVED_RESOURCES=[];</script><p>&lt;script</p></body></html>");
        let out = without_unused_scripts(&page);
        assert_eq!(
            out,
            "<html><head><meta charset=\"utf-8\"><title>T</title></head><body><p>Hi</p><p>&lt;script</p></body></html>"
        );
    }

    #[test]
    fn a_page_with_an_island_keeps_its_scripts_but_not_the_markers() {
        let page = format!("<html>{HEAD}<body><leptos-island data-component=\"x\"></leptos-island></body></html>");
        let out = without_unused_scripts(&page);
        assert!(out.contains("/pkg/bzpeer.js") && out.contains("go()"), "{out}");
        assert!(!out.contains("bzpeer-islands-"), "{out}");
    }

    #[test]
    fn a_page_without_markers_is_left_alone() {
        assert!(matches!(without_unused_scripts("<p>x</p>"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_nonce_is_taken_out_and_the_policy_names_each_inline_script_by_its_hash() {
        let page = "<link rel=\"modulepreload\" href=\"/pkg/a.js\" crossorigin=\"N0nce\">\
                    <script type=\"module\" nonce=\"N0nce\">go()</script>\
                    <script nonce=\"N0nce\" type=\"application/ld+json\">{}</script>\
                    <script nonce=\"N0nce\">a=1</script><script src=\"/pkg/b.js\"></script><script>go()</script>";
        let out = without_nonce(page);
        assert!(!out.contains("N0nce") && !out.contains("nonce="), "{out}");
        assert!(out.contains("crossorigin=\"\""), "{out}");
        let hash = |text: &str| {
            format!("sha256-{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(text.as_bytes())))
        };
        assert_eq!(
            inline_script_hashes(&out),
            vec![hash("go()"), hash("a=1")],
            "JSON-LD and src scripts are not hashed"
        );
        assert!(matches!(without_nonce("<p>no scripts</p>"), Cow::Borrowed(_)));
    }

    #[test]
    fn the_marker_names_are_the_shells() {
        assert_eq!(app::ISLAND_SCRIPTS_START, "bzpeer-islands-start");
        assert_eq!(app::ISLAND_SCRIPTS_END, "bzpeer-islands-end");
    }
}
