//! Matching as the API asks for it: rank an organization's candidates for a role (or for an
//! unsaved set of requirements), rank its open roles for a candidate, and count a role's talent
//! pool with what-ifs. Reads go through the tenant's builders and the organization's fresh
//! [`MatchIndexes`] pool; nothing here knows GraphQL.

use std::collections::{HashMap, HashSet};

use entity::{Importance, RoleStatus, Workplace, applications, matching_weights, roles, skill_requirements};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::index::{Eligibility, MatchIndexes, Pool, PoolHandle, RankedCandidate, RankedPage, satisfiers};
use super::model::MatchingWeights;
use super::score::{self, Member, RankKey, Requirement, Spec, Via, Weights};
use crate::auth::{Tenant, Viewer};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{DomainEvent, MatchingWeightsSet};
use crate::roles::model::NewRequirement;

/// One skill a requirement asks for, as the explanation names it.
#[derive(Debug, Clone, PartialEq)]
pub struct AskedSkill {
    /// The stored requirement, for a saved role.
    pub requirement_id: Option<Uuid>,
    pub skill_id: Uuid,
    pub importance: Importance,
    pub min_level: i16,
    pub min_years: Option<i32>,
    pub weight: Option<f64>,
    /// Asked for by another spelling than the skill's name (unsaved requirements).
    pub via_alias: bool,
}

/// One requirement as scored: a single skill, or an alternatives group.
#[derive(Debug, Clone, PartialEq)]
pub struct AskedRequirement {
    pub alternatives_group: Option<String>,
    pub members: Vec<AskedSkill>,
}

impl AskedRequirement {
    /// The strongest importance among the members.
    #[must_use]
    pub fn importance(&self) -> Importance {
        let rank = |i: Importance| match i {
            Importance::Required => 0,
            Importance::Preferred => 1,
            Importance::NiceToHave => 2,
        };
        self.members.iter().map(|m| m.importance).min_by_key(|i| rank(*i)).unwrap_or(Importance::NiceToHave)
    }

    /// The weight used: the largest own weight of a member, else the importance's default.
    #[must_use]
    pub fn weight(&self, weights: &Weights) -> f64 {
        self.members.iter().filter_map(|m| m.weight).reduce(f64::max).unwrap_or_else(|| weights.of(self.importance()))
    }
}

/// What candidates are ranked against: requirements (groups merged, in display order) and the
/// minimum total years.
#[derive(Debug, Clone, PartialEq)]
pub struct Ask {
    pub requirements: Vec<AskedRequirement>,
    pub min_years_experience: i32,
}

impl Ask {
    /// Groups members sharing an alternatives group into one requirement, at the place of the
    /// first member.
    fn grouped(members: impl IntoIterator<Item = (Option<String>, AskedSkill)>, min_years_experience: i32) -> Self {
        let mut requirements: Vec<AskedRequirement> = Vec::new();
        let mut groups: HashMap<String, usize> = HashMap::new();
        for (group, member) in members {
            if let Some(&at) = group.as_ref().and_then(|g| groups.get(g)) {
                if let Some(requirement) = requirements.get_mut(at) {
                    requirement.members.push(member);
                }
            } else {
                if let Some(group) = &group {
                    groups.insert(group.clone(), requirements.len());
                }
                requirements.push(AskedRequirement { alternatives_group: group, members: vec![member] });
            }
        }
        Self { requirements, min_years_experience }
    }

    /// A saved role's requirements, rows in display order.
    #[must_use]
    pub fn of_role(role: &roles::Model, rows: &[skill_requirements::Model]) -> Self {
        let members = rows.iter().map(|row| {
            (
                row.alternatives_group.clone(),
                AskedSkill {
                    requirement_id: Some(row.id),
                    skill_id: row.skill_id,
                    importance: row.importance,
                    min_level: row.min_level,
                    min_years: row.min_years,
                    weight: row.weight,
                    via_alias: false,
                },
            )
        });
        Self::grouped(members, role.min_years_experience)
    }

    /// Unsaved requirements (a role being drafted); `via_alias` per requirement.
    #[must_use]
    pub fn of_unsaved(requirements: &[(NewRequirement, bool)], min_years_experience: i32) -> Self {
        let members = requirements.iter().map(|(r, via_alias)| {
            (
                r.alternatives_group.as_ref().map(|g| g.as_str().to_owned()),
                AskedSkill {
                    requirement_id: None,
                    skill_id: r.skill_id,
                    importance: r.importance,
                    min_level: r.min_level.get(),
                    min_years: r.min_years.map(crate::values::Years::get),
                    weight: r.weight.map(crate::roles::model::Weight::get),
                    via_alias: *via_alias,
                },
            )
        });
        Self::grouped(members, min_years_experience)
    }

    /// The spec in the pool's skill keys.
    #[must_use]
    pub fn spec(&self, pool: &Pool, weights: Weights) -> Spec {
        let requirements = self
            .requirements
            .iter()
            .map(|asked| Requirement {
                importance: asked.importance(),
                weight: asked.weight(&weights),
                members: asked
                    .members
                    .iter()
                    .map(|m| Member {
                        skill: pool.key_of(m.skill_id),
                        min_level: m.min_level.clamp(1, 5) as u8,
                        min_years: m.min_years.map(|y| y.clamp(0, 60) as u16),
                        satisfiers: satisfiers(pool, m.skill_id, if m.via_alias { Via::Alias } else { Via::Exact }),
                    })
                    .collect(),
            })
            .collect();
        Spec { requirements, min_years_experience: self.min_years_experience.clamp(0, 60) as u16, weights }
    }
}

/// Filters of a candidate ranking.
#[derive(Debug, Clone, Default)]
#[allow(clippy::struct_excessive_bools, reason = "one field per filter of the API, each on or off")]
pub struct MatchFilter {
    /// Only candidates scoring at least this (0 to 100).
    pub min_score: Option<f64>,
    /// Only candidates meeting every REQUIRED requirement.
    pub only_fully_qualified: bool,
    /// Only candidates whose location contains this text (any case).
    pub location: Option<String>,
    /// Only candidates near the role: its city is in their location, unless the role is REMOTE.
    pub near_role: bool,
    /// Leave out candidates already in the role's pipeline.
    pub exclude_in_pipeline: bool,
    /// Archived candidates count too.
    pub include_archived: bool,
}

/// A ranking page with what explains it.
#[derive(Debug, Clone)]
pub struct CandidateRanking {
    pub page: RankedPage,
    pub ask: Ask,
    pub weights: Weights,
}

/// The organization's matching weights as stored (what `matchingSettings` shows; a ranking
/// takes them from its pool, which is as fresh).
pub async fn weights(db: &DatabaseConnection, tenant: Tenant) -> AppResult<MatchingWeights> {
    super::index::load_weights(db, tenant).await
}

/// Replaces the organization's matching weights, recorded as `organization.set_matching_weights`.
/// Every ranking that starts after the commit uses them, on every server instance: the event
/// advances the organization's sequence, which each ranking checks its pool against.
pub async fn set_weights(
    db: &DatabaseConnection,
    viewer: &Viewer,
    weights: MatchingWeights,
) -> AppResult<MatchingWeights> {
    let tenant = viewer.tenant();
    let in_force = weights.weights();
    let chosen = weights.chosen();
    let set = MatchingWeightsSet {
        organization: tenant.organization_id(),
        required: in_force.required,
        preferred: in_force.preferred,
        nice_to_have: in_force.nice_to_have,
        experience: in_force.experience,
        narrower_credit: in_force.narrower_credit,
        implied_credit: in_force.implied_credit,
        defaulted: weights.defaulted(),
    };
    let txn = db.begin().await?;
    // The event first: recording it locks the organization's row until commit, so two
    // replacements at once follow one another instead of racing to insert the row.
    events::service::record(&txn, viewer, DomainEvent::MatchingWeightsSet(set)).await?;
    tenant.delete_many::<matching_weights::Entity>().exec(&txn).await?;
    matching_weights::Entity::insert(matching_weights::ActiveModel {
        organization_id: Set(tenant.organization_id()),
        required: Set(chosen.required),
        preferred: Set(chosen.preferred),
        nice_to_have: Set(chosen.nice_to_have),
        experience: Set(chosen.experience),
        narrower_credit: Set(chosen.narrower_credit),
        implied_credit: Set(chosen.implied_credit),
        updated_at: Set(chrono::Utc::now()),
    })
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(weights)
}

/// A role of the organization with its requirements; `NotFound` when there is none.
pub async fn role_ask(db: &DatabaseConnection, tenant: Tenant, role_id: Uuid) -> AppResult<(roles::Model, Ask)> {
    let role = crate::roles::service::get(db, tenant, role_id).await?.ok_or(AppError::NotFound("Role"))?;
    let rows =
        crate::roles::service::requirements_of(db, tenant, &[role_id]).await?.remove(&role_id).unwrap_or_default();
    let ask = Ask::of_role(&role, &rows);
    Ok((role, ask))
}

async fn in_pipeline(db: &DatabaseConnection, tenant: Tenant, role_id: Uuid) -> AppResult<HashSet<Uuid>> {
    let ids = tenant
        .find::<applications::Entity>()
        .filter(applications::Column::RoleId.eq(role_id))
        .select_only()
        .column(applications::Column::CandidateId)
        .into_tuple::<Uuid>()
        .all(db)
        .await?;
    Ok(ids.into_iter().collect())
}

fn check_filter(filter: &MatchFilter) -> AppResult<()> {
    if filter.min_score.is_some_and(|s| !(0.0..=100.0).contains(&s)) {
        return Err(AppError::bad_input("filter.minScore", "must be between 0 and 100"));
    }
    if filter.location.as_deref().is_some_and(|l| l.chars().count() > 200) {
        return Err(AppError::bad_input("filter.location", "must be at most 200 characters"));
    }
    Ok(())
}

async fn eligibility(
    db: &DatabaseConnection,
    tenant: Tenant,
    filter: &MatchFilter,
    role: Option<&roles::Model>,
) -> AppResult<Eligibility> {
    check_filter(filter)?;
    let mut needles = Vec::new();
    if let Some(location) = filter.location.as_deref().map(str::trim).filter(|l| !l.is_empty()) {
        needles.push(location.to_lowercase());
    }
    let mut location_contains = (!needles.is_empty()).then_some(needles);
    if filter.near_role {
        let role = role.ok_or_else(|| AppError::bad_input("filter.nearRole", "needs a saved role"))?;
        if role.workplace != Workplace::Remote {
            let city = role.location.as_deref().and_then(|l| l.split(',').next()).map(str::trim).unwrap_or_default();
            if !city.is_empty() {
                // Both filters hold together: the location must contain every text.
                location_contains.get_or_insert_with(Vec::new).push(city.to_lowercase());
            }
        }
    }
    let excluded = match (filter.exclude_in_pipeline, role) {
        (true, Some(role)) => in_pipeline(db, tenant, role.id).await?,
        (true, None) => return Err(AppError::bad_input("filter.excludeInPipeline", "needs a saved role")),
        (false, _) => HashSet::new(),
    };
    Ok(Eligibility {
        include_archived: filter.include_archived,
        location_contains,
        excluded,
        min_score: filter.min_score,
        only_fully_qualified: filter.only_fully_qualified,
    })
}

/// Ranks the organization's candidates for `ask`, one page after `after`.
#[allow(clippy::too_many_arguments, reason = "the request's parts, each from its own query argument")]
pub async fn rank_candidates(
    db: &DatabaseConnection,
    indexes: &MatchIndexes,
    tenant: Tenant,
    ask: Ask,
    role: Option<&roles::Model>,
    filter: &MatchFilter,
    after: Option<RankKey>,
    first: usize,
) -> AppResult<CandidateRanking> {
    let pool = indexes.fresh(db, tenant).await?;
    rank_in(db, &pool, tenant, ask, role, filter, after, first).await
}

/// Ranks a saved role's candidates, one page after `after`: the role and the pool's freshness
/// are read side by side.
pub async fn rank_candidates_for_role(
    db: &DatabaseConnection,
    indexes: &MatchIndexes,
    tenant: Tenant,
    role_id: Uuid,
    filter: &MatchFilter,
    after: Option<RankKey>,
    first: usize,
) -> AppResult<CandidateRanking> {
    let ((role, ask), pool) =
        futures_util::future::try_join(role_ask(db, tenant, role_id), indexes.fresh(db, tenant)).await?;
    rank_in(db, &pool, tenant, ask, Some(&role), filter, after, first).await
}

#[allow(clippy::too_many_arguments, reason = "the request's parts, each from its own query argument")]
async fn rank_in(
    db: &DatabaseConnection,
    pool: &PoolHandle,
    tenant: Tenant,
    ask: Ask,
    role: Option<&roles::Model>,
    filter: &MatchFilter,
    after: Option<RankKey>,
    first: usize,
) -> AppResult<CandidateRanking> {
    let eligibility = eligibility(db, tenant, filter, role).await?;
    let (page, weights) = pool.read(|pool| {
        let spec = ask.spec(pool, pool.weights());
        (pool.rank(&spec, &eligibility, after.as_ref(), first), spec.weights)
    })?;
    Ok(CandidateRanking { page, ask, weights })
}

/// How the pool of a role looks, and what relaxing each requirement would change.
#[derive(Debug, Clone)]
pub struct TalentPool {
    pub ask: Ask,
    pub weights: Weights,
    /// Candidates considered (active ones unless archived were included).
    pub pool_size: u64,
    /// Candidates meeting every REQUIRED requirement.
    pub qualified: u64,
    /// Candidates missing exactly one REQUIRED requirement.
    pub missing_exactly_one: u64,
    /// Per requirement, in the order of `ask`.
    pub requirements: Vec<RequirementPool>,
}

/// One requirement's share of a talent pool.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequirementPool {
    /// Candidates fully meeting it.
    pub met: u64,
    /// Candidates meeting it partly.
    pub partial: u64,
    /// For a REQUIRED requirement: candidates for whom it is the only one missed, who would
    /// qualify if it were PREFERRED.
    pub only_missing: Option<u64>,
    /// For a REQUIRED requirement: of those, how many would qualify with its minimum level
    /// one lower.
    pub more_if_level_lower: Option<u64>,
    /// For a REQUIRED requirement with minimum years: how many with one year less.
    pub more_if_years_lower: Option<u64>,
}

/// Counts the role's talent pool (from the holder lists of its skills, not candidate by candidate).
pub async fn talent_pool(
    db: &DatabaseConnection,
    indexes: &MatchIndexes,
    tenant: Tenant,
    ask: Ask,
    filter: &MatchFilter,
    role: Option<&roles::Model>,
) -> AppResult<TalentPool> {
    let eligibility = eligibility(db, tenant, filter, role).await?;
    let pool = indexes.fresh(db, tenant).await?;
    let (spec, counts) = pool.read(|pool| {
        let spec = ask.spec(pool, pool.weights());
        let counts = pool.counts(&spec, &eligibility);
        (spec, counts)
    })?;
    let requirements = spec
        .requirements
        .iter()
        .zip(counts.requirements)
        .map(|(requirement, counts)| {
            let required = requirement.importance == Importance::Required;
            let has_years = requirement.members.iter().any(|m| m.min_years.is_some_and(|y| y > 0));
            RequirementPool {
                met: counts.met,
                partial: counts.partial,
                only_missing: required.then_some(counts.only_missing),
                more_if_level_lower: required.then_some(counts.more_if_level_lower),
                more_if_years_lower: (required && has_years).then_some(counts.more_if_years_lower),
            }
        })
        .collect();
    let (pool_size, qualified, missing_exactly_one) = (counts.size, counts.qualified, counts.missing_exactly_one);
    Ok(TalentPool { ask, weights: spec.weights, pool_size, qualified, missing_exactly_one, requirements })
}

/// One role ranked for a candidate.
#[derive(Debug, Clone)]
pub struct RankedRole {
    pub role: roles::Model,
    pub ask: Ask,
    pub ranked: RankedCandidate,
}

/// A page of open roles ranked for a candidate.
#[derive(Debug, Clone)]
pub struct RoleRanking {
    pub items: Vec<RankedRole>,
    pub has_next_page: bool,
    pub has_previous_page: bool,
    pub total_count: u64,
    pub weights: Weights,
}

/// Ranks the organization's OPEN roles for one candidate (the same scorer the other way); the
/// key's id is the role's.
pub async fn rank_roles(
    db: &DatabaseConnection,
    indexes: &MatchIndexes,
    tenant: Tenant,
    candidate_id: Uuid,
    filter: &MatchFilter,
    after: Option<RankKey>,
    first: usize,
) -> AppResult<RoleRanking> {
    check_filter(filter)?;
    let open = tenant.find::<roles::Entity>().filter(roles::Column::Status.eq(RoleStatus::Open)).all(db).await?;
    let ids: Vec<Uuid> = open.iter().map(|r| r.id).collect();
    let mut requirements = crate::roles::service::requirements_of(db, tenant, &ids).await?;
    let pool = indexes.fresh(db, tenant).await?;
    let (ranked, weights) = pool.read(|pool| {
        let weights = pool.weights();
        let slot = pool.slot_of(candidate_id).ok_or(AppError::NotFound("Candidate"))?;
        let mut all: Vec<RankedRole> = open
            .into_iter()
            .map(|role| {
                let rows = requirements.remove(&role.id).unwrap_or_default();
                let ask = Ask::of_role(&role, &rows);
                let spec = ask.spec(pool, weights);
                let evaluation = score::evaluate(&spec, &pool.profile(slot));
                let key =
                    RankKey { meets_all_required: evaluation.meets_all_required, score: evaluation.score, id: role.id };
                let ranked = pool.explain(&spec, slot, key);
                RankedRole { role, ask, ranked }
            })
            .filter(|r| {
                filter.min_score.is_none_or(|min| r.ranked.key.score >= min)
                    && (!filter.only_fully_qualified || r.ranked.key.meets_all_required)
            })
            .collect();
        all.sort_by(|a, b| a.ranked.key.rank_cmp(&b.ranked.key));
        Ok::<_, AppError>((all, weights))
    })??;
    let total_count = ranked.len() as u64;
    let start = after.map_or(0, |cursor| ranked.partition_point(|r| r.ranked.key.rank_cmp(&cursor).is_le()));
    let mut items: Vec<RankedRole> = ranked.into_iter().skip(start).take(first + 1).collect();
    let has_next_page = items.len() > first;
    items.truncate(first);
    Ok(RoleRanking { items, has_next_page, has_previous_page: start > 0, total_count, weights })
}
