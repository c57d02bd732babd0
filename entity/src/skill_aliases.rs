//! Another spelling of a skill ("spark", "Apache-Spark"), so input resolves to one skill.

use sea_orm::entity::prelude::*;

/// An alias row. `normalized` is the lookup key (see the skills slice for the normalisation).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "skill_aliases")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub skill_id: Uuid,
    pub organization_id: Option<Uuid>,
    pub alias: String,
    pub normalized: String,
    pub created_at: DateTimeUtc,
}

/// Foreign keys of `skill_aliases`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(belongs_to = "super::skills::Entity", from = "Column::SkillId", to = "super::skills::Column::Id")]
    Skill,
}

impl Related<super::skills::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Skill.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
