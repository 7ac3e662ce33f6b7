//! Choosing the database: `DATABASE_URL` when set; else a local PostgreSQL on the default
//! socket or 127.0.0.1:5432 (creating the database if missing); else the embedded cluster.
//! Migrations run on every start.

use crate::ops::config::{valid_database_name, Settings};
use crate::ops::embedded::EmbeddedPostgres;
use anyhow::{bail, Context};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgConnection, PgPool};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    DatabaseUrl,
    Local,
    Embedded,
}

/// The open database, and the embedded cluster behind it when there is one (stopped on drop).
pub struct Database {
    pub pool: PgPool,
    pub choice: Choice,
    pub embedded: Option<EmbeddedPostgres>,
}

/// The maintenance connections tried for a local server: the Debian socket, then TCP.
fn local_candidates() -> Vec<PgConnectOptions> {
    let user = std::env::var("PGUSER").unwrap_or_else(|_| "postgres".to_owned());
    ["/var/run/postgresql", "/tmp", "127.0.0.1"]
        .into_iter()
        .map(|host| PgConnectOptions::new().host(host).port(5432).username(&user).database("postgres"))
        .collect()
}

async fn try_connect(options: &PgConnectOptions) -> Option<PgConnection> {
    tokio::time::timeout(Duration::from_secs(3), options.clone().disable_statement_logging().connect())
        .await
        .ok()
        .and_then(Result::ok)
}

/// Creates `name` on the server `admin` is connected to, unless it exists.
async fn ensure_database(admin: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    if !valid_database_name(name) {
        bail!("BZPEER_DATABASE_NAME `{name}` must be lower-case letters, digits and `_`");
    }
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(name)
        .fetch_one(&mut *admin)
        .await?;
    if !exists {
        // The name was checked above: it is a plain identifier.
        sqlx::query(&format!("CREATE DATABASE \"{name}\"")).execute(&mut *admin).await?;
        tracing::info!(database = name, "created the database");
    }
    Ok(())
}

/// Drops and recreates `name` (for test runs that must start from an empty database).
async fn recreate_database(admin: &mut PgConnection, name: &str) -> anyhow::Result<()> {
    if !valid_database_name(name) {
        bail!("BZPEER_DATABASE_NAME `{name}` must be lower-case letters, digits and `_`");
    }
    sqlx::query(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")).execute(&mut *admin).await?;
    ensure_database(admin, name).await
}

/// `options` whose sessions cancel any statement running longer than `timeout` (SQLSTATE 57014:
/// the request answers 503, "the service is busy", and can be tried again).
pub fn with_statement_timeout(options: PgConnectOptions, timeout: Duration) -> PgConnectOptions {
    options.options([("statement_timeout", timeout.as_millis().to_string())])
}

/// The held connections for kept pages' version reads, as many as the requests' pool holds,
/// opened as its connections are (same database, same statement timeout).
pub fn held_for(pool: &PgPool) -> db::pools::held::Held {
    db::pools::held::Held::new(
        (*pool.connect_options()).clone(),
        pool.options().get_max_connections() as usize,
        Duration::from_secs(3),
    )
}

/// A pooled connection idle longer than this is checked before it is handed out.
const CHECK_IDLE_AFTER: Duration = Duration::from_secs(1);

/// The pool every server uses. While the database is down a request waits at most the acquire
/// timeout and then answers 503. A connection that sat idle for over a second (one that may have
/// outlived a restart of the database) is checked before it is handed out and replaced when
/// broken; one in steady use is not: a page view pays no round trip for the check.
pub fn pool_options() -> PgPoolOptions {
    let max = std::env::var("BZPEER_DB_POOL").ok().and_then(|v| v.parse().ok()).unwrap_or(10);
    let explain = explain_slower_than_ms();
    PgPoolOptions::new()
        .max_connections(max)
        .acquire_timeout(Duration::from_secs(3))
        .test_before_acquire(false)
        .before_acquire(|conn, meta| {
            // A connection that fails the check is closed and another one taken.
            Box::pin(async move { Ok(meta.idle_for <= CHECK_IDLE_AFTER || sqlx::Connection::ping(conn).await.is_ok()) })
        })
        .after_connect(move |conn, _| {
            Box::pin(async move {
                // A page is one request among many: a parallel plan would take the cores the
                // other requests are waiting for (seen under load: one broad search held both).
                sqlx::query("SET max_parallel_workers_per_gather = 0").execute(&mut *conn).await?;
                if let Some(ms) = explain {
                    auto_explain(conn, ms).await;
                }
                Ok(())
            })
        })
}

/// `BZPEER_EXPLAIN_SLOWER_THAN_MS=<n>`, a diagnosis setting (`make bench-scale` uses it): every
/// statement that takes at least n ms has its plan, with actual times and buffers, sent back to
/// the server as a notice, which it logs (target `sqlx::postgres::notice`, at info). Needs a
/// superuser database role (`LOAD`); never set in production: timing every plan node costs.
fn explain_slower_than_ms() -> Option<u32> {
    std::env::var("BZPEER_EXPLAIN_SLOWER_THAN_MS").ok().and_then(|v| v.trim().parse().ok())
}

async fn auto_explain(conn: &mut PgConnection, ms: u32) {
    use sqlx::Executor;
    // `ms` is a number: nothing from outside is spliced into the SQL. Without arguments the
    // statements go as one simple query.
    let setup = format!(
        "LOAD 'auto_explain'; SET auto_explain.log_min_duration = {ms}; SET auto_explain.log_analyze = on; \
         SET auto_explain.log_buffers = on; SET auto_explain.log_level = notice; SET client_min_messages = notice"
    );
    if let Err(e) = conn.execute(setup.as_str()).await {
        // A diagnosis aid: without it the server still serves.
        tracing::warn!(%e, "BZPEER_EXPLAIN_SLOWER_THAN_MS: could not set up auto_explain");
    }
}

/// Opens the database as the module doc says, logging which of the three it chose. With
/// `fresh`, a local or embedded database is dropped and recreated first.
pub async fn open(settings: &Settings, fresh: bool) -> anyhow::Result<Database> {
    if let Some(url) = &settings.database_url {
        if fresh {
            bail!("--fresh refuses to drop a database named by DATABASE_URL; unset it to use a local one");
        }
        let options = PgConnectOptions::from_str(url).context("DATABASE_URL is not a valid PostgreSQL URL")?;
        tracing::info!(choice = "DATABASE_URL", "database: using DATABASE_URL");
        let pool = pool_options().connect_with(options).await.context("cannot connect to DATABASE_URL")?;
        return finish(Database { pool, choice: Choice::DatabaseUrl, embedded: None }).await;
    }

    for candidate in local_candidates() {
        if let Some(mut admin) = try_connect(&candidate).await {
            let host = candidate.get_host().to_owned();
            if fresh {
                recreate_database(&mut admin, &settings.database_name).await?;
            } else {
                ensure_database(&mut admin, &settings.database_name).await?;
            }
            let _ = admin.close().await;
            tracing::info!(choice = "local", %host, database = %settings.database_name,
                "database: using the local PostgreSQL server");
            let pool = pool_options()
                .connect_with(candidate.database(&settings.database_name))
                .await
                .context("cannot connect to the local database")?;
            return finish(Database { pool, choice: Choice::Local, embedded: None }).await;
        }
    }

    tracing::info!("database: no DATABASE_URL and no local server answered; starting the embedded cluster");
    let cluster = EmbeddedPostgres::start(&settings.embedded_dir)?;
    let mut admin =
        cluster.connect_options("postgres").connect().await.context("cannot connect to the embedded cluster")?;
    if fresh {
        recreate_database(&mut admin, &settings.database_name).await?;
    } else {
        ensure_database(&mut admin, &settings.database_name).await?;
    }
    let _ = admin.close().await;
    tracing::info!(choice = "embedded", dir = %cluster.base().display(), database = %settings.database_name,
        "database: using the embedded cluster");
    let pool = pool_options().connect_with(cluster.connect_options(&settings.database_name)).await?;
    finish(Database { pool, choice: Choice::Embedded, embedded: Some(cluster) }).await
}

async fn finish(db: Database) -> anyhow::Result<Database> {
    db::MIGRATOR.run(&db.pool).await.context("running migrations")?;
    Ok(db)
}
