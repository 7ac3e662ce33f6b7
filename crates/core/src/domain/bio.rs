//! The bio shown for a record that has none of its own: a plain statement of what the imported
//! data says, never an invented claim about the person.

/// What the record's data says about its researcher.
#[derive(Debug, Clone, Default)]
pub struct RecordFacts<'a> {
    pub name: &'a str,
    pub source: &'a str,
    pub works: i64,
    pub first_year: Option<i32>,
    pub last_year: Option<i32>,
    pub main_topic: Option<&'a str>,
}

pub fn source_label(source: &str) -> &str {
    match source {
        "arxiv" => "arXiv",
        "openalex" => "OpenAlex",
        other => other,
    }
}

/// "Mor Shpigel Nacson works on Machine Learning. 3 works imported from arXiv, 2020–2022."
pub fn generated_bio(facts: &RecordFacts<'_>) -> String {
    let mut bio = match facts.main_topic {
        Some(topic) => format!("{} works on {topic}.", facts.name),
        None => format!("{} is a researcher with public scholarly records.", facts.name),
    };
    let works = match facts.works {
        0 => "No works".to_owned(),
        1 => "1 work".to_owned(),
        n => format!("{n} works"),
    };
    bio.push_str(&format!(" {works} imported from {}", source_label(facts.source)));
    match (facts.first_year, facts.last_year) {
        (Some(a), Some(b)) if a != b => bio.push_str(&format!(", {a}–{b}.")),
        (Some(a), _) | (None, Some(a)) => bio.push_str(&format!(", {a}.")),
        (None, None) => bio.push('.'),
    }
    bio
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bio_states_topic_count_source_and_years() {
        let facts = RecordFacts {
            name: "Mor Shpigel Nacson",
            source: "arxiv",
            works: 3,
            first_year: Some(2020),
            last_year: Some(2022),
            main_topic: Some("Machine Learning"),
        };
        assert_eq!(
            generated_bio(&facts),
            "Mor Shpigel Nacson works on Machine Learning. 3 works imported from arXiv, 2020–2022."
        );
    }

    #[test]
    fn a_record_with_little_data_gets_a_modest_bio() {
        let facts = RecordFacts {
            name: "A B",
            source: "openalex",
            works: 1,
            first_year: Some(2019),
            last_year: Some(2019),
            ..RecordFacts::default()
        };
        assert_eq!(
            generated_bio(&facts),
            "A B is a researcher with public scholarly records. 1 work imported from OpenAlex, 2019."
        );
    }
}
