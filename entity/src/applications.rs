//! A candidate in a role's pipeline; unique per (candidate, role).

use sea_orm::entity::prelude::*;

use crate::ApplicationStage;

/// An application row; `version` increases on every change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "applications")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub candidate_id: Uuid,
    pub role_id: Uuid,
    pub stage: ApplicationStage,
    pub source: Option<String>,
    pub credited_recruiter_id: Option<Uuid>,
    pub rejection_reason: Option<String>,
    /// When the application entered its current stage.
    pub stage_entered_at: DateTimeUtc,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
}

/// Foreign keys of `applications`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::candidates::Entity",
        from = "Column::CandidateId",
        to = "super::candidates::Column::Id"
    )]
    Candidate,
    #[sea_orm(belongs_to = "super::roles::Entity", from = "Column::RoleId", to = "super::roles::Column::Id")]
    Role,
}

impl ActiveModelBehavior for ActiveModel {}
