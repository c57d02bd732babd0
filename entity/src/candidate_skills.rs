//! A skill a candidate has, with level and experience.

use sea_orm::entity::prelude::*;

/// A candidate-skill row; primary key (candidate, skill).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidate_skills")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub skill_id: Uuid,
    pub organization_id: Uuid,
    /// 1 (basic) to 5 (expert).
    pub level: i16,
    pub years: Option<i32>,
    /// Whether `years` was derived from the work history (re-derived as a current job lasts)
    /// rather than given.
    pub years_derived: bool,
    pub last_used_year: Option<i32>,
}

/// Foreign keys of `candidate_skills`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::candidates::Entity",
        from = "Column::CandidateId",
        to = "super::candidates::Column::Id"
    )]
    Candidate,
    #[sea_orm(belongs_to = "super::skills::Entity", from = "Column::SkillId", to = "super::skills::Column::Id")]
    Skill,
}

impl ActiveModelBehavior for ActiveModel {}
