//! Optimistic concurrency for rows with `version` and `updated_at` columns (roles,
//! candidates): every change bumps the version; a caller's `expectedVersion` refuses a change
//! made on stale data.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, UpdateMany};

use crate::error::AppError;

/// Runs `update` (already narrowed to one row of the caller's organization, with its changes)
/// with the version bumped and `updated_at` set, only if the row is still at
/// `expected_version` when one is given. Returns whether the row changed. Run it as the first
/// write of a transaction, so SQLite takes its write lock before any read.
pub async fn bump<E: EntityTrait>(
    db: &impl ConnectionTrait,
    update: UpdateMany<E>,
    version: E::Column,
    updated_at: E::Column,
    expected_version: Option<i32>,
) -> Result<bool, DbErr> {
    let mut update = bumped(update, version, updated_at);
    if let Some(expected) = expected_version {
        update = update.filter(version.eq(expected));
    }
    Ok(update.exec(db).await?.rows_affected == 1)
}

/// `update` with the version bumped and `updated_at` set: every change to a versioned row goes
/// through here (also bulk changes, which check no expected version).
#[must_use]
pub fn bumped<E: EntityTrait>(update: UpdateMany<E>, version: E::Column, updated_at: E::Column) -> UpdateMany<E> {
    update.col_expr(version, Expr::col(version).add(1)).col_expr(updated_at, Expr::value(Utc::now()))
}

/// Why a versioned update changed nothing: the row moved on (CONFLICT, naming the current
/// version), or there is no such row in the organization (NOT_FOUND).
#[must_use]
pub fn stale_or_missing(current_version: Option<i32>, noun: &str, kind: &'static str) -> AppError {
    match current_version {
        Some(version) => AppError::Conflict(format!(
            "the {noun} changed since you read it (now at version {version}); reload and try again"
        )),
        None => AppError::NotFound(kind),
    }
}
