//! `server generate`: a small synthetic catalogue has the real one's shape (bylines, works per
//! record, topics, years, names, abstracts), loads with its indexes and constraints restored, is
//! the same for the same seed, refuses a non-empty database and replaces it cleanly on request.

use crate::helpers::{app, get};
use axum::http::StatusCode;
use ingest::generate::{generate, GenerateError, Size};
use sqlx::PgPool;

const SIZE: Size = Size { authors: 2_000, works: 6_000, seed: 5 };

async fn scalar(pool: &PgPool, sql: &str) -> f64 {
    let value: Option<f64> = sqlx::query_scalar(sql).fetch_one(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
    value.unwrap_or(f64::NAN)
}

async fn fingerprint(pool: &PgPool) -> (String, String) {
    sqlx::query_as(
        "SELECT (SELECT md5(string_agg(id || slug || title || coalesce(abstract, '') || coalesce(year, 0)
                                       || cited_by_count, '|' ORDER BY id)) FROM works),
                (SELECT md5(string_agg(work_id || ':' || position || ':' || author_id, '|' ORDER BY work_id, position))
                 FROM authorships)",
    )
    .fetch_one(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

/// Indexes and constraints of the catalogue tables, by name.
async fn schema_objects(pool: &PgPool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT indexname::text FROM pg_indexes WHERE schemaname = 'public'
         UNION ALL SELECT conname::text FROM pg_constraint WHERE connamespace = 'public'::regnamespace
         ORDER BY 1",
    )
    .fetch_all(pool)
    .await
    .unwrap_or_default()
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_small_catalogue_has_the_real_shape(pool: PgPool) {
    let before = schema_objects(&pool).await;
    let report = generate(&pool, SIZE, false, false).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((report.totals.authors, report.totals.works), (2_000, 6_000));
    assert_eq!(schema_objects(&pool).await, before, "every index and constraint is back");
    assert_eq!(scalar(&pool, "SELECT count(*)::float8 FROM bulk_load_deferred").await, 0.0);

    let per_work = "SELECT count(*) AS n FROM authorships GROUP BY work_id";
    let median = |q: &str| format!("SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n)::float8 FROM ({q}) x");
    assert_eq!(scalar(&pool, &median(per_work)).await, 3.0, "authors per work: median 3");
    assert!(scalar(&pool, &format!("SELECT max(n)::float8 FROM ({per_work}) x")).await >= 15.0, "a long tail");

    let per_author =
        "SELECT count(s.work_id) AS n FROM authors a LEFT JOIN authorships s ON s.author_id = a.id GROUP BY a.id";
    assert!(
        scalar(&pool, &format!("SELECT min(n)::float8 FROM ({per_author}) x")).await >= 1.0,
        "every record has a work"
    );
    let few = scalar(&pool, &format!("SELECT avg((n <= 3)::int)::float8 FROM ({per_author}) x")).await;
    assert!(few >= 0.45, "most records hold 1 to 3 works: {few}");
    let most = scalar(&pool, &format!("SELECT max(n)::float8 FROM ({per_author}) x")).await;
    assert!(most >= 100.0, "a few records hold hundreds or thousands: {most}");

    let topics = "SELECT count(*) AS n FROM work_topics GROUP BY work_id";
    assert_eq!(scalar(&pool, &format!("SELECT min(n)::float8 FROM ({topics}) x")).await, 1.0);
    assert_eq!(scalar(&pool, &format!("SELECT max(n)::float8 FROM ({topics}) x")).await, 3.0);
    assert_eq!(scalar(&pool, "SELECT count(*)::float8 FROM works w WHERE NOT EXISTS (SELECT 1 FROM work_topics t WHERE t.work_id = w.id)").await, 0.0);
    assert_eq!(scalar(&pool, "SELECT min(year)::float8 FROM works").await, 1990.0);
    assert_eq!(scalar(&pool, "SELECT max(year)::float8 FROM works").await, 2026.0);

    let words = "SELECT array_length(regexp_split_to_array(abstract, '\\s+'), 1) AS n FROM works";
    let median_words = scalar(&pool, &median(words)).await;
    assert!((130.0..=190.0).contains(&median_words), "abstracts of realistic length: {median_words}");
    let shared = scalar(
        &pool,
        "SELECT max(c)::float8 / (SELECT count(*) FROM authors) FROM
         (SELECT count(*) AS c FROM authors GROUP BY split_part(display_name, ' ', -1)) x",
    )
    .await;
    assert!(shared >= 0.03, "common surnames are shared by many records: {shared}");
    let cited = "SELECT cited_by_count AS n FROM works";
    assert!(scalar(&pool, &median(cited)).await <= 10.0);
    assert!(
        scalar(&pool, &format!("SELECT max(n)::float8 FROM ({cited}) x")).await >= 200.0,
        "citations: a Zipf-like tail"
    );

    // The aggregates the generator computed are those the database's refresh computes.
    let aggregates =
        "SELECT (SELECT md5(string_agg(concat_ws(',', author_id, works_count, first_year, last_year, topics_count,
                                                    main_topic_id, institution_id, coauthors_count, citations, h_index,
                                                    i10_index, work_years, work_year_counts), '|' ORDER BY author_id))
                              FROM author_stats)
                          || (SELECT md5(string_agg(concat_ws(',', author_id, coauthor_id, shared_works, last_shared),
                                                    '|' ORDER BY author_id, coauthor_id)) FROM coauthors)";
    let generated: String = sqlx::query_scalar(aggregates).fetch_one(&pool).await.unwrap_or_default();
    assert_eq!(scalar(&pool, "SELECT count(*)::float8 FROM author_stats").await, 2_000.0);
    sqlx::query("SELECT refresh_author_stats(array(SELECT id FROM authors))")
        .execute(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let refreshed: String = sqlx::query_scalar(aggregates).fetch_one(&pool).await.unwrap_or_default();
    assert_eq!(generated, refreshed, "the generator's aggregates are the refresh's");

    // The catalogue is one the pages read: the most prolific record's profile and a search.
    let slug: String = sqlx::query_scalar(
        "SELECT a.slug FROM authors a JOIN authorships s ON s.author_id = a.id GROUP BY a.id ORDER BY count(*) DESC LIMIT 1",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or_default();
    let router = app(pool.clone());
    assert_eq!(get(&router, &format!("/authors/{slug}")).await.status, StatusCode::OK);
    assert_eq!(get(&router, "/search?q=Wang").await.status, StatusCode::OK);
    // New rows continue after the generated ids.
    let next: i64 = sqlx::query_scalar(
        "INSERT INTO topics (source, source_key, display_name) VALUES ('arxiv', 'New', 'New') RETURNING id",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or_default();
    assert!(next as u64 > report.totals.topics);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_seed_gives_one_catalogue_and_a_full_database_is_refused_or_replaced(pool: PgPool) {
    let small = Size { authors: 500, works: 1_500, seed: 9 };
    generate(&pool, small, false, false).await.unwrap_or_else(|e| panic!("{e}"));
    let first = fingerprint(&pool).await;

    let refused = generate(&pool, Size { seed: 10, ..small }, false, false).await;
    assert!(matches!(refused, Err(GenerateError::NotEmpty { works: 1_500, authors: 500 })), "{refused:?}");
    assert_eq!(fingerprint(&pool).await, first, "a refused run changes nothing");

    generate(&pool, small, true, false).await.unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(fingerprint(&pool).await, first, "the same seed, the same catalogue");
    generate(&pool, Size { seed: 10, ..small }, true, false).await.unwrap_or_else(|e| panic!("{e}"));
    assert_ne!(fingerprint(&pool).await, first, "another seed, another catalogue");
    assert_eq!(scalar(&pool, "SELECT count(*)::float8 FROM works").await, 1_500.0, "replaced, not added to");
}
