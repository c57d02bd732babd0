//! GraphQL face of roles: `Role`, `SkillRequirement`, the `roles` / `role` queries and the
//! role mutations. Resolvers parse input, call the service, map the output.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{roles, skill_requirements};
use uuid::Uuid;

use super::model::{Headcount, NewRequirement, NewRole, RoleChanges, SalaryRange, Weight, may_start_as};
use super::service::{self, RequirementChanges, RoleCursor, RoleFilter, RoleOrderField as ServiceOrderField};
use crate::auth::permissions::{Permission, Require};
use crate::auth::viewer::viewer;
use crate::error::{AppError, AppResult};
use crate::graphql::relay::{PageArgs, encode_cursor};
use crate::graphql::user_errors::{UserError, refusals};
use crate::graphql::{Loaders, OrderDirection, RequestContext, ids, wants_total_count};
use crate::skills::graphql::Skill;
use crate::skills::service::{SkillScope, resolve_for_input};
use crate::values::{ExternalRef, LongText, SearchText, SkillLevel, Text, Years};

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
    #[graphql(skip)]
    pub role_id: Uuid,
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
            role_id: row.id,
        }
    }
}

#[ComplexObject]
impl Role {
    /// The skills the role asks for, in display order.
    async fn requirements(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<SkillRequirement>> {
        let rows = ctx.data::<Loaders>()?.requirements.load_one(self.role_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(SkillRequirement::from).collect())
    }

    /// The role's pipeline, oldest application first (use `applications(filter: { roleId })`
    /// to page through a large one).
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::pipeline::graphql::Application>> {
        let rows = ctx.data::<Loaders>()?.applications_by_role.load_one(self.role_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Into::into).collect())
    }

    /// Candidates per stage and median days spent in each stage.
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn pipeline_summary(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<crate::pipeline::graphql::PipelineSummary> {
        let summary = ctx.data::<Loaders>()?.pipeline_summaries.load_one(self.role_id).await?.unwrap_or_default();
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
        }
    }
}

#[ComplexObject]
impl SkillRequirement {
    /// The required skill.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Skill> {
        let skill = ctx.data::<Loaders>()?.skills.load_one(self.skill_id).await?;
        Ok(skill.map(Skill::from).ok_or(AppError::NotFound("Skill"))?)
    }

    /// The role that asks for it.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Role> {
        let role = ctx.data::<Loaders>()?.roles.load_one(self.role_id).await?;
        Ok(role.map(Role::from).ok_or(AppError::NotFound("Role"))?)
    }
}

crate::connection_type!(RoleConnection, RoleEdge, Role);

/// Filters of `roles`; every given filter must match.
#[derive(Debug, Clone, Default, InputObject)]
pub struct RoleFilterInput {
    /// Any of these statuses.
    pub status: Option<Vec<RoleStatus>>,
    /// Title, description or department contains this text (case and accents ignored).
    pub search: Option<String>,
    /// Exactly this department.
    pub department: Option<String>,
    /// Location contains this text (case-insensitive).
    pub location: Option<String>,
    /// Any of these workplaces.
    pub workplace: Option<Vec<Workplace>>,
    /// Any of these seniorities.
    pub seniority: Option<Vec<Seniority>>,
    /// Requires every one of these skills (names, slugs or aliases).
    pub requires_skills: Option<Vec<String>>,
}

/// Sort fields of `roles`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum RoleOrderField {
    /// Creation time (the default, newest first).
    CreatedAt,
    /// Last change.
    UpdatedAt,
    /// Title, alphabetical.
    Title,
}

/// Ordering of `roles`; ties are broken by id, so paging is stable.
#[derive(Debug, Clone, Copy, InputObject)]
pub struct RoleOrder {
    /// What to sort by.
    pub field: RoleOrderField,
    /// Which way.
    #[graphql(default_with = "OrderDirection::Asc")]
    pub direction: OrderDirection,
}

/// A requirement as given in input; the skill is any name, slug or alias of the taxonomy.
#[derive(Debug, Clone, InputObject)]
pub struct SkillRequirementInput {
    /// Skill name, slug or alias ("spark", "Apache Spark"); unknown names are refused with
    /// suggestions.
    pub skill: String,
    /// How much it matters (default REQUIRED).
    #[graphql(default_with = "Importance::Required")]
    pub importance: Importance,
    /// Minimum level 1 to 5 (default 3).
    #[graphql(default = 3)]
    pub min_level: i32,
    /// Minimum years with the skill.
    pub min_years: Option<i32>,
    /// Relative weight in matching, above 0 and at most 100.
    pub weight: Option<f64>,
    /// Group of alternatives ("scala-or-python"): any one member satisfies the requirement.
    pub alternatives_group: Option<String>,
}

/// A yearly salary band in input.
#[derive(Debug, Clone, InputObject)]
pub struct SalaryInput {
    /// Lower bound, at least 0.
    pub min: i64,
    /// Upper bound, at least `min`.
    pub max: i64,
    /// ISO 4217 currency code.
    pub currency: String,
}

/// Input of `createRole`.
#[derive(Debug, Clone, InputObject)]
pub struct CreateRoleInput {
    /// Job title (1 to 200 characters).
    pub title: String,
    /// Posting text.
    #[graphql(default)]
    pub description: String,
    /// Hiring department.
    pub department: Option<String>,
    /// Office location.
    pub location: Option<String>,
    /// Where the work happens (default ONSITE).
    #[graphql(default_with = "Workplace::Onsite")]
    pub workplace: Workplace,
    /// Contract form (default FULL_TIME).
    #[graphql(default_with = "EmploymentType::FullTime")]
    pub employment_type: EmploymentType,
    /// Seniority (default MID).
    #[graphql(default_with = "Seniority::Mid")]
    pub seniority: Seniority,
    /// Minimum total years of experience, 0 to 60.
    #[graphql(default)]
    pub min_years_experience: i32,
    /// DRAFT (default) or OPEN.
    #[graphql(default_with = "RoleStatus::Draft")]
    pub status: RoleStatus,
    /// People to hire, 1 to 1000 (default 1).
    #[graphql(default = 1)]
    pub headcount: i32,
    /// Yearly salary band.
    pub salary: Option<SalaryInput>,
    /// Source system of an imported role.
    pub external_source: Option<String>,
    /// Id in the source system (unique per source in the organization).
    pub external_id: Option<String>,
    /// The skills the role asks for.
    #[graphql(default)]
    pub requirements: Vec<SkillRequirementInput>,
}

/// Input of `updateRole`: omitted fields stay as they are; `null` clears an optional one.
#[derive(Debug, Clone, InputObject)]
pub struct UpdateRoleInput {
    /// The role.
    pub id: ID,
    /// Refuse the update (CONFLICT) unless the role is still at this version.
    pub expected_version: Option<i32>,
    /// New title.
    pub title: Option<String>,
    /// New posting text.
    pub description: Option<String>,
    /// New department.
    pub department: MaybeUndefined<String>,
    /// New location.
    pub location: MaybeUndefined<String>,
    /// New workplace.
    pub workplace: Option<Workplace>,
    /// New contract form.
    pub employment_type: Option<EmploymentType>,
    /// New seniority.
    pub seniority: Option<Seniority>,
    /// New minimum years.
    pub min_years_experience: Option<i32>,
    /// New headcount.
    pub headcount: Option<i32>,
    /// New salary band.
    pub salary: MaybeUndefined<SalaryInput>,
}

/// Input of `setRoleRequirements`.
#[derive(Debug, Clone, InputObject)]
pub struct SetRoleRequirementsInput {
    /// The role.
    pub role_id: ID,
    /// The complete new set of requirements.
    pub requirements: Vec<SkillRequirementInput>,
    /// Refuse (CONFLICT) unless the role is still at this version.
    pub expected_version: Option<i32>,
}

/// Input of `addSkillRequirement`.
#[derive(Debug, Clone, InputObject)]
pub struct AddSkillRequirementInput {
    /// The role.
    pub role_id: ID,
    /// The requirement to add.
    pub requirement: SkillRequirementInput,
}

/// Input of `updateSkillRequirement`: omitted fields stay; `null` clears optional ones.
#[derive(Debug, Clone, InputObject)]
pub struct UpdateSkillRequirementInput {
    /// The requirement.
    pub id: ID,
    /// New importance.
    pub importance: Option<Importance>,
    /// New minimum level.
    pub min_level: Option<i32>,
    /// New minimum years.
    pub min_years: MaybeUndefined<i32>,
    /// New weight.
    pub weight: MaybeUndefined<f64>,
    /// New alternatives group.
    pub alternatives_group: MaybeUndefined<String>,
}

/// Input of `changeRoleStatus`.
#[derive(Debug, Clone, InputObject)]
pub struct ChangeRoleStatusInput {
    /// The role.
    pub id: ID,
    /// The new status; only legal moves are accepted.
    pub status: RoleStatus,
    /// Refuse (CONFLICT) unless the role is still at this version.
    pub expected_version: Option<i32>,
}

/// Result of a role mutation.
#[derive(Debug, Clone, SimpleObject)]
pub struct RolePayload {
    /// The role after the change (null when refused).
    pub role: Option<Role>,
    /// Why the input was refused.
    pub user_errors: Vec<UserError>,
}

impl RolePayload {
    fn from_outcome(outcome: AppResult<roles::Model>) -> async_graphql::Result<Self> {
        Ok(match refusals(outcome)? {
            Ok(role) => Self { role: Some(role.into()), user_errors: Vec::new() },
            Err(user_errors) => Self { role: None, user_errors },
        })
    }
}

/// Result of a requirement mutation.
#[derive(Debug, Clone, SimpleObject)]
pub struct SkillRequirementPayload {
    /// The requirement after the change (null when refused).
    pub requirement: Option<SkillRequirement>,
    /// Why the input was refused.
    pub user_errors: Vec<UserError>,
}

/// Result of `deleteRole`.
#[derive(Debug, Clone, SimpleObject)]
pub struct DeleteRolePayload {
    /// Id of the deleted role (null when refused).
    pub deleted_role_id: Option<ID>,
    /// Why the input was refused.
    pub user_errors: Vec<UserError>,
}

fn skill_scope(ctx: &Context<'_>) -> async_graphql::Result<SkillScope> {
    Ok(ctx.data::<RequestContext>()?.skill_scope)
}

/// Checks requirement inputs and resolves their skills; `field` is the input path of the list.
async fn parse_requirements(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: &[SkillRequirementInput],
    field: &str,
) -> AppResult<Vec<NewRequirement>> {
    if inputs.len() > 100 {
        return Err(AppError::bad_input(field, "a role has at most 100 requirements"));
    }
    let names: Vec<(String, String)> =
        inputs.iter().enumerate().map(|(i, r)| (r.skill.clone(), format!("{field}.{i}.skill"))).collect();
    let skills = resolve_for_input(db, scope, &names).await?;
    inputs
        .iter()
        .zip(skills)
        .enumerate()
        .map(|(i, (input, skill))| parse_requirement(input, skill.id, &format!("{field}.{i}")))
        .collect()
}

fn parse_requirement(input: &SkillRequirementInput, skill_id: Uuid, field: &str) -> AppResult<NewRequirement> {
    Ok(NewRequirement {
        skill_id,
        importance: input.importance.into(),
        min_level: SkillLevel::parse(input.min_level, &format!("{field}.minLevel"))?,
        min_years: input.min_years.map(|y| Years::parse(y, &format!("{field}.minYears"))).transpose()?,
        weight: input.weight.map(|w| Weight::parse(w, &format!("{field}.weight"))).transpose()?,
        alternatives_group: Text::parse_optional(
            input.alternatives_group.as_deref(),
            &format!("{field}.alternativesGroup"),
        )?,
    })
}

fn parse_salary(salary: Option<&SalaryInput>, field: &str) -> AppResult<Option<SalaryRange>> {
    salary.map(|s| SalaryRange::parse(s.min, s.max, &s.currency, field)).transpose()
}

async fn parse_new_role(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    input: &CreateRoleInput,
) -> AppResult<NewRole> {
    let status: entity::RoleStatus = input.status.into();
    if !may_start_as(status) {
        return Err(AppError::bad_input("input.status", "a new role is DRAFT or OPEN"));
    }
    Ok(NewRole {
        title: Text::parse(&input.title, "input.title")?,
        description: LongText::parse(&input.description, "input.description")?,
        department: Text::parse_optional(input.department.as_deref(), "input.department")?,
        location: Text::parse_optional(input.location.as_deref(), "input.location")?,
        workplace: input.workplace.into(),
        employment_type: input.employment_type.into(),
        seniority: input.seniority.into(),
        min_years_experience: Years::parse(input.min_years_experience, "input.minYearsExperience")?,
        status,
        headcount: Headcount::parse(input.headcount, "input.headcount")?,
        salary: parse_salary(input.salary.as_ref(), "input.salary")?,
        external: ExternalRef::parse(
            input.external_source.as_deref(),
            input.external_id.as_deref(),
            "input.externalSource",
            "input.externalId",
        )?,
        requirements: parse_requirements(db, scope, &input.requirements, "input.requirements").await?,
    })
}

fn parse_changes(input: &UpdateRoleInput) -> AppResult<RoleChanges> {
    #[allow(clippy::option_option, reason = "absent, cleared and set are three different requests")]
    fn optional_text(value: &MaybeUndefined<String>, field: &str) -> AppResult<Option<Option<Text<200>>>> {
        match value {
            MaybeUndefined::Undefined => Ok(None),
            MaybeUndefined::Null => Ok(Some(None)),
            MaybeUndefined::Value(text) => Text::parse_optional(Some(text), field).map(Some),
        }
    }
    let changes = RoleChanges {
        title: input.title.as_deref().map(|t| Text::parse(t, "input.title")).transpose()?,
        description: input.description.as_deref().map(|d| LongText::parse(d, "input.description")).transpose()?,
        department: optional_text(&input.department, "input.department")?,
        location: optional_text(&input.location, "input.location")?,
        workplace: input.workplace.map(Into::into),
        employment_type: input.employment_type.map(Into::into),
        seniority: input.seniority.map(Into::into),
        min_years_experience: input
            .min_years_experience
            .map(|y| Years::parse(y, "input.minYearsExperience"))
            .transpose()?,
        headcount: input.headcount.map(|h| Headcount::parse(h, "input.headcount")).transpose()?,
        salary: match &input.salary {
            MaybeUndefined::Undefined => None,
            MaybeUndefined::Null => Some(None),
            MaybeUndefined::Value(s) => Some(parse_salary(Some(s), "input.salary")?),
        },
    };
    if changes.is_empty() {
        return Err(AppError::bad_input("input", "nothing to change"));
    }
    Ok(changes)
}

/// Queries over roles.
#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// The organization's roles; newest first unless `orderBy` says otherwise.
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Filters; all given ones must match.")] filter: Option<RoleFilterInput>,
        #[graphql(desc = "Sort order (default: CREATED_AT, DESC).")] order_by: Option<RoleOrder>,
    ) -> async_graphql::Result<RoleConnection> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let args = PageArgs::<RoleCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default();
        let requires = filter.requires_skills.unwrap_or_default();
        if requires.len() > 20 {
            return Err(AppError::bad_input("filter.requiresSkills", "at most 20 skills").into());
        }
        let names: Vec<(String, String)> =
            requires.iter().enumerate().map(|(i, n)| (n.clone(), format!("filter.requiresSkills.{i}"))).collect();
        let requires_skills =
            resolve_for_input(&request.db, request.skill_scope, &names).await?.into_iter().map(|s| s.id).collect();
        let filter = RoleFilter {
            statuses: filter.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            search: filter.search.as_deref().map(|s| SearchText::parse(s, "filter.search")).transpose()?,
            department: filter.department.map(|d| d.trim().to_owned()),
            location: filter.location.as_deref().map(|s| SearchText::parse(s, "filter.location")).transpose()?,
            workplaces: filter.workplace.unwrap_or_default().into_iter().map(Into::into).collect(),
            seniorities: filter.seniority.unwrap_or_default().into_iter().map(Into::into).collect(),
            requires_skills,
        };
        let (field, descending) = match order_by {
            None => (ServiceOrderField::CreatedAt, true),
            Some(order) => (
                match order.field {
                    RoleOrderField::CreatedAt => ServiceOrderField::CreatedAt,
                    RoleOrderField::UpdatedAt => ServiceOrderField::UpdatedAt,
                    RoleOrderField::Title => ServiceOrderField::Title,
                },
                order.direction == OrderDirection::Desc,
            ),
        };
        let page = service::list(&request.db, tenant, &filter, field, descending, args).await?;
        let total =
            if wants_total_count(ctx) { Some(service::count(&request.db, tenant, &filter).await?) } else { None };
        Ok(RoleConnection::from_page(page, total, |r| encode_cursor(&RoleCursor::of(r, field)), Role::from))
    }

    /// One role by id, or null if the organization has no such role.
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    async fn role(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Role>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let Ok(id) = ids::decode("Role", &id) else { return Ok(None) };
        Ok(service::get(&request.db, tenant, id).await?.map(Role::from))
    }
}

/// Mutations of roles and their requirements.
#[derive(Default)]
pub struct RoleMutation;

#[Object]
impl RoleMutation {
    /// Creates a role with its requirements in one transaction.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn create_role(&self, ctx: &Context<'_>, input: CreateRoleInput) -> async_graphql::Result<RolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let outcome = match parse_new_role(&request.db, skill_scope(ctx)?, &input).await {
            Ok(role) => service::create(&request.db, viewer, role).await,
            Err(error) => Err(error),
        };
        RolePayload::from_outcome(outcome)
    }

    /// Changes the given fields of a role; with `expectedVersion`, a stale update is refused.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn update_role(&self, ctx: &Context<'_>, input: UpdateRoleInput) -> async_graphql::Result<RolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Role", &input.id)?;
        let outcome = match parse_changes(&input) {
            Ok(changes) => service::update(&request.db, viewer, id, changes, input.expected_version).await,
            Err(error) => Err(error),
        };
        RolePayload::from_outcome(outcome)
    }

    /// Replaces all requirements of a role at once.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn set_role_requirements(
        &self,
        ctx: &Context<'_>,
        input: SetRoleRequirementsInput,
    ) -> async_graphql::Result<RolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Role", &input.role_id)?;
        if service::get(&request.db, viewer.tenant(), id).await?.is_none() {
            return Err(AppError::NotFound("Role").into());
        }
        let outcome =
            match parse_requirements(&request.db, skill_scope(ctx)?, &input.requirements, "input.requirements").await {
                Ok(requirements) => {
                    service::set_requirements(&request.db, viewer, id, &requirements, input.expected_version).await
                }
                Err(error) => Err(error),
            };
        RolePayload::from_outcome(outcome)
    }

    /// Adds one requirement to a role.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn add_skill_requirement(
        &self,
        ctx: &Context<'_>,
        input: AddSkillRequirementInput,
    ) -> async_graphql::Result<SkillRequirementPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Role", &input.role_id)?;
        if service::get(&request.db, viewer.tenant(), id).await?.is_none() {
            return Err(AppError::NotFound("Role").into());
        }
        let parsed = parse_requirements(
            &request.db,
            skill_scope(ctx)?,
            std::slice::from_ref(&input.requirement),
            "input.requirement",
        )
        .await
        .and_then(|all| {
            all.into_iter().next().ok_or_else(|| AppError::Internal(anyhow::anyhow!("one requirement parsed to none")))
        });
        let outcome = match parsed {
            Ok(requirement) => service::add_requirement(&request.db, viewer, id, &requirement).await,
            Err(error) => Err(error),
        };
        Ok(match refusals(outcome)? {
            Ok(row) => SkillRequirementPayload { requirement: Some(row.into()), user_errors: Vec::new() },
            Err(user_errors) => SkillRequirementPayload { requirement: None, user_errors },
        })
    }

    /// Changes one requirement.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn update_skill_requirement(
        &self,
        ctx: &Context<'_>,
        input: UpdateSkillRequirementInput,
    ) -> async_graphql::Result<SkillRequirementPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("SkillRequirement", &input.id)?;
        service::get_requirement(&request.db, viewer.tenant(), id).await?;
        let changes = (|| -> AppResult<RequirementChanges> {
            Ok(RequirementChanges {
                importance: input.importance.map(Into::into),
                min_level: input.min_level.map(|l| SkillLevel::parse(l, "input.minLevel")).transpose()?,
                min_years: match input.min_years {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(y) => Some(Some(Years::parse(y, "input.minYears")?)),
                },
                weight: match input.weight {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(w) => Some(Some(Weight::parse(w, "input.weight")?)),
                },
                alternatives_group: match &input.alternatives_group {
                    MaybeUndefined::Undefined => None,
                    MaybeUndefined::Null => Some(None),
                    MaybeUndefined::Value(g) => Some(Text::parse_optional(Some(g), "input.alternativesGroup")?),
                },
            })
        })();
        let outcome = match changes {
            Ok(changes) => service::update_requirement(&request.db, viewer, id, changes).await,
            Err(error) => Err(error),
        };
        Ok(match refusals(outcome)? {
            Ok(row) => SkillRequirementPayload { requirement: Some(row.into()), user_errors: Vec::new() },
            Err(user_errors) => SkillRequirementPayload { requirement: None, user_errors },
        })
    }

    /// Removes one requirement; returns its role.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn remove_skill_requirement(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<RolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("SkillRequirement", &id)?;
        RolePayload::from_outcome(service::remove_requirement(&request.db, viewer, id).await)
    }

    /// Moves a role along its lifecycle; illegal moves are refused with CONFLICT.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn change_role_status(
        &self,
        ctx: &Context<'_>,
        input: ChangeRoleStatusInput,
    ) -> async_graphql::Result<RolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Role", &input.id)?;
        RolePayload::from_outcome(
            service::change_status(&request.db, viewer, id, input.status.into(), input.expected_version).await,
        )
    }

    /// Deletes a DRAFT role without applications. Any other role is refused (CONFLICT): close
    /// it with `changeRoleStatus` so its history stays.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn delete_role(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<DeleteRolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let uuid = ids::decode("Role", &id)?;
        Ok(match refusals(service::delete(&request.db, viewer, uuid).await)? {
            Ok(_) => DeleteRolePayload { deleted_role_id: Some(id), user_errors: Vec::new() },
            Err(user_errors) => DeleteRolePayload { deleted_role_id: None, user_errors },
        })
    }
}
