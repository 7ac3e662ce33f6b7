//! Importers against a real database: idempotency, malformed records, identity and topics.

use ingest::import::{import_file, ImportError, ImportKind};
use sqlx::PgPool;
use std::path::PathBuf;
use test_data::{fixture, import, import_seed, real_samples};

/// Row counts of every catalogue table, to compare before and after a re-import.
async fn table_counts(pool: &PgPool) -> Vec<(String, i64)> {
    let mut counts = Vec::new();
    for table in [
        "works",
        "authors",
        "authorships",
        "topics",
        "work_topics",
        "institutions",
        "affiliations",
        "author_topics",
        "authorship_institutions",
    ] {
        let n: i64 = sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(pool).await.expect("count");
        counts.push((table.to_owned(), n));
    }
    counts
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn importing_the_seed_twice_leaves_the_same_rows(pool: PgPool) {
    let first = import_seed(&pool).await;
    assert_eq!((first.read, first.created, first.skipped), (3, 3, 0));
    let after_first = table_counts(&pool).await;
    let second = import_seed(&pool).await;
    assert_eq!((second.read, second.created, second.updated, second.unchanged), (3, 0, 0, 3));
    assert_eq!(table_counts(&pool).await, after_first);
}

/// Imports `files` in order, twice: the first run creates rows and skips none, the second
/// changes nothing. Returns the number of works.
async fn import_twice_changes_nothing_the_second_time(pool: &PgPool, files: &[(ImportKind, PathBuf)]) -> i64 {
    for (kind, file) in files {
        let summary = import(pool, *kind, file.clone()).await;
        assert_eq!(summary.skipped, 0, "{}: {:?}", file.display(), summary.problems);
        assert!(summary.created > 0, "{}", file.display());
    }
    let after_first = table_counts(pool).await;
    for (kind, file) in files {
        let summary = import(pool, *kind, file.clone()).await;
        assert_eq!((summary.created, summary.updated), (0, 0), "{} changed rows on a re-import", file.display());
        assert_eq!(summary.unchanged, summary.read, "{}", file.display());
    }
    assert_eq!(table_counts(pool).await, after_first);
    sqlx::query_scalar("SELECT count(*) FROM works").fetch_one(pool).await.expect("count")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn importing_every_kind_of_file_twice_changes_nothing_the_second_time(pool: PgPool) {
    let files = [
        (ImportKind::Arxiv, fixture("synthetic-arxiv.jsonl")),
        (ImportKind::OpenAlexInstitutions, fixture("synthetic-openalex-institutions.json")),
        (ImportKind::OpenAlexWorks, fixture("synthetic-openalex-works.json")),
        (ImportKind::OpenAlexAuthors, fixture("synthetic-openalex-authors.json")),
    ];
    let works = import_twice_changes_nothing_the_second_time(&pool, &files).await;
    assert_eq!(works, 5 + 4 - 1, "the OpenAlex copy of 2301.10004 merged into the arXiv record");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn importing_every_real_sample_twice_changes_nothing_the_second_time(pool: PgPool) {
    let Some(data) = real_samples() else { return };
    let files = [
        (ImportKind::Arxiv, data.join("arxiv-sample/arxiv-metadata-oai-snapshot.jsonl")),
        (ImportKind::OpenAlexInstitutions, data.join("openalex-sample/institutions.json")),
        (ImportKind::OpenAlexWorks, data.join("openalex-sample/works.json")),
        (ImportKind::OpenAlexAuthors, data.join("openalex-sample/authors.json")),
    ];
    let works = import_twice_changes_nothing_the_second_time(&pool, &files).await;
    assert_eq!(works, 200 + 195);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn malformed_records_are_reported_by_line_and_skipped_whole(pool: PgPool) {
    let summary = import(&pool, ImportKind::Arxiv, fixture("malformed-arxiv.jsonl")).await;
    assert_eq!((summary.read, summary.created, summary.skipped), (5, 2, 3), "{summary:?}");
    assert!(summary.problems[0].starts_with("line 2: not valid JSON"), "{:?}", summary.problems);
    assert!(summary.problems[1].starts_with("line 3: the title is empty"), "{:?}", summary.problems);
    assert!(
        summary.problems[2].starts_with("line 5:") && summary.problems[2].contains("arXiv identifier"),
        "{:?}",
        summary.problems
    );
    let works: Vec<String> =
        sqlx::query_scalar("SELECT arxiv_id FROM works ORDER BY arxiv_id").fetch_all(&pool).await.expect("works");
    assert_eq!(works, ["2301.00001", "2301.00004"]);
    let orphans: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM authors a WHERE NOT EXISTS (SELECT 1 FROM authorships s WHERE s.author_id = a.id)",
    )
    .fetch_one(&pool)
    .await
    .expect("count");
    assert_eq!(orphans, 0, "a skipped record leaves no author behind");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn malformed_array_elements_are_reported_by_index(pool: PgPool) {
    let summary = import(&pool, ImportKind::OpenAlexWorks, fixture("linked-openalex-works.json")).await;
    assert_eq!((summary.read, summary.created, summary.skipped), (3, 1, 2), "{summary:?}");
    assert!(summary.problems[0].starts_with("index 1: the work has no title"), "{:?}", summary.problems);
    assert!(summary.problems[1].starts_with("index 2: not an OpenAlex work"), "{:?}", summary.problems);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_missing_file_is_a_clear_error(pool: PgPool) {
    let missing = fixture("does-not-exist.jsonl");
    let error = import_file(&pool, ImportKind::Arxiv, &missing, false).await.expect_err("a missing file fails");
    assert!(matches!(error, ImportError::Unreadable { .. }));
    assert!(error.to_string().contains("does-not-exist.jsonl"), "{error}");
}

/// The author `key` has one row, named `name` with a slug to match, and no name keeps a LaTeX
/// backslash. Returns the author's number of works.
async fn decoded_into_one_identity(pool: &PgPool, key: &str, name: &str) -> i64 {
    let (display_name, slug, works): (String, String, i64) = sqlx::query_as(
        "SELECT display_name, slug, (SELECT count(*) FROM authorships s WHERE s.author_id = a.id)
         FROM authors a WHERE source = 'arxiv' AND source_key = $1",
    )
    .bind(key)
    .fetch_one(pool)
    .await
    .unwrap_or_else(|e| panic!("{name} was imported under the decoded key `{key}`: {e}"));
    assert_eq!(display_name, name);
    assert!(slug.starts_with(&format!("{}-arxiv-", key.replace(' ', "-"))), "{slug}");
    let raw_latex: i64 = sqlx::query_scalar("SELECT count(*) FROM authors WHERE display_name LIKE '%\\%'")
        .fetch_one(pool)
        .await
        .expect("count");
    assert_eq!(raw_latex, 0, "no author name keeps a LaTeX backslash");
    works
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn latex_names_are_decoded_into_one_identity(pool: PgPool) {
    import(&pool, ImportKind::Arxiv, fixture("synthetic-arxiv.jsonl")).await;
    // `Bal\'azs`, `Bal\'{a}zs` and `Balázs`, one in each of three records: one researcher.
    assert_eq!(decoded_into_one_identity(&pool, "z balazs", "Z. Balázs").await, 3);
    for (key, name) in [("m muller", "M. Müller"), ("f francois", "F. François"), ("s skoda", "S. Škoda")] {
        assert_eq!(decoded_into_one_identity(&pool, key, name).await, 1);
    }
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn latex_names_in_the_real_sample_are_decoded_into_one_identity(pool: PgPool) {
    let Some(data) = real_samples() else { return };
    import(&pool, ImportKind::Arxiv, data.join("arxiv-sample/arxiv-metadata-oai-snapshot.jsonl")).await;
    decoded_into_one_identity(&pool, "c balazs", "C. Balázs").await;
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn aliased_arxiv_categories_make_one_topic(pool: PgPool) {
    import_seed(&pool).await;
    let topics: Vec<String> =
        sqlx::query_scalar("SELECT display_name FROM topics").fetch_all(&pool).await.expect("topics");
    assert_eq!(topics, ["Machine Learning"]);
    let links: i64 = sqlx::query_scalar("SELECT count(*) FROM work_topics").fetch_one(&pool).await.expect("count");
    assert_eq!(links, 3, "each work is linked once, though two list both cs.LG and stat.ML");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_openalex_copy_of_an_arxiv_work_merges_and_links_authors_by_orcid(pool: PgPool) {
    import(&pool, ImportKind::Arxiv, fixture("linked-arxiv.jsonl")).await;
    import(&pool, ImportKind::OpenAlexWorks, fixture("linked-openalex-works.json")).await;
    let works: Vec<(Option<String>, Option<String>, String)> =
        sqlx::query_as("SELECT arxiv_id, openalex_id, source FROM works").fetch_all(&pool).await.expect("works");
    assert_eq!(works, [(Some("2301.00001".to_owned()), Some("W900000001".to_owned()), "arxiv".to_owned())]);
    let (orcid, linked_to): (Option<String>, Option<String>) = sqlx::query_as(
        "SELECT a.orcid, o.openalex_id FROM authors a JOIN authors o ON o.id = a.same_as_id
         WHERE a.source = 'arxiv' AND a.source_key = 'jane roe'",
    )
    .fetch_one(&pool)
    .await
    .expect("the arXiv record of Jane Roe is linked");
    assert_eq!(orcid.as_deref(), Some("0000-0002-1825-0097"));
    assert_eq!(linked_to.as_deref(), Some("A900000001"));
    let byline: Vec<String> = sqlx::query_scalar(
        "SELECT a.source FROM authorships s JOIN authors a ON a.id = s.author_id ORDER BY s.position",
    )
    .fetch_all(&pool)
    .await
    .expect("byline");
    assert_eq!(byline, ["arxiv", "arxiv"], "the byline stays the arXiv one");
    let institutions: i64 =
        sqlx::query_scalar("SELECT count(*) FROM authorship_institutions").fetch_one(&pool).await.expect("count");
    assert_eq!(institutions, 1, "Jane's institution is attached to her arXiv authorship");
}

async fn abstract_of(pool: &PgPool, openalex_id: &str) -> String {
    sqlx::query_scalar("SELECT abstract FROM works WHERE openalex_id = $1")
        .bind(openalex_id)
        .fetch_one(pool)
        .await
        .expect("the work is there")
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn openalex_abstracts_are_rebuilt_from_the_inverted_index(pool: PgPool) {
    import(&pool, ImportKind::OpenAlexWorks, fixture("synthetic-openalex-works.json")).await;
    // The index lists its words out of order, and `the` at two positions.
    assert_eq!(
        abstract_of(&pool, "W900000101").await,
        "We rebuild this abstract from the positions of its words: the index lists each word once, \
         with every position it takes."
    );
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn openalex_abstracts_in_the_real_sample_are_rebuilt_from_the_inverted_index(pool: PgPool) {
    let Some(data) = real_samples() else { return };
    import(&pool, ImportKind::OpenAlexWorks, data.join("openalex-sample/works.json")).await;
    let text = abstract_of(&pool, "W3140854437").await;
    assert!(text.starts_with("In the last few years, the deep learning (DL) computing paradigm"), "{text}");
}
