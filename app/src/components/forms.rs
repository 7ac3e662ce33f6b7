//! Pieces shared by the forms: the page's flash (what a failed plain form post left for it), the
//! error line above a form, and, for islands whose form succeeded, loading the page that shows the
//! result (a full load: there is no client-side router).

use crate::api::flash::{take_flash, Flash};
use leptos::prelude::*;

/// The flash a failed plain form post left for this page, if any (empty otherwise). It is taken
/// from the session as the page renders on the server, so call this once per page, at its top,
/// and hand what it holds to the parts (and islands) that show it.
pub fn page_flash() -> Resource<Flash> {
    let page = leptos_router::hooks::use_location().pathname.get_untracked();
    let flash = Resource::new(
        move || page.clone(),
        |page| async move { take_flash(page).await.ok().flatten().unwrap_or_default() },
    );
    flash
}

/// Shows `form(flash)` once the page's flash is in (on the server, before the page is sent).
pub fn with_flash(
    flash: Resource<Flash>,
    form: impl Fn(Flash) -> AnyView + Send + Sync + Clone + 'static,
) -> impl IntoView {
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let form = form.clone();
                Suspend::new(async move { form(flash.await) })
            }}
        </Suspense>
    }
}

#[component]
pub fn FormMessage(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            let text = crate::domain::text::upper_first(&m);
            view! { <p class="form-error" role="alert">{text}</p> }
        })
    }
}

/// Loads `path` as a new page (after log-in or log-out, so the header and every page agree).
pub fn go_to(path: &str) {
    #[cfg(feature = "hydrate")]
    {
        let _ = window().location().assign(path);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = path;
}

/// The tab's `sessionStorage` key naming the element to focus once the next page has loaded.
#[cfg(feature = "hydrate")]
const FOCUS_AFTER_LOAD: &str = "bzpeer-focus-after-load";

/// Loads the current page again (after an island's action changed what the server renders),
/// then focuses the element with this `id` (a heading or status with
/// `tabindex="-1"`, or a field): a keyboard user stays where the change happened instead of
/// starting again from the top of the page.
pub fn reload_page_focusing(id: &str) {
    #[cfg(feature = "hydrate")]
    {
        if let Ok(Some(storage)) = window().session_storage() {
            let _ = storage.set_item(FOCUS_AFTER_LOAD, id);
        }
        let _ = window().location().reload();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = id;
}

/// Focuses the element a reload asked for ([`reload_page_focusing`]); the browser entry calls it
/// once the islands are hydrated.
pub fn restore_focus() {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let Ok(Some(storage)) = window().session_storage() else { return };
        let Ok(Some(id)) = storage.get_item(FOCUS_AFTER_LOAD) else { return };
        let _ = storage.remove_item(FOCUS_AFTER_LOAD);
        if let Some(element) = document().get_element_by_id(&id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = element.focus();
        }
    }
}
