//! Pages of arXiv's OAI-PMH answers read into records: fields, authors, dates, tokens and errors.

use super::*;

const XSI: &str = "http://www.w3.org/2001/XMLSchema-instance";

fn two_record_page() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/" xmlns:xsi="{XSI}" xsi:schemaLocation="http://www.openarchives.org/OAI/2.0/ http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd">
<responseDate>2024-05-01T12:00:00Z</responseDate>
<request verb="ListRecords" metadataPrefix="arXiv" set="cs">http://export.arxiv.org/oai2</request>
<ListRecords>
<record>
<header>
 <identifier>oai:arXiv.org:1806.01796</identifier>
 <datestamp>2022-01-10</datestamp>
 <setSpec>cs</setSpec>
 <setSpec>stat</setSpec>
</header>
<metadata>
 <arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="{XSI}" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
 <id>1806.01796</id><created>2018-06-05</created><updated>2022-01-09</updated><authors><author><keyname>Soudry</keyname><forenames>Daniel</forenames></author><author><keyname>Hoffer</keyname><forenames>Elad</forenames></author><author><keyname>Nacson</keyname><forenames>Mor  Shpigel</forenames></author></authors><title>The Implicit Bias of Gradient Descent on
  Separable Data</title><categories>stat.ML cs.LG</categories><comments>Final JMLR version, with improved discussions over v3. Main
  improvements in journal version</comments><journal-ref>Journal of Machine Learning Research 19 (2018) 1-57</journal-ref><doi>10.5555/3291125.3309632</doi><license>http://arxiv.org/licenses/nonexclusive-distrib/1.0/</license><abstract>  We examine gradient descent on unregularized logistic regression problems,
with homogeneous linear predictors on linearly separable datasets.
</abstract></arXiv>
</metadata>
</record>
<record>
<header>
 <identifier>oai:arXiv.org:0704.0001</identifier>
 <datestamp>2008-11-13</datestamp>
 <setSpec>physics:hep-ph</setSpec>
</header>
<metadata>
 <arXiv xmlns="http://arxiv.org/OAI/arXiv/" xmlns:xsi="{XSI}" xsi:schemaLocation="http://arxiv.org/OAI/arXiv/ http://arxiv.org/OAI/arXiv.xsd">
 <id>0704.0001</id><created>2007-04-02</created><authors><author><keyname>Balázs</keyname><forenames>C.</forenames></author><author><keyname>Berger</keyname><forenames>E. L.</forenames></author><author><keyname>Nadolsky</keyname><forenames>P. M.</forenames></author></authors><title>Calculation of prompt diphoton production cross sections at Tevatron and
  LHC energies</title><categories>hep-ph</categories><comments>37 pages, 15 figures; published version</comments><journal-ref>Phys.Rev.D76:013009,2007</journal-ref><doi>10.1103/PhysRevD.76.013009</doi><report-no>ANL-HEP-PR-07-12</report-no><abstract>  A fully differential calculation in perturbative quantum chromodynamics is
presented for the production of massive photon pairs at hadron colliders.
</abstract></arXiv>
</metadata>
</record>
<resumptionToken cursor="0" completeListSize="2345">6960524|1001</resumptionToken>
</ListRecords>
</OAI-PMH>"#
    )
}

fn wrap_list(inner: &str) -> String {
    format!(
        r#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-05-01T12:00:00Z</responseDate><request verb="ListRecords">http://export.arxiv.org/oai2</request><ListRecords>{inner}</ListRecords></OAI-PMH>"#
    )
}

fn arxiv_record_xml(datestamp: &str, arxiv_inner: &str) -> String {
    format!(
        r#"<record><header><identifier>oai:arXiv.org:x</identifier><datestamp>{datestamp}</datestamp></header><metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/">{arxiv_inner}</arXiv></metadata></record>"#
    )
}

#[test]
fn realistic_two_record_page() {
    let page = parse_page(&two_record_page()).expect("the page parses");
    assert_eq!(page.deleted, 0);
    assert_eq!(page.resumption_token.as_deref(), Some("6960524|1001"));
    assert_eq!(page.complete_list_size, Some(2345));
    assert_eq!(page.records.len(), 2);
    assert_eq!(
        page.records[0],
        json!({
            "id": "1806.01796",
            "authors": "Daniel Soudry, Elad Hoffer, Mor Shpigel Nacson",
            "title": "The Implicit Bias of Gradient Descent on Separable Data",
            "comments": "Final JMLR version, with improved discussions over v3. Main improvements in journal version",
            "journal-ref": "Journal of Machine Learning Research 19 (2018) 1-57",
            "doi": "10.5555/3291125.3309632",
            "categories": "stat.ML cs.LG",
            "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
            "abstract": "We examine gradient descent on unregularized logistic regression problems, with homogeneous \
                         linear predictors on linearly separable datasets.",
            "versions": [{"version": "v1", "created": "Tue, 5 Jun 2018 00:00:00 GMT"}],
            "update_date": "2022-01-09",
            "oai_datestamp": "2022-01-10",
        })
    );
    assert_eq!(
        page.records[1],
        json!({
            "id": "0704.0001",
            "authors": "C. Balázs, E. L. Berger, P. M. Nadolsky",
            "title": "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies",
            "comments": "37 pages, 15 figures; published version",
            "journal-ref": "Phys.Rev.D76:013009,2007",
            "doi": "10.1103/PhysRevD.76.013009",
            "report-no": "ANL-HEP-PR-07-12",
            "categories": "hep-ph",
            "abstract": "A fully differential calculation in perturbative quantum chromodynamics is presented for the \
                         production of massive photon pairs at hadron colliders.",
            "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 00:00:00 GMT"}],
            "update_date": "2007-04-02",
            "oai_datestamp": "2008-11-13",
        })
    );
    assert!(page.records[1].get("license").is_none(), "a missing element leaves its key out");
}

#[test]
fn last_page_has_no_token() {
    let xml = wrap_list(&format!(
        r#"{}<resumptionToken cursor="2000" completeListSize="2345"/>"#,
        arxiv_record_xml("2020-01-01", "<id>2001.00001</id><created>2020-01-01</created>")
    ));
    let page = parse_page(&xml).expect("the page parses");
    assert_eq!(page.records.len(), 1);
    assert_eq!(page.resumption_token, None);
    assert_eq!(page.complete_list_size, Some(2345));

    let blank = wrap_list(r#"<resumptionToken cursor="2000" completeListSize="2345">   </resumptionToken>"#);
    assert_eq!(parse_page(&blank).expect("the page parses").resumption_token, None);

    let absent = wrap_list(&arxiv_record_xml("2020-01-01", "<id>2001.00001</id>"));
    let page = parse_page(&absent).expect("the page parses");
    assert_eq!((page.resumption_token, page.complete_list_size), (None, None));
}

#[test]
fn deleted_records_are_counted_not_returned() {
    let xml = wrap_list(&format!(
        r#"<record><header status="deleted"><identifier>oai:arXiv.org:1234.5678</identifier><datestamp>2021-03-04</datestamp><setSpec>cs</setSpec></header></record>{}<record><header><identifier>oai:arXiv.org:none</identifier><datestamp>2021-03-04</datestamp></header></record>"#,
        arxiv_record_xml("2021-03-04", "<id>2103.00001</id><created>2021-03-01</created>")
    ));
    let page = parse_page(&xml).expect("the page parses");
    assert_eq!(page.deleted, 1);
    assert_eq!(page.records.len(), 1, "the record without metadata is skipped silently");
    assert_eq!(page.records[0]["id"], "2103.00001");
}

#[test]
fn no_records_match_is_an_empty_page() {
    let xml = r#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-05-01T12:00:00Z</responseDate><request verb="ListRecords" metadataPrefix="arXiv" from="2099-01-01">http://export.arxiv.org/oai2</request><error code="noRecordsMatch">The combination of the values of the from, until, set and metadataPrefix arguments results in an empty list.</error></OAI-PMH>"#;
    assert_eq!(parse_page(xml), Ok(OaiPage::default()));
}

#[test]
fn bad_resumption_token_is_a_protocol_error() {
    let xml = r#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-05-01T12:00:00Z</responseDate><request verb="ListRecords">http://export.arxiv.org/oai2</request><error code="badResumptionToken">The value of the resumptionToken argument is invalid or expired.</error></OAI-PMH>"#;
    let err = parse_page(xml).expect_err("an expired token is an error");
    assert_eq!(
        err,
        OaiError::Protocol {
            code: "badResumptionToken".to_string(),
            message: "The value of the resumptionToken argument is invalid or expired.".to_string(),
        }
    );
    assert_eq!(
        err.to_string(),
        "the OAI-PMH server answered badResumptionToken: The value of the resumptionToken argument is invalid \
         or expired."
    );
}

#[test]
fn malformed_documents_are_rejected() {
    for (xml, needle) in [
        ("this is not xml", "not XML"),
        ("", "not XML"),
        ("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"><ListRecords>", "not XML"),
        ("<html><body>Service Unavailable</body></html>", "<html> without namespace"),
        ("<OAI-PMH><ListRecords/></OAI-PMH>", "<OAI-PMH> without namespace"),
        ("<OAI-PMH xmlns=\"http://example.org/\"/>", "namespace http://example.org/"),
        ("<OAI-PMH xmlns=\"http://www.openarchives.org/OAI/2.0/\"/>", "neither <ListRecords> nor <error>"),
    ] {
        match parse_page(xml) {
            Err(OaiError::Malformed(why)) => assert!(why.contains(needle), "{xml:?}: {why:?} lacks {needle:?}"),
            other => unreachable!("{xml:?} should be malformed, got {other:?}"),
        }
    }
    let err = parse_page("<html/>").expect_err("html is not OAI-PMH");
    assert!(err.to_string().starts_with("the OAI-PMH response is malformed: the root element is <html>"));
}

#[test]
fn entities_prefixes_suffixes_and_missing_forenames() {
    let xml = r#"<?xml version="1.0"?>
<oai:OAI-PMH xmlns:oai="http://www.openarchives.org/OAI/2.0/">
 <oai:responseDate>2024-05-01T12:00:00Z</oai:responseDate>
 <oai:ListRecords>
  <oai:record>
   <oai:header><oai:identifier>oai:arXiv.org:math/0611234</oai:identifier><oai:datestamp>2006-11-08</oai:datestamp></oai:header>
   <oai:metadata>
<ax:arXiv xmlns:ax="http://arxiv.org/OAI/arXiv/">
 <ax:id> math/0611234 </ax:id>
 <ax:created>2006-11-08</ax:created>
 <ax:authors>
  <ax:author><ax:keyname>Smith</ax:keyname><ax:forenames>John  A.</ax:forenames><ax:suffix>Jr.</ax:suffix></ax:author>
  <ax:author><ax:keyname>The ATLAS
    Collaboration</ax:keyname></ax:author>
 </ax:authors>
 <ax:title>Sets &amp; maps: &lt;b&gt;bold&lt;/b&gt; <![CDATA[x < y & z]]> &#233;</ax:title>
 <ax:categories>math.CO
   cs.DM</ax:categories>
 <ax:comments></ax:comments>
 <ax:abstract>Line one<!-- a comment -->,
  line two.</ax:abstract>
</ax:arXiv>
   </oai:metadata>
  </oai:record>
  <oai:resumptionToken completeListSize="7" cursor="0">abc|1001</oai:resumptionToken>
 </oai:ListRecords>
</oai:OAI-PMH>"#;
    let page = parse_page(xml).expect("the prefixed page parses");
    assert_eq!(page.resumption_token.as_deref(), Some("abc|1001"));
    assert_eq!(page.complete_list_size, Some(7));
    assert_eq!(
        page.records,
        vec![json!({
            "id": "math/0611234",
            "authors": "John A. Smith Jr., The ATLAS Collaboration",
            "title": "Sets & maps: <b>bold</b> x < y & z é",
            "categories": "math.CO cs.DM",
            "abstract": "Line one, line two.",
            "versions": [{"version": "v1", "created": "Wed, 8 Nov 2006 00:00:00 GMT"}],
            "update_date": "2006-11-08",
            "oai_datestamp": "2006-11-08",
        })]
    );
}

#[test]
fn foreign_namespace_is_not_matched() {
    // Same local names in another namespace must not be taken for OAI or arXiv elements.
    let xml = wrap_list(
        r#"<record><header><datestamp>2020-01-01</datestamp></header><metadata><arXiv xmlns="http://example.org/"><id>1</id></arXiv></metadata></record><x:resumptionToken xmlns:x="http://example.org/">nope</x:resumptionToken>"#,
    );
    assert_eq!(parse_page(&xml), Ok(OaiPage::default()));
}

#[test]
fn unparsable_created_gives_no_versions() {
    let xml = wrap_list(&arxiv_record_xml(
        "2020-02-02",
        "<id>2002.00002</id><created>sometime</created><updated>2020-02-01</updated>",
    ));
    let page = parse_page(&xml).expect("the page parses");
    assert_eq!(page.records[0]["versions"], json!([]));
    assert_eq!(page.records[0]["update_date"], "2020-02-01");
    assert_eq!(page.records[0]["authors"], "");
    assert_eq!(page.records[0]["categories"], "");
}

#[test]
fn errors_display_as_sentences() {
    let protocol = OaiError::Protocol {
        code: "cannotDisseminateFormat".to_string(),
        message: "'foo' is not supported".to_string(),
    };
    assert_eq!(protocol.to_string(), "the OAI-PMH server answered cannotDisseminateFormat: 'foo' is not supported");
    let bare = OaiError::Protocol { code: "badArgument".to_string(), message: String::new() };
    assert_eq!(bare.to_string(), "the OAI-PMH server answered badArgument");
    let malformed = OaiError::Malformed("not XML: unexpected end of stream".to_string());
    assert_eq!(malformed.to_string(), "the OAI-PMH response is malformed: not XML: unexpected end of stream");
    let as_dyn: &dyn std::error::Error = &malformed;
    assert!(as_dyn.source().is_none());
}

#[test]
fn protocol_error_other_than_no_records_wins() {
    let xml = r#"<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><error code="noRecordsMatch">empty</error><error code="badArgument">Illegal argument
       'foo'</error></OAI-PMH>"#;
    assert_eq!(
        parse_page(xml),
        Err(OaiError::Protocol { code: "badArgument".to_string(), message: "Illegal argument 'foo'".to_string() })
    );
}
