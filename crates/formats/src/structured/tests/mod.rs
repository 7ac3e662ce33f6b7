//! Tests of the structured page metadata: JSON-LD shapes, script safety, Scholar and OpenGraph tags.

use super::*;
use bzpeer_core::domain::meta::script_text;
use serde_json::json;

const HOSTILE: &str = "</script><script>alert(1)</script><!--";

fn person() -> PersonLd {
    PersonLd {
        name: "Ada Lovelace".into(),
        url: "https://bzpeer.example/p/ada".into(),
        description: Some("Analyst & metaphysician".into()),
        same_as: vec!["https://orcid.org/0000-0002-1825-0097".into(), "https://en.wikipedia.org/wiki/Ada".into()],
        affiliation: Some(Named { name: "University of London".into(), url: Some("https://london.ac.uk".into()) }),
        knows_about: vec![
            Named { name: "Mathematics".into(), url: Some("https://bzpeer.example/t/math".into()) },
            Named { name: "Computing".into(), url: None },
        ],
        works_count: 12,
        followers: 345,
        identifier_orcid: Some("0000-0002-1825-0097".into()),
    }
}

fn article() -> ArticleLd {
    ArticleLd {
        title: "Notes on the Analytical Engine".into(),
        url: "https://bzpeer.example/w/1".into(),
        authors: vec![
            Named { name: "Ada Lovelace".into(), url: Some("https://bzpeer.example/p/ada".into()) },
            Named { name: "Luigi Menabrea".into(), url: None },
        ],
        date_published: Some("1843-09-01".into()),
        abstract_text: Some("A sketch of the engine.".into()),
        doi: Some("10.1234/abc.5".into()),
        venue: Some("Scientific Memoirs".into()),
        keywords: vec!["engines".into(), "algorithms".into()],
        is_accessible_for_free: Some(true),
        citation_count: Some(42),
        work_type: "article".into(),
    }
}

fn minimal_person() -> PersonLd {
    PersonLd { name: "X".into(), url: "https://e.x/p".into(), ..PersonLd::default() }
}

fn minimal_article() -> ArticleLd {
    ArticleLd { title: "T".into(), url: "https://e.x/w".into(), ..ArticleLd::default() }
}

/// Parses the script text back and asserts it is the same value and contains no raw `<`, `>` or `&`.
fn round_trip(v: &Value) -> String {
    let text = script_text(v);
    assert!(!text.contains(['<', '>', '&', '\u{2028}', '\u{2029}']), "unescaped char in {text}");
    assert!(!text.contains('\n'), "not compact: {text}");
    let back: Value = serde_json::from_str(&text).expect("script_text must be valid JSON");
    assert_eq!(&back, v);
    text
}

/// No `null`, empty string, empty array or empty object anywhere in the tree.
fn assert_no_empties(v: &Value, path: &str) {
    match v {
        Value::Null => panic!("null at {path}"),
        Value::String(s) => assert!(!s.is_empty(), "empty string at {path}"),
        Value::Array(a) => {
            assert!(!a.is_empty(), "empty array at {path}");
            for (i, item) in a.iter().enumerate() {
                assert_no_empties(item, &format!("{path}[{i}]"));
            }
        }
        Value::Object(o) => {
            assert!(!o.is_empty(), "empty object at {path}");
            for (k, item) in o {
                assert_no_empties(item, &format!("{path}.{k}"));
            }
        }
        Value::Bool(_) | Value::Number(_) => {}
    }
}

// ---- cleaner / helpers ----

#[test]
fn date_parsing() {
    assert_eq!(parse_date("2018").map(iso_date).as_deref(), Some("2018"));
    assert_eq!(parse_date("2018-05").map(iso_date).as_deref(), Some("2018-05"));
    assert_eq!(parse_date("2018-05-01").map(iso_date).as_deref(), Some("2018-05-01"));
    assert_eq!(parse_date("2018-05-01T12:00:00Z").map(iso_date).as_deref(), Some("2018-05-01"));
    for bad in ["", "18", "2018-5-1", "2018-13-01", "2018-00", "2018-01-32", "2018-01-00", "2018-01-01-01", "abcd"] {
        assert_eq!(parse_date(bad), None, "{bad}");
    }
    assert_eq!(parse_date("2018-05").map(scholar_date).as_deref(), Some("2018"));
}

// ---- ProfilePage ----

#[test]
fn profile_page_full_shape() {
    let v = profile_page(&person());
    let expected = json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": "https://bzpeer.example/p/ada",
        "mainEntity": {
            "@type": "Person",
            "@id": "https://bzpeer.example/p/ada#person",
            "name": "Ada Lovelace",
            "url": "https://bzpeer.example/p/ada",
            "description": "Analyst & metaphysician",
            "sameAs": ["https://orcid.org/0000-0002-1825-0097", "https://en.wikipedia.org/wiki/Ada"],
            "affiliation": {"@type": "Organization", "name": "University of London", "url": "https://london.ac.uk"},
            "knowsAbout": [
                {"@type": "Thing", "name": "Mathematics", "url": "https://bzpeer.example/t/math"},
                {"@type": "Thing", "name": "Computing"}
            ],
            "identifier": [{"@type": "PropertyValue", "propertyID": "ORCID", "value": "0000-0002-1825-0097"}],
            "interactionStatistic": {
                "@type": "InteractionCounter",
                "interactionType": "https://schema.org/FollowAction",
                "userInteractionCount": 345
            },
            "agentInteractionStatistic": {
                "@type": "InteractionCounter",
                "interactionType": "https://schema.org/WriteAction",
                "userInteractionCount": 12
            }
        }
    });
    assert_eq!(v, expected);
    assert_no_empties(&v, "$");
    round_trip(&v);
}

#[test]
fn profile_page_required_properties() {
    for p in [person(), minimal_person()] {
        let v = profile_page(&p);
        assert_eq!(v["@context"], "https://schema.org");
        assert_eq!(v["@type"], "ProfilePage");
        assert_eq!(v["mainEntity"]["@type"], "Person");
        assert!(v["mainEntity"]["name"].as_str().is_some_and(|n| !n.is_empty()));
    }
}

#[test]
fn profile_page_omits_empty_optionals() {
    let p = PersonLd {
        description: Some(" \n ".into()),
        same_as: vec!["".into(), "\t".into()],
        affiliation: Some(Named { name: "\u{202e}".into(), url: Some("https://x".into()) }),
        knows_about: vec![Named { name: " ".into(), url: None }],
        identifier_orcid: Some("".into()),
        works_count: -1,
        followers: -5,
        ..minimal_person()
    };
    let v = profile_page(&p);
    assert_eq!(
        v,
        json!({
            "@context": "https://schema.org",
            "@type": "ProfilePage",
            "url": "https://e.x/p",
            "mainEntity": {"@type": "Person", "@id": "https://e.x/p#person", "name": "X", "url": "https://e.x/p"}
        })
    );
    assert_no_empties(&v, "$");
}

#[test]
fn profile_page_zero_counts_are_kept_and_named_url_empty_is_omitted() {
    let p = PersonLd {
        affiliation: Some(Named { name: "Org".into(), url: Some("  ".into()) }),
        same_as: vec!["https://a".into(), " https://a ".into(), "https://b".into()],
        ..minimal_person()
    };
    let v = profile_page(&p);
    let e = &v["mainEntity"];
    assert_eq!(e["affiliation"], json!({"@type": "Organization", "name": "Org"}));
    assert_eq!(e["sameAs"], json!(["https://a", "https://b"]));
    assert_eq!(e["interactionStatistic"]["userInteractionCount"], 0);
    assert_eq!(e["agentInteractionStatistic"]["userInteractionCount"], 0);
    assert_no_empties(&v, "$");
}

#[test]
fn profile_page_hostile_name_stays_text() {
    let p = PersonLd {
        name: HOSTILE.into(),
        description: Some(format!("\u{202e}{HOSTILE}\n")),
        knows_about: vec![Named { name: HOSTILE.into(), url: None }],
        ..person()
    };
    let v = profile_page(&p);
    let text = round_trip(&v);
    assert!(!text.contains('<'));
    let back: Value = serde_json::from_str(&text).expect("as the test set it up");
    assert_eq!(back["mainEntity"]["name"], HOSTILE);
    assert_eq!(back["mainEntity"]["description"], HOSTILE);
    assert_eq!(back["mainEntity"]["knowsAbout"][0]["name"], HOSTILE);
}

#[test]
fn profile_page_cleans_text_fields() {
    let p = PersonLd {
        name: "\u{2066}Ada\tLovelace\u{2069}\n".into(),
        description: Some("line one\nline two".into()),
        ..minimal_person()
    };
    let v = profile_page(&p);
    assert_eq!(v["mainEntity"]["name"], "Ada Lovelace");
    assert_eq!(v["mainEntity"]["description"], "line one line two");
}

// ---- ScholarlyArticle ----

#[test]
fn scholarly_article_full_shape() {
    let v = scholarly_article(&article());
    let expected = json!({
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "@id": "https://bzpeer.example/w/1",
        "url": "https://bzpeer.example/w/1",
        "headline": "Notes on the Analytical Engine",
        "name": "Notes on the Analytical Engine",
        "author": [
            {"@type": "Person", "name": "Ada Lovelace", "url": "https://bzpeer.example/p/ada"},
            {"@type": "Person", "name": "Luigi Menabrea"}
        ],
        "datePublished": "1843-09-01",
        "abstract": "A sketch of the engine.",
        "identifier": {"@type": "PropertyValue", "propertyID": "DOI", "value": "10.1234/abc.5"},
        "sameAs": "https://doi.org/10.1234/abc.5",
        "isPartOf": {"@type": "Periodical", "name": "Scientific Memoirs"},
        "keywords": "engines, algorithms",
        "isAccessibleForFree": true,
        "interactionStatistic": {
            "@type": "InteractionCounter",
            "interactionType": "https://schema.org/CiteAction",
            "userInteractionCount": 42
        },
        "genre": "article"
    });
    assert_eq!(v, expected);
    assert_no_empties(&v, "$");
    round_trip(&v);
}

#[test]
fn scholarly_article_required_properties() {
    let v = scholarly_article(&article());
    assert_eq!(v["@type"], "ScholarlyArticle");
    assert!(v["headline"].as_str().is_some_and(|h| !h.is_empty()));
    let authors = v["author"].as_array().expect("author array");
    assert!(!authors.is_empty());
    assert!(authors.iter().all(|a| a["name"].as_str().is_some_and(|n| !n.is_empty())));
    assert_eq!(v["datePublished"], "1843-09-01");
    let year_only = scholarly_article(&ArticleLd { date_published: Some("1843".into()), ..article() });
    assert_eq!(year_only["datePublished"], "1843");
}

#[test]
fn scholarly_article_preprint_is_still_scholarly_article() {
    for work_type in ["preprint", "book-chapter", "dataset", ""] {
        let v = scholarly_article(&ArticleLd { work_type: work_type.into(), ..article() });
        assert_eq!(v["@type"], "ScholarlyArticle");
        if work_type.is_empty() {
            assert!(v.get("genre").is_none());
        } else {
            assert_eq!(v["genre"], work_type);
        }
    }
}

#[test]
fn scholarly_article_omits_empty_optionals() {
    let v = scholarly_article(&minimal_article());
    assert_eq!(
        v,
        json!({
            "@context": "https://schema.org",
            "@type": "ScholarlyArticle",
            "@id": "https://e.x/w",
            "url": "https://e.x/w",
            "headline": "T",
            "name": "T"
        })
    );
    let blanks = ArticleLd {
        authors: vec![Named { name: "\n".into(), url: Some("https://x".into()) }],
        date_published: Some("".into()),
        abstract_text: Some("  ".into()),
        doi: Some(" ".into()),
        venue: Some("\u{202c}".into()),
        keywords: vec!["".into(), " ".into()],
        citation_count: Some(-3),
        work_type: " ".into(),
        ..minimal_article()
    };
    let v2 = scholarly_article(&blanks);
    assert_eq!(v2, v);
    assert_no_empties(&v2, "$");
}

#[test]
fn scholarly_article_bad_date_and_doi_are_omitted() {
    let v = scholarly_article(&ArticleLd {
        date_published: Some("May 2018".into()),
        doi: Some("pmid:12345".into()),
        ..article()
    });
    assert!(v.get("datePublished").is_none());
    assert!(v.get("identifier").is_none());
    assert!(v.get("sameAs").is_none());
}

#[test]
fn scholarly_article_doi_prefix_stripped_and_zero_citations_kept() {
    let v = scholarly_article(&ArticleLd {
        doi: Some("https://doi.org/10.5555/a<b>".into()),
        citation_count: Some(0),
        is_accessible_for_free: Some(false),
        ..article()
    });
    assert_eq!(v["identifier"]["value"], "10.5555/a<b>");
    assert_eq!(v["sameAs"], "https://doi.org/10.5555/a%3Cb%3E");
    assert_eq!(v["interactionStatistic"]["userInteractionCount"], 0);
    assert_eq!(v["isAccessibleForFree"], false);
    round_trip(&v);
}

#[test]
fn scholarly_article_headline_truncated_at_110_chars() {
    let long: String = "é🦀a".repeat(60); // 180 chars, mixed 1/2/4-byte
    let v = scholarly_article(&ArticleLd { title: long.clone(), ..article() });
    let headline = v["headline"].as_str().expect("as the test set it up");
    assert_eq!(headline.chars().count(), 110);
    assert_eq!(headline, long.chars().take(110).collect::<String>());
    assert_eq!(v["name"], long.as_str(), "name keeps the full title");

    // Exactly 110 multibyte chars: untouched. 111: cut to 110.
    let exact = "ж".repeat(110);
    let v = scholarly_article(&ArticleLd { title: exact.clone(), ..article() });
    assert_eq!(v["headline"], exact.as_str());
    let v = scholarly_article(&ArticleLd { title: "ж".repeat(111), ..article() });
    assert_eq!(v["headline"], exact.as_str());

    // A cut landing on a space does not leave trailing whitespace.
    let spaced = format!("{} tail", "x".repeat(109));
    let v = scholarly_article(&ArticleLd { title: spaced, ..article() });
    assert_eq!(v["headline"], "x".repeat(109).as_str());
}

#[test]
fn scholarly_article_hostile_text_stays_text() {
    let a = ArticleLd {
        title: HOSTILE.into(),
        abstract_text: Some(format!("{HOSTILE}\u{2028}&amp;")),
        authors: vec![Named { name: HOSTILE.into(), url: None }],
        keywords: vec![HOSTILE.into()],
        venue: Some(HOSTILE.into()),
        ..article()
    };
    let v = scholarly_article(&a);
    let text = round_trip(&v);
    assert!(!text.contains('<'));
    assert!(!text.to_ascii_lowercase().contains("</script"));
    let back: Value = serde_json::from_str(&text).expect("as the test set it up");
    assert_eq!(back["name"], HOSTILE);
    assert_eq!(back["headline"], HOSTILE);
    assert_eq!(back["abstract"], format!("{HOSTILE}\u{2028}&amp;"));
    assert_eq!(back["author"][0]["name"], HOSTILE);
    assert_eq!(back["isPartOf"]["name"], HOSTILE);
    assert_eq!(back["keywords"], HOSTILE);
}

mod scholar;
