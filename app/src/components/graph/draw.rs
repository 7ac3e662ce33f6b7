//! Paints a laid-out slice on a 2D canvas: edges batched into one path per kind, each node filled
//! on its own, rings for the focus and the active node, then decluttered labels with a halo.
//! Crisp on high-DPI screens (the backing store is `dpr` times the CSS size).

use crate::domain::graph::palette::Palette;
use crate::domain::graph::{declutter, short_label, EdgeKind, GraphSlice, NodeKind, Viewport};
use web_sys::CanvasRenderingContext2d;

pub const LABEL_FONT: &str = "12px system-ui, sans-serif";
const CHAR_WIDTH: f32 = 6.6;
const LABEL_HEIGHT: f32 = 15.0;
const LABEL_CHARS: usize = 32;
/// Labels drawn at most, and candidates considered for them, per frame.
const MAX_LABELS: usize = 40;
const LABEL_CANDIDATES: usize = 600;

/// What, besides the slice and the viewport, a frame shows.
pub struct PaintState<'a> {
    /// CSS pixels.
    pub width: f32,
    pub height: f32,
    pub dpr: f32,
    /// Kinds filtered out, indexed by `NodeKind as usize`.
    pub hidden: [bool; 4],
    /// The node under the pointer, or the one keyboard focus is on: drawn ringed, its links
    /// highlighted and its label first.
    pub active: Option<usize>,
    /// Node indices in label priority (`domain::graph::label_order`).
    pub label_order: &'a [usize],
    pub palette: &'a Palette,
}

// Edges are one pixel wide, told apart by colour: wider lines cost several times more to
// rasterise in Chromium's software path (measured by `make bench-graph`).

pub fn paint(ctx: &CanvasRenderingContext2d, slice: &GraphSlice, view: &Viewport, state: &PaintState<'_>) {
    let dpr = f64::from(state.dpr);
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, f64::from(state.width), f64::from(state.height));
    let nodes = &slice.nodes;
    let shown = |i: usize| !state.hidden[nodes[i].kind as usize];
    let at = |i: usize| view.to_screen([nodes[i].x, nodes[i].y]);
    let on_screen = |p: [f32; 2], r: f32| p[0] > -r && p[1] > -r && p[0] < state.width + r && p[1] < state.height + r;

    for kind in
        [EdgeKind::Authored, EdgeKind::AboutTopic, EdgeKind::AffiliatedWith, EdgeKind::Cites, EdgeKind::CoAuthored]
    {
        ctx.begin_path();
        for e in slice.edges.iter().filter(|e| e.kind == kind) {
            let (s, t) = (e.source as usize, e.target as usize);
            if shown(s) && shown(t) {
                let (a, b) = (at(s), at(t));
                ctx.move_to(f64::from(a[0]), f64::from(a[1]));
                ctx.line_to(f64::from(b[0]), f64::from(b[1]));
            }
        }
        ctx.set_stroke_style_str(state.palette.edge(kind));
        ctx.set_line_width(1.0);
        ctx.stroke();
    }
    if let Some(active) = state.active.filter(|&a| a < nodes.len() && shown(a)) {
        ctx.begin_path();
        for e in slice.edges.iter().filter(|e| e.source as usize == active || e.target as usize == active) {
            let (s, t) = (e.source as usize, e.target as usize);
            if shown(s) && shown(t) {
                let (a, b) = (at(s), at(t));
                ctx.move_to(f64::from(a[0]), f64::from(a[1]));
                ctx.line_to(f64::from(b[0]), f64::from(b[1]));
            }
        }
        ctx.set_stroke_style_str(state.palette.active_edge);
        ctx.set_line_width(1.8);
        ctx.stroke();
    }

    // One small path per node: cheaper to fill than one path of thousands of arcs.
    for kind in NodeKind::ALL {
        if state.hidden[kind as usize] {
            continue;
        }
        ctx.set_fill_style_str(state.palette.node(kind));
        for (i, n) in nodes.iter().enumerate().filter(|(_, n)| n.kind == kind) {
            let (p, r) = (at(i), view.node_radius(n, i == 0));
            if on_screen(p, r) {
                ctx.begin_path();
                let _ = ctx.arc(f64::from(p[0]), f64::from(p[1]), f64::from(r), 0.0, std::f64::consts::TAU);
                ctx.fill();
            }
        }
    }
    let ring = |i: usize, colour: &str, width: f64| {
        if i < nodes.len() && shown(i) {
            let (p, r) = (at(i), view.node_radius(&nodes[i], i == 0) + 2.5);
            ctx.begin_path();
            let _ = ctx.arc(f64::from(p[0]), f64::from(p[1]), f64::from(r), 0.0, std::f64::consts::TAU);
            ctx.set_stroke_style_str(colour);
            ctx.set_line_width(width);
            ctx.stroke();
        }
    };
    ring(0, state.palette.ink, 2.0);
    if let Some(active) = state.active {
        ring(active, state.palette.highlight, 3.0);
    }

    // Labels: the active node, the focus, then by weight; only those that fit.
    let candidates = state
        .active
        .into_iter()
        .chain(state.label_order.iter().copied().filter(|&i| Some(i) != state.active))
        .filter(|&i| i < nodes.len() && shown(i))
        .filter(|&i| on_screen(at(i), 0.0))
        .take(LABEL_CANDIDATES)
        .map(|i| {
            let width = nodes[i].label.chars().count().min(LABEL_CHARS) as f32 * CHAR_WIDTH;
            let p = at(i);
            (i, [p[0], p[1] + view.node_radius(&nodes[i], i == 0) + 2.0], width)
        });
    let labels = declutter(candidates, LABEL_HEIGHT, MAX_LABELS);
    ctx.set_font(LABEL_FONT);
    ctx.set_text_align("center");
    ctx.set_text_baseline("top");
    ctx.set_line_width(3.0);
    ctx.set_stroke_style_str(state.palette.halo);
    ctx.set_fill_style_str(state.palette.ink);
    for i in labels {
        let text = short_label(&nodes[i].label, LABEL_CHARS);
        let p = at(i);
        let y = f64::from(p[1] + view.node_radius(&nodes[i], i == 0) + 3.0);
        let _ = ctx.stroke_text(&text, f64::from(p[0]), y);
        let _ = ctx.fill_text(&text, f64::from(p[0]), y);
    }
}
