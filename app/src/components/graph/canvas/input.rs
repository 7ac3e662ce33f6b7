//! What the user does to the canvas: pointer gestures (hover, drag, pan, pinch), clicks and
//! double-clicks, the wheel, and keyboard navigation with its announcements.

use super::{Cell, Engine, Gesture};
use crate::components::graph::GraphMode;
use crate::domain::graph::explorer_href;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Event, KeyboardEvent, PointerEvent, WheelEvent};

/// Pointer travel (CSS px) that turns a press into a drag.
const DRAG_SLOP: f32 = 4.0;
/// How long the explorer waits for a second click before treating a click as a click.
const DOUBLE_CLICK_MS: u64 = 260;

fn point(ev: &Event) -> [f32; 2] {
    ev.dyn_ref::<web_sys::MouseEvent>().map_or([0.0, 0.0], |m| [m.offset_x() as f32, m.offset_y() as f32])
}

fn pointer_id(ev: &Event) -> i32 {
    ev.dyn_ref::<PointerEvent>().map_or(0, PointerEvent::pointer_id)
}

impl Engine {
    fn hit(&self, at: [f32; 2]) -> Option<usize> {
        let mut best = None;
        let mut best_d = f32::MAX;
        for (i, n) in self.slice.nodes.iter().enumerate() {
            if self.hidden[n.kind as usize] {
                continue;
            }
            let p = self.view.to_screen([n.x, n.y]);
            let d = ((p[0] - at[0]).powi(2) + (p[1] - at[1]).powi(2)).sqrt();
            if d <= self.view.node_radius(n, i == 0) + 4.0 && d < best_d {
                best = Some(i);
                best_d = d;
            }
        }
        best
    }

    pub(super) fn pointer_down(&mut self, ev: &Event) {
        let (id, at) = (pointer_id(ev), point(ev));
        let _ = self.canvas.set_pointer_capture(id);
        self.pointers.retain(|(p, _)| *p != id);
        self.pointers.push((id, at));
        self.wiring.tooltip.set(None);
        self.gesture = if self.pointers.len() >= 2 {
            Gesture::Pinch { last_distance: self.pinch_distance() }
        } else if let Some(index) = self.hit(at) {
            Gesture::Node { index, start: at, moved: false }
        } else {
            Gesture::Pan { last: at }
        };
    }

    fn pinch_distance(&self) -> f32 {
        match self.pointers.as_slice() {
            [(_, a), (_, b), ..] => ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt().max(1.0),
            _ => 1.0,
        }
    }

    pub(super) fn pointer_move(&mut self, ev: &Event) {
        let (id, at) = (pointer_id(ev), point(ev));
        if let Some(p) = self.pointers.iter_mut().find(|(p, _)| *p == id) {
            p.1 = at;
        }
        match &mut self.gesture {
            Gesture::Idle => {
                self.hover = self.hit(at);
                let tip = self.hover.map(|i| {
                    let n = &self.slice.nodes[i];
                    (format!("{} · {}", n.label, n.kind.noun()), at[0] + 14.0, at[1] + 14.0)
                });
                let _ = web_sys::HtmlElement::style(&self.canvas)
                    .set_property("cursor", if tip.is_some() { "pointer" } else { "grab" });
                self.wiring.tooltip.set(tip);
            }
            Gesture::Pan { last } => {
                self.view.tx += at[0] - last[0];
                self.view.ty += at[1] - last[1];
                *last = at;
                self.moved_view = true;
                self.autofit = false;
            }
            Gesture::Node { index, start, moved } => {
                if !*moved && ((at[0] - start[0]).powi(2) + (at[1] - start[1]).powi(2)).sqrt() > DRAG_SLOP {
                    *moved = true;
                }
                if *moved {
                    let i = *index;
                    let world = self.view.to_world(at);
                    self.sim.pin(i, world);
                    self.slice.nodes[i].x = world[0];
                    self.slice.nodes[i].y = world[1];
                    self.sim.reheat(0.3);
                    self.running = true;
                }
            }
            Gesture::Pinch { last_distance } => {
                let last = *last_distance;
                let d = self.pinch_distance();
                if let [(_, a), (_, b), ..] = self.pointers.as_slice() {
                    let mid = [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0];
                    self.view.zoom_at(d / last, mid);
                    self.moved_view = true;
                }
                self.gesture = Gesture::Pinch { last_distance: d };
            }
        }
    }

    pub(super) fn pointer_up(&mut self, ev: &Event, cell: &Cell) {
        let id = pointer_id(ev);
        self.pointers.retain(|(p, _)| *p != id);
        let gesture = std::mem::replace(&mut self.gesture, Gesture::Idle);
        match gesture {
            Gesture::Node { index, moved: false, .. } => self.click(index, cell),
            Gesture::Node { index, moved: true, .. } if index != 0 => self.sim.unpin(index),
            Gesture::Pinch { .. } if self.pointers.len() == 1 => {
                self.gesture = Gesture::Pan { last: self.pointers[0].1 };
            }
            _ => {}
        }
    }

    pub(super) fn pointer_cancel(&mut self, ev: &Event) {
        let id = pointer_id(ev);
        self.pointers.retain(|(p, _)| *p != id);
        if let Gesture::Node { index, .. } = self.gesture {
            if index != 0 {
                self.sim.unpin(index);
            }
        }
        self.gesture = Gesture::Idle;
    }

    fn click(&mut self, i: usize, cell: &Cell) {
        match &self.mode {
            GraphMode::Inline => self.open(i),
            GraphMode::Explorer { .. } => {
                // Wait a moment: a second click makes it a double-click (expand), not an open.
                self.set_focus(i);
                let cell = cell.clone();
                self.pending_click = set_timeout_with_handle(
                    move || {
                        if let Some(e) = cell.borrow_mut().as_mut() {
                            e.pending_click = None;
                            e.open(i);
                        }
                    },
                    std::time::Duration::from_millis(DOUBLE_CLICK_MS),
                )
                .ok();
            }
        }
    }

    pub(super) fn double_click(&mut self, ev: &Event) {
        if let Some(handle) = self.pending_click.take() {
            handle.clear();
        }
        if let Some(i) = self.hit(point(ev)) {
            self.expand(i);
        }
    }

    fn open(&self, i: usize) {
        self.remember();
        self.go(self.slice.nodes[i].href.clone());
    }

    /// Navigates once the current event is done with the engine (leaving the page disposes it).
    fn go(&self, href: String) {
        let navigate = self.navigate.clone();
        set_timeout(move || navigate(&href), std::time::Duration::ZERO);
    }

    fn expand(&mut self, i: usize) {
        let GraphMode::Explorer { focus } = &self.mode else { return self.open(i) };
        let key = &self.slice.nodes[i].key;
        if key == focus || self.slice.expanded.contains(key) {
            self.wiring.announce.set(format!("{} is already expanded.", self.slice.nodes[i].label));
            return;
        }
        let mut more = self.slice.expanded.clone();
        more.push(key.clone());
        self.wiring.announce.set(format!("Adding the neighbours of {}.", self.slice.nodes[i].label));
        self.remember();
        self.go(explorer_href(focus, &more));
    }

    pub(super) fn wheel(&mut self, ev: &Event) {
        let Some(w) = ev.dyn_ref::<WheelEvent>() else { return };
        ev.prevent_default();
        let lines = if w.delta_mode() == WheelEvent::DOM_DELTA_LINE { 16.0 } else { 1.0 };
        let factor = (-(w.delta_y() * lines) as f32 * 0.0015).exp();
        self.view.zoom_at(factor, point(ev));
        self.moved_view = true;
        self.autofit = false;
    }

    pub(super) fn set_focus(&mut self, i: usize) {
        self.focused = Some(i);
        let n = &self.slice.nodes[i];
        let links = self.adjacency[i].len();
        self.wiring.announce.set(format!(
            "{}, {}, {} link{}.",
            n.label,
            n.kind.noun(),
            links,
            if links == 1 { "" } else { "s" }
        ));
        // Keep the focused node on screen.
        let p = self.view.to_screen([n.x, n.y]);
        if p[0] < 0.0 || p[1] < 0.0 || p[0] > self.size[0] || p[1] > self.size[1] {
            self.view.tx += self.size[0] / 2.0 - p[0];
            self.view.ty += self.size[1] / 2.0 - p[1];
            self.moved_view = true;
        }
    }

    /// The neighbour of the focused node that lies most nearly in direction `dir`.
    fn neighbour_towards(&self, from: usize, dir: [f32; 2]) -> Option<usize> {
        let here = [self.slice.nodes[from].x, self.slice.nodes[from].y];
        self.adjacency[from]
            .iter()
            .map(|&j| j as usize)
            .filter(|&j| !self.hidden[self.slice.nodes[j].kind as usize])
            .map(|j| {
                let (dx, dy) = (self.slice.nodes[j].x - here[0], self.slice.nodes[j].y - here[1]);
                let len = (dx * dx + dy * dy).sqrt().max(1e-3);
                (j, (dx * dir[0] + dy * dir[1]) / len)
            })
            .filter(|(_, cos)| *cos > 0.1)
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(j, _)| j)
    }

    pub(super) fn key(&mut self, ev: &Event) {
        let Some(k) = ev.dyn_ref::<KeyboardEvent>() else { return };
        let dir = match k.key().as_str() {
            "ArrowRight" => Some([1.0, 0.0]),
            "ArrowLeft" => Some([-1.0, 0.0]),
            "ArrowUp" => Some([0.0, -1.0]),
            "ArrowDown" => Some([0.0, 1.0]),
            _ => None,
        };
        let from = self.focused.unwrap_or(0);
        if let Some(dir) = dir {
            ev.prevent_default();
            match self.neighbour_towards(from, dir) {
                Some(j) => self.set_focus(j),
                None => self
                    .wiring
                    .announce
                    .set(format!("No neighbour of {} in that direction.", self.slice.nodes[from].label)),
            }
            return;
        }
        match k.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                match self.mode {
                    GraphMode::Inline => self.open(from),
                    GraphMode::Explorer { .. } => self.expand(from),
                }
            }
            "o" | "O" => self.open(from),
            "+" | "=" => {
                self.view.zoom_at(1.25, [self.size[0] / 2.0, self.size[1] / 2.0]);
                self.moved_view = true;
            }
            "-" | "_" => {
                self.view.zoom_at(0.8, [self.size[0] / 2.0, self.size[1] / 2.0]);
                self.moved_view = true;
            }
            "0" => self.fit(),
            "Escape" => {
                self.focused = None;
                self.wiring.announce.set("Left the graph.".to_owned());
                let _ = self.canvas.blur();
            }
            _ => {}
        }
    }
}
