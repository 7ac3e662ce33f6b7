//! "Copy" for a text the page shows (a citation): an island whose button appears only once the
//! page has hydrated, since without JavaScript there is nothing it could do (the text stays
//! selectable and its file a link). It says what happened in a status line.

use crate::components::islands::hydrated_marker;
use leptos::prelude::*;

#[island]
pub fn CopyButton(text: String, what: String) -> impl IntoView {
    let ready = hydrated_marker();
    let status = RwSignal::new(String::new());
    let text = StoredValue::new(text);
    let label = format!("Copy {what}");
    let copied = format!("{what} copied");
    let on_click = move |_| {
        let (text, copied) = (text.get_value(), copied.clone());
        leptos::task::spawn_local(async move {
            let message = if write_to_clipboard(&text).await {
                copied
            } else {
                "Copying is not allowed here: select the text and copy it".to_owned()
            };
            status.set(message);
        });
    };
    view! {
        <span class="copy" data-island="copy" data-hydrated=ready>
            {move || {
                ready.get().map(|_| view! { <button type="button" class="button secondary" on:click=on_click.clone()>{label.clone()}</button> })
            }}
            <span role="status" class="copy-status">{move || status.get()}</span>
        </span>
    }
}

/// `navigator.clipboard.writeText(text)`, awaited: whether the browser took it.
#[cfg(feature = "hydrate")]
async fn write_to_clipboard(text: &str) -> bool {
    use wasm_bindgen::{JsCast, JsValue};
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &JsValue::from_str(key)).ok();
    let clipboard = get(&js_sys::global().into(), "navigator").and_then(|n| get(&n, "clipboard"));
    let Some(clipboard) = clipboard.filter(|c| !c.is_undefined()) else { return false };
    let Some(write) = get(&clipboard, "writeText").and_then(|f| f.dyn_into::<js_sys::Function>().ok()) else {
        return false;
    };
    match write.call1(&clipboard, &JsValue::from_str(text)).map(js_sys::Promise::from) {
        Ok(promise) => wasm_bindgen_futures::JsFuture::from(promise).await.is_ok(),
        Err(_) => false,
    }
}

/// (The server never copies; this keeps the island compiling there.)
#[cfg(not(feature = "hydrate"))]
async fn write_to_clipboard(_text: &str) -> bool {
    false
}
