//! A refresh token, stored only as its SHA-256 hash. Tokens of one sign-in form a family: each
//! use rotates to a new token; reusing a rotated one revokes the whole family.

use sea_orm::entity::prelude::*;

/// A refresh-token row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "refresh_tokens")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub recruiter_id: Uuid,
    pub family_id: Uuid,
    #[sea_orm(unique)]
    pub token_hash: String,
    pub created_at: DateTimeUtc,
    pub expires_at: DateTimeUtc,
    /// Set when this token was exchanged for its successor.
    pub rotated_at: Option<DateTimeUtc>,
    /// Set on logout, deactivation, or detected reuse.
    pub revoked_at: Option<DateTimeUtc>,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
