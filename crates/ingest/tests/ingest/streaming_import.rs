//! The streaming importer: gzipped OpenAlex snapshot directories, bounded batches, the set-based
//! merge falling back to record-by-record writes, and the export the importer reads back.

use flate2::write::GzEncoder;
use flate2::Compression;
use ingest::import::export::export_openalex_works;
use ingest::import::{import_with, ImportKind, ImportOptions};
use serde_json::{json, Value};
use sqlx::PgPool;
use std::io::Write;
use std::path::Path;
use test_data::import;
use test_data::synthetic::{work, Author};

/// `lines` gzipped into `dir/name`, one a line, written as is (so a test can break one).
fn write_part(dir: &Path, name: &str, lines: &[String]) {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("a folder")).expect("folder made");
    let mut gz = GzEncoder::new(std::fs::File::create(&path).expect("created"), Compression::fast());
    for line in lines {
        writeln!(gz, "{line}").expect("written");
    }
    gz.finish().expect("finished");
}

fn synthetic_work(n: u32) -> Value {
    let authors = [
        Author { id: n, name: "Ada Lovelace", institution: Some(n % 7) },
        Author { id: 100_000 + n % 13, name: "Grace Hopper", institution: None },
    ];
    work(n, &format!("Synthetic work {n}"), "2024-05-01", &authors, &[n % 5, 7])
}

async fn count(pool: &PgPool, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT count(*) FROM {table}")).fetch_one(pool).await.expect("count")
}

async fn counts(pool: &PgPool) -> Vec<i64> {
    let mut all = Vec::new();
    for table in ["works", "authors", "authorships", "authorship_institutions", "institutions", "topics", "work_topics"]
    {
        all.push(count(pool, table).await);
    }
    all
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_gzipped_snapshot_directory_is_imported_part_by_part_and_a_bad_line_is_reported_by_file_and_line(
    pool: PgPool,
) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let line = |n: u32| synthetic_work(n).to_string();
    write_part(dir.path(), "updated_date=2026-01-01/part_000.gz", &[line(1), line(2), "{\"id\": ".to_owned(), line(3)]);
    write_part(dir.path(), "updated_date=2026-01-01/part_001.gz", &[line(4)]);
    write_part(dir.path(), "updated_date=2026-01-02/part_000.gz", &[String::new(), line(5), line(1)]);
    std::fs::write(dir.path().join("manifest"), "{\"entries\": []}").expect("manifest written");

    let first = import(&pool, ImportKind::OpenAlexWorks, dir.path().to_path_buf()).await;
    assert_eq!((first.read, first.created, first.skipped), (7, 5, 1), "{first:?}");
    assert_eq!(first.unchanged, 1, "work 1 again, in the last part, changes nothing: {first:?}");
    assert_eq!(first.problems.len(), 1);
    assert_eq!(first.merges_refused, 0, "the batch was merged set-based");
    assert!(
        first.problems[0].starts_with("updated_date=2026-01-01/part_000.gz line 3: not valid JSON"),
        "{:?}",
        first.problems
    );
    assert_eq!(count(&pool, "works").await, 5);
    let after_first = counts(&pool).await;

    let second = import(&pool, ImportKind::OpenAlexWorks, dir.path().to_path_buf()).await;
    assert_eq!((second.read, second.created, second.updated, second.unchanged, second.skipped), (7, 0, 0, 6, 1));
    assert_eq!(counts(&pool).await, after_first, "a re-run leaves the same rows");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_file_far_larger_than_a_batch_is_written_in_bounded_batches(pool: PgPool) {
    let file = tempfile::Builder::new().suffix(".jsonl.gz").tempfile().expect("a temporary file");
    let lines: Vec<String> = (1..=1000).map(|n| synthetic_work(n).to_string()).collect();
    write_part(
        file.path().parent().expect("a folder"),
        &file.path().file_name().expect("named").to_string_lossy(),
        &lines,
    );
    let options = ImportOptions { progress: false, batch_size: 64 };

    let first = import_with(&pool, ImportKind::OpenAlexWorks, file.path(), options).await.expect("imported");
    assert_eq!((first.read, first.created, first.skipped), (1000, 1000, 0), "{:?}", first.problems);
    assert_eq!(first.largest_batch, 64, "no batch holds more than the batch size");
    assert_eq!(first.batches, 1000_usize.div_ceil(64));
    assert_eq!(first.merges_refused, 0, "every batch was merged set-based");
    assert_eq!(count(&pool, "authorships").await, 2000);

    let after_first = counts(&pool).await;
    let again =
        import_with(&pool, ImportKind::OpenAlexWorks, file.path(), ImportOptions { batch_size: 300, ..options })
            .await
            .expect("imported");
    assert_eq!((again.created, again.updated, again.unchanged, again.merges_refused), (0, 0, 1000, 0));
    assert!(again.largest_batch <= 300);
    assert_eq!(counts(&pool).await, after_first);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_batch_the_database_refuses_is_written_one_by_one_and_only_the_refused_record_is_skipped(pool: PgPool) {
    // Two institutions with one ROR: each record is valid alone, the second breaks the unique ROR.
    let with_institution = |n: u32, institution: &str| {
        let mut w = synthetic_work(n);
        w["authorships"][0]["institutions"] = json!([{"id": format!("https://openalex.org/{institution}"),
            "display_name": institution, "ror": "https://ror.org/05x2bcf33"}]);
        w
    };
    let records = [synthetic_work(1), with_institution(2, "I911"), synthetic_work(3), with_institution(4, "I922")];
    let file = test_data::synthetic::json_array(&records);

    let summary = import(&pool, ImportKind::OpenAlexWorks, file.path().to_path_buf()).await;
    assert_eq!((summary.read, summary.created, summary.skipped), (4, 3, 1), "{summary:?}");
    assert!(summary.problems[0].starts_with("index 3: the database refused it"), "{:?}", summary.problems);
    assert_eq!(summary.merges_refused, 1, "the merge was refused, then each record written alone");
    let works: Vec<String> =
        sqlx::query_scalar("SELECT openalex_id FROM works ORDER BY openalex_id").fetch_all(&pool).await.expect("works");
    assert_eq!(works, ["W900000001", "W900000002", "W900000003"]);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn an_exported_snapshot_imports_back_unchanged(pool: PgPool) {
    let records: Vec<Value> = (1..=25).map(synthetic_work).collect();
    let file = test_data::synthetic::json_array(&records);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_path_buf()).await;
    let before = counts(&pool).await;

    let dir = tempfile::tempdir().expect("a temporary folder");
    let exported = export_openalex_works(&pool, dir.path(), 10).await.expect("exported");
    assert_eq!((exported.works, exported.files.len()), (25, 3));
    assert!(exported.files[2].ends_with("part_002.gz"), "{:?}", exported.files);

    let again = import(&pool, ImportKind::OpenAlexWorks, dir.path().to_path_buf()).await;
    assert_eq!((again.read, again.created, again.updated, again.unchanged), (25, 0, 0, 25), "{:?}", again.problems);
    assert_eq!(again.merges_refused, 0);
    assert_eq!(counts(&pool).await, before);
}
