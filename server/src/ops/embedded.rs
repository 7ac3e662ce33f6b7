//! The embedded default database: a private PostgreSQL cluster run from the system's binaries,
//! listening only on a Unix socket in its own folder, stopped when the server stops.
//!
//! `initdb` and `postgres` refuse to run as root, so as root they run as the `postgres` OS user
//! (through `setpriv`, which also sets a parent-death signal so the cluster never outlives a
//! killed server). That user must be able to reach the folder; when it cannot (a checkout under
//! `/root`), the cluster lives under `/var/tmp` instead.

use sqlx::postgres::PgConnectOptions;
use std::fs::{self, File};
use std::os::unix::fs::{chown, PermissionsExt};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PORT: u16 = 5432;
const READY_TIMEOUT: Duration = Duration::from_secs(60);
const STOP_TIMEOUT: Duration = Duration::from_secs(20);

#[derive(Debug, thiserror::Error)]
pub enum EmbeddedError {
    #[error("no PostgreSQL server binaries found (looked in /usr/lib/postgresql/*/bin and BZPEER_PG_BIN); install the `postgresql` package")]
    NoBinaries,
    #[error("running as root needs a `postgres` OS user to own the embedded cluster")]
    NoPostgresUser,
    #[error("`setpriv` (util-linux) is needed to start the embedded cluster")]
    NoSetpriv,
    #[error("{what}: {source}")]
    Io { what: String, source: std::io::Error },
    #[error("{what} failed; see {log}")]
    Failed { what: String, log: String },
    #[error("the embedded cluster did not become ready within {0:?}; see {1}")]
    NotReady(Duration, String),
}

fn io(what: impl Into<String>) -> impl FnOnce(std::io::Error) -> EmbeddedError {
    let what = what.into();
    move |source| EmbeddedError::Io { what, source }
}

/// A running (or shared) embedded cluster.
#[derive(Debug)]
pub struct EmbeddedPostgres {
    base: PathBuf,
    child: Option<Child>,
}

/// The user the cluster runs as: `None` means "as the current user".
#[derive(Debug, Clone, Copy)]
struct RunAs {
    uid: u32,
    gid: u32,
}

impl EmbeddedPostgres {
    /// Starts the cluster in `requested` (initialising it on first use), or shares one that is
    /// already running there. Call it from the main thread: the parent-death signal is tied to
    /// the thread that spawns the cluster.
    pub fn start(requested: &Path) -> Result<Self, EmbeddedError> {
        let bin = find_bin_dir().ok_or(EmbeddedError::NoBinaries)?;
        let run_as = run_as()?;
        let base = usable_base(requested, run_as.is_some());
        if base != absolute(requested) {
            tracing::warn!(requested = %requested.display(), using = %base.display(),
                "the postgres user cannot reach the project folder; keeping the embedded cluster elsewhere");
        }
        let data = base.join("data");
        let socket = base.join("socket");
        for dir in [&base, &socket] {
            fs::create_dir_all(dir).map_err(io(format!("creating {}", dir.display())))?;
        }
        fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).map_err(io("setting folder permissions"))?;
        fs::set_permissions(&socket, fs::Permissions::from_mode(0o700))
            .map_err(io("setting socket folder permissions"))?;
        if let Some(user) = run_as {
            chown(&socket, Some(user.uid), Some(user.gid)).map_err(io("handing the socket folder to postgres"))?;
        }

        let mut cluster = EmbeddedPostgres { base: base.clone(), child: None };
        if cluster.is_ready(&bin) {
            tracing::info!(dir = %base.display(), "sharing the embedded cluster already running here");
            return Ok(cluster);
        }

        let log_path = base.join("postgres.log");
        if !data.join("PG_VERSION").exists() {
            fs::create_dir_all(&data).map_err(io("creating the data folder"))?;
            fs::set_permissions(&data, fs::Permissions::from_mode(0o700))
                .map_err(io("setting data folder permissions"))?;
            if let Some(user) = run_as {
                chown(&data, Some(user.uid), Some(user.gid)).map_err(io("handing the data folder to postgres"))?;
            }
            let log = File::create(&log_path).map_err(io("creating the cluster log"))?;
            let status = command(run_as, &bin.join("initdb"), false)?
                .args(["-D"])
                .arg(&data)
                .args(["-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C"])
                .stdout(log.try_clone().map_err(io("opening the cluster log"))?)
                .stderr(log)
                .status()
                .map_err(io("running initdb"))?;
            if !status.success() {
                return Err(EmbeddedError::Failed { what: "initdb".into(), log: log_path.display().to_string() });
            }
        }

        let log =
            fs::OpenOptions::new().create(true).append(true).open(&log_path).map_err(io("opening the cluster log"))?;
        let child = command(run_as, &bin.join("postgres"), true)?
            .args(["-D"])
            .arg(&data)
            .args(["-k"])
            .arg(&socket)
            .args(["-p", &PORT.to_string(), "-c", "listen_addresses=", "-c", "fsync=on"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().map_err(io("opening the cluster log"))?)
            .stderr(log)
            .spawn()
            .map_err(io("starting postgres"))?;
        cluster.child = Some(child);

        let started = Instant::now();
        while !cluster.is_ready(&bin) {
            if let Some(child) = cluster.child.as_mut() {
                if let Ok(Some(status)) = child.try_wait() {
                    cluster.child = None;
                    tracing::error!(%status, "postgres exited during start-up");
                    return Err(EmbeddedError::Failed {
                        what: "starting postgres".into(),
                        log: log_path.display().to_string(),
                    });
                }
            }
            if started.elapsed() > READY_TIMEOUT {
                cluster.stop();
                return Err(EmbeddedError::NotReady(READY_TIMEOUT, log_path.display().to_string()));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        tracing::info!(dir = %base.display(), took_ms = started.elapsed().as_millis() as u64, "embedded cluster started");
        Ok(cluster)
    }

    /// Starts a streaming replica of this cluster in `requested`: a base backup
    /// (`pg_basebackup -R`, which also writes the standby settings), started as a hot standby on
    /// its own socket. For trying read replicas on one machine, and for the tests that prove them.
    pub fn start_replica(&self, requested: &Path) -> Result<EmbeddedPostgres, EmbeddedError> {
        let bin = find_bin_dir().ok_or(EmbeddedError::NoBinaries)?;
        let run_as = run_as()?;
        let base = usable_base(requested, run_as.is_some());
        let data = base.join("data");
        if !data.join("PG_VERSION").exists() {
            fs::create_dir_all(&data).map_err(io(format!("creating {}", data.display())))?;
            fs::set_permissions(&base, fs::Permissions::from_mode(0o755)).map_err(io("setting folder permissions"))?;
            fs::set_permissions(&data, fs::Permissions::from_mode(0o700))
                .map_err(io("setting data folder permissions"))?;
            if let Some(user) = run_as {
                chown(&data, Some(user.uid), Some(user.gid)).map_err(io("handing the data folder to postgres"))?;
            }
            let log_path = base.join("basebackup.log");
            let log = File::create(&log_path).map_err(io("creating the base backup log"))?;
            let status = command(run_as, &bin.join("pg_basebackup"), false)?
                .args(["-D"])
                .arg(&data)
                .args(["-R", "-X", "stream", "-c", "fast", "-h"])
                .arg(self.socket_dir())
                .args(["-p", &PORT.to_string(), "-U", "postgres"])
                .stdout(log.try_clone().map_err(io("opening the base backup log"))?)
                .stderr(log)
                .status()
                .map_err(io("running pg_basebackup"))?;
            if !status.success() {
                return Err(EmbeddedError::Failed {
                    what: "pg_basebackup".into(),
                    log: log_path.display().to_string(),
                });
            }
        }
        EmbeddedPostgres::start(&base)
    }

    pub fn base(&self) -> &Path {
        &self.base
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.base.join("socket")
    }

    /// Whether this process started the cluster (and so stops it).
    pub fn owns_cluster(&self) -> bool {
        self.child.is_some()
    }

    /// Options for a connection to `database` over the cluster's socket.
    pub fn connect_options(&self, database: &str) -> PgConnectOptions {
        PgConnectOptions::new()
            .host(&self.socket_dir().to_string_lossy())
            .port(PORT)
            .username("postgres")
            .database(database)
    }

    fn is_ready(&self, bin: &Path) -> bool {
        self.socket_dir().join(format!(".s.PGSQL.{PORT}")).exists()
            && Command::new(bin.join("pg_isready"))
                .arg("-q")
                .arg("-h")
                .arg(self.socket_dir())
                .args(["-p", &PORT.to_string(), "-U", "postgres"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success())
    }

    /// Stops the cluster with a fast shutdown (SIGINT), waiting for it to finish; a cluster this
    /// process merely shares is left running.
    pub fn stop(&mut self) {
        let Some(mut child) = self.child.take() else {
            return;
        };
        let pid = nix::unistd::Pid::from_raw(i32::try_from(child.id()).unwrap_or(i32::MAX));
        if nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).is_err() {
            let _ = child.kill();
        }
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if started.elapsed() < STOP_TIMEOUT => std::thread::sleep(Duration::from_millis(50)),
                _ => {
                    tracing::warn!("the embedded cluster did not stop in time; killing it");
                    let _ = child.kill();
                    let _ = child.wait();
                    break;
                }
            }
        }
        tracing::info!(took_ms = started.elapsed().as_millis() as u64, "embedded cluster stopped");
    }
}

impl Drop for EmbeddedPostgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// `setpriv`, dropping to the postgres user when running as root and, for the server process,
/// asking for SIGINT (a fast shutdown) when this process dies.
fn command(run_as: Option<RunAs>, program: &Path, die_with_parent: bool) -> Result<Command, EmbeddedError> {
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists())
        .ok_or(EmbeddedError::NoSetpriv)?;
    let mut cmd = Command::new(setpriv);
    if let Some(user) = run_as {
        cmd.arg(format!("--reuid={}", user.uid)).arg(format!("--regid={}", user.gid)).arg("--clear-groups");
        cmd.env("HOME", "/var/lib/postgresql").env("USER", "postgres");
    }
    if die_with_parent {
        cmd.arg("--pdeathsig=INT");
    }
    cmd.arg("--").arg(program);
    Ok(cmd)
}

fn run_as() -> Result<Option<RunAs>, EmbeddedError> {
    if !nix::unistd::geteuid().is_root() {
        return Ok(None);
    }
    let user = nix::unistd::User::from_name("postgres").ok().flatten().ok_or(EmbeddedError::NoPostgresUser)?;
    Ok(Some(RunAs { uid: user.uid.as_raw(), gid: user.gid.as_raw() }))
}

/// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `postgres`, or
/// `BZPEER_PG_BIN`.
pub fn find_bin_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("BZPEER_PG_BIN").map(PathBuf::from) {
        return dir.join("postgres").exists().then_some(dir);
    }
    let mut versions: Vec<(u32, PathBuf)> = fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            (bin.join("initdb").exists() && bin.join("postgres").exists()).then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether every existing ancestor of `path` lets other users through (`o+x`), so the postgres
/// user can reach a folder created there.
pub fn reachable_by_others(path: &Path) -> bool {
    absolute(path)
        .ancestors()
        .skip(1)
        .filter(|a| a.exists())
        .all(|a| fs::metadata(a).is_ok_and(|m| m.permissions().mode() & 0o001 != 0))
}

/// The folder to use: the requested one, or, when the postgres user could not reach it, one
/// under `/var/tmp` named after it (so each checkout keeps its own cluster).
fn usable_base(requested: &Path, needs_other_user: bool) -> PathBuf {
    let requested = absolute(requested);
    if !needs_other_user || reachable_by_others(&requested) {
        return requested;
    }
    let tag = bzpeer_core::domain::slug::short_hash(&requested.to_string_lossy());
    PathBuf::from(format!("/var/tmp/bzpeer-{tag}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_behind_a_private_parent_is_not_reachable() {
        let top = tempfile::tempdir().expect("tempdir");
        let private = top.path().join("private");
        fs::create_dir(&private).expect("mkdir");
        fs::set_permissions(&private, fs::Permissions::from_mode(0o700)).expect("chmod");
        fs::set_permissions(top.path(), fs::Permissions::from_mode(0o755)).expect("chmod");
        assert!(!reachable_by_others(&private.join("cluster")));
        fs::set_permissions(&private, fs::Permissions::from_mode(0o755)).expect("chmod");
        assert!(reachable_by_others(&private.join("cluster")));
    }

    #[test]
    fn an_unreachable_folder_falls_back_to_var_tmp() {
        let top = tempfile::tempdir().expect("tempdir");
        fs::set_permissions(top.path(), fs::Permissions::from_mode(0o700)).expect("chmod");
        let base = usable_base(&top.path().join("pg"), true);
        assert!(base.starts_with("/var/tmp"), "{}", base.display());
        assert_eq!(usable_base(&top.path().join("pg"), false), top.path().join("pg"));
    }
}
