//! What one profile view costs on the real server, three ways: cold (the first view after a
//! change: each record's version is moved just before), warm (the same views again: the kept
//! pages) and logged in (every view rendered for its viewer). Reported beside them, without a
//! budget: each record's first view ever (its graph laid out for the first time), which comes
//! before the change.
//! - CPU: the server's and PostgreSQL's CPU time (utime + stime in /proc: the server process and
//!   every process of PostgreSQL's postmaster tree) over sequential views of distinct records.
//! - Round trips: the messages that end one (a simple query `Q`, an extended-protocol `Sync`: a
//!   statement, a prepare, a ping) the server sends PostgreSQL, counted by a proxy between them.
//! - The ratio that shows the limit: anonymous profile views a second over the same server's CSS
//!   file a second, as a browser asks (brotli), same client, same connections, one after the other.

use crate::database::Db;
use crate::load::{self, RunResult};
use crate::sample::{Kind, Target};
use loopback_http::Client;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A figure for each sort of view.
#[derive(Debug, Clone, Copy, Default)]
pub struct PerView {
    /// The first view ever of each record (before the change).
    pub first: f64,
    pub cold: f64,
    pub warm: f64,
    pub logged_in: f64,
}

/// `n` records picked at random (not the mix's), as `(id, slug)`.
pub async fn distinct_records(db: &Db, n: i64) -> anyhow::Result<Vec<(i64, String)>> {
    Ok(sqlx::query_as("SELECT id, slug FROM authors ORDER BY random() LIMIT $1").bind(n).fetch_all(&db.pool).await?)
}

/// Moves the versions of the records' pages, as a change to each would.
async fn change(db: &Db, records: &[(i64, String)]) -> anyhow::Result<()> {
    let ids: Vec<i64> = records.iter().map(|(id, _)| *id).collect();
    sqlx::query("SELECT bump_author_pages($1)").bind(&ids).execute(&db.pool).await?;
    Ok(())
}

/// One sequential view of each record's profile, as a browser asks, with `cookie` if any.
async fn view_all(addr: SocketAddr, records: &[(i64, String)], cookie: Option<&str>) -> anyhow::Result<()> {
    let mut client = Client::new(addr);
    let mut headers = vec![("Accept-Encoding", "gzip, deflate, br, zstd")];
    headers.extend(cookie.map(|c| ("Cookie", c)));
    for (_, slug) in records {
        let answer = client.get(&format!("/authors/{slug}"), &headers, Duration::from_secs(60)).await?;
        if answer.status != 200 {
            anyhow::bail!("/authors/{slug} answered {}", answer.status);
        }
    }
    Ok(())
}

/// Runs the three sorts of view over `records` at `addr`, measuring each with `meter` (a figure
/// now: CPU time or round trips so far), per view.
async fn three_ways<F: Fn() -> (f64, f64)>(
    db: &Db,
    addr: SocketAddr,
    records: &[(i64, String)],
    reader: &str,
    meter: F,
) -> anyhow::Result<(PerView, PerView)> {
    let n = records.len().max(1) as f64;
    let per_view = |before: (f64, f64), after: (f64, f64)| ((after.0 - before.0) / n, (after.1 - before.1) / n);
    let before = meter();
    view_all(addr, records, None).await?;
    let first = per_view(before, meter());
    // Renderings are kept within 200 ms of being sent: all of them before the change.
    tokio::time::sleep(Duration::from_millis(500)).await;
    change(db, records).await?;
    let before = meter();
    view_all(addr, records, None).await?;
    let cold = per_view(before, meter());
    let before = meter();
    view_all(addr, records, None).await?;
    let warm = per_view(before, meter());
    let before = meter();
    view_all(addr, records, Some(reader)).await?;
    let logged_in = per_view(before, meter());
    Ok((
        PerView { first: first.0, cold: cold.0, warm: warm.0, logged_in: logged_in.0 },
        PerView { first: first.1, cold: cold.1, warm: warm.1, logged_in: logged_in.1 },
    ))
}

/// Milliseconds of CPU per view, server and PostgreSQL together; `None` when PostgreSQL's
/// processes are not readable here (a database on another machine).
pub async fn cpu(
    db: &Db,
    addr: SocketAddr,
    server_pid: u32,
    records: &[(i64, String)],
    reader: &str,
) -> anyhow::Result<Option<PerView>> {
    let backend: i32 = sqlx::query_scalar("SELECT pg_backend_pid()").fetch_one(&db.pool).await?;
    let Some(postmaster) = stat(backend as u32).map(|s| s.parent) else { return Ok(None) };
    let meter =
        move || ((stat(server_pid).map_or(0, |s| s.own + s.children) + tree(postmaster)) as f64 * MS_PER_TICK, 0.0);
    Ok(Some(three_ways(db, addr, records, reader, meter).await?.0))
}

/// Round trips per view at a server whose connections go through `proxy`, and of those the pings.
pub async fn round_trips(
    db: &Db,
    addr: SocketAddr,
    proxy: &Proxy,
    records: &[(i64, String)],
    reader: &str,
) -> anyhow::Result<(PerView, PerView)> {
    let (count, pings) = (proxy.count.clone(), proxy.pings.clone());
    let meter = move || (count.load(Ordering::Relaxed) as f64, pings.load(Ordering::Relaxed) as f64);
    three_ways(db, addr, records, reader, meter).await
}

/// Anonymous profile views a second and the CSS file a second, one after the other, and their
/// ratio.
pub async fn static_ratio(
    addr: SocketAddr,
    profiles: &[String],
    count: usize,
    limit: Duration,
) -> anyhow::Result<(RunResult, RunResult, f64)> {
    let home = Client::new(addr).get("/", &[], Duration::from_secs(30)).await?;
    let html = String::from_utf8_lossy(&home.body);
    let css = html
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .find(|href| href.starts_with("/pkg/") && href.ends_with(".css"))
        .ok_or_else(|| anyhow::anyhow!("the home page links no stylesheet under /pkg/"))?
        .to_owned();
    let targets = |paths: Vec<String>| -> Arc<Vec<Target>> {
        Arc::new(paths.into_iter().cycle().take(count).map(|p| Target::page(Kind::ProfileBr, p)).collect())
    };
    let pages = targets(profiles.iter().map(|s| format!("/authors/{s}")).collect());
    let page_run = load::drive(addr, pages, None, load::CONCURRENCY, limit).await;
    let file_run = load::drive(addr, targets(vec![css]), None, load::CONCURRENCY, limit).await;
    let rate = |r: &RunResult| r.total() as f64 / r.elapsed.as_secs_f64().max(f64::EPSILON);
    let ratio = rate(&page_run) / rate(&file_run).max(f64::EPSILON);
    Ok((page_run, file_run, ratio))
}

/// Clock ticks are USER_HZ in /proc, 100 a second on Linux whatever the kernel's own rate.
const MS_PER_TICK: f64 = 10.0;

struct Stat {
    parent: u32,
    /// utime + stime.
    own: u64,
    /// cutime + cstime: the children it has waited for.
    children: u64,
}

fn stat(pid: u32) -> Option<Stat> {
    let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command, which may hold spaces, in parentheses: state, ppid, ... (man 5 proc).
    let fields: Vec<&str> = text.rsplit_once(')')?.1.split_whitespace().collect();
    let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
    Some(Stat {
        parent: u32::try_from(field(1)?).ok()?,
        own: field(11)? + field(12)?,
        children: field(13)? + field(14)?,
    })
}

/// Ticks of `root` (with the children it has waited for) and of every process whose parent it is.
fn tree(root: u32) -> u64 {
    let mut ticks = stat(root).map_or(0, |s| s.own + s.children);
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|n| n.parse::<u32>().ok()) else { continue };
        if let Some(s) = stat(pid).filter(|s| s.parent == root) {
            ticks += s.own;
        }
    }
    ticks
}

/// A TCP proxy in front of PostgreSQL that counts the round trips its clients start, and of
/// those the pings (a `Sync` with nothing before it: sqlx checks every connection so when the
/// pool takes it back).
pub struct Proxy {
    pub addr: SocketAddr,
    pub count: Arc<AtomicU64>,
    pub pings: Arc<AtomicU64>,
}

/// Listens on 127.0.0.1:`port` and passes every connection on to `upstream`.
pub async fn proxy(upstream: SocketAddr, port: u16) -> anyhow::Result<Proxy> {
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let addr = listener.local_addr()?;
    let (count, pings) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
    let counted = (count.clone(), pings.clone());
    tokio::spawn(async move {
        while let Ok((client, _)) = listener.accept().await {
            let counted = counted.clone();
            tokio::spawn(async move {
                if let Ok(server) = tokio::net::TcpStream::connect(upstream).await {
                    let _ = pipe(client, server, counted).await;
                }
            });
        }
    });
    Ok(Proxy { addr, count, pings })
}

async fn pipe(
    client: tokio::net::TcpStream,
    server: tokio::net::TcpStream,
    (count, pings): (Arc<AtomicU64>, Arc<AtomicU64>),
) -> std::io::Result<()> {
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (mut from_client, mut to_client) = client.into_split();
    let (mut from_server, mut to_server) = server.into_split();
    tokio::spawn(async move { tokio::io::copy(&mut from_server, &mut to_client).await });
    let mut messages = Messages::default();
    let mut buffer = vec![0u8; 64 * 1024];
    loop {
        let n = from_client.read(&mut buffer).await?;
        if n == 0 {
            return to_server.shutdown().await;
        }
        to_server.write_all(&buffer[..n]).await?;
        let (ended, bare) = messages.feed(&buffer[..n]);
        count.fetch_add(ended, Ordering::Relaxed);
        pings.fetch_add(bare, Ordering::Relaxed);
    }
}

/// The frontend side of PostgreSQL's protocol, read for the messages that end a round trip.
#[derive(Default)]
struct Messages {
    pending: Vec<u8>,
    started: bool,
    /// Whether a message other than `Sync` came since the last round trip ended.
    busy: bool,
}

impl Messages {
    /// Takes the bytes a client sent; returns how many round trips they ended, and how many of
    /// those were bare `Sync`s (pings).
    fn feed(&mut self, bytes: &[u8]) -> (u64, u64) {
        self.pending.extend_from_slice(bytes);
        let (mut at, mut ended, mut bare) = (0, 0, 0);
        loop {
            let rest = &self.pending[at..];
            if !self.started {
                // Untyped: an SSL or GSS request (then another untyped message), or the startup.
                let Some(len) = rest.get(..4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize) else {
                    break;
                };
                if rest.len() < len.max(8) {
                    break;
                }
                let code = u32::from_be_bytes([rest[4], rest[5], rest[6], rest[7]]);
                self.started = !matches!(code, 80_877_103 | 80_877_104);
                at += len.max(8);
                continue;
            }
            let Some(len) = rest.get(1..5).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]) as usize) else {
                break;
            };
            if rest.len() < 1 + len.max(4) {
                break;
            }
            match rest[0] {
                b'Q' => ended += 1,
                b'S' => {
                    ended += 1;
                    bare += u64::from(!self.busy);
                }
                _ => {}
            }
            self.busy = !matches!(rest[0], b'Q' | b'S');
            at += 1 + len.max(4);
        }
        self.pending.drain(..at);
        (ended, bare)
    }
}

/// The database URL of `url` with its host and port replaced by `proxy`'s, without TLS (so the
/// proxy can read the messages).
pub fn through(url: &str, proxy: SocketAddr) -> anyhow::Result<String> {
    let (scheme, rest) = url.split_once("://").ok_or_else(|| anyhow::anyhow!("not a URL: {url}"))?;
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if path.contains("host=") {
        anyhow::bail!("counting round trips needs PostgreSQL over TCP, not a socket ({url})");
    }
    let user = authority.rsplit_once('@').map(|(user, _)| format!("{user}@")).unwrap_or_default();
    let separator = if path.contains('?') { '&' } else { '?' };
    Ok(format!("{scheme}://{user}{proxy}/{path}{separator}sslmode=disable"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: u8, body: &[u8]) -> Vec<u8> {
        let mut m = vec![kind];
        m.extend_from_slice(&(body.len() as u32 + 4).to_be_bytes());
        m.extend_from_slice(body);
        m
    }

    #[test]
    fn a_round_trip_ends_at_each_query_and_sync_whatever_the_reads() {
        let mut startup = (8u32 + 6).to_be_bytes().to_vec();
        startup.extend_from_slice(&196_608u32.to_be_bytes());
        startup.extend_from_slice(b"user\0\0");
        let mut stream = startup;
        for kind in [b'P', b'B', b'D', b'E', b'S', b'Q', b'B', b'E', b'S', b'S', b'X'] {
            stream.extend(message(kind, b"abc"));
        }
        let mut whole = Messages::default();
        assert_eq!(whole.feed(&stream), (4, 1), "three statements and a ping");
        let mut bytewise = Messages::default();
        let fed = stream.iter().map(|b| bytewise.feed(&[*b])).fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
        assert_eq!(fed, (4, 1));
    }

    #[test]
    fn the_url_goes_through_the_proxy_without_tls() {
        let proxy: SocketAddr = ([127, 0, 0, 1], 4000).into();
        assert_eq!(
            through("postgres://postgres@127.0.0.1:5432/bzpeer_scale", proxy).ok().as_deref(),
            Some("postgres://postgres@127.0.0.1:4000/bzpeer_scale?sslmode=disable")
        );
        assert_eq!(
            through("postgres://u:p@db:5432/x?application_name=a", proxy).ok().as_deref(),
            Some("postgres://u:p@127.0.0.1:4000/x?application_name=a&sslmode=disable")
        );
        assert!(through("postgres://u@localhost/x?host=/run/postgresql", proxy).is_err());
    }
}
