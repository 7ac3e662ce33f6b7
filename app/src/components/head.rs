//! The per-page `<title>`, meta description and canonical link.

use leptos::prelude::*;
use leptos_meta::{Link, Meta, Title};

/// The site's public origin: from the server's configuration while rendering, from the page's
/// own location in the browser.
fn origin() -> String {
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
) -> impl IntoView {
    let canonical = format!("{}{}", origin(), path);
    view! {
        <Title text=title />
        <Meta name="description" content=description />
        <Link rel="canonical" href=canonical />
    }
}
