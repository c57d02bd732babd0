//! Typed settings of a server instance, built from the command line and environment (see
//! `cli.rs`) or directly by tests. Passed down, never global.

use std::sync::Arc;

use crate::auth::tokens::{JwtKeys, TokenPolicy};
use crate::database::DatabaseUrl;

/// The SQLite file used when no database URL is given: created and migrated on first run.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://talentgraph.db?mode=rwc";

/// Everything a running server needs to know.
#[derive(Debug, Clone)]
pub struct Settings {
    /// `sqlite://PATH` or `postgres://USER:PASSWORD@HOST:PORT/DB`.
    pub database_url: DatabaseUrl,
    /// Address to listen on; port 0 picks a free port.
    pub bind: String,
    /// Serve the GraphiQL playground at `GET /`.
    pub playground: bool,
    /// Answer introspection (`__schema`, `__type`); the command line turns it on with the
    /// playground (so with `--demo`) and off otherwise: production publishes no schema.
    pub introspection: bool,
    /// Browser origins allowed to call the API (CORS); none by default.
    pub cors_origins: Vec<crate::http::cors::AllowedOrigin>,
    /// Seed the demo organization into an empty database at start, and sign the playground in
    /// as the demo recruiter.
    pub demo: bool,
    /// HTTP worker threads; `None` uses one per core.
    pub workers: Option<usize>,
    /// Request limits.
    pub limits: Limits,
    /// Keys that sign and verify access tokens.
    pub jwt_keys: Arc<JwtKeys>,
    /// Token lifetimes.
    pub tokens: TokenPolicy,
    /// When set, every SQL statement the server runs is appended here (tests count them to
    /// prove there are no N+1 queries).
    pub statement_log: Option<StatementLog>,
    /// How long a request waits for a database connection before SERVICE_UNAVAILABLE.
    pub database_acquire_timeout: std::time::Duration,
}

/// A shared list of executed SQL statements.
pub type StatementLog = std::sync::Arc<std::sync::Mutex<Vec<String>>>;

/// Bounds that keep one request from taking the server down.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Deepest accepted selection nesting.
    pub max_depth: usize,
    /// Highest accepted query complexity (each field counts 1, lists multiply by page size).
    pub max_complexity: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self { max_body_bytes: 1024 * 1024, max_depth: 12, max_complexity: 20_000 }
    }
}

impl Settings {
    /// A server on `database_url` listening on a random local port, without playground or demo,
    /// signing tokens with a fresh random key.
    #[must_use]
    pub fn local(database_url: impl Into<String>) -> Self {
        Self {
            database_url: DatabaseUrl::new(database_url),
            bind: "127.0.0.1:0".to_owned(),
            playground: false,
            introspection: false,
            demo: false,
            workers: None,
            limits: Limits::default(),
            jwt_keys: Arc::new(JwtKeys::ephemeral()),
            tokens: TokenPolicy::default(),
            statement_log: None,
            cors_origins: Vec::new(),
            database_acquire_timeout: crate::database::DEFAULT_ACQUIRE_TIMEOUT,
        }
    }
}

/// A value that must not reach logs (a signing secret): `Debug` prints `[REDACTED]`, and the
/// value is read only through `expose`, so every use is visible at the call site.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret<T>(T);

impl<T> Secret<T> {
    /// Wraps a secret value.
    pub fn new(value: T) -> Self {
        Self(value)
    }

    /// The secret value itself.
    pub fn expose(&self) -> &T {
        &self.0
    }
}

impl<T> std::fmt::Debug for Secret<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("[REDACTED]")
    }
}

/// For clap: a secret given as a flag or an environment variable.
impl From<String> for Secret<String> {
    fn from(value: String) -> Self {
        Self(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_secrets() {
        let settings = Settings::local("postgres://app:s3cret-pw@db:5432/tg");
        let printed = format!("{settings:?}");
        assert!(!printed.contains("s3cret-pw"), "{printed}");
        assert!(printed.contains("postgres://app:***@db:5432/tg"), "{printed}");
        assert_eq!(settings.database_url.expose(), "postgres://app:s3cret-pw@db:5432/tg");
        let secret = Secret::new("hunter2-hunter2".to_owned());
        assert_eq!(format!("{secret:?}"), "[REDACTED]");
        assert_eq!(secret.expose(), "hunter2-hunter2");
    }
}
