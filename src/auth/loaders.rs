//! Batched loads of recruiters and API clients (actors of events and audit entries).

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{api_clients, recruiters};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::Tenant;

/// Recruiters of the caller's organization by id.
pub struct RecruiterLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for RecruiterLoader {
    type Value = recruiters::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        let rows = recruiters::Entity::find()
            .filter(recruiters::Column::OrganizationId.eq(tenant.organization_id()))
            .filter(recruiters::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}

/// API clients of the caller's organization by id.
pub struct ApiClientLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for ApiClientLoader {
    type Value = api_clients::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        let rows = api_clients::Entity::find()
            .filter(api_clients::Column::OrganizationId.eq(tenant.organization_id()))
            .filter(api_clients::Column::Id.is_in(keys.iter().copied()))
            .all(&self.db)
            .await
            .map_err(crate::error::AppError::from)?;
        Ok(rows.into_iter().map(|r| (r.id, r)).collect())
    }
}
