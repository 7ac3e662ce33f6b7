//! The live graph in the browser: takes over from the server's SVG at the same positions, runs
//! the layout in time slices on animation frames (at most `SLICE_MS` of layout per frame), and
//! handles pan, zoom (wheel, pinch, buttons), node drag, hover, click, filters, keyboard
//! navigation with announcements, high-DPI backing stores and container resizes. This file wires
//! it up (the engine's state, its listeners, frame scheduling); `engine` lays out and paints,
//! `input` answers the user, `positions` remembers the explorer's picture.

mod engine;
mod input;
mod positions;

use super::GraphMode;
use crate::domain::graph::{GraphSlice, Viewport};
use crate::domain::layout::Simulation;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, Event, HtmlCanvasElement};

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
    /// The page's colour scheme, read when the canvas starts (`prefers-color-scheme`).
    palette: &'static crate::domain::graph::palette::Palette,
    /// `prefers-reduced-motion: reduce`: the layout settles off screen and is drawn once.
    reduced_motion: bool,
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
