//! A topic's place in the subject hierarchy, one rule for every source: what a topic page and the
//! API show above a topic, and the fields collaborator suggestions widen to. An OpenAlex topic
//! carries its domain, field and subfield; an arXiv topic lies in the arXiv groups its
//! categories belong to ("Machine Learning": Computer Science and Statistics). The two meet on
//! the field's name ("Computer Science" is both an arXiv group and an OpenAlex field).

use super::arxiv_taxonomy;

/// What the hierarchy reads of a topic row.
#[derive(Debug, Clone, Copy)]
pub struct TopicPlace<'a> {
    /// "arxiv" or "openalex".
    pub source: &'a str,
    pub name: &'a str,
    pub domain: Option<&'a str>,
    pub field: Option<&'a str>,
    pub subfield: Option<&'a str>,
}

impl TopicPlace<'_> {
    /// Broadest first, the topic itself left out: OpenAlex's domain, field and subfield, or the
    /// arXiv groups the topic's categories belong to.
    pub fn hierarchy(&self) -> Vec<String> {
        if self.source == "arxiv" {
            arxiv_taxonomy::groups_of(self.name).into_iter().map(str::to_owned).collect()
        } else {
            [self.domain, self.field, self.subfield].into_iter().flatten().map(str::to_owned).collect()
        }
    }

    /// The fields the topic lies in: its OpenAlex field, or its arXiv groups (none for a topic
    /// the taxonomy does not know).
    pub fn fields(&self) -> Vec<String> {
        if self.source == "arxiv" {
            arxiv_taxonomy::groups_of(self.name).into_iter().map(str::to_owned).collect()
        } else {
            self.field.map(str::to_owned).into_iter().collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arxiv(name: &str) -> TopicPlace<'_> {
        TopicPlace { source: "arxiv", name, domain: None, field: None, subfield: None }
    }

    #[test]
    fn an_arxiv_topic_lies_in_the_groups_of_its_categories() {
        assert_eq!(arxiv("Machine Learning").hierarchy(), vec!["Computer Science", "Statistics"]);
        assert_eq!(arxiv("Machine Learning").fields(), vec!["Computer Science", "Statistics"]);
        assert_eq!(arxiv("Neural and Evolutionary Computing").fields(), vec!["Computer Science"]);
        assert!(arxiv("not a category name").fields().is_empty());
    }

    #[test]
    fn an_openalex_topic_lies_in_its_field_and_shows_its_whole_hierarchy() {
        let topic = TopicPlace {
            source: "openalex",
            name: "Neural Networks and Applications",
            domain: Some("Physical Sciences"),
            field: Some("Computer Science"),
            subfield: Some("Artificial Intelligence"),
        };
        assert_eq!(topic.hierarchy(), vec!["Physical Sciences", "Computer Science", "Artificial Intelligence"]);
        assert_eq!(topic.fields(), vec!["Computer Science"], "the same name as the arXiv group");
        assert!(TopicPlace { field: None, ..topic }.fields().is_empty());
    }
}
