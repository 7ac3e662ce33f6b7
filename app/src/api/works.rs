//! The work page: one server function returning a work, its byline and its topics.

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BylineEntry {
    pub position: i16,
    pub slug: String,
    pub name: String,
    pub institutions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Work {
    pub slug: String,
    pub title: String,
    pub abstract_text: Option<String>,
    pub work_type: String,
    pub year: Option<i32>,
    pub venue: Option<String>,
    pub is_open_access: Option<bool>,
    pub doi: Option<String>,
    pub arxiv_id: Option<String>,
    pub openalex_id: Option<String>,
    pub authors: Vec<BylineEntry>,
    pub topics: Vec<String>,
    /// The research map around the work, laid out.
    pub graph: crate::domain::graph::GraphSlice,
}

#[server(prefix = "/api", endpoint = "get_work")]
pub async fn get_work(slug: String) -> Result<Work, AppError> {
    async {
        let slug = super::record_slug(&slug, "this work")?;
        let pool = crate::ssr::pool()?;
        crate::ssr::db::works::work(&pool, slug.as_str()).await
    }
    .await
}
