//! Inputs of the candidate fields, each parsing itself into the service's validated values.

use async_graphql::{Enum, ID, InputObject, MaybeUndefined};
use chrono::{DateTime, Utc};

use super::super::model::{
    CandidateChanges, Link, NewCandidate, NewCandidateSkill, NewEmployment, Phone, Tag, UsedYear, YearMonth,
    check_employment_count,
};
use super::super::service::{CandidateFilter, CandidateOrderField as ServiceOrderField, SkillAtLeast};
use super::types::CandidateStatus;
use crate::accounts::model::Email;
use crate::auth::SkillScope;
use crate::error::{AppError, AppResult};
use crate::graphql::context::OrderDirection;
use crate::graphql::user_errors::{tri_state, tri_state_optional, tri_state_text};
use crate::skills::service::resolve_for_input;
use crate::values::{ExternalRef, LongText, SearchText, SkillLevel, Text, Years};

/// A skill with a minimum level, for candidate filters.
#[derive(Debug, Clone, InputObject)]
pub struct SkillLevelInput {
    /// Skill name, slug or alias.
    pub skill: String,
    /// Minimum level 1 to 5 (default 1).
    #[graphql(default = 1)]
    pub min_level: i32,
}

/// Filters of `candidates`; every given filter must match.
#[derive(Debug, Clone, Default, InputObject)]
pub struct CandidateFilterInput {
    /// Name, headline or summary contains this text (case and accents ignored).
    pub search: Option<String>,
    /// Has every one of these skills at the level or above.
    pub has_all_skills: Option<Vec<SkillLevelInput>>,
    /// Has at least one of these skills at the level or above.
    pub has_any_skills: Option<Vec<SkillLevelInput>>,
    /// At least this many years of experience.
    pub min_years_experience: Option<i32>,
    /// Location contains this text (case-insensitive).
    pub location: Option<String>,
    /// Exactly this source.
    pub source: Option<String>,
    /// Has every one of these tags.
    pub tags: Option<Vec<String>>,
    /// Any of these statuses.
    pub status: Option<Vec<CandidateStatus>>,
    /// Created at or after this time.
    pub created_since: Option<DateTime<Utc>>,
    /// Changed at or after this time (incremental sync; see `changes` for a feed that misses
    /// nothing).
    pub updated_since: Option<DateTime<Utc>>,
}

/// Sort fields of `candidates`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum CandidateOrderField {
    /// Creation time (the default, newest first).
    CreatedAt,
    /// Last change (use ASC with `updatedSince` for incremental sync).
    UpdatedAt,
    /// Full name, alphabetical.
    FullName,
    /// Years of experience.
    YearsExperience,
}

/// Ordering of `candidates`; ties are broken by id, so paging is stable.
#[derive(Debug, Clone, Copy, InputObject)]
pub struct CandidateOrder {
    /// What to sort by.
    pub field: CandidateOrderField,
    /// Which way.
    #[graphql(default_with = "OrderDirection::Asc")]
    pub direction: OrderDirection,
}

/// A profile link in input.
#[derive(Debug, Clone, InputObject)]
pub struct LinkInput {
    /// What the link is (1 to 50 characters).
    pub label: String,
    /// An http(s) URL.
    pub url: String,
}

/// A candidate's skill in input.
#[derive(Debug, Clone, InputObject)]
pub struct CandidateSkillInput {
    /// Skill name, slug or alias; unknown names are refused with suggestions.
    pub skill: String,
    /// Level 1 to 5.
    pub level: i32,
    /// Years of use, 0 to 60.
    pub years: Option<i32>,
    /// Year last used.
    pub last_used_year: Option<i32>,
}

/// A job of a candidate's work history.
#[derive(Debug, Clone, InputObject)]
pub struct EmploymentInput {
    /// Employer (1 to 200 characters).
    pub company: String,
    /// Job title.
    pub title: Option<String>,
    /// First month worked, `YYYY-MM`.
    pub start_month: String,
    /// Last month worked, `YYYY-MM`, no earlier than `startMonth`; null while the job lasts.
    pub end_month: Option<String>,
    /// What the job was about.
    pub summary: Option<String>,
    /// Accomplishments (up to 50, each up to 1,000 characters).
    #[graphql(default)]
    pub highlights: Vec<String>,
    /// Skills used in the job (names, slugs or aliases; up to 50). A candidate skill given
    /// without `years` takes the years of the jobs that used it, overlapping periods counted once.
    #[graphql(default)]
    pub skills: Vec<String>,
}

impl EmploymentInput {
    /// The skill names of a work history with their field paths, for resolving in one go.
    #[must_use]
    pub fn skill_names(inputs: &[Self], field: &str) -> Vec<(String, String)> {
        inputs
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                e.skills.iter().enumerate().map(move |(k, name)| (name.clone(), format!("{field}.{i}.skills.{k}")))
            })
            .collect()
    }

    /// Checks a work history given at `field` whose skills are already resolved (`skill_ids`,
    /// in the order of [`Self::skill_names`]).
    pub fn parse_all(inputs: &[Self], skill_ids: &[uuid::Uuid], field: &str) -> AppResult<Vec<NewEmployment>> {
        check_employment_count(inputs.len(), field)?;
        let mut ids = skill_ids.iter().copied();
        inputs
            .iter()
            .enumerate()
            .map(|(i, input)| {
                let at = |name: &str| format!("{field}.{i}.{name}");
                let highlights = input
                    .highlights
                    .iter()
                    .enumerate()
                    .map(|(k, h)| Text::parse(h, &format!("{field}.{i}.highlights.{k}")))
                    .collect::<AppResult<_>>()?;
                NewEmployment {
                    company: Text::parse(&input.company, &at("company"))?,
                    title: Text::parse_optional(input.title.as_deref(), &at("title"))?,
                    start: YearMonth::parse(&input.start_month, &at("startMonth"))?,
                    end: input.end_month.as_deref().map(|m| YearMonth::parse(m, &at("endMonth"))).transpose()?,
                    summary: input.summary.as_deref().map(|s| LongText::parse(s, &at("summary"))).transpose()?,
                    highlights,
                    skill_ids: ids.by_ref().take(input.skills.len()).collect(),
                }
                .check(&format!("{field}.{i}"))
            })
            .collect()
    }
}

/// Input of `createCandidate`.
#[derive(Debug, Clone, InputObject)]
pub struct CreateCandidateInput {
    /// Full name (1 to 200 characters).
    pub full_name: String,
    /// Email; unique within the organization.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Where the person lives or works.
    pub location: Option<String>,
    /// One-line headline (up to 300 characters).
    pub headline: Option<String>,
    /// Profile summary.
    pub summary: Option<String>,
    /// Total years of experience, 0 to 60.
    #[graphql(default)]
    pub years_experience: i32,
    /// Current job title.
    pub current_title: Option<String>,
    /// Current employer.
    pub current_company: Option<String>,
    /// Profile links.
    #[graphql(default)]
    pub links: Vec<LinkInput>,
    /// Where the candidate came from.
    pub source: Option<String>,
    /// Source system of an imported candidate.
    pub external_source: Option<String>,
    /// Id in that system (unique per source within the organization).
    pub external_id: Option<String>,
    /// Free-form labels.
    #[graphql(default)]
    pub tags: Vec<String>,
    /// Skills with levels.
    #[graphql(default)]
    pub skills: Vec<CandidateSkillInput>,
}

/// Input of `updateCandidate`: omitted fields stay; `null` clears an optional one.
#[derive(Debug, Clone, InputObject)]
pub struct UpdateCandidateInput {
    /// The candidate.
    pub id: ID,
    /// Refuse the update (CONFLICT) unless the candidate is still at this version.
    pub expected_version: Option<i32>,
    /// New full name.
    pub full_name: Option<String>,
    /// New email.
    pub email: MaybeUndefined<String>,
    /// New phone.
    pub phone: MaybeUndefined<String>,
    /// New location.
    pub location: MaybeUndefined<String>,
    /// New headline.
    pub headline: MaybeUndefined<String>,
    /// New summary.
    pub summary: MaybeUndefined<String>,
    /// New years of experience.
    pub years_experience: Option<i32>,
    /// New job title.
    pub current_title: MaybeUndefined<String>,
    /// New employer.
    pub current_company: MaybeUndefined<String>,
    /// New links (replace all).
    pub links: Option<Vec<LinkInput>>,
    /// New source.
    pub source: MaybeUndefined<String>,
    /// New tags (replace all).
    pub tags: Option<Vec<String>>,
}

/// Input of `setCandidateSkills`.
#[derive(Debug, Clone, InputObject)]
pub struct SetCandidateSkillsInput {
    /// The candidate.
    pub candidate_id: ID,
    /// The complete new set of skills.
    pub skills: Vec<CandidateSkillInput>,
    /// Refuse (CONFLICT) unless the candidate is still at this version.
    pub expected_version: Option<i32>,
}

/// An optional email: blank means none.
fn optional_email(raw: Option<&str>, field: &str) -> AppResult<Option<Email>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(email) => Email::parse(email, field).map(Some),
    }
}

/// An optional phone number: blank means none.
fn optional_phone(raw: Option<&str>, field: &str) -> AppResult<Option<Phone>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(phone) => Phone::parse(phone, field).map(Some),
    }
}

/// Checks skill inputs and resolves their skills; `field` is the input path of the list.
pub async fn parse_skills(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: &[CandidateSkillInput],
    field: &str,
) -> AppResult<Vec<NewCandidateSkill>> {
    check_skill_count(inputs, field)?;
    let skills = resolve_for_input(db, scope, &skill_names(inputs, field)).await?;
    skills_from(inputs, skills, field)
}

fn check_skill_count(inputs: &[CandidateSkillInput], field: &str) -> AppResult<()> {
    if inputs.len() > 200 {
        return Err(AppError::bad_input(field, "at most 200 skills"));
    }
    Ok(())
}

/// The skill names of `inputs` with their field paths, for resolving many lists in one go.
#[must_use]
pub fn skill_names(inputs: &[CandidateSkillInput], field: &str) -> Vec<(String, String)> {
    inputs.iter().enumerate().map(|(i, s)| (s.skill.clone(), format!("{field}.{i}.skill"))).collect()
}

/// Checks skill inputs whose skills are already resolved (`skills`, in input order).
pub fn skills_from(
    inputs: &[CandidateSkillInput],
    skills: Vec<entity::skills::Model>,
    field: &str,
) -> AppResult<Vec<NewCandidateSkill>> {
    check_skill_count(inputs, field)?;
    inputs
        .iter()
        .zip(skills)
        .enumerate()
        .map(|(i, (input, skill))| {
            let at = |name: &str| format!("{field}.{i}.{name}");
            Ok(NewCandidateSkill {
                skill_id: skill.id,
                level: SkillLevel::parse(input.level, &at("level"))?,
                years: input.years.map(|y| Years::parse(y, &at("years"))).transpose()?,
                years_derived: false,
                last_used_year: input.last_used_year.map(|y| UsedYear::parse(y, &at("lastUsedYear"))).transpose()?,
            })
        })
        .collect()
}

fn parse_links(inputs: &[LinkInput], field: &str) -> AppResult<Vec<Link>> {
    if inputs.len() > 20 {
        return Err(AppError::bad_input(field, "at most 20 links"));
    }
    inputs.iter().enumerate().map(|(i, l)| Link::parse(&l.label, &l.url, &format!("{field}.{i}"))).collect()
}

async fn parse_skill_levels(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: Option<Vec<SkillLevelInput>>,
    field: &str,
) -> AppResult<Vec<SkillAtLeast>> {
    let inputs = inputs.unwrap_or_default();
    if inputs.len() > 20 {
        return Err(AppError::bad_input(field, "at most 20 skills"));
    }
    let names: Vec<(String, String)> =
        inputs.iter().enumerate().map(|(i, s)| (s.skill.clone(), format!("{field}.{i}.skill"))).collect();
    let skills = resolve_for_input(db, scope, &names).await?;
    inputs
        .iter()
        .zip(skills)
        .enumerate()
        .map(|(i, (input, skill))| {
            Ok(SkillAtLeast {
                skill_id: skill.id,
                min_level: SkillLevel::parse(input.min_level, &format!("{field}.{i}.minLevel"))?.get(),
            })
        })
        .collect()
}

impl CandidateFilterInput {
    /// The service's filter; skill names resolve within `scope`.
    pub async fn parse(self, db: &impl sea_orm::ConnectionTrait, scope: SkillScope) -> AppResult<CandidateFilter> {
        Ok(CandidateFilter {
            search: self.search.as_deref().map(|s| SearchText::parse(s, "filter.search")).transpose()?,
            has_all_skills: parse_skill_levels(db, scope, self.has_all_skills, "filter.hasAllSkills").await?,
            has_any_skills: parse_skill_levels(db, scope, self.has_any_skills, "filter.hasAnySkills").await?,
            min_years_experience: self
                .min_years_experience
                .map(|y| Years::parse(y, "filter.minYearsExperience").map(Years::get))
                .transpose()?,
            location: self.location.as_deref().map(|s| SearchText::parse(s, "filter.location")).transpose()?,
            source: self.source.map(|s| s.trim().to_owned()),
            tags: Tag::parse_all(&self.tags.unwrap_or_default(), "filter.tags")?
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            statuses: self.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            created_since: self.created_since,
            updated_since: self.updated_since,
        })
    }
}

impl CandidateOrder {
    /// The service's sort field and whether it runs descending (default: newest first).
    #[must_use]
    pub fn parse(order: Option<Self>) -> (ServiceOrderField, bool) {
        let Some(order) = order else { return (ServiceOrderField::CreatedAt, true) };
        let field = match order.field {
            CandidateOrderField::CreatedAt => ServiceOrderField::CreatedAt,
            CandidateOrderField::UpdatedAt => ServiceOrderField::UpdatedAt,
            CandidateOrderField::FullName => ServiceOrderField::FullName,
            CandidateOrderField::YearsExperience => ServiceOrderField::YearsExperience,
        };
        (field, order.direction == OrderDirection::Desc)
    }
}

impl CreateCandidateInput {
    /// The new candidate, with its skills resolved within `scope`.
    pub async fn parse(&self, db: &impl sea_orm::ConnectionTrait, scope: SkillScope) -> AppResult<NewCandidate> {
        let mut candidate = self.parse_at("input", Vec::new())?;
        candidate.skills = parse_skills(db, scope, &self.skills, "input.skills").await?;
        Ok(candidate)
    }

    /// The new candidate given at input path `at` (`input`, or `input.3` in a batch), with its
    /// already checked `skills`.
    pub fn parse_at(&self, at: &str, skills: Vec<NewCandidateSkill>) -> AppResult<NewCandidate> {
        let field = |name: &str| format!("{at}.{name}");
        Ok(NewCandidate {
            full_name: Text::parse(&self.full_name, &field("fullName"))?,
            email: optional_email(self.email.as_deref(), &field("email"))?,
            phone: optional_phone(self.phone.as_deref(), &field("phone"))?,
            location: Text::parse_optional(self.location.as_deref(), &field("location"))?,
            headline: Text::parse_optional(self.headline.as_deref(), &field("headline"))?,
            summary: self.summary.as_deref().map(|s| LongText::parse(s, &field("summary"))).transpose()?,
            years_experience: Years::parse(self.years_experience, &field("yearsExperience"))?,
            years_experience_derived: false,
            current_title: Text::parse_optional(self.current_title.as_deref(), &field("currentTitle"))?,
            current_company: Text::parse_optional(self.current_company.as_deref(), &field("currentCompany"))?,
            links: parse_links(&self.links, &field("links"))?,
            source: Text::parse_optional(self.source.as_deref(), &field("source"))?,
            external: ExternalRef::parse(
                self.external_source.as_deref(),
                self.external_id.as_deref(),
                &field("externalSource"),
                &field("externalId"),
            )?,
            tags: Tag::parse_all(&self.tags, &field("tags"))?,
            skills,
        })
    }
}

impl UpdateCandidateInput {
    /// The requested changes; an input that changes nothing is refused.
    pub fn changes(self) -> AppResult<CandidateChanges> {
        let changes = CandidateChanges {
            full_name: self.full_name.as_deref().map(|n| Text::parse(n, "input.fullName")).transpose()?,
            email: tri_state_optional(self.email, |e| optional_email(Some(&e), "input.email"))?,
            phone: tri_state_optional(self.phone, |p| optional_phone(Some(&p), "input.phone"))?,
            location: tri_state_text(self.location, "input.location")?,
            headline: tri_state_text(self.headline, "input.headline")?,
            summary: tri_state(self.summary, |t| LongText::parse(&t, "input.summary"))?,
            years_experience: self.years_experience.map(|y| Years::parse(y, "input.yearsExperience")).transpose()?,
            current_title: tri_state_text(self.current_title, "input.currentTitle")?,
            current_company: tri_state_text(self.current_company, "input.currentCompany")?,
            links: self.links.as_deref().map(|l| parse_links(l, "input.links")).transpose()?,
            source: tri_state_text(self.source, "input.source")?,
            tags: self.tags.as_deref().map(|t| Tag::parse_all(t, "input.tags")).transpose()?,
        };
        if changes.is_empty() {
            return Err(AppError::bad_input("input", "nothing to change"));
        }
        Ok(changes)
    }
}
