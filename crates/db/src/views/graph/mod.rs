//! The one graph pipeline every view uses: the database's neighbourhood of the seeds
//! (`rows`), ranked and bounded into a slice (`domain::graph::assemble`), then laid out on the
//! blocking pool (the layout is CPU work: up to 5,000 nodes in the explorer).

use crate::caches::layouts;
use crate::domain::graph::{assemble, GraphSlice, NodeKey, EXPLORER_NODES, GRAPH_SEED, INLINE_NODES};
use crate::error::AppError;
use sqlx::{PgConnection, PgPool};
use std::collections::HashMap;

pub mod rows;

/// How far a slice reaches: neighbours fetched per seed, and nodes kept in all.
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    pub per_seed: i64,
    pub max_nodes: usize,
}

/// A profile's or a work page's inline graph.
pub const INLINE_REACH: Reach = Reach { per_seed: 30, max_nodes: INLINE_NODES };
/// The explorer: more per seed, bounded in all.
pub const EXPLORER_REACH: Reach = Reach { per_seed: 60, max_nodes: EXPLORER_NODES };

/// The slice around `focus` (with `expanded` merged in), not yet laid out; None when the focus does not exist.
pub async fn around(
    db: &mut PgConnection,
    focus: &NodeKey,
    expanded: &[NodeKey],
    reach: Reach,
) -> Result<Option<GraphSlice>, AppError> {
    // Expanded keys that do not exist are skipped; a missing focus is no slice at all.
    let wanted: Vec<NodeKey> = std::iter::once(focus).chain(expanded.iter().filter(|k| *k != focus)).cloned().collect();
    let seeds = rows::seeds(&mut *db, &wanted).await?;
    if seeds.first().is_none_or(|s| &s.key != focus) {
        return Ok(None);
    }
    let hood = rows::neighbourhood(db, seeds, reach.per_seed).await?;
    Ok(Some(assemble(focus, &hood, reach.max_nodes)))
}

/// Lays the slice out (GRAPH_SEED): the positions a server computed for the same slice before
/// (kept in the database, keyed by everything the layout depends on), else computed now on the
/// blocking pool, off the async workers, and kept for the next view on any server. Kept layouts
/// are looked up through `read` (a replica may answer) and kept through `primary`.
pub async fn laid_out(read: &PgPool, primary: &PgPool, slice: GraphSlice) -> Result<GraphSlice, AppError> {
    let key = slice.layout_key(GRAPH_SEED);
    let mut slice = slice;
    if let Some(positions) = layouts::kept_layout(read, &key).await? {
        if slice.set_positions(&positions) {
            return Ok(slice);
        }
    }
    let slice = tokio::task::spawn_blocking(move || {
        slice.lay_out(GRAPH_SEED, &HashMap::new());
        slice
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "the graph layout failed");
        AppError::Internal
    })?;
    // A page does not fail for want of keeping its layout.
    if let Err(error) = layouts::keep_layout(primary, &key, &slice.positions()).await {
        tracing::warn!(?error, "keeping a graph layout failed");
    }
    Ok(slice)
}
