//! Batched loads for roles: one statement per relation per request.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{roles, skill_requirements};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::auth::Tenant;

/// Requirements by role id.
pub struct RequirementsLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for RequirementsLoader {
    type Value = Vec<skill_requirements::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::requirements_of(&self.db, tenant, keys).await?)
    }
}

/// Roles by id.
pub struct RoleLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for RoleLoader {
    type Value = roles::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::by_ids(&self.db, tenant, keys).await?.into_iter().map(|r| (r.id, r)).collect())
    }
}
