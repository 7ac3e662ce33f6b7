//! What every island shares: the marker that says it has hydrated (browser tests and the
//! time-to-interactive benchmark wait for it), and `submit`, which sends an island's form to its
//! server function the way the browser would without JavaScript, asking for JSON back.
//!
//! Convention: an island's root element carries `data-island="<name>"` and
//! `data-hydrated=hydrated_marker()`.
//!
//! Why not `ActionForm` and the server functions' client: in the browser they bring serde's form
//! encoder and decoder, the server-function client and a type-erased view per form, which made
//! the form islands cost 90 KB of brotli wasm against 109 KB for the runtime and the whole graph.
//! A form island here is a plain `<form method="post" action=…>` (it works before hydration and
//! without JavaScript) whose submit handler calls `submit`.

use leptos::prelude::*;

/// The value of `data-hydrated` on an island's root element: absent in the server's HTML,
/// `"true"` once the browser has hydrated the island (effects run only in the browser).
pub fn hydrated_marker() -> Signal<Option<&'static str>> {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    Signal::derive(move || ready.get().then_some("true"))
}

/// The JSON a server function answered.
#[cfg(feature = "hydrate")]
pub type Answer = wasm_bindgen::JsValue;
/// (The server never submits forms; the type only keeps the islands' handlers compiling there.)
#[cfg(not(feature = "hydrate"))]
pub type Answer = ();

/// Posts the form of a submit event (its fields and the button that submitted it) to the form's
/// action, as `application/x-www-form-urlencoded`, accepting JSON. Ok(the answer), or Err(the
/// message to show: the server's own words from `x-error-message` when it gave them).
pub async fn submit(ev: &leptos::ev::SubmitEvent) -> Result<Answer, String> {
    #[cfg(feature = "hydrate")]
    {
        browser::submit(ev).await
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        Err("forms are sent by the browser".to_owned())
    }
}

/// A submit handler for an island's form: sends it with `submit`, keeps `pending` and `error`
/// up to date, and hands a successful answer to `done`.
pub fn submit_handler(
    pending: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    done: impl Fn(Answer) + Clone + 'static,
) -> impl Fn(leptos::ev::SubmitEvent) + Clone + 'static {
    move |ev| {
        ev.prevent_default();
        pending.set(true);
        error.set(None);
        let done = done.clone();
        leptos::task::spawn_local(async move {
            match submit(&ev).await {
                Ok(answer) => done(answer),
                Err(message) => error.set(Some(message)),
            }
            pending.set(false);
        });
    }
}

/// The answer itself as a number (`None` for null or anything else).
pub fn as_number(answer: &Answer) -> Option<f64> {
    #[cfg(feature = "hydrate")]
    return answer.as_f64();
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = answer;
        None
    }
}

/// A field of a JSON answer (`None` when absent or of another type), read by `read`.
#[cfg(feature = "hydrate")]
fn field<T>(answer: &Answer, name: &str, read: impl Fn(&wasm_bindgen::JsValue) -> Option<T>) -> Option<T> {
    js_sys::Reflect::get(answer, &name.into()).ok().as_ref().and_then(read)
}

/// A number field of a JSON answer.
pub fn number(answer: &Answer, name: &str) -> Option<f64> {
    #[cfg(feature = "hydrate")]
    return field(answer, name, wasm_bindgen::JsValue::as_f64);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (answer, name);
        None
    }
}

/// A true/false field of a JSON answer.
pub fn boolean(answer: &Answer, name: &str) -> Option<bool> {
    #[cfg(feature = "hydrate")]
    return field(answer, name, wasm_bindgen::JsValue::as_bool);
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = (answer, name);
        None
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::Answer;
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    use web_sys::{FormData, HtmlButtonElement, HtmlFormElement, RequestInit, Response, UrlSearchParams};

    const FAILED: &str = "Something went wrong; try again.";

    pub async fn submit(ev: &leptos::ev::SubmitEvent) -> Result<Answer, String> {
        let form = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()).ok_or(FAILED)?;
        let fields = FormData::new_with_form(&form).map_err(|_| FAILED)?;
        let body = UrlSearchParams::new_with_str_sequence_sequence(&fields).map_err(|_| FAILED)?;
        if let Some(button) = ev.submitter().and_then(|s| s.dyn_into::<HtmlButtonElement>().ok()) {
            if !button.name().is_empty() {
                body.append(&button.name(), &button.value());
            }
        }
        let init = RequestInit::new();
        init.set_method("POST");
        init.set_body(&body);
        let headers = web_sys::Headers::new().map_err(|_| FAILED)?;
        headers.set("Accept", "application/json").map_err(|_| FAILED)?;
        init.set_headers(&headers);
        let sent = leptos::prelude::window().fetch_with_str_and_init(&form.action(), &init);
        let response: Response = JsFuture::from(sent)
            .await
            .map_err(|_| "The server could not be reached; check your connection and try again.")?
            .unchecked_into();
        if !response.ok() {
            return Err(message(&response));
        }
        let json = response.json().map_err(|_| FAILED)?;
        JsFuture::from(json).await.map_err(|_| FAILED.to_owned())
    }

    /// What to tell the user about a refused request.
    fn message(response: &Response) -> String {
        let said = response
            .headers()
            .get("x-error-message")
            .ok()
            .flatten()
            .and_then(|m| js_sys::decode_uri_component(&m.replace('+', " ")).ok())
            .and_then(|m| m.as_string());
        match (said, response.status()) {
            (Some(said), _) => said,
            (None, 429) => "Too many attempts; wait a moment and try again.".to_owned(),
            (None, 503) => "The service is busy; try again in a moment.".to_owned(),
            (None, _) => FAILED.to_owned(),
        }
    }
}
