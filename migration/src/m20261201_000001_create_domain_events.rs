//! The typed event log `domain_events` replaces the string-typed `audit_events`: one row per
//! change, numbered per organization by `sequence` in commit order from the new counter
//! `organizations.event_sequence`, with the typed event as its JSON payload. It is the future
//! outbox (webhooks, subscriptions) as well as the audit trail.
//!
//! Existing audit rows move over with their ids (so `AuditEvent` global ids stay valid),
//! numbered in the order the trail showed them (time, then id). Their details become payloads
//! of the events' stored form, `{"type": action, "data": details}`, with the entity named in
//! `data` under the action's first segment (`role.create` → `"role"`), the rule
//! `talentgraph::events::model` follows; details an erasure cleared become a NULL payload.

use sea_orm_migration::sea_orm::prelude::{DateTimeUtc, Uuid};
use sea_orm_migration::sea_orm::{ConnectionTrait, QueryResult};
#[allow(clippy::wildcard_imports, reason = "the schema helpers are this file's vocabulary")]
use sea_orm_migration::{prelude::*, schema::*};
use serde_json::{Value as JsonValue, json};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    EventSequence,
}

#[derive(DeriveIden, Clone, Copy)]
enum DomainEvents {
    Table,
    Id,
    OrganizationId,
    Sequence,
    Name,
    EntityType,
    EntityId,
    ActorRecruiterId,
    ActorApiClientId,
    Payload,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum AuditEvents {
    Table,
    Id,
    OrganizationId,
    ActorRecruiterId,
    ActorApiClientId,
    Action,
    EntityType,
    EntityId,
    Details,
    CreatedAt,
}

/// Rows copied per statement.
const BATCH: u64 = 500;

/// What an erasure left of an audit row's details.
fn erased() -> JsonValue {
    json!({ "erased": true })
}

/// The stored event of an audit row (`None`: its details were erased).
fn payload_of(action: &str, entity_id: Uuid, details: JsonValue) -> Option<JsonValue> {
    if details == erased() {
        return None;
    }
    let mut data = details;
    if let (Some((entity, _)), Some(facts)) = (action.split_once('.'), data.as_object_mut()) {
        facts.entry(entity).or_insert_with(|| json!(entity_id));
    }
    Some(json!({ "type": action, "data": data }))
}

/// The audit details of a stored event: its facts without the entity id.
fn details_of(name: &str, payload: Option<JsonValue>) -> JsonValue {
    let Some(mut payload) = payload else { return erased() };
    let mut data = payload.get_mut("data").map(JsonValue::take).unwrap_or(payload);
    if let (Some((entity, _)), Some(facts)) = (name.split_once('.'), data.as_object_mut()) {
        facts.remove(entity);
    }
    data
}

async fn organization_ids(db: &impl ConnectionTrait) -> Result<Vec<Uuid>, DbErr> {
    db.query_all(&Query::select().column(Organizations::Id).from(Organizations::Table).take())
        .await?
        .iter()
        .map(|row| row.try_get("", "id"))
        .collect()
}

/// One organization's audit rows after `last` (time, id), oldest first.
async fn audit_rows_after(
    db: &impl ConnectionTrait,
    organization: Uuid,
    last: Option<(DateTimeUtc, Uuid)>,
) -> Result<Vec<QueryResult>, DbErr> {
    let mut condition = Cond::all().add(Expr::col(AuditEvents::OrganizationId).eq(organization));
    if let Some((time, id)) = last {
        condition =
            condition.add(Cond::any().add(Expr::col(AuditEvents::CreatedAt).gt(time)).add(
                Cond::all().add(Expr::col(AuditEvents::CreatedAt).eq(time)).add(Expr::col(AuditEvents::Id).gt(id)),
            ));
    }
    db.query_all(
        &Query::select()
            .columns([
                AuditEvents::Id,
                AuditEvents::ActorRecruiterId,
                AuditEvents::ActorApiClientId,
                AuditEvents::Action,
                AuditEvents::EntityType,
                AuditEvents::EntityId,
                AuditEvents::Details,
                AuditEvents::CreatedAt,
            ])
            .from(AuditEvents::Table)
            .cond_where(condition)
            .order_by(AuditEvents::CreatedAt, Order::Asc)
            .order_by(AuditEvents::Id, Order::Asc)
            .limit(BATCH)
            .take(),
    )
    .await
}

/// Moves every audit row into `domain_events` and sets each organization's counter.
async fn copy_audit_rows(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for organization in organization_ids(db).await? {
        let mut sequence: i64 = 0;
        let mut last = None;
        loop {
            let rows = audit_rows_after(db, organization, last).await?;
            if rows.is_empty() {
                break;
            }
            let mut insert = Query::insert();
            insert.into_table(DomainEvents::Table).columns([
                DomainEvents::Id,
                DomainEvents::OrganizationId,
                DomainEvents::Sequence,
                DomainEvents::Name,
                DomainEvents::EntityType,
                DomainEvents::EntityId,
                DomainEvents::ActorRecruiterId,
                DomainEvents::ActorApiClientId,
                DomainEvents::Payload,
                DomainEvents::CreatedAt,
            ]);
            for row in &rows {
                let id: Uuid = row.try_get("", "id")?;
                let action: String = row.try_get("", "action")?;
                let entity_id: Uuid = row.try_get("", "entity_id")?;
                let created_at: DateTimeUtc = row.try_get("", "created_at")?;
                sequence += 1;
                insert
                    .values([
                        id.into(),
                        organization.into(),
                        sequence.into(),
                        action.clone().into(),
                        row.try_get::<String>("", "entity_type")?.into(),
                        entity_id.into(),
                        row.try_get::<Option<Uuid>>("", "actor_recruiter_id")?.into(),
                        row.try_get::<Option<Uuid>>("", "actor_api_client_id")?.into(),
                        payload_of(&action, entity_id, row.try_get("", "details")?).into(),
                        created_at.into(),
                    ])
                    .map_err(|error| DbErr::Custom(error.to_string()))?;
                last = Some((created_at, id));
            }
            db.execute(&insert).await?;
        }
        db.execute(
            &Query::update()
                .table(Organizations::Table)
                .value(Organizations::EventSequence, sequence)
                .and_where(Expr::col(Organizations::Id).eq(organization))
                .take(),
        )
        .await?;
    }
    Ok(())
}

/// Moves every event back into `audit_events` (for `down`).
async fn copy_events_back(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    for organization in organization_ids(db).await? {
        let mut last: i64 = 0;
        loop {
            let rows = db
                .query_all(
                    &Query::select()
                        .columns([
                            DomainEvents::Id,
                            DomainEvents::Sequence,
                            DomainEvents::Name,
                            DomainEvents::EntityType,
                            DomainEvents::EntityId,
                            DomainEvents::ActorRecruiterId,
                            DomainEvents::ActorApiClientId,
                            DomainEvents::Payload,
                            DomainEvents::CreatedAt,
                        ])
                        .from(DomainEvents::Table)
                        .and_where(Expr::col(DomainEvents::OrganizationId).eq(organization))
                        .and_where(Expr::col(DomainEvents::Sequence).gt(last))
                        .order_by(DomainEvents::Sequence, Order::Asc)
                        .limit(BATCH)
                        .take(),
                )
                .await?;
            if rows.is_empty() {
                break;
            }
            let mut insert = Query::insert();
            insert.into_table(AuditEvents::Table).columns([
                AuditEvents::Id,
                AuditEvents::OrganizationId,
                AuditEvents::ActorRecruiterId,
                AuditEvents::ActorApiClientId,
                AuditEvents::Action,
                AuditEvents::EntityType,
                AuditEvents::EntityId,
                AuditEvents::Details,
                AuditEvents::CreatedAt,
            ]);
            for row in &rows {
                let name: String = row.try_get("", "name")?;
                last = row.try_get("", "sequence")?;
                insert
                    .values([
                        row.try_get::<Uuid>("", "id")?.into(),
                        organization.into(),
                        row.try_get::<Option<Uuid>>("", "actor_recruiter_id")?.into(),
                        row.try_get::<Option<Uuid>>("", "actor_api_client_id")?.into(),
                        name.clone().into(),
                        row.try_get::<String>("", "entity_type")?.into(),
                        row.try_get::<Uuid>("", "entity_id")?.into(),
                        details_of(&name, row.try_get("", "payload")?).into(),
                        row.try_get::<DateTimeUtc>("", "created_at")?.into(),
                    ])
                    .map_err(|error| DbErr::Custom(error.to_string()))?;
            }
            db.execute(&insert).await?;
        }
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(big_integer(Organizations::EventSequence).default(0))
                    .take(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(DomainEvents::Table)
                    .if_not_exists()
                    .col(pk_uuid(DomainEvents::Id))
                    .col(uuid(DomainEvents::OrganizationId))
                    .col(big_integer(DomainEvents::Sequence).check(Expr::col(DomainEvents::Sequence).gte(1)).take())
                    .col(string_len(DomainEvents::Name, 100))
                    .col(string_len(DomainEvents::EntityType, 50))
                    .col(uuid(DomainEvents::EntityId))
                    .col(uuid_null(DomainEvents::ActorRecruiterId))
                    .col(uuid_null(DomainEvents::ActorApiClientId))
                    .col(json_null(DomainEvents::Payload))
                    .col(timestamp_with_time_zone(DomainEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_domain_events_organization")
                            .from(DomainEvents::Table, DomainEvents::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_domain_events_organization_sequence")
                    .table(DomainEvents::Table)
                    .col(DomainEvents::OrganizationId)
                    .col(DomainEvents::Sequence)
                    .unique()
                    .if_not_exists()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_domain_events_organization_time")
                    .table(DomainEvents::Table)
                    .col(DomainEvents::OrganizationId)
                    .col(DomainEvents::CreatedAt)
                    .if_not_exists()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_domain_events_entity")
                    .table(DomainEvents::Table)
                    .col(DomainEvents::EntityId)
                    .if_not_exists()
                    .take(),
            )
            .await?;
        copy_audit_rows(manager.get_connection()).await?;
        manager.drop_table(Table::drop().table(AuditEvents::Table).take()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AuditEvents::Table)
                    .col(pk_uuid(AuditEvents::Id))
                    .col(uuid(AuditEvents::OrganizationId))
                    .col(uuid_null(AuditEvents::ActorRecruiterId))
                    .col(uuid_null(AuditEvents::ActorApiClientId))
                    .col(string_len(AuditEvents::Action, 100))
                    .col(string_len(AuditEvents::EntityType, 50))
                    .col(uuid(AuditEvents::EntityId))
                    .col(json(AuditEvents::Details))
                    .col(timestamp_with_time_zone(AuditEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_events_organization")
                            .from(AuditEvents::Table, AuditEvents::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        for (name, columns) in [
            (
                "idx_audit_events_organization_time",
                &[AuditEvents::OrganizationId, AuditEvents::CreatedAt, AuditEvents::Id][..],
            ),
            ("idx_audit_events_entity", &[AuditEvents::EntityId][..]),
        ] {
            let mut index = Index::create();
            index.name(name).table(AuditEvents::Table);
            for column in columns {
                index.col(*column);
            }
            manager.create_index(index).await?;
        }
        copy_events_back(manager.get_connection()).await?;
        manager.drop_table(Table::drop().table(DomainEvents::Table).take()).await?;
        manager
            .alter_table(Table::alter().table(Organizations::Table).drop_column(Organizations::EventSequence).take())
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_details_become_payloads_and_back() {
        let role = Uuid::from_u128(7);
        let details = json!({ "title": "Data Engineer", "requirements": 2 });
        let payload = payload_of("role.create", role, details.clone()).unwrap();
        assert_eq!(
            payload,
            json!({ "type": "role.create", "data": { "role": role, "title": "Data Engineer", "requirements": 2 } })
        );
        assert_eq!(details_of("role.create", Some(payload)), details);
        assert_eq!(payload_of("candidate.create", role, erased()), None, "erased details stay erased");
        assert_eq!(details_of("candidate.create", None), erased());
        let empty = payload_of("api_client.revoke", role, json!({})).unwrap();
        assert_eq!(empty["data"], json!({ "api_client": role }));
    }
}
