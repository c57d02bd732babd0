//! The demo organization: a recruiter login, the Big Data Technical Lead role and other
//! realistic roles, and synthetic candidates with skills, tags and pipelines.
//!
//! Everything is a pure function of a fixed seed and the row number, so two seeds of the same
//! size give the same data (ids included), and `seed --candidates N` on a seeded database adds
//! exactly the candidates a fresh seed of N would have.

pub mod content;
pub mod peer_shape;

use std::collections::HashSet;

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{
    ApplicationStage, CandidateStatus, RecruiterRole, application_events, applications, candidate_skills,
    candidate_tags, candidates, organizations, recruiters, roles, skill_requirements,
};
use indicatif::{ProgressBar, ProgressStyle};
use migration::taxonomy::builtin_skill_id;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityName, EntityTrait, IntoActiveModel, Iterable, ModelTrait,
    PaginatorTrait, QueryFilter, TransactionTrait,
};
use serde_json::json;
use uuid::Uuid;

use self::content::{
    ARCHETYPES, Archetype, COMPANIES, FIRST_NAMES, FLAGSHIP_ROLE, LAST_NAMES, LOCATIONS, ROLE_TEMPLATES, SOURCES, TAGS,
};
use crate::auth::password;

/// Sign-in email of the demo recruiter (an ADMIN of the demo organization).
pub const DEMO_EMAIL: &str = "demo@talentgraph.dev";
/// Sign-in email of the demo RECRUITER, whom the `--demo` playground is signed in as (not the
/// ADMIN: a page anyone on the machine can open should not hand out admin power).
pub const PLAYGROUND_EMAIL: &str = "recruiter@talentgraph.dev";
/// Password of every demo recruiter. Demo data only: never use it for a real account.
pub const DEMO_PASSWORD: &str = "talentgraph-demo";
/// Slug of the demo organization.
pub const DEMO_ORGANIZATION_SLUG: &str = "demo";
/// Candidates in the default demo seed.
pub const DEFAULT_CANDIDATES: u32 = 240;
/// Roles in the default demo seed: the flagship plus one per template.
pub const DEFAULT_ROLES: u32 = 7;
/// Title of the flagship role.
pub const FLAGSHIP_ROLE_TITLE: &str = "Big Data Technical Lead";

const SEED: u64 = 0x7a1e_9e27_5eed_2026;
const NAMESPACE: Uuid = Uuid::from_u128(0x2b0c_5a7e_4d1f_4e6a_8f3b_9c2d_1e0f_5a6b);
/// Candidates inserted per transaction.
const CHUNK: u32 = 2_000;

/// What to seed.
#[derive(Debug, Clone, Copy)]
pub struct SeedOptions {
    /// Candidates the demo organization should hold.
    pub candidates: u32,
    /// Roles the demo organization should hold.
    pub roles: u32,
    /// Show a progress bar on standard error.
    pub progress: bool,
}

impl Default for SeedOptions {
    fn default() -> Self {
        Self { candidates: DEFAULT_CANDIDATES, roles: DEFAULT_ROLES, progress: false }
    }
}

/// What a seed run added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedReport {
    /// Roles inserted by this run.
    pub roles_added: u32,
    /// Candidates inserted by this run.
    pub candidates_added: u32,
}

/// The demo RECRUITER as a caller, for the signed-in playground of `serve --demo`.
#[expect(
    clippy::disallowed_methods,
    reason = "the operator asked for a playground signed in as the demo recruiter, found by email"
)]
pub async fn playground_viewer(db: &DatabaseConnection) -> anyhow::Result<Option<crate::auth::Viewer>> {
    let recruiter = entity::recruiters::Entity::find()
        .filter(entity::recruiters::Column::Email.eq(PLAYGROUND_EMAIL))
        .filter(entity::recruiters::Column::Active.eq(true))
        .one(db)
        .await?;
    Ok(recruiter.map(|r| crate::auth::Viewer::signed_in_recruiter(&r)))
}

/// Seeds the default demo data unless the database already holds an organization.
#[expect(
    clippy::disallowed_methods,
    reason = "demo seeding runs as the operator, before any request, on the demo organization it owns"
)]
pub async fn seed_if_empty(db: &DatabaseConnection) -> anyhow::Result<Option<SeedReport>> {
    if organizations::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let report = seed(db, &SeedOptions::default()).await?;
    tracing::info!(candidates = report.candidates_added, roles = report.roles_added, "seeded the demo organization");
    Ok(Some(report))
}

/// Creates the demo organization if missing, then tops its roles and candidates up to the
/// requested counts.
#[expect(
    clippy::disallowed_methods,
    reason = "demo seeding runs as the operator, before any request, on the demo organization it owns"
)]
pub async fn seed(db: &DatabaseConnection, options: &SeedOptions) -> anyhow::Result<SeedReport> {
    let organization_id = ensure_organization(db).await?;
    let recruiter_id = demo_id("recruiter:0");

    let existing_roles =
        roles::Entity::find().filter(roles::Column::OrganizationId.eq(organization_id)).count(db).await? as u32;
    let roles_added = options.roles.saturating_sub(existing_roles);
    if roles_added > 0 {
        let txn = db.begin().await?;
        let mut rows = Rows::default();
        for index in existing_roles..options.roles {
            push_role(&mut rows, organization_id, index);
        }
        rows.insert(&txn).await?;
        txn.commit().await?;
    }
    let role_count = existing_roles.max(options.roles);

    let existing = entity::candidates::Entity::find()
        .filter(entity::candidates::Column::OrganizationId.eq(organization_id))
        .count(db)
        .await? as u32;
    let wanted = options.candidates.saturating_sub(existing);
    let bar = if options.progress { progress_bar(u64::from(wanted)) } else { ProgressBar::hidden() };
    let mut start = existing;
    while start < options.candidates {
        let end = (start + CHUNK).min(options.candidates);
        let txn = db.begin().await?;
        let mut rows = Rows::default();
        for index in start..end {
            push_candidate(&mut rows, organization_id, recruiter_id, role_count, index);
        }
        rows.insert(&txn).await?;
        txn.commit().await?;
        bar.inc(u64::from(end - start));
        start = end;
    }
    bar.finish_and_clear();
    if roles_added > 0 || wanted > 0 {
        crate::database::analyze(db).await?;
    }
    Ok(SeedReport { roles_added, candidates_added: wanted })
}

fn progress_bar(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    if let Ok(style) = ProgressStyle::with_template("seeding candidates {bar:40} {pos}/{len} ({per_sec}, {eta} left)") {
        bar.set_style(style);
    }
    bar
}

/// A stable id for a named demo row.
fn demo_id(name: &str) -> Uuid {
    Uuid::new_v5(&NAMESPACE, name.as_bytes())
}

fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 8, 9, 0, 0).single().unwrap_or_default()
}

#[expect(
    clippy::disallowed_methods,
    reason = "demo seeding runs as the operator, before any request, on the demo organization it owns"
)]
async fn ensure_organization(db: &DatabaseConnection) -> anyhow::Result<Uuid> {
    let organization_id = demo_id("organization");
    if organizations::Entity::find_by_id(organization_id).one(db).await?.is_some() {
        return Ok(organization_id);
    }
    let password_hash =
        tokio::task::spawn_blocking(|| password::hash(DEMO_PASSWORD)).await.context("hashing the demo password")??;
    let created = epoch() - Duration::days(30);
    let mut rows = Rows::default();
    rows.organizations.push(organizations::Model {
        id: organization_id,
        name: "Demo Recruiting Co.".to_owned(),
        slug: DEMO_ORGANIZATION_SLUG.to_owned(),
        created_at: created,
        updated_at: created,
        // The seed writes rows, not changes: the demo organization starts with no events.
        event_sequence: 0,
        publishes_jobs: false,
    });
    let people = [
        (DEMO_EMAIL, "Dana Demo", RecruiterRole::Admin),
        (PLAYGROUND_EMAIL, "Riley Recruiter", RecruiterRole::Recruiter),
        ("viewer@talentgraph.dev", "Vic Viewer", RecruiterRole::Viewer),
    ];
    for (index, (email, name, role)) in people.into_iter().enumerate() {
        rows.recruiters.push(recruiters::Model {
            id: demo_id(&format!("recruiter:{index}")),
            organization_id,
            email: email.to_owned(),
            display_name: name.to_owned(),
            password_hash: password_hash.clone(),
            role,
            active: true,
            created_at: created,
            updated_at: created,
        });
    }
    let txn = db.begin().await?;
    rows.insert(&txn).await?;
    txn.commit().await?;
    Ok(organization_id)
}

fn push_role(rows: &mut Rows, organization_id: Uuid, index: u32) {
    let id = demo_id(&format!("role:{index}"));
    let created = epoch() + Duration::days(i64::from(index) * 3);
    // Role 0 is the flagship; the others cycle through the templates, numbered per round.
    let generated =
        (index as usize).checked_sub(1).and_then(|n| Some((n, ROLE_TEMPLATES.get(n % ROLE_TEMPLATES.len())?)));
    let (title, template) = match generated {
        None => (FLAGSHIP_ROLE.title.to_owned(), &FLAGSHIP_ROLE),
        Some((n, template)) => {
            let round = n / ROLE_TEMPLATES.len();
            let title =
                if round == 0 { template.title.to_owned() } else { format!("{} ({})", template.title, round + 1) };
            (title, template)
        }
    };
    let search_text = migration::search_text::of_fields(&[
        Some(title.as_str()),
        Some(template.description),
        Some(template.department),
    ]);
    rows.roles.push(roles::Model {
        id,
        organization_id,
        title,
        description: template.description.to_owned(),
        department: Some(template.department.to_owned()),
        location: Some(template.location.to_owned()),
        workplace: template.workplace,
        employment_type: template.employment_type,
        seniority: template.seniority,
        min_years_experience: template.min_years,
        status: template.status,
        headcount: template.headcount,
        salary_min: template.salary.map(|s| s.0),
        salary_max: template.salary.map(|s| s.1),
        salary_currency: template.salary.map(|s| s.2.to_owned()),
        external_source: None,
        external_id: None,
        created_at: created,
        updated_at: created,
        version: 1,
        search_text,
        opened_at: (template.status != entity::RoleStatus::Draft).then_some(created),
        valid_through: None,
    });
    for (position, requirement) in template.requirements.iter().enumerate() {
        rows.skill_requirements.push(skill_requirements::Model {
            id: Uuid::new_v5(&id, requirement.skill.as_bytes()),
            organization_id,
            role_id: id,
            skill_id: builtin_skill_id(requirement.skill),
            importance: requirement.importance,
            min_level: requirement.min_level,
            min_years: requirement.min_years,
            weight: None,
            alternatives_group: requirement.alternatives_group.map(str::to_owned),
            position: position as i32,
            created_at: created,
        });
    }
}

fn pick_archetype(rng: &mut ChaCha8Rng) -> &'static Archetype {
    let total: u32 = ARCHETYPES.iter().map(|a| a.weight).sum();
    let mut ticket = rng.random_range(0..total.max(1));
    for archetype in &ARCHETYPES {
        if ticket < archetype.weight {
            return archetype;
        }
        ticket -= archetype.weight;
    }
    // Unreached (the ticket is below the total); an array index the compiler checks.
    &ARCHETYPES[0]
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &'a [&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or_default()
}

const STAGES: [ApplicationStage; 5] = [
    ApplicationStage::Sourced,
    ApplicationStage::Screening,
    ApplicationStage::Interview,
    ApplicationStage::Offer,
    ApplicationStage::Hired,
];

fn push_candidate(rows: &mut Rows, organization_id: Uuid, recruiter_id: Uuid, role_count: u32, index: u32) {
    let mut rng = ChaCha8Rng::seed_from_u64(SEED ^ u64::from(index).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let archetype = pick_archetype(&mut rng);
    let first = pick(&mut rng, FIRST_NAMES);
    let last = pick(&mut rng, LAST_NAMES);
    let created = epoch() + Duration::minutes(i64::from(index) * 10);
    let mut random_bytes = [0_u8; 10];
    rng.fill(&mut random_bytes);
    let id =
        uuid::Builder::from_unix_timestamp_millis(created.timestamp_millis().unsigned_abs(), &random_bytes).into_uuid();
    let years = rng.random_range(archetype.years.0..=archetype.years.1);
    let title = pick(&mut rng, archetype.titles);
    let company = pick(&mut rng, COMPANIES);
    let handle = format!("{}-{}-{index}", first.to_lowercase(), last.to_lowercase());

    let mut skills: Vec<(&str, i16)> =
        archetype.core.iter().map(|(slug, lo, hi)| (*slug, rng.random_range(*lo..=*hi))).collect();
    for (slug, lo, hi) in archetype.optional {
        if rng.random_bool(0.5) {
            skills.push((slug, rng.random_range(*lo..=*hi)));
        }
    }
    let mut seen = HashSet::new();
    skills.retain(|(slug, _)| seen.insert(*slug));
    let top: Vec<&str> = archetype.core.iter().take(3).map(|(slug, _, _)| *slug).collect();

    let mut links = vec![json!({ "label": "LinkedIn", "url": format!("https://www.linkedin.com/in/{handle}") })];
    if rng.random_bool(0.4) {
        links.push(json!({ "label": "GitHub", "url": format!("https://github.com/{handle}") }));
    }
    let external = rng.random_bool(0.3).then(|| ("greenhouse".to_owned(), format!("gh-{}", 100_000 + index)));
    let status = if rng.random_bool(0.95) { CandidateStatus::Active } else { CandidateStatus::Archived };
    let full_name = format!("{first} {last}");
    let headline = format!("{title} · {}", top.join(", "));
    let summary = archetype.summary.replace("{years}", &years.to_string());
    let search_text = migration::search_text::of_fields(&[Some(&full_name), Some(&headline), Some(&summary)]);
    // Drawn in this order since the first seed: reordering them changes every later value.
    let phone = format!("+49 30 {:07}", rng.random_range(0..10_000_000));
    let location = pick(&mut rng, LOCATIONS);
    let source = pick(&mut rng, SOURCES);
    let (external_source, external_id) = external.unzip();
    rows.candidates.push(candidates::Model {
        id,
        organization_id,
        full_name,
        email: Some(format!("{}.{}.{index}@example.com", first.to_lowercase(), last.to_lowercase())),
        phone: Some(phone),
        location: Some(location.to_owned()),
        headline: Some(headline),
        summary: Some(summary),
        years_experience: years,
        years_experience_derived: false,
        current_title: Some(title.to_owned()),
        current_company: Some(company.to_owned()),
        links: serde_json::Value::Array(links),
        source: Some(source.to_owned()),
        external_source,
        external_id,
        status,
        created_at: created,
        updated_at: created,
        version: 1,
        search_text,
    });
    for (slug, level) in &skills {
        let skill_years = rng.random_range(1..=years.max(1));
        rows.candidate_skills.push(candidate_skills::Model {
            candidate_id: id,
            skill_id: builtin_skill_id(slug),
            organization_id,
            level: *level,
            years: Some(skill_years),
            years_derived: false,
            last_used_year: Some(rng.random_range(2019..=2026)),
        });
    }
    let tag_count = rng.random_range(0..=3);
    let mut tags: Vec<&str> = TAGS.choose_multiple(&mut rng, tag_count).copied().collect();
    tags.sort_unstable();
    for tag in tags {
        rows.candidate_tags.push(candidate_tags::Model { candidate_id: id, tag: tag.to_owned(), organization_id });
    }

    // Pipelines: big-data profiles often sit in the flagship role's pipeline, others sometimes
    // in one of the template roles.
    let role = if archetype.key.starts_with("big-data") && rng.random_bool(0.5) {
        Some(0)
    } else if role_count > 1 && rng.random_bool(0.08) {
        Some(rng.random_range(1..role_count))
    } else {
        None
    };
    if let Some(role_index) = role.filter(|r| *r < role_count) {
        push_application(rows, &mut rng, organization_id, recruiter_id, id, role_index, created);
    }
}

fn push_application(
    rows: &mut Rows,
    rng: &mut ChaCha8Rng,
    organization_id: Uuid,
    recruiter_id: Uuid,
    candidate_id: Uuid,
    role_index: u32,
    candidate_created: DateTime<Utc>,
) {
    let application_id = Uuid::new_v5(&candidate_id, format!("application:{role_index}").as_bytes());
    let reached = rng.random_range(0..STAGES.len() - 1) + usize::from(rng.random_bool(0.1));
    let ending = match rng.random_range(0..10) {
        0..=1 => Some(ApplicationStage::Rejected),
        2 => Some(ApplicationStage::Withdrawn),
        _ => None,
    }
    .filter(|_| reached < STAGES.len() - 1);
    let mut at = candidate_created + Duration::days(rng.random_range(1..30));
    let created = at;
    let mut moves: Vec<(Option<ApplicationStage>, ApplicationStage, DateTime<Utc>)> =
        vec![(None, ApplicationStage::Sourced, at)];
    for step in STAGES.windows(2).take(reached) {
        if let &[from, to] = step {
            at += Duration::days(rng.random_range(2..15)) + Duration::hours(rng.random_range(0..24));
            moves.push((Some(from), to, at));
        }
    }
    if let Some(end) = ending {
        at += Duration::days(rng.random_range(1..10));
        let from = moves.last().map_or(ApplicationStage::Sourced, |&(_, stage, _)| stage);
        moves.push((Some(from), end, at));
    }
    let (_, stage, entered) = moves.last().copied().unwrap_or((None, ApplicationStage::Sourced, created));
    rows.applications.push(applications::Model {
        id: application_id,
        organization_id,
        candidate_id,
        role_id: demo_id(&format!("role:{role_index}")),
        stage,
        source: Some("Sourced by recruiter".to_owned()),
        credited_recruiter_id: Some(recruiter_id),
        rejection_reason: (stage == ApplicationStage::Rejected).then(|| "Not enough experience".to_owned()),
        stage_entered_at: entered,
        created_at: created,
        updated_at: entered,
        version: moves.len() as i32,
    });
    for (number, (from_stage, to_stage, at)) in moves.into_iter().enumerate() {
        rows.application_events.push(application_events::Model {
            id: Uuid::new_v5(&application_id, &number.to_le_bytes()),
            organization_id,
            application_id,
            from_stage,
            to_stage,
            actor_recruiter_id: Some(recruiter_id),
            actor_label: "Dana Demo".to_owned(),
            note: None,
            created_at: at,
        });
    }
}

/// Bind parameters per statement, under both backends' limits (SQLite 32766, PostgreSQL 65535).
const MAX_PARAMETERS: usize = 30_000;

/// Rows of one transaction, per table, inserted parents before children. Whole models rather
/// than active models: every column is written out, so a column added to an entity stops this
/// module compiling until the demo decides its value.
#[derive(Default)]
struct Rows {
    organizations: Vec<organizations::Model>,
    recruiters: Vec<recruiters::Model>,
    roles: Vec<roles::Model>,
    skill_requirements: Vec<skill_requirements::Model>,
    candidates: Vec<candidates::Model>,
    candidate_skills: Vec<candidate_skills::Model>,
    candidate_tags: Vec<candidate_tags::Model>,
    applications: Vec<applications::Model>,
    application_events: Vec<application_events::Model>,
}

impl Rows {
    async fn insert(self, db: &impl ConnectionTrait) -> anyhow::Result<()> {
        insert_all(db, self.organizations).await?;
        insert_all(db, self.recruiters).await?;
        insert_all(db, self.roles).await?;
        insert_all(db, self.skill_requirements).await?;
        insert_all(db, self.candidates).await?;
        insert_all(db, self.candidate_skills).await?;
        insert_all(db, self.candidate_tags).await?;
        insert_all(db, self.applications).await?;
        insert_all(db, self.application_events).await?;
        Ok(())
    }
}

/// Inserts `rows` with multi-row INSERTs of at most [`MAX_PARAMETERS`] bind parameters each (a
/// row binds one parameter per column).
async fn insert_all<M>(db: &impl ConnectionTrait, rows: Vec<M>) -> anyhow::Result<()>
where
    M: ModelTrait + IntoActiveModel<<M::Entity as EntityTrait>::ActiveModel>,
{
    let columns = <M::Entity as EntityTrait>::Column::iter().count();
    let per_statement = (MAX_PARAMETERS / columns.max(1)).max(1);
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        M::Entity::insert_many(rows.by_ref().take(per_statement).map(IntoActiveModel::into_active_model))
            .exec_without_returning(db)
            .await
            .with_context(|| format!("inserting into {}", M::Entity::default().table_name()))?;
    }
    Ok(())
}
