//! Batched loads for candidates: one statement per relation per request.

use std::collections::HashMap;

use entity::{candidate_employments, candidate_skills, candidates};
use sea_orm::DatabaseConnection;
use uuid::Uuid;

use super::service;
use crate::auth::Tenant;
use crate::error::AppResult;
use crate::graphql::context::{RequestContext, TenantLoader};

/// Adds this slice's loaders to a request.
#[must_use]
pub fn register(request: async_graphql::Request, context: &RequestContext) -> async_graphql::Request {
    request
        .data(context.tenant_loader(CandidateLoader))
        .data(context.tenant_loader(CandidateSkillsLoader))
        .data(context.tenant_loader(CandidateTagsLoader))
        .data(context.tenant_loader(CandidateEmploymentsLoader))
}

/// Candidates by id.
pub struct CandidateLoader;

impl TenantLoader for CandidateLoader {
    type Key = Uuid;
    type Value = candidates::Model;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        let mut found: HashMap<Uuid, Self::Value> =
            service::by_ids(db, tenant, keys).await?.into_iter().map(|c| (c.id, c)).collect();
        // Ids of merged candidates resolve to their survivors (`node(id:)` keeps working for an
        // ATS that holds the old id).
        let missing: Vec<Uuid> = keys.iter().filter(|key| !found.contains_key(key)).copied().collect();
        let survivors = crate::duplicates::service::survivors_of(db, tenant, &missing).await?;
        if !survivors.is_empty() {
            let wanted: Vec<Uuid> = survivors.values().copied().collect();
            let rows: HashMap<Uuid, Self::Value> =
                service::by_ids(db, tenant, &wanted).await?.into_iter().map(|c| (c.id, c)).collect();
            for (merged, survivor) in survivors {
                if let Some(row) = rows.get(&survivor) {
                    found.insert(merged, row.clone());
                }
            }
        }
        Ok(found)
    }
}

/// Skills by candidate id.
pub struct CandidateSkillsLoader;

impl TenantLoader for CandidateSkillsLoader {
    type Key = Uuid;
    type Value = Vec<candidate_skills::Model>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::skills_of(db, tenant, keys).await
    }
}

/// Tags by candidate id.
pub struct CandidateTagsLoader;

impl TenantLoader for CandidateTagsLoader {
    type Key = Uuid;
    type Value = Vec<String>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::tags_of(db, tenant, keys).await
    }
}

/// Work histories by candidate id, in the candidate's order.
pub struct CandidateEmploymentsLoader;

impl TenantLoader for CandidateEmploymentsLoader {
    type Key = Uuid;
    type Value = Vec<candidate_employments::Model>;

    async fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Uuid],
    ) -> AppResult<HashMap<Uuid, Self::Value>> {
        service::employments_of(db, tenant, keys).await
    }
}
