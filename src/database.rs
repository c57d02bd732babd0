//! Connecting to SQLite (the embedded default) or PostgreSQL, and migrating.

pub mod rows;

use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use migration::unique_indexes::UniqueIndex;
use migration::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbErr, SqlErr};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A SQLite file (or memory).
    Sqlite,
    /// A PostgreSQL server.
    Postgres,
}

impl Backend {
    /// Reads the scheme of a database URL.
    pub fn of_url(url: &str) -> anyhow::Result<Self> {
        if url.starts_with("sqlite:") {
            Ok(Self::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Self::Postgres)
        } else {
            bail!(
                "unsupported database URL `{}`: expected sqlite://PATH or postgres://USER:PASSWORD@HOST:PORT/DATABASE",
                redact(url)
            )
        }
    }
}

/// A database URL as configured. `Debug` shows it with the password hidden (see `redact`), so
/// printed settings never carry the credentials; `expose` gives the URL to connect with.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl(String);

impl DatabaseUrl {
    /// Wraps a URL.
    pub fn new(url: impl Into<String>) -> Self {
        Self(url.into())
    }

    /// The URL itself, password included.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:?}", redact(&self.0))
    }
}

/// For clap: a URL given as a flag or an environment variable.
impl From<String> for DatabaseUrl {
    fn from(url: String) -> Self {
        Self(url)
    }
}

/// The URL with any password replaced, fit for logs and error messages.
#[must_use]
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_owned() };
    let Some((credentials, host)) = rest.split_once('@') else { return url.to_owned() };
    match credentials.split_once(':') {
        Some((user, _password)) => format!("{scheme}://{user}:***@{host}"),
        None => url.to_owned(),
    }
}

/// Prepares a transaction that reads rows by a list of up to a thousand keys and then
/// overwrites them (a sync batch); call it as the transaction's first statement.
///
/// SQLite: takes the write lock now (a write that changes nothing). SQLite runs one writer at a
/// time, and one that reads before its first write may find, when it writes, that another
/// committed in between (SQLITE_BUSY).
///
/// PostgreSQL: plans each statement for its values (`SET LOCAL plan_cache_mode =
/// force_custom_plan`, until [`end_batch_reads`]). A prepared statement run often gets a
/// generic plan, where `external_id IN ($3, …, $1002)` is no constant list the executor can
/// hash: each row is compared with all thousand values, 1.4 s at 20,000 candidates instead of
/// 18 ms. Rows are locked by the reads themselves (`FOR UPDATE`).
pub async fn prepare_batch(txn: &impl ConnectionTrait, organization_id: uuid::Uuid) -> Result<(), DbErr> {
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    if txn.get_database_backend() != sea_orm::DbBackend::Sqlite {
        txn.execute_unprepared("SET LOCAL plan_cache_mode = force_custom_plan").await?;
        return Ok(());
    }
    let column = entity::organizations::Column::EventSequence;
    let statement = Query::update()
        .table(entity::organizations::Entity)
        .value(column, Expr::col(column))
        .and_where(Expr::col(entity::organizations::Column::Id).eq(organization_id))
        .to_owned();
    txn.execute(&statement).await?;
    Ok(())
}

/// Ends the reads of a batch that [`prepare_batch`] prepared, before its writes: PostgreSQL
/// goes back to caching plans (`plan_cache_mode = auto`). Every row a write inserts fires its
/// foreign keys' checks, each a cached prepared query; planned for its values, each check is
/// planned again per row, which more than doubled the time of inserting 3,000 skill rows
/// (110 → 245 ms). Nothing on SQLite.
pub async fn end_batch_reads(txn: &impl ConnectionTrait) -> Result<(), DbErr> {
    if txn.get_database_backend() != sea_orm::DbBackend::Sqlite {
        txn.execute_unprepared("SET LOCAL plan_cache_mode = auto").await?;
    }
    Ok(())
}

/// Whether `url` names an in-memory SQLite database, which lives only as long as its one
/// connection.
#[must_use]
pub fn is_in_memory(url: &str) -> bool {
    url.contains(":memory:") || url.contains("mode=memory")
}

/// How long a request waits for a database connection before it is answered
/// SERVICE_UNAVAILABLE (the database is down or overloaded).
pub const DEFAULT_ACQUIRE_TIMEOUT: Duration = Duration::from_secs(3);

/// Opens a connection pool with the default acquire timeout (CLI commands, tests).
pub async fn connect(url: &str) -> anyhow::Result<DatabaseConnection> {
    connect_with(url, DEFAULT_ACQUIRE_TIMEOUT, None).await
}

/// Opens a connection pool. SQLite files are created if missing and run in WAL mode so readers
/// never wait for the writer. A statement waits at most `acquire_timeout` for a connection, so an
/// outage answers quickly instead of hanging; the pool reconnects by itself once the database
/// is back.
///
/// `max_connections` bounds the pool (`None`: 16 on PostgreSQL, 8 on a SQLite file; an
/// in-memory SQLite database always has exactly one).
pub async fn connect_with(
    url: &str,
    acquire_timeout: Duration,
    max_connections: Option<u32>,
) -> anyhow::Result<DatabaseConnection> {
    let backend = Backend::of_url(url)?;
    let mut options = ConnectOptions::new(url.to_owned());
    // sea-orm applies `connect_timeout` as sqlx's acquire timeout too: set both to the same.
    options.sqlx_logging(false).connect_timeout(acquire_timeout).acquire_timeout(acquire_timeout);
    // sqlx pings every connection it hands out by default: one more round trip per statement
    // (Q1 of bench/compare.sh ran 8 instead of 4). Only a connection idle this long is pinged
    // first — one that sat through a restart or an outage — while hot ones go straight through.
    options.test_before_acquire_if_idle_for(IDLE_BEFORE_PING);
    match backend {
        Backend::Sqlite => {
            crate::memory::sqlite_without_memory_statistics();
            let in_memory = is_in_memory(url);
            // Every connection to ":memory:" is its own database: keep exactly one.
            options.max_connections(if in_memory { 1 } else { max_connections.unwrap_or(8) });
            // SQLite's advice for long-lived connections: `PRAGMA optimize=0x10002` when a
            // connection opens (re-analyzes every table whose size changed a lot since its
            // statistics were taken) and `PRAGMA optimize` when it closes. The pool recycles
            // connections after `max_lifetime`, so statistics are refreshed periodically too.
            options.max_lifetime(CONNECTION_LIFETIME);
            options.map_sqlx_sqlite_opts(|opts| {
                opts.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .pragma("optimize", "0x10002")
                    .optimize_on_close(true, ANALYSIS_LIMIT)
            });
        }
        Backend::Postgres => {
            options.max_connections(max_connections.unwrap_or(16)).min_connections(1);
        }
    }
    let db = Database::connect(options)
        .await
        .map_err(|e| anyhow!("{}", first_line(&e.to_string())))
        .with_context(|| format!("cannot open database {}", redact(url)))?;
    db.ping().await.with_context(|| format!("cannot reach database {}", redact(url)))?;
    Ok(db)
}

/// Idle time after which a pooled connection is pinged before it serves a statement.
const IDLE_BEFORE_PING: Duration = Duration::from_secs(1);

/// How long a pooled connection lives before the pool replaces it (and SQLite re-checks its
/// planner statistics, see `connect_with`).
const CONNECTION_LIFETIME: Duration = Duration::from_mins(30);

/// Rows `PRAGMA optimize` reads per index at most when a connection closes (SQLite's
/// recommended bound), so closing stays fast at any size.
const ANALYSIS_LIMIT: u32 = 400;

/// Applies every pending migration; a no-op on an up-to-date database. When a migration ran
/// (new tables or indexes), the planner statistics are refreshed.
pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    let pending = Migrator::get_pending_migrations(db).await.context("reading the applied migrations")?.len();
    Migrator::up(db, None).await.context("migrating the database")?;
    if pending > 0 {
        analyze(db).await?;
    }
    Ok(())
}

/// Refreshes the query planner's statistics of every table and index (`ANALYZE`). SQLite has
/// none until something runs it, and without them it may pick an organization-wide index for an
/// id lookup; PostgreSQL's autovacuum gets there, but only later. Run after migrations and
/// bulk loads.
pub async fn analyze(db: &DatabaseConnection) -> anyhow::Result<()> {
    let statement = match db.get_database_backend() {
        // Our own tables only: a bare ANALYZE also visits the shared catalogs, and warns for
        // each one a non-superuser may not analyze.
        sea_orm::DatabaseBackend::Postgres => {
            let tables = db
                .query_all_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    "SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = current_schema()",
                ))
                .await
                .context("listing the tables to analyze")?;
            let names: Vec<String> = tables.iter().filter_map(|row| row.try_get::<String>("", "name").ok()).collect();
            if names.is_empty() {
                return Ok(());
            }
            format!("ANALYZE {}", names.join(", "))
        }
        _ => "ANALYZE".to_owned(),
    };
    db.execute_unprepared(&statement).await.context("refreshing the planner statistics (ANALYZE)")?;
    Ok(())
}

/// Rows split into (parent key, value) and grouped by key, each group in row order: what a
/// DataLoader returns for a one-to-many relation.
pub fn group_rows<T, K: Eq + std::hash::Hash, V>(
    rows: impl IntoIterator<Item = T>,
    split: impl Fn(T) -> (K, V),
) -> std::collections::HashMap<K, Vec<V>> {
    let mut groups: std::collections::HashMap<K, Vec<V>> = std::collections::HashMap::new();
    for row in rows {
        let (key, value) = split(row);
        groups.entry(key).or_default().push(value);
    }
    groups
}

/// Whether `error` is a violation of the unique index `index`, on either backend: PostgreSQL's
/// message names the index (`... violates unique constraint "uq_roles_external"`), SQLite's
/// names its columns (`UNIQUE constraint failed: roles.organization_id, roles.external_source,
/// roles.external_id`), or the index itself when it is on expressions.
#[must_use]
pub fn violates_unique(error: &DbErr, index: &UniqueIndex) -> bool {
    match error.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(message)) => names_index(&message, index),
        _ => false,
    }
}

fn names_index(message: &str, index: &UniqueIndex) -> bool {
    if message.contains(&format!("\"{}\"", index.name)) || message.contains(&format!("index '{}'", index.name)) {
        return true;
    }
    message.split_once("UNIQUE constraint failed: ").is_some_and(|(_, columns)| {
        columns.trim().split(", ").eq(index.columns.iter().map(|column| format!("{}.{column}", index.table)))
    })
}

fn first_line(message: &str) -> &str {
    message.lines().next().unwrap_or(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_never_reach_messages() {
        assert_eq!(redact("postgres://app:s3cret@db:5432/tg"), "postgres://app:***@db:5432/tg");
        assert_eq!(redact("sqlite://talentgraph.db?mode=rwc"), "sqlite://talentgraph.db?mode=rwc");
        assert_eq!(redact("postgres://app@db/tg"), "postgres://app@db/tg");
    }

    #[test]
    fn unique_violations_are_recognized_by_index_on_both_backends() {
        use migration::unique_indexes::{CANDIDATES_EMAIL, CANDIDATES_EXTERNAL};
        let postgres = "duplicate key value violates unique constraint \"uq_candidates_external\"";
        let sqlite =
            "UNIQUE constraint failed: candidates.organization_id, candidates.external_source, candidates.external_id";
        for message in [postgres, sqlite] {
            assert!(names_index(message, &CANDIDATES_EXTERNAL), "{message}");
            assert!(!names_index(message, &CANDIDATES_EMAIL), "{message}");
        }
        assert!(names_index("UNIQUE constraint failed: index 'uq_candidates_email'", &CANDIDATES_EMAIL));
        assert!(!names_index("UNIQUE constraint failed: candidates.organization_id", &CANDIDATES_EMAIL));
        assert!(!names_index(
            "duplicate key value violates unique constraint \"uq_candidates_emails\"",
            &CANDIDATES_EMAIL
        ));
    }

    #[test]
    fn backend_follows_the_scheme() {
        assert_eq!(Backend::of_url("sqlite://x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(Backend::of_url("postgresql://h/db").ok(), Some(Backend::Postgres));
        let error = Backend::of_url("mysql://u:pw@h/db").err().map(|e| e.to_string()).unwrap_or_default();
        assert!(error.contains("unsupported database URL"), "{error}");
        assert!(!error.contains("pw"), "{error}");
    }
}
