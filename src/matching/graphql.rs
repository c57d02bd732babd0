//! GraphQL face of matching: `matchCandidates`, `matchCandidatesForRequirements`,
//! `matchRoles`, `talentPool`, and the explanations they return. Resolvers parse input, call
//! the service, map the output.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::index::{MatchIndexes, RankedCandidate};
use super::model::{MatchingWeights, WeightsInput};
use super::score::{self, Evaluation, RankKey, SkillKey, Status, Via, Weights};
use super::service::{self, Ask, AskedRequirement, MatchFilter};
use crate::auth::permissions::{Permission, Require};
use crate::candidates::graphql::Candidate;
use crate::candidates::loaders::CandidateLoader;
use crate::error::{AppError, AppResult};
use crate::graphql::context::{request, tenant_loader, viewer};
use crate::graphql::ids;
use crate::pagination::{Page, PageArgs, encode_cursor};
use crate::roles::graphql::{Importance, Role, SkillRequirementInput};
use crate::skills::graphql::Skill;
use crate::skills::service::BuiltinSkills;

/// Whether a requirement is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum MatchStatus {
    /// Fully satisfied (satisfaction 1).
    Met,
    /// Partly satisfied: a lower level or fewer years than asked.
    Partial,
    /// Not satisfied at all: the candidate has no skill that counts for it.
    Missing,
}

impl From<Status> for MatchStatus {
    fn from(status: Status) -> Self {
        match status {
            Status::Met => Self::Met,
            Status::Partial => Self::Partial,
            Status::Missing => Self::Missing,
        }
    }
}

/// How the candidate's skill counts for the requested one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum MatchVia {
    /// The same skill.
    Exact,
    /// The same skill, requested by another of its names.
    Alias,
    /// A narrower skill ("Spark Structured Streaming" for "Apache Spark").
    Narrower,
    /// A skill that implies the requested one in the taxonomy ("PySpark" → "Python").
    Implied,
}

impl From<Via> for MatchVia {
    fn from(via: Via) -> Self {
        match via {
            Via::Exact => Self::Exact,
            Via::Alias => Self::Alias,
            Via::Narrower => Self::Narrower,
            Via::Implied => Self::Implied,
        }
    }
}

/// The weights and credits a score was computed with, so a stored ranking can be explained
/// later.
#[derive(Debug, Clone, SimpleObject)]
pub struct MatchWeights {
    /// Weight of a REQUIRED requirement without its own weight.
    pub required: f64,
    /// Weight of a PREFERRED requirement without its own weight.
    pub preferred: f64,
    /// Weight of a NICE_TO_HAVE requirement without its own weight.
    pub nice_to_have: f64,
    /// Weight of the role's minimum total years of experience.
    pub experience: f64,
    /// Credit (0 to 1) of a narrower skill for its broader one.
    pub narrower_credit: f64,
    /// Credit (0 to 1) of a skill for one it implies.
    pub implied_credit: f64,
}

impl From<Weights> for MatchWeights {
    fn from(w: Weights) -> Self {
        Self {
            required: w.required,
            preferred: w.preferred,
            nice_to_have: w.nice_to_have,
            experience: w.experience,
            narrower_credit: w.narrower_credit,
            implied_credit: w.implied_credit,
        }
    }
}

/// An organization's matching settings.
#[derive(Debug, Clone, SimpleObject)]
pub struct MatchingSettings {
    /// The weights every ranking of the organization uses now: the chosen ones, the scorer's
    /// default for the rest. Each result reports the weights it was computed with.
    pub weights: MatchWeights,
    /// The scorer's defaults, in force for every weight the organization did not choose.
    pub defaults: MatchWeights,
    /// The weights left to the scorer's default, by field name (`niceToHave`).
    pub defaulted: Vec<String>,
    /// The version of the formula the weights feed.
    pub scorer_version: String,
}

impl From<MatchingWeights> for MatchingSettings {
    fn from(weights: MatchingWeights) -> Self {
        Self {
            weights: weights.weights().into(),
            defaults: Weights::default().into(),
            defaulted: weights.defaulted(),
            scorer_version: score::SCORER_VERSION.to_owned(),
        }
    }
}

/// An organization's new matching weights. It replaces the previous choice whole: a field
/// omitted (or null) takes the scorer's default, so `{}` restores every default. Weights are
/// greater than 0 and at most 100 with `required ≥ preferred ≥ niceToHave` (in force, after
/// defaults), so a more important requirement never weighs less; credits are greater than 0
/// and at most 1.
#[derive(Debug, Clone, Default, InputObject)]
pub struct MatchWeightsInput {
    /// Weight of a REQUIRED requirement without its own weight (default 3).
    pub required: Option<f64>,
    /// Weight of a PREFERRED requirement without its own weight (default 2).
    pub preferred: Option<f64>,
    /// Weight of a NICE_TO_HAVE requirement without its own weight (default 1).
    pub nice_to_have: Option<f64>,
    /// Weight of the role's minimum total years of experience, when it asks for any (default 2).
    pub experience: Option<f64>,
    /// Credit of a narrower skill for its broader one (default 1: full credit).
    pub narrower_credit: Option<f64>,
    /// Credit of a skill for one it implies (default 1: full credit).
    pub implied_credit: Option<f64>,
}

impl From<MatchWeightsInput> for WeightsInput {
    fn from(input: MatchWeightsInput) -> Self {
        Self {
            required: input.required,
            preferred: input.preferred,
            nice_to_have: input.nice_to_have,
            experience: input.experience,
            narrower_credit: input.narrower_credit,
            implied_credit: input.implied_credit,
        }
    }
}

crate::payload!(
    /// Result of `setMatchingWeights`.
    SetMatchingWeightsPayload,
    /// The settings now in force (null when refused).
    settings: MatchingSettings
);

/// One requirement of a match, explained: what was asked, what the candidate has, and the
/// points it contributed.
#[derive(Debug, Clone, SimpleObject)]
pub struct RequirementMatch {
    /// The alternatives group ("scala-or-python"): any one of `skills` satisfies it. Null for a
    /// single-skill requirement.
    pub alternatives_group: Option<String>,
    /// How much it matters (the strongest of a group's members).
    pub importance: Importance,
    /// MET, PARTIAL or MISSING.
    pub status: MatchStatus,
    /// 0 to 1: `min(1, level / requiredLevel) × min(1, years / requiredYears)` of the best
    /// satisfying skill, times its credit.
    pub satisfaction: f64,
    /// How `matchedSkill` counts for `requirementSkill`; null when nothing matched.
    pub via: Option<MatchVia>,
    /// The minimum level of `requirementSkill`.
    pub required_level: i32,
    /// The minimum years with `requirementSkill`, if any.
    pub required_years: Option<i32>,
    /// The candidate's level with `matchedSkill`.
    pub candidate_level: Option<i32>,
    /// The candidate's years with `matchedSkill`, when known.
    pub candidate_years: Option<i32>,
    /// The weight used: the requirement's own, else its importance's default.
    pub weight: f64,
    /// Points contributed: 100 × weight × satisfaction / total weight. The points of all
    /// requirements and of `experience` add up to the score.
    pub points: f64,
    /// The requested skills: one, or the members of the alternatives group.
    pub skills: Vec<Skill>,
    /// The requested skill the candidate answered (a group's best member; the first one when
    /// nothing matched).
    pub requirement_skill: Option<Skill>,
    /// The candidate's skill that satisfied it, if any.
    pub matched_skill: Option<Skill>,
}

/// The skills a page of explanations names, loaded once for the page (hundreds of
/// requirements name a few dozen skills; a load per field cost more than the ranking).
type PageSkills = HashMap<Uuid, std::sync::Arc<entity::skills::Model>>;

/// Read as the skill loader reads (built-in skills from memory, the organization's own in one
/// statement), but at once: the names are all known here, and a DataLoader would wait for the
/// next timer tick (up to a millisecond, a fifth of a ranking) for keys that never come.
async fn page_skills(ctx: &Context<'_>, ids: impl IntoIterator<Item = Uuid>) -> async_graphql::Result<PageSkills> {
    let ids: std::collections::HashSet<Uuid> = ids.into_iter().collect();
    let ids: Vec<Uuid> = ids.into_iter().collect();
    let request = request(ctx)?;
    let builtin =
        ctx.data::<Arc<BuiltinSkills>>().map_err(|_| AppError::Internal(anyhow::anyhow!("built-in skills missing")))?;
    let found = builtin.by_ids(&request.db, request.skill_scope, &ids).await?;
    Ok(found.into_iter().map(|skill| (skill.id, skill)).collect())
}

/// Every skill an explanation of `ask` may name: its members and the matched ones.
fn named_skills<'a>(ask: &'a Ask, matched: &'a HashMap<SkillKey, Uuid>) -> impl Iterator<Item = Uuid> + 'a {
    ask.requirements.iter().flat_map(|r| r.members.iter().map(|m| m.skill_id)).chain(matched.values().copied())
}

/// The role's minimum total years of experience as a factor of the score.
#[derive(Debug, Clone, SimpleObject)]
pub struct ExperienceMatch {
    /// The role's minimum total years.
    pub required_years: i32,
    /// The candidate's total years.
    pub candidate_years: i32,
    /// 0 to 1: `min(1, candidateYears / requiredYears)`.
    pub satisfaction: f64,
    /// The weight used.
    pub weight: f64,
    /// Points contributed to the score.
    pub points: f64,
}

/// The explanation of one score: the parts `CandidateMatch` and `RoleMatch` share.
#[derive(Debug, Clone, SimpleObject)]
pub struct MatchExplanation {
    /// 0 to 100: the sum of the requirements' and experience's points.
    pub score: f64,
    /// Every REQUIRED requirement is MET.
    pub meets_all_required: bool,
    /// The version of the formula that computed the score.
    pub scorer_version: String,
    /// The weights it used.
    pub weights: MatchWeights,
    /// One per requirement (an alternatives group counts once), in display order.
    pub requirements: Vec<RequirementMatch>,
    /// The role's minimum total years as a factor; null when the role asks for none.
    pub experience: Option<ExperienceMatch>,
}

impl MatchExplanation {
    fn of(
        ask: &Ask,
        weights: Weights,
        evaluation: &Evaluation,
        skills: &HashMap<SkillKey, Uuid>,
        named: &PageSkills,
    ) -> Self {
        let requirements = ask
            .requirements
            .iter()
            .zip(&evaluation.requirements)
            .map(|(asked, outcome)| requirement_match(asked, outcome, skills, named))
            .collect();
        Self {
            score: evaluation.score,
            meets_all_required: evaluation.meets_all_required,
            scorer_version: score::SCORER_VERSION.to_owned(),
            weights: weights.into(),
            requirements,
            experience: evaluation.experience.map(|x| ExperienceMatch {
                required_years: i32::from(x.required_years),
                candidate_years: i32::from(x.candidate_years),
                satisfaction: x.satisfaction,
                weight: x.weight,
                points: x.points,
            }),
        }
    }
}

fn requirement_match(
    asked: &AskedRequirement,
    outcome: &score::RequirementOutcome,
    skills: &HashMap<SkillKey, Uuid>,
    named: &PageSkills,
) -> RequirementMatch {
    let member = outcome.best.map_or(0, |b| b.member);
    let answered = asked.members.get(member).or_else(|| asked.members.first());
    let skill = |id: &Uuid| named.get(id).cloned().map(Skill::from);
    RequirementMatch {
        alternatives_group: asked.alternatives_group.clone(),
        importance: asked.importance().into(),
        status: outcome.status().into(),
        satisfaction: outcome.satisfaction,
        via: outcome.best.map(|b| b.via.into()),
        required_level: answered.map_or(1, |m| i32::from(m.min_level)),
        required_years: answered.and_then(|m| m.min_years),
        candidate_level: outcome.best.map(|b| i32::from(b.held.level)),
        candidate_years: outcome.best.and_then(|b| b.held.years.map(i32::from)),
        weight: outcome.weight,
        points: outcome.points,
        skills: asked.members.iter().filter_map(|m| skill(&m.skill_id)).collect(),
        requirement_skill: answered.and_then(|m| skill(&m.skill_id)),
        matched_skill: outcome.best.and_then(|b| skills.get(&b.skill)).and_then(skill),
    }
}

/// A candidate ranked for a role, with the explanation of their score.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct CandidateMatch {
    #[graphql(flatten)]
    pub explanation: MatchExplanation,
    #[graphql(skip)]
    pub candidate_id: Uuid,
    /// The candidate's row, read with the page when the query selects it.
    #[graphql(skip)]
    pub candidate_row: Option<entity::candidates::Model>,
}

#[ComplexObject]
impl CandidateMatch {
    /// The candidate.
    async fn candidate(&self, ctx: &Context<'_>) -> async_graphql::Result<Candidate> {
        if let Some(row) = &self.candidate_row {
            return Ok(Candidate::from(row.clone()));
        }
        let row = tenant_loader::<CandidateLoader>(ctx)?.load_one(self.candidate_id).await?;
        Ok(row.map(Candidate::from).ok_or(AppError::NotFound("Candidate"))?)
    }
}

/// An open role ranked for a candidate, with the explanation of the score.
#[derive(Debug, Clone, SimpleObject)]
pub struct RoleMatch {
    /// The role.
    pub role: Role,
    #[graphql(flatten)]
    pub explanation: MatchExplanation,
}

crate::connection_type!(CandidateMatchConnection, CandidateMatchEdge, CandidateMatch);
crate::connection_type!(RoleMatchConnection, RoleMatchEdge, RoleMatch);

/// Filters of a match ranking; all given ones must hold.
#[derive(Debug, Clone, Default, InputObject)]
#[allow(clippy::struct_excessive_bools, reason = "one field per filter of the API, each on or off")]
pub struct MatchFilterInput {
    /// Only candidates scoring at least this (0 to 100).
    pub min_score: Option<f64>,
    /// Only those meeting every REQUIRED requirement.
    #[graphql(default)]
    pub only_fully_qualified: bool,
    /// Only candidates whose location contains this text (any case).
    pub location: Option<String>,
    /// Only candidates in the role's city (the part of its location before the first comma),
    /// unless the role is REMOTE. Needs a saved role.
    #[graphql(default)]
    pub near_role: bool,
    /// Leave out candidates already in the role's pipeline. Needs a saved role.
    #[graphql(default)]
    pub exclude_in_pipeline: bool,
    /// Count archived candidates too (left out by default).
    #[graphql(default)]
    pub include_archived: bool,
}

impl From<MatchFilterInput> for MatchFilter {
    fn from(input: MatchFilterInput) -> Self {
        Self {
            min_score: input.min_score,
            only_fully_qualified: input.only_fully_qualified,
            location: input.location,
            near_role: input.near_role,
            exclude_in_pipeline: input.exclude_in_pipeline,
            include_archived: input.include_archived,
        }
    }
}

fn indexes<'a>(ctx: &Context<'a>) -> AppResult<&'a Arc<MatchIndexes>> {
    ctx.data::<Arc<MatchIndexes>>().map_err(|_| AppError::Internal(anyhow::anyhow!("matching indexes missing")))
}

/// Checked `first`/`after` of a ranking (forward only: a cursor names a place in rank order).
fn page_args(first: Option<i32>, after: Option<&str>) -> AppResult<(Option<RankKey>, usize)> {
    let args = PageArgs::<RankKey>::parse(first, after, None, None)?;
    let first = match args.take {
        crate::pagination::Take::First(n) | crate::pagination::Take::Last(n) => n as usize,
    };
    Ok((args.after, first))
}

async fn candidate_connection(
    ctx: &Context<'_>,
    ranking: service::CandidateRanking,
) -> async_graphql::Result<CandidateMatchConnection> {
    let service::CandidateRanking { page, ask, weights } = ranking;
    // The page's candidates read at once, beside the skills, when selected: through the loader
    // they would wait for its next tick, after the whole explanation had resolved.
    let looked = ctx.look_ahead();
    let wants_candidates = looked.field("nodes").field("candidate").exists()
        || looked.field("edges").field("node").field("candidate").exists();
    let ids: Vec<Uuid> = page.items.iter().map(|ranked| ranked.key.id).collect();
    let rows = async {
        if !wants_candidates {
            return Ok(HashMap::new());
        }
        let request = request(ctx)?;
        let rows = crate::candidates::service::by_ids(&request.db, viewer(ctx)?.tenant(), &ids).await?;
        Ok::<_, AppError>(rows.into_iter().map(|row| (row.id, row)).collect::<HashMap<_, _>>())
    };
    let named = page_skills(ctx, page.items.iter().flat_map(|ranked| named_skills(&ask, &ranked.skills)));
    let (rows, named) = futures_util::future::try_join(async { rows.await.map_err(Into::into) }, named).await?;
    let total = page.total_count;
    let page = Page { items: page.items, has_next_page: page.has_next_page, has_previous_page: page.has_previous_page };
    Ok(CandidateMatchConnection::from_page(
        page,
        Some(total),
        |ranked: &RankedCandidate| encode_cursor(&ranked.key),
        |ranked| CandidateMatch {
            explanation: MatchExplanation::of(&ask, weights, &ranked.evaluation, &ranked.skills, &named),
            candidate_id: ranked.key.id,
            candidate_row: rows.get(&ranked.key.id).cloned(),
        },
    ))
}

/// Candidates ranked for a saved role: `matchCandidates` and `Role.matches`.
pub async fn candidates_for_role(
    ctx: &Context<'_>,
    role_id: Uuid,
    filter: Option<MatchFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<CandidateMatchConnection> {
    let request = request(ctx)?;
    let tenant = viewer(ctx)?.tenant();
    let (after, first) = page_args(first, after.as_deref())?;
    let filter = filter.unwrap_or_default().into();
    let ranking =
        service::rank_candidates_for_role(&request.db, indexes(ctx)?, tenant, role_id, &filter, after, first).await?;
    candidate_connection(ctx, ranking).await
}

/// Open roles ranked for a candidate: `matchRoles` and `Candidate.matchingRoles`.
pub async fn roles_for_candidate(
    ctx: &Context<'_>,
    candidate_id: Uuid,
    filter: Option<MatchFilterInput>,
    first: Option<i32>,
    after: Option<String>,
) -> async_graphql::Result<RoleMatchConnection> {
    let request = request(ctx)?;
    let tenant = viewer(ctx)?.tenant();
    let (after, first) = page_args(first, after.as_deref())?;
    let filter: MatchFilter = filter.unwrap_or_default().into();
    if filter.near_role || filter.exclude_in_pipeline || filter.location.is_some() {
        return Err(AppError::bad_input("filter", "roles are filtered by minScore and onlyFullyQualified only").into());
    }
    let ranking = service::rank_roles(&request.db, indexes(ctx)?, tenant, candidate_id, &filter, after, first).await?;
    let named =
        page_skills(ctx, ranking.items.iter().flat_map(|ranked| named_skills(&ranked.ask, &ranked.ranked.skills)))
            .await?;
    let weights = ranking.weights;
    let total = ranking.total_count;
    let page = Page {
        items: ranking.items,
        has_next_page: ranking.has_next_page,
        has_previous_page: ranking.has_previous_page,
    };
    Ok(RoleMatchConnection::from_page(
        page,
        Some(total),
        |ranked: &service::RankedRole| encode_cursor(&ranked.ranked.key),
        |ranked| RoleMatch {
            explanation: MatchExplanation::of(
                &ranked.ask,
                weights,
                &ranked.ranked.evaluation,
                &ranked.ranked.skills,
                &named,
            ),
            role: Role::from(ranked.role),
        },
    ))
}

/// One requirement's share of a talent pool.
#[derive(Debug, Clone, SimpleObject)]
pub struct RequirementPool {
    /// The alternatives group, or null for a single-skill requirement.
    pub alternatives_group: Option<String>,
    /// How much it matters.
    pub importance: Importance,
    /// Candidates who fully meet it.
    pub met: u64,
    /// Candidates who meet it partly.
    pub partial: u64,
    /// Candidates who miss it entirely.
    pub missing: u64,
    /// REQUIRED only: candidates for whom this is the only REQUIRED requirement not met — they
    /// would qualify if it were PREFERRED.
    pub more_if_preferred: Option<u64>,
    /// REQUIRED only: of those, how many would qualify with its minimum level one lower.
    pub more_if_level_lower: Option<u64>,
    /// REQUIRED with minimum years only: of those, how many would qualify with one year less.
    pub more_if_years_lower: Option<u64>,
    /// The requested skills: one, or the members of the alternatives group.
    pub skills: Vec<Skill>,
    #[graphql(skip)]
    skill_ids: Vec<Uuid>,
}

/// A role's talent pool: who qualifies, who nearly does, and what relaxing each requirement
/// would change. Computed in one pass over the pool.
#[derive(Debug, Clone, SimpleObject)]
pub struct TalentPool {
    /// The version of the formula.
    pub scorer_version: String,
    /// The weights and credits it counted with (credits below 1 make related skills PARTIAL).
    pub weights: MatchWeights,
    /// Candidates considered (active ones, unless the filter includes archived ones).
    pub pool_size: u64,
    /// Candidates meeting every REQUIRED requirement.
    pub qualified: u64,
    /// Candidates missing exactly one REQUIRED requirement (which one: each requirement's
    /// `moreIfPreferred`).
    pub missing_exactly_one: u64,
    /// One per requirement (an alternatives group counts once), in display order.
    pub requirements: Vec<RequirementPool>,
}

impl From<service::TalentPool> for TalentPool {
    fn from(pool: service::TalentPool) -> Self {
        let size = pool.pool_size;
        let requirements = pool
            .ask
            .requirements
            .iter()
            .zip(&pool.requirements)
            .map(|(asked, counts)| RequirementPool {
                alternatives_group: asked.alternatives_group.clone(),
                importance: asked.importance().into(),
                met: counts.met,
                partial: counts.partial,
                missing: size.saturating_sub(counts.met + counts.partial),
                more_if_preferred: counts.only_missing,
                more_if_level_lower: counts.more_if_level_lower,
                more_if_years_lower: counts.more_if_years_lower,
                skills: Vec::new(),
                skill_ids: asked.members.iter().map(|m| m.skill_id).collect(),
            })
            .collect();
        Self {
            scorer_version: score::SCORER_VERSION.to_owned(),
            weights: pool.weights.into(),
            pool_size: pool.pool_size,
            qualified: pool.qualified,
            missing_exactly_one: pool.missing_exactly_one,
            requirements,
        }
    }
}

/// Matching queries.
#[derive(Default)]
pub struct MatchingQuery;

#[Object]
impl MatchingQuery {
    /// The organization's candidates ranked for a role, explained: fully qualified first
    /// (`meetsAllRequired`), then by score (0–100), then by id. The same input always gives
    /// the same ranking; a cursor names a place in that order, so pages have no gaps or
    /// duplicates even while candidates change.
    #[graphql(guard = "Require(Permission::ReadCandidates).and(Require(Permission::ReadRoles))")]
    async fn match_candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role to rank for.")] role_id: ID,
        #[graphql(desc = "Filters; all given ones must hold.")] filter: Option<MatchFilterInput>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
    ) -> async_graphql::Result<CandidateMatchConnection> {
        let role_id = ids::decode("Role", &role_id, "roleId")?;
        candidates_for_role(ctx, role_id, filter, first, after).await
    }

    /// The organization's candidates ranked against unsaved requirements (a role being
    /// drafted), explained as `matchCandidates` explains.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn match_candidates_for_requirements(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The requirements, as `createRole` takes them (at most 100).")] requirements: Vec<
            SkillRequirementInput,
        >,
        #[graphql(desc = "Minimum total years of experience (default 0).", default)] min_years_experience: i32,
        #[graphql(desc = "Filters (not `nearRole` or `excludeInPipeline`).")] filter: Option<MatchFilterInput>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
    ) -> async_graphql::Result<CandidateMatchConnection> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let (after, first) = page_args(first, after.as_deref())?;
        let min_years = crate::values::Years::parse(min_years_experience, "minYearsExperience")?;
        let asked = unsaved_requirements(&request.db, request.skill_scope, &requirements).await?;
        let ask = Ask::of_unsaved(&asked, min_years.get());
        let filter = filter.unwrap_or_default().into();
        let ranking =
            service::rank_candidates(&request.db, indexes(ctx)?, tenant, ask, None, &filter, after, first).await?;
        candidate_connection(ctx, ranking).await
    }

    /// The organization's OPEN roles ranked for a candidate, with the same scorer.
    #[graphql(guard = "Require(Permission::ReadCandidates).and(Require(Permission::ReadRoles))")]
    async fn match_roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The candidate.")] candidate_id: ID,
        #[graphql(desc = "Filters: `minScore`, `onlyFullyQualified`.")] filter: Option<MatchFilterInput>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
    ) -> async_graphql::Result<RoleMatchConnection> {
        let candidate_id = ids::decode("Candidate", &candidate_id, "candidateId")?;
        roles_for_candidate(ctx, candidate_id, filter, first, after).await
    }

    /// The organization's matching settings: the weights every ranking uses now, and the
    /// scorer's defaults.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn matching_settings(&self, ctx: &Context<'_>) -> async_graphql::Result<MatchingSettings> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        Ok(service::weights(&request.db, tenant).await?.into())
    }

    /// How many candidates meet the role's requirements, how many nearly do, and how many more
    /// would qualify if a requirement were PREFERRED, its minimum level one lower, or its
    /// minimum years one lower — in one pass over the pool.
    #[graphql(guard = "Require(Permission::ReadCandidates).and(Require(Permission::ReadRoles))")]
    async fn talent_pool(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The role.")] role_id: ID,
        #[graphql(desc = "Filters of who is in the pool (score filters do not apply).")] filter: Option<
            MatchFilterInput,
        >,
    ) -> async_graphql::Result<TalentPool> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let role_id = ids::decode("Role", &role_id, "roleId")?;
        let (role, ask) = service::role_ask(&request.db, tenant, role_id).await?;
        let filter = filter.unwrap_or_default().into();
        let pool = service::talent_pool(&request.db, indexes(ctx)?, tenant, ask, &filter, Some(&role)).await?;
        let mut pool = TalentPool::from(pool);
        // Every requirement's skills at once (a loader per requirement waited for a timer tick).
        let named = page_skills(ctx, pool.requirements.iter().flat_map(|r| r.skill_ids.iter().copied())).await?;
        for requirement in &mut pool.requirements {
            let skills = requirement.skill_ids.iter().filter_map(|id| named.get(id).cloned().map(Skill::from));
            requirement.skills = skills.collect();
        }
        Ok(pool)
    }
}

/// Resolves unsaved requirement inputs; each is marked ALIAS when named by another spelling
/// than the skill's name or slug.
async fn unsaved_requirements(
    db: &impl sea_orm::ConnectionTrait,
    scope: crate::auth::SkillScope,
    inputs: &[SkillRequirementInput],
) -> AppResult<Vec<(crate::roles::model::NewRequirement, bool)>> {
    if inputs.len() > 100 {
        return Err(AppError::bad_input("requirements", "at most 100 requirements"));
    }
    let names: Vec<(String, String)> =
        inputs.iter().enumerate().map(|(i, r)| (r.skill.clone(), format!("requirements.{i}.skill"))).collect();
    let skills = crate::skills::service::resolve_for_input(db, scope, &names).await?;
    let normalize = migration::skill_names::normalize;
    inputs
        .iter()
        .zip(skills)
        .enumerate()
        .map(|(i, (input, skill))| {
            let given = normalize(&input.skill);
            let via_alias = given != normalize(&skill.name) && given != normalize(&skill.slug);
            Ok((input.parse(skill.id, &format!("requirements.{i}"))?, via_alias))
        })
        .collect()
}

/// Matching settings.
#[derive(Default)]
pub struct MatchingMutation;

#[Object]
impl MatchingMutation {
    /// Replaces the organization's matching weights (ADMIN): the default weight of each
    /// importance and of the role's minimum total years, and the credits of narrower and
    /// implied skills. A requirement's own `weight` still wins over its importance's. Every
    /// ranking that starts after this answers uses them (also on other server instances), and
    /// reports them in `weights`. Audited as `organization.set_matching_weights`; refused input
    /// changes nothing.
    #[graphql(guard = "Require(Permission::ManageOrganization)")]
    async fn set_matching_weights(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The new weights; omitted ones take the scorer's default.")] input: MatchWeightsInput,
    ) -> async_graphql::Result<SetMatchingWeightsPayload> {
        let request = request(ctx)?;
        let viewer = viewer(ctx)?;
        let outcome = match MatchingWeights::parse(input.into(), "input") {
            Ok(weights) => service::set_weights(&request.db, viewer, weights).await,
            Err(refused) => Err(refused),
        };
        SetMatchingWeightsPayload::from_outcome(outcome)
    }
}
