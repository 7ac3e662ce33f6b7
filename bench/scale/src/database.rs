//! The benchmark's database and account: `bzpeer_scale` created on the server of DATABASE_URL
//! (else the local one), filled by `server generate` unless it already holds that size and seed
//! (the generator's row in `import_runs` says so); the bench user, logged in through the real
//! form and following 200 researchers; the captured profiles; round trips per view.

use crate::load::Session;
use crate::process::Server;
use crate::sample::Mix;
use crate::Args;
use loopback_http::Client;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{ConnectOptions, Connection, PgPool};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::str::FromStr;
use std::time::Duration;

pub struct Db {
    pub name: String,
    pub options: PgConnectOptions,
    pub url: String,
    pub pool: PgPool,
    /// How long generating took, and where the figure comes from; None when unknown.
    pub generation: Option<(f64, String)>,
}

/// What `server generate` writes in `import_runs.file_name` for a size and seed.
fn generate_label(args: &Args) -> String {
    format!("authors={} works={} seed={}", args.authors, args.works, args.seed)
}

/// Where a run keeps how long generating took (`import_runs` has no duration).
fn timing_file(args: &Args) -> std::path::PathBuf {
    std::path::PathBuf::from(format!("target/bench-scale/{}.generated", args.database))
}

pub async fn prepare(args: &Args) -> anyhow::Result<Db> {
    if !server::ops::config::valid_database_name(&args.database) {
        anyhow::bail!("--database `{}` must be lower-case letters, digits and `_`", args.database);
    }
    let admin_url =
        std::env::var("DATABASE_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned());
    let admin = PgConnectOptions::from_str(&admin_url)?.disable_statement_logging();
    let mut conn = admin.clone().database("postgres").connect().await?;
    let exists: bool = sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
        .bind(&args.database)
        .fetch_one(&mut conn)
        .await?;
    if !exists {
        // The name was checked above: a plain identifier.
        sqlx::query(&format!("CREATE DATABASE \"{}\"", args.database)).execute(&mut conn).await?;
    }
    conn.close().await?;
    let options = admin.database(&args.database);
    let url = with_database(&admin_url, &args.database);
    let pool = PgPoolOptions::new().max_connections(4).connect_with(options.clone()).await?;

    let label = generate_label(args);
    let generated: Option<String> = match sqlx::query_scalar::<_, Option<String>>(
        "SELECT to_regclass('import_runs')::text",
    )
    .fetch_one(&pool)
    .await?
    {
        Some(_) => sqlx::query_scalar(
            "SELECT finished_at::text FROM import_runs WHERE kind = 'generate' AND file_name = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(&label)
        .fetch_optional(&pool)
        .await?,
        None => None,
    };
    let generation = if args.no_generate {
        println!("Database {}: measured as it is (--no-generate)", args.database);
        None
    } else if let Some(at) = generated {
        println!("Database {} already holds {label} (generated {at}): not generating", args.database);
        std::fs::read_to_string(timing_file(args))
            .ok()
            .and_then(|text| text.strip_prefix(&format!("{label}\t"))?.trim().parse::<f64>().ok())
            .map(|secs| (secs, "timed by the bench run that generated it".to_owned()))
    } else {
        println!("Database {}: generating {label}", args.database);
        let took = crate::process::generate(&args.server, &url, args.authors, args.works, args.seed).await?;
        let file = timing_file(args);
        if let Some(dir) = file.parent() {
            std::fs::create_dir_all(dir)?;
        }
        std::fs::write(&file, format!("{label}\t{:.1}\n", took.as_secs_f64()))?;
        Some((took.as_secs_f64(), "timed now".to_owned()))
    };
    Ok(Db { name: args.database.clone(), options, url, pool, generation })
}

pub struct BenchUser {
    pub email: &'static str,
    pub password: &'static str,
}

/// The user whose feed is read, following the mix's 200 researchers.
pub const READER: BenchUser = BenchUser { email: "bench-scale-reader@example.org", password: "bench-scale-password" };
/// The user who follows and unfollows during the load.
pub const FOLLOWER: BenchUser =
    BenchUser { email: "bench-scale-follower@example.org", password: "bench-scale-password" };

/// A bench account, written straight into `users` with a hash from the app's own hashing
/// function, verified: the sign-up flow (a mail in the outbox, a link, the password again) proves
/// nothing this benchmark measures, and the log-in below goes through the real form.
pub async fn bench_user(pool: &PgPool, user: &BenchUser) -> anyhow::Result<()> {
    let password = bzpeer_core::domain::account::Password::try_from(user.password.to_owned())
        .map_err(|e| anyhow::anyhow!("password: {e}"))?;
    let hash = app::ssr::auth::hash_password(&password).await.map_err(|e| anyhow::anyhow!("hashing: {e}"))?;
    sqlx::query(
        "INSERT INTO users (email, display_name, password_hash, email_verified_at) VALUES ($1, 'Bench Scale', $2, now())
         ON CONFLICT (email) DO UPDATE SET password_hash = EXCLUDED.password_hash, email_verified_at = now()",
    )
    .bind(user.email)
    .bind(&hash)
    .execute(pool)
    .await?;
    Ok(())
}

/// Logs `user` in through the log-in form; the session cookie.
async fn log_in(client: &mut Client, user: &BenchUser) -> anyhow::Result<std::sync::Arc<String>> {
    let fields = [("email", user.email), ("password", user.password), ("next", "/me/following")];
    let answer = client.post_form("/api/login", &fields, &[], Duration::from_secs(30)).await?;
    let cookie = answer
        .headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("set-cookie"))
        .find_map(|(_, v)| v.split(';').next().filter(|c| c.starts_with("bzpeer_session=")))
        .ok_or_else(|| anyhow::anyhow!("logging in answered {} without a session cookie", answer.status))?;
    Ok(std::sync::Arc::new(cookie.to_owned()))
}

/// Creates and logs in both bench users, and makes the reader follow exactly the mix's 200
/// researchers, through the follow and unfollow forms (so the counts stay the app's).
pub async fn log_in_and_follow(server: &Server, pool: &PgPool, mix: &Mix) -> anyhow::Result<Session> {
    bench_user(pool, &READER).await?;
    bench_user(pool, &FOLLOWER).await?;
    let mut client = Client::new(server.addr);
    client.headers.push(("X-Forwarded-For".to_owned(), crate::load::client_address(1000)));
    let timeout = Duration::from_secs(30);
    let session =
        Session { reader: log_in(&mut client, &READER).await?, follower: log_in(&mut client, &FOLLOWER).await? };
    let followed_now: Vec<String> = sqlx::query_scalar(
        "SELECT a.slug FROM follows f JOIN users u ON u.id = f.user_id JOIN authors a ON a.id = f.author_id
         WHERE u.email = $1",
    )
    .bind(READER.email)
    .fetch_all(pool)
    .await?;
    let changes = followed_now
        .iter()
        .filter(|s| !mix.followed.contains(s))
        .map(|s| ("unfollow_researcher", s))
        .chain(mix.followed.iter().filter(|s| !followed_now.contains(s)).map(|s| ("follow_researcher", s)));
    let cookie = [("Cookie", session.reader.as_str())];
    for (endpoint, slug) in changes {
        let answer = client.post_form(&format!("/api/{endpoint}"), &[("slug", slug)], &cookie, timeout).await?;
        if answer.status != 303 || !answer.header("location").is_some_and(|l| l.starts_with("/authors/")) {
            anyhow::bail!("{endpoint} {slug}: {} {:?}", answer.status, answer.header("location"));
        }
    }
    let feed = client.get("/me/following", &cookie, timeout).await?;
    if feed.status != 200 || !String::from_utf8_lossy(&feed.body).contains("Researchers you follow") {
        anyhow::bail!("the bench user's /me/following does not list whom they follow ({})", feed.status);
    }
    println!("Bench users logged in; {} follows {} researchers", READER.email, mix.followed.len());
    Ok(session)
}

/// Each profile's page, logged out, as the real server answers it (slug to HTML), and its `ETag`.
pub async fn capture_profiles(
    addr: SocketAddr,
    slugs: &[String],
) -> anyhow::Result<(HashMap<String, Vec<u8>>, HashMap<String, String>)> {
    let mut client = Client::new(addr);
    let (mut pages, mut etags) = (HashMap::new(), HashMap::new());
    for slug in slugs {
        let answer = client.get(&format!("/authors/{slug}"), &[], Duration::from_secs(60)).await?;
        if answer.status == 200 {
            if let Some(etag) = answer.header("etag") {
                etags.insert(slug.clone(), etag.to_owned());
            }
            pages.insert(slug.clone(), answer.body);
        }
    }
    Ok((pages, etags))
}

/// Database transactions per logged-out profile view at `addr`: the database's commit and
/// rollback counters over sequential views (each statement outside a transaction is one; so is
/// the pool's check of a connection before it hands it out). Backends report their counters when
/// idle, within about 10 s, hence the waits.
pub async fn round_trips(db: &Db, addr: SocketAddr, profiles: &[crate::sample::Target]) -> anyhow::Result<f64> {
    const VIEWS: usize = 50;
    // Read from another database, so that reading counts nothing.
    let mut stats = db.options.clone().database("postgres").connect().await?;
    let count = "SELECT (xact_commit + xact_rollback)::bigint FROM pg_stat_database WHERE datname = $1";
    tokio::time::sleep(Duration::from_secs(11)).await;
    let before: i64 = sqlx::query_scalar(count).bind(&db.name).fetch_one(&mut stats).await?;
    let mut client = Client::new(addr);
    for target in profiles.iter().cycle().take(VIEWS) {
        client.get(&target.path, &[], Duration::from_secs(60)).await?;
    }
    tokio::time::sleep(Duration::from_secs(11)).await;
    let after: i64 = sqlx::query_scalar(count).bind(&db.name).fetch_one(&mut stats).await?;
    stats.close().await?;
    Ok((after - before) as f64 / VIEWS as f64)
}

/// `url` naming `database` instead of its own (sqlx cannot write a URL for a Unix socket).
pub fn with_database(url: &str, database: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("postgres", url));
    let (before_query, query) = rest.split_once('?').map_or((rest, None), |(b, q)| (b, Some(q)));
    let authority = before_query.split('/').next().unwrap_or_default();
    match query {
        Some(query) => format!("{scheme}://{authority}/{database}?{query}"),
        None => format!("{scheme}://{authority}/{database}"),
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn a_url_names_another_database_and_keeps_its_socket() {
        assert_eq!(
            with_database("postgres://postgres@127.0.0.1:5432/postgres", "b"),
            "postgres://postgres@127.0.0.1:5432/b"
        );
        assert_eq!(with_database("postgres://u@h", "b"), "postgres://u@h/b");
        assert_eq!(
            with_database("postgres://postgres@localhost:5432/postgres?host=/var/tmp/s", "b"),
            "postgres://postgres@localhost:5432/b?host=/var/tmp/s"
        );
    }
}
