//! Output types of roles: `Role`, `SkillRequirement`, their enums, connection, node lookups
//! and the mutation payloads.

use async_graphql::{ComplexObject, Context, Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{roles, skill_requirements};
use uuid::Uuid;

use super::super::loaders::{RequirementsLoader, RoleLoader};
use super::super::service;
use crate::auth::permissions::{Permission, Require};
use crate::error::AppError;
use crate::graphql::context::{loader, tenant_loader};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, load_node, permitted, row_id};
use crate::pipeline::loaders::{ApplicationsByRoleLoader, PipelineSummaryLoader};
use crate::skills::graphql::{Skill, selected_skills};
use crate::skills::loaders::SkillLoader;

/// Lifecycle of a role: DRAFT → OPEN ⇄ ON_HOLD → CLOSED / FILLED; a CLOSED role may reopen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::RoleStatus")]
pub enum RoleStatus {
    /// Being written.
    Draft,
    /// Accepting candidates.
    Open,
    /// Paused.
    OnHold,
    /// Closed without filling all headcount.
    Closed,
    /// All headcount hired.
    Filled,
}

/// Where the work happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::Workplace")]
pub enum Workplace {
    /// At the employer's site.
    Onsite,
    /// Partly remote.
    Hybrid,
    /// Fully remote.
    Remote,
}

/// Contract form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::EmploymentType")]
pub enum EmploymentType {
    /// Permanent, full time.
    FullTime,
    /// Permanent, part time.
    PartTime,
    /// Fixed-term contractor.
    Contract,
    /// Internship.
    Internship,
    /// Temporary position.
    Temporary,
}

/// Seniority level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::Seniority")]
pub enum Seniority {
    /// Intern or working student.
    Intern,
    /// Junior.
    Junior,
    /// Mid-level.
    Mid,
    /// Senior.
    Senior,
    /// Technical or team lead.
    Lead,
    /// Principal or staff.
    Principal,
    /// Director or above.
    Executive,
}

/// How much a requirement matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::Importance")]
pub enum Importance {
    /// Must have.
    Required,
    /// Should have.
    Preferred,
    /// A plus.
    NiceToHave,
}

/// A yearly salary band.
#[derive(Debug, Clone, SimpleObject)]
pub struct Salary {
    /// Lower bound.
    pub min: i64,
    /// Upper bound.
    pub max: i64,
    /// ISO 4217 currency code.
    pub currency: String,
}

/// A job opening with the skills it asks for.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Role {
    /// Global id.
    pub id: ID,
    /// Job title.
    pub title: String,
    /// Posting text.
    pub description: String,
    /// Hiring department.
    pub department: Option<String>,
    /// Office location.
    pub location: Option<String>,
    /// Where the work happens.
    pub workplace: Workplace,
    /// Contract form.
    pub employment_type: EmploymentType,
    /// Seniority level.
    pub seniority: Seniority,
    /// Minimum total years of experience.
    pub min_years_experience: i32,
    /// Lifecycle status.
    pub status: RoleStatus,
    /// People to hire.
    pub headcount: i32,
    /// Yearly salary band, when published.
    pub salary: Option<Salary>,
    /// Name of the system the role was imported from.
    pub external_source: Option<String>,
    /// Id of the role in that system.
    pub external_id: Option<String>,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Increases on every change; pass it as `expectedVersion` to refuse stale updates.
    pub version: i32,
    /// When the role first became OPEN (its job posting's `datePosted`).
    pub opened_at: Option<DateTime<Utc>>,
    /// Last moment applications are taken (its job posting's `validThrough`).
    pub valid_through: Option<DateTime<Utc>>,
    #[graphql(skip)]
    pub role_id: Uuid,
    /// The requirements, when they were read with the role.
    #[graphql(skip)]
    pub requirements: Option<Vec<skill_requirements::Model>>,
}

impl Role {
    /// The role with its requirements read beside it (`requirements` then needs no load).
    #[must_use]
    pub fn with_requirements(row: roles::Model, requirements: Vec<skill_requirements::Model>) -> Self {
        Self { requirements: Some(requirements), ..Self::from(row) }
    }
}

impl From<roles::Model> for Role {
    fn from(row: roles::Model) -> Self {
        let salary = match (row.salary_min, row.salary_max, row.salary_currency) {
            (Some(min), Some(max), Some(currency)) => Some(Salary { min, max, currency }),
            _ => None,
        };
        Self {
            id: ids::encode("Role", row.id),
            title: row.title,
            description: row.description,
            department: row.department,
            location: row.location,
            workplace: row.workplace.into(),
            employment_type: row.employment_type.into(),
            seniority: row.seniority.into(),
            min_years_experience: row.min_years_experience,
            status: row.status.into(),
            headcount: row.headcount,
            salary,
            external_source: row.external_source,
            external_id: row.external_id,
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
            opened_at: row.opened_at,
            valid_through: row.valid_through,
            role_id: row.id,
            requirements: None,
        }
    }
}

#[ComplexObject]
impl Role {
    /// The skills the role asks for, in display order.
    async fn requirements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SkillRequirement>> {
        let rows = match &self.requirements {
            Some(rows) => rows.clone(),
            None => tenant_loader::<RequirementsLoader>(ctx)?.load_one(self.role_id).await?.unwrap_or_default(),
        };
        let ids: Vec<Uuid> = rows.iter().map(|row| row.skill_id).collect();
        let skills = selected_skills(ctx, &ids).await?;
        Ok(rows
            .into_iter()
            .zip(skills)
            .map(|(row, skill)| SkillRequirement { skill, ..SkillRequirement::from(row) })
            .collect())
    }

    /// The role's pipeline, oldest application first (use `applications(filter: { roleId })`
    /// to page through a large one).
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::pipeline::graphql::Application>> {
        let rows = tenant_loader::<ApplicationsByRoleLoader>(ctx)?.load_one(self.role_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// The organization's candidates ranked for this role, explained (as `matchCandidates`).
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn matches(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Filters; all given ones must hold.")] filter: Option<
            crate::matching::graphql::MatchFilterInput,
        >,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
    ) -> async_graphql::Result<crate::matching::graphql::CandidateMatchConnection> {
        crate::matching::graphql::candidates_for_role(ctx, self.role_id, filter, first, after).await
    }

    /// The role as a schema.org JobPosting (JSON-LD), as job boards and search engines read it;
    /// public at `/jobs/{id}` only while OPEN and the organization publishes jobs.
    async fn job_posting(&self, ctx: &Context<'_>) -> async_graphql::Result<async_graphql::Json<serde_json::Value>> {
        crate::postings::graphql::role_job_posting(ctx, self.role_id).await
    }

    /// Candidates per stage and median days spent in each stage.
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn pipeline_summary(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::pipeline::graphql::PipelineSummary> {
        let summary = tenant_loader::<PipelineSummaryLoader>(ctx)?.load_one(self.role_id).await?.unwrap_or_default();
        Ok(summary.into())
    }
}

/// One skill a role asks for. Requirements sharing an `alternativesGroup` are one requirement
/// satisfied by any of them ("Scala or Python").
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct SkillRequirement {
    /// Global id.
    pub id: ID,
    /// How much it matters.
    pub importance: Importance,
    /// Minimum level, 1 (basic) to 5 (expert).
    pub min_level: i32,
    /// Minimum years with the skill.
    pub min_years: Option<i32>,
    /// Relative weight in matching (default by importance).
    pub weight: Option<f64>,
    /// Name of the group of alternatives this belongs to.
    pub alternatives_group: Option<String>,
    /// Display order within the role.
    pub position: i32,
    #[graphql(skip)]
    pub skill_id: Uuid,
    #[graphql(skip)]
    pub role_id: Uuid,
    /// The skill, when the parent loaded it with its siblings'.
    #[graphql(skip)]
    pub skill: Option<Skill>,
}

impl From<skill_requirements::Model> for SkillRequirement {
    fn from(row: skill_requirements::Model) -> Self {
        Self {
            id: ids::encode("SkillRequirement", row.id),
            importance: row.importance.into(),
            min_level: i32::from(row.min_level),
            min_years: row.min_years,
            weight: row.weight,
            alternatives_group: row.alternatives_group,
            position: row.position,
            skill_id: row.skill_id,
            role_id: row.role_id,
            skill: None,
        }
    }
}

#[ComplexObject]
impl SkillRequirement {
    /// The required skill.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Skill> {
        if let Some(skill) = &self.skill {
            return Ok(skill.clone());
        }
        let skill = loader::<SkillLoader>(ctx)?.load_one(self.skill_id).await?;
        Ok(skill.map(Skill::from).ok_or(AppError::NotFound("Skill"))?)
    }

    /// The role that asks for it.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Role> {
        let role = tenant_loader::<RoleLoader>(ctx)?.load_one(self.role_id).await?;
        Ok(role.map(Role::from).ok_or(AppError::NotFound("Role"))?)
    }
}

crate::connection_type!(RoleConnection, RoleEdge, Role);

crate::payload!(
    /// Result of `createRole`.
    CreateRolePayload,
    /// The new role (null when refused).
    role: Role
);

crate::payload!(
    /// Result of `updateRole`.
    UpdateRolePayload,
    /// The role after the change (null when refused).
    role: Role
);

crate::payload!(
    /// Result of `setRoleRequirements`.
    SetRoleRequirementsPayload,
    /// The role with its new requirements (null when refused).
    role: Role
);

crate::payload!(
    /// Result of `removeSkillRequirement`.
    RemoveSkillRequirementPayload,
    /// The role the requirement was removed from (null when refused).
    role: Role
);

crate::payload!(
    /// Result of `changeRoleStatus`.
    ChangeRoleStatusPayload,
    /// The role in its new status (null when refused).
    role: Role
);

crate::payload!(
    /// Result of `addSkillRequirement`.
    AddSkillRequirementPayload,
    /// The new requirement (null when refused).
    requirement: SkillRequirement
);

crate::payload!(
    /// Result of `updateSkillRequirement`.
    UpdateSkillRequirementPayload,
    /// The requirement after the change (null when refused).
    requirement: SkillRequirement
);

crate::payload!(
    /// Result of `deleteRole`.
    DeleteRolePayload,
    /// Id of the deleted role (null when refused).
    deleted_role_id: ID
);

impl NodeType for Role {
    const KIND: &'static str = "Role";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        load_node::<Self, RoleLoader>(ctx, id, Permission::ReadRoles).await
    }
}

impl NodeType for SkillRequirement {
    const KIND: &'static str = "SkillRequirement";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let (Some((request, tenant)), Some(uuid)) = (permitted(ctx, Permission::ReadRoles)?, row_id::<Self>(id)) else {
            return Ok(None);
        };
        match service::get_requirement(&request.db, tenant, uuid).await {
            Ok(row) => Ok(Some(row.into())),
            Err(AppError::NotFound(_)) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }
}
