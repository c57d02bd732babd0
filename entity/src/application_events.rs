//! Append-only history of an application's stage moves.

use sea_orm::entity::prelude::*;

use crate::ApplicationStage;

/// An application-event row. `from_stage` is NULL for the event that created the application.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "application_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub application_id: Uuid,
    pub from_stage: Option<ApplicationStage>,
    pub to_stage: ApplicationStage,
    /// The recruiter who made the move; NULL for API clients and system moves.
    pub actor_recruiter_id: Option<Uuid>,
    /// Who made the move, as shown in the history (recruiter name, API client name, "system").
    pub actor_label: String,
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
}

/// Foreign keys of `application_events`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::applications::Entity",
        from = "Column::ApplicationId",
        to = "super::applications::Column::Id"
    )]
    Application,
}

impl ActiveModelBehavior for ActiveModel {}
