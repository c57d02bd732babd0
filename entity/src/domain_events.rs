//! The organization's event log: every change as a typed domain event, numbered in commit
//! order. The audit trail reads it; it is the outbox webhooks and subscriptions will read.
//! Append-only, but for erasure, which clears payloads.

use sea_orm::entity::prelude::*;

/// A domain-event row. At most one of the actor columns is set.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "domain_events")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    /// Position in the organization's log: 1, 2, 3, … without gaps, unique per organization,
    /// in commit order (allocated from `organizations.event_sequence` in the recording
    /// transaction).
    pub sequence: i64,
    /// The event's stable dotted name, e.g. `role.create` (the audit trail's `action`).
    pub name: String,
    /// GraphQL type name of the changed entity, e.g. `Role`.
    pub entity_type: String,
    pub entity_id: Uuid,
    pub actor_recruiter_id: Option<Uuid>,
    pub actor_api_client_id: Option<Uuid>,
    /// The typed event as JSON, `{"type": name, "data": {…}}`; NULL once a data-protection
    /// erasure cleared it.
    pub payload: Option<Json>,
    pub created_at: DateTimeUtc,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
