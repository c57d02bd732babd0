//! Relay's `Node` interface: any object can be fetched again by its global id, within the
//! caller's organization.

use async_graphql::{Context, ID, Interface, Object};

use super::{RequestContext, ids};
use crate::audit::graphql::AuditEvent;
use crate::auth::graphql::{ApiClient, Organization, Recruiter};
use crate::auth::permissions::{Authenticated, Permission};
use crate::auth::viewer::viewer;
use crate::candidates::graphql::{Candidate, CandidateSkill};
use crate::error::AppError;
use crate::pipeline::graphql::{Application, ApplicationEvent};
use crate::roles::graphql::{Role, SkillRequirement};
use crate::skills::graphql::Skill;

/// An object with a global id that `node(id:)` can fetch.
#[derive(Interface)]
#[graphql(field(name = "id", ty = "&ID", desc = "Global id."))]
pub enum Node {
    Organization(Organization),
    Recruiter(Recruiter),
    ApiClient(ApiClient),
    Skill(Skill),
    Role(Role),
    SkillRequirement(SkillRequirement),
    Candidate(Candidate),
    CandidateSkill(CandidateSkill),
    Application(Application),
    ApplicationEvent(ApplicationEvent),
    AuditEvent(AuditEvent),
}

/// Looks up one global id for the caller; `None` when it names nothing they may see.
async fn resolve(ctx: &Context<'_>, id: &ID) -> Result<Option<Node>, AppError> {
    let request = ctx.data::<RequestContext>().map_err(|_| AppError::Unauthenticated)?;
    let viewer = viewer(ctx)?;
    let tenant = viewer.tenant();
    let db = &request.db;
    if let Some((candidate, skill)) = ids::decode_pair("CandidateSkill", id) {
        if !viewer.can(Permission::ReadCandidates) {
            return Ok(None);
        }
        let skills = crate::candidates::service::skills_of(db, tenant, &[candidate]).await?;
        let found = skills.get(&candidate).and_then(|all| all.iter().find(|s| s.skill_id == skill)).cloned();
        return Ok(found.map(|s| Node::CandidateSkill(s.into())));
    }
    let Some((kind, uuid)) = ids::decode_any(id) else { return Ok(None) };
    let allowed = |permission| viewer.can(permission);
    Ok(match kind.as_str() {
        "Organization" if uuid == tenant.organization_id() => {
            Some(Node::Organization(crate::auth::service::organization(db, tenant).await?.into()))
        }
        "Recruiter" if allowed(Permission::ReadRecruiters) => {
            crate::auth::service::find_recruiter(db, tenant, uuid).await?.map(|r| Node::Recruiter(r.into()))
        }
        "ApiClient" if allowed(Permission::ManageApiClients) => {
            crate::auth::service::find_api_client(db, tenant, uuid).await?.map(|c| Node::ApiClient(c.into()))
        }
        "Skill" => {
            crate::skills::service::by_ids(db, request.skill_scope, &[uuid]).await?.pop().map(|s| Node::Skill(s.into()))
        }
        "Role" if allowed(Permission::ReadRoles) => {
            crate::roles::service::get(db, tenant, uuid).await?.map(|r| Node::Role(r.into()))
        }
        "SkillRequirement" if allowed(Permission::ReadRoles) => {
            crate::roles::service::get_requirement(db, tenant, uuid)
                .await
                .ok()
                .map(|r| Node::SkillRequirement(r.into()))
        }
        "Candidate" if allowed(Permission::ReadCandidates) => {
            crate::candidates::service::get(db, tenant, uuid).await?.map(|c| Node::Candidate(c.into()))
        }
        "Application" if allowed(Permission::ReadApplications) => {
            crate::pipeline::service::get(db, tenant, uuid).await?.map(|a| Node::Application(a.into()))
        }
        "ApplicationEvent" if allowed(Permission::ReadApplications) => {
            crate::pipeline::service::event(db, tenant, uuid).await?.map(|e| Node::ApplicationEvent(e.into()))
        }
        "AuditEvent" if allowed(Permission::ReadAudit) => {
            crate::audit::service::get(db, tenant, uuid).await?.map(|e| Node::AuditEvent(e.into()))
        }
        _ => None,
    })
}

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global id, or null if it does not exist in your organization (or
    /// you may not see it).
    #[graphql(guard = "Authenticated")]
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        Ok(resolve(ctx, &id).await?)
    }

    /// The objects with these global ids, in the same order; null where `node` would be null.
    /// At most 100 ids.
    #[graphql(guard = "Authenticated")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(AppError::bad_input("ids", "at most 100 ids").into());
        }
        let mut out = Vec::with_capacity(ids.len());
        for id in &ids {
            out.push(resolve(ctx, id).await?);
        }
        Ok(out)
    }
}
