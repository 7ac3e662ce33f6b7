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
    Ok(find(db, focus, expanded, reach).await?.map(|found| found.slice))
}

/// A slice found, not yet laid out, with the layout kept under its name (a slice without
/// expansions is named by its focus and reach; `named`).
#[derive(Debug, Default)]
pub struct Found {
    pub slice: GraphSlice,
    name: Option<String>,
    kept: Option<rows::KeptLayout>,
}

/// The name a slice around `focus`, with nothing expanded, keeps its layout under.
pub fn named(focus: &NodeKey, reach: Reach) -> String {
    format!("{}/{focus}", reach.max_nodes)
}

/// The slice around `focus` (with `expanded` merged in) and, for a slice without expansions, the
/// layout kept under its name: one statement. None when the focus does not exist.
pub async fn find(
    db: &mut PgConnection,
    focus: &NodeKey,
    expanded: &[NodeKey],
    reach: Reach,
) -> Result<Option<Found>, AppError> {
    // Expanded keys that do not exist are skipped; a missing focus is no slice at all.
    let mut wanted: Vec<NodeKey> = vec![focus.clone()];
    for key in expanded {
        if !wanted.contains(key) {
            wanted.push(key.clone());
        }
    }
    let name = expanded.is_empty().then(|| named(focus, reach));
    let Some((hood, kept)) = rows::neighbourhood_of(db, &wanted, reach.per_seed, name.as_deref()).await? else {
        return Ok(None);
    };
    Ok(Some(Found { slice: assemble(focus, &hood, reach.max_nodes), name, kept }))
}

/// The slice around `focus` (nothing expanded) from the rows another statement read with
/// `rows::neighbourhood_statement` (as a profile's does), with the layout kept under its name.
pub fn found_in(focus: &NodeKey, reach: Reach, row: rows::FoundRow) -> Result<Option<Found>, AppError> {
    let Some((hood, kept)) = rows::read(std::slice::from_ref(focus), row)? else {
        return Ok(None);
    };
    Ok(Some(Found { slice: assemble(focus, &hood, reach.max_nodes), name: Some(named(focus, reach)), kept }))
}

/// Lays the slice out (GRAPH_SEED): the positions a server computed for the same slice before,
/// else computed now on the blocking pool, off the async workers, and kept for the next view on
/// any server. A slice without expansions finds its kept layout under its name, in the statement
/// that found it (`find`), and keeps it there while the slice is unchanged; an explorer slice
/// with expansions looks its layout up by the slice's key through `read` (a replica may answer).
/// New layouts are kept through `primary`.
pub async fn laid_out(read: &PgPool, primary: &PgPool, found: Found) -> Result<GraphSlice, AppError> {
    let Found { mut slice, name, kept } = found;
    let key = slice.layout_key(GRAPH_SEED);
    let kept = match (&name, kept) {
        (Some(_), kept) => kept.filter(|k| k.key == key).map(|k| k.positions),
        (None, _) => layouts::kept_layout(read, &key).await?,
    };
    if let Some(positions) = kept {
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
    let kept = match &name {
        Some(name) => layouts::keep_named_layout(primary, name, &key, &slice.positions()).await,
        None => layouts::keep_layout(primary, &key, &slice.positions()).await,
    };
    if let Err(error) = kept {
        tracing::warn!(?error, "keeping a graph layout failed");
    }
    Ok(slice)
}
