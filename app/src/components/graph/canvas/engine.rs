//! The engine's life: built from the server's positions (or the remembered ones), it runs the
//! layout in time slices on animation frames, fits the view, paints, and remembers positions.

use super::{positions, Engine, Gesture, Signals};
use crate::components::graph::draw::{paint, PaintState};
use crate::components::graph::GraphMode;
use crate::domain::graph::palette::Palette;
use crate::domain::graph::{label_order, thousandths, GraphSlice, Viewport, GRAPH_SEED};
use leptos::prelude::Set;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};

/// Layout work per animation frame, in milliseconds: the page never freezes.
const SLICE_MS: f64 = 8.0;

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

/// Whether the page matches a media query (`prefers-color-scheme: dark`, ...).
fn prefers(query: &str) -> bool {
    web_sys::window().and_then(|w| w.match_media(query).ok().flatten()).is_some_and(|m| m.matches())
}

impl Engine {
    pub(super) fn new(
        canvas: HtmlCanvasElement,
        mut slice: GraphSlice,
        mode: GraphMode,
        memory: Option<String>,
        navigate: Rc<dyn Fn(&str)>,
        wiring: Signals,
    ) -> Option<Self> {
        let ctx = canvas.get_context("2d").ok().flatten()?.dyn_into::<CanvasRenderingContext2d>().ok()?;
        let remembered = memory.as_deref().map(positions::load).unwrap_or_default();
        let known_all = slice.nodes.iter().all(|n| remembered.contains_key(&n.key));
        let use_memory = slice.nodes.iter().any(|n| remembered.contains_key(&n.key));
        let mut sim = if use_memory {
            slice.simulation(GRAPH_SEED, &remembered)
        } else {
            // The server's positions, already settled: the canvas starts exactly where the SVG was.
            let server: HashMap<String, [f32; 2]> = slice.nodes.iter().map(|n| (n.key.clone(), [n.x, n.y])).collect();
            slice.simulation(GRAPH_SEED, &server)
        };
        let running = use_memory && !known_all;
        sim.alpha = if running { 0.5 } else { 0.0 };
        for (n, p) in slice.nodes.iter_mut().zip(&sim.pos) {
            (n.x, n.y) = (p[0], p[1]);
        }
        let adjacency = slice.adjacency();
        let order = label_order(&slice.nodes);
        let mut engine = Engine {
            canvas,
            ctx,
            adjacency,
            order,
            sim,
            running,
            autofit: false,
            moved_view: false,
            view: Viewport { scale: 1.0, tx: 0.0, ty: 0.0 },
            size: [0.0, 0.0],
            dpr: 1.0,
            hidden: [false; 4],
            hover: None,
            focused: None,
            gesture: Gesture::Idle,
            pointers: Vec::new(),
            scheduled: false,
            pending_click: None,
            wiring,
            mode,
            memory,
            navigate,
            slice,
            last_attrs: (String::new(), String::new()),
            palette: if prefers("(prefers-color-scheme: dark)") { &Palette::DARK } else { &Palette::LIGHT },
            reduced_motion: prefers("(prefers-reduced-motion: reduce)"),
        };
        engine.resize();
        engine.fit();
        Some(engine)
    }

    /// Matches the backing store to the CSS size times the device pixel ratio.
    pub(super) fn resize(&mut self) {
        let (w, h) = (self.canvas.client_width() as f32, self.canvas.client_height() as f32);
        let dpr = web_sys::window().map_or(1.0, |w| w.device_pixel_ratio() as f32).max(1.0);
        if w <= 0.0 || h <= 0.0 || ([w, h] == self.size && dpr == self.dpr) {
            return;
        }
        let centre = self.view.to_world([self.size[0] / 2.0, self.size[1] / 2.0]);
        self.size = [w, h];
        self.dpr = dpr;
        self.canvas.set_width((w * dpr).round() as u32);
        self.canvas.set_height((h * dpr).round() as u32);
        if self.moved_view {
            // Keep what the user was looking at in the middle.
            self.view.tx = w / 2.0 - centre[0] * self.view.scale;
            self.view.ty = h / 2.0 - centre[1] * self.view.scale;
        } else {
            self.fit();
        }
    }

    /// The same fit as the server's SVG (its margin scaled to this width), so nothing jumps.
    pub(super) fn fit(&mut self) {
        let margin = crate::components::graph::svg::MARGIN * self.size[0] / crate::components::graph::svg::WIDTH;
        self.view = Viewport::fit(&self.slice.nodes, self.size[0].max(1.0), self.size[1].max(1.0), margin);
        self.moved_view = false;
    }

    /// One animation frame: a time slice of layout, then a paint. True while more frames are needed.
    pub(super) fn frame(&mut self) -> bool {
        self.scheduled = false;
        if self.running {
            let start = now();
            while !self.sim.is_settled() && now() - start < SLICE_MS {
                self.sim.tick();
            }
            // Less motion asked for: no frame of the settling is shown, only where it ends.
            if self.reduced_motion && !self.sim.is_settled() {
                return true;
            }
            for (n, p) in self.slice.nodes.iter_mut().zip(&self.sim.pos) {
                (n.x, n.y) = (p[0], p[1]);
            }
            if self.sim.is_settled() && matches!(self.gesture, Gesture::Idle | Gesture::Pan { .. }) {
                self.running = false;
                self.autofit = false;
                self.remember();
            }
            if self.autofit {
                self.fit();
            }
        }
        let state = PaintState {
            width: self.size[0],
            height: self.size[1],
            dpr: self.dpr,
            hidden: self.hidden,
            active: self.hover.or(self.focused),
            label_order: &self.order,
            palette: self.palette,
        };
        paint(&self.ctx, &self.slice, &self.view, &state);
        self.publish();
        self.running
    }

    /// Attributes a test (or a curious user) can read: the zoom scale and where the keyboard
    /// focus is, in CSS pixels from the canvas's corner.
    fn publish(&mut self) {
        let scale = thousandths(self.view.scale);
        let at = self
            .focused
            .map(|i| {
                let p = self.view.to_screen([self.slice.nodes[i].x, self.slice.nodes[i].y]);
                format!("{},{}", p[0].round() as i32, p[1].round() as i32)
            })
            .unwrap_or_default();
        if self.last_attrs != (scale.clone(), at.clone()) {
            let _ = self.canvas.set_attribute("data-scale", &scale);
            let _ = self.canvas.set_attribute("data-focus-at", &at);
            self.last_attrs = (scale, at);
        }
    }

    pub(super) fn remember(&self) {
        if let Some(focus) = &self.memory {
            let mut known = positions::load(focus);
            for n in &self.slice.nodes {
                known.insert(n.key.clone(), [n.x, n.y]);
            }
            positions::save(focus, &known);
        }
    }

    pub(super) fn reset_layout(&mut self) {
        if let Some(focus) = &self.memory {
            positions::save(focus, &HashMap::new());
        }
        self.sim = self.slice.simulation(GRAPH_SEED, &HashMap::new());
        self.running = true;
        self.autofit = true;
        self.wiring.announce.set("Layout reset.".to_owned());
    }
}
