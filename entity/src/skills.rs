//! A skill of the taxonomy: built in (`organization_id` is NULL) or added by one organization.

use sea_orm::entity::prelude::*;

use crate::SkillCategory;

/// A skill row. `slug` is unique among the built-in skills and within each organization
/// (partial unique indexes).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Option<Uuid>,
    pub slug: String,
    pub name: String,
    pub category: SkillCategory,
    pub description: Option<String>,
    /// ESCO skill URI, when known.
    pub esco_uri: Option<String>,
    /// O*NET code, when known.
    pub onet_code: Option<String>,
    pub created_at: DateTimeUtc,
}

/// Foreign keys of `skills`.
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
