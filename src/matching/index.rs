//! Each organization's candidate pool in memory, compact: for every skill a posting list of
//! (candidate, level, years), sorted by candidate, plus each candidate's total years, location
//! and status. Built from the database on first use through the tenant-scoped builders, brought
//! up to date from the organization's domain events before every answer (so a change committed
//! before a request starts is in its answer, whichever server instance committed it), and
//! dropped when the organization has not been matched for a while.
//!
//! Memory: about 8 bytes per candidate skill and 60 per candidate (id, figures, id map), so a
//! pool of 1M candidates with 10 skills each holds ~140 MB.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use entity::{CandidateStatus, candidate_skills, candidates, domain_events, organizations, skill_relations};
use futures_util::TryStreamExt;
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::score::{self, Evaluation, Held, Profile, RankKey, SkillKey, Spec, Taxonomy, Via, experience_fit, fit};
use crate::auth::Tenant;
use crate::error::{AppError, AppResult};
use crate::events::model::DomainEvent;

/// A skill no candidate of the pool holds and no taxonomy link names: nothing posts under it.
pub const UNKNOWN_SKILL: SkillKey = SkillKey::MAX;

/// Years a posting stores when the candidate did not say.
const YEARS_UNKNOWN: u8 = u8::MAX;

/// Events read per statement while catching up.
const EVENT_BATCH: u64 = 1_000;

/// One candidate's hold of one skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Posting {
    slot: u32,
    level: u8,
    years: u8,
}

impl Posting {
    fn held(self) -> Held {
        Held { level: self.level, years: (self.years != YEARS_UNKNOWN).then_some(u16::from(self.years)) }
    }
}

/// What the pool keeps of a candidate besides skills. No name, no contact data: the location
/// only serves the location filter and never reaches the scorer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    id: Uuid,
    total_years: u16,
    location: u32,
    archived: bool,
    present: bool,
}

/// One organization's pool.
#[derive(Debug, Default)]
pub struct Pool {
    /// The organization's event sequence this pool reflects.
    sequence: i64,
    skill_keys: HashMap<Uuid, SkillKey>,
    skill_ids: Vec<Uuid>,
    taxonomy: Taxonomy,
    postings: Vec<Vec<Posting>>,
    slots: Vec<Slot>,
    slot_of: HashMap<Uuid, u32>,
    /// Distinct locations, lower-cased; index 0 is "none".
    locations: Vec<String>,
    location_ids: HashMap<String, u32>,
}

/// A candidate row as the pool loads it.
type CandidateRow = (Uuid, i32, Option<String>, CandidateStatus);
/// A candidate-skill row as the pool loads it.
type SkillRow = (Uuid, Uuid, i16, Option<i32>);

impl Pool {
    fn new(sequence: i64) -> Self {
        Self { sequence, locations: vec![String::new()], ..Self::default() }
    }

    /// The key of a skill, interning it.
    fn intern(&mut self, skill: Uuid) -> SkillKey {
        if let Some(key) = self.skill_keys.get(&skill) {
            return *key;
        }
        let key = self.skill_ids.len() as SkillKey;
        self.skill_ids.push(skill);
        self.postings.push(Vec::new());
        self.skill_keys.insert(skill, key);
        key
    }

    /// The key of a skill, or [`UNKNOWN_SKILL`] when nothing in the pool holds or links it.
    #[must_use]
    pub fn key_of(&self, skill: Uuid) -> SkillKey {
        self.skill_keys.get(&skill).copied().unwrap_or(UNKNOWN_SKILL)
    }

    /// The skill id of a key.
    #[must_use]
    pub fn skill_id(&self, key: SkillKey) -> Option<Uuid> {
        self.skill_ids.get(key as usize).copied()
    }

    /// The taxonomy in keys.
    #[must_use]
    pub fn taxonomy(&self) -> &Taxonomy {
        &self.taxonomy
    }

    fn location_id(&mut self, location: Option<&str>) -> u32 {
        let Some(location) = location.map(str::trim).filter(|l| !l.is_empty()) else { return 0 };
        let folded = location.to_lowercase();
        if let Some(id) = self.location_ids.get(&folded) {
            return *id;
        }
        let id = self.locations.len() as u32;
        self.locations.push(folded.clone());
        self.location_ids.insert(folded, id);
        id
    }

    fn set_taxonomy(&mut self, relations: Vec<skill_relations::Model>) {
        let mut taxonomy = Taxonomy::default();
        for relation in relations {
            let skill = self.intern(relation.skill_id);
            let related = self.intern(relation.related_skill_id);
            match relation.kind {
                entity::SkillRelationKind::Broader => taxonomy.add_broader(skill, related),
                entity::SkillRelationKind::Implies => taxonomy.add_implies(skill, related),
            }
        }
        self.taxonomy = taxonomy;
    }

    /// Puts a candidate's current row in its slot (a new slot for a new candidate).
    fn put_candidate(&mut self, (id, years, location, status): CandidateRow) -> u32 {
        let location = self.location_id(location.as_deref());
        let slot = Slot {
            id,
            total_years: years.clamp(0, i32::from(u16::MAX)) as u16,
            location,
            archived: status == CandidateStatus::Archived,
            present: true,
        };
        if let Some(&index) = self.slot_of.get(&id) {
            if let Some(existing) = self.slots.get_mut(index as usize) {
                *existing = slot;
            }
            index
        } else {
            let index = self.slots.len() as u32;
            self.slots.push(slot);
            self.slot_of.insert(id, index);
            index
        }
    }

    fn posting_of(slot: u32, level: i16, years: Option<i32>) -> Posting {
        Posting {
            slot,
            level: level.clamp(1, 5) as u8,
            years: years.map_or(YEARS_UNKNOWN, |y| y.clamp(0, i32::from(YEARS_UNKNOWN) - 1) as u8),
        }
    }

    /// Removes every posting of `slot` (binary search in each list: lists are sorted by slot).
    fn clear_postings(&mut self, slot: u32) {
        for list in &mut self.postings {
            if let Ok(at) = list.binary_search_by_key(&slot, |p| p.slot) {
                list.remove(at);
            }
        }
    }

    fn insert_posting(&mut self, skill: SkillKey, posting: Posting) {
        if let Some(list) = self.postings.get_mut(skill as usize) {
            match list.binary_search_by_key(&posting.slot, |p| p.slot) {
                Ok(at) => {
                    if let Some(existing) = list.get_mut(at) {
                        *existing = posting;
                    }
                }
                Err(at) => list.insert(at, posting),
            }
        }
    }

    /// How many candidates the pool holds (archived and present ones).
    #[must_use]
    pub fn len(&self) -> usize {
        self.slots.iter().filter(|s| s.present).count()
    }

    /// Whether the pool holds nobody.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The slot of a candidate id, if the pool holds them.
    #[must_use]
    pub fn slot_of(&self, candidate: Uuid) -> Option<u32> {
        self.slot_of.get(&candidate).copied().filter(|s| self.slots.get(*s as usize).is_some_and(|x| x.present))
    }

    /// A candidate's profile, as the scorer sees it.
    #[must_use]
    pub fn profile(&self, slot: u32) -> PoolProfile<'_> {
        PoolProfile { pool: self, slot }
    }

    /// The candidate id of a slot.
    #[must_use]
    pub fn candidate_id(&self, slot: u32) -> Option<Uuid> {
        self.slots.get(slot as usize).map(|s| s.id)
    }
}

/// A candidate of a pool as the scorer reads it: skills and total years only.
pub struct PoolProfile<'a> {
    pool: &'a Pool,
    slot: u32,
}

impl Profile for PoolProfile<'_> {
    fn total_years(&self) -> u16 {
        self.pool.slots.get(self.slot as usize).map_or(0, |s| s.total_years)
    }

    fn held(&self, skill: SkillKey) -> Option<Held> {
        let list = self.pool.postings.get(skill as usize)?;
        let at = list.binary_search_by_key(&self.slot, |p| p.slot).ok()?;
        list.get(at).map(|p| p.held())
    }
}

/// Who may appear in a ranking, decided per slot.
#[derive(Debug, Clone, Default)]
pub struct Eligibility {
    /// Archived candidates count too.
    pub include_archived: bool,
    /// Only candidates whose location contains every one of these texts (lower-case), when given.
    pub location_contains: Option<Vec<String>>,
    /// Candidates left out (already in the role's pipeline).
    pub excluded: HashSet<Uuid>,
    /// Only candidates with at least this score.
    pub min_score: Option<f64>,
    /// Only candidates meeting every REQUIRED requirement.
    pub only_fully_qualified: bool,
}

/// One ranked candidate, with what the page needs to explain it.
#[derive(Debug, Clone)]
pub struct RankedCandidate {
    /// Its place in the order, also its cursor.
    pub key: RankKey,
    /// The full evaluation.
    pub evaluation: Evaluation,
    /// Skill ids of the keys the evaluation names.
    pub skills: HashMap<SkillKey, Uuid>,
}

/// One page of a ranking.
#[derive(Debug, Clone)]
pub struct RankedPage {
    /// The page, in rank order.
    pub items: Vec<RankedCandidate>,
    /// More eligible candidates follow.
    pub has_next_page: bool,
    /// Eligible candidates precede the page.
    pub has_previous_page: bool,
    /// Eligible candidates in the whole ranking.
    pub total_count: u64,
}

/// Per-candidate outcome of a whole-pool pass.
pub struct PoolPass {
    /// Score by slot.
    pub scores: Vec<f64>,
    /// REQUIRED requirements fully met, by slot.
    pub required_met: Vec<u16>,
    /// REQUIRED requirements in the spec.
    pub required_count: u16,
    /// Per requirement: how many (of the counted slots) fully meet it, how many partly.
    pub met: Vec<(u64, u64)>,
    /// Per slot: the index sum of the REQUIRED requirements met (with `required_met`, the one
    /// missed requirement of those who miss exactly one).
    pub met_index_sum: Vec<u32>,
    /// Per slot: 1 + the index of a REQUIRED requirement it misses but would meet with its
    /// minimum level one lower (0: none).
    pub lower_level_ok: Vec<u16>,
    /// Per slot: the same with its minimum years one lower.
    pub fewer_years_ok: Vec<u16>,
}

impl Pool {
    /// Scores every candidate in one pass over the postings of the spec's skills: per
    /// requirement, the best member's satisfaction per touched candidate, then its points. The
    /// points are added in the order [`score::evaluate`] adds them, so the two agree bit for bit.
    #[must_use]
    #[expect(
        clippy::too_many_lines,
        reason = "one pass over the postings; split, each part would take the scratch arrays"
    )]
    pub fn pass(&self, spec: &Spec, what_if: bool, counted: Option<&[bool]>) -> PoolPass {
        let n = self.slots.len();
        let total = spec.total_weight();
        let mut scores = vec![0.0f64; n];
        let mut required_met = vec![0u16; n];
        let (mut met_index_sum, mut lower_level_ok, mut fewer_years_ok) =
            if what_if { (vec![0u32; n], vec![0u16; n], vec![0u16; n]) } else { (Vec::new(), Vec::new(), Vec::new()) };
        let mut best = vec![0.0f64; n];
        let mut relaxed = if what_if { vec![(false, false); n] } else { Vec::new() };
        let mut touched: Vec<u32> = Vec::new();
        let mut flagged: Vec<u32> = Vec::new();
        let mut met = Vec::with_capacity(spec.requirements.len());
        let mut required_count = 0u16;
        for (index, requirement) in spec.requirements.iter().enumerate() {
            let required = requirement.importance == entity::Importance::Required;
            for member in &requirement.members {
                for &(skill, via) in &member.satisfiers {
                    let Some(list) = self.postings.get(skill as usize) else { continue };
                    let credit = spec.weights.credit(via);
                    for posting in list {
                        let slot = posting.slot as usize;
                        let held = posting.held();
                        let satisfaction = fit(member.min_level, member.min_years, held) * credit;
                        if let Some(current) = best.get_mut(slot)
                            && satisfaction > *current
                        {
                            if *current == 0.0 {
                                touched.push(posting.slot);
                            }
                            *current = satisfaction;
                        }
                        if what_if
                            && required
                            && let Some(flags) = relaxed.get_mut(slot)
                        {
                            let (level, years) = relaxations(member, held, credit);
                            if (level || years) && !flags.0 && !flags.1 {
                                flagged.push(posting.slot);
                            }
                            flags.0 |= level;
                            flags.1 |= years;
                        }
                    }
                }
            }
            // Who misses this requirement but would meet it relaxed (read before `best` resets).
            for &slot in &flagged {
                let slot = slot as usize;
                let missed = best.get(slot).is_some_and(|s| *s < 1.0);
                if let Some(flags) = relaxed.get_mut(slot) {
                    if missed
                        && flags.0
                        && let Some(mark) = lower_level_ok.get_mut(slot)
                    {
                        *mark = index as u16 + 1;
                    }
                    if missed
                        && flags.1
                        && let Some(mark) = fewer_years_ok.get_mut(slot)
                    {
                        *mark = index as u16 + 1;
                    }
                    *flags = (false, false);
                }
            }
            flagged.clear();
            let (mut full, mut partial) = (0u64, 0u64);
            for &slot in &touched {
                let slot = slot as usize;
                let satisfaction = best.get(slot).copied().unwrap_or(0.0);
                if let Some(score) = scores.get_mut(slot) {
                    *score += score::points_of(total, requirement.weight, satisfaction);
                }
                let counts = counted.is_none_or(|c| c.get(slot).copied().unwrap_or(false));
                if satisfaction >= 1.0 {
                    full += u64::from(counts);
                    if required {
                        if let Some(count) = required_met.get_mut(slot) {
                            *count += 1;
                        }
                        if let Some(sum) = met_index_sum.get_mut(slot) {
                            *sum += index as u32;
                        }
                    }
                } else {
                    partial += u64::from(counts);
                }
                if let Some(value) = best.get_mut(slot) {
                    *value = 0.0;
                }
            }
            touched.clear();
            met.push((full, partial));
            if required {
                required_count += 1;
            }
        }
        let experience_weight = spec.experience_weight();
        if spec.min_years_experience > 0 {
            for (score, slot) in scores.iter_mut().zip(&self.slots) {
                *score += score::points_of(
                    total,
                    experience_weight,
                    experience_fit(spec.min_years_experience, slot.total_years),
                );
            }
        }
        for score in &mut scores {
            *score = score::rounded(*score);
        }
        PoolPass { scores, required_met, required_count, met, met_index_sum, lower_level_ok, fewer_years_ok }
    }

    fn eligible_base(slot: &Slot, eligibility: &Eligibility, locations: Option<&HashSet<u32>>) -> bool {
        slot.present
            && (eligibility.include_archived || !slot.archived)
            && locations.is_none_or(|ids| ids.contains(&slot.location))
            // Hashing every id costs more than the ranking: only when someone is excluded.
            && (eligibility.excluded.is_empty() || !eligibility.excluded.contains(&slot.id))
    }

    fn matching_locations(&self, eligibility: &Eligibility) -> Option<HashSet<u32>> {
        eligibility.location_contains.as_ref().map(|needles| {
            self.locations
                .iter()
                .enumerate()
                .filter(|(id, location)| *id != 0 && needles.iter().all(|n| location.contains(n.as_str())))
                .map(|(id, _)| id as u32)
                .collect()
        })
    }

    /// One page of the ranking after `after` (exclusive), with the total count.
    #[must_use]
    pub fn rank(&self, spec: &Spec, eligibility: &Eligibility, after: Option<&RankKey>, first: usize) -> RankedPage {
        let pass = self.pass(spec, false, None);
        let locations = self.matching_locations(eligibility);
        let mut heap: BinaryHeap<Ranked> = BinaryHeap::with_capacity(first + 2);
        let (mut total, mut before) = (0u64, 0u64);
        for (index, slot) in self.slots.iter().enumerate() {
            if !Self::eligible_base(slot, eligibility, locations.as_ref()) {
                continue;
            }
            let score = pass.scores.get(index).copied().unwrap_or(0.0);
            let meets = pass.required_met.get(index).copied().unwrap_or(0) == pass.required_count;
            if eligibility.min_score.is_some_and(|min| score < min) || (eligibility.only_fully_qualified && !meets) {
                continue;
            }
            total += 1;
            let key = RankKey { meets_all_required: meets, score, id: slot.id };
            if after.is_some_and(|cursor| key.rank_cmp(cursor) != std::cmp::Ordering::Greater) {
                before += 1;
                continue;
            }
            // Most of a large pool ranks below the page: one comparison with the worst kept.
            if heap.len() > first && heap.peek().is_some_and(|worst| key.rank_cmp(&worst.key).is_ge()) {
                continue;
            }
            heap.push(Ranked { key, slot: index as u32 });
            if heap.len() > first + 1 {
                heap.pop();
            }
        }
        let mut ranked = heap.into_sorted_vec();
        let has_next_page = ranked.len() > first;
        ranked.truncate(first);
        let items = ranked.into_iter().map(|r| self.explain(spec, r.slot, r.key)).collect();
        RankedPage { items, has_next_page, has_previous_page: before > 0, total_count: total }
    }

    /// The full evaluation of one candidate, with the skill ids it names.
    #[must_use]
    pub fn explain(&self, spec: &Spec, slot: u32, key: RankKey) -> RankedCandidate {
        let evaluation = score::evaluate(spec, &self.profile(slot));
        let skills = evaluation
            .requirements
            .iter()
            .filter_map(|r| r.best)
            .filter_map(|b| self.skill_id(b.skill).map(|id| (b.skill, id)))
            .collect();
        RankedCandidate { key, evaluation, skills }
    }

    /// The eligible slots (filters without score ones), for the what-if counts.
    #[must_use]
    pub fn eligible_slots(&self, eligibility: &Eligibility) -> Vec<bool> {
        let locations = self.matching_locations(eligibility);
        self.slots.iter().map(|slot| Self::eligible_base(slot, eligibility, locations.as_ref())).collect()
    }
}

/// Whether a held skill would fully satisfy `member` with its minimum level one lower, or its
/// minimum years one lower (each relaxed alone).
fn relaxations(member: &score::Member, held: Held, credit: f64) -> (bool, bool) {
    let lower_level = member.min_level > 1 && fit(member.min_level - 1, member.min_years, held) * credit >= 1.0;
    let fewer_years = member.min_years.is_some_and(|y| y > 0)
        && fit(member.min_level, member.min_years.map(|y| y - 1), held) * credit >= 1.0;
    (lower_level, fewer_years)
}

/// A heap entry: the worst-ranked on top, so popping keeps the best `first + 1`.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    key: RankKey,
    slot: u32,
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == std::cmp::Ordering::Equal
    }
}

impl Eq for Ranked {}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.rank_cmp(&other.key)
    }
}

/// One organization's entry: its pool, and when it was last used.
struct Entry {
    /// Serializes builds and catch-ups, so concurrent requests do the work once.
    refresh: tokio::sync::Mutex<()>,
    /// Read while ranking (synchronously, never across an await); written only to apply a
    /// build or a catch-up whose rows were read before the lock was taken.
    pool: RwLock<Option<Pool>>,
    last_used: Mutex<Instant>,
}

/// A fresh pool of one organization, to read.
pub struct PoolHandle(Arc<Entry>);

impl PoolHandle {
    /// Runs `read` on the pool (synchronously, under its read lock).
    pub fn read<R>(&self, read: impl FnOnce(&Pool) -> R) -> AppResult<R> {
        let guard = self.0.pool.read().map_err(|_| AppError::Internal(anyhow::anyhow!("matching pool poisoned")))?;
        let pool = guard.as_ref().ok_or_else(|| AppError::Internal(anyhow::anyhow!("matching pool missing")))?;
        Ok(read(pool))
    }
}

/// Every organization's pool, shared by the requests of one server.
pub struct MatchIndexes {
    entries: Mutex<HashMap<Uuid, Arc<Entry>>>,
    idle: Duration,
}

impl Default for MatchIndexes {
    fn default() -> Self {
        Self::new(Duration::from_mins(15))
    }
}

impl MatchIndexes {
    /// Pools released after `idle` without a match.
    #[must_use]
    pub fn new(idle: Duration) -> Self {
        Self { entries: Mutex::new(HashMap::new()), idle }
    }

    /// How many organizations have a pool in memory.
    #[must_use]
    pub fn resident(&self) -> usize {
        self.entries.lock().map_or(0, |entries| entries.len())
    }

    fn entry(&self, tenant: Tenant) -> Arc<Entry> {
        let now = Instant::now();
        let Ok(mut entries) = self.entries.lock() else {
            return Arc::new(Entry::fresh(now));
        };
        // Release pools nobody matched for a while (and nobody is using right now).
        entries.retain(|_, entry| {
            Arc::strong_count(entry) > 1 || entry.last_used.lock().is_ok_and(|t| now.duration_since(*t) < self.idle)
        });
        let entry = entries.entry(tenant.organization_id()).or_insert_with(|| Arc::new(Entry::fresh(now))).clone();
        if let Ok(mut last) = entry.last_used.lock() {
            *last = now;
        }
        entry
    }

    /// The organization's pool as of now: every event committed before this call is in it.
    pub async fn fresh(&self, db: &DatabaseConnection, tenant: Tenant) -> AppResult<PoolHandle> {
        let entry = self.entry(tenant);
        let latest = latest_sequence(db, tenant).await?;
        if entry.sequence().is_some_and(|s| s >= latest) {
            return Ok(PoolHandle(entry));
        }
        // In a task of its own: a request that times out or goes away must not abort a build
        // (seconds on a large pool) that the next request would then start over.
        let task = tokio::spawn(refresh(entry.clone(), db.clone(), tenant, latest));
        task.await.map_err(|error| AppError::Internal(anyhow::anyhow!("matching refresh failed: {error}")))??;
        Ok(PoolHandle(entry))
    }
}

/// Brings `entry` up to `latest`: builds it, or applies the events since its sequence. One
/// refresh at a time per organization; a refresh that finds the work done returns.
async fn refresh(entry: Arc<Entry>, db: DatabaseConnection, tenant: Tenant, latest: i64) -> AppResult<()> {
    let _refreshing = entry.refresh.lock().await;
    match entry.sequence() {
        Some(sequence) if sequence >= latest => {}
        Some(sequence) => {
            let delta = catch_up(&db, tenant, sequence, latest).await?;
            let mut guard = entry.write()?;
            match delta {
                Delta::Patch(patch) => {
                    if let Some(pool) = guard.as_mut() {
                        pool.apply(patch);
                    }
                }
                Delta::Rebuilt(pool) => *guard = Some(*pool),
            }
        }
        None => {
            let pool = build(&db, tenant, latest).await?;
            *entry.write()? = Some(pool);
        }
    }
    Ok(())
}

impl Entry {
    fn fresh(now: Instant) -> Self {
        Self { refresh: tokio::sync::Mutex::new(()), pool: RwLock::new(None), last_used: Mutex::new(now) }
    }

    fn sequence(&self) -> Option<i64> {
        self.pool.read().ok().and_then(|p| p.as_ref().map(|p| p.sequence))
    }

    fn write(&self) -> AppResult<std::sync::RwLockWriteGuard<'_, Option<Pool>>> {
        self.pool.write().map_err(|_| AppError::Internal(anyhow::anyhow!("matching pool poisoned")))
    }
}

async fn latest_sequence(db: &DatabaseConnection, tenant: Tenant) -> AppResult<i64> {
    tenant
        .organization()
        .select_only()
        .column(organizations::Column::EventSequence)
        .into_tuple::<i64>()
        .one(db)
        .await?
        .ok_or(AppError::NotFound("Organization"))
}

fn candidate_columns(tenant: Tenant) -> sea_orm::Select<candidates::Entity> {
    tenant.find::<candidates::Entity>().select_only().columns([
        candidates::Column::Id,
        candidates::Column::YearsExperience,
        candidates::Column::Location,
        candidates::Column::Status,
    ])
}

fn skill_columns(tenant: Tenant) -> sea_orm::Select<candidate_skills::Entity> {
    tenant.find::<candidate_skills::Entity>().select_only().columns([
        candidate_skills::Column::CandidateId,
        candidate_skills::Column::SkillId,
        candidate_skills::Column::Level,
        candidate_skills::Column::Years,
    ])
}

/// `candidate_id, "<skill hex>:<level>:<years or -1>,…"` per candidate.
fn folded_skills(tenant: Tenant, backend: sea_orm::DatabaseBackend) -> sea_orm::Select<candidate_skills::Entity> {
    let folded = match backend {
        sea_orm::DatabaseBackend::Postgres => {
            "string_agg(replace(skill_id::text, '-', '') || ':' || level || ':' || coalesce(years, -1), ',')"
        }
        _ => "group_concat(hex(skill_id) || ':' || level || ':' || coalesce(years, -1), ',')",
    };
    tenant
        .find::<candidate_skills::Entity>()
        .select_only()
        .column(candidate_skills::Column::CandidateId)
        .column_as(sea_orm::sea_query::Expr::cust(folded), "skills")
        .group_by(candidate_skills::Column::CandidateId)
}

/// One `<skill hex>:<level>:<years or -1>` of [`folded_skills`].
fn unfold(entry: &str) -> AppResult<(Uuid, i16, Option<i32>)> {
    let bad = || AppError::Internal(anyhow::anyhow!("a folded candidate skill does not read: {entry}"));
    let mut parts = entry.split(':');
    let skill = parts.next().and_then(|s| Uuid::try_parse(s).ok()).ok_or_else(bad)?;
    let level = parts.next().and_then(|s| s.parse::<i16>().ok()).ok_or_else(bad)?;
    let years = parts.next().and_then(|s| s.parse::<i32>().ok()).ok_or_else(bad)?;
    Ok((skill, level, (years >= 0).then_some(years)))
}

async fn load_taxonomy(db: &DatabaseConnection, tenant: Tenant) -> AppResult<Vec<skill_relations::Model>> {
    Ok(tenant.skill_scope().find::<skill_relations::Entity>().all(db).await?)
}

/// Loads the whole pool. `sequence` was read before the rows, so an event committed meanwhile
/// is applied again on the next catch-up (harmless: catching up reloads current rows).
async fn build(db: &DatabaseConnection, tenant: Tenant, sequence: i64) -> AppResult<Pool> {
    let started = Instant::now();
    let mut pool = Pool::new(sequence);
    pool.set_taxonomy(load_taxonomy(db, tenant).await?);
    let mut rows = candidate_columns(tenant).into_tuple::<CandidateRow>().stream(db).await?;
    while let Some(row) = rows.try_next().await? {
        pool.put_candidate(row);
    }
    drop(rows);
    // One row per candidate with their skills folded into text: the drivers hand rows over one
    // at a time (several microseconds each), and a candidate has ten or so skills.
    let mut rows = folded_skills(tenant, db.get_database_backend()).into_tuple::<(Uuid, String)>().stream(db).await?;
    while let Some((candidate, folded)) = rows.try_next().await? {
        let Some(&slot) = pool.slot_of.get(&candidate) else { continue };
        for entry in folded.split(',') {
            let (skill, level, years) = unfold(entry)?;
            let key = pool.intern(skill);
            if let Some(list) = pool.postings.get_mut(key as usize) {
                list.push(Pool::posting_of(slot, level, years));
            }
        }
    }
    drop(rows);
    for list in &mut pool.postings {
        list.sort_unstable_by_key(|p| p.slot);
        list.shrink_to_fit();
    }
    tracing::info!(
        organization = %tenant.organization_id(),
        candidates = pool.slots.len(),
        postings = pool.postings.iter().map(Vec::len).sum::<usize>(),
        elapsed_ms = started.elapsed().as_millis() as u64,
        "built the matching pool"
    );
    Ok(pool)
}

/// What changed since a pool's sequence: rows to patch in, or a whole new pool when too much
/// changed to patch.
enum Delta {
    Patch(Patch),
    Rebuilt(Box<Pool>),
}

/// The current rows of what the events after a pool's sequence name, read before the pool's
/// write lock is taken.
struct Patch {
    sequence: i64,
    taxonomy: Option<Vec<skill_relations::Model>>,
    candidates: Vec<(Vec<Uuid>, Vec<CandidateRow>, Vec<SkillRow>)>,
}

/// Reads the events after `sequence` up to `latest` and the current rows of the candidates
/// they name (and the taxonomy, when the organization's skills changed).
async fn catch_up(db: &DatabaseConnection, tenant: Tenant, mut sequence: i64, latest: i64) -> AppResult<Delta> {
    let mut changed: HashSet<Uuid> = HashSet::new();
    let mut taxonomy_changed = false;
    while sequence < latest {
        let events = crate::events::service::after(db, tenant, sequence, EVENT_BATCH).await?;
        let Some(last) = events.last() else { break };
        sequence = last.sequence;
        for row in &events {
            note_change(row, &mut changed, &mut taxonomy_changed)?;
        }
        // Too much changed to patch: loading anew is cheaper.
        if changed.len() > 50_000 {
            return Ok(Delta::Rebuilt(Box::new(build(db, tenant, latest).await?)));
        }
    }
    let taxonomy = if taxonomy_changed { Some(load_taxonomy(db, tenant).await?) } else { None };
    let ids: Vec<Uuid> = changed.into_iter().collect();
    let mut candidates = Vec::new();
    for chunk in ids.chunks(500) {
        let rows = candidate_columns(tenant)
            .filter(candidates::Column::Id.is_in(chunk.iter().copied()))
            .into_tuple::<CandidateRow>()
            .all(db)
            .await?;
        let skills = skill_columns(tenant)
            .filter(candidate_skills::Column::CandidateId.is_in(chunk.iter().copied()))
            .into_tuple::<SkillRow>()
            .all(db)
            .await?;
        candidates.push((chunk.to_vec(), rows, skills));
    }
    Ok(Delta::Patch(Patch { sequence: latest, taxonomy, candidates }))
}

fn note_change(row: &domain_events::Model, changed: &mut HashSet<Uuid>, taxonomy: &mut bool) -> AppResult<()> {
    match crate::events::service::event_of(row)? {
        Some(
            DomainEvent::CandidateCreated(_)
            | DomainEvent::CandidateUpdated(_)
            | DomainEvent::CandidateSkillsSet(_)
            | DomainEvent::CandidateArchived(_)
            | DomainEvent::CandidateErased(_),
        ) => {
            changed.insert(row.entity_id);
        }
        // The duplicate's row is gone (dropped from the pool), the survivor holds its skills now.
        Some(DomainEvent::CandidatesMerged(merged)) => {
            changed.insert(merged.candidate);
            changed.insert(merged.duplicate);
        }
        Some(DomainEvent::SkillCreated(_) | DomainEvent::SkillAliasAdded(_)) => *taxonomy = true,
        // An erased payload still names its entity: reload it to be safe.
        None if row.entity_type == "Candidate" => {
            changed.insert(row.entity_id);
        }
        _ => {}
    }
    Ok(())
}

impl Pool {
    fn apply(&mut self, patch: Patch) {
        if let Some(relations) = patch.taxonomy {
            self.set_taxonomy(relations);
        }
        for (ids, rows, skills) in patch.candidates {
            self.replace_candidates(&ids, rows, skills);
        }
        self.sequence = self.sequence.max(patch.sequence);
    }

    /// Replaces the named candidates with their current rows; those without a row are gone.
    fn replace_candidates(&mut self, ids: &[Uuid], rows: Vec<CandidateRow>, skills: Vec<SkillRow>) {
        let present: HashSet<Uuid> = rows.iter().map(|r| r.0).collect();
        for id in ids {
            if let Some(&slot) = self.slot_of.get(id) {
                self.clear_postings(slot);
                if !present.contains(id)
                    && let Some(s) = self.slots.get_mut(slot as usize)
                {
                    s.present = false;
                }
            }
        }
        for row in rows {
            self.put_candidate(row);
        }
        for (candidate, skill, level, years) in skills {
            let Some(&slot) = self.slot_of.get(&candidate) else { continue };
            let key = self.intern(skill);
            self.insert_posting(key, Pool::posting_of(slot, level, years));
        }
    }
}

/// Builds a requirement's satisfiers from the pool's taxonomy.
#[must_use]
pub fn satisfiers(pool: &Pool, skill: Uuid, exact: Via) -> Vec<(SkillKey, Via)> {
    let key = pool.key_of(skill);
    if key == UNKNOWN_SKILL { vec![(UNKNOWN_SKILL, exact)] } else { pool.taxonomy().satisfiers(key, exact) }
}

#[cfg(test)]
mod tests {
    use entity::Importance;
    use proptest::prelude::*;

    use super::*;
    use crate::matching::score::{Member, Requirement, Weights};

    /// Total years and (skill, level, years) held.
    type TestProfile = (u16, Vec<(u32, u8, Option<u8>)>);
    /// Importance and (skill, min level, min years) members.
    type TestRequirement = (Importance, Vec<(u32, u8, Option<u16>)>);

    /// A pool of `profiles` (skills 0..8, level, years) with skill 1 narrower than 0 and 2
    /// implying 3.
    fn pool_of(profiles: &[TestProfile]) -> Pool {
        let mut pool = Pool::new(0);
        let skills: Vec<Uuid> = (0..8u128).map(|i| Uuid::from_u128(1000 + i)).collect();
        for skill in &skills {
            pool.intern(*skill);
        }
        let relations =
            [(1usize, 0usize, entity::SkillRelationKind::Broader), (2, 3, entity::SkillRelationKind::Implies)];
        pool.set_taxonomy(
            relations
                .iter()
                .map(|&(a, b, kind)| skill_relations::Model {
                    skill_id: skills[a],
                    related_skill_id: skills[b],
                    kind,
                    organization_id: None,
                })
                .collect(),
        );
        for (i, (years, held)) in profiles.iter().enumerate() {
            let id = Uuid::from_u128(i as u128 + 1);
            let slot = pool.put_candidate((id, i32::from(*years), Some("Berlin".to_owned()), CandidateStatus::Active));
            for &(skill, level, y) in held {
                pool.insert_posting(skill, Pool::posting_of(slot, i16::from(level), y.map(i32::from)));
            }
        }
        pool
    }

    fn spec_of(pool: &Pool, requirements: &[TestRequirement], min_years: u16) -> Spec {
        let weights = Weights::default();
        Spec {
            requirements: requirements
                .iter()
                .map(|(importance, members)| Requirement {
                    importance: *importance,
                    weight: weights.of(*importance),
                    members: members
                        .iter()
                        .map(|&(skill, min_level, min_years)| Member {
                            skill,
                            min_level,
                            min_years,
                            satisfiers: pool.taxonomy().satisfiers(skill, Via::Exact),
                        })
                        .collect(),
                })
                .collect(),
            min_years_experience: min_years,
            weights,
        }
    }

    fn arb_profiles() -> impl Strategy<Value = Vec<TestProfile>> {
        let held = proptest::collection::btree_map(0u32..8, (1u8..=5, proptest::option::of(0u8..12)), 0..6)
            .prop_map(|m| m.into_iter().map(|(s, (l, y))| (s, l, y)).collect::<Vec<_>>());
        proptest::collection::vec((0u16..25, held), 1..40)
    }

    fn arb_requirements() -> impl Strategy<Value = Vec<TestRequirement>> {
        let importance =
            prop_oneof![Just(Importance::Required), Just(Importance::Preferred), Just(Importance::NiceToHave)];
        let member = (0u32..8, 1u8..=5, proptest::option::of(0u16..8));
        proptest::collection::vec((importance, proptest::collection::vec(member, 1..3)), 0..6)
    }

    proptest! {
        /// The one-pass ranking and the per-candidate explanation agree bit for bit, and paging
        /// through the ranking yields every candidate exactly once, in rank order.
        #[test]
        fn the_pass_agrees_with_the_explanation_and_pages_cover_the_pool(
            profiles in arb_profiles(), requirements in arb_requirements(), min_years in 0u16..15, page in 1usize..7
        ) {
            let pool = pool_of(&profiles);
            let spec = spec_of(&pool, &requirements, min_years);
            let pass = pool.pass(&spec, false, None);
            for slot in 0..profiles.len() as u32 {
                let e = score::evaluate(&spec, &pool.profile(slot));
                prop_assert_eq!(e.score.to_bits(), pass.scores[slot as usize].to_bits());
                prop_assert_eq!(e.meets_all_required, pass.required_met[slot as usize] == pass.required_count);
            }
            let eligibility = Eligibility::default();
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let ranked = pool.rank(&spec, &eligibility, after.as_ref(), page);
                prop_assert_eq!(ranked.total_count, profiles.len() as u64);
                seen.extend(ranked.items.iter().map(|r| r.key));
                after = ranked.items.last().map(|r| r.key);
                if !ranked.has_next_page { break; }
            }
            prop_assert_eq!(seen.len(), profiles.len());
            for pair in seen.windows(2) {
                prop_assert!(pair[0].rank_cmp(&pair[1]).is_lt());
            }
        }
    }

    #[test]
    fn a_patch_replaces_a_candidates_skills() {
        let mut pool = pool_of(&[(5, vec![(0, 5, Some(5)), (4, 3, None)]), (5, vec![(4, 2, None)])]);
        let spec = spec_of(&pool, &[(Importance::Required, vec![(0, 5, None)])], 0);
        assert!(pool.pass(&spec, false, None).required_met[0] == 1);
        let id = Uuid::from_u128(1);
        pool.replace_candidates(
            &[id],
            vec![(id, 5, None, CandidateStatus::Active)],
            vec![(id, Uuid::from_u128(1004), 4, None)],
        );
        let pass = pool.pass(&spec, false, None);
        assert_eq!(pass.required_met[0], 0, "the Spark posting is gone");
        assert_eq!(pool.profile(0).held(4), Some(Held { level: 4, years: None }));
        pool.replace_candidates(&[Uuid::from_u128(2)], vec![], vec![]);
        assert_eq!(pool.len(), 1, "a candidate without a row leaves the pool");
    }

    #[test]
    fn the_what_if_pass_finds_who_misses_one_requirement_by_a_level() {
        // Requirements: skill 0 at level 4 (REQUIRED), skill 4 at level 3 with 3 years (REQUIRED).
        let pool = pool_of(&[
            (5, vec![(0, 4, None), (4, 3, Some(3))]), // qualified
            (5, vec![(0, 3, None), (4, 3, Some(3))]), // misses 0 by a level
            (5, vec![(0, 4, None), (4, 3, Some(2))]), // misses 4 by a year
            (5, vec![(4, 3, Some(3))]),               // misses 0 entirely
        ]);
        let spec = spec_of(
            &pool,
            &[(Importance::Required, vec![(0, 4, None)]), (Importance::Required, vec![(4, 3, Some(3))])],
            0,
        );
        let pass = pool.pass(&spec, true, None);
        assert_eq!(pass.required_met, [2, 1, 1, 1]);
        assert_eq!(pass.met, [(2, 1), (3, 1)]);
        assert_eq!(pass.lower_level_ok, [0, 1, 0, 0]);
        assert_eq!(pass.fewer_years_ok, [0, 0, 2, 0]);
        assert_eq!(pass.met_index_sum, [1, 1, 0, 1]);
    }
}
