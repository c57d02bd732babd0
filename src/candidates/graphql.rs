//! GraphQL face of candidates: `Candidate`, `CandidateSkill`, the `candidates` / `candidate`
//! queries, the candidate mutations and the data-protection export.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Json, MaybeUndefined, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{candidate_skills, candidates};
use uuid::Uuid;

use super::loaders::CandidateSkillsLoader;
use super::loaders::CandidateTagsLoader;
use super::model::{CandidateChanges, Link, NewCandidate, NewCandidateSkill, Phone, Tag, UsedYear};
use super::service::{self, CandidateCursor, CandidateFilter, CandidateOrderField as ServiceOrderField, SkillAtLeast};
use crate::accounts::model::Email;
use crate::auth::SkillScope;
use crate::auth::permissions::{Permission, Require};
use crate::error::{AppError, AppResult};
use crate::graphql::context::{OrderDirection, RequestContext, loader, tenant_loader, viewer, wants_total_count};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, permitted, row_id};
use crate::graphql::user_errors::{UserError, refusals};
use crate::pagination::{PageArgs, encode_cursor};
use crate::pipeline::loaders::ApplicationsByCandidateLoader;
use crate::skills::graphql::Skill;
use crate::skills::loaders::SkillLoader;
use crate::skills::service::resolve_for_input;
use crate::values::{ExternalRef, LongText, SearchText, SkillLevel, Text, Years};

/// Whether a candidate is in the active pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::CandidateStatus")]
pub enum CandidateStatus {
    /// In the pool.
    Active,
    /// Kept for history, out of the active pool.
    Archived,
}

/// A web link on a profile.
#[derive(Debug, Clone, SimpleObject, serde::Deserialize)]
pub struct ProfileLink {
    /// What the link is ("GitHub").
    pub label: String,
    /// The URL.
    pub url: String,
}

/// Stored links that no longer parse: resolving `links` fails as INTERNAL (logged), the rest of
/// the candidate still reads.
#[derive(Debug, Clone)]
pub struct CorruptLinks {
    candidate_id: Uuid,
    cause: String,
}

impl From<CorruptLinks> for async_graphql::Error {
    fn from(corrupt: CorruptLinks) -> Self {
        AppError::Internal(anyhow::anyhow!("candidate {} holds invalid links: {}", corrupt.candidate_id, corrupt.cause))
            .into()
    }
}

/// A person in the organization's talent pool.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Candidate {
    /// Global id.
    pub id: ID,
    /// Full name.
    pub full_name: String,
    /// Email (lower-case); unique within the organization.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Where the person lives or works.
    pub location: Option<String>,
    /// One-line profile headline.
    pub headline: Option<String>,
    /// Profile summary.
    pub summary: Option<String>,
    /// Total years of professional experience.
    pub years_experience: i32,
    /// Current job title.
    pub current_title: Option<String>,
    /// Current employer.
    pub current_company: Option<String>,
    /// Profile links.
    pub links: Result<Vec<ProfileLink>, CorruptLinks>,
    /// Where the candidate came from ("Referral").
    pub source: Option<String>,
    /// Source system of an imported candidate.
    pub external_source: Option<String>,
    /// Id of the candidate in that system.
    pub external_id: Option<String>,
    /// Active or archived.
    pub status: CandidateStatus,
    /// When created.
    pub created_at: DateTime<Utc>,
    /// When last changed (for incremental sync).
    pub updated_at: DateTime<Utc>,
    /// Increases on every change; pass it as `expectedVersion` to refuse stale updates.
    pub version: i32,
    #[graphql(skip)]
    pub candidate_id: Uuid,
}

impl From<candidates::Model> for Candidate {
    fn from(row: candidates::Model) -> Self {
        Self {
            id: ids::encode("Candidate", row.id),
            full_name: row.full_name,
            email: row.email,
            phone: row.phone,
            location: row.location,
            headline: row.headline,
            summary: row.summary,
            years_experience: row.years_experience,
            current_title: row.current_title,
            current_company: row.current_company,
            links: serde_json::from_value(row.links)
                .map_err(|error| CorruptLinks { candidate_id: row.id, cause: error.to_string() }),
            source: row.source,
            external_source: row.external_source,
            external_id: row.external_id,
            status: row.status.into(),
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
            candidate_id: row.id,
        }
    }
}

#[ComplexObject]
impl Candidate {
    /// The candidate's skills, highest level first.
    async fn skills(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CandidateSkill>> {
        let rows = tenant_loader::<CandidateSkillsLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(CandidateSkill::from).collect())
    }

    /// Free-form labels, alphabetical.
    async fn tags(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(tenant_loader::<CandidateTagsLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default())
    }

    /// The roles this candidate is in the pipeline of, oldest first.
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<Vec<crate::pipeline::graphql::Application>> {
        let rows =
            tenant_loader::<ApplicationsByCandidateLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Into::into).collect())
    }
}

/// A skill a candidate has.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct CandidateSkill {
    /// Global id.
    pub id: ID,
    /// Level from 1 (basic) to 5 (expert).
    pub level: i32,
    /// Years of use.
    pub years: Option<i32>,
    /// The year the skill was last used.
    pub last_used_year: Option<i32>,
    #[graphql(skip)]
    pub skill_id: Uuid,
}

impl From<candidate_skills::Model> for CandidateSkill {
    fn from(row: candidate_skills::Model) -> Self {
        Self {
            id: ids::encode_pair("CandidateSkill", row.candidate_id, row.skill_id),
            level: i32::from(row.level),
            years: row.years,
            last_used_year: row.last_used_year,
            skill_id: row.skill_id,
        }
    }
}

#[ComplexObject]
impl CandidateSkill {
    /// The skill.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Skill> {
        let skill = loader::<SkillLoader>(ctx)?.load_one(self.skill_id).await?;
        Ok(skill.map(Skill::from).ok_or(AppError::NotFound("Skill"))?)
    }
}

crate::connection_type!(CandidateConnection, CandidateEdge, Candidate);

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
    /// Changed at or after this time (incremental sync).
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

/// Result of a candidate mutation.
#[derive(Debug, Clone, SimpleObject)]
pub struct CandidatePayload {
    /// The candidate after the change (null when refused).
    pub candidate: Option<Candidate>,
    /// Why the input was refused.
    pub user_errors: Vec<UserError>,
}

impl CandidatePayload {
    fn from_outcome(outcome: AppResult<candidates::Model>) -> async_graphql::Result<Self> {
        Ok(match refusals(outcome)? {
            Ok(candidate) => Self { candidate: Some(candidate.into()), user_errors: Vec::new() },
            Err(user_errors) => Self { candidate: None, user_errors },
        })
    }
}

/// Result of `eraseCandidate`.
#[derive(Debug, Clone, SimpleObject)]
pub struct EraseCandidatePayload {
    /// Id of the erased candidate (the anonymous placeholder keeps it).
    pub erased_candidate_id: Option<ID>,
    /// Why the input was refused.
    pub user_errors: Vec<UserError>,
}

async fn parse_skills(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: &[CandidateSkillInput],
    field: &str,
) -> AppResult<Vec<NewCandidateSkill>> {
    if inputs.len() > 200 {
        return Err(AppError::bad_input(field, "at most 200 skills"));
    }
    let names: Vec<(String, String)> =
        inputs.iter().enumerate().map(|(i, s)| (s.skill.clone(), format!("{field}.{i}.skill"))).collect();
    let skills = resolve_for_input(db, scope, &names).await?;
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

async fn parse_new_candidate(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    input: &CreateCandidateInput,
) -> AppResult<NewCandidate> {
    let email = match input.email.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(email) => Some(Email::parse(email, "input.email")?),
    };
    let phone = match input.phone.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(phone) => Some(Phone::parse(phone, "input.phone")?),
    };
    Ok(NewCandidate {
        full_name: Text::parse(&input.full_name, "input.fullName")?,
        email,
        phone,
        location: Text::parse_optional(input.location.as_deref(), "input.location")?,
        headline: Text::parse_optional(input.headline.as_deref(), "input.headline")?,
        summary: input.summary.as_deref().map(|s| LongText::parse(s, "input.summary")).transpose()?,
        years_experience: Years::parse(input.years_experience, "input.yearsExperience")?,
        current_title: Text::parse_optional(input.current_title.as_deref(), "input.currentTitle")?,
        current_company: Text::parse_optional(input.current_company.as_deref(), "input.currentCompany")?,
        links: parse_links(&input.links, "input.links")?,
        source: Text::parse_optional(input.source.as_deref(), "input.source")?,
        external: ExternalRef::parse(
            input.external_source.as_deref(),
            input.external_id.as_deref(),
            "input.externalSource",
            "input.externalId",
        )?,
        tags: Tag::parse_all(&input.tags, "input.tags")?,
        skills: parse_skills(db, scope, &input.skills, "input.skills").await?,
    })
}

#[allow(clippy::option_option, reason = "absent, cleared and set are three different requests")]
fn optional<T>(
    value: &MaybeUndefined<String>,
    parse: impl Fn(&str) -> AppResult<Option<T>>,
) -> AppResult<Option<Option<T>>> {
    match value {
        MaybeUndefined::Undefined => Ok(None),
        MaybeUndefined::Null => Ok(Some(None)),
        MaybeUndefined::Value(text) => parse(text).map(Some),
    }
}

fn parse_changes(input: &UpdateCandidateInput) -> AppResult<CandidateChanges> {
    let changes = CandidateChanges {
        full_name: input.full_name.as_deref().map(|n| Text::parse(n, "input.fullName")).transpose()?,
        email: optional(&input.email, |e| {
            if e.trim().is_empty() { Ok(None) } else { Email::parse(e, "input.email").map(Some) }
        })?,
        phone: optional(&input.phone, |p| {
            if p.trim().is_empty() { Ok(None) } else { Phone::parse(p, "input.phone").map(Some) }
        })?,
        location: optional(&input.location, |t| Text::parse_optional(Some(t), "input.location"))?,
        headline: optional(&input.headline, |t| Text::parse_optional(Some(t), "input.headline"))?,
        summary: optional(&input.summary, |t| LongText::parse(t, "input.summary").map(Some))?,
        years_experience: input.years_experience.map(|y| Years::parse(y, "input.yearsExperience")).transpose()?,
        current_title: optional(&input.current_title, |t| Text::parse_optional(Some(t), "input.currentTitle"))?,
        current_company: optional(&input.current_company, |t| Text::parse_optional(Some(t), "input.currentCompany"))?,
        links: input.links.as_deref().map(|l| parse_links(l, "input.links")).transpose()?,
        source: optional(&input.source, |t| Text::parse_optional(Some(t), "input.source"))?,
        tags: input.tags.as_deref().map(|t| Tag::parse_all(t, "input.tags")).transpose()?,
    };
    let nothing = changes.full_name.is_none()
        && changes.email.is_none()
        && changes.phone.is_none()
        && changes.location.is_none()
        && changes.headline.is_none()
        && changes.summary.is_none()
        && changes.years_experience.is_none()
        && changes.current_title.is_none()
        && changes.current_company.is_none()
        && changes.links.is_none()
        && changes.source.is_none()
        && changes.tags.is_none();
    if nothing {
        return Err(AppError::bad_input("input", "nothing to change"));
    }
    Ok(changes)
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

/// Queries over candidates.
#[derive(Default)]
pub struct CandidateQuery;

#[Object]
impl CandidateQuery {
    /// The organization's candidates; newest first unless `orderBy` says otherwise.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Filters; all given ones must match.")] filter: Option<CandidateFilterInput>,
        #[graphql(desc = "Sort order (default: CREATED_AT, DESC).")] order_by: Option<CandidateOrder>,
    ) -> async_graphql::Result<CandidateConnection> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let args = PageArgs::<CandidateCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let input = filter.unwrap_or_default();
        let filter = CandidateFilter {
            search: input.search.as_deref().map(|s| SearchText::parse(s, "filter.search")).transpose()?,
            has_all_skills: parse_skill_levels(
                &request.db,
                request.skill_scope,
                input.has_all_skills,
                "filter.hasAllSkills",
            )
            .await?,
            has_any_skills: parse_skill_levels(
                &request.db,
                request.skill_scope,
                input.has_any_skills,
                "filter.hasAnySkills",
            )
            .await?,
            min_years_experience: input
                .min_years_experience
                .map(|y| Years::parse(y, "filter.minYearsExperience").map(Years::get))
                .transpose()?,
            location: input.location.as_deref().map(|s| SearchText::parse(s, "filter.location")).transpose()?,
            source: input.source.map(|s| s.trim().to_owned()),
            tags: Tag::parse_all(&input.tags.unwrap_or_default(), "filter.tags")?
                .iter()
                .map(|t| t.as_str().to_owned())
                .collect(),
            statuses: input.status.unwrap_or_default().into_iter().map(Into::into).collect(),
            created_since: input.created_since,
            updated_since: input.updated_since,
        };
        let (field, descending) = match order_by {
            None => (ServiceOrderField::CreatedAt, true),
            Some(order) => (
                match order.field {
                    CandidateOrderField::CreatedAt => ServiceOrderField::CreatedAt,
                    CandidateOrderField::UpdatedAt => ServiceOrderField::UpdatedAt,
                    CandidateOrderField::FullName => ServiceOrderField::FullName,
                    CandidateOrderField::YearsExperience => ServiceOrderField::YearsExperience,
                },
                order.direction == OrderDirection::Desc,
            ),
        };
        let page = service::list(&request.db, tenant, &filter, field, descending, args).await?;
        let total =
            if wants_total_count(ctx) { Some(service::count(&request.db, tenant, &filter).await?) } else { None };
        Ok(CandidateConnection::from_page(
            page,
            total,
            |c| encode_cursor(&CandidateCursor::of(c, field)),
            Candidate::from,
        ))
    }

    /// One candidate by id, or null if the organization has no such candidate.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Candidate>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let Ok(id) = ids::decode("Candidate", &id) else { return Ok(None) };
        Ok(service::get(&request.db, tenant, id).await?.map(Candidate::from))
    }

    /// Everything held about a candidate, as one JSON document (data-protection access
    /// request). It includes pipelines, so it needs both candidate and pipeline read access.
    #[graphql(guard = "Require(Permission::ReadCandidates).and(Require(Permission::ReadApplications))")]
    async fn export_candidate_data(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Json<serde_json::Value>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let row_id = ids::decode("Candidate", &id)?;
        let mut export = service::export(&request.db, tenant, row_id).await?;
        // The service knows rows; the API names them by global id.
        if let Some(candidate) = export.get_mut("candidate").and_then(serde_json::Value::as_object_mut) {
            candidate.insert("id".to_owned(), serde_json::Value::String(ids::encode("Candidate", row_id).0));
        }
        Ok(Json(export))
    }
}

/// Mutations of candidates.
#[derive(Default)]
pub struct CandidateMutation;

#[Object]
impl CandidateMutation {
    /// Adds a candidate with skills and tags in one transaction.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn create_candidate(
        &self,
        ctx: &Context<'_>,
        input: CreateCandidateInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let outcome = match parse_new_candidate(&request.db, request.skill_scope, &input).await {
            Ok(candidate) => service::create(&request.db, viewer, candidate).await,
            Err(error) => Err(error),
        };
        CandidatePayload::from_outcome(outcome)
    }

    /// Changes the given fields of a candidate; with `expectedVersion`, a stale update is
    /// refused.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn update_candidate(
        &self,
        ctx: &Context<'_>,
        input: UpdateCandidateInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Candidate", &input.id)?;
        let outcome = match parse_changes(&input) {
            Ok(changes) => service::update(&request.db, viewer, id, changes, input.expected_version).await,
            Err(error) => Err(error),
        };
        CandidatePayload::from_outcome(outcome)
    }

    /// Replaces all skills of a candidate at once.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn set_candidate_skills(
        &self,
        ctx: &Context<'_>,
        input: SetCandidateSkillsInput,
    ) -> async_graphql::Result<CandidatePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Candidate", &input.candidate_id)?;
        if service::get(&request.db, viewer.tenant(), id).await?.is_none() {
            return Err(AppError::NotFound("Candidate").into());
        }
        let outcome = match parse_skills(&request.db, request.skill_scope, &input.skills, "input.skills").await {
            Ok(skills) => service::set_skills(&request.db, viewer, id, &skills, input.expected_version).await,
            Err(error) => Err(error),
        };
        CandidatePayload::from_outcome(outcome)
    }

    /// Moves a candidate out of the active pool (kept for history).
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn archive_candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<CandidatePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let id = ids::decode("Candidate", &id)?;
        CandidatePayload::from_outcome(service::archive(&request.db, viewer, id).await)
    }

    /// Erases a person's data irreversibly (data-protection request). An anonymous placeholder
    /// keeps pipeline counts right; skills, tags, notes and personal fields are gone.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn erase_candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<EraseCandidatePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let uuid = ids::decode("Candidate", &id)?;
        service::erase(&request.db, viewer, uuid).await?;
        Ok(EraseCandidatePayload { erased_candidate_id: Some(id), user_errors: Vec::new() })
    }
}

impl NodeType for Candidate {
    const KIND: &'static str = "Candidate";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> AppResult<Option<Self>> {
        let (Some((request, tenant)), Some(uuid)) = (permitted(ctx, Permission::ReadCandidates)?, row_id::<Self>(id))
        else {
            return Ok(None);
        };
        Ok(service::get(&request.db, tenant, uuid).await?.map(Self::from))
    }
}

impl NodeType for CandidateSkill {
    const KIND: &'static str = "CandidateSkill";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> AppResult<Option<Self>> {
        let (Some((request, tenant)), Some((candidate, skill))) =
            (permitted(ctx, Permission::ReadCandidates)?, ids::decode_pair(Self::KIND, id))
        else {
            return Ok(None);
        };
        let mut skills = service::skills_of(&request.db, tenant, &[candidate]).await?;
        let found = skills.remove(&candidate).and_then(|all| all.into_iter().find(|s| s.skill_id == skill));
        Ok(found.map(Self::from))
    }
}
