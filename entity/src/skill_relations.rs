//! A directed link in the taxonomy: `skill_id` is narrower than / implies `related_skill_id`.

use sea_orm::entity::prelude::*;

use crate::SkillRelationKind;

/// A skill-relation row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_relations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub related_skill_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub kind: SkillRelationKind,
    pub organization_id: Option<Uuid>,
}

/// Foreign keys of `skill_relations`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::skills::Entity", from = "Column::SkillId", to = "super::skills::Column::Id")]
    Skill,
    #[sea_orm(belongs_to = "super::skills::Entity", from = "Column::RelatedSkillId", to = "super::skills::Column::Id")]
    RelatedSkill,
}

impl ActiveModelBehavior for ActiveModel {}
