//! The flash: what a failed plain form post leaves for the page it returns to (the error and
//! the fields worth keeping, never a password), read once by that page and by no other.
//! Nothing of it travels in the URL, so a link cannot make a page say anything.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// Why the form was refused, when it was.
    pub error: Option<String>,
    /// What was typed, by field name, to refill the form.
    pub fields: Vec<(String, String)>,
}

impl Flash {
    /// The kept value of `name`, if the form that failed had that field (perhaps empty).
    pub fn kept(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The kept value of `name`, or empty.
    pub fn field(&self, name: &str) -> String {
        self.kept(name).unwrap_or_default().to_owned()
    }
}

/// Takes the flash left for `page` (a path), if any: it is removed from the session as it is read.
#[server(prefix = "/api", endpoint = "take_flash")]
pub async fn take_flash(page: String) -> Result<Option<Flash>, AppError> {
    crate::ssr::flash::take(&page).await
}
