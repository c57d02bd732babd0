//! GraphQL face of the audit trail (ADMIN only).

use async_graphql::{ComplexObject, Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::domain_events;
use uuid::Uuid;

use crate::accounts::graphql::{ApiClient, Caller, Recruiter};
use crate::accounts::loaders::{ApiClientLoader, RecruiterLoader};
use crate::auth::permissions::{Permission, Require};
use crate::error::AppError;
use crate::events::model::details;
use crate::events::service::{self, EventCursor, EventFilter};
use crate::graphql::context::{RequestContext, tenant_loader, viewer, wants_total_count};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, permitted, row_id};
use crate::pagination::{PageArgs, encode_cursor};

/// One change: who did what to which entity, and when.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct AuditEvent {
    /// Global id.
    pub id: ID,
    /// `<entity>.<verb>`, e.g. `role.create`, `candidate.erase`.
    pub action: String,
    /// GraphQL type of the changed entity.
    pub entity_type: String,
    /// Global id of the changed entity (it may no longer exist).
    pub entity_id: ID,
    /// What changed.
    pub details: Json<serde_json::Value>,
    /// When.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub actor_recruiter_id: Option<Uuid>,
    #[graphql(skip)]
    pub actor_api_client_id: Option<Uuid>,
}

impl From<domain_events::Model> for AuditEvent {
    fn from(row: domain_events::Model) -> Self {
        Self {
            id: ids::encode("AuditEvent", row.id),
            entity_id: ids::encode(&row.entity_type, row.entity_id),
            details: Json(details(row.payload.as_ref())),
            action: row.name,
            entity_type: row.entity_type,
            created_at: row.created_at,
            actor_recruiter_id: row.actor_recruiter_id,
            actor_api_client_id: row.actor_api_client_id,
        }
    }
}

#[ComplexObject]
impl AuditEvent {
    /// Who made the change (null if since deleted).
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Caller>> {
        if let Some(id) = self.actor_recruiter_id {
            return Ok(tenant_loader::<RecruiterLoader>(ctx)?
                .load_one(id)
                .await?
                .map(|r| Caller::Recruiter(Recruiter::from(r))));
        }
        if let Some(id) = self.actor_api_client_id {
            return Ok(tenant_loader::<ApiClientLoader>(ctx)?
                .load_one(id)
                .await?
                .map(|c| Caller::ApiClient(ApiClient::from(c))));
        }
        Ok(None)
    }
}

crate::connection_type!(AuditEventConnection, AuditEventEdge, AuditEvent);

/// The audit trail.
#[derive(Default)]
pub struct AuditQuery;

#[Object]
impl AuditQuery {
    /// The organization's audit trail, newest first (ADMIN).
    #[graphql(guard = "Require(Permission::ReadAudit)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn audit_events(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Only changes of this entity (any global id).")] entity_id: Option<ID>,
        #[graphql(desc = "Only changes by this recruiter.")] actor_id: Option<ID>,
        #[graphql(desc = "Only actions starting with this, e.g. `role.` or `candidate.erase`.")] action: Option<String>,
        #[graphql(desc = "Only changes at or after this time.")] since: Option<DateTime<Utc>>,
    ) -> async_graphql::Result<AuditEventConnection> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let args = PageArgs::<EventCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let entity_id = match entity_id {
            Some(id) => {
                Some(ids::decode_any(&id).map(|(_, uuid)| uuid).ok_or(AppError::bad_input("entityId", "not an id"))?)
            }
            None => None,
        };
        let filter = EventFilter {
            entity_id,
            actor_recruiter_id: actor_id.as_ref().map(|id| ids::decode("Recruiter", id, "actorId")).transpose()?,
            name_prefix: action,
            since,
        };
        let page = service::list(&request.db, tenant, &filter, &args).await?;
        let total =
            if wants_total_count(ctx) { Some(service::count(&request.db, tenant, &filter).await?) } else { None };
        Ok(AuditEventConnection::from_page(page, total, |e| encode_cursor(&e.sequence), AuditEvent::from))
    }
}

impl NodeType for AuditEvent {
    const KIND: &'static str = "AuditEvent";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let (Some((request, tenant)), Some(uuid)) = (permitted(ctx, Permission::ReadAudit)?, row_id::<Self>(id)) else {
            return Ok(None);
        };
        Ok(service::get(&request.db, tenant, uuid).await?.map(Self::from))
    }
}
