//! The research graph as data: node keys parsed at the edge, a slice (typed nodes and weighted
//! edges around a focus) built from ranked candidates and bounded, laid out with `layout`, and the
//! geometry both views share (fitting a viewport, choosing which labels fit).

use crate::domain::layout::{Graph, Params, Simulation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt;

/// Nodes in a profile's inline graph.
pub const INLINE_NODES: usize = 150;
/// Nodes in the full explorer, however much is expanded.
pub const EXPLORER_NODES: usize = 5_000;
/// The layout seed every view uses, so the server's picture and the browser's agree.
pub const GRAPH_SEED: u64 = 0x0062_7065_6572;
/// Expanded nodes a shareable explorer address may carry.
pub const MAX_EXPANDED: usize = 40;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum NodeKind {
    Person,
    Work,
    Topic,
    Institution,
}

impl NodeKind {
    pub const ALL: [NodeKind; 4] = [NodeKind::Person, NodeKind::Work, NodeKind::Topic, NodeKind::Institution];

    /// The legend's name for the kind, plural.
    pub fn plural(self) -> &'static str {
        match self {
            NodeKind::Person => "People",
            NodeKind::Work => "Works",
            NodeKind::Topic => "Topics",
            NodeKind::Institution => "Institutions",
        }
    }

    /// `plural` in lower case ("Show people").
    pub fn plural_lower(self) -> &'static str {
        match self {
            NodeKind::Person => "people",
            NodeKind::Work => "works",
            NodeKind::Topic => "topics",
            NodeKind::Institution => "institutions",
        }
    }

    /// How a node of this kind is announced ("Ada Lovelace, researcher").
    pub fn noun(self) -> &'static str {
        match self {
            NodeKind::Person => "researcher",
            NodeKind::Work => "work",
            NodeKind::Topic => "topic",
            NodeKind::Institution => "institution",
        }
    }

    /// The CSS class (SVG) and the colour (canvas) of the kind: one palette for both.
    pub fn class(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Work => "work",
            NodeKind::Topic => "topic",
            NodeKind::Institution => "institution",
        }
    }

    pub fn colour(self) -> &'static str {
        match self {
            NodeKind::Person => "#2f5fb3",
            NodeKind::Work => "#c7791a",
            NodeKind::Topic => "#2e8b57",
            NodeKind::Institution => "#7b4fb0",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EdgeKind {
    /// A person wrote a work.
    Authored,
    /// Two people share works (weight: how many).
    CoAuthored,
    /// A work (or a person's record) is about a topic.
    AboutTopic,
    /// A person is affiliated with an institution.
    AffiliatedWith,
}

impl EdgeKind {
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Authored => "authored",
            EdgeKind::CoAuthored => "co-authored with",
            EdgeKind::AboutTopic => "about topic",
            EdgeKind::AffiliatedWith => "affiliated with",
        }
    }
}

/// A node's identity in addresses (`/explore?focus=a:ada-lovelace-1a2b&expand=t:12`): a kind
/// prefix and a slug or database id. A bare slug means a researcher.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKey {
    Author(String),
    Work(String),
    Topic(i64),
    Institution(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNodeKey;

impl fmt::Display for BadNodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a graph node: use a:<researcher>, w:<work>, t:<topic id> or i:<institution id>")
    }
}

impl NodeKey {
    pub fn parse(raw: &str) -> Result<Self, BadNodeKey> {
        let raw = raw.trim();
        let slug = |s: &str| crate::domain::slug::Slug::parse(s).map(|s| s.into_string()).map_err(|_| BadNodeKey);
        let id = |s: &str| s.parse::<i64>().ok().filter(|id| *id > 0).ok_or(BadNodeKey);
        match raw.split_once(':') {
            Some(("a", rest)) => slug(rest).map(NodeKey::Author),
            Some(("w", rest)) => slug(rest).map(NodeKey::Work),
            Some(("t", rest)) => id(rest).map(NodeKey::Topic),
            Some(("i", rest)) => id(rest).map(NodeKey::Institution),
            Some(_) => Err(BadNodeKey),
            None => slug(raw).map(NodeKey::Author),
        }
    }

    /// A comma-separated list, as in `expand=`; duplicates dropped, order kept, at most
    /// `MAX_EXPANDED`. Reading stops at the limit, so a long address costs no more than a short one.
    pub fn parse_list(raw: &str) -> Result<Vec<Self>, BadNodeKey> {
        let mut keys: Vec<NodeKey> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if keys.len() == MAX_EXPANDED {
                break;
            }
            let key = NodeKey::parse(part)?;
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    pub fn kind(&self) -> NodeKind {
        match self {
            NodeKey::Author(_) => NodeKind::Person,
            NodeKey::Work(_) => NodeKind::Work,
            NodeKey::Topic(_) => NodeKind::Topic,
            NodeKey::Institution(_) => NodeKind::Institution,
        }
    }

    /// The node's own page: a profile or a work page; topics and institutions open the explorer.
    pub fn href(&self) -> String {
        match self {
            NodeKey::Author(slug) => format!("/authors/{slug}"),
            NodeKey::Work(slug) => format!("/works/{slug}"),
            other => format!("/explore?focus={other}"),
        }
    }
}

impl fmt::Display for NodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeKey::Author(slug) => write!(f, "a:{slug}"),
            NodeKey::Work(slug) => write!(f, "w:{slug}"),
            NodeKey::Topic(id) => write!(f, "t:{id}"),
            NodeKey::Institution(id) => write!(f, "i:{id}"),
        }
    }
}

/// The explorer address for a focus and the nodes expanded around it.
pub fn explorer_href(focus: &str, expanded: &[String]) -> String {
    if expanded.is_empty() {
        format!("/explore?focus={focus}")
    } else {
        format!("/explore?focus={focus}&expand={}", expanded.join(","))
    }
}

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
            href: key.href(),
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

/// A viewport: screen = world × scale + offset, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scale: f32,
    pub tx: f32,
    pub ty: f32,
}

impl Viewport {
    /// The viewport that shows all of `nodes` inside `width` × `height` with `margin` around.
    pub fn fit(nodes: &[GraphNode], width: f32, height: f32, margin: f32) -> Self {
        let (min, max) = bounds(nodes);
        let (w, h) = ((max[0] - min[0]).max(1.0), (max[1] - min[1]).max(1.0));
        let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h).clamp(0.05, 4.0);
        Viewport { scale, tx: width / 2.0 - (min[0] + w / 2.0) * scale, ty: height / 2.0 - (min[1] + h / 2.0) * scale }
    }

    pub fn to_screen(&self, p: [f32; 2]) -> [f32; 2] {
        [p[0] * self.scale + self.tx, p[1] * self.scale + self.ty]
    }

    /// A node's radius on screen: it grows with zoom, within bounds; the focus a little larger.
    pub fn node_radius(&self, node: &GraphNode, focus: bool) -> f32 {
        node.radius() * self.scale.clamp(0.6, 2.0) + if focus { 3.0 } else { 0.0 }
    }

    pub fn to_world(&self, s: [f32; 2]) -> [f32; 2] {
        [(s[0] - self.tx) / self.scale, (s[1] - self.ty) / self.scale]
    }

    /// Zooms by `factor` keeping the screen point `at` still.
    pub fn zoom_at(&mut self, factor: f32, at: [f32; 2]) {
        let world = self.to_world(at);
        self.scale = (self.scale * factor).clamp(0.05, 12.0);
        self.tx = at[0] - world[0] * self.scale;
        self.ty = at[1] - world[1] * self.scale;
    }
}

/// The bounding box of the nodes, radii included.
pub fn bounds(nodes: &[GraphNode]) -> ([f32; 2], [f32; 2]) {
    if nodes.is_empty() {
        return ([-1.0, -1.0], [1.0, 1.0]);
    }
    let mut min = [f32::MAX, f32::MAX];
    let mut max = [f32::MIN, f32::MIN];
    for n in nodes {
        let r = n.radius();
        min = [min[0].min(n.x - r), min[1].min(n.y - r)];
        max = [max[0].max(n.x + r), max[1].max(n.y + r)];
    }
    (min, max)
}

/// Node indices in label priority: the focus, then by weight (heaviest first), then by key.
pub fn label_order(nodes: &[GraphNode]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| (b == 0).cmp(&(a == 0)).then(nodes[b].weight.total_cmp(&nodes[a].weight)).then(a.cmp(&b)));
    order
}

/// Shortens a label to `max` characters, with an ellipsis.
pub fn short_label(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Labels that fit without overlapping: walks `candidates` (screen position, text width) in
/// priority order and keeps each whose box clears those kept before, up to `max`.
pub fn declutter(candidates: impl IntoIterator<Item = (usize, [f32; 2], f32)>, height: f32, max: usize) -> Vec<usize> {
    let mut kept: Vec<(usize, [f32; 4])> = Vec::new();
    for (i, at, width) in candidates {
        if kept.len() >= max {
            break;
        }
        let b = [at[0] - width / 2.0, at[1], at[0] + width / 2.0, at[1] + height];
        if kept.iter().all(|(_, k)| b[2] < k[0] || b[0] > k[2] || b[3] < k[1] || b[1] > k[3]) {
            kept.push((i, b));
        }
    }
    kept.into_iter().map(|(i, _)| i).collect()
}

/// `value` with three decimals ("1.250"), without Rust's float formatter, which would be the
/// largest single piece of the browser's wasm for what the canvas publishes.
pub fn thousandths(value: f32) -> String {
    let n = (f64::from(value) * 1000.0).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    format!("{sign}{}.{:03}", n / 1000, n % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousandths_match_the_float_formatter() {
        for v in [0.0f32, 1.0, 1.25, -0.5, -0.0004, 0.0005, 12.3456, -3.2, 1e6] {
            assert_eq!(thousandths(v), format!("{:.3}", f64::from(v)).replace("-0.000", "0.000"), "{v}");
        }
    }

    #[test]
    fn lower_case_plurals_are_the_plurals() {
        for kind in NodeKind::ALL {
            assert_eq!(kind.plural_lower(), kind.plural().to_lowercase());
        }
    }

    fn author(slug: &str) -> NodeKey {
        NodeKey::Author(slug.to_owned())
    }

    #[test]
    fn node_keys_parse_and_print_back() {
        for raw in ["a:ada-lovelace-1a2b", "w:on-engines-9f", "t:12", "i:7"] {
            assert_eq!(NodeKey::parse(raw).map(|k| k.to_string()), Ok(raw.to_owned()));
        }
        assert_eq!(NodeKey::parse("ada-lovelace"), Ok(author("ada-lovelace")));
        for bad in ["", "x:1", "t:0", "t:-3", "w:UPPER", "a:<script>", "t:abc"] {
            assert_eq!(NodeKey::parse(bad), Err(BadNodeKey), "{bad}");
        }
        let list = NodeKey::parse_list("t:1, a:b,t:1,,w:c").expect("a valid list");
        assert_eq!(list, vec![NodeKey::Topic(1), author("b"), NodeKey::Work("c".into())]);
        let long = (1..100).map(|i| format!("t:{i}")).collect::<Vec<_>>().join(",");
        assert_eq!(NodeKey::parse_list(&long).map(|l| l.len()), Ok(MAX_EXPANDED));
    }

    #[test]
    fn a_long_expand_list_is_cut_before_it_is_read_whole() {
        // Keys past the limit are not even parsed: a broken one there does not matter.
        let mut list = (1..=MAX_EXPANDED).map(|i| format!("t:{i}")).collect::<Vec<_>>();
        list.push("not a key".to_owned());
        assert_eq!(NodeKey::parse_list(&list.join(",")).map(|l| l.len()), Ok(MAX_EXPANDED));
        // Thousands of distinct keys (the de-duplication used to be quadratic) parse at once.
        let huge = (1..=50_000).map(|i| format!("t:{i}")).collect::<Vec<_>>().join(",");
        let started = std::time::Instant::now();
        assert_eq!(NodeKey::parse_list(&huge).map(|l| l.len()), Ok(MAX_EXPANDED));
        assert!(started.elapsed() < std::time::Duration::from_millis(100), "{:?}", started.elapsed());
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

    fn star(n: usize) -> GraphSlice {
        let mut b = SliceBuilder::default();
        let focus = b.seed(&author("focus"), "Focus");
        for i in 0..n {
            let w = b.node(&NodeKey::Work(format!("w{i}")), "Work", 1.0);
            b.edge(focus, w, EdgeKind::Authored, 1);
        }
        b.finish(&author("focus"), 100, vec![])
    }

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

    #[test]
    fn the_viewport_fits_and_zooms_about_a_point() {
        let mut slice = star(10);
        slice.lay_out(3, &HashMap::new());
        let view = Viewport::fit(&slice.nodes, 800.0, 400.0, 20.0);
        for n in &slice.nodes {
            let s = view.to_screen([n.x, n.y]);
            assert!((19.0..=781.0).contains(&s[0]) && (19.0..=381.0).contains(&s[1]), "{s:?}");
        }
        let mut zoomed = view;
        zoomed.zoom_at(2.0, [100.0, 50.0]);
        assert_eq!(zoomed.scale, view.scale * 2.0);
        let before = view.to_world([100.0, 50.0]);
        let after = zoomed.to_world([100.0, 50.0]);
        assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);
    }

    #[test]
    fn labels_declutter_in_priority_order() {
        let candidates = vec![(0, [100.0, 100.0], 80.0), (1, [110.0, 104.0], 80.0), (2, [300.0, 100.0], 50.0)];
        assert_eq!(declutter(candidates.clone(), 12.0, 10), vec![0, 2]);
        assert_eq!(declutter(candidates, 12.0, 1), vec![0]);
        assert_eq!(short_label("Ada Lovelace", 5), "Ada …");
    }
}
