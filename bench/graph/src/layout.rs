//! The layout half of the benchmark: the app's force layout on a graph handed over as flat arrays.

use app::domain::layout::{Graph, Params, Simulation};
use wasm_bindgen::prelude::*;

/// A graph from flat `[a0, b0, a1, b1, ...]` endpoint pairs, every link of weight 1 (d3's default).
fn graph(n: u32, edges: &[u32]) -> Result<Graph, JsError> {
    if !edges.len().is_multiple_of(2) || edges.iter().any(|&v| v >= n) {
        return Err(JsError::new("edges must be pairs of node indices below n"));
    }
    let edges = edges.chunks_exact(2).map(|e| (e[0] as usize, e[1] as usize, 1.0)).collect();
    Ok(Graph { n: n as usize, edges })
}

fn flatten(pos: &[[f32; 2]]) -> Vec<f32> {
    pos.iter().flat_map(|p| [p[0], p[1]]).collect()
}

/// Where the layout starts `n` nodes for `seed`, as flat `[x0, y0, x1, y1, ...]`, so that d3-force can
/// start from the same positions.
#[wasm_bindgen]
pub fn initial_positions(n: u32, seed: u32) -> Vec<f32> {
    let sim = Simulation::new(Graph { n: n as usize, edges: Vec::new() }, Params::default(), u64::from(seed));
    flatten(&sim.pos)
}

/// Lays out the graph with the app's default parameters for exactly `ticks` ticks (as d3's
/// `simulation.tick(ticks)`, which does not stop early) and returns the positions, flat.
#[wasm_bindgen]
pub fn layout(n: u32, edges: &[u32], seed: u32, ticks: u32) -> Result<Vec<f32>, JsError> {
    let mut sim = Simulation::new(graph(n, edges)?, Params::default(), u64::from(seed));
    for _ in 0..ticks {
        sim.tick();
    }
    Ok(flatten(&sim.pos))
}
