//! Google Scholar's `citation_*` tags: their order, omissions and normalised DOIs.

use super::super::*;

#[test]
fn scholar_meta_order_and_values() {
    let authors = vec!["Ada Lovelace".to_string(), "Menabrea, Luigi".to_string()];
    let m = ScholarMeta {
        title: "Notes",
        authors: &authors,
        date: Some("2018-05-01"),
        venue: Some("Memoirs"),
        doi: Some("10.1234/abc"),
        page_url: "https://bzpeer.example/w/1",
        pdf_url: Some("https://bzpeer.example/w/1.pdf"),
    };
    let tags = scholar_meta(&m);
    let expected: Vec<(&str, String)> = vec![
        ("citation_title", "Notes".into()),
        ("citation_author", "Ada Lovelace".into()),
        ("citation_author", "Menabrea, Luigi".into()),
        ("citation_publication_date", "2018/05/01".into()),
        ("citation_journal_title", "Memoirs".into()),
        ("citation_doi", "10.1234/abc".into()),
        ("citation_abstract_html_url", "https://bzpeer.example/w/1".into()),
        ("citation_pdf_url", "https://bzpeer.example/w/1.pdf".into()),
    ];
    assert_eq!(tags, expected);
}

#[test]
fn scholar_meta_year_only_and_omissions() {
    let authors = vec!["".to_string(), " A\tB ".to_string()];
    let m = ScholarMeta {
        title: "T",
        authors: &authors,
        date: Some("2018"),
        venue: Some(" "),
        doi: None,
        page_url: "https://e.x/w",
        pdf_url: Some(""),
    };
    let tags = scholar_meta(&m);
    assert_eq!(
        tags,
        vec![
            ("citation_title", "T".to_string()),
            ("citation_author", "A B".to_string()),
            ("citation_publication_date", "2018".to_string()),
            ("citation_abstract_html_url", "https://e.x/w".to_string()),
        ]
    );
    let none = ScholarMeta { date: None, ..m };
    assert!(scholar_meta(&none).iter().all(|(k, _)| *k != "citation_publication_date"));
    let bad = ScholarMeta { date: Some("01/05/2018"), doi: Some("nope"), ..m };
    let tags = scholar_meta(&bad);
    assert!(tags.iter().all(|(k, _)| *k != "citation_publication_date" && *k != "citation_doi"));
    assert!(tags.iter().all(|(_, v)| !v.is_empty()));
}

#[test]
fn scholar_meta_normalises_doi_prefix() {
    let m = ScholarMeta {
        title: "T",
        authors: &[],
        date: Some("2018-05"),
        venue: None,
        doi: Some("https://doi.org/10.1/x"),
        page_url: "",
        pdf_url: None,
    };
    assert_eq!(
        scholar_meta(&m),
        vec![
            ("citation_title", "T".to_string()),
            ("citation_publication_date", "2018".to_string()),
            ("citation_doi", "10.1/x".to_string()),
        ]
    );
}
