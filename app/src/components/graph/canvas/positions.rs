//! The explorer's node positions, kept in the tab's `sessionStorage` across the page loads that
//! expanding a node makes, so the picture grows in place (for one focus at a time).

use std::collections::HashMap;

const KEY: &str = "bzpeer.explorer.positions";

fn storage() -> Option<web_sys::Storage> {
    leptos::prelude::window().session_storage().ok().flatten()
}

/// What was remembered around `focus` (nothing for another focus).
pub fn load(focus: &str) -> HashMap<String, [f32; 2]> {
    storage()
        .and_then(|s| s.get_item(KEY).ok().flatten())
        .and_then(|json| serde_json::from_str::<(String, HashMap<String, [f32; 2]>)>(&json).ok())
        .filter(|(remembered, _)| remembered == focus)
        .map(|(_, known)| known)
        .unwrap_or_default()
}

pub fn save(focus: &str, known: &HashMap<String, [f32; 2]>) {
    if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&(focus, known))) {
        let _ = storage.set_item(KEY, &json);
    }
}
