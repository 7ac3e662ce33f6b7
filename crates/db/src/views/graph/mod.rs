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

/// A slice found, not yet laid out, with the layouts kept for it: its own, under its name, and
/// the picture already on screen before its last expansion.
#[derive(Debug, Default)]
pub struct Found {
    pub slice: GraphSlice,
    name: String,
    expanded: bool,
    kept: rows::Layouts,
}

/// The name a slice around `focus`, with `expanded` expanded in that order, keeps its layout
/// under (`5000/a:<slug>+w:<slug>,t:12`).
pub fn named(focus: &NodeKey, expanded: &[NodeKey], reach: Reach) -> String {
    let mut name = format!("{}/{focus}", reach.max_nodes);
    if !expanded.is_empty() {
        name.push('+');
        name.push_str(&expanded.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    }
    name
}

/// The slice around `focus` (with `expanded` merged in), with the layout kept under its name and
/// the one of the picture before its last expansion: one statement. None when the focus does not
/// exist.
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
    let expanded = &wanted[1..];
    let name = named(focus, expanded, reach);
    let before = expanded.split_last().map(|(_, before)| named(focus, before, reach));
    let Some((hood, kept)) = rows::neighbourhood_of(db, &wanted, reach.per_seed, (&name, before.as_deref())).await?
    else {
        return Ok(None);
    };
    let slice = assemble(focus, &hood, reach.max_nodes);
    Ok(Some(Found { slice, name, expanded: !expanded.is_empty(), kept }))
}

/// The slice around `focus` (nothing expanded) from the rows another statement read with
/// `rows::neighbourhood_statement` (as a profile's does), with the layout kept under its name.
pub fn found_in(focus: &NodeKey, reach: Reach, row: rows::FoundRow) -> Result<Option<Found>, AppError> {
    let Some((hood, kept)) = rows::read(std::slice::from_ref(focus), row)? else {
        return Ok(None);
    };
    let slice = assemble(focus, &hood, reach.max_nodes);
    Ok(Some(Found { slice, name: named(focus, &[], reach), expanded: false, kept }))
}

/// Lays the slice out (GRAPH_SEED): the positions kept under its name when they were laid out
/// for this same slice; else, for an expansion, only what is new around the picture already on
/// screen (which does not move); else all of it. A new layout is computed on the blocking pool,
/// off the async workers, and kept through `primary` for the next view on any server.
pub async fn laid_out(primary: &PgPool, found: Found) -> Result<GraphSlice, AppError> {
    let Found { mut slice, name, expanded, kept } = found;
    let key = slice.layout_key(GRAPH_SEED);
    if let Some(own) = kept.own.filter(|own| own.key == key) {
        if slice.set_positions(&own.positions) {
            return Ok(slice);
        }
    }
    let on_screen = kept.on_screen;
    let slice = tokio::task::spawn_blocking(move || {
        if on_screen.is_empty() {
            slice.lay_out(GRAPH_SEED, &HashMap::new());
        } else {
            slice.lay_out_around(GRAPH_SEED, &on_screen);
        }
        slice
    })
    .await
    .map_err(|error| {
        tracing::error!(%error, "the graph layout failed");
        AppError::Internal
    })?;
    // A page does not fail for want of keeping its layout.
    let keys: Vec<String> = slice.nodes.iter().map(|n| n.key.clone()).collect();
    if let Err(error) = layouts::keep_named_layout(primary, &name, &key, (&keys, &slice.positions()), expanded).await {
        tracing::warn!(?error, "keeping a graph layout failed");
    }
    Ok(slice)
}
