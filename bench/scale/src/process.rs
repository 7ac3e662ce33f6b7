//! The release server under test, started as its own process on the benchmark database and a
//! port of its own, as `make size` and `make bench-tti` start theirs; and `server generate`.

use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct Server {
    child: Child,
    pub addr: SocketAddr,
    /// Every line the server wrote to stderr (its log), as it wrote them.
    pub log: Arc<Mutex<Vec<String>>>,
}

/// Starts `serve --no-demo` on `database_url` at 127.0.0.1:`port`, trusting one proxy (the
/// benchmark's connections say who they are in `X-Forwarded-For`), with `env` added, and waits
/// for `/healthz`.
pub async fn start(
    binary: &Path,
    site: &Path,
    port: u16,
    database_url: &str,
    env: &[(&str, &str)],
) -> anyhow::Result<Server> {
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let mut command = Command::new(binary);
    command
        .args(["serve", "--no-demo"])
        .env("LEPTOS_SITE_ADDR", addr.to_string())
        .env("LEPTOS_SITE_ROOT", site)
        .env("LEPTOS_OUTPUT_NAME", "bzpeer")
        .env("DATABASE_URL", database_url)
        .env("BZPEER_TRUST_PROXY", "1")
        .env("BZPEER_DEV_OUTBOX", "0")
        // Each connection of the load asks for sitemaps and record files faster than one client
        // may (the limit has its own test): here they are measured, not refused.
        .env("BZPEER_HEAVY_PER_MINUTE", "1000000")
        .env("NO_COLOR", "1")
        .env("RUST_LOG", std::env::var("RUST_LOG").unwrap_or_else(|_| "warn".to_owned()))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().map_err(|e| anyhow::anyhow!("cannot start {}: {e}", binary.display()))?;
    let log = Arc::new(Mutex::new(Vec::new()));
    if let Some(stderr) = child.stderr.take() {
        let log = log.clone();
        tokio::spawn(async move {
            let mut lines = BufReader::new(stderr).lines();
            while let Ok(Some(line)) = lines.next_line().await {
                if let Ok(mut log) = log.lock() {
                    log.push(line);
                }
            }
        });
    }
    let server = Server { child, addr, log };
    let deadline = Instant::now() + Duration::from_secs(180);
    let mut client = loopback_http::Client::new(addr);
    loop {
        if let Ok(r) = client.get("/healthz", &[], Duration::from_secs(2)).await {
            if r.status == 200 {
                return Ok(server);
            }
        }
        if Instant::now() > deadline {
            anyhow::bail!("{} did not answer /healthz on {addr} within 180 s:\n{}", binary.display(), server.tail(20));
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

impl Server {
    /// The server's process id, while it runs.
    pub fn pid(&self) -> Option<u32> {
        self.child.id()
    }

    /// The last `n` lines of the server's log.
    pub fn tail(&self, n: usize) -> String {
        let log = self.log.lock().map(|l| l.clone()).unwrap_or_default();
        log[log.len().saturating_sub(n)..].join("\n")
    }

    pub fn log_len(&self) -> usize {
        self.log.lock().map(|l| l.len()).unwrap_or_default()
    }

    pub fn log_since(&self, from: usize) -> Vec<String> {
        self.log.lock().map(|l| l[from.min(l.len())..].to_vec()).unwrap_or_default()
    }

    /// SIGTERM (a graceful shutdown), SIGKILL after 10 s.
    pub async fn stop(mut self) {
        if let Some(pid) = self.child.id().and_then(|id| i32::try_from(id).ok()) {
            let _ = nix::sys::signal::kill(nix::unistd::Pid::from_raw(pid), nix::sys::signal::Signal::SIGTERM);
        }
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait()).await.is_err() {
            let _ = self.child.kill().await;
        }
    }
}

/// Runs `server generate` into `database_url`, its output passed through; the wall-clock time.
pub async fn generate(
    binary: &Path,
    database_url: &str,
    authors: u64,
    works: u64,
    seed: u64,
) -> anyhow::Result<Duration> {
    let started = Instant::now();
    let status = Command::new(binary)
        .args(["generate", "--authors", &authors.to_string(), "--works", &works.to_string()])
        .args(["--seed", &seed.to_string(), "--replace"])
        .env("DATABASE_URL", database_url)
        .status()
        .await
        .map_err(|e| anyhow::anyhow!("cannot start {}: {e}", binary.display()))?;
    if !status.success() {
        anyhow::bail!("{} generate failed ({status})", binary.display());
    }
    Ok(started.elapsed())
}
