//! The frame half of the benchmark: a graph slice built from the page's arrays, drawn each frame by the
//! app's own canvas renderer (`components::graph::draw::paint`), exactly as the live graph calls it.

use app::components::graph::draw::{paint, PaintState};
use app::domain::graph::palette::Palette;
use app::domain::graph::{label_order, EdgeKind, GraphEdge, GraphNode, GraphSlice, NodeKind, Viewport};
use wasm_bindgen::prelude::*;
use web_sys::CanvasRenderingContext2d;

/// The margin the view is fitted with, in CSS pixels.
const MARGIN: f32 = 20.0;

/// One graph, its fitted view and its label order, ready to be painted again and again.
#[wasm_bindgen]
pub struct FrameBench {
    slice: GraphSlice,
    view: Viewport,
    order: Vec<usize>,
    size: [f32; 2],
    dpr: f32,
}

fn node_kind(k: u8) -> NodeKind {
    NodeKind::ALL[usize::from(k) % NodeKind::ALL.len()]
}

fn edge_kind(k: u8) -> EdgeKind {
    match k {
        1 => EdgeKind::CoAuthored,
        2 => EdgeKind::AboutTopic,
        3 => EdgeKind::AffiliatedWith,
        _ => EdgeKind::Authored,
    }
}

#[wasm_bindgen]
impl FrameBench {
    /// Nodes come as flat positions, kinds (NodeKind order), weights and `\n`-separated labels; edges
    /// as flat endpoint pairs with kinds (EdgeKind order) and weights. The view fits the whole graph.
    #[wasm_bindgen(constructor)]
    #[expect(clippy::too_many_arguments, reason = "flat arrays from the page, one per field")]
    pub fn new(
        edges: &[u32],
        pos: &[f32],
        node_kinds: &[u8],
        edge_kinds: &[u8],
        edge_weights: &[u32],
        weights: &[f32],
        labels: &str,
        width: f32,
        height: f32,
        dpr: f32,
    ) -> Result<FrameBench, JsError> {
        let n = node_kinds.len();
        if pos.len() != 2 * n || weights.len() != n || edges.len() != 2 * edge_kinds.len() {
            return Err(JsError::new("positions, kinds and weights must describe the same nodes and edges"));
        }
        if edge_weights.len() != edge_kinds.len() || edges.iter().any(|&v| v as usize >= n) {
            return Err(JsError::new("edges must be pairs of node indices, each with a kind and a weight"));
        }
        let mut labels = labels.split('\n');
        let nodes = (0..n)
            .map(|i| GraphNode {
                key: format!("t:{}", i + 1),
                kind: node_kind(node_kinds[i]),
                label: labels.next().unwrap_or_default().to_owned(),
                href: String::new(),
                weight: weights[i],
                x: pos[2 * i],
                y: pos[2 * i + 1],
            })
            .collect::<Vec<_>>();
        let edges = edges
            .chunks_exact(2)
            .zip(edge_kinds.iter().zip(edge_weights))
            .map(|(e, (&kind, &weight))| GraphEdge { source: e[0], target: e[1], kind: edge_kind(kind), weight })
            .collect();
        let view = Viewport::fit(&nodes, width, height, MARGIN);
        let order = label_order(&nodes);
        let slice = GraphSlice { nodes, edges, expanded: Vec::new(), omitted: 0 };
        Ok(FrameBench { slice, view, order, size: [width, height], dpr })
    }

    #[wasm_bindgen(getter)]
    pub fn scale(&self) -> f32 {
        self.view.scale
    }

    #[wasm_bindgen(getter)]
    pub fn tx(&self) -> f32 {
        self.view.tx
    }

    #[wasm_bindgen(getter)]
    pub fn ty(&self) -> f32 {
        self.view.ty
    }

    /// The label priority the renderer uses, so the plain-JS loop labels the same nodes.
    pub fn label_order(&self) -> Vec<u32> {
        self.order.iter().map(|&i| i as u32).collect()
    }

    /// One frame through the app's renderer.
    pub fn draw(&self, ctx: &CanvasRenderingContext2d) {
        let state = PaintState {
            width: self.size[0],
            height: self.size[1],
            dpr: self.dpr,
            hidden: [false; 4],
            active: None,
            label_order: &self.order,
            palette: &Palette::LIGHT,
        };
        paint(ctx, &self.slice, &self.view, &state);
    }
}
