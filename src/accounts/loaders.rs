//! Batched loads of recruiters and API clients (actors of events and audit entries).

use std::collections::HashMap;

use entity::{api_clients, recruiters};
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter};
use uuid::Uuid;

use crate::auth::Tenant;
use crate::error::AppResult;
use crate::graphql::context::{RequestContext, TenantLoader};

/// Adds this slice's loaders to a request.
#[must_use]
pub fn register(request: async_graphql::Request, context: &RequestContext) -> async_graphql::Request {
    request.data(context.tenant_loader(RecruiterLoader)).data(context.tenant_loader(ApiClientLoader))
}

/// Recruiters of the caller's organization by id.
pub struct RecruiterLoader;

impl TenantLoader for RecruiterLoader {
    type Key = Uuid;
    type Value = recruiters::Model;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        let rows = tenant
            .find::<recruiters::Entity>()
            .filter(recruiters::Column::Id.is_in(keys.iter().copied()))
            .all(db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// API clients of the caller's organization by id.
pub struct ApiClientLoader;

impl TenantLoader for ApiClientLoader {
    type Key = Uuid;
    type Value = api_clients::Model;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        let rows = tenant
            .find::<api_clients::Entity>()
            .filter(api_clients::Column::Id.is_in(keys.iter().copied()))
            .all(db)
            .await?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}
