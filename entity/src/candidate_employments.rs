//! A job a candidate held: company, title, period and the skills used there.

use sea_orm::entity::prelude::*;

/// An employment row; primary key (candidate, position in the candidate's list).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidate_employments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: Uuid,
    /// 0-based, in the order the candidate lists their jobs.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i16,
    pub organization_id: Uuid,
    pub company: String,
    pub title: Option<String>,
    /// `YYYY-MM`, the first month worked.
    pub start_month: String,
    /// `YYYY-MM`, the last month worked; NULL while the job lasts.
    pub end_month: Option<String>,
    pub summary: Option<String>,
    /// JSON array of strings: the job's accomplishments.
    pub highlights: Json,
    /// JSON array of skill ids (strings): the skills used in the job.
    pub skill_ids: Json,
}

/// Foreign keys of `candidate_employments`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::candidates::Entity",
        from = "Column::CandidateId",
        to = "super::candidates::Column::Id"
    )]
    Candidate,
}

impl ActiveModelBehavior for ActiveModel {}
