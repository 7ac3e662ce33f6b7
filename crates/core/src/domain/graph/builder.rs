//! Building a slice: ranked candidates around seeds, bounded to the best `max` nodes.

use super::{EdgeKind, GraphEdge, GraphNode, GraphSlice, NodeKey, NodeKind};
use std::collections::HashMap;

/// Collects ranked candidates around seeds, then keeps the best `max` (seeds always first).
#[derive(Debug, Default)]
pub struct SliceBuilder {
    index: HashMap<String, usize>,
    nodes: Vec<GraphNode>,
    rank: Vec<f32>,
    seed: Vec<bool>,
    edges: HashMap<(usize, usize, EdgeKind), u32>,
}

impl SliceBuilder {
    /// Adds (or re-ranks) a node; returns its index.
    pub fn node(&mut self, key: &NodeKey, label: &str, rank: f32) -> usize {
        let text = key.to_string();
        if let Some(&i) = self.index.get(&text) {
            self.rank[i] = self.rank[i].max(rank);
            return i;
        }
        let i = self.nodes.len();
        self.index.insert(text.clone(), i);
        self.nodes.push(GraphNode {
            key: text,
            kind: key.kind(),
            label: label.to_owned(),
            href: key.href(label),
            weight: 0.0,
            x: 0.0,
            y: 0.0,
        });
        self.rank.push(rank);
        self.seed.push(false);
        i
    }

    /// Seeds are kept whatever the bound; the first seed is the focus.
    pub fn seed(&mut self, key: &NodeKey, label: &str) -> usize {
        let i = self.node(key, label, f32::MAX);
        self.seed[i] = true;
        i
    }

    pub fn edge(&mut self, a: usize, b: usize, kind: EdgeKind, weight: u32) {
        if a == b {
            return;
        }
        let k = if a < b { (a, b, kind) } else { (b, a, kind) };
        let w = self.edges.entry(k).or_insert(0);
        *w = (*w).max(weight.max(1));
    }

    /// Adds rank to a node, e.g. once per link to a seed.
    pub fn boost(&mut self, i: usize, by: f32) {
        if self.rank[i] < f32::MAX {
            self.rank[i] += by;
        }
    }

    pub fn index_of(&self, key: &NodeKey) -> Option<usize> {
        self.index.get(&key.to_string()).copied()
    }

    pub fn keys_of(&self, kind: NodeKind) -> impl Iterator<Item = &str> {
        self.nodes.iter().filter(move |n| n.kind == kind).map(|n| n.key.as_str())
    }

    /// Keeps the focus, the other seeds, then the best-ranked candidates (ties by key, so the
    /// result is deterministic), up to `max` nodes; edges to dropped nodes go with them.
    pub fn finish(self, focus: &NodeKey, max: usize, expanded: Vec<String>) -> GraphSlice {
        let focus = self.index_of(focus);
        let mut order: Vec<usize> = (0..self.nodes.len()).collect();
        order.sort_by(|&a, &b| {
            (Some(b) == focus)
                .cmp(&(Some(a) == focus))
                .then(self.seed[b].cmp(&self.seed[a]))
                .then(self.rank[b].total_cmp(&self.rank[a]))
                .then(self.nodes[a].key.cmp(&self.nodes[b].key))
        });
        let omitted = order.len().saturating_sub(max) as u32;
        order.truncate(max);
        let mut new_index = vec![usize::MAX; self.nodes.len()];
        for (new, &old) in order.iter().enumerate() {
            new_index[old] = new;
        }
        let mut nodes: Vec<GraphNode> = order.iter().map(|&i| self.nodes[i].clone()).collect();
        let mut edges: Vec<GraphEdge> = self
            .edges
            .into_iter()
            .filter(|((a, b, _), _)| new_index[*a] != usize::MAX && new_index[*b] != usize::MAX)
            .map(|((a, b, kind), weight)| GraphEdge {
                source: new_index[a] as u32,
                target: new_index[b] as u32,
                kind,
                weight,
            })
            .collect();
        edges.sort_by_key(|e| (e.source, e.target, e.kind as u8));
        for e in &edges {
            nodes[e.source as usize].weight += e.weight as f32;
            nodes[e.target as usize].weight += e.weight as f32;
        }
        GraphSlice { nodes, edges, expanded, omitted }
    }
}

/// A focus with `n` works around it, for tests.
#[cfg(test)]
pub(super) fn star(n: usize) -> GraphSlice {
    let mut b = SliceBuilder::default();
    let focus = b.seed(&NodeKey::Author("focus".to_owned()), "Focus");
    for i in 0..n {
        let w = b.node(&NodeKey::Work(format!("w{i}")), "Work", 1.0);
        b.edge(focus, w, EdgeKind::Authored, 1);
    }
    b.finish(&NodeKey::Author("focus".to_owned()), 100, vec![])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn author(slug: &str) -> NodeKey {
        NodeKey::Author(slug.to_owned())
    }

    #[test]
    fn the_bound_keeps_the_focus_seeds_and_best_ranked_nodes() {
        let mut b = SliceBuilder::default();
        let focus = b.seed(&author("focus"), "Focus");
        for i in 0..20 {
            let n = b.node(&NodeKey::Work(format!("w{i:02}")), "A work", i as f32);
            b.edge(focus, n, EdgeKind::Authored, 1);
        }
        let topic = b.seed(&NodeKey::Topic(3), "Expanded topic");
        let lonely = b.node(&NodeKey::Topic(4), "Low rank", 0.5);
        b.edge(topic, lonely, EdgeKind::AboutTopic, 1);
        let slice = b.finish(&author("focus"), 6, vec!["t:3".into()]);
        let keys: Vec<&str> = slice.nodes.iter().map(|n| n.key.as_str()).collect();
        assert_eq!(keys, ["a:focus", "t:3", "w:w19", "w:w18", "w:w17", "w:w16"]);
        assert_eq!(slice.omitted, 17);
        assert_eq!(slice.edges.len(), 4, "edges to dropped nodes are dropped");
        assert!(slice.edges.iter().all(|e| (e.source as usize) < 6 && (e.target as usize) < 6));
        assert_eq!(slice.nodes[0].weight, 4.0);
    }

    #[test]
    fn duplicate_edges_keep_the_heaviest_weight() {
        let mut b = SliceBuilder::default();
        let a = b.seed(&author("a"), "A");
        let c = b.node(&author("c"), "C", 1.0);
        b.edge(a, c, EdgeKind::CoAuthored, 2);
        b.edge(c, a, EdgeKind::CoAuthored, 5);
        b.edge(a, a, EdgeKind::CoAuthored, 9);
        let slice = b.finish(&author("a"), 10, vec![]);
        assert_eq!(slice.edges.len(), 1);
        assert_eq!(slice.edges[0].weight, 5);
    }
}
