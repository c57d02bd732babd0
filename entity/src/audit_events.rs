//! Who did what to which entity, and when. Append-only.

use sea_orm::entity::prelude::*;

/// An audit-event row. Exactly one of the actor columns is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub actor_recruiter_id: Option<Uuid>,
    pub actor_api_client_id: Option<Uuid>,
    /// `<entity>.<verb>`, e.g. `role.create`.
    pub action: String,
    /// GraphQL type name of the entity, e.g. `Role`.
    pub entity_type: String,
    pub entity_id: Uuid,
    /// What changed, as JSON.
    pub details: Json,
    pub created_at: DateTimeUtc,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
