//! The server's picture of a slice: an inline SVG whose nodes are links with accessible names,
//! edges drawn as one path per kind, and decluttered labels. Visible before (or without) the WASM.

use super::GraphMode;
use crate::domain::graph::{declutter, explorer_href, label_order, short_label, EdgeKind, GraphSlice, Viewport};
use leptos::prelude::*;

/// The SVG's coordinate space (CSS scales it to the stage's width).
pub const WIDTH: f32 = 800.0;
pub const HEIGHT: f32 = 480.0;
pub const MARGIN: f32 = 24.0;
/// Label text: approximate width per character and line height, in SVG units.
pub const CHAR_WIDTH: f32 = 6.4;
pub const LABEL_HEIGHT: f32 = 14.0;
pub const LABEL_CHARS: usize = 28;

fn round(v: f32) -> String {
    format!("{:.1}", v)
}

pub fn graph_svg(slice: &GraphSlice, mode: &GraphMode, name: &str) -> AnyView {
    let view = Viewport::fit(&slice.nodes, WIDTH, HEIGHT, MARGIN);
    let at: Vec<[f32; 2]> = slice.nodes.iter().map(|n| view.to_screen([n.x, n.y])).collect();
    let paths: Vec<(String, String)> = [
        (EdgeKind::CoAuthored, "edge coauthored"),
        (EdgeKind::Authored, "edge authored"),
        (EdgeKind::AboutTopic, "edge topic"),
        (EdgeKind::AffiliatedWith, "edge affiliated"),
    ]
    .into_iter()
    .map(|(kind, class)| {
        let mut d = String::new();
        for e in slice.edges.iter().filter(|e| e.kind == kind) {
            let (a, b) = (at[e.source as usize], at[e.target as usize]);
            d.push_str(&format!("M{} {}L{} {}", round(a[0]), round(a[1]), round(b[0]), round(b[1])));
        }
        (class.to_owned(), d)
    })
    .filter(|(_, d)| !d.is_empty())
    .collect();
    let expanded = slice.expanded.clone();
    let link = |key: &str, href: &str| match mode {
        GraphMode::Inline => href.to_owned(),
        GraphMode::Explorer { focus } if key == focus || expanded.iter().any(|e| e == key) => href.to_owned(),
        GraphMode::Explorer { focus } => {
            let mut more = expanded.clone();
            more.push(key.to_owned());
            explorer_href(focus, &more)
        }
    };
    let nodes: Vec<AnyView> = slice
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| {
            let r = view.node_radius(n, i == 0);
            let class = format!("node {}{}", n.kind.class(), if i == 0 { " focus" } else { "" });
            let label = format!("{}, {}", n.label, n.kind.noun());
            let title = label.clone();
            view! {
                <a href=link(&n.key, &n.href) aria-label=label>
                    <circle cx=round(at[i][0]) cy=round(at[i][1]) r=round(r) class=class><title>{title}</title></circle>
                </a>
            }
            .into_any()
        })
        .collect();
    let candidates = label_order(&slice.nodes).into_iter().map(|i| {
        let text = short_label(&slice.nodes[i].label, LABEL_CHARS);
        let width = text.chars().count() as f32 * CHAR_WIDTH;
        (i, [at[i][0], at[i][1] + slice.nodes[i].radius() + 2.0], width)
    });
    let labels: Vec<AnyView> = declutter(candidates, LABEL_HEIGHT, 30)
        .into_iter()
        .map(|i| {
            let text = short_label(&slice.nodes[i].label, LABEL_CHARS);
            let y = at[i][1] + slice.nodes[i].radius() + 12.0;
            view! { <text x=round(at[i][0]) y=round(y) class=if i == 0 { "focus" } else { "" }>{text}</text> }
                .into_any()
        })
        .collect();
    view! {
        <svg class="graph-svg" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="group" aria-label=name.to_owned()>
            <g class="edges" aria-hidden="true">
                {paths.into_iter().map(|(class, d)| view! { <path class=class d=d /> }).collect_view()}
            </g>
            <g class="nodes">{nodes}</g>
            <g class="labels" aria-hidden="true">{labels}</g>
        </svg>
    }
    .into_any()
}
