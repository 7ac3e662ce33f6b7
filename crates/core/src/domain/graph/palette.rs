//! The graph's colours in the light and dark schemes (the canvas paints with them; the stylesheet
//! gives the server's SVG the same ones), and the contrast they keep against the graph's stage:
//! at least 3:1 for nodes, rings and the active node's links (WCAG 2.2, 1.4.11 non-text
//! contrast) and 4.5:1 for labels (1.4.3). The other edges are context drawn faintly; what they
//! link is also listed as text beside the graph.

use super::{EdgeKind, NodeKind};

pub struct Palette {
    /// The stage behind the graph (`--stage`).
    pub stage: &'static str,
    /// Labels and the focus node's ring (`--graph-ink`), and the halo behind labels.
    pub ink: &'static str,
    pub halo: &'static str,
    /// The active node's ring (`--highlight`) and its links.
    pub highlight: &'static str,
    pub active_edge: &'static str,
    /// Node fills, by `NodeKind as usize`.
    pub nodes: [&'static str; 4],
    /// Edge strokes: authored, co-authored, topic, affiliation, citation.
    pub edges: [&'static str; 5],
}

impl Palette {
    pub const LIGHT: Self = Self {
        stage: "#fbfcfe",
        ink: "#141821",
        halo: "rgba(255, 255, 255, 0.9)",
        highlight: "#b34100",
        active_edge: "#3d4452",
        nodes: ["#2f5fb3", "#c7791a", "#2e8b57", "#7b4fb0"],
        edges: [
            "rgba(110, 118, 135, 0.35)",
            "rgba(47, 95, 179, 0.6)",
            "rgba(46, 139, 87, 0.35)",
            "rgba(123, 79, 176, 0.35)",
            "rgba(176, 84, 12, 0.6)",
        ],
    };

    pub const DARK: Self = Self {
        stage: "#151a22",
        ink: "#e7eaf0",
        halo: "rgba(17, 21, 28, 0.9)",
        highlight: "#ffa066",
        active_edge: "#c3cad6",
        nodes: ["#6f9ae6", "#e0963f", "#4fbf85", "#a884d6"],
        edges: [
            "rgba(169, 178, 193, 0.35)",
            "rgba(111, 154, 230, 0.6)",
            "rgba(79, 191, 133, 0.35)",
            "rgba(168, 132, 214, 0.35)",
            "rgba(224, 150, 63, 0.6)",
        ],
    };

    pub fn node(&self, kind: NodeKind) -> &'static str {
        self.nodes[kind as usize]
    }

    pub fn edge(&self, kind: EdgeKind) -> &'static str {
        self.edges[match kind {
            EdgeKind::Authored => 0,
            EdgeKind::CoAuthored => 1,
            EdgeKind::AboutTopic => 2,
            EdgeKind::AffiliatedWith => 3,
            EdgeKind::Cites => 4,
        }]
    }
}

/// The WCAG contrast ratio of two `#rrggbb` colours (1 when one cannot be read).
pub fn contrast(a: &str, b: &str) -> f64 {
    let (Some(a), Some(b)) = (luminance(a), luminance(b)) else { return 1.0 };
    let (light, dark) = if a > b { (a, b) } else { (b, a) };
    (light + 0.05) / (dark + 0.05)
}

fn luminance(hex: &str) -> Option<f64> {
    let hex = hex.strip_prefix('#').filter(|h| h.len() == 6)?;
    let channel = |i: usize| -> Option<f64> {
        let c = f64::from(u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()?) / 255.0;
        Some(if c <= 0.04045 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) })
    };
    Some(0.2126 * channel(0)? + 0.7152 * channel(2)? + 0.0722 * channel(4)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_is_the_wcag_ratio() {
        assert!((contrast("#000000", "#ffffff") - 21.0).abs() < 1e-9);
        assert!((contrast("#777777", "#777777") - 1.0).abs() < 1e-9);
        assert_eq!(contrast("blue", "#ffffff"), 1.0);
    }

    #[test]
    fn nodes_rings_and_labels_keep_aa_contrast_in_both_schemes() {
        for (scheme, p) in [("light", &Palette::LIGHT), ("dark", &Palette::DARK)] {
            for kind in NodeKind::ALL {
                let ratio = contrast(p.node(kind), p.stage);
                assert!(ratio >= 3.0, "{scheme} {kind:?} node: {ratio:.2}");
            }
            for (what, colour, least) in
                [("label", p.ink, 4.5), ("active ring", p.highlight, 3.0), ("active link", p.active_edge, 3.0)]
            {
                let ratio = contrast(colour, p.stage);
                assert!(ratio >= least, "{scheme} {what}: {ratio:.2}");
            }
        }
    }

    #[test]
    fn the_light_nodes_are_the_kinds_own_colours() {
        for kind in NodeKind::ALL {
            assert_eq!(Palette::LIGHT.node(kind), kind.colour());
        }
    }
}
