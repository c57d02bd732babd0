//! An organization's matching weights; NULL (or no row) is the scorer's default.

use sea_orm::entity::prelude::*;

/// A matching-weights row; primary key the organization.
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "matching_weights")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    /// Weight of a REQUIRED requirement without its own weight.
    pub required: Option<f64>,
    /// Weight of a PREFERRED requirement without its own weight.
    pub preferred: Option<f64>,
    /// Weight of a NICE_TO_HAVE requirement without its own weight.
    pub nice_to_have: Option<f64>,
    /// Weight of a role's minimum total years of experience.
    pub experience: Option<f64>,
    /// Credit (0 to 1] of a narrower skill for its broader one.
    pub narrower_credit: Option<f64>,
    /// Credit (0 to 1] of a skill for one it implies.
    pub implied_credit: Option<f64>,
    pub updated_at: DateTimeUtc,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
