//! A few connections held without a pool's checks, for the one statement a view of a kept page
//! makes: sqlx's pool pings every connection it takes back, a second round trip per view. These
//! are reused as they are, at most `size` at once, and one that fails is dropped, not reused.

use crate::error::AppError;
use sqlx::postgres::{PgConnectOptions, PgConnection};
use sqlx::Connection;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

#[derive(Clone)]
pub struct Held(Arc<Inner>);

struct Inner {
    options: PgConnectOptions,
    idle: Mutex<Vec<PgConnection>>,
    permits: Arc<Semaphore>,
    wait: Duration,
}

impl std::fmt::Debug for Held {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Held({} free)", self.0.permits.available_permits())
    }
}

/// A connection taken from `Held`: given back after a statement that succeeded, dropped (and
/// so closed) otherwise.
pub struct Taken {
    pub conn: PgConnection,
    /// Whether it was opened for this use (a reused one may have outlived a restart).
    pub fresh: bool,
    held: Held,
    _permit: OwnedSemaphorePermit,
}

impl Held {
    /// Connections to `options`, at most `size` at once, waiting at most `wait` for one.
    pub fn new(options: PgConnectOptions, size: usize, wait: Duration) -> Self {
        Self(Arc::new(Inner {
            options,
            idle: Mutex::new(Vec::new()),
            permits: Arc::new(Semaphore::new(size.max(1))),
            wait,
        }))
    }

    /// An idle connection, else a new one (`fresh`: asked for by a caller whose reused one failed).
    pub async fn take(&self, fresh: bool) -> Result<Taken, AppError> {
        let permit = tokio::time::timeout(self.0.wait, self.0.permits.clone().acquire_owned())
            .await
            .map_err(|_| AppError::Unavailable)?
            .map_err(|_| AppError::Unavailable)?;
        let idle = if fresh { None } else { self.0.idle.lock().ok().and_then(|mut idle| idle.pop()) };
        let (conn, fresh) = match idle {
            Some(conn) => (conn, false),
            None => (PgConnection::connect_with(&self.0.options).await?, true),
        };
        Ok(Taken { conn, fresh, held: self.clone(), _permit: permit })
    }
}

impl Taken {
    /// Gives the connection back for the next view, after a statement that succeeded on it.
    pub fn give_back(self) {
        let Taken { conn, held, _permit, .. } = self;
        let idle = held.0.idle.lock();
        if let Ok(mut idle) = idle {
            idle.push(conn);
        }
    }
}
