//! A laid-out slice: typed, weighted nodes and edges around a focus, and the force layout that
//! places them (`layout`), with known positions kept as the starting picture.

use super::{EdgeKind, NodeKind};
use crate::domain::layout::{Graph, Params, Simulation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphNode {
    /// The node's key as text (`NodeKey`'s form).
    pub key: String,
    pub kind: NodeKind,
    pub label: String,
    pub href: String,
    /// Weighted degree within the slice: sizes the node and ranks its label.
    pub weight: f32,
    pub x: f32,
    pub y: f32,
}

impl GraphNode {
    /// Drawn radius in graph units (the focus is drawn larger by the views).
    pub fn radius(&self) -> f32 {
        (3.5 + 1.6 * self.weight.sqrt()).min(14.0)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GraphEdge {
    pub source: u32,
    pub target: u32,
    pub kind: EdgeKind,
    pub weight: u32,
}

/// Typed, weighted nodes and edges around a focus (always node 0), with positions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct GraphSlice {
    pub nodes: Vec<GraphNode>,
    pub edges: Vec<GraphEdge>,
    /// Keys expanded around the focus (explorer only).
    pub expanded: Vec<String>,
    /// Candidates left out by the bound.
    pub omitted: u32,
}

impl GraphSlice {
    pub fn focus(&self) -> Option<&GraphNode> {
        self.nodes.first()
    }

    /// For each node, its neighbours' indices (both directions).
    pub fn adjacency(&self) -> Vec<Vec<u32>> {
        let mut adj = vec![Vec::new(); self.nodes.len()];
        for e in &self.edges {
            adj[e.source as usize].push(e.target);
            adj[e.target as usize].push(e.source);
        }
        adj
    }

    pub fn count(&self, kind: NodeKind) -> usize {
        self.nodes.iter().filter(|n| n.kind == kind).count()
    }

    /// Lays the slice out with the focus pinned at the origin; `known` positions (from an earlier
    /// picture of the same area) are kept as starting points so an expanded graph does not jump.
    pub fn lay_out(&mut self, seed: u64, known: &HashMap<String, [f32; 2]>) {
        let mut sim = self.simulation(seed, known);
        sim.run(sim.params.ticks);
        for (node, p) in self.nodes.iter_mut().zip(&sim.pos) {
            node.x = (p[0] * 10.0).round() / 10.0;
            node.y = (p[1] * 10.0).round() / 10.0;
        }
    }

    /// Lays out only the nodes `known` does not place (an expansion of a picture already on
    /// screen): every known node stays exactly where it was, and the new ones are laid out among
    /// the known nodes within two links of them (where they grow), which are pinned. The
    /// simulation holds those nodes only, so its cost follows what is new and around it, not the
    /// whole slice.
    pub fn lay_out_around(&mut self, seed: u64, known: &HashMap<String, [f32; 2]>) {
        let is_known: Vec<bool> = self.nodes.iter().map(|n| known.contains_key(&n.key)).collect();
        if !is_known.iter().any(|k| *k) {
            return self.lay_out(seed, known);
        }
        let adjacency = self.adjacency();
        // The new nodes, and the nodes within two links of them (the focus always: it anchors
        // the view).
        let mut inside: Vec<bool> = is_known.iter().map(|k| !k).collect();
        for _ in 0..2 {
            let reached: Vec<usize> = (0..self.nodes.len()).filter(|&i| inside[i]).collect();
            for i in reached {
                for &j in &adjacency[i] {
                    inside[j as usize] = true;
                }
            }
        }
        inside[0] = true;
        let chosen: Vec<usize> = (0..self.nodes.len()).filter(|&i| inside[i]).collect();
        let mut at = vec![u32::MAX; self.nodes.len()];
        for (n, &i) in chosen.iter().enumerate() {
            at[i] = n as u32;
        }
        let part = GraphSlice {
            nodes: chosen.iter().map(|&i| self.nodes[i].clone()).collect(),
            edges: self
                .edges
                .iter()
                .filter(|e| inside[e.source as usize] && inside[e.target as usize])
                .map(|e| GraphEdge { source: at[e.source as usize], target: at[e.target as usize], ..e.clone() })
                .collect(),
            ..GraphSlice::default()
        };
        let mut sim = part.simulation(seed, known);
        for (n, node) in part.nodes.iter().enumerate() {
            if let Some(p) = known.get(&node.key) {
                sim.pin(n, *p);
            }
        }
        sim.run(sim.params.ticks);
        for (i, node) in self.nodes.iter_mut().enumerate() {
            let p = match known.get(&node.key) {
                Some(p) => *p,
                None => sim.pos[at[i] as usize],
            };
            node.x = (p[0] * 10.0).round() / 10.0;
            node.y = (p[1] * 10.0).round() / 10.0;
        }
    }

    /// What the layout of this slice depends on (seed, nodes and their sizes, edges and their
    /// weights), hashed: two slices with one key have one layout.
    pub fn layout_key(&self, seed: u64) -> Vec<u8> {
        use sha1::{Digest, Sha1};
        let mut hash = Sha1::new();
        hash.update(seed.to_le_bytes());
        hash.update((self.nodes.len() as u64).to_le_bytes());
        for node in &self.nodes {
            hash.update(node.key.as_bytes());
            hash.update([0]);
            hash.update(node.radius().to_le_bytes());
        }
        for edge in &self.edges {
            hash.update(edge.source.to_le_bytes());
            hash.update(edge.target.to_le_bytes());
            hash.update(edge.weight.to_le_bytes());
        }
        hash.finalize().to_vec()
    }

    /// The nodes' positions, x then y for each.
    pub fn positions(&self) -> Vec<f32> {
        self.nodes.iter().flat_map(|n| [n.x, n.y]).collect()
    }

    /// Places the nodes at `positions` (as `positions` gives them); false, and nothing changed,
    /// when they are not one pair per node.
    pub fn set_positions(&mut self, positions: &[f32]) -> bool {
        if positions.len() != self.nodes.len() * 2 {
            return false;
        }
        for (node, p) in self.nodes.iter_mut().zip(positions.chunks_exact(2)) {
            node.x = p[0];
            node.y = p[1];
        }
        true
    }

    /// The simulation behind `lay_out`, for views that run it in time slices.
    pub fn simulation(&self, seed: u64, known: &HashMap<String, [f32; 2]>) -> Simulation {
        let graph = Graph {
            n: self.nodes.len(),
            edges: self
                .edges
                .iter()
                .map(|e| (e.source as usize, e.target as usize, 1.0 + (e.weight as f32 - 1.0).min(4.0) * 0.25))
                .collect(),
        };
        let params = Params { collide: 1.0, ..Params::default() };
        let mut sim = Simulation::new(graph, params, seed);
        sim.radius = self.nodes.iter().enumerate().map(|(i, n)| n.radius() + if i == 0 { 4.0 } else { 1.5 }).collect();
        let adjacency = self.adjacency();
        let mut placed = vec![false; self.nodes.len()];
        for (i, node) in self.nodes.iter().enumerate() {
            if let Some(p) = known.get(&node.key) {
                sim.pos[i] = *p;
                placed[i] = true;
            }
        }
        if placed.iter().any(|p| *p) {
            // New nodes start beside a placed neighbour, so they grow out of the known picture.
            for i in 0..self.nodes.len() {
                if !placed[i] {
                    if let Some(&j) = adjacency[i].iter().find(|&&j| placed[j as usize]) {
                        let base = sim.pos[j as usize];
                        let a = i as f32 * 2.399_963;
                        sim.pos[i] = [base[0] + 12.0 * a.cos(), base[1] + 12.0 * a.sin()];
                    }
                }
            }
            sim.alpha = 0.5;
        }
        if !self.nodes.is_empty() {
            sim.pin(0, [0.0, 0.0]);
        }
        sim
    }
}

#[cfg(test)]
mod tests {
    use super::super::builder::star;
    use super::*;

    #[test]
    fn the_layout_pins_the_focus_separates_nodes_and_is_deterministic() {
        let mut one = star(30);
        one.lay_out(7, &HashMap::new());
        let mut two = star(30);
        two.lay_out(7, &HashMap::new());
        assert_eq!(one, two);
        assert_eq!((one.nodes[0].x, one.nodes[0].y), (0.0, 0.0));
        for (i, a) in one.nodes.iter().enumerate() {
            for b in &one.nodes[i + 1..] {
                let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                assert!(d > 0.8 * (a.radius() + b.radius()), "{} and {} overlap ({d})", a.key, b.key);
            }
        }
    }

    #[test]
    fn an_expansion_lays_out_only_what_is_new_and_moves_nothing_on_screen() {
        let mut small = star(5);
        small.lay_out(1, &HashMap::new());
        let known: HashMap<String, [f32; 2]> = small.nodes.iter().map(|n| (n.key.clone(), [n.x, n.y])).collect();
        let mut bigger = star(12);
        bigger.lay_out_around(1, &known);
        for n in &small.nodes {
            let m = bigger.nodes.iter().find(|m| m.key == n.key).expect("kept");
            assert_eq!((m.x, m.y), (n.x, n.y), "{} stays where it was", n.key);
        }
        // The new nodes are placed apart from every node, known or new.
        for (i, a) in bigger.nodes.iter().enumerate() {
            for b in &bigger.nodes[i + 1..] {
                let d = ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
                assert!(d > 0.5 * (a.radius() + b.radius()), "{} and {} overlap ({d})", a.key, b.key);
            }
        }
        let mut again = star(12);
        again.lay_out_around(1, &known);
        assert_eq!(again, bigger, "deterministic");
    }

    #[test]
    fn known_positions_are_kept_as_the_starting_picture() {
        let mut small = star(5);
        small.lay_out(1, &HashMap::new());
        let known: HashMap<String, [f32; 2]> = small.nodes.iter().map(|n| (n.key.clone(), [n.x, n.y])).collect();
        let mut bigger = star(8);
        bigger.lay_out(1, &known);
        for n in &small.nodes[1..] {
            let m = bigger.nodes.iter().find(|m| m.key == n.key).expect("kept");
            let moved = ((m.x - n.x).powi(2) + (m.y - n.y).powi(2)).sqrt();
            assert!(moved < 40.0, "{} moved {moved}", n.key);
        }
    }
}
