//! Inputs of the role fields, each parsing itself into the service's validated values.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};
use uuid::Uuid;

use super::super::model::{Headcount, NewRequirement, NewRole, RoleChanges, SalaryRange, Weight, may_start_as};
use super::super::service::{RequirementChanges, RoleFilter, RoleOrderField as ServiceOrderField};
use super::types::{EmploymentType, Importance, RoleStatus, Seniority, Workplace};
use crate::auth::SkillScope;
use crate::error::{AppError, AppResult};
use crate::graphql::context::OrderDirection;
use crate::graphql::user_errors::{tri_state, tri_state_text};
use crate::skills::service::resolve_for_input;
use crate::values::{ExternalRef, LongText, SearchText, SkillLevel, Text, Years};

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
    /// Changed at or after this time (incremental sync; see `changes` for a feed that misses
    /// nothing).
    pub updated_since: Option<chrono::DateTime<chrono::Utc>>,
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
    /// Last moment applications are taken (a job posting's `validThrough`); after it the
    /// public posting answers 410.
    pub valid_through: Option<DateTime<Utc>>,
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
    /// New end of applications; `null` takes applications until the role closes.
    pub valid_through: MaybeUndefined<DateTime<Utc>>,
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

impl RoleFilterInput {
    /// The service's filter; skill names resolve within `scope` (unknown ones are refused
    /// with suggestions).
    pub async fn parse(self, db: &impl sea_orm::ConnectionTrait, scope: SkillScope) -> AppResult<RoleFilter> {
        let requires = self.requires_skills.unwrap_or_default();
        if requires.len() > 20 {
            return Err(AppError::bad_input("filter.requiresSkills", "at most 20 skills"));
        }
        let names: Vec<(String, String)> =
            requires.into_iter().enumerate().map(|(i, n)| (n, format!("filter.requiresSkills.{i}"))).collect();
        Ok(RoleFilter {
            statuses: self.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            search: self.search.as_deref().map(|s| SearchText::parse(s, "filter.search")).transpose()?,
            department: self.department.map(|d| d.trim().to_owned()),
            location: self.location.as_deref().map(|s| SearchText::parse(s, "filter.location")).transpose()?,
            workplaces: self.workplace.unwrap_or_default().into_iter().map(Into::into).collect(),
            seniorities: self.seniority.unwrap_or_default().into_iter().map(Into::into).collect(),
            requires_skills: resolve_for_input(db, scope, &names).await?.into_iter().map(|s| s.id).collect(),
            updated_since: self.updated_since,
        })
    }
}

impl RoleOrder {
    /// The service's sort field and whether it runs descending (default: newest first).
    #[must_use]
    pub fn parse(order: Option<Self>) -> (ServiceOrderField, bool) {
        let Some(order) = order else { return (ServiceOrderField::CreatedAt, true) };
        let field = match order.field {
            RoleOrderField::CreatedAt => ServiceOrderField::CreatedAt,
            RoleOrderField::UpdatedAt => ServiceOrderField::UpdatedAt,
            RoleOrderField::Title => ServiceOrderField::Title,
        };
        (field, order.direction == OrderDirection::Desc)
    }
}

/// Checks requirement inputs and resolves their skills; `field` is the input path of the list.
pub async fn parse_requirements(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: &[SkillRequirementInput],
    field: &str,
) -> AppResult<Vec<NewRequirement>> {
    check_requirement_count(inputs, field)?;
    let skills = resolve_for_input(db, scope, &requirement_names(inputs, field)).await?;
    requirements_from(inputs, skills, field)
}

fn check_requirement_count(inputs: &[SkillRequirementInput], field: &str) -> AppResult<()> {
    if inputs.len() > 100 {
        return Err(AppError::bad_input(field, "a role has at most 100 requirements"));
    }
    Ok(())
}

/// The skill names of `inputs` with their field paths, for resolving many lists in one go.
#[must_use]
pub fn requirement_names(inputs: &[SkillRequirementInput], field: &str) -> Vec<(String, String)> {
    inputs.iter().enumerate().map(|(i, r)| (r.skill.clone(), format!("{field}.{i}.skill"))).collect()
}

/// Checks requirement inputs whose skills are already resolved (`skills`, in input order).
pub fn requirements_from(
    inputs: &[SkillRequirementInput],
    skills: Vec<entity::skills::Model>,
    field: &str,
) -> AppResult<Vec<NewRequirement>> {
    check_requirement_count(inputs, field)?;
    inputs
        .iter()
        .zip(skills)
        .enumerate()
        .map(|(i, (input, skill))| input.parse(skill.id, &format!("{field}.{i}")))
        .collect()
}

impl SkillRequirementInput {
    /// The requirement, for the already resolved `skill_id`; `field` is its input path.
    pub fn parse(&self, skill_id: Uuid, field: &str) -> AppResult<NewRequirement> {
        Ok(NewRequirement {
            skill_id,
            importance: self.importance.into(),
            min_level: SkillLevel::parse(self.min_level, &format!("{field}.minLevel"))?,
            min_years: self.min_years.map(|y| Years::parse(y, &format!("{field}.minYears"))).transpose()?,
            weight: self.weight.map(|w| Weight::parse(w, &format!("{field}.weight"))).transpose()?,
            alternatives_group: Text::parse_optional(
                self.alternatives_group.as_deref(),
                &format!("{field}.alternativesGroup"),
            )?,
        })
    }

    /// This one requirement with its skill resolved; `field` is its input path.
    pub async fn parse_one(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        scope: SkillScope,
        field: &str,
    ) -> AppResult<NewRequirement> {
        let names = [(self.skill.clone(), format!("{field}.skill"))];
        let skill = resolve_for_input(db, scope, &names).await?.into_iter().next();
        let skill = skill.ok_or_else(|| AppError::bad_input(&format!("{field}.skill"), "unknown skill"))?;
        self.parse(skill.id, field)
    }
}

impl SalaryInput {
    fn parse(&self, field: &str) -> AppResult<SalaryRange> {
        SalaryRange::parse(self.min, self.max, &self.currency, field)
    }
}

impl CreateRoleInput {
    /// The new role, with its requirements' skills resolved within `scope`.
    pub async fn parse(&self, db: &impl sea_orm::ConnectionTrait, scope: SkillScope) -> AppResult<NewRole> {
        let mut role = self.parse_at("input", Vec::new())?;
        role.requirements = parse_requirements(db, scope, &self.requirements, "input.requirements").await?;
        Ok(role)
    }

    /// The new role given at input path `at` (`input`, or `input.3` in a batch), with its
    /// already checked `requirements`.
    pub fn parse_at(&self, at: &str, requirements: Vec<NewRequirement>) -> AppResult<NewRole> {
        let field = |name: &str| format!("{at}.{name}");
        let status: entity::RoleStatus = self.status.into();
        if !may_start_as(status) {
            return Err(AppError::bad_input(&field("status"), "a new role is DRAFT or OPEN"));
        }
        Ok(NewRole {
            title: Text::parse(&self.title, &field("title"))?,
            description: LongText::parse(&self.description, &field("description"))?,
            department: Text::parse_optional(self.department.as_deref(), &field("department"))?,
            location: Text::parse_optional(self.location.as_deref(), &field("location"))?,
            workplace: self.workplace.into(),
            employment_type: self.employment_type.into(),
            seniority: self.seniority.into(),
            min_years_experience: Years::parse(self.min_years_experience, &field("minYearsExperience"))?,
            status,
            headcount: Headcount::parse(self.headcount, &field("headcount"))?,
            salary: self.salary.as_ref().map(|s| s.parse(&field("salary"))).transpose()?,
            external: ExternalRef::parse(
                self.external_source.as_deref(),
                self.external_id.as_deref(),
                &field("externalSource"),
                &field("externalId"),
            )?,
            requirements,
            valid_through: self.valid_through,
        })
    }
}

impl UpdateRoleInput {
    /// The requested changes; an input that changes nothing is refused.
    pub fn changes(self) -> AppResult<RoleChanges> {
        let changes = RoleChanges {
            title: self.title.as_deref().map(|t| Text::parse(t, "input.title")).transpose()?,
            description: self.description.as_deref().map(|d| LongText::parse(d, "input.description")).transpose()?,
            department: tri_state_text(self.department, "input.department")?,
            location: tri_state_text(self.location, "input.location")?,
            workplace: self.workplace.map(Into::into),
            employment_type: self.employment_type.map(Into::into),
            seniority: self.seniority.map(Into::into),
            min_years_experience: self
                .min_years_experience
                .map(|y| Years::parse(y, "input.minYearsExperience"))
                .transpose()?,
            headcount: self.headcount.map(|h| Headcount::parse(h, "input.headcount")).transpose()?,
            salary: tri_state(self.salary, |s| s.parse("input.salary"))?,
            valid_through: tri_state(self.valid_through, Ok)?,
        };
        if changes.is_empty() {
            return Err(AppError::bad_input("input", "nothing to change"));
        }
        Ok(changes)
    }
}

impl UpdateSkillRequirementInput {
    /// The requested changes.
    pub fn changes(self) -> AppResult<RequirementChanges> {
        Ok(RequirementChanges {
            importance: self.importance.map(Into::into),
            min_level: self.min_level.map(|l| SkillLevel::parse(l, "input.minLevel")).transpose()?,
            min_years: tri_state(self.min_years, |y| Years::parse(y, "input.minYears"))?,
            weight: tri_state(self.weight, |w| Weight::parse(w, "input.weight"))?,
            alternatives_group: tri_state_text(self.alternatives_group, "input.alternativesGroup")?,
        })
    }
}
