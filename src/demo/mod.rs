//! The demo organization: a recruiter login, the Big Data Technical Lead role and other
//! realistic roles, and synthetic candidates with skills, tags and pipelines.
//!
//! Everything is a pure function of a fixed seed and the row number, so two seeds of the same
//! size give the same data (ids included), and `seed --candidates N` on a seeded database adds
//! exactly the candidates a fresh seed of N would have.

pub mod content;

use std::collections::HashSet;

use anyhow::Context;
use chrono::{DateTime, Duration, TimeZone, Utc};
use entity::{organizations, roles};
use indicatif::{ProgressBar, ProgressStyle};
use migration::taxonomy::builtin_skill_id;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sea_orm::sea_query::{Alias, Query, SimpleExpr};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, TransactionTrait, Value,
};
use serde_json::json;
use uuid::Uuid;

use self::content::{
    ARCHETYPES, Archetype, COMPANIES, FIRST_NAMES, LAST_NAMES, LOCATIONS, ROLE_TEMPLATES, RequirementTemplate, SOURCES,
    TAGS,
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
        let mut batch = Batch::default();
        for index in existing_roles..options.roles {
            push_role(&mut batch, organization_id, index);
        }
        batch.flush(&txn).await?;
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
        let mut batch = Batch::default();
        for index in start..end {
            push_candidate(&mut batch, organization_id, recruiter_id, role_count, index);
        }
        batch.flush(&txn).await?;
        txn.commit().await?;
        bar.inc(u64::from(end - start));
        start = end;
    }
    bar.finish_and_clear();
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
    let txn = db.begin().await?;
    let mut batch = Batch::default();
    batch.push(
        "organizations",
        &["id", "name", "slug", "created_at", "updated_at"],
        vec![
            organization_id.into(),
            "Demo Recruiting Co.".into(),
            DEMO_ORGANIZATION_SLUG.into(),
            created.into(),
            created.into(),
        ],
    );
    let people = [
        (DEMO_EMAIL, "Dana Demo", "ADMIN"),
        (PLAYGROUND_EMAIL, "Riley Recruiter", "RECRUITER"),
        ("viewer@talentgraph.dev", "Vic Viewer", "VIEWER"),
    ];
    for (index, (email, name, role)) in people.into_iter().enumerate() {
        batch.push(
            "recruiters",
            &[
                "id",
                "organization_id",
                "email",
                "display_name",
                "password_hash",
                "role",
                "active",
                "created_at",
                "updated_at",
            ],
            vec![
                demo_id(&format!("recruiter:{index}")).into(),
                organization_id.into(),
                email.into(),
                name.into(),
                password_hash.clone().into(),
                role.into(),
                true.into(),
                created.into(),
                created.into(),
            ],
        );
    }
    batch.flush(&txn).await?;
    txn.commit().await?;
    Ok(organization_id)
}

/// The flagship role, written out as a recruiter would.
const FLAGSHIP_REQUIREMENTS: &[RequirementTemplate] = &[
    requirement("apache-spark", "REQUIRED", 5, Some(5), None),
    requirement("spark-structured-streaming", "REQUIRED", 4, None, None),
    requirement("apache-kafka", "REQUIRED", 4, None, None),
    requirement("apache-hive", "REQUIRED", 3, None, None),
    requirement("apache-impala", "REQUIRED", 3, None, None),
    requirement("scala", "REQUIRED", 4, None, Some("scala-or-python")),
    requirement("python", "REQUIRED", 4, None, Some("scala-or-python")),
    requirement("java", "PREFERRED", 3, None, None),
    requirement("apache-hadoop", "PREFERRED", 3, None, None),
    requirement("sql", "PREFERRED", 4, None, None),
    requirement("nosql", "PREFERRED", 3, None, None),
    requirement("data-modeling", "PREFERRED", 4, None, None),
    requirement("devops", "PREFERRED", 3, None, None),
    requirement("agile", "PREFERRED", 3, None, None),
    requirement("leadership", "REQUIRED", 4, None, None),
    requirement("mentoring", "REQUIRED", 4, None, None),
    requirement("communication", "REQUIRED", 4, None, None),
];

const fn requirement(
    skill: &'static str,
    importance: &'static str,
    min_level: i16,
    min_years: Option<i32>,
    alternatives_group: Option<&'static str>,
) -> RequirementTemplate {
    RequirementTemplate { skill, importance, min_level, min_years, alternatives_group }
}

const FLAGSHIP_DESCRIPTION: &str = "We are looking for a Big Data Technical Lead to own our data platform end to end. \
You will design and build batch and streaming pipelines on Apache Spark and Kafka, model data in Hive and Impala, \
and lead a team of six data engineers working in Scala or Python. A Java background, hands-on DevOps and solid \
SQL and NoSQL data modeling matter as much as the ability to mentor, plan in an agile way and explain trade-offs \
to stakeholders. You bring 10+ years of experience, several of them leading engineers.";

#[allow(clippy::too_many_lines, reason = "one role row and its requirements, field by field")]
fn push_role(batch: &mut Batch, organization_id: Uuid, index: u32) {
    let id = demo_id(&format!("role:{index}"));
    let created = epoch() + Duration::days(i64::from(index) * 3);
    // Role 0 is the flagship; the others cycle through the templates, numbered per round.
    let generated =
        (index as usize).checked_sub(1).and_then(|n| Some((n, ROLE_TEMPLATES.get(n % ROLE_TEMPLATES.len())?)));
    let (title, template) = match generated {
        None => (FLAGSHIP_ROLE_TITLE.to_owned(), None),
        Some((n, template)) => {
            let round = n / ROLE_TEMPLATES.len();
            let title =
                if round == 0 { template.title.to_owned() } else { format!("{} ({})", template.title, round + 1) };
            (title, Some(template))
        }
    };
    let (
        department,
        location,
        workplace,
        employment,
        seniority,
        status,
        headcount,
        min_years,
        salary,
        description,
        requirements,
    ) = match template {
        None => (
            "Data Platform",
            "Berlin, Germany",
            "HYBRID",
            "FULL_TIME",
            "LEAD",
            "OPEN",
            1,
            10,
            Some((95_000, 130_000, "EUR")),
            FLAGSHIP_DESCRIPTION,
            FLAGSHIP_REQUIREMENTS,
        ),
        Some(t) => (
            t.department,
            t.location,
            t.workplace,
            t.employment_type,
            t.seniority,
            t.status,
            t.headcount,
            t.min_years,
            t.salary,
            t.description,
            t.requirements,
        ),
    };
    let role_search_text =
        migration::search_text::of_fields(&[Some(title.as_str()), Some(description), Some(department)]);
    batch.push(
        "roles",
        &[
            "id",
            "organization_id",
            "title",
            "description",
            "department",
            "location",
            "workplace",
            "employment_type",
            "seniority",
            "min_years_experience",
            "status",
            "headcount",
            "salary_min",
            "salary_max",
            "salary_currency",
            "created_at",
            "updated_at",
            "version",
            "search_text",
        ],
        vec![
            id.into(),
            organization_id.into(),
            title.into(),
            description.into(),
            department.into(),
            location.into(),
            workplace.into(),
            employment.into(),
            seniority.into(),
            min_years.into(),
            status.into(),
            headcount.into(),
            salary.map(|s| s.0).into(),
            salary.map(|s| s.1).into(),
            salary.map(|s| s.2.to_owned()).into(),
            created.into(),
            created.into(),
            1.into(),
            role_search_text.into(),
        ],
    );
    for (position, requirement) in requirements.iter().enumerate() {
        batch.push(
            "skill_requirements",
            &[
                "id",
                "organization_id",
                "role_id",
                "skill_id",
                "importance",
                "min_level",
                "min_years",
                "weight",
                "alternatives_group",
                "position",
                "created_at",
            ],
            vec![
                Uuid::new_v5(&id, requirement.skill.as_bytes()).into(),
                organization_id.into(),
                id.into(),
                builtin_skill_id(requirement.skill).into(),
                requirement.importance.into(),
                requirement.min_level.into(),
                requirement.min_years.into(),
                Option::<f64>::None.into(),
                requirement.alternatives_group.map(str::to_owned).into(),
                (position as i32).into(),
                created.into(),
            ],
        );
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

const STAGES: [&str; 5] = ["SOURCED", "SCREENING", "INTERVIEW", "OFFER", "HIRED"];

#[allow(clippy::too_many_lines, reason = "one candidate row and its children, field by field")]
fn push_candidate(batch: &mut Batch, organization_id: Uuid, recruiter_id: Uuid, role_count: u32, index: u32) {
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
    let status = if rng.random_bool(0.95) { "ACTIVE" } else { "ARCHIVED" };
    let full_name = format!("{first} {last}");
    let headline = format!("{title} · {}", top.join(", "));
    let summary = archetype.summary.replace("{years}", &years.to_string());
    let search_text = migration::search_text::of_fields(&[Some(&full_name), Some(&headline), Some(&summary)]);
    batch.push(
        "candidates",
        &[
            "id",
            "organization_id",
            "full_name",
            "email",
            "phone",
            "location",
            "headline",
            "summary",
            "years_experience",
            "current_title",
            "current_company",
            "links",
            "source",
            "external_source",
            "external_id",
            "status",
            "created_at",
            "updated_at",
            "version",
            "search_text",
        ],
        vec![
            id.into(),
            organization_id.into(),
            full_name.into(),
            format!("{}.{}.{index}@example.com", first.to_lowercase(), last.to_lowercase()).into(),
            format!("+49 30 {:07}", rng.random_range(0..10_000_000)).into(),
            pick(&mut rng, LOCATIONS).into(),
            headline.into(),
            summary.into(),
            years.into(),
            title.into(),
            company.into(),
            serde_json::Value::Array(links).into(),
            pick(&mut rng, SOURCES).into(),
            external.as_ref().map(|e| e.0.clone()).into(),
            external.as_ref().map(|e| e.1.clone()).into(),
            status.into(),
            created.into(),
            created.into(),
            1.into(),
            search_text.into(),
        ],
    );
    for (slug, level) in &skills {
        let skill_years = rng.random_range(1..=years.max(1));
        batch.push(
            "candidate_skills",
            &["candidate_id", "skill_id", "organization_id", "level", "years", "last_used_year"],
            vec![
                id.into(),
                builtin_skill_id(slug).into(),
                organization_id.into(),
                (*level).into(),
                skill_years.into(),
                rng.random_range(2019..=2026).into(),
            ],
        );
    }
    let tag_count = rng.random_range(0..=3);
    let mut tags: Vec<&str> = TAGS.choose_multiple(&mut rng, tag_count).copied().collect();
    tags.sort_unstable();
    for tag in tags {
        batch.push(
            "candidate_tags",
            &["candidate_id", "tag", "organization_id"],
            vec![id.into(), tag.into(), organization_id.into()],
        );
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
        push_application(batch, &mut rng, organization_id, recruiter_id, id, role_index, created);
    }
}

fn push_application(
    batch: &mut Batch,
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
        0..=1 => Some("REJECTED"),
        2 => Some("WITHDRAWN"),
        _ => None,
    }
    .filter(|_| reached < STAGES.len() - 1);
    let mut at = candidate_created + Duration::days(rng.random_range(1..30));
    let created = at;
    let mut moves: Vec<(Option<&str>, &str, DateTime<Utc>)> = vec![(None, STAGES[0], at)];
    for step in STAGES.windows(2).take(reached) {
        if let &[from, to] = step {
            at += Duration::days(rng.random_range(2..15)) + Duration::hours(rng.random_range(0..24));
            moves.push((Some(from), to, at));
        }
    }
    if let Some(end) = ending {
        at += Duration::days(rng.random_range(1..10));
        let from = moves.last().map_or(STAGES[0], |&(_, stage, _)| stage);
        moves.push((Some(from), end, at));
    }
    let (_, stage, entered) = moves.last().copied().unwrap_or((None, STAGES[0], created));
    batch.push(
        "applications",
        &[
            "id",
            "organization_id",
            "candidate_id",
            "role_id",
            "stage",
            "source",
            "credited_recruiter_id",
            "rejection_reason",
            "stage_entered_at",
            "created_at",
            "updated_at",
            "version",
        ],
        vec![
            application_id.into(),
            organization_id.into(),
            candidate_id.into(),
            demo_id(&format!("role:{role_index}")).into(),
            stage.into(),
            "Sourced by recruiter".into(),
            recruiter_id.into(),
            (stage == "REJECTED").then(|| "Not enough experience".to_owned()).into(),
            entered.into(),
            created.into(),
            entered.into(),
            (moves.len() as i32).into(),
        ],
    );
    for (number, (from, to, at)) in moves.into_iter().enumerate() {
        batch.push(
            "application_events",
            &[
                "id",
                "organization_id",
                "application_id",
                "from_stage",
                "to_stage",
                "actor_recruiter_id",
                "actor_label",
                "note",
                "created_at",
            ],
            vec![
                Uuid::new_v5(&application_id, &number.to_le_bytes()).into(),
                organization_id.into(),
                application_id.into(),
                from.map(str::to_owned).into(),
                to.into(),
                recruiter_id.into(),
                "Dana Demo".into(),
                Option::<String>::None.into(),
                at.into(),
            ],
        );
    }
}

/// Rows waiting to be inserted, per table, in first-use order (parents before children).
#[derive(Default)]
struct Batch {
    tables: Vec<TableRows>,
}

/// A table, its columns, and rows of values in column order.
type TableRows = (&'static str, &'static [&'static str], Vec<Vec<Value>>);

impl Batch {
    fn push(&mut self, table: &'static str, columns: &'static [&'static str], row: Vec<Value>) {
        if let Some(entry) = self.tables.iter_mut().find(|(name, _, _)| *name == table) {
            entry.2.push(row);
        } else {
            self.tables.push((table, columns, vec![row]));
        }
    }

    /// Inserts everything with multi-row INSERTs sized under both backends' parameter limits.
    async fn flush(self, db: &impl ConnectionTrait) -> anyhow::Result<()> {
        for (table, columns, rows) in self.tables {
            let per_statement = (30_000 / columns.len()).max(1);
            for chunk in rows.chunks(per_statement) {
                let mut insert = Query::insert();
                insert.into_table(Alias::new(table)).columns(columns.iter().map(|c| Alias::new(*c)));
                for row in chunk {
                    insert
                        .values(row.iter().cloned().map(SimpleExpr::from))
                        .with_context(|| format!("building rows of {table}"))?;
                }
                db.execute(&insert).await.with_context(|| format!("inserting into {table}"))?;
            }
        }
        Ok(())
    }
}
