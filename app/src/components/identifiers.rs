//! External identifiers as pages show them: an OpenAlex id links to its openalex.org page, unless
//! BZPEER made it up for the demo (then it says so and links nowhere).

use crate::domain::ids::openalex_url;
use leptos::prelude::*;

/// "OpenAlex A5102889969" with its link, or "OpenAlex A90000000001 (made up for the demo)".
pub fn openalex_id(id: String) -> AnyView {
    match openalex_url(&id) {
        Some(url) => view! { "OpenAlex " <a href=url rel="external">{id}</a> }.into_any(),
        None => view! { "OpenAlex " {id} <span class="muted">" (made up for the demo)"</span> }.into_any(),
    }
}
