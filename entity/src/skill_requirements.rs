//! One skill a role asks for. Requirements sharing an `alternatives_group` form one requirement
//! satisfied by any of them ("Scala or Python").

use sea_orm::entity::prelude::*;

use crate::Importance;

/// A skill-requirement row; unique per (role, skill).
#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_requirements")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub role_id: Uuid,
    pub skill_id: Uuid,
    pub importance: Importance,
    /// 1 (basic) to 5 (expert).
    pub min_level: i16,
    pub min_years: Option<i32>,
    pub weight: Option<f64>,
    pub alternatives_group: Option<String>,
    /// Display order within the role.
    pub position: i32,
    pub created_at: DateTimeUtc,
}

/// Foreign keys of `skill_requirements`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::roles::Entity", from = "Column::RoleId", to = "super::roles::Column::Id")]
    Role,
    #[sea_orm(belongs_to = "super::skills::Entity", from = "Column::SkillId", to = "super::skills::Column::Id")]
    Skill,
}

impl ActiveModelBehavior for ActiveModel {}
