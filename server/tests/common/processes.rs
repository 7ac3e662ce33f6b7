//! Real server processes for the scale-out tests: the `server` binary started on a test's own
//! database and a free port, a visitor without JavaScript that keeps its session cookie across
//! processes (as a browser behind a load balancer does), and an SMTP server that records what
//! it is sent.

use loopback_http::{Client, Response};
use sqlx::PgPool;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

const TIMEOUT: Duration = Duration::from_secs(30);

/// A port nobody listens on now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

/// `DATABASE_URL` for the test's own database (the one `pool` is connected to).
pub fn database_url(pool: &PgPool) -> String {
    let options = pool.connect_options();
    format!(
        "postgres://{}@{}:{}/{}",
        options.get_username(),
        options.get_host(),
        options.get_port(),
        options.get_database().expect("a test database")
    )
}

/// One `server serve --no-demo` process, stopped (SIGKILL) when dropped.
pub struct ServerProcess {
    pub addr: SocketAddr,
    child: Option<Child>,
    log: PathBuf,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the server on `database_url` with `env` added, and waits until `/readyz` answers.
    pub async fn start(database_url: &str, env: &[(&str, &str)]) -> Self {
        let process = Self::spawn(database_url, env);
        process.wait_ready().await;
        process
    }

    /// Starts the server without waiting for it.
    pub fn spawn(database_url: &str, env: &[(&str, &str)]) -> Self {
        let addr: SocketAddr = format!("127.0.0.1:{}", free_port()).parse().expect("an address");
        let dir = tempfile::tempdir().expect("a folder for the log");
        let log = dir.path().join("server.log");
        let file = std::fs::File::create(&log).expect("the log file");
        let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
        command
            .args(["serve", "--no-demo"])
            .env("DATABASE_URL", database_url)
            .env("LEPTOS_OUTPUT_NAME", "bzpeer")
            .env("LEPTOS_SITE_ADDR", addr.to_string())
            .env("LEPTOS_SITE_ROOT", "target/site")
            .env("RUST_LOG", "info,sqlx=warn")
            .env_remove("DATABASE_READ_URL")
            .env_remove("BZPEER_SMTP_URL")
            .stdin(Stdio::null())
            .stdout(file.try_clone().expect("the log file"))
            .stderr(file);
        for (name, value) in env {
            command.env(name, value);
        }
        let child = command.spawn().expect("the server binary starts");
        Self { addr, child: Some(child), log, _dir: dir }
    }

    pub async fn wait_ready(&self) {
        let started = Instant::now();
        loop {
            let mut client = Client::new(self.addr);
            if let Ok(r) = client.get("/readyz", &[], Duration::from_secs(2)).await {
                if r.status == 200 {
                    return;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "{} not ready in 60 s:\n{}",
                self.addr,
                self.log_tail()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The last lines the server logged.
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(&self.log).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        lines[lines.len().saturating_sub(30)..].join("\n")
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM (a load balancer's or an orchestrator's stop).
    pub fn terminate(&self) {
        if let Some(child) = &self.child {
            let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).expect("a pid"));
            nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGTERM).expect("SIGTERM sent");
        }
    }

    /// Waits for the process to exit: its exit code, or `None` if it was still running after `within`.
    pub async fn exited_within(&mut self, within: Duration) -> Option<i32> {
        let started = Instant::now();
        let child = self.child.as_mut()?;
        loop {
            if let Ok(Some(status)) = child.try_wait() {
                self.child = None;
                return Some(status.code().unwrap_or(-1));
            }
            if started.elapsed() > within {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// A browser without JavaScript, one session cookie for every process it visits.
#[derive(Default)]
pub struct Visitor {
    cookie: Option<String>,
}

impl Visitor {
    fn remember(&mut self, response: &Response) {
        for (name, value) in &response.headers {
            if name.eq_ignore_ascii_case("set-cookie") {
                self.cookie = crate::helpers::cookie_after(value);
            }
        }
    }

    fn headers(&self) -> Vec<(&str, &str)> {
        self.cookie.iter().map(|c| ("Cookie", c.as_str())).collect()
    }

    pub async fn get(&mut self, on: &ServerProcess, path: &str) -> Response {
        let response = Client::new(on.addr)
            .get(path, &self.headers(), TIMEOUT)
            .await
            .unwrap_or_else(|e| panic!("GET {path} on {}: {e}\n{}", on.addr, on.log_tail()));
        self.remember(&response);
        response
    }

    /// A plain form post (`fields` already url-encoded), as a browser without JavaScript sends it.
    pub async fn post(&mut self, on: &ServerProcess, path: &str, form: &str) -> Response {
        let mut headers = self.headers();
        let origin = format!("http://{}", on.addr);
        headers.extend([
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Origin", origin.as_str()),
            ("Referer", origin.as_str()),
        ]);
        let response = Client::new(on.addr)
            .send("POST", path, &headers, Some(form.as_bytes()), TIMEOUT)
            .await
            .unwrap_or_else(|e| panic!("POST {path} on {}: {e}\n{}", on.addr, on.log_tail()));
        self.remember(&response);
        response
    }
}

pub fn body(response: &Response) -> String {
    String::from_utf8_lossy(&response.body).into_owned()
}

/// A mail the SMTP sink accepted.
#[derive(Debug, Clone)]
pub struct Received {
    pub from: String,
    pub data: String,
}

/// An SMTP server on a free port that accepts every mail (taking `delay` over each) and keeps it.
pub struct SmtpSink {
    pub port: u16,
    pub received: Arc<Mutex<Vec<Received>>>,
}

impl SmtpSink {
    pub async fn start(delay: Duration) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a port for the sink");
        let port = listener.local_addr().expect("an address").port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let store = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(session(stream, store.clone(), delay));
            }
        });
        Self { port, received }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().expect("not poisoned").clone()
    }
}

/// One SMTP conversation: just enough of RFC 5321 for a client that sends plain mail.
async fn session(stream: tokio::net::TcpStream, store: Arc<Mutex<Vec<Received>>>, delay: Duration) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut from = String::new();
    let mut line = String::new();
    if write.write_all(b"220 sink ESMTP\r\n").await.is_err() {
        return;
    }
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") || command.starts_with("HELO") {
            b"250 sink\r\n"
        } else if command.starts_with("MAIL FROM:") {
            from = line.trim_end()[10..].to_owned();
            b"250 OK\r\n"
        } else if command.starts_with("DATA") {
            if write.write_all(b"354 go on\r\n").await.is_err() {
                return;
            }
            let mut data = String::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                data.push_str(&line);
            }
            tokio::time::sleep(delay).await;
            store.lock().expect("not poisoned").push(Received { from: from.clone(), data });
            b"250 OK queued\r\n"
        } else if command.starts_with("QUIT") {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            // RCPT, RSET, NOOP.
            b"250 OK\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
