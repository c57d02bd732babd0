//! One reason of an organization's rejection-reason list.

use sea_orm::entity::prelude::*;

/// A rejection-reason row; primary key (organization, code).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rejection_reasons")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// Upper-case code, e.g. `SKILLS_MISMATCH`.
    #[sea_orm(primary_key, auto_increment = false)]
    pub code: String,
    pub label: String,
    /// Display order.
    pub position: i32,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
