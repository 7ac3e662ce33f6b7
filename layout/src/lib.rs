//! Force-directed graph layout in plain Rust, for both the server (first paint) and the browser:
//! many-body repulsion approximated with a Barnes–Hut quadtree (theta configurable), link springs
//! and centering, cooled like d3-force (alpha decays from 1 to `alpha_min` in about 300 ticks).
//! Deterministic for a given graph, parameters and seed.

mod quadtree;
mod simulation;
#[cfg(test)]
mod tests;

pub use quadtree::QuadTree;
pub use simulation::Simulation;

/// A graph to lay out: `n` nodes and weighted edges between node indices.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    pub n: usize,
    pub edges: Vec<(usize, usize, f32)>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Barnes–Hut opening angle: larger is faster and coarser (0 is exact).
    pub theta: f32,
    /// Many-body strength (negative repels), as d3's `forceManyBody().strength`.
    pub charge: f32,
    pub link_distance: f32,
    pub center_strength: f32,
    pub velocity_decay: f32,
    pub alpha_min: f32,
    /// Ticks over which alpha falls from 1 to `alpha_min`.
    pub ticks: u32,
    /// Collision strength (0 turns it off): overlapping nodes, by `Simulation::radius`, are pushed
    /// apart, as d3's `forceCollide`.
    pub collide: f32,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            theta: 0.9,
            charge: -30.0,
            link_distance: 30.0,
            center_strength: 0.05,
            velocity_decay: 0.4,
            alpha_min: 0.001,
            ticks: 300,
            collide: 0.0,
        }
    }
}
