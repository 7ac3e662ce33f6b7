//! Collaborator suggestions: refreshed by an import, shown with why on the profile and on the
//! record's suggestions page, filtered to those open to an invitation, and dismissed by the
//! record's owner only (remembered across refreshes).

use crate::helpers::{app, get, import, import_seed, signed_in, text, REFERENCE_SLUG};
use axum::http::StatusCode;
use ingest::import::ImportKind;
use sqlx::PgPool;
use std::io::Write;
use test_data::synthetic::{self, Author};

fn person(id: u32, name: &str) -> Author<'_> {
    Author { id, name, institution: None }
}

async fn suggested(pool: &PgPool, name: &str) -> Vec<(String, i16)> {
    sqlx::query_as(
        "SELECT c.display_name, s.hops FROM suggestions s JOIN authors a ON a.id = s.author_id
         JOIN authors c ON c.id = s.candidate_id WHERE a.display_name = $1 ORDER BY s.rank",
    )
    .bind(name)
    .fetch_all(pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"))
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn candidate_sets_refresh_after_an_import(pool: PgPool) {
    let first = synthetic::json_array(&[
        synthetic::work(1, "Ada and Bo", "2025-03-01", &[person(1, "Ada Quill"), person(2, "Bo Reed")], &[7]),
        synthetic::work(2, "Bo and Cy", "2025-04-01", &[person(2, "Bo Reed"), person(3, "Cy Stone")], &[7]),
    ]);
    import(&pool, ImportKind::OpenAlexWorks, first.path().to_owned()).await;
    assert_eq!(suggested(&pool, "Ada Quill").await, vec![("Cy Stone".to_owned(), 2)]);
    assert_eq!(suggested(&pool, "Bo Reed").await, vec![], "both are Bo's co-authors already");

    // A later import gives Bo a new co-author: Ada's candidates move with it, and a new work
    // together takes Cy off Ada's list.
    let second = synthetic::json_array(&[
        synthetic::work(3, "Bo and Di", "2026-01-01", &[person(2, "Bo Reed"), person(4, "Di Moss")], &[7]),
        synthetic::work(4, "Ada and Cy", "2026-02-01", &[person(1, "Ada Quill"), person(3, "Cy Stone")], &[7]),
    ]);
    import(&pool, ImportKind::OpenAlexWorks, second.path().to_owned()).await;
    assert_eq!(suggested(&pool, "Ada Quill").await, vec![("Di Moss".to_owned(), 2)]);
    let dirty: i64 = sqlx::query_scalar("SELECT count(*) FROM suggestions_dirty").fetch_one(&pool).await.unwrap_or(-1);
    assert_eq!(dirty, 0, "the import ranked every record it marked");
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_co_author_beyond_the_kept_ties_is_never_suggested(pool: PgPool) {
    // Ada wrote one work with 61 others: the aggregates keep her 60 strongest ties, and the one
    // left out is still two hops away (through every other co-author). Bo also wrote with Zed.
    let names: Vec<String> = (0..61).map(|i| format!("Co Author{i:02}")).collect();
    let mut byline = vec![person(1, "Ada Quill")];
    byline.extend(names.iter().enumerate().map(|(i, n)| person(100 + i as u32, n)));
    let file = synthetic::json_array(&[
        synthetic::work(1, "A large collaboration", "2025-03-01", &byline, &[7]),
        synthetic::work(2, "A small one", "2025-05-01", &[person(100, "Co Author00"), person(9, "Zed Vale")], &[7]),
    ]);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_owned()).await;
    let kept: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM coauthors WHERE author_id = (SELECT id FROM authors WHERE display_name = 'Ada Quill')",
    )
    .fetch_one(&pool)
    .await
    .unwrap_or(-1);
    assert_eq!(kept, 60);
    assert_eq!(suggested(&pool, "Ada Quill").await, vec![("Zed Vale".to_owned(), 2)]);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn ranking_everything_in_memory_gives_the_rows_the_batches_give(pool: PgPool) {
    // Two small communities on two topics with a bridge, a record with more co-authors than the
    // kept ties, and a record linked to another as the same person.
    let mut works = Vec::new();
    for i in 0..12u32 {
        let (a, b) = (1 + i, 1 + (i + 1) % 12);
        let names =
            [format!("Ring A{a:02}"), format!("Ring A{b:02}"), format!("Ring B{a:02}"), format!("Ring B{b:02}")];
        works.push(synthetic::work(
            10 + i,
            "A ring",
            "2024-01-01",
            &[person(a, &names[0]), person(b, &names[1])],
            &[1],
        ));
        works.push(synthetic::work(
            40 + i,
            "B ring",
            "2025-01-01",
            &[person(100 + a, &names[2]), person(100 + b, &names[3])],
            &[2],
        ));
    }
    works.push(synthetic::work(
        90,
        "A bridge",
        "2026-01-01",
        &[person(1, "Ring A01"), person(101, "Ring B01")],
        &[1, 2],
    ));
    let names: Vec<String> = (0..62).map(|i| format!("Crowd {i:02}")).collect();
    let crowd: Vec<Author<'_>> = names.iter().enumerate().map(|(i, n)| person(300 + i as u32, n)).collect();
    works.push(synthetic::work(91, "A crowd", "2026-02-01", &crowd, &[1]));
    works.push(synthetic::work(
        92,
        "A crowd's offshoot",
        "2026-03-01",
        &[person(300, "Crowd 00"), person(2, "Ring A02")],
        &[1],
    ));
    let file = synthetic::json_array(&works);
    import(&pool, ImportKind::OpenAlexWorks, file.path().to_owned()).await;
    let rows = || async {
        sqlx::query_as::<_, (i64, i16, i64, i16, Vec<i64>, Vec<i64>, Option<String>)>(
            "SELECT author_id, rank, candidate_id, hops, via_ids, topic_ids, field FROM suggestions ORDER BY 1, 2",
        )
        .fetch_all(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"))
    };
    let batches = rows().await;
    assert!(batches.len() > 100, "{}", batches.len());
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    let ranked = db::caches::suggestions::rebuild_all(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
    let authors: i64 = sqlx::query_scalar("SELECT count(*) FROM authors").fetch_one(&pool).await.unwrap_or(-1);
    assert_eq!(ranked as i64, authors);
    assert_eq!(rows().await, batches);
}

/// The seed, and a new work of the reference profile's co-authors Daniel Soudry and Nathan Srebro
/// with someone the reference record has never written with.
async fn reference_with_a_candidate(pool: &PgPool) {
    import_seed(pool).await;
    let mut file = tempfile::NamedTempFile::new().unwrap_or_else(|e| panic!("{e}"));
    let record = serde_json::json!({
        "id": "2611.00001", "authors": "Daniel Soudry, Nathan Srebro, Ada Newcomb",
        "title": "Implicit bias, again", "categories": "cs.LG math.OC",
        "abstract": "A new work by two co-authors of the reference profile and a newcomer.",
        "update_date": "2026-11-01", "versions": [{"version": "v1", "created": "Sun, 1 Nov 2026 00:00:00 GMT"}]
    });
    writeln!(file, "{record}").unwrap_or_else(|e| panic!("{e}"));
    import(pool, ImportKind::Arxiv, file.path().to_owned()).await;
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_reference_profile_suggests_a_researcher_with_why(pool: PgPool) {
    reference_with_a_candidate(&pool).await;
    let app = app(pool.clone());
    let profile = text(&get(&app, &format!("/authors/{REFERENCE_SLUG}")).await.body);
    let section = profile.split("Researchers to work with").nth(1).expect("the section");
    assert!(section.contains("Ada Newcomb"), "{section}");
    let reason = section.split("Ada Newcomb").nth(1).unwrap_or_default();
    assert!(
        reason.contains("co-authored with Daniel Soudry and Nathan Srebro")
            || reason.contains("co-authored with Nathan Srebro and Daniel Soudry"),
        "{reason}"
    );
    assert!(reason.contains("shares Machine Learning"), "{reason}");
    assert!(!section.split("All suggestions").next().unwrap_or_default().contains("Daniel Soudry ·"));

    // The record's own page lists them too; only those open to an invitation, none here.
    let page = get(&app, &format!("/authors/{REFERENCE_SLUG}/suggestions")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(text(&page.body).contains("Ada Newcomb"));
    assert!(!page.body.contains("Dismiss"), "only the owner dismisses");
    let open = text(&get(&app, &format!("/authors/{REFERENCE_SLUG}/suggestions?open=on")).await.body);
    assert!(!open.contains("Ada Newcomb") && open.contains("None of the suggestions is open to an invitation yet"));
    let bad = get(&app, &format!("/authors/{REFERENCE_SLUG}/suggestions?open=maybe")).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(text(&bad.body).contains("open=on"), "{}", text(&bad.body));
    assert_eq!(get(&app, "/authors/nobody-here/suggestions").await.status, StatusCode::NOT_FOUND);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn a_candidate_open_to_collaborate_has_an_invite_link(pool: PgPool) {
    reference_with_a_candidate(&pool).await;
    let app = app(pool.clone());
    let _owner = signed_in(app.clone(), &pool, "ada@example.org").await;
    sqlx::query(
        "UPDATE authors SET claim_state = 'claimed', claim_generation = 1, open_to_collaborate = true,
                claimed_by = (SELECT id FROM users WHERE email = 'ada@example.org')
         WHERE display_name = 'Ada Newcomb'",
    )
    .execute(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let page = get(&app, &format!("/authors/{REFERENCE_SLUG}/suggestions?open=on")).await;
    assert!(text(&page.body).contains("Ada Newcomb"));
    assert!(page.body.contains("aria-label=\"Invite Ada Newcomb\""), "{}", page.body);
    assert!(page.body.contains("#collab-heading\""));
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn the_owner_dismisses_a_suggestion_and_it_stays_hidden(pool: PgPool) {
    reference_with_a_candidate(&pool).await;
    let app = app(pool.clone());
    let candidate: String = sqlx::query_scalar("SELECT slug FROM authors WHERE display_name = 'Ada Newcomb'")
        .fetch_one(&pool)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let form = format!("slug={REFERENCE_SLUG}&candidate={candidate}&back=%2Fme%2Fsuggestions");

    // Someone else may not; a visitor is sent to log in.
    let mut stranger = signed_in(app.clone(), &pool, "stranger@example.org").await;
    let refused = stranger.post_form("/api/dismiss_suggestion", &form).await;
    assert_eq!(refused.status, StatusCode::SEE_OTHER);
    let mine = stranger.get("/me/suggestions").await;
    assert!(text(&mine.body).contains("find your record and claim it first"), "{}", text(&mine.body));

    let mut owner = signed_in(app.clone(), &pool, "mor@example.org").await;
    sqlx::query(
        "UPDATE authors SET claim_state = 'claimed', claim_generation = 1,
                claimed_by = (SELECT id FROM users WHERE email = 'mor@example.org') WHERE slug = $1",
    )
    .bind(REFERENCE_SLUG)
    .execute(&pool)
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    let page = owner.get("/me/suggestions").await;
    assert!(text(&page.body).contains("Ada Newcomb"));
    assert!(page.body.contains("aria-label=\"Dismiss Ada Newcomb\""));
    let dismissed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM suggestion_dismissals").fetch_one(&pool).await.unwrap_or(-1);
    assert_eq!(dismissed, 0, "the stranger's post dismissed nothing");

    let answer = owner.post_form("/api/dismiss_suggestion", &form).await;
    assert_eq!((answer.status, answer.location()), (StatusCode::SEE_OTHER, "/me/suggestions"));
    assert!(!text(&owner.get("/me/suggestions").await.body).contains("Ada Newcomb"));
    assert!(!text(&owner.get(&format!("/authors/{REFERENCE_SLUG}")).await.body).contains("Ada Newcomb"));

    // A refresh of every record leaves it out too.
    let mut conn = pool.acquire().await.unwrap_or_else(|e| panic!("{e}"));
    db::caches::suggestions::mark_all(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
    db::caches::suggestions::refresh_marked(&mut conn).await.unwrap_or_else(|e| panic!("{e}"));
    let kept: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM suggestions s JOIN authors c ON c.id = s.candidate_id WHERE c.display_name = 'Ada Newcomb'
           AND s.author_id = (SELECT id FROM authors WHERE slug = $1)",
    )
    .bind(REFERENCE_SLUG)
    .fetch_one(&pool)
    .await
    .unwrap_or(-1);
    assert_eq!(kept, 0);
    // Dismissing again changes nothing and still lands back.
    assert_eq!(owner.post_form("/api/dismiss_suggestion", &form).await.status, StatusCode::SEE_OTHER);
}

#[sqlx::test(migrator = "db::MIGRATOR")]
async fn my_suggestions_asks_a_visitor_to_log_in(pool: PgPool) {
    let app = app(pool);
    let page = get(&app, "/me/suggestions").await;
    assert!(text(&page.body).contains("Log in"), "{}", text(&page.body));
}
