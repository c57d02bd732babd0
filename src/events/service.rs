//! Recording domain events in the transaction of the change they describe, and reading an
//! organization's log: the audit trail's pages, and the log in order for outbox readers.

use chrono::{DateTime, Utc};
use entity::{domain_events, organizations};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use super::model::DomainEvent;
use crate::auth::viewer::Actor;
use crate::auth::{Tenant, Viewer};
use crate::error::{AppError, AppResult};
use crate::pagination::{Page, PageArgs, fetch_page};
use crate::values::LikePattern;

/// Where a recorded event landed in its organization's log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recorded {
    /// The row id (the audit trail's `AuditEvent` id).
    pub id: Uuid,
    /// The position in the organization's log.
    pub sequence: i64,
}

/// Appends `event`, done by `viewer`, to the organization's log. Call it with the transaction
/// that makes the change, as its last write: the log and the data then never disagree, and a
/// refused or failed change records nothing.
///
/// The event's `sequence` comes from the organization row's counter, incremented in this
/// transaction. On PostgreSQL the increment locks the row until commit, so transactions of one
/// organization take their numbers in commit order and a reader who has seen `n` never later
/// finds a new event below `n`; SQLite serializes writers anyway. A rolled-back change gives
/// its number back, so sequences have no gaps. Taking the lock last keeps it short, and no
/// transaction waits for another's lock while holding this one.
pub async fn record(db: &impl ConnectionTrait, viewer: &Viewer, event: DomainEvent) -> AppResult<Recorded> {
    let tenant = viewer.tenant();
    let (recruiter, client) = match viewer.actor() {
        Actor::Recruiter { id, .. } => (Some(*id), None),
        Actor::ApiClient { id, .. } => (None, Some(*id)),
    };
    let entity = event.entity();
    let payload = serde_json::to_value(&event).map_err(|error| AppError::Internal(error.into()))?;
    let sequence = next_sequence(db, tenant).await?;
    let id = Uuid::now_v7();
    domain_events::Entity::insert(domain_events::ActiveModel {
        id: Set(id),
        organization_id: Set(tenant.organization_id()),
        sequence: Set(sequence),
        name: Set(event.name().to_owned()),
        entity_type: Set(entity.kind.graphql_type().to_owned()),
        entity_id: Set(entity.id),
        actor_recruiter_id: Set(recruiter),
        actor_api_client_id: Set(client),
        payload: Set(Some(payload)),
        created_at: Set(Utc::now()),
    })
    .exec_without_returning(db)
    .await?;
    Ok(Recorded { id, sequence })
}

/// Appends `events`, all done by `viewer`, to the organization's log in order: like
/// [`record`] (same transaction, last write), with one counter increment for all of them and
/// one INSERT per few thousand events, so a batch of a thousand changes costs a few statements
/// rather than two per change.
pub async fn record_all(db: &impl ConnectionTrait, viewer: &Viewer, events: Vec<DomainEvent>) -> AppResult<()> {
    let actor = match viewer.actor() {
        Actor::Recruiter { id, .. } => (Some(*id), None),
        Actor::ApiClient { id, .. } => (None, Some(*id)),
    };
    insert_all(db, viewer.tenant(), actor, events).await
}

/// Appends `events` that the server did on its own (a maintenance pass, no caller), like
/// [`record_all`]; they carry no actor.
pub async fn record_all_by_server(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    events: Vec<DomainEvent>,
) -> AppResult<()> {
    insert_all(db, tenant, (None, None), events).await
}

async fn insert_all(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    (recruiter, client): (Option<Uuid>, Option<Uuid>),
    events: Vec<DomainEvent>,
) -> AppResult<()> {
    if events.is_empty() {
        return Ok(());
    }
    let count = i64::try_from(events.len()).map_err(|error| AppError::Internal(error.into()))?;
    let last = advance_sequence(db, tenant, count).await?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(events.len());
    for (sequence, event) in (last - count + 1..).zip(events) {
        let entity = event.entity();
        let payload = serde_json::to_value(&event).map_err(|error| AppError::Internal(error.into()))?;
        rows.push(domain_events::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(tenant.organization_id()),
            sequence: Set(sequence),
            name: Set(event.name().to_owned()),
            entity_type: Set(entity.kind.graphql_type().to_owned()),
            entity_id: Set(entity.id),
            actor_recruiter_id: Set(recruiter),
            actor_api_client_id: Set(client),
            payload: Set(Some(payload)),
            created_at: Set(now),
        });
    }
    // 10 columns a row: 3,000 rows stay under both backends' bound-parameter limits.
    for chunk in rows.chunks(3_000) {
        domain_events::Entity::insert_many(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

/// Increments the organization's event counter and returns the new value (one statement,
/// `UPDATE … RETURNING`, on both backends).
async fn next_sequence(db: &impl ConnectionTrait, tenant: Tenant) -> AppResult<i64> {
    advance_sequence(db, tenant, 1).await
}

/// Adds `count` to the organization's event counter and returns the new value: the last of
/// the `count` numbers taken.
async fn advance_sequence(db: &impl ConnectionTrait, tenant: Tenant, count: i64) -> AppResult<i64> {
    let column = organizations::Column::EventSequence;
    let statement = Query::update()
        .table(organizations::Entity)
        .value(column, Expr::col(column).add(count))
        .and_where(Expr::col(organizations::Column::Id).eq(tenant.organization_id()))
        .returning_col(column)
        .to_owned();
    let row = db.query_one(&statement).await?.ok_or_else(|| {
        AppError::Internal(anyhow::anyhow!("organization {} has no row to count events on", tenant.organization_id()))
    })?;
    Ok(row.try_get::<i64>("", "event_sequence")?)
}

/// Clears the payloads of the organization's events about `entity_id` (data-protection
/// erasure): who, when, what kind of change and to which entity stay; the facts go.
pub async fn erase_payloads(db: &impl ConnectionTrait, tenant: Tenant, entity_id: Uuid) -> AppResult<()> {
    tenant
        .update_many::<domain_events::Entity>()
        .col_expr(domain_events::Column::Payload, Expr::value(Option::<serde_json::Value>::None))
        .filter(domain_events::Column::EntityId.eq(entity_id))
        .exec(db)
        .await?;
    Ok(())
}

/// The typed event of a row; `None` when an erasure cleared it. A payload that does not read as
/// a [`DomainEvent`] (written by a newer version, or damaged) is an internal error, not skipped.
pub fn event_of(row: &domain_events::Model) -> AppResult<Option<DomainEvent>> {
    row.payload
        .clone()
        .map(serde_json::from_value)
        .transpose()
        .map_err(|error| AppError::Internal(anyhow::anyhow!("event {} ({}) does not read: {error}", row.id, row.name)))
}

/// One event of the organization's log.
pub async fn get(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<Option<domain_events::Model>> {
    Ok(tenant.find_by_id::<domain_events::Entity>(id).one(db).await?)
}

/// The organization's events after `sequence`, oldest first, at most `limit`: how an outbox
/// reader (webhooks, subscriptions) that has handled everything up to `sequence` continues.
pub async fn after(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    sequence: i64,
    limit: u64,
) -> AppResult<Vec<domain_events::Model>> {
    Ok(tenant
        .find::<domain_events::Entity>()
        .filter(domain_events::Column::Sequence.gt(sequence))
        .order_by_asc(domain_events::Column::Sequence)
        .limit(limit)
        .all(db)
        .await?)
}

/// One page of the organization's log about entities of `entity_types` (GraphQL type names),
/// oldest first after the cursor: the change feed pollers follow. Sequences are taken in
/// commit order (see [`record`]), so a reader who has seen up to `n` never later finds a new
/// event below `n`: paging by sequence misses nothing and repeats nothing.
pub async fn changes(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    entity_types: &[&str],
    args: &PageArgs<EventCursor>,
) -> AppResult<Page<domain_events::Model>> {
    let select = tenant
        .find::<domain_events::Entity>()
        .filter(domain_events::Column::EntityType.is_in(entity_types.iter().copied()));
    fetch_page(select.cursor_by(domain_events::Column::Sequence), args, db).await
}

/// Filters of the audit trail.
#[derive(Debug, Clone, Default)]
pub struct EventFilter {
    /// Only events about this entity.
    pub entity_id: Option<Uuid>,
    /// Only events by this recruiter.
    pub actor_recruiter_id: Option<Uuid>,
    /// Only events whose name starts with this (taken literally, not as a pattern).
    pub name_prefix: Option<String>,
    /// Only events recorded at or after this time.
    pub since: Option<DateTime<Utc>>,
}

/// Sort key of the audit trail: the sequence, newest first.
pub type EventCursor = i64;

fn filtered(tenant: Tenant, filter: &EventFilter) -> sea_orm::Select<domain_events::Entity> {
    let mut select = tenant.find::<domain_events::Entity>();
    if let Some(id) = filter.entity_id {
        select = select.filter(domain_events::Column::EntityId.eq(id));
    }
    if let Some(id) = filter.actor_recruiter_id {
        select = select.filter(domain_events::Column::ActorRecruiterId.eq(id));
    }
    if let Some(prefix) = &filter.name_prefix {
        select = select.filter(
            Expr::col((domain_events::Entity, domain_events::Column::Name))
                .like(LikePattern::StartsWith(prefix).expr()),
        );
    }
    if let Some(since) = filter.since {
        select = select.filter(domain_events::Column::CreatedAt.gte(since));
    }
    select
}

/// One page of the organization's trail, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    filter: &EventFilter,
    args: &PageArgs<EventCursor>,
) -> AppResult<Page<domain_events::Model>> {
    let mut cursor = filtered(tenant, filter).cursor_by(domain_events::Column::Sequence);
    cursor.desc();
    fetch_page(cursor, args, db).await
}

/// How many events match.
pub async fn count(db: &impl ConnectionTrait, tenant: Tenant, filter: &EventFilter) -> AppResult<u64> {
    Ok(filtered(tenant, filter).count(db).await?)
}
