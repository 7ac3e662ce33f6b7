//! What a graph node is: its kind, the kinds of edges between nodes, and its key in addresses
//! (`a:<slug>`, `w:<slug>`, `t:<id>`, `i:<id>`), parsed at the edge.

use super::MAX_EXPANDED;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a node is. The database spells it in lower case (`'person'`, `'work'`, ...): any other
/// value is a decode error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "lowercase"))]
pub enum NodeKind {
    Person,
    Work,
    Topic,
    Institution,
}

impl NodeKind {
    pub const ALL: [NodeKind; 4] = [NodeKind::Person, NodeKind::Work, NodeKind::Topic, NodeKind::Institution];

    /// The legend's name for the kind, plural.
    pub fn plural(self) -> &'static str {
        match self {
            NodeKind::Person => "People",
            NodeKind::Work => "Works",
            NodeKind::Topic => "Topics",
            NodeKind::Institution => "Institutions",
        }
    }

    /// `plural` in lower case ("Show people").
    pub fn plural_lower(self) -> &'static str {
        match self {
            NodeKind::Person => "people",
            NodeKind::Work => "works",
            NodeKind::Topic => "topics",
            NodeKind::Institution => "institutions",
        }
    }

    /// How a node of this kind is announced ("Ada Lovelace, researcher").
    pub fn noun(self) -> &'static str {
        match self {
            NodeKind::Person => "researcher",
            NodeKind::Work => "work",
            NodeKind::Topic => "topic",
            NodeKind::Institution => "institution",
        }
    }

    /// The CSS class (SVG) and the colour (canvas) of the kind: one palette for both.
    pub fn class(self) -> &'static str {
        match self {
            NodeKind::Person => "person",
            NodeKind::Work => "work",
            NodeKind::Topic => "topic",
            NodeKind::Institution => "institution",
        }
    }

    pub fn colour(self) -> &'static str {
        match self {
            NodeKind::Person => "#2f5fb3",
            NodeKind::Work => "#c7791a",
            NodeKind::Topic => "#2e8b57",
            NodeKind::Institution => "#7b4fb0",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum EdgeKind {
    /// A person wrote a work.
    Authored,
    /// Two people share works (weight: how many).
    CoAuthored,
    /// A work (or a person's record) is about a topic.
    AboutTopic,
    /// A person is affiliated with an institution.
    AffiliatedWith,
    /// One work cites the other (slices keep edges undirected).
    Cites,
}

impl EdgeKind {
    pub fn label(self) -> &'static str {
        match self {
            EdgeKind::Authored => "authored",
            EdgeKind::CoAuthored => "co-authored with",
            EdgeKind::AboutTopic => "about topic",
            EdgeKind::AffiliatedWith => "affiliated with",
            EdgeKind::Cites => "cites",
        }
    }
}

/// A node's identity in addresses (`/explore?focus=a:ada-lovelace-1a2b&expand=t:12`): a kind
/// prefix and a slug or database id. A bare slug means a researcher.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKey {
    Author(String),
    Work(String),
    Topic(i64),
    Institution(i64),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadNodeKey;

impl fmt::Display for BadNodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a graph node: use a:<researcher>, w:<work>, t:<topic id> or i:<institution id>")
    }
}

impl NodeKey {
    pub fn parse(raw: &str) -> Result<Self, BadNodeKey> {
        let raw = raw.trim();
        let slug = |s: &str| crate::domain::slug::Slug::parse(s).map(|s| s.into_string()).map_err(|_| BadNodeKey);
        let id = |s: &str| s.parse::<i64>().ok().filter(|id| *id > 0).ok_or(BadNodeKey);
        match raw.split_once(':') {
            Some(("a", rest)) => slug(rest).map(NodeKey::Author),
            Some(("w", rest)) => slug(rest).map(NodeKey::Work),
            Some(("t", rest)) => id(rest).map(NodeKey::Topic),
            Some(("i", rest)) => id(rest).map(NodeKey::Institution),
            Some(_) => Err(BadNodeKey),
            None => slug(raw).map(NodeKey::Author),
        }
    }

    /// A comma-separated list, as in `expand=`; duplicates dropped, order kept, at most
    /// `MAX_EXPANDED`. Reading stops at the limit, so a long address costs no more than a short one.
    pub fn parse_list(raw: &str) -> Result<Vec<Self>, BadNodeKey> {
        let mut keys: Vec<NodeKey> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for part in raw.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            if keys.len() == MAX_EXPANDED {
                break;
            }
            let key = NodeKey::parse(part)?;
            if seen.insert(key.clone()) {
                keys.push(key);
            }
        }
        Ok(keys)
    }

    pub fn kind(&self) -> NodeKind {
        match self {
            NodeKey::Author(_) => NodeKind::Person,
            NodeKey::Work(_) => NodeKind::Work,
            NodeKey::Topic(_) => NodeKind::Topic,
            NodeKey::Institution(_) => NodeKind::Institution,
        }
    }

    /// The node's own page: a profile, a work page, a topic or an institution page (whose
    /// address carries the node's `label` as words).
    pub fn href(&self, label: &str) -> String {
        use crate::domain::slug::subject_slug;
        match self {
            NodeKey::Author(slug) => format!("/authors/{slug}"),
            NodeKey::Work(slug) => format!("/works/{slug}"),
            NodeKey::Topic(id) => format!("/topics/{}", subject_slug(label, *id)),
            NodeKey::Institution(id) => format!("/institutions/{}", subject_slug(label, *id)),
        }
    }
}

impl fmt::Display for NodeKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeKey::Author(slug) => write!(f, "a:{slug}"),
            NodeKey::Work(slug) => write!(f, "w:{slug}"),
            NodeKey::Topic(id) => write!(f, "t:{id}"),
            NodeKey::Institution(id) => write!(f, "i:{id}"),
        }
    }
}

/// The explorer address for a focus and the nodes expanded around it.
pub fn explorer_href(focus: &str, expanded: &[String]) -> String {
    if expanded.is_empty() {
        format!("/explore?focus={focus}")
    } else {
        format!("/explore?focus={focus}&expand={}", expanded.join(","))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_case_plurals_are_the_plurals() {
        for kind in NodeKind::ALL {
            assert_eq!(kind.plural_lower(), kind.plural().to_lowercase());
        }
    }

    fn author(slug: &str) -> NodeKey {
        NodeKey::Author(slug.to_owned())
    }

    #[test]
    fn node_keys_parse_and_print_back() {
        for raw in ["a:ada-lovelace-1a2b", "w:on-engines-9f", "t:12", "i:7"] {
            assert_eq!(NodeKey::parse(raw).map(|k| k.to_string()), Ok(raw.to_owned()));
        }
        assert_eq!(NodeKey::parse("ada-lovelace"), Ok(author("ada-lovelace")));
        for bad in ["", "x:1", "t:0", "t:-3", "w:UPPER", "a:<script>", "t:abc"] {
            assert_eq!(NodeKey::parse(bad), Err(BadNodeKey), "{bad}");
        }
        let list = NodeKey::parse_list("t:1, a:b,t:1,,w:c").expect("a valid list");
        assert_eq!(list, vec![NodeKey::Topic(1), author("b"), NodeKey::Work("c".into())]);
        let long = (1..100).map(|i| format!("t:{i}")).collect::<Vec<_>>().join(",");
        assert_eq!(NodeKey::parse_list(&long).map(|l| l.len()), Ok(MAX_EXPANDED));
    }

    #[test]
    fn a_long_expand_list_is_cut_before_it_is_read_whole() {
        // Keys past the limit are not even parsed: a broken one there does not matter.
        let mut list = (1..=MAX_EXPANDED).map(|i| format!("t:{i}")).collect::<Vec<_>>();
        list.push("not a key".to_owned());
        assert_eq!(NodeKey::parse_list(&list.join(",")).map(|l| l.len()), Ok(MAX_EXPANDED));
        // Thousands of distinct keys (the de-duplication used to be quadratic) parse at once.
        let huge = (1..=50_000).map(|i| format!("t:{i}")).collect::<Vec<_>>().join(",");
        let started = std::time::Instant::now();
        assert_eq!(NodeKey::parse_list(&huge).map(|l| l.len()), Ok(MAX_EXPANDED));
        assert!(started.elapsed() < std::time::Duration::from_millis(100), "{:?}", started.elapsed());
    }
}
