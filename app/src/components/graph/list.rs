//! The graph as a plain list: the neighbours in the slice by kind, each a link (and, in the
//! explorer, an "Expand" link), so everything the picture shows can be reached by keyboard and
//! screen reader, with or without JavaScript.

use super::GraphMode;
use crate::domain::graph::{explorer_href, EdgeKind, GraphSlice, NodeKind};
use leptos::prelude::*;

/// Items listed per kind.
const PER_KIND: usize = 40;

#[component]
pub fn NeighbourList(slice: GraphSlice, mode: GraphMode) -> impl IntoView {
    // What links each node to the focus (node 0), for the detail after its name.
    let mut detail = vec![String::new(); slice.nodes.len()];
    for e in &slice.edges {
        let other = match (e.source, e.target) {
            (0, t) => t as usize,
            (s, 0) => s as usize,
            _ => continue,
        };
        detail[other] = match e.kind {
            EdgeKind::CoAuthored if e.weight == 1 => "1 shared work".to_owned(),
            EdgeKind::CoAuthored => format!("{} shared works", e.weight),
            EdgeKind::AboutTopic | EdgeKind::AffiliatedWith if e.weight > 1 => format!("{} works", e.weight),
            EdgeKind::Cites => "citation".to_owned(),
            _ => String::new(),
        };
    }
    let sections: Vec<AnyView> = NodeKind::ALL
        .into_iter()
        .map(|kind| {
            let items: Vec<AnyView> = slice
                .nodes
                .iter()
                .enumerate()
                .skip(1)
                .filter(|(_, n)| n.kind == kind)
                .take(PER_KIND)
                .map(|(i, n)| {
                    let expand = match &mode {
                        GraphMode::Explorer { focus } if !slice.expanded.contains(&n.key) => {
                            let mut more = slice.expanded.clone();
                            more.push(n.key.clone());
                            Some(view! {
                                " "<a class="expand" href=explorer_href(focus, &more) aria-label=format!("Expand {}", n.label)>"Expand"</a>
                            })
                        }
                        _ => None,
                    };
                    let d = (!detail[i].is_empty()).then(|| view! { <span class="muted">{format!(" · {}", detail[i])}</span> });
                    view! { <li><a href=n.href.clone()>{n.label.clone()}</a>{d}{expand}</li> }.into_any()
                })
                .collect();
            let total = slice.count(kind) - usize::from(slice.nodes.first().map(|f| f.kind) == Some(kind));
            let empty = items.is_empty();
            view! {
                <section>
                    <h3 class="minor">{format!("{} ({total})", kind.plural())}</h3>
                    {empty.then(|| view! { <p class="muted">"None in this slice."</p> })}
                    <ul>{items}</ul>
                </section>
            }
            .into_any()
        })
        .collect();
    view! { <div class="neighbours" aria-label="Neighbours in the graph">{sections}</div> }.into_any()
}
