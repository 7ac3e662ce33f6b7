//! Collaborator suggestions as pages show them: the candidate, why, and whether an invitation
//! can be sent.

use crate::model::subjects::SubjectLink;
use serde::{Deserialize, Serialize};

/// A record named in a suggestion's reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedRecord {
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SuggestionView {
    pub slug: String,
    pub name: String,
    /// The candidate's record is claimed and its owner is open to collaborate: an invitation
    /// can be sent.
    pub open: bool,
    /// 2 or 3 (co-authorship hops), 0 (topics only).
    pub hops: i16,
    pub via: Vec<NamedRecord>,
    pub topics: Vec<SubjectLink>,
    pub affiliation: Option<String>,
    pub works: i64,
}

/// A piece of a suggestion's reason: words, or a record or topic to link.
#[derive(Debug, Clone, PartialEq)]
pub enum ReasonPart {
    Text(String),
    Person(NamedRecord),
    Topic(SubjectLink),
}

impl SuggestionView {
    /// The reason in one line ("co-authored with A and B; shares X, Y"), in parts to link.
    pub fn reason_parts(&self) -> Vec<ReasonPart> {
        use ReasonPart::{Person, Text, Topic};
        let text = |s: &str| Text(s.to_owned());
        let mut parts = match (self.hops, self.via.as_slice()) {
            (2, [one]) => vec![text("co-authored with "), Person(one.clone())],
            (2, [one, two, ..]) => {
                vec![text("co-authored with "), Person(one.clone()), text(" and "), Person(two.clone())]
            }
            (3, [one, ..]) => vec![text("two steps away through "), Person(one.clone())],
            _ => Vec::new(),
        };
        for (i, topic) in self.topics.iter().enumerate() {
            let lead = match (i, parts.is_empty()) {
                (0, true) => "Shares ",
                (0, false) => "; shares ",
                _ => ", ",
            };
            parts.push(text(lead));
            parts.push(Topic(topic.clone()));
        }
        if parts.is_empty() {
            parts.push(text("Works near this researcher"));
        }
        parts
    }

    /// The reason as plain text.
    pub fn reason(&self) -> String {
        self.reason_parts()
            .into_iter()
            .map(|p| match p {
                ReasonPart::Text(t) => t,
                ReasonPart::Person(r) => r.name,
                ReasonPart::Topic(t) => t.name,
            })
            .collect()
    }
}

/// A page of suggestions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct Suggestions {
    pub items: Vec<SuggestionView>,
    /// Only candidates open to an invitation were asked for.
    pub open_only: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(hops: i16, via: &[&str], topics: &[&str]) -> SuggestionView {
        SuggestionView {
            slug: "x".to_owned(),
            name: "X".to_owned(),
            open: false,
            hops,
            via: via.iter().map(|n| NamedRecord { slug: n.to_lowercase(), name: (*n).to_owned() }).collect(),
            topics: topics.iter().enumerate().map(|(i, t)| SubjectLink::topic(i as i64, (*t).to_owned())).collect(),
            affiliation: None,
            works: 1,
        }
    }

    #[test]
    fn the_reason_names_the_co_authors_and_the_shared_topics_in_one_line() {
        assert_eq!(
            view(2, &["Daniel Soudry", "Nathan Srebro"], &["Machine Learning", "Optimization"]).reason(),
            "co-authored with Daniel Soudry and Nathan Srebro; shares Machine Learning, Optimization"
        );
        assert_eq!(view(2, &["Ada"], &[]).reason(), "co-authored with Ada");
        assert_eq!(
            view(3, &["Ada", "Bo"], &["Optimization"]).reason(),
            "two steps away through Ada; shares Optimization"
        );
        assert_eq!(view(0, &[], &["Optimization"]).reason(), "Shares Optimization");
    }
}
