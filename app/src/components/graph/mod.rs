//! The research graph view used by profiles, work pages and the explorer: the server paints the
//! slice as an inline SVG with a legend and a plain list of neighbours (complete without
//! JavaScript); the graph is an island, and in the browser a canvas takes over from the same
//! positions (`canvas`).

#[cfg(feature = "hydrate")]
mod canvas;
#[cfg(feature = "hydrate")]
pub mod draw;
mod list;
mod svg;

use crate::components::islands::hydrated_marker;
use crate::domain::graph::{EdgeKind, GraphSlice, NodeKind};
use leptos::prelude::*;

pub use list::NeighbourList;

/// Whether the graph sits inline on a page (click opens a node) or fills the explorer (click
/// selects, double-click or Enter expands).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum GraphMode {
    Inline,
    /// The explorer, with its focus key.
    Explorer {
        focus: String,
    },
}

/// The graph as the server draws it (SVG), inside the island that brings it to life.
#[component]
pub fn GraphView(
    slice: GraphSlice,
    mode: GraphMode,
    /// What the graph shows, for its accessible name ("Research graph around Ada Lovelace").
    name: String,
) -> AnyView {
    #[cfg(feature = "ssr")]
    let svg_markup = svg::graph_svg(&slice, &mode, &name);
    #[cfg(not(feature = "ssr"))]
    let svg_markup = String::new();
    // Erased on the server so the pages around it keep types small enough to compile.
    view! {
        <GraphCanvas slice mode name>
            <div class="svg-box" inner_html=svg_markup></div>
        </GraphCanvas>
    }
    .into_any()
}

/// The toolbar (filters, zoom), the canvas, tooltip and announcements around the server's SVG
/// (`children`), which stays as the no-JavaScript view.
#[island]
pub fn GraphCanvas(slice: GraphSlice, mode: GraphMode, name: String, children: Children) -> impl IntoView {
    let live = RwSignal::new(false);
    let announce = RwSignal::new(String::new());
    let tooltip = RwSignal::new(None::<(String, f32, f32)>);
    let hidden = RwSignal::new([false; 4]);
    let zoom = RwSignal::new(None::<f32>);
    let reset = RwSignal::new(0u32);
    let canvas_ref = NodeRef::<leptos::html::Canvas>::new();
    #[cfg(feature = "hydrate")]
    canvas::attach(canvas::Wiring {
        slice: slice.clone(),
        mode: mode.clone(),
        canvas: canvas_ref,
        live,
        announce,
        tooltip,
        hidden,
        zoom,
        reset,
    });
    let explorer = matches!(mode, GraphMode::Explorer { .. });
    let counts: Vec<(NodeKind, usize)> = NodeKind::ALL.iter().map(|k| (*k, slice.count(*k))).collect();
    let cites = slice.edges.iter().filter(|e| e.kind == EdgeKind::Cites).count();
    let instructions = if explorer {
        "Drag to pan, scroll or pinch to zoom, drag a node to move it. Click selects, double-click expands. Keyboard: arrow keys move between neighbours, Enter expands, O opens, Escape leaves."
    } else {
        "Drag to pan, scroll or pinch to zoom, drag a node to move it, click a node to open it. Keyboard: arrow keys move between neighbours, Enter opens, Escape leaves."
    };
    view! {
        <figure class="graph" class:explorer=explorer data-live=move || live.get().then_some("true")
            data-island="graph" data-hydrated=hydrated_marker()>
            <div class="graph-toolbar">
                <ul class="legend" aria-label="Legend">
                    {counts.into_iter().map(|(kind, n)| {
                        let index = kind as usize;
                        view! {
                            <li>
                                <label>
                                    <input type="checkbox" class="js-only" checked=true aria-label=format!("Show {}", kind.plural_lower())
                                        on:change=move |_| hidden.update(|h| h[index] = !h[index]) />
                                    <span class=format!("swatch {}", kind.class()) aria-hidden="true"></span>
                                    {format!("{} ({n})", kind.plural())}
                                </label>
                            </li>
                        }
                    }).collect_view()}
                    {(cites > 0).then(|| view! {
                        <li class="edge-key"><span class="edge-swatch" aria-hidden="true"></span>{format!("Citations ({cites})")}</li>
                    })}
                </ul>
                <div class="zoom-buttons js-only" role="group" aria-label="Zoom">
                    <button type="button" on:click=move |_| zoom.set(Some(1.25)) aria-label="Zoom in">"+"</button>
                    <button type="button" on:click=move |_| zoom.set(Some(0.8)) aria-label="Zoom out">"−"</button>
                    <button type="button" on:click=move |_| zoom.set(Some(0.0)) aria-label="Fit to view">"Fit"</button>
                    {explorer.then(|| view! { <button type="button" on:click=move |_| reset.update(|r| *r += 1)>"Reset layout"</button> })}
                </div>
            </div>
            <div class="graph-stage">
                {children()}
                <canvas node_ref=canvas_ref tabindex="0" role="application" aria-roledescription="graph"
                    aria-label=format!("{name}. {instructions}")></canvas>
                {move || tooltip.get().map(|(text, x, y)| view! {
                    <div class="graph-tooltip" role="tooltip" style=format!("left:{}px;top:{}px", x.round() as i32, y.round() as i32)>{text}</div>
                })}
            </div>
            <p class="visually-hidden" aria-live="polite">{move || announce.get()}</p>
            <figcaption class="muted">
                {if slice.omitted > 0 { format!("{} nodes and {} links shown; {} more left out.", slice.nodes.len(), slice.edges.len(), slice.omitted) } else { format!("{} nodes and {} links.", slice.nodes.len(), slice.edges.len()) }}
            </figcaption>
        </figure>
    }
}
