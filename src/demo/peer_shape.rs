//! The benchmark peer's data shape (`../shared/peers/postgraphile/data.sql`), in the demo
//! organization: the same counts, the same skills per candidate (4..=12, mean 8) and
//! requirements per role (5..=11, mean 8), and the same values, each a pure function of the
//! row number as in the peer's `generate_series` script. `bench/compare.sh` seeds it so both
//! servers answer the same queries over the same data.

use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{
    CandidateStatus, EmploymentType, Importance, RoleStatus, Seniority, Workplace, candidate_skills, candidates, roles,
    skill_requirements,
};
use migration::taxonomy::builtin_skills;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait};
use uuid::Uuid;

use super::{CHUNK, Rows, SeedReport, demo_id, ensure_organization};

const HEADLINES: [&str; 12] = [
    "Backend Engineer",
    "Frontend Engineer",
    "Full-stack Developer",
    "Data Engineer",
    "DevOps Engineer",
    "Site Reliability Engineer",
    "Mobile Developer",
    "ML Engineer",
    "Engineering Manager",
    "QA Engineer",
    "Security Engineer",
    "Data Scientist",
];
const LOCATIONS: [&str; 20] = [
    "Berlin",
    "London",
    "Paris",
    "Amsterdam",
    "Madrid",
    "Lisbon",
    "Warsaw",
    "Prague",
    "Vienna",
    "Zurich",
    "Stockholm",
    "Oslo",
    "Copenhagen",
    "Dublin",
    "Milan",
    "Barcelona",
    "Munich",
    "Remote",
    "New York",
    "Toronto",
];
const LEVELS: [&str; 6] = ["Junior", "Mid-level", "Senior", "Staff", "Principal", "Lead"];

/// The id of the peer's candidate `number` (1-based, as the peer's integer ids).
#[must_use]
pub fn candidate_id(number: u32) -> Uuid {
    demo_id(&format!("peer-candidate:{number}"))
}

/// The id of the peer's role `number` (1-based): `bench/compare.sh` asks for role 1234.
#[must_use]
pub fn role_id(number: u32) -> Uuid {
    demo_id(&format!("peer-role:{number}"))
}

fn at(base: DateTime<Utc>, minutes: i64) -> DateTime<Utc> {
    base + Duration::minutes(minutes)
}

fn utc(year: i32, month: u32, day: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, 0, 0, 0).single().unwrap_or_default()
}

/// `items[index mod len]`, as the peer's `(ARRAY[...])[1 + index % len]`.
fn nth<T: Copy + Default>(items: &[T], index: u64) -> T {
    let len = items.len().max(1) as u64;
    items.get((index % len) as usize).copied().unwrap_or_default()
}

/// Seeds the peer's roles and candidates (numbers `1..=roles`, `1..=candidates`) into the demo
/// organization, skipping those already there.
#[expect(
    clippy::disallowed_methods,
    reason = "benchmark seeding runs as the operator, before any request, on the demo organization it owns"
)]
pub async fn seed(db: &DatabaseConnection, candidates_wanted: u32, roles_wanted: u32) -> anyhow::Result<SeedReport> {
    let organization_id = ensure_organization(db).await?;
    // The peer's 300-skill pool, taken from the built-in taxonomy (as many as it has).
    let skills: Vec<Uuid> = builtin_skills()
        .map_err(anyhow::Error::msg)?
        .iter()
        .take(300)
        .map(migration::taxonomy::BuiltinSkill::id)
        .collect();

    let existing_roles =
        roles::Entity::find().filter(roles::Column::OrganizationId.eq(organization_id)).count(db).await? as u32;
    let mut rows = Rows::default();
    for number in existing_roles + 1..=roles_wanted {
        push_role(&mut rows, organization_id, &skills, number);
    }
    let txn = db.begin().await?;
    rows.insert(&txn).await?;
    txn.commit().await?;

    let existing =
        candidates::Entity::find().filter(candidates::Column::OrganizationId.eq(organization_id)).count(db).await?
            as u32;
    let mut start = existing + 1;
    while start <= candidates_wanted {
        let end = (start + CHUNK - 1).min(candidates_wanted);
        let mut rows = Rows::default();
        for number in start..=end {
            push_candidate(&mut rows, organization_id, &skills, number);
        }
        let txn = db.begin().await?;
        rows.insert(&txn).await?;
        txn.commit().await?;
        start = end + 1;
    }
    crate::database::analyze(db).await?;
    Ok(SeedReport {
        roles_added: roles_wanted.saturating_sub(existing_roles),
        candidates_added: candidates_wanted.saturating_sub(existing),
    })
}

fn push_candidate(rows: &mut Rows, organization_id: Uuid, skills: &[Uuid], number: u32) {
    let i = u64::from(number);
    let id = candidate_id(number);
    let years = ((i * 7919) % 31) as i32;
    let created = at(utc(2020, 1, 1), (i * 17) as i64);
    let full_name = format!("Candidate {number}");
    let headline = nth(&HEADLINES, i * 7).to_owned();
    let search_text = migration::search_text::of_fields(&[Some(&full_name), Some(&headline)]);
    rows.candidates.push(candidates::Model {
        id,
        organization_id,
        full_name,
        email: Some(format!("candidate{number}@example.com")),
        phone: None,
        location: Some(nth(&LOCATIONS, i * 13).to_owned()),
        headline: Some(headline),
        summary: None,
        years_experience: years,
        years_experience_derived: false,
        current_title: None,
        current_company: None,
        links: serde_json::Value::Array(Vec::new()),
        source: None,
        external_source: None,
        external_id: None,
        status: CandidateStatus::Active,
        created_at: created,
        updated_at: created,
        version: 1,
        search_text,
    });
    for k in 0..=(3 + i % 9) {
        rows.candidate_skills.push(candidate_skills::Model {
            candidate_id: id,
            skill_id: nth(skills, i * 37 + k * 101),
            organization_id,
            level: (1 + (i * 13 + k * 7) % 5) as i16,
            years: Some(years.min(((i + k * 3) % 15) as i32)),
            years_derived: false,
            last_used_year: None,
        });
    }
}

fn push_role(rows: &mut Rows, organization_id: Uuid, skills: &[Uuid], number: u32) {
    let i = u64::from(number);
    let id = role_id(number);
    let created = at(utc(2023, 1, 1), (i * 240) as i64);
    let title = format!("{} {}", nth(&LEVELS, i), nth(HEADLINES.get(..8).unwrap_or(&HEADLINES), i * 5));
    let description = format!(
        "Role {number}: build and operate services for a growing team. We value ownership, clear writing and pragmatic engineering."
    );
    let status = match i % 10 {
        0..=6 => RoleStatus::Open,
        7 => RoleStatus::Draft,
        _ => RoleStatus::Closed,
    };
    let search_text = migration::search_text::of_fields(&[Some(&title), Some(&description)]);
    rows.roles.push(roles::Model {
        id,
        organization_id,
        title,
        description,
        department: None,
        location: Some(nth(&LOCATIONS, i * 11).to_owned()),
        workplace: Workplace::Onsite,
        employment_type: EmploymentType::FullTime,
        seniority: Seniority::Mid,
        min_years_experience: ((i * 3) % 16) as i32,
        status,
        headcount: 1,
        salary_min: None,
        salary_max: None,
        salary_currency: None,
        external_source: None,
        external_id: None,
        created_at: created,
        updated_at: created,
        version: 1,
        search_text,
        opened_at: (status != RoleStatus::Draft).then_some(created),
        valid_through: None,
    });
    for k in 0..=(4 + i % 7) {
        rows.skill_requirements.push(skill_requirements::Model {
            id: Uuid::new_v5(&id, &k.to_le_bytes()),
            organization_id,
            role_id: id,
            skill_id: nth(skills, i * 53 + k * 31),
            importance: if k < 3 { Importance::Required } else { Importance::Preferred },
            min_level: (1 + (i + k) % 5) as i16,
            min_years: None,
            weight: Some(((0.5 + ((i * (k + 1)) % 10) as f64 / 10.0) * 100.0).round() / 100.0),
            alternatives_group: None,
            position: k as i32,
            created_at: created,
        });
    }
}
