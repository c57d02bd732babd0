//! Output types of candidates: `Candidate`, `CandidateSkill`, their connection, node lookups
//! and the mutation payloads.

use async_graphql::{ComplexObject, Context, Enum, ID, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{candidate_skills, candidates};
use uuid::Uuid;

use super::super::loaders::{CandidateEmploymentsLoader, CandidateLoader, CandidateSkillsLoader, CandidateTagsLoader};
use super::super::service;
use crate::auth::permissions::{Permission, Require};
use crate::error::AppError;
use crate::graphql::context::{loader, tenant_loader};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, load_node, permitted};
use crate::pipeline::loaders::ApplicationsByCandidateLoader;
use crate::skills::graphql::{Skill, selected_skills};
use crate::skills::loaders::SkillLoader;

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
    /// The organization's OPEN roles ranked for this candidate, explained (as `matchRoles`).
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    async fn matching_roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Filters: `minScore`, `onlyFullyQualified`.")] filter: Option<
            crate::matching::graphql::MatchFilterInput,
        >,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
    ) -> async_graphql::Result<crate::matching::graphql::RoleMatchConnection> {
        crate::matching::graphql::roles_for_candidate(ctx, self.candidate_id, filter, first, after).await
    }

    /// The candidate's skills, highest level first.
    async fn skills(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<CandidateSkill>> {
        let rows = tenant_loader::<CandidateSkillsLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default();
        let ids: Vec<Uuid> = rows.iter().map(|row| row.skill_id).collect();
        let skills = selected_skills(ctx, &ids).await?;
        Ok(rows
            .into_iter()
            .zip(skills)
            .map(|(row, skill)| CandidateSkill { skill, ..CandidateSkill::from(row) })
            .collect())
    }

    /// The work history, in the candidate's order (as last written by `upsertCandidates` or
    /// `importJsonResume`).
    async fn employments(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Employment>> {
        let rows =
            tenant_loader::<CandidateEmploymentsLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(Employment::from).collect())
    }

    /// The candidate as a JSON Resume document (https://jsonresume.org/schema), valid against
    /// the published schema, with basics (name, headline as label, email, phone, summary, location
    /// as `city`, links as profiles), the work history as `work` (the skills each job used as
    /// its `keywords`) and the skills with their level as a word (see `importJsonResume`).
    /// Importing it again answers UNCHANGED, whichever way the candidate was created.
    async fn json_resume(&self, ctx: &Context<'_>) -> async_graphql::Result<async_graphql::Json<serde_json::Value>> {
        let candidate = tenant_loader::<CandidateLoader>(ctx)?
            .load_one(self.candidate_id)
            .await?
            .ok_or(AppError::NotFound("Candidate"))?;
        let rows = tenant_loader::<CandidateSkillsLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default();
        let employments =
            tenant_loader::<CandidateEmploymentsLoader>(ctx)?.load_one(self.candidate_id).await?.unwrap_or_default();
        let used = employments.iter().flat_map(crate::candidates::service::employment_skill_ids);
        let names = loader::<SkillLoader>(ctx)?.load_many(rows.iter().map(|row| row.skill_id).chain(used)).await?;
        let skills = rows.iter().filter_map(|row| Some((names.get(&row.skill_id)?.name.clone(), row.level))).collect();
        let skill_names = names.into_iter().map(|(id, skill)| (id, skill.name.clone())).collect();
        let export = crate::sync::jsonresume::ResumeExport {
            candidate: &candidate,
            skills,
            skill_names: &skill_names,
            employments: &employments,
        };
        Ok(async_graphql::Json(crate::sync::jsonresume::write(&export)))
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

/// A job of a candidate's work history.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Employment {
    /// Employer.
    pub company: String,
    /// Job title.
    pub title: Option<String>,
    /// First month worked, `YYYY-MM`.
    pub start_month: String,
    /// Last month worked, `YYYY-MM`; null while the job lasts.
    pub end_month: Option<String>,
    /// What the job was about.
    pub summary: Option<String>,
    /// Accomplishments.
    pub highlights: Vec<String>,
    #[graphql(skip)]
    pub skill_ids: Vec<Uuid>,
}

impl From<entity::candidate_employments::Model> for Employment {
    fn from(row: entity::candidate_employments::Model) -> Self {
        Self {
            highlights: service::employment_highlights(&row),
            skill_ids: service::employment_skill_ids(&row),
            company: row.company,
            title: row.title,
            start_month: row.start_month,
            end_month: row.end_month,
            summary: row.summary,
        }
    }
}

#[ComplexObject]
impl Employment {
    /// Whether the job lasts (no `endMonth`).
    async fn current(&self) -> bool {
        self.end_month.is_none()
    }

    /// The skills used in the job, in the order given.
    async fn skills(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        let found = loader::<SkillLoader>(ctx)?.load_many(self.skill_ids.iter().copied()).await?;
        Ok(self.skill_ids.iter().filter_map(|id| found.get(id).cloned().map(Skill::from)).collect())
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
    /// The skill, when the parent loaded it with its siblings'.
    #[graphql(skip)]
    pub skill: Option<Skill>,
}

impl From<candidate_skills::Model> for CandidateSkill {
    fn from(row: candidate_skills::Model) -> Self {
        Self {
            id: ids::encode_pair("CandidateSkill", row.candidate_id, row.skill_id),
            level: i32::from(row.level),
            years: row.years,
            last_used_year: row.last_used_year,
            skill_id: row.skill_id,
            skill: None,
        }
    }
}

#[ComplexObject]
impl CandidateSkill {
    /// The skill.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Skill> {
        if let Some(skill) = &self.skill {
            return Ok(skill.clone());
        }
        let skill = loader::<SkillLoader>(ctx)?.load_one(self.skill_id).await?;
        Ok(skill.map(Skill::from).ok_or(AppError::NotFound("Skill"))?)
    }
}

crate::connection_type!(CandidateConnection, CandidateEdge, Candidate);

crate::payload!(
    /// Result of `createCandidate`.
    CreateCandidatePayload,
    /// The new candidate (null when refused).
    candidate: Candidate
);

crate::payload!(
    /// Result of `updateCandidate`.
    UpdateCandidatePayload,
    /// The candidate after the change (null when refused).
    candidate: Candidate
);

crate::payload!(
    /// Result of `setCandidateSkills`.
    SetCandidateSkillsPayload,
    /// The candidate with its new skills (null when refused).
    candidate: Candidate
);

crate::payload!(
    /// Result of `archiveCandidate`.
    ArchiveCandidatePayload,
    /// The archived candidate (null when refused).
    candidate: Candidate
);

crate::payload!(
    /// Result of `eraseCandidate`.
    EraseCandidatePayload,
    /// Id of the erased candidate (the anonymous placeholder keeps it).
    erased_candidate_id: ID
);

impl NodeType for Candidate {
    const KIND: &'static str = "Candidate";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        load_node::<Self, CandidateLoader>(ctx, id, Permission::ReadCandidates).await
    }
}

impl NodeType for CandidateSkill {
    const KIND: &'static str = "CandidateSkill";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
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
