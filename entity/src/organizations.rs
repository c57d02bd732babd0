//! A tenant: every other row (but the built-in skill taxonomy) belongs to one organization.

use sea_orm::entity::prelude::*;

/// An organization row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "organizations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub name: String,
    /// URL-safe unique handle, used by the CLI (`--organization SLUG`).
    #[sea_orm(unique)]
    pub slug: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    /// The sequence of the organization's latest domain event (0 before the first). Each
    /// recording increments it in its transaction, which locks the row until commit.
    pub event_sequence: i64,
    /// Whether the organization's OPEN roles are public job postings (`/jobs/{id}`).
    pub publishes_jobs: bool,
}

/// No navigable relations: children are queried by `organization_id`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
