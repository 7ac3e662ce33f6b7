//! Who collaborator suggestions reach beyond co-authorship: a topic's researchers past the few a
//! topic page shows, the researchers of the record's field when its own topics hold only its
//! group, records ranked again when such researchers arrive in a later import, a record with
//! no candidate told why, and the real sample's reference profile.

use crate::helpers::{app, get, import, import_seed, real_samples, text, REFERENCE_SLUG};
use ingest::import::ImportKind;
use sqlx::PgPool;
use std::io::Write;

/// arXiv records (id, authors, categories), one a line, as the snapshot gives them.
fn arxiv(records: &[(&str, &str, &str)]) -> tempfile::NamedTempFile {
    let mut file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    for (id, authors, categories) in records {
        let record = serde_json::json!({
            "id": id, "authors": authors, "title": format!("Work {id}"), "categories": categories,
            "abstract": "Made up for the test.", "update_date": "2026-06-01",
            "versions": [{"version": "v1", "created": "Mon, 1 Jun 2026 00:00:00 GMT"}]
        });
        writeln!(file, "{record}").unwrap_or_else(|e| panic!("{e}"));
    }
    file
}

/// The record's suggestions in rank order: candidate, hops, field.
async fn suggested(pool: &PgPool, name: &str) -> Vec<(String, i16, Option<String>)> {
    sqlx::query_as(
        "SELECT c.display_name, s.hops, s.field FROM suggestions s JOIN authors a ON a.id = s.author_id
         JOIN authors c ON c.id = s.candidate_id WHERE a.display_name = $1 ORDER BY s.rank",
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

fn names(list: &[(String, i16, Option<String>)]) -> Vec<&str> {
    let mut names: Vec<&str> = list.iter().map(|(n, _, _)| n.as_str()).collect();
    names.sort_unstable();
    names
}

async fn rank_everything(pool: &PgPool) {
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    db::caches::suggestions::rebuild_all(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_group_alone_on_its_topic_is_offered_its_fields_researchers_even_when_they_come_later(pool: PgPool) {
    // The seed: nine researchers, everyone on "Machine Learning" (cs.LG, stat.ML), all co-authors
    // of the reference record. It is ranked now, with no one to offer.
    import_seed(&pool).await;
    assert_eq!(suggested(&pool, "Mor Shpigel Nacson").await, vec![]);
    // A later file brings two researchers on neural computing (cs.NE: Computer Science) and a
    // physicist (hep-th), none of them near the group by co-authorship.
    let later =
        arxiv(&[("0704.0047", "T. Kosel and I. Grabec", "cs.NE cs.AI"), ("0704.0100", "Pat Physicist", "hep-th")]);
    import(&pool, ImportKind::Arxiv, later.path().to_owned()).await;
    // The import ranked the short list again: the field's researchers, never the physicist.
    let list = suggested(&pool, "Mor Shpigel Nacson").await;
    assert_eq!(names(&list), vec!["I. Grabec", "T. Kosel"], "{list:?}");
    assert!(list.iter().all(|(_, hops, field)| *hops == 0 && field.as_deref() == Some("Computer Science")));
    let app = app(pool.clone());
    let profile = text(&get(&app, &format!("/authors/{REFERENCE_SLUG}")).await.body);
    let section = profile.split("Researchers to work with").nth(1).unwrap_or_default();
    let reason = section.split("T. Kosel").nth(1).unwrap_or_default();
    assert!(
        reason.contains(
            "Also works in Computer Science, on Artificial Intelligence and Neural and Evolutionary Computing"
        ),
        "{reason}"
    );
    let page = get(&app, &format!("/authors/{REFERENCE_SLUG}/suggestions")).await.body;
    assert!(page.contains(r#"href="/topics/neural-and-evolutionary-computing-"#), "the topic is a link");
    // The daily full ranking gives the same list.
    rank_everything(&pool).await;
    assert_eq!(suggested(&pool, "Mor Shpigel Nacson").await, list);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_topics_researchers_past_the_twelve_a_page_shows_are_candidates(pool: PgPool) {
    // Thirteen researchers wrote two works together on Machine Learning: they fill its first
    // twelve places. Sam wrote one there alone.
    let group: Vec<String> = (1..=13).map(|i| format!("Group Member{i:02}")).collect();
    let byline = group.join(", ");
    let file = arxiv(&[
        ("2601.00001", &byline, "cs.LG"),
        ("2601.00002", &byline, "cs.LG"),
        ("2601.00003", "Sam Solo", "cs.LG"),
    ]);
    import(&pool, ImportKind::Arxiv, file.path().to_owned()).await;
    for member in ["Group Member01", "Group Member13"] {
        assert_eq!(
            suggested(&pool, member).await,
            vec![("Sam Solo".to_owned(), 0, None)],
            "{member}: a researcher on the same topic, 14th by works"
        );
    }
    let app = app(pool.clone());
    let slug: String = sqlx::query_scalar("SELECT slug FROM authors WHERE display_name = 'Group Member01'")
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let profile = text(&get(&app, &format!("/authors/{slug}")).await.body);
    assert!(profile.contains("Sam Solo 1 work Shares Machine Learning"), "{profile}");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_record_with_no_candidate_anywhere_is_told_why(pool: PgPool) {
    // Two researchers on a topic no one else works on, in no field the catalogue knows.
    let file = arxiv(&[("2601.00004", "Lee Alone and Kim Alone", "not-a.category")]);
    import(&pool, ImportKind::Arxiv, file.path().to_owned()).await;
    let app = app(pool.clone());
    let slug: String = sqlx::query_scalar("SELECT slug FROM authors WHERE display_name = 'Lee Alone'")
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let why = "No suggestions: everyone its co-authors have worked with, and everyone on its topics and in its \
               fields, already works with this researcher.";
    assert!(text(&get(&app, &format!("/authors/{slug}")).await.body).contains(why));
    assert!(text(&get(&app, &format!("/authors/{slug}/suggestions")).await.body).contains(why));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_real_samples_reference_profile_and_its_closest_co_author_have_suggestions_with_why(pool: PgPool) {
    let Some(dir) = real_samples() else { return };
    // Imported as `make run` imports them, one file after another, each ranking what it marked.
    let report = ingest::import::demo::load_if_empty(&pool, &dir, false).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(report.files.len(), 5, "{:?}", report.missing);
    let app = app(pool.clone());
    for (name, slug) in [
        ("Mor Shpigel Nacson", REFERENCE_SLUG.to_owned()),
        ("Daniel Soudry", "daniel-soudry-arxiv-c9e2ccc1ed".to_owned()),
    ] {
        let list = suggested(&pool, name).await;
        assert!(list.len() >= 5, "{name}: {list:?}");
        let profile = text(&get(&app, &format!("/authors/{slug}")).await.body);
        let section = profile.split("Researchers to work with").nth(1).unwrap_or_default();
        let section = section.split("All suggestions").next().unwrap_or_default();
        assert!(!section.contains("No suggestions"), "{name}: {section}");
        assert_eq!(section.matches("Also works in Computer Science, on ").count(), 5, "{name}: {section}");
    }
    let short: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM authors a WHERE NOT EXISTS (SELECT 1 FROM suggestions s WHERE s.author_id = a.id)",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or(-1);
    let _ = writeln!(std::io::stderr(), "real sample: {short} records without suggestions");
}
