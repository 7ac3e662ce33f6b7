//! Ranking a neighbourhood into a slice (`assemble`): every candidate the database found gets a
//! rank (the numbers below), seeds are kept whatever their rank, and the best are kept up to the bound.

use super::neighbourhood::Neighbourhood;
use super::{EdgeKind, GraphSlice, NodeKey, NodeKind, SliceBuilder};
use std::collections::HashMap;

/// A researcher's work, the newest first.
pub const PERSON_WORK_RANK: f32 = 20.0;
/// Rank a researcher's work loses per row before it (newest first, seed after seed).
pub const PERSON_WORK_STEP: f32 = 0.01;
/// A co-author, before counting what they share.
pub const COAUTHOR_RANK: f32 = 10.0;
/// Rank a co-author gains per work shared with the seed.
pub const PER_SHARED_WORK: f32 = 5.0;
/// A work's author: above all other candidates, the first author first.
pub const BYLINE_RANK: f32 = 25.0;
/// Rank a work's author loses per place down the byline.
pub const BYLINE_STEP: f32 = 0.1;
/// One of a topic's newest works.
pub const TOPIC_WORK_RANK: f32 = 15.0;
/// A researcher at an institution, before counting their works there (one rank per work).
pub const MEMBER_RANK: f32 = 10.0;
/// A topic of a work or a researcher in the slice, before counting its links.
pub const TOPIC_RANK: f32 = 2.0;
/// Rank a topic gains per node in the slice about it.
pub const TOPIC_BOOST: f32 = 3.0;
/// Rank a researcher gains per work in the slice they wrote.
pub const AUTHORSHIP_BOOST: f32 = 1.0;
/// A work citing a work seed, or cited by it.
pub const CITATION_RANK: f32 = 12.0;

/// An institution of a researcher in the slice, before counting its links (one rank per
/// declared affiliation, or per work there in the slice).
pub const INSTITUTION_RANK: f32 = 4.0;

/// The slice around `focus`: the seeds (the focus first; the others are the expanded keys), the
/// best-ranked of their neighbours up to `max_nodes`, and the edges between those kept.
pub fn assemble(focus: &NodeKey, hood: &Neighbourhood, max_nodes: usize) -> GraphSlice {
    let mut b = SliceBuilder::default();
    let mut expanded = Vec::new();
    for seed in &hood.seeds {
        b.seed(&seed.key, &seed.label);
        if &seed.key != focus {
            expanded.push(seed.key.to_string());
        }
    }
    // Database id → builder index, per kind, for the nodes gathered so far.
    let mut people: HashMap<i64, usize> = HashMap::new();
    let mut works: HashMap<i64, usize> = HashMap::new();
    let mut seed_index: HashMap<(NodeKind, i64), usize> = HashMap::new();
    for seed in &hood.seeds {
        let (kind, i) = (seed.key.kind(), b.index_of(&seed.key).unwrap_or_default());
        match kind {
            NodeKind::Person => people.insert(seed.id, i),
            NodeKind::Work => works.insert(seed.id, i),
            _ => None,
        };
        seed_index.insert((kind, seed.id), i);
    }
    let seed_of = |kind: NodeKind, id: i64| seed_index.get(&(kind, id)).copied().unwrap_or_default();
    // The per-seed lists: each neighbour joins the slice linked to its seed.
    for (n, r) in hood.works_of_people.iter().enumerate() {
        let i = b.node(&NodeKey::Work(r.slug.clone()), &r.label, PERSON_WORK_RANK - n as f32 * PERSON_WORK_STEP);
        b.edge(seed_of(NodeKind::Person, r.seed), i, EdgeKind::Authored, 1);
        works.insert(r.id, i);
    }
    for r in &hood.coauthors {
        let i = b.node(&NodeKey::Author(r.slug.clone()), &r.label, COAUTHOR_RANK + PER_SHARED_WORK * r.weight as f32);
        b.edge(seed_of(NodeKind::Person, r.seed), i, EdgeKind::CoAuthored, r.weight as u32);
        people.insert(r.id, i);
    }
    for r in &hood.authors_of_works {
        let i = b.node(&NodeKey::Author(r.slug.clone()), &r.label, BYLINE_RANK - r.weight as f32 * BYLINE_STEP);
        b.edge(seed_of(NodeKind::Work, r.seed), i, EdgeKind::Authored, 1);
        people.insert(r.id, i);
    }
    for r in &hood.works_on_topics {
        let i = b.node(&NodeKey::Work(r.slug.clone()), &r.label, TOPIC_WORK_RANK);
        b.edge(seed_of(NodeKind::Topic, r.seed), i, EdgeKind::AboutTopic, 1);
        works.insert(r.id, i);
    }
    for r in &hood.people_at_institutions {
        let i = b.node(&NodeKey::Author(r.slug.clone()), &r.label, MEMBER_RANK + r.weight as f32);
        b.edge(seed_of(NodeKind::Institution, r.seed), i, EdgeKind::AffiliatedWith, r.weight.max(1) as u32);
        people.insert(r.id, i);
    }
    for rows in [&hood.citing_works, &hood.cited_works] {
        for r in rows {
            let i = b.node(&NodeKey::Work(r.slug.clone()), &r.label, CITATION_RANK);
            let seed = seed_of(NodeKind::Work, r.seed);
            b.edge(seed, i, EdgeKind::Cites, 1);
            works.insert(r.id, i);
        }
    }
    // The links among what was found: topics, who wrote what, institutions, citations.
    for c in &hood.citations {
        if let (Some(&from), Some(&to)) = (works.get(&c.citing_id), works.get(&c.cited_id)) {
            b.edge(from, to, EdgeKind::Cites, 1);
        }
    }
    for r in &hood.topics {
        let from = if r.side == NodeKind::Work { works.get(&r.from_id) } else { people.get(&r.from_id) };
        let Some(&from) = from else { continue };
        let i = b.node(&NodeKey::Topic(r.id), &r.label, TOPIC_RANK);
        b.boost(i, TOPIC_BOOST);
        b.edge(from, i, EdgeKind::AboutTopic, r.weight.max(1) as u32);
    }
    for a in &hood.authorships {
        if let (Some(&w), Some(&p)) = (works.get(&a.work_id), people.get(&a.author_id)) {
            b.edge(p, w, EdgeKind::Authored, 1);
            b.boost(p, AUTHORSHIP_BOOST);
        }
    }
    for r in &hood.institutions {
        if let Some(&p) = people.get(&r.from_id) {
            let i = b.node(&NodeKey::Institution(r.id), &r.label, INSTITUTION_RANK);
            b.boost(i, r.weight as f32);
            b.edge(p, i, EdgeKind::AffiliatedWith, r.weight.max(1) as u32);
        }
    }
    b.finish(focus, max_nodes, expanded)
}

#[cfg(test)]
mod tests {
    use super::super::neighbourhood::{Authorship, Link, Neighbour, Seed};
    use super::*;

    fn ada() -> NodeKey {
        NodeKey::Author("ada".to_owned())
    }

    fn seed(key: NodeKey, id: i64) -> Seed {
        Seed { label: key.to_string(), key, id }
    }

    fn row(seed: i64, id: i64, slug: &str, weight: i64) -> Neighbour {
        Neighbour { seed, id, slug: slug.to_owned(), label: slug.to_uppercase(), weight }
    }

    fn link(side: NodeKind, from_id: i64, id: i64, weight: i64) -> Link {
        Link { side, from_id, id, label: format!("Link {id}"), weight }
    }

    fn keys(slice: &GraphSlice) -> Vec<&str> {
        slice.nodes.iter().map(|n| n.key.as_str()).collect()
    }

    fn position(slice: &GraphSlice, key: &str) -> usize {
        slice.nodes.iter().position(|n| n.key == key).unwrap_or(usize::MAX)
    }

    /// The edge between two nodes, if both are in the slice and linked.
    fn edge(slice: &GraphSlice, a: &str, b: &str) -> Option<(EdgeKind, u32)> {
        let (a, b) = (position(slice, a) as u32, position(slice, b) as u32);
        let e = slice.edges.iter().find(|e| (e.source, e.target) == (a, b) || (e.source, e.target) == (b, a))?;
        Some((e.kind, e.weight))
    }

    /// Ada (1) wrote works 10, 11 and 12; Bob (2) shares two of them, Cy (3) one; works 10 and
    /// 11 are about topic 7, Ada's record about topic 8; Bob is at institution 5.
    fn ada_and_friends() -> Neighbourhood {
        Neighbourhood {
            seeds: vec![seed(ada(), 1)],
            works_of_people: vec![row(1, 10, "w10", 1), row(1, 11, "w11", 1), row(1, 12, "w12", 1)],
            coauthors: vec![row(1, 3, "cy", 1), row(1, 2, "bob", 2)],
            topics: vec![
                link(NodeKind::Work, 10, 7, 1),
                link(NodeKind::Work, 11, 7, 1),
                link(NodeKind::Person, 1, 8, 3),
            ],
            authorships: [(10, 1), (11, 1), (12, 1), (10, 2), (11, 2), (12, 3)]
                .map(|(work_id, author_id)| Authorship { work_id, author_id })
                .to_vec(),
            institutions: vec![link(NodeKind::Person, 2, 5, 2)],
            ..Neighbourhood::default()
        }
    }

    #[test]
    fn the_focus_stays_node_zero_and_what_was_found_is_linked() {
        let slice = assemble(&ada(), &ada_and_friends(), 100);
        assert_eq!(slice.nodes[0].key, "a:ada");
        assert_eq!((slice.nodes.len(), slice.omitted), (9, 0));
        assert!(slice.expanded.is_empty());
        assert_eq!(edge(&slice, "a:ada", "w:w10"), Some((EdgeKind::Authored, 1)));
        assert_eq!(edge(&slice, "a:ada", "a:bob"), Some((EdgeKind::CoAuthored, 2)));
        assert_eq!(edge(&slice, "a:bob", "w:w11"), Some((EdgeKind::Authored, 1)), "co-authors link to shared works");
        assert_eq!(edge(&slice, "w:w10", "t:7"), Some((EdgeKind::AboutTopic, 1)));
        assert_eq!(edge(&slice, "a:ada", "t:8"), Some((EdgeKind::AboutTopic, 3)));
        assert_eq!(edge(&slice, "a:bob", "i:5"), Some((EdgeKind::AffiliatedWith, 2)));
        assert_eq!(edge(&slice, "a:cy", "i:5"), None);
    }

    #[test]
    fn co_authors_sharing_more_works_rank_higher() {
        let slice = assemble(&ada(), &ada_and_friends(), 100);
        // Bob: 10 + 5 × 2 shared + 2 works here = 22, above her newest work (20); Cy: 16.
        assert_eq!(keys(&slice), ["a:ada", "a:bob", "w:w10", "w:w11", "w:w12", "a:cy", "t:7", "i:5", "t:8"]);
        let bounded = assemble(&ada(), &ada_and_friends(), 3);
        assert_eq!(keys(&bounded), ["a:ada", "a:bob", "w:w10"]);
        assert_eq!(bounded.omitted, 6);
    }

    #[test]
    fn the_slice_is_bounded_newest_works_first() {
        let hood = Neighbourhood {
            seeds: vec![seed(ada(), 1)],
            works_of_people: (0..50).map(|i| row(1, 100 + i, &format!("w{i:02}"), 1)).collect(),
            ..Neighbourhood::default()
        };
        let slice = assemble(&ada(), &hood, 10);
        assert_eq!(
            keys(&slice),
            ["a:ada", "w:w00", "w:w01", "w:w02", "w:w03", "w:w04", "w:w05", "w:w06", "w:w07", "w:w08"]
        );
        assert_eq!(slice.omitted, 41);
        assert_eq!(slice.edges.len(), 9, "edges to dropped works go with them");
    }

    #[test]
    fn an_expanded_nodes_neighbourhood_is_merged_after_the_focus() {
        let work = NodeKey::Work("w20".to_owned());
        let hood = Neighbourhood {
            seeds: vec![seed(ada(), 1), seed(work.clone(), 20), seed(NodeKey::Topic(7), 7)],
            works_of_people: vec![row(1, 20, "w20", 1)],
            authors_of_works: vec![row(20, 1, "ada", 0), row(20, 5, "eve", 2), row(20, 4, "dee", 1)],
            works_on_topics: vec![row(7, 30, "w30", 1)],
            ..Neighbourhood::default()
        };
        let slice = assemble(&ada(), &hood, 100);
        assert_eq!(keys(&slice)[..3], ["a:ada", "t:7", "w:w20"], "seeds first, the focus at 0");
        assert_eq!(slice.expanded, ["w:w20", "t:7"]);
        assert_eq!(edge(&slice, "w:w20", "a:dee"), Some((EdgeKind::Authored, 1)));
        assert_eq!(edge(&slice, "t:7", "w:w30"), Some((EdgeKind::AboutTopic, 1)));
        assert!(position(&slice, "a:dee") < position(&slice, "a:eve"), "earlier in the byline ranks higher");
    }

    #[test]
    fn links_from_nodes_outside_the_slice_are_skipped() {
        let hood = Neighbourhood {
            seeds: vec![seed(ada(), 1)],
            topics: vec![link(NodeKind::Work, 99, 7, 1)],
            authorships: vec![Authorship { work_id: 99, author_id: 1 }],
            institutions: vec![link(NodeKind::Person, 98, 5, 1)],
            ..Neighbourhood::default()
        };
        let slice = assemble(&ada(), &hood, 100);
        assert_eq!(keys(&slice), ["a:ada"]);
        assert!(slice.edges.is_empty());
    }

    #[test]
    fn the_ids_asked_about_next_are_the_seeds_and_what_was_found() {
        let mut hood = ada_and_friends();
        hood.seeds.push(seed(NodeKey::Work("w11".to_owned()), 11));
        hood.authors_of_works = vec![row(11, 4, "dee", 0)];
        assert_eq!(hood.work_ids(), [10, 11, 12]);
        assert_eq!(hood.person_ids(), [1, 2, 3, 4]);
        assert_eq!(Neighbourhood::seed_ids(&hood.seeds, NodeKind::Work), [11]);
    }
}
