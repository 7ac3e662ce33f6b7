//! The per-page `<head>` entries: title, meta description, canonical link, OpenGraph and Twitter
//! card tags, and optionally a feed link and the page's record as JSON-LD.

use crate::domain::meta::{open_graph, script_text, OgKind};
use leptos::prelude::*;
use leptos_meta::{Link, Meta, Script, Title};

/// The site's public origin: from the server's configuration while rendering, from the page's
/// own location in the browser.
pub fn origin() -> String {
    #[cfg(feature = "ssr")]
    {
        crate::ssr::context().map(|c| c.site_url).unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        window().location().origin().unwrap_or_default()
    }
}

#[component]
pub fn PageHead(
    #[prop(into)] title: String,
    #[prop(into)] description: String,
    #[prop(into)] path: String,
    /// What OpenGraph calls the page (a website page unless given).
    #[prop(optional)]
    kind: Option<OgKind>,
    /// An Atom feed of the page's news.
    #[prop(optional)]
    feed: Option<String>,
    /// The page's record as schema.org JSON-LD.
    #[prop(optional)]
    structured: Option<serde_json::Value>,
) -> impl IntoView {
    let canonical = format!("{}{}", origin(), path);
    // The home page has no title of its own: it is the site's.
    let shared = if title.trim().is_empty() { "BZPEER" } else { title.as_str() };
    let tags = open_graph(kind.unwrap_or(OgKind::Website), shared, &description, &canonical);
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        <Link rel="canonical" href=canonical />
        {tags
            .into_iter()
            .map(|(attribute, key, content)| {
                if attribute == "property" {
                    view! { <Meta property=key content=content /> }.into_any()
                } else {
                    view! { <Meta name=key content=content /> }.into_any()
                }
            })
            .collect_view()}
        {feed.map(|href| view! { <Link rel="alternate" type_="application/atom+xml" href=href /> })}
        // `script_text` leaves no `<` in the JSON, so no value can end the element.
        {structured.map(|value| view! { <Script type_="application/ld+json">{script_text(&value)}</Script> })}
    }
}
