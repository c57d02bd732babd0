//! Batched loads for roles: one statement per relation per request.

use std::collections::HashMap;

use entity::{roles, skill_requirements};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::auth::Tenant;
use crate::error::AppResult;
use crate::graphql::context::{RequestContext, TenantLoader};

/// Adds this slice's loaders to a request.
#[must_use]
pub fn register(request: async_graphql::Request, context: &RequestContext) -> async_graphql::Request {
    request.data(context.tenant_loader(RoleLoader)).data(context.tenant_loader(RequirementsLoader))
}

/// Requirements by role id.
pub struct RequirementsLoader;

impl TenantLoader for RequirementsLoader {
    type Key = Uuid;
    type Value = Vec<skill_requirements::Model>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::requirements_of(db, tenant, keys).await
    }
}

/// Roles by id.
pub struct RoleLoader;

impl TenantLoader for RoleLoader {
    type Key = Uuid;
    type Value = roles::Model;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        Ok(service::by_ids(db, tenant, keys).await?.into_iter().map(|r| (r.id, r)).collect())
    }
}
