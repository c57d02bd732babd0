//! Batched loads for pipelines: one statement per relation per request.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{application_events, applications};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service::{self, GroupBy, PipelineSummary};
use crate::auth::Tenant;

/// Applications by role or candidate id (the loader's `GroupBy`).
pub struct ApplicationsLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
    pub by: GroupBy,
}

impl Loader<Uuid> for ApplicationsLoader {
    type Value = Vec<applications::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::grouped(&self.db, tenant, self.by, keys).await?)
    }
}

/// History by application id.
pub struct ApplicationEventsLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for ApplicationEventsLoader {
    type Value = Vec<application_events::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::events_of(&self.db, tenant, keys).await?)
    }
}

/// Pipeline numbers by role id.
pub struct PipelineSummaryLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for PipelineSummaryLoader {
    type Value = PipelineSummary;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::summaries(&self.db, tenant, keys).await?)
    }
}
