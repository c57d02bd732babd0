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
    /// An id in the input names nothing in your organization.
    NotFound,
    /// A sign-in was refused: wrong email or password, or an unknown, used or expired token or
    /// client secret.
    InvalidCredentials,
    /// Too many failed sign-ins for this account or client from this address; the payload's
    /// `retryAfter` says when to try again.
    RateLimited,
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
        Err(error @ (AppError::UnknownId { .. } | AppError::NotFound(_))) => {
            let message = error.message();
            let field = if let AppError::UnknownId { field, .. } = error { field } else { Vec::new() };
            Ok(Err(vec![UserError { field, code: UserErrorCode::NotFound, message }]))
        }
        Err(error @ AppError::BadCredentials) => Ok(Err(vec![UserError {
            field: Vec::new(),
            code: UserErrorCode::InvalidCredentials,
            message: error.message(),
        }])),
        Err(error @ AppError::RateLimited { .. }) => {
            Ok(Err(vec![UserError { field: Vec::new(), code: UserErrorCode::RateLimited, message: error.message() }]))
        }
        Err(other) => Err(other),
    }
}

/// Declares a mutation's payload: what it changed (null when refused) and `userErrors`, plus
/// `from_outcome`, which turns a service result into the payload (refusals of input go to
/// `userErrors`; anything else stays a top-level error). One payload type per mutation, named
/// after it (`CreateRolePayload`), so each can grow fields of its own.
///
/// `payload!(Name, field: Type)` carries one value (`from_outcome` takes any `Into<Type>`);
/// `payload!(Name, a: A, b: B)` carries several (`from_outcome` takes the tuple).
#[macro_export]
macro_rules! payload {
    ($(#[$doc:meta])* $name:ident, $(#[$field_doc:meta])* $field:ident: $ty:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        pub struct $name {
            $(#[$field_doc])*
            pub $field: Option<$ty>,
            /// Why the input was refused.
            pub user_errors: Vec<$crate::graphql::user_errors::UserError>,
        }

        impl $name {
            /// The payload of a service outcome.
            pub fn from_outcome<T: Into<$ty>>(outcome: $crate::error::AppResult<T>) -> async_graphql::Result<Self> {
                Ok(match $crate::graphql::user_errors::refusals(outcome)? {
                    Ok(value) => Self { $field: Some(value.into()), user_errors: Vec::new() },
                    Err(user_errors) => Self { $field: None, user_errors },
                })
            }
        }
    };
    ($(#[$doc:meta])* $name:ident, $($(#[$field_doc:meta])* $field:ident: $ty:ty),+ $(,)?) => {
        $(#[$doc])*
        #[derive(Debug, Clone, async_graphql::SimpleObject)]
        pub struct $name {
            $($(#[$field_doc])* pub $field: Option<$ty>,)+
            /// Why the input was refused.
            pub user_errors: Vec<$crate::graphql::user_errors::UserError>,
        }

        impl $name {
            /// The payload of a service outcome.
            pub fn from_outcome(outcome: $crate::error::AppResult<($($ty,)+)>) -> async_graphql::Result<Self> {
                Ok(match $crate::graphql::user_errors::refusals(outcome)? {
                    Ok(($($field,)+)) => Self { $($field: Some($field),)+ user_errors: Vec::new() },
                    Err(user_errors) => Self { $($field: None,)+ user_errors },
                })
            }
        }
    };
}

/// A tri-state input (`undefined` keeps, `null` clears, a value sets) parsed with `parse`:
/// `None` keeps, `Some(None)` clears, `Some(Some(v))` sets.
#[allow(clippy::option_option, reason = "absent, cleared and set are three different requests")]
pub fn tri_state<T, U>(
    value: async_graphql::MaybeUndefined<T>,
    parse: impl FnOnce(T) -> Result<U, AppError>,
) -> Result<Option<Option<U>>, AppError> {
    Ok(value.map_value(parse).transpose()?.into())
}

/// A tri-state input whose parser may also clear (a blank text): `None` from `parse` clears
/// like `null`.
#[allow(clippy::option_option, reason = "absent, cleared and set are three different requests")]
pub fn tri_state_optional<T, U>(
    value: async_graphql::MaybeUndefined<T>,
    parse: impl FnOnce(T) -> Result<Option<U>, AppError>,
) -> Result<Option<Option<U>>, AppError> {
    Ok(value.map_value(parse).transpose()?.map(Option::flatten).into())
}

/// A tri-state optional text, where a blank value clears it like `null`.
#[allow(clippy::option_option, reason = "absent, cleared and set are three different requests")]
pub fn tri_state_text<const MAX: usize>(
    value: async_graphql::MaybeUndefined<String>,
    field: &str,
) -> Result<Option<Option<crate::values::Text<MAX>>>, AppError> {
    tri_state_optional(value, |text| crate::values::Text::parse_optional(Some(&text), field))
}
