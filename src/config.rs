//! Typed settings of a server instance, built from the command line and environment (see
//! `cli.rs`) or directly by tests. Passed down, never global.

use std::sync::Arc;
use std::time::Duration;

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
    /// Reverse proxies trusted to name the client in `Forwarded` / `X-Forwarded-For`.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// Answer introspection (`__schema`, `__type`); the command line turns it on with the
    /// playground (so with `--demo`) and off otherwise: production publishes no schema.
    pub introspection: bool,
    /// Browser origins allowed to call the API (CORS); none by default.
    pub cors_origins: Vec<AllowedOrigin>,
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
    /// When set, every SQL statement the server runs is appended here with its bound values
    /// (tests count them to prove there are no N+1 queries, and explain them).
    pub statement_log: Option<StatementLog>,
    /// How long a request waits for a database connection before SERVICE_UNAVAILABLE.
    pub database_acquire_timeout: std::time::Duration,
    /// Most pooled database connections; `None` for the backend's default (see `database`).
    pub database_max_connections: Option<u32>,
    /// How long an organization's matching pool stays in memory without a match.
    pub matching_idle: Duration,
}

/// A shared list of executed SQL statements.
pub type StatementLog = std::sync::Arc<std::sync::Mutex<Vec<sea_orm::Statement>>>;

/// Bounds that keep one request from taking the server down. Everything but the body size, the
/// depth and the timeout is checked by `graphql::cost` before any execution, on the parsed
/// document (the token count on the text, before parsing).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted request body.
    pub max_body_bytes: usize,
    /// Deepest accepted selection nesting (fields only).
    pub max_depth: usize,
    /// Highest accepted cost of the selected operation (`graphql::cost`: every field 1,
    /// connections and lists multiply their items, searches and sign-ins add a fixed cost).
    pub max_cost: u64,
    /// Most fields the document may expand to: every operation and fragment definition with its
    /// fragments inlined, as validation walks them.
    pub max_fields: u64,
    /// Most aliased fields in the selected operation (fragments expanded).
    pub max_aliases: u64,
    /// Most root fields in the selected operation (fragments expanded).
    pub max_root_fields: u64,
    /// Most directives on one field, fragment spread or inline fragment.
    pub max_directives_per_field: u64,
    /// Most lexical tokens in a document (counted before parsing).
    pub max_tokens: u64,
    /// Most sign-in mutations (`login`, `refreshToken`, `issueClientToken`,
    /// `acceptInvitation`) in one request: each hashes a password or secret.
    pub max_sign_ins: u64,
    /// How long a GraphQL request may run before it is answered `TIMEOUT` and cancelled.
    pub request_timeout: Duration,
    /// Requests per client address and minute on the public job pages (0: no limit).
    pub public_requests_per_minute: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_body_bytes: 1024 * 1024,
            max_depth: 12,
            max_cost: 500_000,
            max_fields: 2_000,
            max_aliases: 30,
            max_root_fields: 20,
            max_directives_per_field: 5,
            max_tokens: 5_000,
            max_sign_ins: 1,
            request_timeout: Duration::from_secs(10),
            public_requests_per_minute: 120,
        }
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
            trusted_proxies: Vec::new(),
            database_acquire_timeout: crate::database::DEFAULT_ACQUIRE_TIMEOUT,
            database_max_connections: None,
            matching_idle: crate::matching::index::DEFAULT_IDLE,
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

/// An allowed origin: exact (`https://app.example.com`), or with any port (`http://localhost:*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigin(String);

impl AllowedOrigin {
    /// Parses an origin as an operator writes it: scheme and host, optional port or `:*`, no
    /// path.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let origin = raw.trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or_else(|| format!("CORS origin `{raw}` must start with http:// or https://"))?;
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return Err(format!("CORS origin `{raw}` must be scheme://host[:port], without a path"));
        }
        Ok(Self(origin))
    }

    /// Whether a request's `Origin` header matches.
    #[must_use]
    pub fn matches(&self, origin: &str) -> bool {
        let origin = origin.to_ascii_lowercase();
        match self.0.strip_suffix(":*") {
            Some(base) => {
                origin == base
                    || origin
                        .strip_prefix(base)
                        .and_then(|p| p.strip_prefix(':'))
                        .is_some_and(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
            }
            None => origin == self.0,
        }
    }
}

#[cfg(test)]
mod origin_tests {
    use super::AllowedOrigin;

    #[test]
    fn origins_match_exactly_or_by_any_port() {
        let exact = AllowedOrigin::parse("https://App.Example.com/").unwrap_or_else(|e| panic!("{e}"));
        assert!(exact.matches("https://app.example.com"));
        assert!(!exact.matches("https://app.example.com.evil.test") && !exact.matches("http://app.example.com"));
        let local = AllowedOrigin::parse("http://localhost:*").unwrap_or_else(|e| panic!("{e}"));
        assert!(local.matches("http://localhost:5173") && local.matches("http://localhost"));
        assert!(!local.matches("http://localhost.evil.test:80") && !local.matches("http://localhost:5173x"));
        assert!(AllowedOrigin::parse("localhost:3000").is_err());
        assert!(AllowedOrigin::parse("https://example.com/app").is_err());
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
