//! One error type for the whole server, with stable codes, mapped once to GraphQL errors.

use async_graphql::ErrorExtensions;

use migration::unique_indexes::UniqueIndex;
use sea_orm::{DbErr, SqlErr};

/// Every failure a request can meet. The variant decides the public `extensions.code`.
///
/// Deliberately not `Display`: async-graphql converts any `Display` type into an error without a
/// code, so without `Display` the only way from `AppError` to a GraphQL error is the mapping
/// below, and a bare `?` in a resolver keeps the code.
#[derive(Debug)]
pub enum AppError {
    /// No valid credentials.
    Unauthenticated,
    /// A sign-in with a wrong email, password or client secret (code UNAUTHENTICATED).
    BadCredentials,
    /// Valid credentials without the needed role or scope.
    Forbidden,
    /// The entity does not exist in the caller's organization.
    NotFound(&'static str),
    /// A mutation's input named an entity (by a well-formed id) that does not exist in the
    /// caller's organization; `field` is the path of the argument (code NOT_FOUND).
    UnknownId { kind: &'static str, field: Vec<String> },
    /// Input that cannot be accepted; `field` is the path of the offending input.
    BadUserInput { field: Vec<String>, message: String },
    /// A state conflict: stale version, duplicate key.
    Conflict(String),
    /// Too many attempts; retry after the given number of seconds.
    RateLimited { retry_after_secs: u64 },
    /// The database cannot be reached (or no connection came free in time); retry shortly.
    Unavailable,
    /// A request over one of the limits checked before execution (cost, size, aliases, …).
    LimitExceeded(LimitExceeded),
    /// The request ran longer than the configured timeout; its work was cancelled.
    Timeout { after: std::time::Duration },
    /// Anything else. Logged with its cause chain, never shown.
    Internal(anyhow::Error),
}

impl AppError {
    /// A refusal of input at `field` (dot-separated path).
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        Self::BadUserInput { field: field_path(field), message: message.into() }
    }

    /// This error, with a `NotFound` of one of the `kinds` turned into an unknown id at the
    /// argument that named it (`(kind, dot-separated field)`), so a mutation's refusal points at
    /// its input. Any other error is kept.
    #[must_use]
    pub fn locating(self, kinds: &[(&'static str, &str)]) -> Self {
        match self {
            Self::NotFound(kind) => match kinds.iter().find(|(named, _)| *named == kind) {
                Some((_, field)) => Self::UnknownId { kind, field: field_path(field) },
                None => Self::NotFound(kind),
            },
            other => other,
        }
    }

    /// A failed write, with a violation of one of the unique indexes as a refusal at that
    /// index's field (`(index, field, message)`); any other error maps as usual.
    #[must_use]
    pub fn refusing_duplicates(error: DbErr, duplicates: &[(UniqueIndex, &str, &str)]) -> Self {
        match duplicates.iter().find(|(index, ..)| crate::database::violates_unique(&error, index)) {
            Some((_, field, message)) => Self::bad_input(field, *message),
            None => Self::from(error),
        }
    }

    /// The message shown to the client; internal causes are never part of it.
    #[must_use]
    pub fn message(&self) -> String {
        match self {
            Self::Unauthenticated => "authentication required".to_owned(),
            Self::BadCredentials => "invalid credentials".to_owned(),
            Self::Forbidden => "not allowed".to_owned(),
            Self::NotFound(kind) => format!("{kind} not found"),
            Self::UnknownId { kind, .. } => format!("no {kind} with this id in your organization"),
            Self::BadUserInput { message, .. } | Self::Conflict(message) => message.clone(),
            Self::RateLimited { retry_after_secs } => format!("too many requests, retry in {retry_after_secs} s"),
            Self::Unavailable => "the service is unavailable; retry shortly".to_owned(),
            Self::LimitExceeded(exceeded) => exceeded.message(),
            Self::Timeout { after } => {
                format!("the request took longer than {} ms and was cancelled", after.as_millis())
            }
            Self::Internal(_) => "internal error".to_owned(),
        }
    }

    /// The stable, documented code of this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::BadCredentials => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound(_) | Self::UnknownId { .. } => "NOT_FOUND",
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Unavailable => "SERVICE_UNAVAILABLE",
            Self::LimitExceeded(exceeded) => exceeded.limit.code(),
            Self::Timeout { .. } => "TIMEOUT",
            Self::Internal(_) => "INTERNAL",
        }
    }
}

/// A dot-separated input path (`input.roleId`) as its segments.
fn field_path(field: &str) -> Vec<String> {
    field.split('.').filter(|s| !s.is_empty()).map(str::to_owned).collect()
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        match error.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => Self::Conflict("already exists".to_owned()),
            // Something else refers to the row (a concurrent change won the race).
            Some(SqlErr::ForeignKeyConstraintViolation(_)) => {
                Self::Conflict("the object is in use by another one; reload and try again".to_owned())
            }
            _ if is_outage(&error) => {
                tracing::warn!(error = %error, "database unavailable");
                Self::Unavailable
            }
            _ => Self::Internal(error.into()),
        }
    }
}

/// Whether a database error means the database cannot be reached (down, restarting, no
/// connection free in time) rather than a fault of this statement.
fn is_outage(error: &DbErr) -> bool {
    use sea_orm::RuntimeErr;
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)) => {
            match cause.as_ref() {
                sea_orm::sqlx::Error::Io(_)
                | sea_orm::sqlx::Error::PoolTimedOut
                | sea_orm::sqlx::Error::PoolClosed
                | sea_orm::sqlx::Error::Tls(_)
                | sea_orm::sqlx::Error::WorkerCrashed => true,
                // A server shutting down tells each connection so before closing it (a fast
                // shutdown, as a service manager stops PostgreSQL, says 57P01 on every one).
                sea_orm::sqlx::Error::Database(error) => error.code().is_some_and(|code| is_outage_state(&code)),
                _ => false,
            }
        }
        _ => false,
    }
}

/// SQLSTATEs of a database that cannot serve: class 08 (connection exception), 57P01
/// (admin_shutdown), 57P02 (crash_shutdown), 57P03 (cannot_connect_now: starting or shutting
/// down), 57P05 (idle session timeout: the connection is gone).
fn is_outage_state(code: &str) -> bool {
    code.starts_with("08") || matches!(code, "57P01" | "57P02" | "57P03" | "57P05")
}

/// The one mapping to GraphQL: message plus `extensions.code` (and `field` / `retryAfter`).
impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        if let AppError::Internal(cause) = &error {
            tracing::error!(error = format!("{cause:#}"), "internal error");
        }
        let code = error.code();
        let base = async_graphql::Error::new(error.message());
        match error {
            AppError::BadUserInput { field, .. } | AppError::UnknownId { field, .. } => base.extend_with(|_, e| {
                e.set("code", code);
                e.set("field", field.clone());
            }),
            AppError::RateLimited { retry_after_secs } => base.extend_with(|_, e| {
                e.set("code", code);
                e.set("retryAfter", retry_after_secs);
            }),
            AppError::LimitExceeded(exceeded) => base.extend_with(|_, e| {
                e.set("code", code);
                e.set(exceeded.limit.figure(), exceeded.measured);
                e.set("limit", exceeded.max);
                if exceeded.at_least {
                    e.set("atLeast", true);
                }
            }),
            AppError::Timeout { after } => base.extend_with(|_, e| {
                e.set("code", code);
                e.set("timeoutMs", u64::try_from(after.as_millis()).unwrap_or(u64::MAX));
            }),
            _ => base.extend_with(|_, e| e.set("code", code)),
        }
    }
}

impl AppError {
    /// The error as a request error (one found before execution, at `pos` in the document when
    /// known), through the same mapping as resolver errors.
    #[must_use]
    pub fn into_server_error(self, pos: Option<async_graphql::Pos>) -> async_graphql::ServerError {
        let error = async_graphql::Error::from(self);
        let mut server_error = async_graphql::ServerError::new(error.message, pos);
        server_error.extensions = error.extensions;
        server_error
    }
}

/// A request limit checked before execution. Each has a stable code and the name under which
/// the measured figure appears in `extensions` (next to `limit`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RequestLimit {
    /// The selected operation's cost (see `graphql::cost`).
    Cost,
    /// Fields of the document after fragment expansion, as validation walks them.
    Fields,
    /// Nesting of fields, fragment spreads and inline fragments.
    Nesting,
    /// Aliased fields of the selected operation, fragments expanded.
    Aliases,
    /// Fields at the root of the selected operation, fragments expanded.
    RootFields,
    /// Directives on one field, fragment spread or inline fragment.
    Directives,
    /// Lexical tokens of the document.
    Tokens,
    /// Sign-in mutations (`login`, `refreshToken`, `issueClientToken`, `acceptInvitation`).
    SignIns,
}

impl RequestLimit {
    /// The stable `extensions.code` of a refusal.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Cost | Self::Fields | Self::Nesting => "QUERY_TOO_COMPLEX",
            Self::Aliases => "TOO_MANY_ALIASES",
            Self::RootFields => "TOO_MANY_ROOT_FIELDS",
            Self::Directives => "TOO_MANY_DIRECTIVES",
            Self::Tokens => "DOCUMENT_TOO_LARGE",
            Self::SignIns => "TOO_MANY_SIGN_INS",
        }
    }

    /// The `extensions` key of the measured figure.
    #[must_use]
    pub fn figure(self) -> &'static str {
        match self {
            Self::Cost => "cost",
            Self::Fields => "fields",
            Self::Nesting => "nesting",
            Self::Aliases => "aliases",
            Self::RootFields => "rootFields",
            Self::Directives => "directives",
            Self::Tokens => "tokens",
            Self::SignIns => "signIns",
        }
    }

    fn subject(self) -> &'static str {
        match self {
            Self::Cost => "the operation's cost",
            Self::Fields => "fields after fragment expansion (every operation and fragment of the document)",
            Self::Nesting => "nesting of fields and fragments",
            Self::Aliases => "aliases in the operation",
            Self::RootFields => "root fields in the operation",
            Self::Directives => "directives on one field",
            Self::Tokens => "tokens in the document",
            Self::SignIns => "sign-in mutations in one request",
        }
    }
}

/// A refusal for passing a [`RequestLimit`]: `measured` against `max`. `at_least` when the
/// analysis stopped as soon as the limit was passed, so the real figure may be higher.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LimitExceeded {
    /// Which limit.
    pub limit: RequestLimit,
    /// What was measured (a lower bound when `at_least`).
    pub measured: u64,
    /// The configured limit.
    pub max: u64,
    /// Whether counting stopped early.
    pub at_least: bool,
}

impl LimitExceeded {
    fn message(&self) -> String {
        let at_least = if self.at_least { "at least " } else { "" };
        format!("{}: {at_least}{}, above the limit of {}", self.limit.subject(), self.measured, self.max)
    }
}

/// Outside requests (CLI, seeding) an `AppError` is just an error with its message and cause.
impl From<AppError> for anyhow::Error {
    fn from(error: AppError) -> Self {
        match error {
            AppError::Internal(cause) => cause,
            other => anyhow::anyhow!(other.message()),
        }
    }
}

/// Shorthand for service results.
pub type AppResult<T> = Result<T, AppError>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connection_and_shutdown_states_are_outages_and_others_are_not() {
        for code in ["08000", "08001", "08006", "57P01", "57P02", "57P03", "57P05"] {
            assert!(is_outage_state(code), "{code}");
        }
        // Unique violation, serialization failure, statement timeout, missing table.
        for code in ["23505", "40001", "57014", "42P01"] {
            assert!(!is_outage_state(code), "{code}");
        }
    }
}
