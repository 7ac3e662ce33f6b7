//! The browser entry point: hydrates the islands on the page (the server renders everything else).

// Referencing the app crate keeps its islands' exports in the wasm (leptos#2083: without it the
// linker drops them and the module is a few hundred bytes).
#[expect(unused_imports, reason = "referenced only so the linker keeps the islands' exports (leptos#2083)")]
use app::*;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    app::components::forms::restore_focus();
}
