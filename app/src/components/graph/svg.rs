//! The server's picture of a slice: an inline SVG whose nodes are links with accessible names,
//! edges drawn as one path per kind, and decluttered labels. Visible before (or without) the WASM.
//! Written as markup on the server only: the browser keeps it as it came (`inner_html` is not
//! re-applied when hydrating), so none of this is in the WASM bundle.

/// The SVG's coordinate space (CSS scales it to the stage's width); the canvas fits the same way.
pub const WIDTH: f32 = 800.0;
#[cfg(feature = "ssr")]
pub const HEIGHT: f32 = 480.0;
pub const MARGIN: f32 = 24.0;

#[cfg(feature = "ssr")]
pub use markup::graph_svg;

#[cfg(feature = "ssr")]
mod markup {
    use super::{HEIGHT, MARGIN, WIDTH};
    use crate::components::graph::GraphMode;
    use crate::domain::graph::{declutter, explorer_href, label_order, short_label, EdgeKind, GraphSlice, Viewport};
    use crate::domain::html::escape as esc;
    use std::fmt::Write;

    /// Label text: approximate width per character and line height, in SVG units.
    const CHAR_WIDTH: f32 = 6.4;
    const LABEL_HEIGHT: f32 = 14.0;
    const LABEL_CHARS: usize = 28;
    const LABELS: usize = 30;

    pub fn graph_svg(slice: &GraphSlice, mode: &GraphMode, name: &str) -> String {
        let view = Viewport::fit(&slice.nodes, WIDTH, HEIGHT, MARGIN);
        let at: Vec<[f32; 2]> = slice.nodes.iter().map(|n| view.to_screen([n.x, n.y])).collect();
        let mut svg = String::with_capacity(300 + slice.nodes.len() * 200 + slice.edges.len() * 30);
        let _ = write!(
            svg,
            r#"<svg class="graph-svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="group" aria-label="{}"><g class="edges" aria-hidden="true">"#,
            esc(name)
        );
        for (kind, class) in [
            (EdgeKind::CoAuthored, "coauthored"),
            (EdgeKind::Authored, "authored"),
            (EdgeKind::AboutTopic, "topic"),
            (EdgeKind::AffiliatedWith, "affiliated"),
            (EdgeKind::Cites, "cites"),
        ] {
            let mut d = String::new();
            for e in slice.edges.iter().filter(|e| e.kind == kind) {
                let (a, b) = (at[e.source as usize], at[e.target as usize]);
                let _ = write!(d, "M{:.1} {:.1}L{:.1} {:.1}", a[0], a[1], b[0], b[1]);
            }
            if !d.is_empty() {
                let _ = write!(svg, r#"<path class="edge {class}" d="{d}"/>"#);
            }
        }
        svg.push_str(r#"</g><g class="nodes">"#);
        for (i, n) in slice.nodes.iter().enumerate() {
            let href = match mode {
                GraphMode::Inline => n.href.clone(),
                GraphMode::Explorer { focus } if &n.key == focus || slice.expanded.contains(&n.key) => n.href.clone(),
                GraphMode::Explorer { focus } => {
                    let mut more = slice.expanded.clone();
                    more.push(n.key.clone());
                    explorer_href(focus, &more)
                }
            };
            let label = esc(&format!("{}, {}", n.label, n.kind.noun()));
            let _ = write!(
                svg,
                r#"<a href="{}" aria-label="{label}"><circle cx="{:.1}" cy="{:.1}" r="{:.1}" class="node {}{}"><title>{label}</title></circle></a>"#,
                esc(&href),
                at[i][0],
                at[i][1],
                view.node_radius(n, i == 0),
                n.kind.class(),
                if i == 0 { " focus" } else { "" },
            );
        }
        svg.push_str(r#"</g><g class="labels" aria-hidden="true">"#);
        let candidates = label_order(&slice.nodes).into_iter().map(|i| {
            let width = slice.nodes[i].label.chars().count().min(LABEL_CHARS) as f32 * CHAR_WIDTH;
            (i, [at[i][0], at[i][1] + slice.nodes[i].radius() + 2.0], width)
        });
        for i in declutter(candidates, LABEL_HEIGHT, LABELS) {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}"{}>{}</text>"#,
                at[i][0],
                at[i][1] + slice.nodes[i].radius() + 12.0,
                if i == 0 { r#" class="focus""# } else { "" },
                esc(&short_label(&slice.nodes[i].label, LABEL_CHARS))
            );
        }
        svg.push_str("</g></svg>");
        svg
    }

    #[cfg(test)]
    mod tests {
        use super::*;
        use crate::domain::graph::{NodeKey, SliceBuilder};

        #[test]
        fn labels_and_links_are_escaped() {
            let mut b = SliceBuilder::default();
            let focus = b.seed(&NodeKey::Author("a".into()), "<script>alert(1)</script> & \"friends\"");
            let w = b.node(&NodeKey::Work("w".into()), "Work", 1.0);
            b.edge(focus, w, EdgeKind::Authored, 1);
            let mut slice = b.finish(&NodeKey::Author("a".into()), 10, vec![]);
            slice.lay_out(1, &Default::default());
            let svg = graph_svg(&slice, &GraphMode::Explorer { focus: "a:a".into() }, "Graph <x>");
            assert!(!svg.contains("<script>"));
            assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;friends&quot;, researcher"));
            assert!(svg.contains(r#"aria-label="Graph &lt;x&gt;""#));
            assert!(svg.contains(r#"href="/explore?focus=a:a&amp;expand=w:w""#));
        }
    }
}
