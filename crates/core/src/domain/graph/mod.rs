//! The research graph as data: node keys parsed at the edge, a slice (typed nodes and weighted
//! edges around a focus) assembled from what the database found around its seeds, ranked and
//! bounded, laid out with `layout`, and the geometry both views share (fitting a viewport,
//! choosing which labels fit). Assembling is server-only: the browser gets finished slices.

mod builder;
mod key;
#[cfg(any(feature = "sqlx", test))]
mod neighbourhood;
pub mod palette;
#[cfg(any(feature = "sqlx", test))]
pub mod ranking;
mod slice;
mod view;

pub use builder::SliceBuilder;
pub use key::{explorer_href, BadNodeKey, EdgeKind, NodeKey, NodeKind};
#[cfg(any(feature = "sqlx", test))]
pub use neighbourhood::{Authorship, Citation, Link, Neighbour, Neighbourhood, Seed};
#[cfg(any(feature = "sqlx", test))]
pub use ranking::assemble;
pub use slice::{GraphEdge, GraphNode, GraphSlice};
pub use view::{bounds, declutter, label_order, short_label, thousandths, Viewport};

/// Nodes in a profile's inline graph.
pub const INLINE_NODES: usize = 150;
/// Nodes in the full explorer, however much is expanded.
pub const EXPLORER_NODES: usize = 5_000;
/// The layout seed every view uses, so the server's picture and the browser's agree.
pub const GRAPH_SEED: u64 = 0x0062_7065_6572;
/// Expanded nodes a shareable explorer address may carry.
pub const MAX_EXPANDED: usize = 40;
