//! The live graph in the browser: takes over from the server's SVG at the same positions, runs
//! the layout in time slices on animation frames (at most `SLICE_MS` of layout per frame), and
//! handles pan, zoom (wheel, pinch, buttons), node drag, hover, click, filters, keyboard
//! navigation with announcements, high-DPI backing stores and container resizes.

use super::draw::{paint, PaintState};
use super::GraphMode;
use crate::domain::graph::{explorer_href, label_order, thousandths, GraphSlice, Viewport, GRAPH_SEED};
use crate::domain::layout::Simulation;
use leptos::prelude::*;
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Event, HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent};

/// Layout work per animation frame, in milliseconds: the page never freezes.
const SLICE_MS: f64 = 8.0;
/// Pointer travel (CSS px) that turns a press into a drag.
const DRAG_SLOP: f32 = 4.0;
/// How long the explorer waits for a second click before treating a click as a click.
const DOUBLE_CLICK_MS: u64 = 260;

/// What `GraphView` hands over: the slice, the canvas and the signals the page shows.
pub struct Wiring {
    pub slice: GraphSlice,
    pub mode: GraphMode,
    pub canvas: NodeRef<leptos::html::Canvas>,
    pub live: RwSignal<bool>,
    pub announce: RwSignal<String>,
    pub tooltip: RwSignal<Option<(String, f32, f32)>>,
    pub hidden: RwSignal<[bool; 4]>,
    pub zoom: RwSignal<Option<f32>>,
    pub reset: RwSignal<u32>,
}

enum Gesture {
    Idle,
    Pan { last: [f32; 2] },
    Node { index: usize, start: [f32; 2], moved: bool },
    Pinch { last_distance: f32 },
}

struct Engine {
    canvas: HtmlCanvasElement,
    ctx: CanvasRenderingContext2d,
    slice: GraphSlice,
    adjacency: Vec<Vec<u32>>,
    order: Vec<usize>,
    sim: Simulation,
    running: bool,
    /// Refit the view every frame until the layout settles (after "Reset layout").
    autofit: bool,
    /// The user has panned or zoomed: resizes keep their view.
    moved_view: bool,
    view: Viewport,
    size: [f32; 2],
    dpr: f32,
    hidden: [bool; 4],
    hover: Option<usize>,
    focused: Option<usize>,
    gesture: Gesture,
    pointers: Vec<(i32, [f32; 2])>,
    scheduled: bool,
    pending_click: Option<leptos::prelude::TimeoutHandle>,
    wiring: Signals,
    mode: GraphMode,
    /// In the explorer, its focus: positions are remembered for the next slice around it.
    memory: Option<String>,
    navigate: Rc<dyn Fn(&str)>,
    last_attrs: (String, String),
}

#[derive(Clone, Copy)]
struct Signals {
    announce: RwSignal<String>,
    tooltip: RwSignal<Option<(String, f32, f32)>>,
}

type Cell = Rc<RefCell<Option<Engine>>>;
/// An event listener: the event's name and the closure behind it.
type Listener = (&'static str, Closure<dyn FnMut(Event)>);

/// Listeners on the canvas, removed when the view goes away.
struct Listeners {
    target: HtmlCanvasElement,
    list: Vec<Listener>,
    observer: Option<web_sys::ResizeObserver>,
    _observer_callback: Option<Closure<dyn FnMut(js_sys::Array)>>,
}

impl Drop for Listeners {
    fn drop(&mut self) {
        for (name, cb) in &self.list {
            let _ = self.target.remove_event_listener_with_callback(name, cb.as_ref().unchecked_ref());
        }
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
    }
}

pub fn attach(w: Wiring) {
    let cell: Cell = Rc::default();
    let listeners: Rc<RefCell<Option<Listeners>>> = Rc::default();
    let memory = match &w.mode {
        GraphMode::Explorer { focus } => Some(focus.clone()),
        GraphMode::Inline => None,
    };
    // No client-side router: opening a node or expanding the explorer loads a page.
    let navigate: Rc<dyn Fn(&str)> = Rc::new(move |href: &str| {
        let _ = window().location().assign(href);
    });
    let signals = Signals { announce: w.announce, tooltip: w.tooltip };
    let Wiring { slice, mode, canvas, live, hidden, zoom, reset, .. } = w;
    let slice = RefCell::new(Some(slice));
    Effect::new({
        let (cell, listeners) = (cell.clone(), listeners.clone());
        move |_| {
            let Some(element) = canvas.get() else { return };
            let Some(slice) = slice.borrow_mut().take() else { return };
            let Some(engine) =
                Engine::new(element.clone(), slice, mode.clone(), memory.clone(), navigate.clone(), signals)
            else {
                return;
            };
            *cell.borrow_mut() = Some(engine);
            *listeners.borrow_mut() = Some(listen(&element, &cell));
            live.set(true);
            request(&cell);
        }
    });
    Effect::new({
        let cell = cell.clone();
        move |_| {
            let h = hidden.get();
            if let Some(e) = cell.borrow_mut().as_mut() {
                e.hidden = h;
            }
            request(&cell);
        }
    });
    Effect::new({
        let cell = cell.clone();
        move |_| {
            let Some(factor) = zoom.get() else { return };
            zoom.set(None);
            if let Some(e) = cell.borrow_mut().as_mut() {
                if factor == 0.0 {
                    e.fit();
                } else {
                    let centre = [e.size[0] / 2.0, e.size[1] / 2.0];
                    e.view.zoom_at(factor, centre);
                    e.moved_view = true;
                }
            }
            request(&cell);
        }
    });
    Effect::new({
        let cell = cell.clone();
        move |previous: Option<u32>| {
            let n = reset.get();
            if previous.is_some_and(|p| p != n) {
                if let Some(e) = cell.borrow_mut().as_mut() {
                    e.reset_layout();
                }
                request(&cell);
            }
            n
        }
    });
    let keep = send_wrapper::SendWrapper::new((cell, listeners));
    on_cleanup(move || {
        let (cell, listeners) = keep.take();
        if let Some(e) = cell.borrow_mut().as_mut() {
            e.remember();
        }
        listeners.borrow_mut().take();
        cell.borrow_mut().take();
    });
}

/// Schedules one frame, unless one is already scheduled.
fn request(cell: &Cell) {
    let schedule = match cell.borrow_mut().as_mut() {
        Some(e) if !e.scheduled => {
            e.scheduled = true;
            true
        }
        _ => false,
    };
    if schedule {
        let cell = cell.clone();
        request_animation_frame(move || {
            let again = cell.borrow_mut().as_mut().is_some_and(Engine::frame);
            if again {
                request(&cell);
            }
        });
    }
}

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn listen(canvas: &HtmlCanvasElement, cell: &Cell) -> Listeners {
    let mut list: Vec<Listener> = Vec::new();
    let mut on = |name: &'static str, passive: bool, f: fn(&mut Engine, &Event, &Cell)| {
        let cell_for = cell.clone();
        let cb = Closure::<dyn FnMut(Event)>::new(move |ev: Event| {
            if let Some(e) = cell_for.borrow_mut().as_mut() {
                f(e, &ev, &cell_for);
            }
            request(&cell_for);
        });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(passive);
        let _ = canvas.add_event_listener_with_callback_and_add_event_listener_options(
            name,
            cb.as_ref().unchecked_ref(),
            &options,
        );
        list.push((name, cb));
    };
    on("pointerdown", true, |e, ev, _| e.pointer_down(ev));
    on("pointermove", true, |e, ev, _| e.pointer_move(ev));
    on("pointerup", true, |e, ev, cell| e.pointer_up(ev, cell));
    on("pointercancel", true, |e, ev, _| e.pointer_cancel(ev));
    on("pointerleave", true, |e, _, _| {
        e.hover = None;
        e.wiring.tooltip.set(None);
    });
    on("wheel", false, |e, ev, _| e.wheel(ev));
    on("dblclick", true, |e, ev, _| e.double_click(ev));
    on("keydown", false, |e, ev, _| e.key(ev));
    on("focus", true, |e, _, _| {
        // Keyboard focus starts on the graph's focus node; a mouse click does not announce.
        if e.focused.is_none() && e.canvas.matches(":focus-visible").unwrap_or(true) {
            e.set_focus(0);
        }
    });
    on("blur", true, |e, _, _| e.focused = None);
    let resize_cell = cell.clone();
    let observer_callback = Closure::<dyn FnMut(js_sys::Array)>::new(move |_entries: js_sys::Array| {
        if let Some(e) = resize_cell.borrow_mut().as_mut() {
            e.resize();
        }
        request(&resize_cell);
    });
    let observer = web_sys::ResizeObserver::new(observer_callback.as_ref().unchecked_ref()).ok();
    if let Some(o) = &observer {
        o.observe(canvas);
    }
    Listeners { target: canvas.clone(), list, observer, _observer_callback: Some(observer_callback) }
}

fn point(ev: &Event) -> [f32; 2] {
    ev.dyn_ref::<web_sys::MouseEvent>().map_or([0.0, 0.0], |m| [m.offset_x() as f32, m.offset_y() as f32])
}

fn pointer_id(ev: &Event) -> i32 {
    ev.dyn_ref::<PointerEvent>().map_or(0, PointerEvent::pointer_id)
}

impl Engine {
    fn new(
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
        };
        engine.resize();
        engine.fit();
        Some(engine)
    }

    /// Matches the backing store to the CSS size times the device pixel ratio.
    fn resize(&mut self) {
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
    fn fit(&mut self) {
        let margin = super::svg::MARGIN * self.size[0] / super::svg::WIDTH;
        self.view = Viewport::fit(&self.slice.nodes, self.size[0].max(1.0), self.size[1].max(1.0), margin);
        self.moved_view = false;
    }

    /// One animation frame: a time slice of layout, then a paint. True while more frames are needed.
    fn frame(&mut self) -> bool {
        self.scheduled = false;
        if self.running {
            let start = now();
            while !self.sim.is_settled() && now() - start < SLICE_MS {
                self.sim.tick();
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

    fn remember(&self) {
        if let Some(focus) = &self.memory {
            let mut known = positions::load(focus);
            for n in &self.slice.nodes {
                known.insert(n.key.clone(), [n.x, n.y]);
            }
            positions::save(focus, &known);
        }
    }

    fn reset_layout(&mut self) {
        if let Some(focus) = &self.memory {
            positions::save(focus, &HashMap::new());
        }
        self.sim = self.slice.simulation(GRAPH_SEED, &HashMap::new());
        self.running = true;
        self.autofit = true;
        self.wiring.announce.set("Layout reset.".to_owned());
    }

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

    fn pointer_down(&mut self, ev: &Event) {
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

    fn pointer_move(&mut self, ev: &Event) {
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

    fn pointer_up(&mut self, ev: &Event, cell: &Cell) {
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

    fn pointer_cancel(&mut self, ev: &Event) {
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

    fn double_click(&mut self, ev: &Event) {
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

    fn wheel(&mut self, ev: &Event) {
        let Some(w) = ev.dyn_ref::<WheelEvent>() else { return };
        ev.prevent_default();
        let lines = if w.delta_mode() == WheelEvent::DOM_DELTA_LINE { 16.0 } else { 1.0 };
        let factor = (-(w.delta_y() * lines) as f32 * 0.0015).exp();
        self.view.zoom_at(factor, point(ev));
        self.moved_view = true;
        self.autofit = false;
    }

    fn set_focus(&mut self, i: usize) {
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

    fn key(&mut self, ev: &Event) {
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

/// The explorer's node positions, kept in the tab's `sessionStorage` across the page loads that
/// expanding a node makes, so the picture grows in place (for one focus at a time).
mod positions {
    use std::collections::HashMap;

    const KEY: &str = "bzpeer.explorer.positions";

    fn storage() -> Option<web_sys::Storage> {
        leptos::prelude::window().session_storage().ok().flatten()
    }

    /// What was remembered around `focus` (nothing for another focus).
    pub fn load(focus: &str) -> HashMap<String, [f32; 2]> {
        storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|json| serde_json::from_str::<(String, HashMap<String, [f32; 2]>)>(&json).ok())
            .filter(|(remembered, _)| remembered == focus)
            .map(|(_, known)| known)
            .unwrap_or_default()
    }

    pub fn save(focus: &str, known: &HashMap<String, [f32; 2]>) {
        if let (Some(storage), Ok(json)) = (storage(), serde_json::to_string(&(focus, known))) {
            let _ = storage.set_item(KEY, &json);
        }
    }
}
