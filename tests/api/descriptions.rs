//! Roles from job descriptions over GraphQL: `parseRoleDescription`, `createRoleFromDescription`,
//! `reparseRole`, and the taxonomy sync migration they rely on.

use entity::RecruiterRole::{Recruiter, Viewer};
use entity::{roles, skill_aliases, skills};
use sea_orm::{ColumnTrait, ConnectionTrait, Database, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use talentgraph::config::StatementLog;

use crate::helpers::{Backend, TestApp, TestDatabase, first_error_code};
use crate::on_both_backends;

on_both_backends!(
    parses_the_issue_example_with_evidence,
    stores_a_draft_role_equal_to_its_draft_and_matches_it,
    reparses_drafts_after_the_taxonomy_grew,
    refuses_bad_text_and_changes_nothing,
    loads_the_skills_of_a_draft_in_batches,
    syncs_the_taxonomy_of_an_existing_database,
);

const ISSUE_EXAMPLE: &str = "We are hiring a Senior Data Platform Engineer. You must have strong experience with \
    Apache Flink or Spark Streaming, and Kafka is essential. Python is required; Go is a plus. Experience with \
    Kubernetes and Terraform is preferred. 7+ years of experience in data engineering.";

const DRAFT_FIELDS: &str = "requirements { skillName importance alternativesGroup minLevel minYears
    evidence { text start end } skill { slug escoUri } }
  minYearsExperience seniority unproductiveSentences { text start end }";

fn parse_query() -> String {
    format!(
        "query ($title: String!, $text: String!) {{ parseRoleDescription(title: $title, text: $text) {{ {DRAFT_FIELDS} }} }}"
    )
}

fn create_mutation() -> String {
    format!(
        "mutation ($title: String!, $text: String!) {{ createRoleFromDescription(title: $title, text: $text) {{
            role {{ id title description status seniority minYearsExperience version
                   requirements {{ importance minLevel minYears alternativesGroup skill {{ slug }} }} }}
            draft {{ {DRAFT_FIELDS} }}
            userErrors {{ field code message }} }} }}"
    )
}

fn reparse_mutation() -> String {
    format!(
        "mutation ($id: ID!) {{ reparseRole(id: $id) {{
            role {{ id status requirements {{ importance skill {{ slug name }} }} }}
            draft {{ {DRAFT_FIELDS} }}
            userErrors {{ field code message }} }} }}"
    )
}

/// `(slug, importance, group)` of each draft requirement, in order.
fn summary(draft: &Value) -> Vec<(String, String, Option<String>)> {
    draft["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["skill"]["slug"].as_str().unwrap().to_owned(),
                r["importance"].as_str().unwrap().to_owned(),
                r["alternativesGroup"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// A UTF-16 slice, as a JavaScript client would take it.
fn utf16_slice(text: &str, start: u64, end: u64) -> String {
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start as usize..end as usize]).unwrap()
}

async fn parses_the_issue_example_with_evidence(app: TestApp) {
    let first =
        app.graphql(&parse_query(), json!({ "title": "Senior Data Platform Engineer", "text": ISSUE_EXAMPLE })).await;
    assert!(first["errors"].is_null(), "{first}");
    let draft = &first["data"]["parseRoleDescription"];
    let group = Some("alternatives-1".to_owned());
    let expected = [
        ("apache-flink", "REQUIRED", group.clone()),
        ("spark-streaming", "REQUIRED", group),
        ("apache-kafka", "REQUIRED", None),
        ("python", "REQUIRED", None),
        ("go", "PREFERRED", None),
        ("kubernetes", "PREFERRED", None),
        ("terraform", "PREFERRED", None),
    ];
    let expected: Vec<_> = expected.into_iter().map(|(s, i, g)| (s.to_owned(), i.to_owned(), g)).collect();
    assert_eq!(summary(draft), expected);
    assert_eq!(draft["minYearsExperience"], 7);
    assert_eq!(draft["seniority"], "SENIOR");
    assert_eq!(draft["requirements"][0]["minLevel"], 4, "strong experience");
    let python = &draft["requirements"][3];
    assert!(python["skill"]["escoUri"].as_str().unwrap().starts_with("http://data.europa.eu/esco/skill/"));
    for requirement in draft["requirements"].as_array().unwrap() {
        for evidence in requirement["evidence"].as_array().unwrap() {
            let (start, end) = (evidence["start"].as_u64().unwrap(), evidence["end"].as_u64().unwrap());
            assert_eq!(utf16_slice(ISSUE_EXAMPLE, start, end), evidence["text"].as_str().unwrap());
        }
    }

    // Offsets are UTF-16 code units: text before the mention that needs two units per character.
    let text = "🚀🚀 Startup stack: Kafka.";
    let body = app.graphql(&parse_query(), json!({ "title": "Engineer", "text": text })).await;
    let evidence = &body["data"]["parseRoleDescription"]["requirements"][0]["evidence"][0];
    assert_eq!(evidence["text"], "Kafka");
    assert_eq!(evidence["start"], 20, "{body}");
    assert_eq!(utf16_slice(text, 20, 25), "Kafka");

    // The same text gives the same draft.
    let again =
        app.graphql(&parse_query(), json!({ "title": "Senior Data Platform Engineer", "text": ISSUE_EXAMPLE })).await;
    assert_eq!(again, first, "deterministic");
}

const BIG_DATA_AD: &str = include_str!("../../src/descriptions/corpus/02-big-data-technical-lead-bullets.txt");

fn ad_text(corpus_file: &str) -> &str {
    let (_, rest) = corpus_file.split_once("\n---\n").unwrap();
    rest.split_once("=== expected").unwrap().0.trim()
}

async fn stores_a_draft_role_equal_to_its_draft_and_matches_it(app: TestApp) {
    let text = ad_text(BIG_DATA_AD);
    let body = app.graphql(&create_mutation(), json!({ "title": "Big Data Technical Lead", "text": text })).await;
    assert!(body["errors"].is_null(), "{body}");
    let payload = &body["data"]["createRoleFromDescription"];
    assert_eq!(payload["userErrors"], json!([]));
    let role = &payload["role"];
    let draft = &payload["draft"];
    assert_eq!(role["status"], "DRAFT");
    assert_eq!(role["description"], text);
    assert_eq!(role["seniority"], "LEAD");
    assert_eq!(role["minYearsExperience"], 10);
    assert_eq!(draft["minYearsExperience"], 10);
    // The stored requirements are the draft's, in its order; an unstated level is stored as 3.
    let stored: Vec<Value> = role["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| json!([r["skill"]["slug"], r["importance"], r["alternativesGroup"], r["minLevel"], r["minYears"]]))
        .collect();
    let drafted: Vec<Value> = draft["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let level = if r["minLevel"].is_null() { json!(3) } else { r["minLevel"].clone() };
            json!([r["skill"]["slug"], r["importance"], r["alternativesGroup"], level, r["minYears"]])
        })
        .collect();
    assert_eq!(stored, drafted);
    let slugs: Vec<String> = summary(draft).into_iter().map(|(s, _, _)| s).collect();
    for wanted in ["apache-spark", "spark-structured-streaming", "apache-kafka", "scala", "python", "kubernetes"] {
        assert!(slugs.iter().any(|s| s == wanted), "{wanted} missing from {slugs:?}");
    }
    for unwanted in ["java", "react", "typescript", "agile", "insurance"] {
        assert!(!slugs.iter().any(|s| s == unwanted), "{unwanted} found in {slugs:?}");
    }
    let spark =
        draft["requirements"].as_array().unwrap().iter().find(|r| r["skill"]["slug"] == "apache-spark").unwrap();
    assert_eq!((spark["minLevel"].as_i64(), spark["minYears"].as_i64()), (Some(5), Some(5)));
    // Scala or Python: one group.
    let scala = draft["requirements"].as_array().unwrap().iter().find(|r| r["skill"]["slug"] == "scala").unwrap();
    let python = draft["requirements"].as_array().unwrap().iter().find(|r| r["skill"]["slug"] == "python").unwrap();
    assert!(scala["alternativesGroup"].is_string());
    assert_eq!(scala["alternativesGroup"], python["alternativesGroup"]);

    // A draft is matchable as it stands: its requirements are SkillRequirementInputs.
    let requirements: Vec<Value> = draft["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!({ "skill": r["skill"]["slug"], "importance": r["importance"],
                    "minLevel": if r["minLevel"].is_null() { json!(3) } else { r["minLevel"].clone() },
                    "minYears": r["minYears"], "alternativesGroup": r["alternativesGroup"] })
        })
        .collect();
    let matched = app
        .graphql(
            "query ($requirements: [SkillRequirementInput!]!, $years: Int!) {
               matchCandidatesForRequirements(requirements: $requirements, minYearsExperience: $years, first: 5) { totalCount } }",
            json!({ "requirements": requirements, "years": draft["minYearsExperience"] }),
        )
        .await;
    assert!(matched["errors"].is_null(), "{matched}");
    assert_eq!(matched["data"]["matchCandidatesForRequirements"]["totalCount"], 0, "no candidates yet");

    // The stored role is Acme's: Globex does not see it.
    let id = role["id"].clone();
    let other =
        app.graphql_as(&app.globex, Recruiter, "query ($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await;
    assert!(other["data"]["node"].is_null(), "{other}");
}

async fn reparses_drafts_after_the_taxonomy_grew(app: TestApp) {
    let text = "Requirements\n- Acme Flow is essential\n- Kafka\n";
    let body = app.graphql(&create_mutation(), json!({ "title": "Flow Engineer", "text": text })).await;
    let role = body["data"]["createRoleFromDescription"]["role"].clone();
    let slugs = |draft: &Value| summary(draft).into_iter().map(|(s, _, _)| s).collect::<Vec<_>>();
    assert_eq!(slugs(&body["data"]["createRoleFromDescription"]["draft"]), ["apache-kafka"]);
    let unproductive = &body["data"]["createRoleFromDescription"]["draft"]["unproductiveSentences"];
    assert_eq!(unproductive[0]["text"], "Acme Flow is essential", "{body}");

    // Acme adds its own skill; the draft picks it up, Globex's reading does not.
    let created = app
        .graphql(
            "mutation { createSkill(input: { name: \"Acme Flow\", category: TOOL, aliases: [\"AFlow\"] }) { skill { slug } userErrors { code message } } }",
            json!({}),
        )
        .await;
    assert_eq!(created["data"]["createSkill"]["userErrors"], json!([]), "{created}");
    let body = app.graphql(&reparse_mutation(), json!({ "id": role["id"] })).await;
    let payload = &body["data"]["reparseRole"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    let stored: Vec<&str> = payload["role"]["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["skill"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(stored, ["Acme Flow", "Apache Kafka"]);
    assert_eq!(payload["role"]["requirements"][0]["importance"], "REQUIRED");
    let alias = app.graphql(&parse_query(), json!({ "title": "x", "text": "AFlow or Kafka." })).await;
    assert_eq!(alias["data"]["parseRoleDescription"]["requirements"][0]["skillName"], "Acme Flow", "{alias}");
    let theirs = app
        .graphql_as(&app.globex, Recruiter, &parse_query(), json!({ "title": "x", "text": "Acme Flow and Kafka." }))
        .await;
    assert_eq!(slugs(&theirs["data"]["parseRoleDescription"]), ["apache-kafka"], "{theirs}");

    // Another organization's role is not found; an OPEN role is the recruiter's, not re-read.
    let foreign = app.graphql_as(&app.globex, Recruiter, &reparse_mutation(), json!({ "id": role["id"] })).await;
    assert_eq!(foreign["data"]["reparseRole"]["userErrors"][0]["code"], "NOT_FOUND", "{foreign}");
    let opened = app
        .graphql(
            "mutation ($id: ID!) { changeRoleStatus(input: { id: $id, status: OPEN }) { userErrors { code } } }",
            json!({ "id": role["id"] }),
        )
        .await;
    assert_eq!(opened["data"]["changeRoleStatus"]["userErrors"], json!([]), "{opened}");
    let refused = app.graphql(&reparse_mutation(), json!({ "id": role["id"] })).await;
    let payload = &refused["data"]["reparseRole"];
    assert!(payload["role"].is_null());
    assert_eq!(payload["userErrors"][0]["code"], "CONFLICT", "{refused}");
    let viewer = app.graphql_as(&app.acme, Viewer, &reparse_mutation(), json!({ "id": role["id"] })).await;
    assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"));
}

async fn refuses_bad_text_and_changes_nothing(app: TestApp) {
    for (text, why) in [("   ", "empty"), (&*"Kafka ".repeat(3_500), "over 20,000 characters")] {
        let body = app.graphql(&parse_query(), json!({ "title": "Engineer", "text": text })).await;
        assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{why}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], json!(["text"]), "{why}: {body}");
        let body = app.graphql(&create_mutation(), json!({ "title": "Engineer", "text": text })).await;
        let payload = &body["data"]["createRoleFromDescription"];
        assert!(payload["role"].is_null(), "{why}: {body}");
        assert_eq!(payload["userErrors"][0]["code"], "BAD_USER_INPUT", "{why}: {body}");
        assert_eq!(payload["userErrors"][0]["field"], json!(["text"]));
    }
    let body = app.graphql(&create_mutation(), json!({ "title": " ", "text": "Kafka" })).await;
    assert_eq!(body["data"]["createRoleFromDescription"]["userErrors"][0]["field"], json!(["title"]), "{body}");
    // A megabyte is refused before it is read.
    let body = app.graphql(&parse_query(), json!({ "title": "Engineer", "text": "Kafka ".repeat(180_000) })).await;
    assert!(body["data"].is_null() || body["data"]["parseRoleDescription"].is_null(), "{body}");
    assert!(first_error_code(&body).is_some(), "{body}");
    assert_eq!(roles::Entity::find().count(&app.db).await.unwrap(), 0, "nothing stored");
    // Reading needs a signed-in recruiter; a viewer may read but not store.
    let anonymous = app.anonymous(&parse_query(), json!({ "title": "Engineer", "text": "Kafka" })).await;
    assert_eq!(first_error_code(&anonymous), Some("UNAUTHENTICATED"));
    let viewer =
        app.graphql_as(&app.acme, Viewer, &parse_query(), json!({ "title": "Engineer", "text": "Kafka" })).await;
    assert!(viewer["errors"].is_null(), "{viewer}");
    let viewer =
        app.graphql_as(&app.acme, Viewer, &create_mutation(), json!({ "title": "Engineer", "text": "Kafka" })).await;
    assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"));
}

async fn loads_the_skills_of_a_draft_in_batches(plain: TestApp) {
    let backend = if plain.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let log = StatementLog::default();
    let shared = log.clone();
    let app = TestApp::spawn_with(backend, move |s| s.statement_log = Some(shared)).await.unwrap();
    let text = ad_text(BIG_DATA_AD);
    let _ = app.token(&app.acme, Recruiter).await;
    log.lock().unwrap().clear();
    let body = app.graphql(&parse_query(), json!({ "title": "Big Data Technical Lead", "text": text })).await;
    assert!(body["errors"].is_null(), "{body}");
    assert!(body["data"]["parseRoleDescription"]["requirements"].as_array().unwrap().len() >= 15);
    let statements = log.lock().unwrap().clone();
    // The caller's check, the organization's spelling count, one batch of skills (a busy
    // machine may split it): not one statement per requirement.
    assert!(statements.len() <= 6, "{} statements:\n{:#?}", statements.len(), statements);
}

async fn syncs_the_taxonomy_of_an_existing_database(app: TestApp) {
    use migration::MigratorTrait;
    // The running app's database went through every migration: the current taxonomy is in it.
    let builtin = || skills::Entity::find().filter(skills::Column::OrganizationId.is_null());
    let all = migration::taxonomy::builtin_skills().unwrap().len() as u64;
    assert!(all >= 1_000);
    assert_eq!(builtin().count(&app.db).await.unwrap(), all);

    // A database migrated before the sync, holding an organization's own skill under a slug
    // the grown taxonomy now uses too, catches up without touching that skill.
    let backend = if app.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        Backend::Postgres
    } else {
        Backend::Sqlite
    };
    let database = TestDatabase::create(backend).await.unwrap();
    let db = Database::connect(&database.url).await.unwrap();
    // Every migration before the sync (later ones may need its rows, and more follow it).
    let before_sync = migration::Migrator::migrations()
        .iter()
        .position(|m| m.name() == "m20261201_000003_sync_skill_taxonomy")
        .expect("the sync migration is listed") as u32;
    migration::Migrator::up(&db, Some(before_sync)).await.unwrap();
    let seeded = migration::taxonomy::seed_skills().unwrap().len() as u64;
    let builtin_count = builtin().count(&db).await.unwrap();
    assert_eq!(builtin_count, seeded, "the seed migration still inserts what it did");
    // Written as the schema stood then (later migrations add organization columns).
    let organization_id = uuid::Uuid::now_v7();
    let now = chrono::Utc::now();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        db.get_database_backend(),
        match db.get_database_backend() {
            sea_orm::DatabaseBackend::Postgres => {
                "INSERT INTO organizations (id, name, slug, created_at, updated_at, event_sequence) VALUES ($1, $2, $3, $4, $5, 0)"
            }
            _ => "INSERT INTO organizations (id, name, slug, created_at, updated_at, event_sequence) VALUES (?, ?, ?, ?, ?, 0)",
        },
        [organization_id.into(), "Initech".into(), "initech".into(), now.into(), now.into()],
    ))
    .await
    .unwrap();
    let own = skills::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organization_id: Set(Some(organization_id)),
        slug: Set("delta-lake".to_owned()),
        name: Set("Delta Lake (ours)".to_owned()),
        category: Set(entity::SkillCategory::Tool),
        description: Set(None),
        esco_uri: Set(None),
        onet_code: Set(None),
        created_at: Set(chrono::Utc::now()),
    };
    skills::Entity::insert(own).exec(&db).await.unwrap();
    migration::Migrator::up(&db, None).await.unwrap();
    assert_eq!(builtin().count(&db).await.unwrap(), all);
    let delta: Vec<skills::Model> =
        skills::Entity::find().filter(skills::Column::Slug.eq("delta-lake")).all(&db).await.unwrap();
    assert_eq!(delta.len(), 2, "{delta:?}");
    let ours = delta.iter().find(|s| s.organization_id.is_some()).unwrap();
    assert_eq!(ours.name, "Delta Lake (ours)");
    assert_eq!(ours.esco_uri, None);
    let python = builtin().filter(skills::Column::Slug.eq("python")).one(&db).await.unwrap().unwrap();
    assert!(python.esco_uri.is_some(), "an existing built-in skill gets its ESCO URI");
    // A database that synced before the file grew again (spellings missing: one added for each
    // resync) gets them from the latest sync; running it again changes nothing else.
    for normalized in ["a/b tests", "review code", "chaos experiments"] {
        let spelling = || {
            skill_aliases::Entity::find()
                .filter(skill_aliases::Column::OrganizationId.is_null())
                .filter(skill_aliases::Column::Normalized.eq(normalized))
        };
        assert_eq!(spelling().count(&db).await.unwrap(), 1, "{normalized}");
        skill_aliases::Entity::delete_many()
            .filter(skill_aliases::Column::OrganizationId.is_null())
            .filter(skill_aliases::Column::Normalized.eq(normalized))
            .exec(&db)
            .await
            .unwrap();
        // Undo the migrations from the latest resync on (later ones may follow it), then redo them.
        let names: Vec<String> = <migration::Migrator as migration::MigratorTrait>::migrations()
            .iter()
            .map(|m| migration::MigrationName::name(m.as_ref()).to_owned())
            .collect();
        let resync = names.iter().position(|n| n == "m20261201_000033_resync_skill_taxonomy").unwrap();
        migration::Migrator::down(&db, Some(u32::try_from(names.len() - resync).unwrap())).await.unwrap();
        migration::Migrator::up(&db, None).await.unwrap();
        assert_eq!(spelling().count(&db).await.unwrap(), 1, "the resync adds the missing spelling {normalized}");
    }
    assert_eq!(builtin().count(&db).await.unwrap(), all);
    db.close().await.ok();
}
