//! The full explorer's server function: the slice around a focus with the expanded nodes'
//! neighbourhoods merged in, laid out, plus the nodes a search offers to add.

use crate::domain::graph::{GraphSlice, NodeKind};
use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A node the explorer's search offers to add to the graph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Addition {
    pub key: String,
    pub kind: NodeKind,
    pub label: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Exploration {
    /// The focus key as given (normalised: `a:<slug>` for a bare slug).
    pub focus: String,
    pub slice: GraphSlice,
    /// The search, when one was made, and what it found.
    pub query: Option<String>,
    pub additions: Vec<Addition>,
}

#[server(prefix = "/api", endpoint = "explore")]
pub async fn explore(focus: String, expand: Option<String>, q: Option<String>) -> Result<Exploration, AppError> {
    use crate::api::search::{SearchKind, SearchQuery, SearchRequest, SearchSort};
    use crate::domain::graph::NodeKey;
    use db::views::graph::{find, laid_out, EXPLORER_REACH};
    async {
        let focus_key = NodeKey::parse(&focus).map_err(|e| AppError::invalid("focus", e.to_string()))?;
        let expanded = NodeKey::parse_list(expand.as_deref().unwrap_or_default())
            .map_err(|e| AppError::invalid("expand", e.to_string()))?;
        let query = match q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
            Some(raw) => Some(SearchQuery::parse(raw)?),
            None => None,
        };
        let pool = crate::ssr::read_pool().await?;
        let mut conn = pool.acquire().await?;
        let slice = find(&mut conn, &focus_key, &expanded, EXPLORER_REACH)
            .await?
            .ok_or_else(|| AppError::NotFound("this graph node".to_owned()))?;
        drop(conn);
        let slice = laid_out(&crate::ssr::pool()?, slice).await?;
        let additions = match &query {
            Some(query) => {
                let request = SearchRequest {
                    query: query.clone(),
                    kind: SearchKind::All,
                    page: 1,
                    filters: Default::default(),
                    sort: SearchSort::Relevance,
                };
                let found = db::views::search::find(&pool, &request).await?;
                let people = found.people.into_iter().map(|p| Addition {
                    key: NodeKey::Author(p.slug).to_string(),
                    kind: NodeKind::Person,
                    label: p.name,
                    detail: format!("{} works", p.works),
                });
                let works = found.works.into_iter().map(|w| Addition {
                    key: NodeKey::Work(w.slug).to_string(),
                    kind: NodeKind::Work,
                    label: w.title,
                    detail: w.year.map(|y| y.to_string()).unwrap_or_default(),
                });
                people.chain(works).take(12).collect()
            }
            None => Vec::new(),
        };
        Ok(Exploration { focus: focus_key.to_string(), slice, query: query.map(|q| q.as_str().to_owned()), additions })
    }
    .await
}
