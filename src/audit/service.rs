//! Writing and reading audit events.

use chrono::{DateTime, Utc};
use entity::audit_events;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, Set};
use uuid::Uuid;

use crate::auth::Viewer;
use crate::auth::viewer::Actor;
use crate::error::AppResult;
use crate::pagination::{Page, PageArgs, fetch_page};

/// Appends one event. Call it with the transaction that makes the change, so the trail and the
/// data never disagree.
pub async fn record(
    db: &impl ConnectionTrait,
    viewer: &Viewer,
    action: &str,
    entity_type: &str,
    entity_id: Uuid,
    details: serde_json::Value,
) -> AppResult<()> {
    let (recruiter, client) = match viewer.actor() {
        Actor::Recruiter { id, .. } => (Some(*id), None),
        Actor::ApiClient { id, .. } => (None, Some(*id)),
    };
    audit_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(viewer.tenant().organization_id()),
        actor_recruiter_id: Set(recruiter),
        actor_api_client_id: Set(client),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id),
        details: Set(details),
        created_at: Set(Utc::now()),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// One event of the organization's trail.
pub async fn get(
    db: &impl ConnectionTrait,
    tenant: crate::auth::Tenant,
    id: Uuid,
) -> AppResult<Option<audit_events::Model>> {
    Ok(tenant.find_by_id::<audit_events::Entity>(id).one(db).await?)
}

/// Filters of the audit trail.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub entity_id: Option<Uuid>,
    pub actor_recruiter_id: Option<Uuid>,
    pub action_prefix: Option<String>,
    pub since: Option<DateTime<Utc>>,
}

/// Sort key of the trail (time, id); newest first.
pub type AuditCursor = (DateTime<Utc>, Uuid);

fn filtered(tenant: crate::auth::Tenant, filter: &AuditFilter) -> sea_orm::Select<audit_events::Entity> {
    let mut select = tenant.find::<audit_events::Entity>();
    if let Some(id) = filter.entity_id {
        select = select.filter(audit_events::Column::EntityId.eq(id));
    }
    if let Some(id) = filter.actor_recruiter_id {
        select = select.filter(audit_events::Column::ActorRecruiterId.eq(id));
    }
    if let Some(prefix) = &filter.action_prefix {
        use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
        let escaped = prefix.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
        select = select.filter(
            Expr::col((audit_events::Entity, audit_events::Column::Action))
                .like(LikeExpr::new(format!("{escaped}%")).escape('\\')),
        );
    }
    if let Some(since) = filter.since {
        select = select.filter(audit_events::Column::CreatedAt.gte(since));
    }
    select
}

/// One page of the organization's trail, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    tenant: crate::auth::Tenant,
    filter: &AuditFilter,
    args: &PageArgs<AuditCursor>,
) -> AppResult<Page<audit_events::Model>> {
    let mut cursor = filtered(tenant, filter).cursor_by((audit_events::Column::CreatedAt, audit_events::Column::Id));
    cursor.desc();
    fetch_page(cursor, args, db).await
}

/// How many events match.
pub async fn count(db: &impl ConnectionTrait, tenant: crate::auth::Tenant, filter: &AuditFilter) -> AppResult<u64> {
    Ok(filtered(tenant, filter).count(db).await?)
}
