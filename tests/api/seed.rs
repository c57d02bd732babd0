//! Migrations and the demo seed.

use std::collections::HashMap;
use std::fmt::Write;

use entity::{candidate_skills, candidates, roles, skill_requirements, skills};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Statement,
};
use talentgraph::{database, demo};
use uuid::Uuid;

use crate::helpers::{Backend, TestApp, TestDatabase};
use crate::on_both_backends;

on_both_backends!(
    migrations_apply_and_are_idempotent,
    demo_seed_has_the_flagship_role_and_a_realistic_spread,
    seed_tops_up
);

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    let row =
        db.query_one_raw(Statement::from_string(db.get_database_backend(), sql.to_owned())).await.unwrap().unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn migrations_apply_and_are_idempotent(app: TestApp) {
    // The server migrated an empty database at start; migrating again changes nothing.
    let applied = count(&app.db, "SELECT COUNT(*) FROM seaql_migrations").await;
    let skills = count(&app.db, "SELECT COUNT(*) FROM skills").await;
    let aliases = count(&app.db, "SELECT COUNT(*) FROM skill_aliases").await;
    assert_eq!(applied, i64::try_from(<migration::Migrator as migration::MigratorTrait>::migrations().len()).unwrap());
    assert!(skills >= 150, "taxonomy has {skills} skills");
    database::migrate(&app.db).await.unwrap();
    database::migrate(&app.db).await.unwrap();
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM seaql_migrations").await, applied);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM skills").await, skills);
    assert_eq!(count(&app.db, "SELECT COUNT(*) FROM skill_aliases").await, aliases);
    // Constraints hold on both backends: a level outside 1..=5 is refused by the database.
    demo::seed(&app.db, &demo::SeedOptions { candidates: 1, roles: 1, progress: false }).await.unwrap();
    let bad_level = app.db.execute_unprepared("UPDATE candidate_skills SET level = 9").await;
    assert!(bad_level.is_err(), "CHECK (level BETWEEN 1 AND 5) missing");
}

/// Every seeded row that a user could see, in a fixed order, as text.
async fn fingerprint(db: &DatabaseConnection) -> String {
    let mut out = String::new();
    for role in roles::Entity::find().order_by_asc(roles::Column::Id).all(db).await.unwrap() {
        writeln!(out, "{role:?}").unwrap();
    }
    for requirement in
        skill_requirements::Entity::find().order_by_asc(skill_requirements::Column::Id).all(db).await.unwrap()
    {
        writeln!(out, "{requirement:?}").unwrap();
    }
    for candidate in candidates::Entity::find().order_by_asc(candidates::Column::Id).all(db).await.unwrap() {
        writeln!(out, "{candidate:?}").unwrap();
    }
    for skill in candidate_skills::Entity::find()
        .order_by_asc(candidate_skills::Column::CandidateId)
        .order_by_asc(candidate_skills::Column::SkillId)
        .all(db)
        .await
        .unwrap()
    {
        writeln!(out, "{skill:?}").unwrap();
    }
    for table in ["candidate_tags", "applications", "application_events"] {
        writeln!(out, "{table}: {}", count(db, &format!("SELECT COUNT(*) FROM {table}")).await).unwrap();
    }
    out
}

async fn seeded_fingerprint(backend: Backend) -> Option<String> {
    let database = TestDatabase::create(backend).await?;
    let db = database::connect(&database.url).await.unwrap();
    database::migrate(&db).await.unwrap();
    demo::seed(&db, &demo::SeedOptions::default()).await.unwrap();
    Some(fingerprint(&db).await)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_seed_is_deterministic_across_runs_and_backends() {
    let first = seeded_fingerprint(Backend::Sqlite).await.unwrap();
    let second = seeded_fingerprint(Backend::Sqlite).await.unwrap();
    assert!(first.len() > 10_000);
    assert!(first == second, "two SQLite seeds differ");
    if let Some(postgres) = seeded_fingerprint(Backend::Postgres).await {
        assert!(first == postgres, "the PostgreSQL seed differs from the SQLite seed");
    }
}

async fn demo_seed_has_the_flagship_role_and_a_realistic_spread(app: TestApp) {
    let report = demo::seed(&app.db, &demo::SeedOptions::default()).await.unwrap();
    assert_eq!(report.candidates_added, demo::DEFAULT_CANDIDATES);
    let db = &app.db;
    let flagship = roles::Entity::find()
        .filter(roles::Column::Title.eq(demo::FLAGSHIP_ROLE_TITLE))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(flagship.min_years_experience, 10);
    let requirements = skill_requirements::Entity::find()
        .filter(skill_requirements::Column::RoleId.eq(flagship.id))
        .all(db)
        .await
        .unwrap();
    let slugs: HashMap<Uuid, String> =
        skills::Entity::find().all(db).await.unwrap().into_iter().map(|s| (s.id, s.slug)).collect();
    let group: Vec<&str> = requirements
        .iter()
        .filter(|r| r.alternatives_group.as_deref() == Some("scala-or-python"))
        .map(|r| slugs[&r.skill_id].as_str())
        .collect();
    assert_eq!(group, ["scala", "python"]);
    for slug in ["apache-spark", "apache-kafka", "apache-hive", "apache-impala", "java", "leadership", "communication"]
    {
        assert!(requirements.iter().any(|r| slugs[&r.skill_id] == slug), "flagship lacks {slug}");
    }
    assert_eq!(roles::Entity::find().count(db).await.unwrap(), u64::from(demo::DEFAULT_ROLES));

    // Who meets every REQUIRED requirement of the flagship (a group by any member)?
    let mut levels: HashMap<Uuid, HashMap<Uuid, i16>> = HashMap::new();
    for row in candidate_skills::Entity::find().all(db).await.unwrap() {
        levels.entry(row.candidate_id).or_default().insert(row.skill_id, row.level);
    }
    let required: Vec<_> = requirements.iter().filter(|r| r.importance == entity::Importance::Required).collect();
    let mut groups: HashMap<String, Vec<_>> = HashMap::new();
    for r in &required {
        groups.entry(r.alternatives_group.clone().unwrap_or_else(|| r.id.to_string())).or_default().push(*r);
    }
    let (mut full, mut partial) = (0, 0);
    for skills in levels.values() {
        let met = groups
            .values()
            .filter(|alternatives| {
                alternatives.iter().any(|r| skills.get(&r.skill_id).is_some_and(|l| *l >= r.min_level))
            })
            .count();
        if met == groups.len() {
            full += 1;
        } else if met * 3 >= groups.len() {
            partial += 1;
        }
    }
    assert!(full >= 3, "only {full} candidates fit the flagship fully");
    assert!(partial > full, "{partial} partial fits vs {full} full fits");
    assert!(full * 5 < levels.len(), "too many full fits: {full} of {}", levels.len());
}

async fn seed_tops_up(app: TestApp) {
    let small = demo::SeedOptions { candidates: 50, roles: 3, progress: false };
    assert_eq!(demo::seed(&app.db, &small).await.unwrap(), demo::SeedReport { roles_added: 3, candidates_added: 50 });
    let same = demo::seed(&app.db, &small).await.unwrap();
    assert_eq!(same, demo::SeedReport { roles_added: 0, candidates_added: 0 });
    let larger = demo::SeedOptions { candidates: 80, roles: 3, progress: false };
    assert_eq!(demo::seed(&app.db, &larger).await.unwrap().candidates_added, 30);
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 80);
    assert_eq!(
        candidates::Entity::find().filter(candidates::Column::OrganizationId.is_null()).count(&app.db).await.unwrap(),
        0
    );
}

/// Rows written before the search-text migration get their search text when it runs.
async fn search_text_is_backfilled(backend: Backend) {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::sea_query::{Alias, Query};
    let Some(database) = TestDatabase::create(backend).await else { return };
    let db = database::connect(&database.url).await.unwrap();
    Migrator::up(&db, Some(5)).await.unwrap();
    let now = chrono::Utc::now();
    let organization = Uuid::now_v7();
    let candidate = Uuid::now_v7();
    let role = Uuid::now_v7();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("organizations"))
        .columns(["id", "name", "slug", "created_at", "updated_at"].map(Alias::new))
        .values_panic([organization.into(), "Old".into(), "old".into(), now.into(), now.into()]);
    db.execute(&insert).await.unwrap();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("candidates"))
        .columns(
            [
                "id",
                "organization_id",
                "full_name",
                "headline",
                "years_experience",
                "links",
                "status",
                "created_at",
                "updated_at",
                "version",
            ]
            .map(Alias::new),
        )
        .values_panic([
            candidate.into(),
            organization.into(),
            "Émilie Ødegård".into(),
            "Data Engineer".into(),
            3.into(),
            serde_json::json!([]).into(),
            "ACTIVE".into(),
            now.into(),
            now.into(),
            1.into(),
        ]);
    db.execute(&insert).await.unwrap();
    let mut insert = Query::insert();
    insert
        .into_table(Alias::new("roles"))
        .columns(
            [
                "id",
                "organization_id",
                "title",
                "description",
                "workplace",
                "employment_type",
                "seniority",
                "status",
                "created_at",
                "updated_at",
            ]
            .map(Alias::new),
        )
        .values_panic([
            role.into(),
            organization.into(),
            "Ingénieur Données".into(),
            "".into(),
            "ONSITE".into(),
            "FULL_TIME".into(),
            "MID".into(),
            "OPEN".into(),
            now.into(),
            now.into(),
        ]);
    db.execute(&insert).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    let row = candidates::Entity::find_by_id(candidate).one(&db).await.unwrap().unwrap();
    assert_eq!(row.search_text, "emilie odegard\ndata engineer");
    let row = roles::Entity::find_by_id(role).one(&db).await.unwrap().unwrap();
    assert_eq!(row.search_text, "ingenieur donnees");
}

mod search_text_backfill {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::search_text_is_backfilled(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::search_text_is_backfilled(Backend::Postgres).await;
    }
}
