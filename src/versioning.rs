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

/// A partial update being built: each given change sets its column and records which field it
/// changed (for the domain event), so services write "change if given" once.
pub struct PartialUpdate<E: EntityTrait, F> {
    update: UpdateMany<E>,
    changed: Vec<F>,
}

impl<E: EntityTrait, F> PartialUpdate<E, F> {
    /// Starts from `update` (already narrowed to the row).
    #[must_use]
    pub fn new(update: UpdateMany<E>) -> Self {
        Self { update, changed: Vec::new() }
    }

    /// When `change` is given, sets `column` to `value(change)` and records `field`.
    #[must_use]
    pub fn set<T, V: Into<sea_orm::Value>>(
        mut self,
        change: Option<T>,
        field: F,
        column: E::Column,
        value: impl FnOnce(T) -> V,
    ) -> Self {
        if let Some(change) = change {
            self.update = self.update.col_expr(column, Expr::value(value(change)));
            self.changed.push(field);
        }
        self
    }

    /// When `change` is given, sets several columns from it and records `field`.
    #[must_use]
    pub fn set_many<T>(
        mut self,
        change: Option<T>,
        field: F,
        columns: impl FnOnce(UpdateMany<E>, T) -> UpdateMany<E>,
    ) -> Self {
        if let Some(change) = change {
            self.update = columns(self.update, change);
            self.changed.push(field);
        }
        self
    }

    /// The statement and the fields it changes.
    #[must_use]
    pub fn finish(self) -> (UpdateMany<E>, Vec<F>) {
        (self.update, self.changed)
    }
}
