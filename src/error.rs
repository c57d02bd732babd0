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
    /// Input that cannot be accepted; `field` is the path of the offending input.
    BadUserInput { field: Vec<String>, message: String },
    /// A state conflict: stale version, duplicate key.
    Conflict(String),
    /// Too many attempts; retry after the given number of seconds.
    RateLimited { retry_after_secs: u64 },
    /// The database cannot be reached (or no connection came free in time); retry shortly.
    Unavailable,
    /// Anything else. Logged with its cause chain, never shown.
    Internal(anyhow::Error),
}

impl AppError {
    /// A refusal of input at `field` (dot-separated path).
    pub fn bad_input(field: &str, message: impl Into<String>) -> Self {
        Self::BadUserInput {
            field: field.split('.').filter(|s| !s.is_empty()).map(str::to_owned).collect(),
            message: message.into(),
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
            Self::BadUserInput { message, .. } | Self::Conflict(message) => message.clone(),
            Self::RateLimited { retry_after_secs } => format!("too many requests, retry in {retry_after_secs} s"),
            Self::Unavailable => "the service is unavailable; retry shortly".to_owned(),
            Self::Internal(_) => "internal error".to_owned(),
        }
    }

    /// The stable, documented code of this error.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Unauthenticated | Self::BadCredentials => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::NotFound(_) => "NOT_FOUND",
            Self::BadUserInput { .. } => "BAD_USER_INPUT",
            Self::Conflict(_) => "CONFLICT",
            Self::RateLimited { .. } => "RATE_LIMITED",
            Self::Unavailable => "SERVICE_UNAVAILABLE",
            Self::Internal(_) => "INTERNAL",
        }
    }
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
        DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)) => matches!(
            cause.as_ref(),
            sea_orm::sqlx::Error::Io(_)
                | sea_orm::sqlx::Error::PoolTimedOut
                | sea_orm::sqlx::Error::PoolClosed
                | sea_orm::sqlx::Error::Tls(_)
                | sea_orm::sqlx::Error::WorkerCrashed
        ),
        _ => false,
    }
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
            AppError::BadUserInput { field, .. } => base.extend_with(|_, e| {
                e.set("code", code);
                e.set("field", field.clone());
            }),
            AppError::RateLimited { retry_after_secs } => base.extend_with(|_, e| {
                e.set("code", code);
                e.set("retryAfter", retry_after_secs);
            }),
            _ => base.extend_with(|_, e| e.set("code", code)),
        }
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
