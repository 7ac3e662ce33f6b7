//! The graph benchmark's wasm exports: the app's layout and (through the app's renderer) its canvas frame,
//! called by the benchmark page in end2end/bench/ (`make bench-graph`).

mod frame;
mod layout;

pub use frame::FrameBench;
pub use layout::{initial_positions, layout};
