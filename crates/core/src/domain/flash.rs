//! The flash: what a failed plain form post leaves for the page it returns to (the error, typed,
//! and the fields worth keeping, never a password), read once by that page and by no other.
//! Nothing of it travels in the URL, so a link cannot make a page say anything.

use crate::error::AppError;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// Why the form was refused, when it was.
    pub error: Option<AppError>,
    /// What was typed, by field name, to refill the form.
    pub fields: Vec<(String, String)>,
}

impl Flash {
    /// The refusal as the page shows it.
    pub fn message(&self) -> Option<String> {
        self.error.as_ref().map(ToString::to_string)
    }

    /// The kept value of `name`, if the form that failed had that field (perhaps empty).
    pub fn kept(&self, name: &str) -> Option<&str> {
        self.fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    /// The kept value of `name`, or empty.
    pub fn field(&self, name: &str) -> String {
        self.kept(name).unwrap_or_default().to_owned()
    }
}
