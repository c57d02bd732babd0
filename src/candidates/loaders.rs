//! Batched loads for candidates: one statement per relation per request.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use entity::{candidate_skills, candidates};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::auth::Tenant;

/// Candidates by id.
pub struct CandidateLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for CandidateLoader {
    type Value = candidates::Model;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::by_ids(&self.db, tenant, keys).await?.into_iter().map(|c| (c.id, c)).collect())
    }
}

/// Skills by candidate id.
pub struct CandidateSkillsLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for CandidateSkillsLoader {
    type Value = Vec<candidate_skills::Model>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::skills_of(&self.db, tenant, keys).await?)
    }
}

/// Tags by candidate id.
pub struct CandidateTagsLoader {
    pub db: DatabaseConnection,
    pub tenant: Option<Tenant>,
}

impl Loader<Uuid> for CandidateTagsLoader {
    type Value = Vec<String>;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(service::tags_of(&self.db, tenant, keys).await?)
    }
}
