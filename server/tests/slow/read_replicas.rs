//! Reads on a real streaming replica: a private primary (never the shared server: a base backup
//! of it would copy every database on it) and a replica of it made with `pg_basebackup -R`,
//! both run from the system's binaries in a temporary folder. Lag-tolerant page reads go to the
//! replica; a visitor who just wrote sees the write on the very next page, even while the
//! replica's replay is paused; a replica that stops is skipped without an error page.

use crate::helpers::{import_seed, signed_in, state, text, Browser, REFERENCE_SLUG, SITE};
use axum::Router;
use db::pools::replicas::Replicas;
use server::http::{router, AppState};
use server::ops::embedded::EmbeddedPostgres;
use sqlx::PgPool;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// A primary and its streaming replica, stopped when dropped.
struct Pair {
    primary: PgPool,
    /// A direct connection to the replica, for the test to look at it.
    replica: PgPool,
    replica_cluster: EmbeddedPostgres,
    replicas: Arc<Replicas>,
    _primary_cluster: EmbeddedPostgres,
    _dir: tempfile::TempDir,
}

async fn pair(max_lag: Duration) -> Pair {
    let dir = tempfile::tempdir().expect("a temporary folder");
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).expect("chmod");
    // Started from this thread, which outlives the test body: the clusters are tied to it.
    let primary_cluster = EmbeddedPostgres::start(&dir.path().join("primary")).expect("the primary starts");
    let admin = server::ops::database::pool_options()
        .connect_with(primary_cluster.connect_options("postgres"))
        .await
        .expect("the primary answers");
    sqlx::query("CREATE DATABASE bzpeer").execute(&admin).await.expect("a database");
    admin.close().await;
    let primary = server::ops::database::pool_options()
        .connect_with(primary_cluster.connect_options("bzpeer"))
        .await
        .expect("a pool on the primary");
    db::MIGRATOR.run(&primary).await.expect("migrations");
    import_seed(&primary).await;

    let replica_cluster = primary_cluster.start_replica(&dir.path().join("replica")).expect("the replica starts");
    let replica_options = replica_cluster.connect_options("bzpeer").application_name("bzpeer");
    let replica = sqlx::postgres::PgPoolOptions::new()
        .max_connections(2)
        .connect_with(replica_options.clone().application_name("test"))
        .await
        .expect("a pool on the replica");
    let in_recovery: bool =
        sqlx::query_scalar("SELECT pg_is_in_recovery()").fetch_one(&replica).await.expect("the replica answers");
    assert!(in_recovery, "the replica is a standby");
    let app_replica = server::ops::database::pool_options()
        .acquire_timeout(Duration::from_millis(800))
        .connect_lazy_with(replica_options);
    let replicas = Replicas::new(primary.clone(), vec![("replica".to_owned(), app_replica)], max_lag);
    replicas.check().await;
    tokio::spawn(replicas.clone().monitor(Duration::from_millis(200)));
    Pair { primary, replica, replica_cluster, replicas, _primary_cluster: primary_cluster, _dir: dir }
}

impl Pair {
    fn app(&self) -> Router {
        router(AppState { replicas: Some(self.replicas.clone()), ..state(self.primary.clone(), SITE) })
    }

    async fn set_replay_paused(&self, paused: bool) {
        let call = if paused { "SELECT pg_wal_replay_pause()" } else { "SELECT pg_wal_replay_resume()" };
        sqlx::query(call).execute(&self.replica).await.expect("replay paused or resumed");
    }

    /// Once the replica has caught up, pauses its replay and renames the reference record on the
    /// primary behind the app's back: a page showing the old name was read on the replica.
    async fn pause_replay_and_rename_on_primary(&self) {
        self.time_to_replay().await;
        self.set_replay_paused(true).await;
        sqlx::query("UPDATE authors SET display_name = 'Renamed On The Primary' WHERE slug = $1")
            .bind(REFERENCE_SLUG)
            .execute(&self.primary)
            .await
            .expect("renamed");
    }

    /// How long the replica took to replay everything the primary has written now.
    async fn time_to_replay(&self) -> Duration {
        let written = db::pools::wal::written(&self.primary).await.expect("the primary's position");
        let started = Instant::now();
        loop {
            let replayed = db::pools::wal::replayed(&self.replica).await.expect("the replica's position");
            if replayed.is_some_and(|r| r >= written) {
                return started.elapsed();
            }
            assert!(started.elapsed() < Duration::from_secs(10), "the replica did not catch up in 10 s");
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
    }

    /// The last statement each of the app's connections to the replica ran.
    async fn app_statements_on_replica(&self) -> Vec<String> {
        sqlx::query_scalar(
            "SELECT query FROM pg_stat_activity WHERE application_name = 'bzpeer' AND datname = 'bzpeer'",
        )
        .fetch_all(&self.replica)
        .await
        .expect("the replica's activity")
    }
}

/// The record's name as a page rendered for this view shows it. The plain profile is kept, and
/// rendered from the primary when its version moves; with a query it is rendered for each view,
/// its reads on a replica.
async fn display_name(browser: &mut Browser) -> String {
    let page = text(&browser.get(&format!("/authors/{REFERENCE_SLUG}?sort=newest")).await.body);
    if page.contains("Renamed On The Primary") {
        "new".to_owned()
    } else {
        "old".to_owned()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn page_reads_go_to_the_replica_and_a_writer_always_sees_its_own_write() {
    let pair = pair(Duration::from_secs(30)).await;
    let app = pair.app();
    let mut reader = Browser::new(app.clone());

    // Replay paused, a change made on the primary behind the app's back: a profile read shows
    // the replica's (older) record, so the read came from the replica.
    pair.pause_replay_and_rename_on_primary().await;
    assert_eq!(display_name(&mut reader).await, "old", "the page was read on the paused replica");
    assert!(
        // The app's replica connections run the monitor's position checks and page reads only.
        pair.app_statements_on_replica()
            .await
            .iter()
            .any(|q| q.contains("SELECT") && !q.contains("pg_last_wal_replay_lsn")),
        "the app's connections on the replica ran the profile's reads"
    );
    pair.set_replay_paused(false).await;
    pair.time_to_replay().await;
    assert_eq!(display_name(&mut reader).await, "new");

    // A writer while replay is paused: the next page load shows the follow (read from the
    // primary, the replica being behind this visitor's write), while a visitor who did not
    // write still reads the replica's count.
    let mut writer = signed_in(app.clone(), &pair.primary, "writer@example.org").await;
    let profile = format!("/authors/{REFERENCE_SLUG}");
    assert!(text(&writer.get(&profile).await.body).contains("Follow researcher 0"));
    pair.time_to_replay().await;
    pair.set_replay_paused(true).await;
    writer.post_form("/api/follow_researcher", &format!("slug={REFERENCE_SLUG}")).await;
    assert!(text(&writer.get(&profile).await.body).contains("Following Unfollow 1"), "no stale count for the writer");
    let anonymous = text(&reader.get(&format!("{profile}?sort=newest")).await.body);
    assert!(anonymous.contains("Follow researcher 0"), "others read the paused replica: {anonymous}");
    // The kept page moved with the follow, and was rendered again from the primary.
    let kept = text(&reader.get(&profile).await.body);
    assert!(kept.contains("Follow researcher 1"), "the kept page is never behind its version: {kept}");
    pair.set_replay_paused(false).await;

    // Replay running: the very next page load after a write shows it, through the replica path,
    // and how far behind the replica runs is measured.
    let mut lags = Vec::new();
    for round in 0..20 {
        let (action, count) =
            if round % 2 == 0 { ("unfollow", "Follow researcher 0") } else { ("follow", "Following Unfollow 1") };
        writer.post_form(&format!("/api/{action}_researcher"), &format!("slug={REFERENCE_SLUG}")).await;
        assert!(text(&writer.get(&profile).await.body).contains(count), "round {round}: {count}");
        lags.push(pair.time_to_replay().await);
    }
    lags.sort();
    eprintln!(
        "replica lag after a follow or unfollow (20 writes): median {:.2} ms, max {:.2} ms",
        lags[lags.len() / 2].as_secs_f64() * 1e3,
        lags[lags.len() - 1].as_secs_f64() * 1e3
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_replica_that_stops_or_lags_past_the_limit_is_skipped_without_an_error_page() {
    let mut pair = pair(Duration::from_millis(600)).await;
    let app = pair.app();
    let profile = format!("/authors/{REFERENCE_SLUG}");
    let mut reader = Browser::new(app.clone());
    assert_eq!(reader.get(&profile).await.status.as_u16(), 200);
    let ready = crate::helpers::get(&app, "/readyz").await;
    assert!(ready.body.contains("replica replica: serving"), "{}", ready.body);

    // Lagging past the limit: skipped, and the page reads the primary's newer record.
    pair.pause_replay_and_rename_on_primary().await;
    let started = Instant::now();
    while display_name(&mut reader).await != "new" {
        assert!(started.elapsed() < Duration::from_secs(5), "the lagging replica was not skipped");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let ready = crate::helpers::get(&app, "/readyz").await;
    assert_eq!(ready.status.as_u16(), 200, "a lagging replica does not make the server unready");
    assert!(ready.body.contains("replica replica: skipped"), "{}", ready.body);
    pair.set_replay_paused(false).await;
    pair.time_to_replay().await;

    // Stopped mid-way through a run of page loads: every page still answers 200.
    let pages = tokio::spawn({
        let app = app.clone();
        let profile = profile.clone();
        async move {
            let mut statuses = Vec::new();
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(3) {
                let page = crate::helpers::get(&app, &profile).await;
                statuses.push(page.status.as_u16());
            }
            statuses
        }
    });
    tokio::time::sleep(Duration::from_millis(800)).await;
    pair.replica_cluster.stop();
    let statuses = pages.await.expect("the page loads ran");
    let failed: Vec<&u16> = statuses.iter().filter(|s| **s != 200).collect();
    assert!(failed.is_empty(), "{} of {} page loads failed: {failed:?}", failed.len(), statuses.len());
    eprintln!("{} page loads while the replica stopped, all 200", statuses.len());
    let ready = crate::helpers::get(&app, "/readyz").await;
    assert!(ready.body.contains("replica replica: skipped, not answering"), "{}", ready.body);
}
