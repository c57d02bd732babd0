//! The match score, as pure functions: no database, no GraphQL, no identity.
//!
//! In five lines, as a recruiter reads it:
//! 1. Each requirement (an "X or Y" alternatives group counts once, by its best member) is
//!    satisfied from 0 to 1: `min(1, level / minLevel) × min(1, years / minYears)`; a missing
//!    skill is 0, and without a minimum of years the second factor is 1.
//! 2. The skill itself (or any alias of it) counts as EXACT/ALIAS, a narrower skill ("Spark
//!    Structured Streaming" for "Apache Spark") as NARROWER, a skill that implies it ("PySpark"
//!    → "Python") as IMPLIED, each at its credit (1 unless configured).
//! 3. Each requirement weighs its own `weight`, else its importance's default (REQUIRED 3,
//!    PREFERRED 2, NICE_TO_HAVE 1); the role's minimum total years is one more factor
//!    (weight 2, satisfied by `min(1, yearsExperience / minYearsExperience)`).
//! 4. Score = 100 × Σ weight × satisfaction / Σ weight; each requirement's points are its share,
//!    so the points add up to the score.
//! 5. Ranking: those meeting every REQUIRED requirement fully first, then by score, then by id.
//!
//! The scorer reads only [`Profile`]: skills with level and years, and total experience. It has
//! no name, email, phone, location, links, source or tags to look at.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet, VecDeque};

use entity::Importance;
use uuid::Uuid;

/// Names the formula and its defaults; a stored or exported ranking is explained by it.
pub const SCORER_VERSION: &str = "talentgraph-match-1";

/// A skill as the scorer knows it: a small dense number (the index interns skill ids).
pub type SkillKey = u32;

/// The weights and credits a ranking was computed with.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Weight of a REQUIRED requirement without its own weight.
    pub required: f64,
    /// Weight of a PREFERRED requirement without its own weight.
    pub preferred: f64,
    /// Weight of a NICE_TO_HAVE requirement without its own weight.
    pub nice_to_have: f64,
    /// Weight of the role's minimum total years (when it asks for any).
    pub experience: f64,
    /// Credit of a narrower skill for its broader one (0 to 1).
    pub narrower_credit: f64,
    /// Credit of a skill for one it implies (0 to 1).
    pub implied_credit: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            required: 3.0,
            preferred: 2.0,
            nice_to_have: 1.0,
            experience: 2.0,
            narrower_credit: 1.0,
            implied_credit: 1.0,
        }
    }
}

impl Weights {
    /// The default weight of `importance`.
    #[must_use]
    pub fn of(&self, importance: Importance) -> f64 {
        match importance {
            Importance::Required => self.required,
            Importance::Preferred => self.preferred,
            Importance::NiceToHave => self.nice_to_have,
        }
    }

    /// The credit of a skill related to the requested one by `via`.
    #[must_use]
    pub fn credit(&self, via: Via) -> f64 {
        match via {
            Via::Exact | Via::Alias => 1.0,
            Via::Narrower => self.narrower_credit,
            Via::Implied => self.implied_credit,
        }
    }
}

/// How the candidate's skill relates to the one a requirement names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// The same skill.
    Exact,
    /// The same skill, asked for by another spelling.
    Alias,
    /// A narrower skill of the requested one (it satisfies its broader skill).
    Narrower,
    /// A skill that implies the requested one.
    Implied,
}

/// The taxonomy links the scorer follows: `broader[s]` are the skills `s` is narrower than,
/// `implies[s]` the skills `s` implies.
#[derive(Debug, Clone, Default)]
pub struct Taxonomy {
    narrower: HashMap<SkillKey, Vec<SkillKey>>,
    implied_by: HashMap<SkillKey, Vec<SkillKey>>,
}

impl Taxonomy {
    /// Records that `skill` is narrower than `broader`.
    pub fn add_broader(&mut self, skill: SkillKey, broader: SkillKey) {
        self.narrower.entry(broader).or_default().push(skill);
    }

    /// Records that `skill` implies `implied`.
    pub fn add_implies(&mut self, skill: SkillKey, implied: SkillKey) {
        self.implied_by.entry(implied).or_default().push(skill);
    }

    /// The skills that satisfy `wanted`, each once, best relation first: the skill itself, its
    /// narrower skills at any depth, then the skills that imply it (or one of those narrower).
    #[must_use]
    pub fn satisfiers(&self, wanted: SkillKey, exact: Via) -> Vec<(SkillKey, Via)> {
        let mut seen = HashSet::from([wanted]);
        let mut out = vec![(wanted, exact)];
        let mut queue = VecDeque::from([wanted]);
        while let Some(skill) = queue.pop_front() {
            for &narrower in self.narrower.get(&skill).into_iter().flatten() {
                if seen.insert(narrower) {
                    out.push((narrower, Via::Narrower));
                    queue.push_back(narrower);
                }
            }
        }
        let direct: Vec<SkillKey> = out.iter().map(|(skill, _)| *skill).collect();
        for skill in direct {
            for &implier in self.implied_by.get(&skill).into_iter().flatten() {
                if seen.insert(implier) {
                    out.push((implier, Via::Implied));
                }
            }
        }
        out
    }
}

/// One skill of an alternatives group (or the only one of a plain requirement).
#[derive(Debug, Clone, PartialEq)]
pub struct Member {
    /// The skill asked for.
    pub skill: SkillKey,
    /// Minimum level, 1 to 5.
    pub min_level: u8,
    /// Minimum years with the skill; `None` or 0 asks for none.
    pub min_years: Option<u16>,
    /// The skills that satisfy it and how, best first ([`Taxonomy::satisfiers`]).
    pub satisfiers: Vec<(SkillKey, Via)>,
}

/// One requirement as scored: a single skill, or an alternatives group satisfied by its best
/// member.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The strongest importance among the members.
    pub importance: Importance,
    /// The weight used: the largest own weight of the members, else the importance's default.
    pub weight: f64,
    /// The group's members, in display order.
    pub members: Vec<Member>,
}

/// What a candidate is ranked against.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The requirements, in display order.
    pub requirements: Vec<Requirement>,
    /// The role's minimum total years of experience (0: not a factor).
    pub min_years_experience: u16,
    /// The weights used.
    pub weights: Weights,
}

/// A skill a candidate holds, as the scorer sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Held {
    /// 1 to 5.
    pub level: u8,
    /// Years with the skill, when known.
    pub years: Option<u16>,
}

/// Everything the scorer may know about a candidate: skills (by skill, with level and years)
/// and total experience. Deliberately nothing that identifies or locates a person.
pub trait Profile {
    /// Total years of professional experience.
    fn total_years(&self) -> u16;
    /// The candidate's level and years with `skill`, if they hold it.
    fn held(&self, skill: SkillKey) -> Option<Held>;
}

/// A profile held as a list of skills (tests and unsaved profiles).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SkillList {
    /// Total years of experience.
    pub total_years: u16,
    /// Skills with level and years.
    pub skills: Vec<(SkillKey, Held)>,
}

impl Profile for SkillList {
    fn total_years(&self) -> u16 {
        self.total_years
    }

    fn held(&self, skill: SkillKey) -> Option<Held> {
        self.skills.iter().find(|(key, _)| *key == skill).map(|(_, held)| *held)
    }
}

/// Satisfaction of one minimum by a held skill, before credit: `min(1, level / minLevel) ×
/// min(1, years / minYears)`.
#[must_use]
pub fn fit(min_level: u8, min_years: Option<u16>, held: Held) -> f64 {
    let level = (f64::from(held.level) / f64::from(min_level.max(1))).min(1.0);
    let years = match min_years {
        None | Some(0) => 1.0,
        Some(min) => (f64::from(held.years.unwrap_or(0)) / f64::from(min)).min(1.0),
    };
    level * years
}

/// Satisfaction of the role's minimum total years.
#[must_use]
pub fn experience_fit(min_years: u16, years: u16) -> f64 {
    if min_years == 0 { 1.0 } else { (f64::from(years) / f64::from(min_years)).min(1.0) }
}

/// Met, partly met, or missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Satisfaction 1.
    Met,
    /// Satisfaction above 0 and below 1.
    Partial,
    /// Satisfaction 0.
    Missing,
}

impl Status {
    /// The status of a satisfaction.
    #[must_use]
    pub fn of(satisfaction: f64) -> Self {
        if satisfaction >= 1.0 {
            Self::Met
        } else if satisfaction > 0.0 {
            Self::Partial
        } else {
            Self::Missing
        }
    }
}

/// Which held skill satisfied a requirement, and how.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Best {
    /// Which member of the requirement it answered.
    pub member: usize,
    /// The candidate's skill.
    pub skill: SkillKey,
    /// How it relates to the member's skill.
    pub via: Via,
    /// The candidate's level and years with it.
    pub held: Held,
}

/// One requirement's outcome for one candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct RequirementOutcome {
    /// 0 to 1.
    pub satisfaction: f64,
    /// The best satisfying skill, if any.
    pub best: Option<Best>,
    /// The weight used.
    pub weight: f64,
    /// Points contributed to the score (0 to 100).
    pub points: f64,
}

impl RequirementOutcome {
    /// Met, partial or missing.
    #[must_use]
    pub fn status(&self) -> Status {
        Status::of(self.satisfaction)
    }
}

/// The experience factor's outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExperienceOutcome {
    /// The role's minimum total years.
    pub required_years: u16,
    /// The candidate's total years.
    pub candidate_years: u16,
    /// 0 to 1.
    pub satisfaction: f64,
    /// The weight used.
    pub weight: f64,
    /// Points contributed to the score.
    pub points: f64,
}

/// A candidate's full evaluation against a spec.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// 0 to 100: the sum of the points, in requirement order, then experience.
    pub score: f64,
    /// Every REQUIRED requirement is fully satisfied.
    pub meets_all_required: bool,
    /// One per requirement of the spec, in its order.
    pub requirements: Vec<RequirementOutcome>,
    /// The experience factor, when the spec asks for total years.
    pub experience: Option<ExperienceOutcome>,
}

impl Spec {
    /// Σ weight over the requirements and the experience factor.
    #[must_use]
    pub fn total_weight(&self) -> f64 {
        let requirements: f64 = self.requirements.iter().map(|r| r.weight).sum();
        requirements + self.experience_weight()
    }

    /// The weight of the experience factor (0 when the spec asks for no total years).
    #[must_use]
    pub fn experience_weight(&self) -> f64 {
        if self.min_years_experience == 0 { 0.0 } else { self.weights.experience }
    }

    /// Points for satisfaction `satisfaction` of something of weight `weight`: its share of
    /// 100. The ranking and the explanation both compute points here, so they agree bit for bit.
    #[must_use]
    pub fn points(&self, weight: f64, satisfaction: f64) -> f64 {
        points_of(self.total_weight(), weight, satisfaction)
    }
}

/// The score as ranked and reported: the sum of the points rounded to 10 decimals, so scores
/// that are equal in exact arithmetic (the same points added in another order) tie, and the
/// id decides between them rather than rounding noise. The points still add up to it within
/// 1e-10.
#[must_use]
pub fn rounded(sum: f64) -> f64 {
    (sum * 1e10).round() / 1e10
}

/// Points for `satisfaction` of something of `weight` out of `total` weight (0 when nothing
/// weighs anything).
#[must_use]
pub fn points_of(total: f64, weight: f64, satisfaction: f64) -> f64 {
    if total > 0.0 { 100.0 * weight * satisfaction / total } else { 0.0 }
}

/// Satisfaction of `requirement` by the best held satisfier of its best member, with that
/// satisfier. Ties go to the earlier member, then to the better relation.
#[must_use]
pub fn satisfy(weights: &Weights, requirement: &Requirement, profile: &impl Profile) -> (f64, Option<Best>) {
    let mut best: (f64, Option<Best>) = (0.0, None);
    for (index, member) in requirement.members.iter().enumerate() {
        for &(skill, via) in &member.satisfiers {
            let Some(held) = profile.held(skill) else { continue };
            let satisfaction = fit(member.min_level, member.min_years, held) * weights.credit(via);
            if best.1.is_none() || satisfaction > best.0 {
                best = (satisfaction, Some(Best { member: index, skill, via, held }));
            }
        }
    }
    best
}

/// Evaluates a candidate against a spec.
#[must_use]
pub fn evaluate(spec: &Spec, profile: &impl Profile) -> Evaluation {
    let mut score = 0.0;
    let mut meets_all_required = true;
    let mut requirements = Vec::with_capacity(spec.requirements.len());
    for requirement in &spec.requirements {
        let (satisfaction, best) = satisfy(&spec.weights, requirement, profile);
        let points = spec.points(requirement.weight, satisfaction);
        score += points;
        if requirement.importance == Importance::Required && satisfaction < 1.0 {
            meets_all_required = false;
        }
        requirements.push(RequirementOutcome { satisfaction, best, weight: requirement.weight, points });
    }
    let experience = (spec.min_years_experience > 0).then(|| {
        let satisfaction = experience_fit(spec.min_years_experience, profile.total_years());
        let weight = spec.experience_weight();
        let points = spec.points(weight, satisfaction);
        score += points;
        ExperienceOutcome {
            required_years: spec.min_years_experience,
            candidate_years: profile.total_years(),
            satisfaction,
            weight,
            points,
        }
    });
    Evaluation { score: rounded(score), meets_all_required, requirements, experience }
}

/// Where a candidate stands in a ranking; also the cursor of a ranked list.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct RankKey {
    /// Meets every REQUIRED requirement.
    pub meets_all_required: bool,
    /// The score, kept to the bit in a cursor (JSON floats may not round-trip exactly).
    #[serde(with = "score_bits")]
    pub score: f64,
    /// The candidate (or role) id, the tie-break.
    pub id: Uuid,
}

impl RankKey {
    /// The ranking order: fully qualified first, then higher score, then lower id. A total
    /// order (scores are never NaN; `total_cmp` keeps it total anyway).
    #[must_use]
    pub fn rank_cmp(&self, other: &Self) -> Ordering {
        other
            .meets_all_required
            .cmp(&self.meets_all_required)
            .then_with(|| other.score.total_cmp(&self.score))
            .then_with(|| self.id.cmp(&other.id))
    }
}

/// A score as its IEEE 754 bits, so a cursor names exactly the score it was made from.
mod score_bits {
    use serde::{Deserialize, Deserializer, Serializer};

    #[allow(clippy::trivially_copy_pass_by_ref, reason = "serde's `with` passes the field by reference")]
    pub fn serialize<S: Serializer>(score: &f64, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_u64(score.to_bits())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<f64, D::Error> {
        u64::deserialize(deserializer).map(f64::from_bits)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn held(level: u8, years: Option<u16>) -> Held {
        Held { level, years }
    }

    fn member(skill: SkillKey, min_level: u8, min_years: Option<u16>, taxonomy: &Taxonomy) -> Member {
        Member { skill, min_level, min_years, satisfiers: taxonomy.satisfiers(skill, Via::Exact) }
    }

    fn requirement(importance: Importance, members: Vec<Member>) -> Requirement {
        Requirement { importance, weight: Weights::default().of(importance), members }
    }

    fn profile(total_years: u16, skills: &[(SkillKey, u8, Option<u16>)]) -> SkillList {
        SkillList { total_years, skills: skills.iter().map(|&(s, l, y)| (s, held(l, y))).collect() }
    }

    const SPARK: SkillKey = 1;
    const STREAMING: SkillKey = 2;
    const SCALA: SkillKey = 3;
    const PYTHON: SkillKey = 4;
    const PYSPARK: SkillKey = 5;
    const SQL: SkillKey = 6;

    fn taxonomy() -> Taxonomy {
        let mut taxonomy = Taxonomy::default();
        taxonomy.add_broader(STREAMING, SPARK);
        taxonomy.add_implies(PYSPARK, PYTHON);
        taxonomy
    }

    /// Spark (REQUIRED, level 4, 5 years), Scala or Python (REQUIRED, level 4), SQL
    /// (PREFERRED, level 3), 10 years in total: weights 3 + 3 + 2 + 2 = 10.
    fn spec() -> Spec {
        let t = taxonomy();
        Spec {
            requirements: vec![
                requirement(Importance::Required, vec![member(SPARK, 4, Some(5), &t)]),
                requirement(Importance::Required, vec![member(SCALA, 4, None, &t), member(PYTHON, 4, None, &t)]),
                requirement(Importance::Preferred, vec![member(SQL, 3, None, &t)]),
            ],
            min_years_experience: 10,
            weights: Weights::default(),
        }
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn a_candidate_meeting_everything_scores_100() {
        let e = evaluate(&spec(), &profile(12, &[(SPARK, 5, Some(6)), (SCALA, 4, None), (SQL, 3, None)]));
        assert!(close(e.score, 100.0) && e.meets_all_required, "{e:?}");
        let points: Vec<f64> = e.requirements.iter().map(|r| r.points).collect();
        assert!(close(points[0], 30.0) && close(points[1], 30.0) && close(points[2], 20.0), "{points:?}");
        assert!(close(e.experience.unwrap().points, 20.0));
    }

    #[test]
    fn levels_and_years_count_in_proportion() {
        // Spark level 2 of 4 with 5 of 5 years: 0.5; level 4 with 2 of 5 years: 0.4.
        let low_level = evaluate(&spec(), &profile(5, &[(SPARK, 2, Some(5))]));
        assert!(close(low_level.requirements[0].satisfaction, 0.5));
        assert!(close(low_level.score, 30.0 * 0.5 + 20.0 * 0.5), "{}", low_level.score);
        assert_eq!(low_level.requirements[0].status(), Status::Partial);
        let few_years = evaluate(&spec(), &profile(0, &[(SPARK, 4, Some(2))]));
        assert!(close(few_years.requirements[0].satisfaction, 0.4));
        let unknown_years = evaluate(&spec(), &profile(0, &[(SPARK, 5, None)]));
        assert_eq!(unknown_years.requirements[0].status(), Status::Missing, "years unknown count as 0");
        assert!(!few_years.meets_all_required);
    }

    #[test]
    fn an_alternatives_group_is_one_requirement_met_by_its_best_member() {
        let scala = evaluate(&spec(), &profile(10, &[(SPARK, 4, Some(5)), (SCALA, 4, None)]));
        let python = evaluate(&spec(), &profile(10, &[(SPARK, 4, Some(5)), (PYTHON, 5, None)]));
        let both = evaluate(&spec(), &profile(10, &[(SPARK, 4, Some(5)), (SCALA, 2, None), (PYTHON, 4, None)]));
        for e in [&scala, &python, &both] {
            assert!(e.meets_all_required && close(e.score, 80.0), "{e:?}");
        }
        assert_eq!(both.requirements[1].best.unwrap().skill, PYTHON, "the better member answers");
        assert_eq!(scala.requirements[1].best.unwrap().member, 0);
        assert_eq!(python.requirements[1].best.unwrap().member, 1);
    }

    #[test]
    fn narrower_and_implied_skills_satisfy_and_say_how() {
        let e = evaluate(&spec(), &profile(10, &[(STREAMING, 4, Some(5)), (PYSPARK, 4, None)]));
        let spark = e.requirements[0].best.unwrap();
        assert_eq!((spark.skill, spark.via), (STREAMING, Via::Narrower));
        let python = e.requirements[1].best.unwrap();
        assert_eq!((python.skill, python.via), (PYSPARK, Via::Implied));
        assert!(e.meets_all_required);
        // A broader skill does not satisfy a narrower one.
        let narrow = Spec {
            requirements: vec![requirement(Importance::Required, vec![member(STREAMING, 1, None, &taxonomy())])],
            min_years_experience: 0,
            weights: Weights::default(),
        };
        assert!(evaluate(&narrow, &profile(0, &[(SPARK, 5, None)])).requirements[0].best.is_none());
        // Credits below 1 scale the satisfaction.
        let half = Spec { weights: Weights { implied_credit: 0.5, ..Weights::default() }, ..spec() };
        let e = evaluate(&half, &profile(0, &[(PYSPARK, 4, None)]));
        assert!(close(e.requirements[1].satisfaction, 0.5));
    }

    #[test]
    fn own_weights_replace_the_importance_default() {
        let mut heavy = spec();
        heavy.requirements[2].weight = 10.0; // SQL, PREFERRED, weighs 10 of 3 + 3 + 10 + 2
        let e = evaluate(&heavy, &profile(0, &[(SQL, 3, None)]));
        assert!(close(e.score, 100.0 * 10.0 / 18.0), "{}", e.score);
        assert!(!e.meets_all_required);
    }

    #[test]
    fn nothing_asked_scores_zero_and_qualifies() {
        let empty = Spec { requirements: vec![], min_years_experience: 0, weights: Weights::default() };
        let e = evaluate(&empty, &profile(3, &[(SQL, 3, None)]));
        assert!(close(e.score, 0.0) && e.meets_all_required && e.experience.is_none());
    }

    #[test]
    fn ranking_puts_qualified_first_then_score_then_id() {
        let key = |meets, score, id| RankKey { meets_all_required: meets, score, id: Uuid::from_u128(id) };
        let mut keys = [key(false, 90.0, 1), key(true, 60.0, 3), key(true, 60.0, 2), key(true, 70.0, 9)];
        keys.sort_by(RankKey::rank_cmp);
        let ids: Vec<u128> = keys.iter().map(|k| k.id.as_u128()).collect();
        assert_eq!(ids, [9, 2, 3, 1]);
    }

    fn arb_profile() -> impl Strategy<Value = SkillList> {
        (0u16..40, proptest::collection::btree_map(1u32..8, (1u8..=5, proptest::option::of(0u16..15)), 0..7)).prop_map(
            |(total_years, skills)| SkillList {
                total_years,
                skills: skills.into_iter().map(|(s, (l, y))| (s, held(l, y))).collect(),
            },
        )
    }

    fn arb_spec() -> impl Strategy<Value = Spec> {
        let member = (1u32..8, 1u8..=5, proptest::option::of(0u16..10));
        let requirement = (
            prop_oneof![Just(Importance::Required), Just(Importance::Preferred), Just(Importance::NiceToHave)],
            proptest::option::of(0.1f64..100.0),
            proptest::collection::vec(member, 1..3),
        );
        (proptest::collection::vec(requirement, 0..6), 0u16..15).prop_map(|(requirements, min_years)| {
            let t = taxonomy();
            let weights = Weights::default();
            Spec {
                requirements: requirements
                    .into_iter()
                    .map(|(importance, weight, members)| Requirement {
                        importance,
                        weight: weight.unwrap_or_else(|| weights.of(importance)),
                        members: members.into_iter().map(|(s, l, y)| member_of(s, l, y, &t)).collect(),
                    })
                    .collect(),
                min_years_experience: min_years,
                weights,
            }
        })
    }

    fn member_of(skill: SkillKey, min_level: u8, min_years: Option<u16>, t: &Taxonomy) -> Member {
        member(skill, min_level, min_years, t)
    }

    proptest! {
        #[test]
        fn points_add_up_to_the_score(spec in arb_spec(), p in arb_profile()) {
            let e = evaluate(&spec, &p);
            let points: f64 = e.requirements.iter().map(|r| r.points).sum::<f64>()
                + e.experience.map_or(0.0, |x| x.points);
            prop_assert!((points - e.score).abs() < 1e-9, "{} vs {}", points, e.score);
            prop_assert!((0.0..=100.0 + 1e-9).contains(&e.score));
            for r in &e.requirements {
                prop_assert!((0.0..=1.0).contains(&r.satisfaction));
            }
        }

        #[test]
        fn more_never_scores_lower(spec in arb_spec(), p in arb_profile(), skill in 1u32..8,
                                   level in 1u8..=5, years in proptest::option::of(0u16..15), more in 0u16..5) {
            let before = evaluate(&spec, &p);
            // Adding a skill the candidate lacks.
            if p.held(skill).is_none() {
                let mut added = p.clone();
                added.skills.push((skill, held(level, years)));
                let after = evaluate(&spec, &added);
                prop_assert!(after.score >= before.score - 1e-9);
                prop_assert!(after.meets_all_required || !before.meets_all_required);
            }
            // Raising every level by one (up to 5), every known years and total years by `more`.
            let mut raised = p.clone();
            raised.total_years += more;
            for (_, h) in &mut raised.skills {
                h.level = (h.level + 1).min(5);
                h.years = h.years.map(|y| y + more);
            }
            let after = evaluate(&spec, &raised);
            prop_assert!(after.score >= before.score - 1e-9, "{} < {}", after.score, before.score);
            prop_assert!(after.meets_all_required || !before.meets_all_required);
        }

        #[test]
        fn the_ranking_is_a_total_deterministic_order(spec in arb_spec(),
                                                      pool in proptest::collection::vec(arb_profile(), 1..20)) {
            let keys: Vec<RankKey> = pool.iter().enumerate().map(|(i, p)| {
                let e = evaluate(&spec, p);
                RankKey { meets_all_required: e.meets_all_required, score: e.score, id: Uuid::from_u128(i as u128) }
            }).collect();
            let mut forward = keys.clone();
            forward.sort_by(RankKey::rank_cmp);
            let mut backward: Vec<RankKey> = keys.iter().rev().copied().collect();
            backward.sort_by(RankKey::rank_cmp);
            prop_assert_eq!(&forward, &backward);
            for pair in forward.windows(2) {
                prop_assert_eq!(pair[0].rank_cmp(&pair[1]), Ordering::Less, "strict: no two keys tie");
            }
            let again: Vec<f64> = pool.iter().map(|p| evaluate(&spec, p).score).collect();
            let first: Vec<f64> = pool.iter().map(|p| evaluate(&spec, p).score).collect();
            prop_assert_eq!(again, first);
        }
    }
}
