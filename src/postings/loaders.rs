//! Batched loads for `Role.jobPosting`: one statement per relation per request, whatever the
//! number of roles on the page.

use std::collections::HashMap;

use entity::{Importance, organizations};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::auth::Tenant;
use crate::error::AppResult;
use crate::graphql::context::{RequestContext, TenantLoader};

/// Adds this slice's loaders to a request.
#[must_use]
pub fn register(request: async_graphql::Request, context: &RequestContext) -> async_graphql::Request {
    request.data(context.tenant_loader(PostingSkillsLoader)).data(context.tenant_loader(OwnOrganizationLoader))
}

/// Requirement skill names (with importance) by role id.
pub struct PostingSkillsLoader;

impl TenantLoader for PostingSkillsLoader {
    type Key = Uuid;
    type Value = Vec<(String, Importance)>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::skills_of(db, tenant, keys).await
    }
}

/// The caller's organization row, loaded once per request (the key is the request itself).
pub struct OwnOrganizationLoader;

impl TenantLoader for OwnOrganizationLoader {
    type Key = ();
    type Value = organizations::Model;

    async fn load(&self, db: &DatabaseConnection, tenant: Tenant, _: &[()]) -> AppResult<HashMap<(), Self::Value>> {
        crate::accounts::service::organization(db, tenant).await.map(|row| HashMap::from([((), row)]))
    }
}
