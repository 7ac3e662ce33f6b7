//! Collaborator suggestions as pages show them: the candidate, why, and whether an invitation
//! can be sent.

use crate::model::subjects::SubjectLink;
use serde::{Deserialize, Serialize};

/// Suggestions on a profile (the rest on the record's suggestions page).
pub const ON_PROFILE: i64 = 5;
/// Suggestions on the record's suggestions page: every one kept.
pub const ON_PAGE: i64 = crate::domain::suggest::KEPT as i64;

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
    /// 2 or 3 (co-authorship hops), 0 (topics or field only).
    pub hops: i16,
    pub via: Vec<NamedRecord>,
    /// Topics both work on; with `field`, the candidate's topics in that field.
    pub topics: Vec<SubjectLink>,
    /// The field both work in, when that is all they share (an OpenAlex field or an arXiv group).
    pub field: Option<String>,
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
    /// The reason in one line ("co-authored with A and B; shares X, Y", or "Also works in
    /// Computer Science, on X"), in parts to link.
    pub fn reason_parts(&self) -> Vec<ReasonPart> {
        use ReasonPart::{Person, Text, Topic};
        let text = |s: &str| Text(s.to_owned());
        if let (0, Some(field)) = (self.hops, &self.field) {
            let on = if self.topics.is_empty() { "" } else { ", on " };
            let mut parts = vec![Text(format!("Also works in {field}{on}"))];
            for (i, topic) in self.topics.iter().enumerate() {
                if i > 0 {
                    parts.push(text(" and "));
                }
                parts.push(Topic(topic.clone()));
            }
            return parts;
        }
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

/// What a record has that suggestions are drawn from, to say why it has none.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Sources {
    pub coauthors: i64,
    pub topics: i64,
}

impl Sources {
    /// Why the record has no suggestions, in words that fit it.
    pub fn why_none(&self) -> &'static str {
        match (self.coauthors > 0, self.topics > 0) {
            (false, false) => {
                "No suggestions yet: they come from co-authors and topics, and this record has neither imported yet."
            }
            (true, false) => {
                "No suggestions: everyone its co-authors have worked with already works with this researcher, \
                 and the record has no topics to find others by."
            }
            (false, true) => "No suggestions: nobody else works on its topics or in its fields yet.",
            (true, true) => {
                "No suggestions: everyone its co-authors have worked with, and everyone on its topics and in its \
                 fields, already works with this researcher."
            }
        }
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
            field: None,
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

    #[test]
    fn a_researcher_from_the_same_field_is_said_to_work_there_and_on_what() {
        let field =
            |topics: &[&str]| SuggestionView { field: Some("Computer Science".to_owned()), ..view(0, &[], topics) };
        assert_eq!(
            field(&["Neural and Evolutionary Computing"]).reason(),
            "Also works in Computer Science, on Neural and Evolutionary Computing"
        );
        assert_eq!(field(&["A", "B"]).reason(), "Also works in Computer Science, on A and B");
        assert_eq!(field(&[]).reason(), "Also works in Computer Science");
        assert!(matches!(field(&["A"]).reason_parts()[1], ReasonPart::Topic(_)), "the topic is a link");
    }

    #[test]
    fn a_record_without_suggestions_is_told_why_by_what_it_has() {
        let why = |coauthors, topics| Sources { coauthors, topics }.why_none();
        assert!(why(0, 0).contains("neither imported yet"));
        assert!(why(3, 0).contains("no topics"));
        assert!(why(0, 2).contains("nobody else works on its topics"));
        assert!(why(3, 2).contains("already works with this researcher"));
    }
}
