//! Search hits: a researcher and a work as the results list shows them.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct PersonHit {
    pub slug: String,
    pub name: String,
    pub source: String,
    /// Works on the record (hidden works left out).
    pub works: i64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct WorkHit {
    pub slug: String,
    pub title: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub work_type: String,
    /// The first few authors, in byline order.
    pub authors: Vec<String>,
}
