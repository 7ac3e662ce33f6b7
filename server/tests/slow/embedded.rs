//! The embedded default: a private cluster started, migrated, queried and stopped.

use server::ops::embedded::EmbeddedPostgres;
use sqlx::{ConnectOptions, Connection};
use std::fs;
use std::os::unix::fs::PermissionsExt;

#[tokio::test]
async fn the_embedded_cluster_starts_migrates_and_stops_cleanly() {
    let top = tempfile::tempdir().expect("a temporary folder");
    fs::set_permissions(top.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
    let base = top.path().join("pg");

    let mut cluster = EmbeddedPostgres::start(&base).expect("the embedded cluster starts");
    assert!(cluster.owns_cluster());
    let socket = cluster.socket_dir().join(".s.PGSQL.5432");
    assert!(socket.exists(), "it listens on its private socket");

    let pool = sqlx::PgPool::connect_with(cluster.connect_options("postgres")).await.expect("connects");
    db::MIGRATOR.run(&pool).await.expect("migrations run");
    let tables: i64 =
        sqlx::query_scalar("SELECT count(*) FROM information_schema.tables WHERE table_name IN ('authors', 'works')")
            .fetch_one(&pool)
            .await
            .expect("query");
    assert_eq!(tables, 2);
    pool.close().await;

    // A second start in the same folder shares the running cluster instead of failing.
    let shared = EmbeddedPostgres::start(&base).expect("a second user shares it");
    assert!(!shared.owns_cluster());
    drop(shared);
    let conn = cluster.connect_options("postgres").connect().await.expect("still running after the sharer left");
    conn.close().await.expect("close");

    cluster.stop();
    assert!(!socket.exists(), "the socket is gone once stopped");
    assert!(base.join("data/PG_VERSION").exists(), "the data stays for the next start");
}
