//! `Role.jobPosting` and the ADMIN switch `setJobPublishing`.

use async_graphql::{Context, Json, Object};
use uuid::Uuid;

use super::loaders::{OwnOrganizationLoader, PostingSkillsLoader};
use super::model::{PostingFacts, job_posting};
use super::service;
use crate::accounts::graphql::Organization;
use crate::auth::permissions::{Permission, Require};
use crate::error::AppError;
use crate::graphql::context::{RequestContext, tenant_loader, viewer};
use crate::roles::loaders::RoleLoader;

/// The role `role_id` of the caller's organization as schema.org JobPosting JSON-LD, whatever
/// its status or the publishing switch (the caller may read roles; the public routes apply
/// those rules).
pub async fn role_job_posting(ctx: &Context<'_>, role_id: Uuid) -> async_graphql::Result<Json<serde_json::Value>> {
    let (role, skills, organization) = futures_util::try_join!(
        tenant_loader::<RoleLoader>(ctx)?.load_one(role_id),
        tenant_loader::<PostingSkillsLoader>(ctx)?.load_one(role_id),
        tenant_loader::<OwnOrganizationLoader>(ctx)?.load_one(()),
    )?;
    let role = role.ok_or(AppError::NotFound("Role"))?;
    let organization = organization.ok_or(AppError::NotFound("Organization"))?;
    let facts = PostingFacts { role: &role, organization: &organization, skills: skills.unwrap_or_default() };
    Ok(Json(job_posting(&facts, None)))
}

crate::payload!(
    /// Result of `setJobPublishing`.
    SetJobPublishingPayload,
    /// The organization with its new setting (null when refused).
    organization: Organization
);

/// The publishing switch.
#[derive(Default)]
pub struct PostingMutation;

#[Object]
impl PostingMutation {
    /// Turns public job postings on or off for the organization (ADMIN). While on, every OPEN
    /// role is public at `GET /jobs/{id}` (HTML) and `GET /jobs/{id}.jsonld`, and listed at
    /// `GET /orgs/{slug}/jobs.jsonld`; while off, those answer 404. Audited as
    /// `organization.set_job_publishing`.
    #[graphql(guard = "Require(Permission::ManageOrganization)")]
    async fn set_job_publishing(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Whether OPEN roles are public.")] enabled: bool,
    ) -> async_graphql::Result<SetJobPublishingPayload> {
        let request = ctx.data::<RequestContext>()?;
        let outcome = service::set_publishing(&request.db, viewer(ctx)?, enabled).await;
        SetJobPublishingPayload::from_outcome(outcome)
    }
}
