//! A person who signs in: belongs to one organization, with one role in it.

use sea_orm::entity::prelude::*;

use crate::RecruiterRole;

/// A recruiter row. `email` is stored lower-cased and is unique across organizations, since it
/// is the sign-in name.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recruiters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    #[sea_orm(unique)]
    pub email: String,
    pub display_name: String,
    /// argon2id PHC string; never leaves the server.
    pub password_hash: String,
    pub role: RecruiterRole,
    pub active: bool,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

/// Foreign keys of `recruiters`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
