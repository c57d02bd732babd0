//! Whether a token's caller is still current (a recruiter active with the role their token
//! names, an API client not revoked), remembered for a few seconds per caller.
//!
//! Reading it on every request was a fifth of a small query's server CPU and one of its two
//! statements. A remembered caller is forgotten as soon as it may have changed:
//! - on PostgreSQL, every change to a recruiter or an API client row, made by any server or by
//!   hand, is announced on [`CHANNEL`] when it commits (a trigger, migration 36); each server
//!   listens, and remembers nothing while it is not listening (so a lost connection cannot hide
//!   a change);
//! - on SQLite (one server per file) this server forgets the callers it deactivates or revokes
//!   itself ([`CurrentCallers::forget`]).
//!
//! [`REMEMBER_FOR`] bounds what nothing announces (a SQLite file changed by another process).
//! Only "current" is remembered: a refused caller is read again on its next request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use entity::RecruiterRole;
use sea_orm::{DatabaseConnection, DbBackend};
use uuid::Uuid;

use super::service;
use crate::auth::Viewer;
use crate::auth::viewer::Actor;
use crate::error::AppResult;

/// The PostgreSQL channel changes to recruiters and API clients are announced on (the payload:
/// the row's id, or `*` for all).
pub const CHANNEL: &str = "talentgraph_callers";

/// How long a caller found current is trusted without reading it again.
pub const REMEMBER_FOR: Duration = Duration::from_secs(10);

/// Callers remembered at most; past it the memory starts over (a bound, not a working size:
/// one entry per active token holder).
const MOST_REMEMBERED: usize = 50_000;

/// How long the listener waits before connecting again after it lost its connection.
const RELISTEN_AFTER: Duration = Duration::from_secs(1);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum CallerKey {
    Recruiter { organization: Uuid, id: Uuid, role: RecruiterRole },
    ApiClient { organization: Uuid, id: Uuid },
}

impl CallerKey {
    fn of(viewer: &Viewer) -> Self {
        let organization = viewer.tenant().organization_id();
        match viewer.actor() {
            Actor::Recruiter { id, role } => Self::Recruiter { organization, id: *id, role: *role },
            Actor::ApiClient { id, .. } => Self::ApiClient { organization, id: *id },
        }
    }

    fn id(self) -> Uuid {
        match self {
            Self::Recruiter { id, .. } | Self::ApiClient { id, .. } => id,
        }
    }
}

/// The callers this server found current, and since when.
pub struct CurrentCallers {
    found: Mutex<HashMap<CallerKey, Instant>>,
    /// Bumped by every forget: a check that read the database before a forget does not
    /// remember its (possibly stale) answer after it.
    forgets: AtomicU64,
    /// Whether changes reach this server (always on SQLite; on PostgreSQL while it listens).
    informed: AtomicBool,
}

impl CurrentCallers {
    /// Callers of a server on `db`: on PostgreSQL nothing is remembered until
    /// [`Self::listen`] runs.
    #[must_use]
    pub fn new(db: &DatabaseConnection) -> Arc<Self> {
        Arc::new(Self {
            found: Mutex::new(HashMap::new()),
            forgets: AtomicU64::new(0),
            informed: AtomicBool::new(db.get_database_backend() == DbBackend::Sqlite),
        })
    }

    /// Whether `viewer` (whose token verified) is still current: from memory when checked less
    /// than [`REMEMBER_FOR`] ago and nothing changed it since, else from the database.
    pub async fn is_current(&self, db: &DatabaseConnection, viewer: &Viewer) -> AppResult<bool> {
        let key = CallerKey::of(viewer);
        if self.remembers(key) {
            return Ok(true);
        }
        let forgets_before = self.forgets.load(Ordering::Acquire);
        let current = match viewer.actor() {
            Actor::ApiClient { id, .. } => service::api_client_is_active(db, viewer.tenant(), *id).await?,
            Actor::Recruiter { id, role } => service::recruiter_is_current(db, viewer.tenant(), *id, *role).await?,
        };
        if current && self.informed.load(Ordering::Acquire) {
            let mut found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
            // Checked under the lock, which every forget takes after bumping the count.
            if self.forgets.load(Ordering::Acquire) == forgets_before {
                if found.len() >= MOST_REMEMBERED {
                    found.clear();
                }
                found.insert(key, Instant::now());
            }
        }
        Ok(current)
    }

    fn remembers(&self, key: CallerKey) -> bool {
        let found = self.found.lock().unwrap_or_else(PoisonError::into_inner);
        found.get(&key).is_some_and(|since| since.elapsed() < REMEMBER_FOR)
    }

    /// Forgets the recruiter or API client `id` (it changed): its next request reads it again.
    pub fn forget(&self, id: Uuid) {
        self.forgets.fetch_add(1, Ordering::AcqRel);
        self.found.lock().unwrap_or_else(PoisonError::into_inner).retain(|key, _| key.id() != id);
    }

    /// Forgets every caller.
    pub fn forget_all(&self) {
        self.forgets.fetch_add(1, Ordering::AcqRel);
        self.found.lock().unwrap_or_else(PoisonError::into_inner).clear();
    }

    /// On PostgreSQL: listens on [`CHANNEL`] for as long as the server runs, forgetting each
    /// caller announced. While the listener is not connected nothing is remembered, and
    /// everything is forgotten when it loses its connection (announcements may have been
    /// missed). Nothing to do on SQLite.
    pub fn listen(self: &Arc<Self>, db: &DatabaseConnection) {
        if db.get_database_backend() != DbBackend::Postgres {
            return;
        }
        let pool = db.get_postgres_connection_pool().clone();
        // A connection of its own, not one of the pool's: a pool of one stays free for requests.
        let listening = sea_orm::sqlx::postgres::PgPoolOptions::new()
            .max_connections(1)
            .max_lifetime(None)
            .idle_timeout(None)
            .connect_lazy_with((*pool.connect_options()).clone());
        let callers = Arc::clone(self);
        tokio::spawn(async move {
            loop {
                let outcome = callers.listen_once(&listening).await;
                callers.informed.store(false, Ordering::Release);
                callers.forget_all();
                if pool.is_closed() {
                    listening.close().await;
                    return;
                }
                if let Err(error) = outcome {
                    tracing::warn!(%error, "listening for changed callers; reading every caller until it listens again");
                }
                tokio::time::sleep(RELISTEN_AFTER).await;
            }
        });
    }

    /// Listens until the connection is lost (`Ok`) or fails.
    async fn listen_once(&self, pool: &sea_orm::sqlx::PgPool) -> Result<(), sea_orm::sqlx::Error> {
        let mut listener = sea_orm::sqlx::postgres::PgListener::connect_with(pool).await?;
        // A lost connection is reported at once, not after reconnecting (which waits out an
        // outage while callers would still be remembered).
        listener.eager_reconnect(false);
        listener.listen(CHANNEL).await?;
        // Anything remembered before this point may have changed unannounced.
        self.forget_all();
        self.informed.store(true, Ordering::Release);
        // `None`: the connection was lost (the listener would reconnect, but what was announced
        // meanwhile is gone, so the loop above starts over).
        while let Some(notification) = listener.try_recv().await? {
            match notification.payload().parse::<Uuid>() {
                Ok(id) => self.forget(id),
                Err(_) => self.forget_all(),
            }
        }
        Ok(())
    }
}
