//! Refusals of a mutation's input or business rules, answered inside its payload (Shopify's
//! pattern) so a frontend can show each message beside its field. Everything else (auth,
//! missing root objects, limits, internal failures) stays a top-level error.

use async_graphql::{Enum, SimpleObject};

use crate::error::AppError;

/// Why a mutation refused its input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum UserErrorCode {
    /// A value is malformed or out of range.
    BadUserInput,
    /// The change conflicts with existing data (duplicate, stale version, illegal transition).
    Conflict,
}

/// One refused input, with the path of the input field it concerns.
#[derive(Debug, Clone, SimpleObject)]
pub struct UserError {
    /// Path of the offending input field, e.g. `["input", "email"]`; empty when the refusal
    /// concerns the whole input.
    pub field: Vec<String>,
    /// Stable, machine-readable reason.
    pub code: UserErrorCode,
    /// Human-readable explanation.
    pub message: String,
}

/// Splits a service result into the payload's data or its user errors; anything that is not a
/// refusal of input stays an error.
pub fn refusals<T>(result: Result<T, AppError>) -> Result<Result<T, Vec<UserError>>, AppError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(AppError::BadUserInput { field, message }) => {
            Ok(Err(vec![UserError { field, code: UserErrorCode::BadUserInput, message }]))
        }
        Err(AppError::Conflict(message)) => {
            Ok(Err(vec![UserError { field: Vec::new(), code: UserErrorCode::Conflict, message }]))
        }
        Err(other) => Err(other),
    }
}
