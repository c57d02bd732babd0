//! Each organization's candidate pool in memory, compact: every candidate's skills packed in
//! 32 bits each (skill, level, years) in one array, a run per candidate, plus each candidate's
//! total years, location and status. Built from the database on first use through the
//! tenant-scoped builders, brought up to date from the organization's domain events before every
//! answer (so a change committed before a request starts is in its answer, whichever server
//! instance committed it), and dropped when the organization has not been matched for a while.
//!
//! A ranking reads candidates one by one (a large pool on several threads): each skill a
//! candidate holds looks up, in a table built per request from the spec, which requirements it
//! satisfies and with what satisfaction and points, so nothing is divided or allocated per
//! candidate and nothing is kept per candidate but the page. Per-skill holder lists narrow the
//! read to the candidates who can make the page, when that can be proven.
//!
//! Memory: 9 bytes per candidate skill (the packed hold, the holder list entry and its years)
//! and 38 per candidate (id, figures, run: 32; the sorted id index: 4; total years again: 2): a
//! pool of 1M candidates with 15 skills each holds ~173 MB.

use std::collections::{BinaryHeap, HashMap, HashSet};
use std::ops::Range;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use entity::{
    CandidateStatus, Importance, candidate_skills, candidates, domain_events, matching_weights, organizations,
    skill_relations,
};
use futures_util::TryStreamExt;
use sea_orm::{ColumnTrait, DatabaseConnection, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::model::MatchingWeights;
use super::score::{
    self, Evaluation, Held, Profile, RankKey, SkillKey, Spec, Taxonomy, Via, Weights, experience_fit, fit,
};
use crate::auth::Tenant;
use crate::error::{AppError, AppResult};
use crate::events::model::DomainEvent;

/// A skill no candidate of the pool holds and no taxonomy link names: nothing holds it.
pub const UNKNOWN_SKILL: SkillKey = SkillKey::MAX;

/// Skill keys a packed hold can carry (22 bits): far more than any taxonomy.
const MAX_SKILL_KEYS: usize = 1 << 22;

/// Years a packed hold stores when the candidate did not say (7 bits; stated years are 0 to 60).
const YEARS_UNKNOWN: u32 = 127;

/// Events read per statement while catching up.
const EVENT_BATCH: u64 = 1_000;

/// Pools at least this large are read on several threads.
const PARALLEL_FROM: usize = 20_000;

/// At most this many threads read one pool.
const MAX_THREADS: usize = 4;

/// Stack of a pool-reading thread: a reader needs a few KiB. The default 2 MiB stack is
/// backed by a transparent huge page that the kernel zeroes on first touch, per request.
const THREAD_STACK: usize = 256 * 1024;

/// Candidates a patch replaces one by one in the holder lists; a larger patch rebuilds them.
const LARGE_PATCH: usize = 2_000;

/// New candidates looked up by hash until this many are merged into the sorted id index.
const ADDED_UNSORTED: usize = 1_024;

/// Candidates whose memory a ranking touches together before reading them ([`Pool::warm`]).
const WARM_BATCH: usize = 16;

/// A ranking by bounds ([`Ranking::page_by_bounds`]) first reads this many pages' worth of the
/// candidates with the highest bounds.
const BOUND_FIRST_READ: usize = 4;

/// Point bounds are fixed point: this many units a point (100 points fit in 27 bits).
const BOUND_SCALE: f64 = (1u32 << 20) as f64;

/// What a bound must stay under a score by to prove it: far above the rounding of sums of
/// points added in another order (1e-13 at 100 points).
const BOUND_MARGIN: f64 = 1e-6;

/// A ranking by bounds buckets them into this many bits' worth of buckets to choose whom to read.
const BOUND_BUCKET_BITS: u32 = 10;

/// Requirements a ranking tracks in a bit mask; larger specs (never saved: roles and drafts
/// are validated to 100) are scored candidate by candidate through [`score::evaluate`].
const MASK_BITS: usize = 128;

/// Slots a holder entry can name: its top 3 bits are the holder's level, highest first.
const HOLDER_SLOT_BITS: u32 = 29;
const HOLDER_SLOT_MASK: u32 = (1 << HOLDER_SLOT_BITS) - 1;
/// The most candidates a pool holds (536M; a pool of that size would take tens of GiB).
const MAX_SLOTS: usize = 1 << HOLDER_SLOT_BITS;

/// One entry of a skill's holder list: the slot, ordered by the holder's level (highest first)
/// and then by slot, so a list's holders at or above a level are a prefix of it.
fn holder_entry(slot: u32, level: u8) -> u32 {
    (u32::from(5 - level.clamp(1, 5)) << HOLDER_SLOT_BITS) | (slot & HOLDER_SLOT_MASK)
}

/// The slot a holder entry names.
fn holder_slot(entry: u32) -> u32 {
    entry & HOLDER_SLOT_MASK
}

/// The entries of `list` (a holder list) whose holders have at least `level`.
fn holders_from_level(list: &[u32], level: u8) -> &[u32] {
    // Levels `level..=5` are the tiers 0..=(5 - level): the entries below the next tier.
    let bound = u32::from(6 - level.clamp(1, 5)) << HOLDER_SLOT_BITS;
    list.get(..list.partition_point(|&entry| entry < bound)).unwrap_or_default()
}

/// One candidate's hold of one skill, packed: skill key (22 bits), level (3), years (7).
/// Sorting holds sorts them by skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct Hold(u32);

impl Hold {
    fn new(skill: SkillKey, level: i16, years: Option<i32>) -> Self {
        let level = level.clamp(1, 5) as u32;
        let years = years.map_or(YEARS_UNKNOWN, |y| y.clamp(0, YEARS_UNKNOWN as i32 - 1) as u32);
        Self((skill << 10) | (level << 7) | years)
    }

    fn skill(self) -> SkillKey {
        self.0 >> 10
    }

    fn level(self) -> u8 {
        ((self.0 >> 7) & 7) as u8
    }

    fn years(self) -> Option<u16> {
        let years = self.0 & 127;
        (years != YEARS_UNKNOWN).then_some(years as u16)
    }

    /// The years as packed: [`YEARS_UNKNOWN`] for none.
    fn raw_years(self) -> u8 {
        (self.0 & 127) as u8
    }

    fn held(self) -> Held {
        Held { level: self.level(), years: self.years() }
    }
}

/// What the pool keeps of a candidate besides skills. No name, no contact data: the location
/// only serves the location filter and never reaches the scorer.
#[derive(Debug, Clone, Copy)]
struct Slot {
    id: Uuid,
    total_years: u16,
    location: u32,
    /// Where the candidate's holds start in [`Pool::holds`], and how many there are.
    run_start: u32,
    run_len: u16,
    archived: bool,
    present: bool,
}

/// One organization's pool.
#[derive(Debug, Default)]
pub struct Pool {
    /// The organization's event sequence this pool reflects.
    sequence: i64,
    /// The organization's matching weights as of `sequence` (`organization.set_matching_weights`
    /// advances the sequence, so they are as fresh as the candidates).
    weights: Weights,
    skill_keys: HashMap<Uuid, SkillKey>,
    skill_ids: Vec<Uuid>,
    taxonomy: Taxonomy,
    /// Every candidate's holds, a run per candidate sorted by skill.
    holds: Vec<Hold>,
    /// Holds of replaced runs still in `holds`, until a compaction drops them.
    stale_holds: usize,
    /// Per skill key, the slots holding it, sorted: which candidates a spec can touch at all.
    holders: Vec<Vec<u32>>,
    /// Per skill key, the years of each entry of its holder list, in the same order (as a hold
    /// packs them, [`YEARS_UNKNOWN`] for none): a talent pool reads years without the runs.
    holder_years: Vec<Vec<u8>>,
    /// `holders` is out of date (a large patch rebuilds it once, not candidate by candidate).
    holders_stale: bool,
    /// Candidates present and not archived, and present at all: counted once per pool state.
    counted: std::sync::OnceLock<(u64, u64)>,
    /// The same candidates as bitmaps by slot, made once per pool state: a talent pool starts
    /// from them.
    eligible_marks: std::sync::OnceLock<(Vec<u64>, Vec<u64>)>,
    slots: Vec<Slot>,
    /// Each slot's total years again, packed apart from the slots: a ranking by bounds reads
    /// everyone's (2 bytes a candidate instead of a 32-byte slot each).
    years_by_slot: Vec<u16>,
    /// Slot numbers sorted by candidate id, as of the last sort (4 bytes a candidate; a hash
    /// map of ids took ~44 at 1M, and twice that while it grew).
    by_id: Vec<u32>,
    /// Slots added since `by_id` was sorted, until [`ADDED_UNSORTED`] of them are.
    added: HashMap<Uuid, u32>,
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

    /// The organization's matching weights, as fresh as the pool.
    #[must_use]
    pub fn weights(&self) -> Weights {
        self.weights
    }

    /// The key of a skill, interning it (`None` past [`MAX_SKILL_KEYS`]).
    fn intern(&mut self, skill: Uuid) -> Option<SkillKey> {
        if let Some(key) = self.skill_keys.get(&skill) {
            return Some(*key);
        }
        if self.skill_ids.len() >= MAX_SKILL_KEYS {
            tracing::warn!(%skill, "the matching pool holds as many skills as it can; this one is left out");
            return None;
        }
        let key = self.skill_ids.len() as SkillKey;
        self.skill_ids.push(skill);
        self.holders.push(Vec::new());
        self.holder_years.push(Vec::new());
        self.skill_keys.insert(skill, key);
        Some(key)
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
            let (Some(skill), Some(related)) = (self.intern(relation.skill_id), self.intern(relation.related_skill_id))
            else {
                continue;
            };
            match relation.kind {
                entity::SkillRelationKind::Broader => taxonomy.add_broader(skill, related),
                entity::SkillRelationKind::Implies => taxonomy.add_implies(skill, related),
            }
        }
        self.taxonomy = taxonomy;
    }

    /// The slot of a candidate id, present or not.
    fn find(&self, id: Uuid) -> Option<u32> {
        if let Some(&slot) = self.added.get(&id) {
            return Some(slot);
        }
        let at =
            self.by_id.binary_search_by(|slot| self.slots.get(*slot as usize).map(|s| s.id).cmp(&Some(id))).ok()?;
        self.by_id.get(at).copied()
    }

    /// Merges the slots added since the last sort into `by_id` once there are many (a stable
    /// sort of two sorted runs is one linear merge).
    fn index_added(&mut self, at_least: usize) {
        if self.added.len() < at_least.max(1) {
            return;
        }
        let slots = &self.slots;
        let id_of = |slot: &u32| slots.get(*slot as usize).map(|s| s.id);
        let mut added: Vec<u32> = self.added.drain().map(|(_, slot)| slot).collect();
        added.sort_unstable_by_key(id_of);
        self.by_id.extend(added);
        self.by_id.sort_by_key(id_of);
    }

    /// A new slot for a candidate, without skills, not yet findable by id.
    fn push_slot(&mut self, (id, years, location, status): CandidateRow) -> u32 {
        let location = self.location_id(location.as_deref());
        let total_years = years.clamp(0, i32::from(u16::MAX)) as u16;
        let archived = status == CandidateStatus::Archived;
        let index = self.slots.len() as u32;
        let run_start = self.holds.len() as u32;
        self.slots.push(Slot { id, total_years, location, run_start, run_len: 0, archived, present: true });
        self.years_by_slot.push(total_years);
        index
    }

    /// Puts a candidate's current row in its slot (a new slot, without skills, for a new
    /// candidate).
    fn put_candidate(&mut self, row: CandidateRow) -> u32 {
        let Some(index) = self.find(row.0) else {
            let id = row.0;
            let index = self.push_slot(row);
            self.added.insert(id, index);
            return index;
        };
        let (id, years, location, status) = row;
        let location = self.location_id(location.as_deref());
        let total_years = years.clamp(0, i32::from(u16::MAX)) as u16;
        let archived = status == CandidateStatus::Archived;
        if let Some(existing) = self.slots.get_mut(index as usize) {
            *existing = Slot { id, total_years, location, archived, present: true, ..*existing };
        }
        if let Some(years) = self.years_by_slot.get_mut(index as usize) {
            *years = total_years;
        }
        index
    }

    /// A candidate's holds.
    fn run(&self, slot: &Slot) -> &[Hold] {
        let start = slot.run_start as usize;
        self.holds.get(start..start + usize::from(slot.run_len)).unwrap_or_default()
    }

    /// Gives `slot` these holds (one per skill), replacing the ones it had.
    fn set_run(&mut self, slot: u32, mut holds: Vec<Hold>) {
        holds.sort_unstable();
        holds.dedup_by_key(|h| h.skill());
        holds.truncate(usize::from(u16::MAX));
        let run_start = self.holds.len() as u32;
        let Some(entry) = self.slots.get(slot as usize).copied() else { return };
        if !self.holders_stale {
            let old: Vec<Hold> = self.run(&entry).to_vec();
            for hold in old {
                let skill = hold.skill() as usize;
                if let (Some(list), Some(years)) = (self.holders.get_mut(skill), self.holder_years.get_mut(skill))
                    && let Ok(at) = list.binary_search(&holder_entry(slot, hold.level()))
                    && at < years.len()
                {
                    list.remove(at);
                    years.remove(at);
                }
            }
            for hold in &holds {
                let skill = hold.skill() as usize;
                if let (Some(list), Some(years)) = (self.holders.get_mut(skill), self.holder_years.get_mut(skill)) {
                    let entry = holder_entry(slot, hold.level());
                    if let Err(at) = list.binary_search(&entry)
                        && at <= years.len()
                    {
                        list.insert(at, entry);
                        years.insert(at, hold.raw_years());
                    }
                }
            }
        }
        self.stale_holds += usize::from(entry.run_len);
        if let Some(entry) = self.slots.get_mut(slot as usize) {
            entry.run_start = run_start;
            entry.run_len = holds.len() as u16;
        }
        self.holds.extend(holds);
        if self.stale_holds > 4_096 && self.stale_holds > self.holds.len() / 4 {
            self.compact();
        }
    }

    /// Rebuilds every holder list from the runs, each list allocated to its exact length (a
    /// build's lists grown by pushing held up to twice their size at 1M candidates).
    fn rebuild_holders(&mut self) {
        // Per skill, how many hold it at each level (tier 0 = level 5): each list is filled in
        // place, tier by tier in slot order, so it comes out sorted without a sort.
        let mut tiers = vec![[0u32; 5]; self.holders.len()];
        for slot in &self.slots {
            for hold in self.run(slot) {
                if let Some(counts) = tiers.get_mut(hold.skill() as usize)
                    && let Some(count) = counts.get_mut(usize::from(5 - hold.level().clamp(1, 5)))
                {
                    *count += 1;
                }
            }
        }
        let mut next: Vec<[u32; 5]> = Vec::with_capacity(tiers.len());
        for (list, counts) in self.holders.iter_mut().zip(&tiers) {
            let mut starts = [0u32; 5];
            let mut total = 0;
            for (start, count) in starts.iter_mut().zip(counts) {
                *start = total;
                total += count;
            }
            *list = vec![0; total as usize];
            next.push(starts);
        }
        self.holder_years = self.holders.iter().map(|list| vec![0; list.len()]).collect();
        let (slots, holds, holders, holder_years) =
            (&self.slots, &self.holds, &mut self.holders, &mut self.holder_years);
        for (index, slot) in slots.iter().enumerate() {
            let start = slot.run_start as usize;
            for hold in holds.get(start..start + usize::from(slot.run_len)).unwrap_or_default() {
                let skill = hold.skill() as usize;
                let tier = usize::from(5 - hold.level().clamp(1, 5));
                if let (Some(list), Some(years), Some(at)) = (
                    holders.get_mut(skill),
                    holder_years.get_mut(skill),
                    next.get_mut(skill).and_then(|n| n.get_mut(tier)),
                ) && let (Some(place), Some(place_years)) = (list.get_mut(*at as usize), years.get_mut(*at as usize))
                {
                    *place = holder_entry(index as u32, hold.level());
                    *place_years = hold.raw_years();
                    *at += 1;
                }
            }
        }
        self.holders_stale = false;
    }

    /// Drops the holds of replaced runs.
    fn compact(&mut self) {
        let mut holds = Vec::with_capacity(self.holds.len() - self.stale_holds);
        for slot in &mut self.slots {
            let start = slot.run_start as usize;
            let run = self.holds.get(start..start + usize::from(slot.run_len)).unwrap_or_default();
            slot.run_start = holds.len() as u32;
            holds.extend_from_slice(run);
        }
        self.holds = holds;
        self.stale_holds = 0;
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
        self.find(candidate).filter(|s| self.slots.get(*s as usize).is_some_and(|x| x.present))
    }

    /// A candidate's profile, as the scorer sees it.
    #[must_use]
    pub fn profile(&self, slot: u32) -> PoolProfile<'_> {
        let run = self.slots.get(slot as usize).map(|s| self.run(s)).unwrap_or_default();
        PoolProfile { total_years: self.slots.get(slot as usize).map_or(0, |s| s.total_years), run }
    }

    /// The candidate id of a slot.
    #[must_use]
    pub fn candidate_id(&self, slot: u32) -> Option<Uuid> {
        self.slots.get(slot as usize).map(|s| s.id)
    }
}

/// A candidate of a pool as the scorer reads it: skills and total years only.
pub struct PoolProfile<'a> {
    total_years: u16,
    run: &'a [Hold],
}

impl Profile for PoolProfile<'_> {
    fn total_years(&self) -> u16 {
        self.total_years
    }

    fn held(&self, skill: SkillKey) -> Option<Held> {
        let at = self.run.binary_search_by_key(&skill, |h| h.skill()).ok()?;
        self.run.get(at).map(|h| h.held())
    }
}

/// How a held skill satisfies one requirement, by the holder's level and years: satisfaction
/// and points as [`score::evaluate`] computes them (the same operations, so the same bits), and
/// whether the requirement relaxed would be met.
#[derive(Debug, Clone, Copy, Default)]
struct Cell {
    satisfaction: f64,
    points: f64,
    lower_level_ok: bool,
    fewer_years_ok: bool,
}

/// One requirement a skill satisfies (through one member of it, by one relation).
#[derive(Debug, Clone, Copy)]
struct Route {
    requirement: u8,
    /// The route's cells start here: 6 levels × (`years_cap` + 1) years.
    cells: u32,
    /// Years at and past which satisfaction no longer grows (the member's minimum, or 0).
    years_cap: u16,
}

/// A spec compiled for one pass over a pool: per skill, the requirements it satisfies.
struct Plan {
    /// Per skill key, the range of `routes` it takes.
    by_skill: Vec<(u32, u32)>,
    routes: Vec<Route>,
    cells: Vec<Cell>,
    /// Bits of the REQUIRED requirements.
    required: u128,
    /// The experience factor's points by total years, capped at the minimum (empty: no factor).
    experience: Vec<f64>,
    /// Per REQUIRED requirement and skill that can fully satisfy it, the lowest level that
    /// can (with enough years): only its holders at that level or above can meet it.
    full_from: Vec<(u8, SkillKey, u8)>,
    /// Per requirement, the most points any route gives it.
    best_points: Vec<f64>,
}

impl Plan {
    /// `None` for a spec of more requirements than the mask holds.
    fn new(pool: &Pool, spec: &Spec) -> Option<Self> {
        if spec.requirements.len() > MASK_BITS {
            return None;
        }
        let total = spec.total_weight();
        let mut by_requirement: Vec<(SkillKey, Route)> = Vec::new();
        let mut cells = Vec::new();
        let mut required = 0u128;
        let mut full_from = Vec::new();
        let mut best_points = vec![0.0f64; spec.requirements.len()];
        for (index, requirement) in spec.requirements.iter().enumerate() {
            if requirement.importance == Importance::Required {
                required |= 1 << index;
            }
            for member in &requirement.members {
                let years_cap = member.min_years.unwrap_or(0);
                for &(skill, via) in &member.satisfiers {
                    if skill as usize >= pool.skill_ids.len() {
                        continue;
                    }
                    let credit = spec.weights.credit(via);
                    let start = cells.len() as u32;
                    for level in 0..=5u8 {
                        for years in 0..=years_cap {
                            let held = Held { level, years: Some(years) };
                            let satisfaction = fit(member.min_level, member.min_years, held) * credit;
                            let (lower_level_ok, fewer_years_ok) = relaxations(member, held, credit);
                            cells.push(Cell {
                                satisfaction,
                                points: score::points_of(total, requirement.weight, satisfaction),
                                lower_level_ok,
                                fewer_years_ok,
                            });
                        }
                    }
                    if requirement.importance == Importance::Required {
                        let row = usize::from(years_cap) + 1;
                        let full = (1..=5u8).find(|&level| {
                            let at = start as usize + usize::from(level) * row + usize::from(years_cap);
                            cells.get(at).is_some_and(|cell| cell.satisfaction >= 1.0)
                        });
                        if let Some(level) = full {
                            full_from.push((index as u8, skill, level));
                        }
                    }
                    if let (Some(best), Some(route_cells)) = (best_points.get_mut(index), cells.get(start as usize..)) {
                        *best = route_cells.iter().map(|cell| cell.points).fold(*best, f64::max);
                    }
                    by_requirement.push((skill, Route { requirement: index as u8, cells: start, years_cap }));
                }
            }
        }
        by_requirement.sort_by_key(|(skill, route)| (*skill, route.requirement));
        let mut by_skill = vec![(0u32, 0u32); pool.skill_ids.len()];
        let mut routes = Vec::with_capacity(by_requirement.len());
        for (skill, route) in by_requirement {
            if let Some(range) = by_skill.get_mut(skill as usize) {
                if range.0 == range.1 {
                    *range = (routes.len() as u32, routes.len() as u32);
                }
                range.1 += 1;
            }
            routes.push(route);
        }
        let experience = if spec.min_years_experience > 0 {
            let weight = spec.experience_weight();
            (0..=spec.min_years_experience)
                .map(|years| score::points_of(total, weight, experience_fit(spec.min_years_experience, years)))
                .collect()
        } else {
            Vec::new()
        };
        Some(Self { by_skill, routes, cells, required, experience, full_from, best_points })
    }

    /// The score of a candidate with `points` from requirements and `total_years`: the points,
    /// then the experience factor, rounded (as [`score::evaluate`] adds them).
    fn score(&self, points: f64, total_years: u16) -> f64 {
        match self.experience.len().checked_sub(1) {
            None => score::rounded(points),
            Some(last) => {
                score::rounded(points + self.experience.get(usize::from(total_years).min(last)).copied().unwrap_or(0.0))
            }
        }
    }
}

/// One candidate read against a plan.
#[derive(Debug, Clone, Copy)]
struct Reading {
    /// Requirement points, added in requirement order.
    points: f64,
    /// Bits of the requirements fully met.
    met: u128,
}

/// Per-requirement best values while reading one candidate; all zeros between candidates.
struct Reader {
    satisfaction: [f64; MASK_BITS],
    points: [f64; MASK_BITS],
}

impl Reader {
    fn new() -> Self {
        Self { satisfaction: [0.0; MASK_BITS], points: [0.0; MASK_BITS] }
    }

    /// Reads one candidate's holds: for every requirement, the best satisfaction among the
    /// skills that satisfy it (its points).
    #[inline]
    fn read(&mut self, plan: &Plan, run: &[Hold]) -> Reading {
        let mut touched = 0u128;
        for &hold in run {
            let Some(&(start, end)) = plan.by_skill.get(hold.skill() as usize) else { continue };
            for route in plan.routes.get(start as usize..end as usize).unwrap_or_default() {
                let years = hold.years().unwrap_or(0).min(route.years_cap);
                let at = route.cells as usize
                    + usize::from(hold.level()) * (usize::from(route.years_cap) + 1)
                    + usize::from(years);
                let Some(cell) = plan.cells.get(at) else { continue };
                let requirement = usize::from(route.requirement);
                let bit = 1u128 << requirement;
                if let (Some(best), Some(points)) =
                    (self.satisfaction.get_mut(requirement), self.points.get_mut(requirement))
                    && cell.satisfaction > *best
                {
                    *best = cell.satisfaction;
                    *points = cell.points;
                    touched |= bit;
                }
            }
        }
        let (mut points, mut met) = (0.0, 0u128);
        let mut remaining = touched;
        while remaining != 0 {
            let requirement = remaining.trailing_zeros() as usize;
            let bit = 1u128 << requirement;
            remaining &= remaining - 1;
            if let (Some(best), Some(p)) = (self.satisfaction.get_mut(requirement), self.points.get_mut(requirement)) {
                points += *p;
                if *best >= 1.0 {
                    met |= bit;
                }
                *best = 0.0;
                *p = 0.0;
            }
        }
        Reading { points, met }
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

/// One ranking request over a pool.
struct Ranking<'a> {
    pool: &'a Pool,
    spec: &'a Spec,
    /// `None`: the spec is too large for the plan; candidates are evaluated one by one.
    plan: Option<&'a Plan>,
    eligibility: &'a Eligibility,
    locations: Option<&'a HashSet<u32>>,
}

impl Ranking<'_> {
    /// The rank key of an eligible candidate passing the filters.
    fn key(&self, reader: &mut Reader, index: usize) -> Option<RankKey> {
        let slot = self.pool.slots.get(index)?;
        if !Pool::eligible_base(slot, self.eligibility, self.locations) {
            return None;
        }
        let (meets, score) = if let Some(plan) = self.plan {
            let reading = reader.read(plan, self.pool.run(slot));
            (reading.met & plan.required == plan.required, plan.score(reading.points, slot.total_years))
        } else {
            let evaluation = score::evaluate(self.spec, &self.pool.profile(index as u32));
            (evaluation.meets_all_required, evaluation.score)
        };
        let filtered = self.eligibility.min_score.is_some_and(|min| score < min)
            || (self.eligibility.only_fully_qualified && !meets);
        (!filtered).then_some(RankKey { meets_all_required: meets, score, id: slot.id })
    }

    /// The page over the slots `slot_at(0..len)`, read on several threads when there are many.
    fn page_of<'c>(
        &self,
        len: usize,
        slot_at: impl Fn(usize) -> usize + Sync,
        after: Option<&'c RankKey>,
        first: usize,
    ) -> PageHeap<'c> {
        let empty = || PageHeap::new(first, after);
        let pages = Pool::over_ranges(len, |range| {
            let mut page = empty();
            let mut reader = Reader::new();
            let mut batch = [0usize; WARM_BATCH];
            let mut i = range.start;
            while i < range.end {
                let end = (i + WARM_BATCH).min(range.end);
                for (at, place) in (i..end).zip(batch.iter_mut()) {
                    *place = slot_at(at);
                }
                let batch = batch.get(..end - i).unwrap_or_default();
                self.pool.warm(batch);
                for &index in batch {
                    if let Some(key) = self.key(&mut reader, index) {
                        page.offer(key, index as u32);
                    }
                }
                i = end;
            }
            page
        });
        let mut page = empty();
        for other in pages {
            page.merge(other);
        }
        page
    }

    /// The page from only the candidates who can rank high, when that provably is the page:
    /// when few candidates hold any skill of the spec, those holders (everyone else scores by
    /// total years alone); otherwise those holding, at a level that can meet it, a skill for
    /// every REQUIRED requirement (everyone else is not fully qualified), and when fewer than a
    /// page are, the best of the rest by a bound on their points ([`Ranking::page_by_bounds`]).
    /// `None` sends the request to a full read. Score filters need everyone.
    fn page_of_subset<'c>(&self, plan: &Plan, after: Option<&'c RankKey>, first: usize) -> Option<PageHeap<'c>> {
        if self.eligibility.min_score.is_some() {
            return None;
        }
        let pool = self.pool;
        let n = pool.slots.len();
        let every_skill: Vec<(SkillKey, u8)> = self
            .spec
            .requirements
            .iter()
            .flat_map(|r| r.members.iter().flat_map(|m| m.satisfiers.iter().map(|&(skill, _)| (skill, 1))))
            .collect();
        let holding = every_skill.iter().map(|&(s, _)| pool.holders.get(s as usize).map_or(0, Vec::len)).sum::<usize>();
        let read = |marks: &[u64]| {
            let members = members_of(marks);
            self.page_of(members.len(), |i| members.get(i).copied().unwrap_or(usize::MAX), after, first)
        };
        if holding <= (n / 4).min(PARALLEL_FROM) {
            // Everyone outside holds no skill of the spec and scores by total years alone.
            let mut page = read(&pool.holder_marks(every_skill.iter().copied()));
            if self.eligibility.only_fully_qualified && plan.required != 0 {
                // Nobody outside qualifies: the subset is the whole ranking.
                return Some(page);
            }
            let worst = page.heap.peek().filter(|_| page.heap.len() > first)?.key;
            let outside_meets = plan.required == 0;
            let outside_best = plan.score(0.0, u16::MAX);
            let ranks_above_outside = (worst.meets_all_required && !outside_meets)
                || (worst.meets_all_required == outside_meets && worst.score > outside_best);
            if !ranks_above_outside {
                return None;
            }
            page.total = pool.eligible_count(self.eligibility, self.locations);
            return Some(page);
        }
        let mut qualified = None;
        let mut page = PageHeap::new(first, after);
        if plan.required != 0 {
            // Only who holds, at a level that can, a skill for every REQUIRED requirement can be
            // fully qualified.
            let mut marks: Option<Vec<u64>> = None;
            let mut remaining = plan.required;
            while remaining != 0 {
                let index = remaining.trailing_zeros() as u8;
                remaining &= remaining - 1;
                let held = pool.holder_marks(
                    plan.full_from.iter().filter(|f| f.0 == index).map(|&(_, skill, level)| (skill, level)),
                );
                match &mut marks {
                    None => marks = Some(held),
                    Some(marks) => marks.iter_mut().zip(held).for_each(|(word, held)| *word &= held),
                }
            }
            let marks = marks.unwrap_or_default();
            page = read(&marks);
            if self.eligibility.only_fully_qualified {
                // Nobody outside qualifies: the subset is the whole ranking.
                return Some(page);
            }
            if page.heap.len() > first && page.heap.peek().is_some_and(|worst| worst.key.meets_all_required) {
                page.total = pool.eligible_count(self.eligibility, self.locations);
                return Some(page);
            }
            qualified = Some(marks);
        }
        let mut page = self.page_by_bounds(plan, page, qualified.as_deref())?;
        page.total = pool.eligible_count(self.eligibility, self.locations);
        Some(page)
    }

    /// Completes `page`, which holds everyone who may be fully qualified (those of `read`, or
    /// everyone when nothing is REQUIRED), with the best of the rest, reading them in the order of
    /// a bound on their score taken from the holder lists and total years alone (MaxScore-like):
    /// the candidates with the highest bounds first, until the page's last candidate outscores
    /// the bound of everyone unread. A role few candidates fully meet, or whose skills many hold,
    /// would otherwise read most of the pool. `None` when the bounds prove nothing.
    fn page_by_bounds<'c>(&self, plan: &Plan, mut page: PageHeap<'c>, read: Option<&[u64]>) -> Option<PageHeap<'c>> {
        let started = Instant::now();
        let bounds = self.pool.point_bounds(self.spec, plan);
        let unread = |slot: usize| {
            read.is_none_or(|marks| marks.get(slot / 64).is_none_or(|word| word & (1 << (slot % 64)) == 0))
        };
        let top = bounds.iter().copied().max().unwrap_or(0);
        let shift = (32 - top.leading_zeros()).saturating_sub(BOUND_BUCKET_BITS);
        let mut histogram = vec![0usize; (1 << BOUND_BUCKET_BITS) + 1];
        for &bound in &bounds {
            if let Some(count) = histogram.get_mut((bound >> shift) as usize) {
                *count += 1;
            }
        }
        let bounded = started.elapsed();
        let first = page.first;
        // Reads the unread candidates with `lower <= bound < upper` into the page.
        let read_between = |page: &mut PageHeap<'c>, lower: u32, upper: u32| {
            let members: Vec<usize> = (0..bounds.len())
                .filter(|&slot| bounds.get(slot).is_some_and(|&b| b >= lower && b < upper) && unread(slot))
                .collect();
            let (after, first) = (page.after, page.first);
            page.merge(self.page_of(members.len(), |i| members.get(i).copied().unwrap_or(usize::MAX), after, first));
        };
        let (mut wanted, mut upper) = (BOUND_FIRST_READ * (first + 1), u32::MAX);
        let (mut bucket, mut taken) = (histogram.len(), 0);
        loop {
            while bucket > 0 && taken < wanted {
                bucket -= 1;
                taken += histogram.get(bucket).copied().unwrap_or(0);
            }
            let lower = (bucket as u32) << shift;
            read_between(&mut page, lower, upper);
            upper = lower;
            if let Some(worst) = page.heap.peek().filter(|_| page.heap.len() > first).map(|w| w.key) {
                // Whoever is unread ranks below the page's last candidate if their bound is below
                // its score; the last candidate only gets better as more are read. (Everyone who
                // may be fully qualified is read, so the unread compare by score alone.)
                let needed = (worst.score - BOUND_MARGIN) * BOUND_SCALE;
                if needed < 0.0 {
                    return None;
                }
                let needed = needed.floor().min(f64::from(u32::MAX)) as u32;
                if needed < lower {
                    read_between(&mut page, needed, lower);
                }
                tracing::debug!(bounds_us = bounded.as_micros() as u64, read = page.total, "ranked by bounds");
                return Some(page);
            }
            if lower == 0 || taken > bounds.len() / 2 {
                return None;
            }
            wanted = wanted.saturating_mul(8);
        }
    }
}

/// The slots of a bitmap's set bits, in order.
fn members_of(marks: &[u64]) -> Vec<usize> {
    let mut members = Vec::new();
    for (at, &word) in marks.iter().enumerate() {
        let mut word = word;
        while word != 0 {
            members.push(at * 64 + word.trailing_zeros() as usize);
            word &= word - 1;
        }
    }
    members
}

/// How a role's pool looks, and what relaxing each requirement would change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PoolCounts {
    /// Eligible candidates.
    pub size: u64,
    /// Of those, how many meet every REQUIRED requirement.
    pub qualified: u64,
    /// How many miss exactly one REQUIRED requirement.
    pub missing_exactly_one: u64,
    /// Per requirement, in spec order.
    pub requirements: Vec<RequirementCounts>,
}

/// One requirement's share of [`PoolCounts`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RequirementCounts {
    /// Candidates fully meeting it.
    pub met: u64,
    /// Candidates meeting it partly.
    pub partial: u64,
    /// REQUIRED: candidates for whom it is the only one missed.
    pub only_missing: u64,
    /// Of those, how many would meet it with its minimum level one lower.
    pub more_if_level_lower: u64,
    /// Of those, how many would meet it with its minimum years one lower.
    pub more_if_years_lower: u64,
}

impl Pool {
    /// Runs `work` over `0..len` split into one range per thread (one range when short); the
    /// results in range order.
    fn over_ranges<R: Send>(len: usize, work: impl Fn(Range<usize>) -> R + Sync) -> Vec<R> {
        let threads = if len < PARALLEL_FROM { 1 } else { Self::threads() };
        let chunk = len.div_ceil(threads).max(1);
        let ranges: Vec<Range<usize>> =
            (0..threads).map(|i| (i * chunk).min(len)..((i + 1) * chunk).min(len)).collect();
        Self::on_threads(&ranges, |range| work(range.clone()))
    }

    /// The threads a read of a pool spreads over.
    fn threads() -> usize {
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get).clamp(1, MAX_THREADS)
    }

    /// Runs `work` on each of `parts`, the first here and each other on a thread of its own; the
    /// results in part order. A part whose thread could not start, or panicked, is worked here: a
    /// ranking or a count never leaves candidates out.
    fn on_threads<P: Sync + std::fmt::Debug, R: Send>(parts: &[P], work: impl Fn(&P) -> R + Sync) -> Vec<R> {
        let Some((first, others)) = parts.split_first() else { return Vec::new() };
        let work = &work;
        std::thread::scope(|scope| {
            let handles: Vec<_> = others
                .iter()
                .map(|part| {
                    let handle = std::thread::Builder::new()
                        .stack_size(THREAD_STACK)
                        .spawn_scoped(scope, move || work(part))
                        .ok();
                    (part, handle)
                })
                .collect();
            let mut results = vec![work(first)];
            for (part, handle) in handles {
                results.push(handle.and_then(|handle| handle.join().ok()).unwrap_or_else(|| {
                    tracing::warn!(?part, "a matching thread failed; working its part here");
                    work(part)
                }));
            }
            results
        })
    }

    /// The slots holding any of `skills` at the given level or above, as a bitmap by slot.
    fn holder_marks(&self, skills: impl Iterator<Item = (SkillKey, u8)>) -> Vec<u64> {
        let mut marks = vec![0u64; self.slots.len().div_ceil(64)];
        for (skill, level) in skills {
            let list = self.holders.get(skill as usize).map_or(&[][..], Vec::as_slice);
            for &entry in holders_from_level(list, level) {
                let slot = holder_slot(entry);
                if let Some(word) = marks.get_mut(slot as usize / 64) {
                    *word |= 1 << (slot % 64);
                }
            }
        }
        marks
    }

    /// Per slot, at least the candidate's score under `spec`, from the holder lists and total
    /// years alone, in units of 1/[`BOUND_SCALE`] rounded up: a requirement one skill satisfies
    /// adds the points its holder's level and years give (exactly what a read computes); one
    /// several skills satisfy adds its most points to anyone holding any of them; the experience
    /// factor adds its points.
    fn point_bounds(&self, spec: &Spec, plan: &Plan) -> Vec<u32> {
        let fixed = |points: f64| (points * BOUND_SCALE).ceil().clamp(0.0, f64::from(u32::MAX)) as u32;
        let mut bounds = vec![0u32; self.slots.len()];
        for index in 0..spec.requirements.len() {
            let held = |skill: SkillKey| self.holders.get(skill as usize).is_some_and(|list| !list.is_empty());
            let routes: Vec<(SkillKey, Route)> = plan
                .by_skill
                .iter()
                .enumerate()
                .filter(|&(skill, range)| range.0 < range.1 && held(skill as SkillKey))
                .flat_map(|(skill, &(start, end))| {
                    let routes = plan.routes.get(start as usize..end as usize).unwrap_or_default();
                    routes.iter().filter(|r| usize::from(r.requirement) == index).map(move |&r| (skill as SkillKey, r))
                })
                .collect();
            match routes[..] {
                [] => {}
                [(skill, route)] => {
                    let row = usize::from(route.years_cap) + 1;
                    let start = route.cells as usize;
                    let cells = plan.cells.get(start..start + 6 * row).unwrap_or_default();
                    let table: Vec<u32> = cells.iter().map(|cell| fixed(cell.points)).collect();
                    let list = self.holders.get(skill as usize).map_or(&[][..], Vec::as_slice);
                    let years = self.holder_years.get(skill as usize).map_or(&[][..], Vec::as_slice);
                    for (&entry, &years) in list.iter().zip(years) {
                        let level = 5 - (entry >> HOLDER_SLOT_BITS) as usize;
                        let years = if u32::from(years) == YEARS_UNKNOWN { 0 } else { usize::from(years) };
                        let at = level * row + years.min(row - 1);
                        if let (Some(bound), Some(points)) =
                            (bounds.get_mut(holder_slot(entry) as usize), table.get(at))
                        {
                            *bound = bound.saturating_add(*points);
                        }
                    }
                }
                _ => {
                    let best = fixed(plan.best_points.get(index).copied().unwrap_or(0.0));
                    let marks = self.holder_marks(routes.iter().map(|&(skill, _)| (skill, 1)));
                    for slot in members_of(&marks) {
                        if let Some(bound) = bounds.get_mut(slot) {
                            *bound = bound.saturating_add(best);
                        }
                    }
                }
            }
        }
        if !plan.experience.is_empty() {
            let experience: Vec<u32> = plan.experience.iter().map(|&points| fixed(points)).collect();
            let last = experience.len() - 1;
            for (bound, &years) in bounds.iter_mut().zip(&self.years_by_slot) {
                *bound = bound.saturating_add(experience.get(usize::from(years).min(last)).copied().unwrap_or(0));
            }
        }
        bounds
    }

    /// Touches the slots and first holds of `batch` before they are read: a subset's slots lie
    /// apart in memory, and reading candidates one by one waited for each one's two cache misses
    /// in turn (two thirds of a ranking's time at 100k); independent loads side by side overlap.
    #[inline]
    fn warm(&self, batch: &[usize]) {
        let mut starts = [0usize; WARM_BATCH];
        for (start, &index) in starts.iter_mut().zip(batch) {
            *start = self.slots.get(index).map_or(usize::MAX, |slot| slot.run_start as usize);
        }
        let touched = starts
            .iter()
            .take(batch.len())
            .fold(0u32, |sum, &start| sum.wrapping_add(self.holds.get(start).map_or(0, |hold| hold.0)));
        std::hint::black_box(touched);
    }

    /// How many candidates are eligible (no score filters).
    fn eligible_count(&self, eligibility: &Eligibility, locations: Option<&HashSet<u32>>) -> u64 {
        if locations.is_none() && eligibility.excluded.is_empty() {
            let (active, present) = *self.counted.get_or_init(|| {
                let present = self.slots.iter().filter(|s| s.present);
                present.fold((0, 0), |(active, all), s| (active + u64::from(!s.archived), all + 1))
            });
            return if eligibility.include_archived { present } else { active };
        }
        self.slots.iter().filter(|s| Self::eligible_base(s, eligibility, locations)).count() as u64
    }

    #[inline]
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

    /// A candidate's rank key under `spec` as a ranking computes it.
    #[cfg(test)]
    fn key_of_slot(&self, spec: &Spec, slot: u32) -> Option<RankKey> {
        let plan = Plan::new(self, spec)?;
        let entry = self.slots.get(slot as usize)?;
        let reading = Reader::new().read(&plan, self.run(entry));
        Some(RankKey {
            meets_all_required: reading.met & plan.required == plan.required,
            score: plan.score(reading.points, entry.total_years),
            id: entry.id,
        })
    }

    /// One page of the ranking after `after` (exclusive), with the total count.
    #[must_use]
    pub fn rank(&self, spec: &Spec, eligibility: &Eligibility, after: Option<&RankKey>, first: usize) -> RankedPage {
        let started = Instant::now();
        let locations = self.matching_locations(eligibility);
        let plan = Plan::new(self, spec);
        let planned = started.elapsed();
        let ranking = Ranking { pool: self, spec, plan: plan.as_ref(), eligibility, locations: locations.as_ref() };
        let subset = plan.as_ref().and_then(|plan| ranking.page_of_subset(plan, after, first));
        let from_subset = subset.is_some();
        let page = subset.unwrap_or_else(|| ranking.page_of(self.slots.len(), |i| i, after, first));
        let read = started.elapsed();
        let PageHeap { heap, total, before, .. } = page;
        let mut ranked = heap.into_sorted_vec();
        let has_next_page = ranked.len() > first;
        ranked.truncate(first);
        let items = ranked.into_iter().map(|r| self.explain(spec, r.slot, r.key)).collect();
        tracing::debug!(
            plan_us = planned.as_micros() as u64,
            read_us = read.saturating_sub(planned).as_micros() as u64,
            explain_us = started.elapsed().saturating_sub(read).as_micros() as u64,
            from_subset,
            "ranked"
        );
        RankedPage { items, has_next_page, has_previous_page: before > 0, total_count: total }
    }

    /// The talent pool of `spec` over the eligible candidates: who meets what, who misses
    /// exactly one REQUIRED requirement, and whether relaxing it would do. Read from the holder
    /// lists of the spec's skills into bitmaps by slot, one requirement at a time, then counted
    /// with bit operations: its cost follows how many hold those skills, not the pool's size (a
    /// pass over every candidate's skills took four to five times the ranking at 1M).
    #[must_use]
    pub fn counts(&self, spec: &Spec, eligibility: &Eligibility) -> PoolCounts {
        let mut counts = PoolCounts {
            requirements: vec![RequirementCounts::default(); spec.requirements.len()],
            ..PoolCounts::default()
        };
        let Some(plan) = Plan::new(self, spec) else { return counts };
        let locations = self.matching_locations(eligibility);
        let eligible = self.eligible_marks(eligibility, locations.as_ref());
        let words = eligible.len();
        counts.size = eligible.iter().map(|w| u64::from(w.count_ones())).sum();
        // Per slot, whether it misses at least one REQUIRED requirement, and at least two.
        let (mut one, mut two) = (vec![0u64; words], vec![0u64; words]);
        let mut required_marks = Vec::new();
        // Per requirement, the skills that satisfy it and how (found once), and the holder
        // entries they make it read: the work its marks take.
        let mut routes: Vec<Vec<(usize, Route)>> = vec![Vec::new(); counts.requirements.len()];
        for (skill, &(start, end)) in plan.by_skill.iter().enumerate() {
            for route in plan.routes.get(start as usize..end as usize).unwrap_or_default() {
                if let Some(list) = routes.get_mut(usize::from(route.requirement)) {
                    list.push((skill, *route));
                }
            }
        }
        let holdings: Vec<usize> = routes
            .iter()
            .map(|list| list.iter().map(|(skill, _)| self.holders.get(*skill).map_or(0, Vec::len)).sum())
            .collect();
        let all_marks = Self::over_items(&holdings, |index| {
            let what_if = plan.required & (1u128 << index) != 0;
            self.requirement_marks(&plan, routes.get(index).map_or(&[][..], Vec::as_slice), words, what_if)
        });
        for ((index, requirement), marks) in counts.requirements.iter_mut().enumerate().zip(all_marks) {
            let (mut met, mut partial) = (0u64, 0u64);
            for ((e, m), t) in eligible.iter().zip(&marks.met).zip(&marks.touched) {
                met += u64::from((e & m).count_ones());
                partial += u64::from((e & t & !m).count_ones());
            }
            requirement.met = met;
            requirement.partial = partial;
            if plan.required & (1u128 << index) != 0 {
                for (((o, t), e), m) in one.iter_mut().zip(two.iter_mut()).zip(eligible.iter()).zip(&marks.met) {
                    let missed = e & !m;
                    *t |= *o & missed;
                    *o |= missed;
                }
                required_marks.push((index, marks));
            }
        }
        let missing: u64 = one.iter().map(|w| u64::from(w.count_ones())).sum();
        counts.qualified = counts.size.saturating_sub(missing);
        let exactly_one: Vec<u64> = one.iter().zip(&two).map(|(o, t)| o & !t).collect();
        counts.missing_exactly_one = exactly_one.iter().map(|w| u64::from(w.count_ones())).sum();
        for (index, marks) in required_marks {
            let Some(requirement) = counts.requirements.get_mut(index) else { continue };
            for (((x, m), l), f) in
                exactly_one.iter().zip(&marks.met).zip(&marks.lower_level_ok).zip(&marks.fewer_years_ok)
            {
                let only = x & !m;
                requirement.only_missing += u64::from(only.count_ones());
                requirement.more_if_level_lower += u64::from((only & l).count_ones());
                requirement.more_if_years_lower += u64::from((only & f).count_ones());
            }
        }
        counts
    }

    /// Bitmaps by slot of the candidates eligible by `eligibility` (no score filters).
    fn eligible_marks(
        &self,
        eligibility: &Eligibility,
        locations: Option<&HashSet<u32>>,
    ) -> std::borrow::Cow<'_, [u64]> {
        let words = self.slots.len().div_ceil(64);
        let marks_where = |keep: &dyn Fn(&Slot) -> bool| {
            let mut marks = vec![0u64; words];
            for (index, slot) in self.slots.iter().enumerate() {
                if keep(slot)
                    && let Some(word) = marks.get_mut(index / 64)
                {
                    *word |= 1 << (index % 64);
                }
            }
            marks
        };
        if locations.is_some() {
            return marks_where(&|slot| Self::eligible_base(slot, eligibility, locations)).into();
        }
        let (active, present) = self
            .eligible_marks
            .get_or_init(|| (marks_where(&|slot| slot.present && !slot.archived), marks_where(&|slot| slot.present)));
        let base = if eligibility.include_archived { present } else { active };
        if eligibility.excluded.is_empty() {
            return base.as_slice().into();
        }
        let mut marks = base.clone();
        for slot in eligibility.excluded.iter().filter_map(|id| self.find(*id)) {
            if let Some(word) = marks.get_mut(slot as usize / 64) {
                *word &= !(1 << (slot % 64));
            }
        }
        marks.into()
    }

    /// Runs `work` on items `0..weights.len()`, each weighing its weight, spread over threads
    /// (heaviest first onto the least loaded) when there is much to do; the results in item order.
    fn over_items<R: Send>(weights: &[usize], work: impl Fn(usize) -> R + Sync) -> Vec<R> {
        let threads = if weights.iter().sum::<usize>() < PARALLEL_FROM { 1 } else { Self::threads() };
        let mut order: Vec<usize> = (0..weights.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(weights.get(i).copied().unwrap_or(0)));
        let mut groups: Vec<(usize, Vec<usize>)> = vec![(0, Vec::new()); threads];
        for item in order {
            if let Some(group) = groups.iter_mut().min_by_key(|g| g.0) {
                group.0 += weights.get(item).copied().unwrap_or(0);
                group.1.push(item);
            }
        }
        let parts = Self::on_threads(&groups, |(_, items)| items.iter().map(|&i| (i, work(i))).collect::<Vec<_>>());
        let mut results: Vec<Option<R>> = std::iter::repeat_with(|| None).take(weights.len()).collect();
        for (i, result) in parts.into_iter().flatten() {
            if let Some(place) = results.get_mut(i) {
                *place = Some(result);
            }
        }
        results.into_iter().flatten().collect()
    }

    /// Bitmaps by slot of how the holders of the skills in `routes` (one requirement's) stand on
    /// it (see [`Reader::read`]: the best satisfaction decides met or partial, any route a
    /// what-if); the what-ifs only with `what_if` (REQUIRED requirements have them).
    fn requirement_marks(
        &self,
        plan: &Plan,
        routes: &[(usize, Route)],
        words: usize,
        what_if: bool,
    ) -> RequirementMarks {
        let what_if_words = if what_if { words } else { 0 };
        let mut marks = RequirementMarks {
            met: vec![0; words],
            touched: vec![0; words],
            lower_level_ok: vec![0; what_if_words],
            fewer_years_ok: vec![0; what_if_words],
        };
        for &(skill, route) in routes {
            let (Some(list), Some(years)) = (self.holders.get(skill), self.holder_years.get(skill)) else { continue };
            let row = usize::from(route.years_cap) + 1;
            for (&entry, &held_years) in list.iter().zip(years) {
                let slot = holder_slot(entry) as usize;
                let level = 5 - (entry >> HOLDER_SLOT_BITS) as usize;
                let held_years = if u32::from(held_years) == YEARS_UNKNOWN { 0 } else { u16::from(held_years) };
                let at = route.cells as usize + level * row + usize::from(held_years.min(route.years_cap));
                let Some(cell) = plan.cells.get(at) else { continue };
                let (word, bit) = (slot / 64, 1u64 << (slot % 64));
                let set = |marks: &mut Vec<u64>, on: bool| {
                    if on && let Some(w) = marks.get_mut(word) {
                        *w |= bit;
                    }
                };
                set(&mut marks.touched, cell.satisfaction > 0.0);
                set(&mut marks.met, cell.satisfaction >= 1.0);
                set(&mut marks.lower_level_ok, cell.lower_level_ok);
                set(&mut marks.fewer_years_ok, cell.fewer_years_ok);
            }
        }
        marks
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
}

/// One requirement read from the holder lists, as bitmaps by slot.
struct RequirementMarks {
    /// Fully met by some skill held.
    met: Vec<u64>,
    /// Satisfied at all by some skill held.
    touched: Vec<u64>,
    /// Some skill held would fully meet it with its minimum level one lower (empty for a
    /// requirement that is not REQUIRED: no what-ifs are asked of it).
    lower_level_ok: Vec<u64>,
    /// The same with its minimum years one lower.
    fewer_years_ok: Vec<u64>,
}

/// Whether a held skill would fully satisfy `member` with its minimum level one lower, or its
/// minimum years one lower (each relaxed alone).
fn relaxations(member: &score::Member, held: Held, credit: f64) -> (bool, bool) {
    let lower_level = member.min_level > 1 && fit(member.min_level - 1, member.min_years, held) * credit >= 1.0;
    let fewer_years = member.min_years.is_some_and(|y| y > 0)
        && fit(member.min_level, member.min_years.map(|y| y - 1), held) * credit >= 1.0;
    (lower_level, fewer_years)
}

/// The best `first + 1` candidates after the cursor seen so far, and the counts of a page.
struct PageHeap<'a> {
    first: usize,
    after: Option<&'a RankKey>,
    heap: BinaryHeap<Ranked>,
    /// Eligible candidates seen.
    total: u64,
    /// Of those, how many rank at or before the cursor.
    before: u64,
}

impl<'a> PageHeap<'a> {
    fn new(first: usize, after: Option<&'a RankKey>) -> Self {
        Self { first, after, heap: BinaryHeap::with_capacity(first + 2), total: 0, before: 0 }
    }

    fn offer(&mut self, key: RankKey, slot: u32) {
        self.total += 1;
        if self.after.is_some_and(|cursor| key.rank_cmp(cursor) != std::cmp::Ordering::Greater) {
            self.before += 1;
            return;
        }
        // Most of a large pool ranks below the page: one comparison with the worst kept.
        if self.heap.len() > self.first && self.heap.peek().is_some_and(|worst| key.rank_cmp(&worst.key).is_ge()) {
            return;
        }
        self.keep(Ranked { key, slot });
    }

    fn keep(&mut self, ranked: Ranked) {
        self.heap.push(ranked);
        if self.heap.len() > self.first + 1 {
            self.heap.pop();
        }
    }

    /// Takes in the candidates and counts of another range.
    fn merge(&mut self, other: Self) {
        self.total += other.total;
        self.before += other.before;
        for ranked in other.heap {
            self.keep(ranked);
        }
    }
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

/// How long an organization's pool stays in memory without a match, unless configured.
pub const DEFAULT_IDLE: Duration = Duration::from_mins(15);

/// Every organization's pool, shared by the requests of one server.
pub struct MatchIndexes {
    entries: Mutex<HashMap<Uuid, Arc<Entry>>>,
    idle: Duration,
}

impl Default for MatchIndexes {
    fn default() -> Self {
        Self::new(DEFAULT_IDLE)
    }
}

impl MatchIndexes {
    /// Pools released after `idle` without a match.
    #[must_use]
    pub fn new(idle: Duration) -> Self {
        Self { entries: Mutex::new(HashMap::new()), idle }
    }

    /// How long a pool stays without a match.
    #[must_use]
    pub fn idle(&self) -> Duration {
        self.idle
    }

    /// How many organizations have a pool in memory.
    #[must_use]
    pub fn resident(&self) -> usize {
        self.entries.lock().map_or(0, |entries| entries.len())
    }

    /// Releases, as of `now`, the pools nobody matched for `idle` (and nobody is reading right
    /// now); returns how many. Every lookup does it, and [`MatchIndexes::sweep_every`] does it
    /// while nobody matches at all.
    pub fn release_idle(&self, now: Instant) -> usize {
        let Ok(mut entries) = self.entries.lock() else { return 0 };
        let before = entries.len();
        entries.retain(|_, entry| {
            Arc::strong_count(entry) > 1
                || entry.last_used.lock().is_ok_and(|t| now.saturating_duration_since(*t) < self.idle)
        });
        let released = before - entries.len();
        if released > 0 {
            tracing::info!(released, resident = entries.len(), "released idle matching pools");
        }
        released
    }

    /// The organization's entry as of `now`, marked used then; idle ones are released first.
    fn entry_at(&self, organization: Uuid, now: Instant) -> Arc<Entry> {
        self.release_idle(now);
        let Ok(mut entries) = self.entries.lock() else {
            return Arc::new(Entry::fresh(now));
        };
        let entry = entries.entry(organization).or_insert_with(|| Arc::new(Entry::fresh(now))).clone();
        if let Ok(mut last) = entry.last_used.lock() {
            *last = (*last).max(now);
        }
        entry
    }

    /// Releases idle pools every `period` on the current tokio runtime, also while no request
    /// comes (lookups release only when someone matches). Ends when the indexes are dropped.
    pub fn sweep_every(self: &Arc<Self>, period: Duration) {
        let indexes = Arc::downgrade(self);
        tokio::spawn(async move {
            let mut ticks = tokio::time::interval(period);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks.tick().await;
            loop {
                ticks.tick().await;
                let Some(indexes) = indexes.upgrade() else { break };
                indexes.release_idle(Instant::now());
            }
        });
    }

    /// The organization's pool as of now: every event committed before this call is in it.
    /// It never answers without reading the organization's sequence: with the database down a
    /// warm pool fails like a cold one (SERVICE_UNAVAILABLE) instead of ranking from memory it
    /// cannot prove fresh, which would break read-your-writes for a change committed just before.
    pub async fn fresh(&self, db: &DatabaseConnection, tenant: Tenant) -> AppResult<PoolHandle> {
        let entry = self.entry_at(tenant.organization_id(), Instant::now());
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

/// The organization's matching weights as stored (one statement; no row: the defaults).
pub async fn load_weights(db: &impl sea_orm::ConnectionTrait, tenant: Tenant) -> AppResult<MatchingWeights> {
    let row = tenant.find::<matching_weights::Entity>().one(db).await?;
    Ok(MatchingWeights::of_row(row.as_ref()))
}

/// Loads the whole pool. `sequence` was read before the rows, so an event committed meanwhile
/// is applied again on the next catch-up (harmless: catching up reloads current rows).
async fn build(db: &DatabaseConnection, tenant: Tenant, sequence: i64) -> AppResult<Pool> {
    let started = Instant::now();
    let mut pool = Pool::new(sequence);
    pool.weights = load_weights(db, tenant).await?.weights();
    pool.set_taxonomy(load_taxonomy(db, tenant).await?);
    let mut rows = candidate_columns(tenant).into_tuple::<CandidateRow>().stream(db).await?;
    while let Some(row) = rows.try_next().await? {
        if pool.slots.len() >= MAX_SLOTS {
            return Err(AppError::Internal(anyhow::anyhow!("an organization has more candidates than a pool holds")));
        }
        let slot = pool.push_slot(row);
        pool.by_id.push(slot);
    }
    drop(rows);
    let slots = &pool.slots;
    pool.by_id.sort_unstable_by_key(|slot| slots.get(*slot as usize).map(|s| s.id));
    // Holder lists once at the end, each at its exact length.
    pool.holders_stale = true;
    // One row per candidate with their skills folded into text: the drivers hand rows over one
    // at a time (several microseconds each), and a candidate has ten or so skills.
    let mut rows = folded_skills(tenant, db.get_database_backend()).into_tuple::<(Uuid, String)>().stream(db).await?;
    while let Some((candidate, folded)) = rows.try_next().await? {
        let Some(slot) = pool.find(candidate) else { continue };
        let mut holds = Vec::new();
        for entry in folded.split(',') {
            let (skill, level, years) = unfold(entry)?;
            if let Some(key) = pool.intern(skill) {
                holds.push(Hold::new(key, level, years));
            }
        }
        pool.set_run(slot, holds);
    }
    drop(rows);
    pool.holds.shrink_to_fit();
    pool.rebuild_holders();
    tracing::info!(
        organization = %tenant.organization_id(),
        candidates = pool.slots.len(),
        holds = pool.holds.len(),
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
    /// The organization's weights, when they were set since.
    weights: Option<Weights>,
    taxonomy: Option<Vec<skill_relations::Model>>,
    candidates: Vec<(Vec<Uuid>, Vec<CandidateRow>, Vec<SkillRow>)>,
}

/// Reads the events after `sequence` up to `latest` and the current rows of the candidates
/// they name (and the taxonomy, when the organization's skills changed).
async fn catch_up(db: &DatabaseConnection, tenant: Tenant, mut sequence: i64, latest: i64) -> AppResult<Delta> {
    let mut changed: HashSet<Uuid> = HashSet::new();
    let mut taxonomy_changed = false;
    let mut weights_changed = false;
    while sequence < latest {
        let events = crate::events::service::after(db, tenant, sequence, EVENT_BATCH).await?;
        let Some(last) = events.last() else { break };
        sequence = last.sequence;
        for row in &events {
            note_change(row, &mut changed, &mut taxonomy_changed, &mut weights_changed)?;
        }
        // Too much changed to patch: loading anew is cheaper.
        if changed.len() > 50_000 {
            return Ok(Delta::Rebuilt(Box::new(build(db, tenant, latest).await?)));
        }
    }
    let taxonomy = if taxonomy_changed { Some(load_taxonomy(db, tenant).await?) } else { None };
    let weights = if weights_changed { Some(load_weights(db, tenant).await?.weights()) } else { None };
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
    Ok(Delta::Patch(Patch { sequence: latest, weights, taxonomy, candidates }))
}

fn note_change(
    row: &domain_events::Model,
    changed: &mut HashSet<Uuid>,
    taxonomy: &mut bool,
    weights: &mut bool,
) -> AppResult<()> {
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
        Some(DomainEvent::MatchingWeightsSet(_)) => *weights = true,
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
        if let Some(weights) = patch.weights {
            self.weights = weights;
        }
        if let Some(relations) = patch.taxonomy {
            self.set_taxonomy(relations);
        }
        // Moving each slot in and out of long holder lists costs more than one rebuild.
        self.holders_stale = patch.candidates.iter().map(|(ids, _, _)| ids.len()).sum::<usize>() > LARGE_PATCH;
        for (ids, rows, skills) in patch.candidates {
            self.replace_candidates(&ids, rows, skills);
        }
        if self.holders_stale {
            self.rebuild_holders();
        }
        self.index_added(ADDED_UNSORTED);
        self.sequence = self.sequence.max(patch.sequence);
    }

    /// Replaces the named candidates with their current rows; those without a row are gone.
    fn replace_candidates(&mut self, ids: &[Uuid], rows: Vec<CandidateRow>, skills: Vec<SkillRow>) {
        self.counted = std::sync::OnceLock::new();
        self.eligible_marks = std::sync::OnceLock::new();
        let present: HashSet<Uuid> = rows.iter().map(|r| r.0).collect();
        for id in ids {
            if let Some(slot) = self.find(*id) {
                self.set_run(slot, Vec::new());
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
        let mut holds: HashMap<u32, Vec<Hold>> = HashMap::new();
        for (candidate, skill, level, years) in skills {
            let Some(slot) = self.find(candidate) else { continue };
            if let Some(key) = self.intern(skill) {
                holds.entry(slot).or_default().push(Hold::new(key, level, years));
            }
        }
        for (slot, run) in holds {
            self.set_run(slot, run);
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
            let holds = held.iter().map(|&(skill, level, y)| Hold::new(skill, i16::from(level), y.map(i32::from)));
            pool.set_run(slot, holds.collect());
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
            profiles in arb_profiles(), requirements in arb_requirements(), min_years in 0u16..15, page in 1usize..7,
            only_fully_qualified in any::<bool>()
        ) {
            let pool = pool_of(&profiles);
            let spec = spec_of(&pool, &requirements, min_years);
            for slot in 0..profiles.len() as u32 {
                let e = score::evaluate(&spec, &pool.profile(slot));
                let key = pool.key_of_slot(&spec, slot).expect("a small spec");
                prop_assert_eq!(e.score.to_bits(), key.score.to_bits());
                prop_assert_eq!(e.meets_all_required, key.meets_all_required);
            }
            let eligibility = Eligibility { only_fully_qualified, ..Eligibility::default() };
            let expected = (0..profiles.len() as u32)
                .filter_map(|slot| pool.key_of_slot(&spec, slot))
                .filter(|k| !only_fully_qualified || k.meets_all_required)
                .count();
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let ranked = pool.rank(&spec, &eligibility, after.as_ref(), page);
                prop_assert_eq!(ranked.total_count, expected as u64);
                prop_assert_eq!(ranked.has_previous_page, !seen.is_empty());
                seen.extend(ranked.items.iter().map(|r| r.key));
                after = ranked.items.last().map(|r| r.key);
                if !ranked.has_next_page { break; }
            }
            prop_assert_eq!(seen.len(), expected);
            for pair in seen.windows(2) {
                prop_assert!(pair[0].rank_cmp(&pair[1]).is_lt());
            }
        }
    }

    /// Pools where skills 0 to 2 are common and the rest rare, so that a spec's holders are most
    /// of the pool and few meet every REQUIRED requirement: the ranking reads candidates by
    /// their point bounds.
    fn arb_skewed_profiles() -> impl Strategy<Value = Vec<TestProfile>> {
        let level_years = (1u8..=5, proptest::option::of(0u8..12));
        let held = (
            proptest::collection::btree_map(0u32..3, level_years.clone(), 1..3),
            proptest::collection::btree_map(3u32..8, level_years, 0..2),
        )
            .prop_map(|(common, rare)| common.into_iter().chain(rare).map(|(s, (l, y))| (s, l, y)).collect::<Vec<_>>());
        proptest::collection::vec((0u16..25, held), 40..160)
    }

    proptest! {
        /// Pages read by bounds (or any subset) are the pages of the whole pool sorted by rank,
        /// with the filters that leave candidates out.
        #[test]
        fn pages_from_bounds_equal_the_sorted_pool(
            profiles in arb_skewed_profiles(), requirements in arb_requirements(), min_years in 0u16..15,
            page in 1usize..6, archived_every in 2usize..9, excluded_every in 3usize..11, include_archived in any::<bool>()
        ) {
            let mut pool = pool_of(&profiles);
            for slot in (0..profiles.len()).step_by(archived_every) {
                if let Some(entry) = pool.slots.get_mut(slot) { entry.archived = true; }
            }
            let excluded: HashSet<Uuid> =
                (0..profiles.len()).step_by(excluded_every).map(|i| Uuid::from_u128(i as u128 + 1)).collect();
            let spec = spec_of(&pool, &requirements, min_years);
            let eligibility = Eligibility { include_archived, excluded: excluded.clone(), ..Eligibility::default() };
            let mut expected: Vec<RankKey> = (0..profiles.len())
                .filter(|&slot| include_archived || !pool.slots[slot].archived)
                .filter(|&slot| !excluded.contains(&pool.slots[slot].id))
                .filter_map(|slot| pool.key_of_slot(&spec, slot as u32))
                .collect();
            expected.sort_by(RankKey::rank_cmp);
            let mut after = None;
            for (number, chunk) in expected.chunks(page).take(3).enumerate() {
                let ranked = pool.rank(&spec, &eligibility, after.as_ref(), page);
                let keys: Vec<RankKey> = ranked.items.iter().map(|r| r.key).collect();
                prop_assert_eq!(&keys[..], chunk);
                prop_assert_eq!(ranked.total_count, expected.len() as u64);
                prop_assert_eq!(ranked.has_previous_page, number > 0);
                prop_assert_eq!(ranked.has_next_page, expected.len() > (number + 1) * page);
                after = keys.last().copied();
            }
        }
    }

    #[test]
    fn a_role_few_fully_meet_is_ranked_from_the_best_bounds() {
        // Skill 0 is held by everyone, skill 1 by every third candidate at a level rising with
        // the slot, skill 5 by nobody: nobody meets the REQUIRED skill 5, and the holders of 0
        // and 1 are the whole pool.
        let profiles: Vec<TestProfile> = (0..3_000u32)
            .map(|i| {
                let mut skills = vec![(0, 1 + (i % 5) as u8, Some((i % 7) as u8))];
                if i % 3 == 0 {
                    skills.push((1, 1 + (i / 600) as u8, Some(4)));
                }
                ((i % 20) as u16, skills)
            })
            .collect();
        let pool = pool_of(&profiles);
        let spec = spec_of(
            &pool,
            &[
                (Importance::Required, vec![(5, 2, None)]),
                (Importance::Required, vec![(1, 4, Some(3))]),
                (Importance::Preferred, vec![(0, 3, Some(2))]),
            ],
            5,
        );
        let plan = Plan::new(&pool, &spec).expect("a small spec");
        let eligibility = Eligibility::default();
        let ranking =
            Ranking { pool: &pool, spec: &spec, plan: Some(&plan), eligibility: &eligibility, locations: None };
        let page = ranking.page_by_bounds(&plan, PageHeap::new(20, None), None).expect("bounds prove the page");
        assert!(page.total < 1_000, "read {} of 3,000 candidates", page.total);
        let mut expected: Vec<RankKey> = (0..3_000).filter_map(|slot| pool.key_of_slot(&spec, slot)).collect();
        expected.sort_by(RankKey::rank_cmp);
        let ranked = pool.rank(&spec, &eligibility, None, 20);
        let keys: Vec<RankKey> = ranked.items.iter().map(|r| r.key).collect();
        assert_eq!(keys, expected[..20]);
        assert_eq!(ranked.total_count, 3_000);
        assert!(ranked.has_next_page);
    }

    /// The talent pool as the explanations give it, candidate by candidate (the what-ifs by
    /// re-scoring with the requirement relaxed).
    fn counts_by_explanation(pool: &Pool, spec: &Spec, slots: u32) -> PoolCounts {
        let relaxed = |index: usize, level: bool| {
            let mut spec = spec.clone();
            for member in &mut spec.requirements[index].members {
                if level && member.min_level > 1 {
                    member.min_level -= 1;
                } else if !level && member.min_years.is_some_and(|y| y > 0) {
                    member.min_years = member.min_years.map(|y| y - 1);
                }
            }
            spec
        };
        let mut counts = PoolCounts {
            requirements: vec![RequirementCounts::default(); spec.requirements.len()],
            ..PoolCounts::default()
        };
        for slot in 0..slots {
            let profile = pool.profile(slot);
            let e = score::evaluate(spec, &profile);
            counts.size += 1;
            let mut missed = Vec::new();
            for (index, outcome) in e.requirements.iter().enumerate() {
                counts.requirements[index].met += u64::from(outcome.satisfaction >= 1.0);
                counts.requirements[index].partial +=
                    u64::from(outcome.satisfaction > 0.0 && outcome.satisfaction < 1.0);
                if spec.requirements[index].importance == Importance::Required && outcome.satisfaction < 1.0 {
                    missed.push(index);
                }
            }
            match missed[..] {
                [] => counts.qualified += 1,
                [index] => {
                    counts.missing_exactly_one += 1;
                    let met_relaxed = |level| {
                        score::evaluate(&relaxed(index, level), &profile).requirements[index].satisfaction >= 1.0
                    };
                    let requirement = &mut counts.requirements[index];
                    requirement.only_missing += 1;
                    requirement.more_if_level_lower += u64::from(met_relaxed(true));
                    requirement.more_if_years_lower += u64::from(met_relaxed(false));
                }
                _ => {}
            }
        }
        counts
    }

    proptest! {
        /// The one-pass talent pool agrees with the explanations, what-ifs included.
        #[test]
        fn the_counts_agree_with_the_explanations(
            profiles in arb_profiles(), requirements in arb_requirements(), min_years in 0u16..15
        ) {
            let pool = pool_of(&profiles);
            let spec = spec_of(&pool, &requirements, min_years);
            prop_assert_eq!(pool.counts(&spec, &Eligibility::default()), counts_by_explanation(&pool, &spec, profiles.len() as u32));
        }
    }

    proptest! {
        /// Candidates left out (already in the pipeline, or elsewhere) are left out of every
        /// count, as if the pool had never held them.
        #[test]
        fn the_counts_leave_out_whom_eligibility_leaves_out(
            profiles in arb_profiles(), requirements in arb_requirements(), min_years in 0u16..15,
            left_out in proptest::collection::vec(any::<bool>(), 40)
        ) {
            let pool = pool_of(&profiles);
            let spec = spec_of(&pool, &requirements, min_years);
            let excluded: HashSet<Uuid> = (0..profiles.len())
                .filter(|&i| left_out.get(i).copied().unwrap_or(false))
                .map(|i| Uuid::from_u128(i as u128 + 1))
                .collect();
            let kept: Vec<TestProfile> = profiles
                .iter()
                .enumerate()
                .filter(|(i, _)| !excluded.contains(&Uuid::from_u128(*i as u128 + 1)))
                .map(|(_, p)| p.clone())
                .collect();
            let alone = pool_of(&kept);
            let in_berlin = Eligibility {
                excluded: excluded.clone(),
                location_contains: Some(vec!["berl".to_owned()]),
                ..Eligibility::default()
            };
            let expected = counts_by_explanation(&alone, &spec_of(&alone, &requirements, min_years), kept.len() as u32);
            prop_assert_eq!(&pool.counts(&spec, &Eligibility { excluded, ..Eligibility::default() }), &expected);
            prop_assert_eq!(&pool.counts(&spec, &in_berlin), &expected);
            let nowhere = Eligibility { location_contains: Some(vec!["paris".to_owned()]), ..Eligibility::default() };
            let none = pool.counts(&spec, &nowhere);
            prop_assert_eq!(none.size + none.qualified + none.missing_exactly_one, 0);
            prop_assert!(none.requirements.iter().all(|r| *r == RequirementCounts::default()));
        }
    }

    /// A pool large enough to be read on several threads ranks and counts as one read alone.
    #[test]
    fn a_large_pool_read_on_threads_agrees_with_one_candidate_at_a_time() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = move |bound: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % bound
        };
        let profiles: Vec<TestProfile> = (0..PARALLEL_FROM as u32 * 2 + 7)
            .map(|_| {
                let mut skills = Vec::new();
                for skill in 0..8u32 {
                    // Skill 7 is rare: a spec of it alone ranks its few holders only.
                    if next(if skill == 7 { 40 } else { 3 }) == 0 {
                        let level = 1 + next(5) as u8;
                        let years = (next(4) > 0).then(|| next(12) as u8);
                        skills.push((skill, level, years));
                    }
                }
                (next(20) as u16, skills)
            })
            .collect();
        let pool = pool_of(&profiles);
        assert!(profiles.len() >= PARALLEL_FROM * 2, "read on several threads (on a machine with several cores)");
        let dense = spec_of(
            &pool,
            &[
                (Importance::Required, vec![(4, 3, Some(2))]),
                (Importance::Required, vec![(2, 2, None), (5, 4, Some(3))]),
                (Importance::Preferred, vec![(0, 3, None)]),
                (Importance::NiceToHave, vec![(7, 2, Some(1))]),
            ],
            6,
        );
        let sparse = spec_of(&pool, &[(Importance::Preferred, vec![(7, 2, Some(1))])], 6);
        let rare_required = spec_of(&pool, &[(Importance::Required, vec![(7, 1, None)])], 0);
        for spec in [dense, sparse, rare_required] {
            // The first page comes from the subset of candidates who can rank high.
            let plan = Plan::new(&pool, &spec).expect("a small spec");
            let eligibility = Eligibility::default();
            let ranking =
                Ranking { pool: &pool, spec: &spec, plan: Some(&plan), eligibility: &eligibility, locations: None };
            assert!(ranking.page_of_subset(&plan, None, 20).is_some());
            // The bounds bound every score.
            let bounds = pool.point_bounds(&spec, &plan);
            assert_eq!(bounds.len(), profiles.len());
            for (slot, &bound) in bounds.iter().enumerate() {
                let key = pool.key_of_slot(&spec, slot as u32).expect("a small spec");
                assert!(f64::from(bound) / BOUND_SCALE + BOUND_MARGIN >= key.score, "slot {slot}: {bound} < {key:?}");
            }
            for only_fully_qualified in [false, true] {
                let eligibility = Eligibility { only_fully_qualified, ..Eligibility::default() };
                let mut expected: Vec<RankKey> = (0..profiles.len() as u32)
                    .filter_map(|slot| pool.key_of_slot(&spec, slot))
                    .filter(|k| !only_fully_qualified || k.meets_all_required)
                    .collect();
                expected.sort_by(RankKey::rank_cmp);
                let mut after = None;
                for (number, page) in expected.chunks(20).take(3).enumerate() {
                    let ranked = pool.rank(&spec, &eligibility, after.as_ref(), 20);
                    let keys: Vec<RankKey> = ranked.items.iter().map(|r| r.key).collect();
                    assert_eq!(keys, page);
                    assert_eq!(ranked.total_count, expected.len() as u64);
                    assert_eq!(ranked.has_previous_page, number > 0);
                    assert_eq!(ranked.has_next_page, expected.len() > (number + 1) * 20);
                    after = keys.last().copied();
                }
            }
            assert_eq!(
                pool.counts(&spec, &Eligibility::default()),
                counts_by_explanation(&pool, &spec, profiles.len() as u32)
            );
        }
    }

    /// Holder lists put higher levels first (a level's holders and above are a prefix), the
    /// same whether built at once or kept up candidate by candidate, and follow a changed level.
    #[test]
    fn holder_lists_order_by_level_and_follow_changes() {
        let profiles: Vec<TestProfile> = (0..60u32)
            .map(|i| (3, vec![(0, 1 + (i % 5) as u8, None), (1 + i % 3, 1 + (i * 7 % 5) as u8, Some(2))]))
            .collect();
        let mut pool = pool_of(&profiles);
        let kept_up = (pool.holders.clone(), pool.holder_years.clone());
        pool.rebuild_holders();
        assert_eq!((pool.holders.clone(), pool.holder_years.clone()), kept_up);
        let skill0 = pool.holders.first().cloned().unwrap_or_default();
        assert!(skill0.windows(2).all(|w| w[0] < w[1]));
        let at_least = |pool: &Pool, level: u8| -> Vec<u32> {
            let list = pool.holders.first().map_or(&[][..], Vec::as_slice);
            let mut slots: Vec<u32> = holders_from_level(list, level).iter().map(|&e| holder_slot(e)).collect();
            slots.sort_unstable();
            slots
        };
        for level in 1..=5u8 {
            let expected: Vec<u32> = (0..60u32).filter(|i| 1 + (i % 5) as u8 >= level).collect();
            assert_eq!(at_least(&pool, level), expected, "level {level}");
        }
        // Slot 0 held skill 0 at level 1: now at 5.
        pool.set_run(0, vec![Hold::new(0, 5, None)]);
        assert!(at_least(&pool, 5).contains(&0));
        assert_eq!(at_least(&pool, 1).len(), 60);
        pool.set_run(0, Vec::new());
        assert!(!at_least(&pool, 1).contains(&0));
    }

    /// The id index finds every slot: those sorted at build time, those added since (by hash),
    /// and those merged into the sorted index after many were added; unknown ids are not found.
    #[test]
    fn the_id_index_finds_built_added_and_merged_slots() {
        let row = |n: u128| (Uuid::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15)), 1, None, CandidateStatus::Active);
        let mut pool = Pool::new(0);
        for n in 0..500 {
            let slot = pool.push_slot(row(n));
            pool.by_id.push(slot);
        }
        let slots = &pool.slots;
        pool.by_id.sort_unstable_by_key(|slot| slots.get(*slot as usize).map(|s| s.id));
        for n in 500..(500 + ADDED_UNSORTED as u128 + 3) {
            pool.put_candidate(row(n));
        }
        assert_eq!(pool.added.len(), ADDED_UNSORTED + 3);
        let check = |pool: &Pool| {
            for n in 0..(500 + ADDED_UNSORTED as u128 + 3) {
                assert_eq!(pool.find(row(n).0), Some(n as u32), "candidate {n}");
            }
            assert_eq!(pool.find(Uuid::from_u128(7)), None);
        };
        check(&pool);
        pool.index_added(ADDED_UNSORTED);
        assert!(pool.added.is_empty());
        assert!(pool.by_id.windows(2).all(|w| pool.slots[w[0] as usize].id < pool.slots[w[1] as usize].id));
        check(&pool);
        // A known candidate keeps its slot.
        assert_eq!(pool.put_candidate(row(3)), 3);
        assert_eq!(pool.slots.len(), 500 + ADDED_UNSORTED + 3);
    }

    #[test]
    fn a_patch_replaces_a_candidates_skills() {
        let mut pool = pool_of(&[(5, vec![(0, 5, Some(5)), (4, 3, None)]), (5, vec![(4, 2, None)])]);
        let spec = spec_of(&pool, &[(Importance::Required, vec![(0, 5, None)])], 0);
        assert!(pool.key_of_slot(&spec, 0).is_some_and(|k| k.meets_all_required));
        let id = Uuid::from_u128(1);
        pool.replace_candidates(
            &[id],
            vec![(id, 5, None, CandidateStatus::Active)],
            vec![(id, Uuid::from_u128(1004), 4, None)],
        );
        assert!(pool.key_of_slot(&spec, 0).is_some_and(|k| !k.meets_all_required), "the Spark hold is gone");
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
        let counts = pool.counts(&spec, &Eligibility::default());
        assert_eq!((counts.size, counts.qualified, counts.missing_exactly_one), (4, 1, 3));
        let figures: Vec<_> = counts
            .requirements
            .iter()
            .map(|r| (r.met, r.partial, r.only_missing, r.more_if_level_lower, r.more_if_years_lower))
            .collect();
        assert_eq!(figures, [(2, 1, 2, 1, 0), (3, 1, 1, 0, 1)]);
    }

    /// Release by the clock, the clock injected: a pool goes after `idle` without a lookup,
    /// not before, a lookup keeps it, and a pool being read is never released.
    #[test]
    fn pools_are_released_after_the_idle_time_and_not_while_read() {
        let indexes = MatchIndexes::new(Duration::from_mins(1));
        let (a, b) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let start = Instant::now();
        let at = |secs: u64| start + Duration::from_secs(secs);
        drop(indexes.entry_at(a, at(0)));
        drop(indexes.entry_at(b, at(30)));
        assert_eq!(indexes.resident(), 2);
        assert_eq!(indexes.release_idle(at(59)), 0, "nothing idle for a minute yet");
        assert_eq!(indexes.release_idle(at(60)), 1, "A, unused since 0");
        assert_eq!(indexes.resident(), 1);
        // A lookup of B at 80 keeps it past 90.
        drop(indexes.entry_at(b, at(80)));
        assert_eq!(indexes.release_idle(at(120)), 0);
        // A pool somebody still reads stays, however old.
        let reading = indexes.entry_at(b, at(121));
        assert_eq!(indexes.release_idle(at(1_000)), 0);
        drop(reading);
        assert_eq!(indexes.release_idle(at(1_000)), 1);
        assert_eq!(indexes.resident(), 0);
        // A lookup releases the others that went idle: only the one looked up stays.
        drop(indexes.entry_at(a, at(2_000)));
        drop(indexes.entry_at(b, at(2_100)));
        assert_eq!(indexes.resident(), 1, "A went when B was looked up");
        // A lookup with an older clock reading does not make a pool look idler.
        drop(indexes.entry_at(b, at(2_050)));
        assert_eq!(indexes.release_idle(at(2_140)), 0);
    }

    /// The sweeper releases without any lookup, and stops when the indexes go.
    #[tokio::test]
    async fn the_sweeper_releases_idle_pools_without_a_lookup() {
        let indexes = Arc::new(MatchIndexes::new(Duration::from_millis(50)));
        drop(indexes.entry_at(Uuid::from_u128(1), Instant::now()));
        indexes.sweep_every(Duration::from_millis(10));
        let deadline = Instant::now() + Duration::from_secs(5);
        while indexes.resident() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        assert_eq!(indexes.resident(), 0);
        let weak = Arc::downgrade(&indexes);
        drop(indexes);
        tokio::time::sleep(Duration::from_millis(25)).await;
        assert!(weak.upgrade().is_none());
    }
}
