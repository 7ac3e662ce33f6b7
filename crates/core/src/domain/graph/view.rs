//! The geometry both views share: fitting a viewport, choosing which labels fit, and the
//! numbers the canvas publishes.

use super::GraphNode;

/// A viewport: screen = world × scale + offset, in CSS pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Viewport {
    pub scale: f32,
    pub tx: f32,
    pub ty: f32,
}

impl Viewport {
    /// The viewport that shows all of `nodes` inside `width` × `height` with `margin` around.
    pub fn fit(nodes: &[GraphNode], width: f32, height: f32, margin: f32) -> Self {
        let (min, max) = bounds(nodes);
        let (w, h) = ((max[0] - min[0]).max(1.0), (max[1] - min[1]).max(1.0));
        let scale = ((width - 2.0 * margin) / w).min((height - 2.0 * margin) / h).clamp(0.05, 4.0);
        Viewport { scale, tx: width / 2.0 - (min[0] + w / 2.0) * scale, ty: height / 2.0 - (min[1] + h / 2.0) * scale }
    }

    pub fn to_screen(&self, p: [f32; 2]) -> [f32; 2] {
        [p[0] * self.scale + self.tx, p[1] * self.scale + self.ty]
    }

    /// A node's radius on screen: it grows with zoom, within bounds; the focus a little larger.
    pub fn node_radius(&self, node: &GraphNode, focus: bool) -> f32 {
        node.radius() * self.scale.clamp(0.6, 2.0) + if focus { 3.0 } else { 0.0 }
    }

    pub fn to_world(&self, s: [f32; 2]) -> [f32; 2] {
        [(s[0] - self.tx) / self.scale, (s[1] - self.ty) / self.scale]
    }

    /// Zooms by `factor` keeping the screen point `at` still.
    pub fn zoom_at(&mut self, factor: f32, at: [f32; 2]) {
        let world = self.to_world(at);
        self.scale = (self.scale * factor).clamp(0.05, 12.0);
        self.tx = at[0] - world[0] * self.scale;
        self.ty = at[1] - world[1] * self.scale;
    }
}

/// The bounding box of the nodes, radii included.
pub fn bounds(nodes: &[GraphNode]) -> ([f32; 2], [f32; 2]) {
    if nodes.is_empty() {
        return ([-1.0, -1.0], [1.0, 1.0]);
    }
    let mut min = [f32::MAX, f32::MAX];
    let mut max = [f32::MIN, f32::MIN];
    for n in nodes {
        let r = n.radius();
        min = [min[0].min(n.x - r), min[1].min(n.y - r)];
        max = [max[0].max(n.x + r), max[1].max(n.y + r)];
    }
    (min, max)
}

/// Node indices in label priority: the focus, then by weight (heaviest first), then by key.
pub fn label_order(nodes: &[GraphNode]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..nodes.len()).collect();
    order.sort_by(|&a, &b| (b == 0).cmp(&(a == 0)).then(nodes[b].weight.total_cmp(&nodes[a].weight)).then(a.cmp(&b)));
    order
}

/// Shortens a label to `max` characters, with an ellipsis.
pub fn short_label(label: &str, max: usize) -> String {
    if label.chars().count() <= max {
        label.to_owned()
    } else {
        let mut s: String = label.chars().take(max.saturating_sub(1)).collect();
        s.push('…');
        s
    }
}

/// Labels that fit without overlapping: walks `candidates` (screen position, text width) in
/// priority order and keeps each whose box clears those kept before, up to `max`.
pub fn declutter(candidates: impl IntoIterator<Item = (usize, [f32; 2], f32)>, height: f32, max: usize) -> Vec<usize> {
    let mut kept: Vec<(usize, [f32; 4])> = Vec::new();
    for (i, at, width) in candidates {
        if kept.len() >= max {
            break;
        }
        let b = [at[0] - width / 2.0, at[1], at[0] + width / 2.0, at[1] + height];
        if kept.iter().all(|(_, k)| b[2] < k[0] || b[0] > k[2] || b[3] < k[1] || b[1] > k[3]) {
            kept.push((i, b));
        }
    }
    kept.into_iter().map(|(i, _)| i).collect()
}

/// `value` with three decimals ("1.250"), without Rust's float formatter, which would be the
/// largest single piece of the browser's wasm for what the canvas publishes.
pub fn thousandths(value: f32) -> String {
    let n = (f64::from(value) * 1000.0).round() as i64;
    let sign = if n < 0 { "-" } else { "" };
    let n = n.unsigned_abs();
    format!("{sign}{}.{:03}", n / 1000, n % 1000)
}

#[cfg(test)]
mod tests {
    use super::super::builder::star;
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn thousandths_match_the_float_formatter() {
        for v in [0.0f32, 1.0, 1.25, -0.5, -0.0004, 0.0005, 12.3456, -3.2, 1e6] {
            assert_eq!(thousandths(v), format!("{:.3}", f64::from(v)).replace("-0.000", "0.000"), "{v}");
        }
    }

    #[test]
    fn the_viewport_fits_and_zooms_about_a_point() {
        let mut slice = star(10);
        slice.lay_out(3, &HashMap::new());
        let view = Viewport::fit(&slice.nodes, 800.0, 400.0, 20.0);
        for n in &slice.nodes {
            let s = view.to_screen([n.x, n.y]);
            assert!((19.0..=781.0).contains(&s[0]) && (19.0..=381.0).contains(&s[1]), "{s:?}");
        }
        let mut zoomed = view;
        zoomed.zoom_at(2.0, [100.0, 50.0]);
        assert_eq!(zoomed.scale, view.scale * 2.0);
        let before = view.to_world([100.0, 50.0]);
        let after = zoomed.to_world([100.0, 50.0]);
        assert!((before[0] - after[0]).abs() < 1e-3 && (before[1] - after[1]).abs() < 1e-3);
    }

    #[test]
    fn labels_declutter_in_priority_order() {
        let candidates = vec![(0, [100.0, 100.0], 80.0), (1, [110.0, 104.0], 80.0), (2, [300.0, 100.0], 50.0)];
        assert_eq!(declutter(candidates.clone(), 12.0, 10), vec![0, 2]);
        assert_eq!(declutter(candidates, 12.0, 1), vec![0]);
        assert_eq!(short_label("Ada Lovelace", 5), "Ada …");
    }
}
