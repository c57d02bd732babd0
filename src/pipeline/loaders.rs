//! Batched loads for pipelines: one statement per relation per request.

use std::collections::HashMap;

use entity::{application_events, applications};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service::{self, GroupBy, PipelineSummary};
use crate::auth::Tenant;
use crate::error::AppResult;
use crate::graphql::context::{RequestContext, TenantLoader};

/// Adds this slice's loaders to a request.
#[must_use]
pub fn register(request: async_graphql::Request, context: &RequestContext) -> async_graphql::Request {
    request
        .data(context.tenant_loader(ApplicationsByRoleLoader))
        .data(context.tenant_loader(ApplicationsByCandidateLoader))
        .data(context.tenant_loader(ApplicationEventsLoader))
        .data(context.tenant_loader(PipelineSummaryLoader))
}

/// Applications by role id.
pub struct ApplicationsByRoleLoader;

impl TenantLoader for ApplicationsByRoleLoader {
    type Key = Uuid;
    type Value = Vec<applications::Model>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::grouped(db, tenant, GroupBy::Role, keys).await
    }
}

/// Applications by candidate id.
pub struct ApplicationsByCandidateLoader;

impl TenantLoader for ApplicationsByCandidateLoader {
    type Key = Uuid;
    type Value = Vec<applications::Model>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::grouped(db, tenant, GroupBy::Candidate, keys).await
    }
}

/// History by application id.
pub struct ApplicationEventsLoader;

impl TenantLoader for ApplicationEventsLoader {
    type Key = Uuid;
    type Value = Vec<application_events::Model>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::events_of(db, tenant, keys).await
    }
}

/// Pipeline numbers by role id.
pub struct PipelineSummaryLoader;

impl TenantLoader for PipelineSummaryLoader {
    type Key = Uuid;
    type Value = PipelineSummary;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::summaries(db, tenant, keys).await
    }
}
