//! What every island shares: the marker that says it has hydrated (browser tests and the
//! time-to-interactive benchmark wait for it).
//!
//! Convention: an island's root element carries `data-island="<name>"` and
//! `data-hydrated=hydrated_marker()`.

use leptos::prelude::*;

/// The value of `data-hydrated` on an island's root element: absent in the server's HTML,
/// `"true"` once the browser has hydrated the island (effects run only in the browser).
pub fn hydrated_marker() -> Signal<Option<&'static str>> {
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    Signal::derive(move || ready.get().then_some("true"))
}
