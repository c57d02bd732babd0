//! Possible duplicates and merges of candidates, over GraphQL.

use entity::RecruiterRole::{Admin, Viewer};
use serde_json::{Value, json};

use crate::candidates::create_candidate;
use crate::helpers::{TestApp, first_error_code};
use crate::on_both_backends;
use crate::roles::{create_role, tech_lead};

on_both_backends!(
    finds_duplicates_with_their_reasons,
    merges_a_duplicate_and_keeps_its_id_resolving,
    refuses_bad_merges_and_changes_nothing,
    concurrent_merges_of_one_duplicate_let_one_win,
    duplicate_checks_use_their_indexes,
    the_matching_pool_follows_a_merge,
    upserting_a_merged_reference_updates_the_survivor,
);

const DUPLICATES: &str =
    "query ($id: ID!) { possibleDuplicates(candidateId: $id) { candidate { id fullName } reasons } }";
const MERGE: &str = "mutation ($s: ID!, $d: ID!) { mergeCandidates(input: { survivorId: $s, duplicateId: $d }) {
    candidate { id fullName email phone externalSource externalId tags version
      skills { level years skill { slug } } applications { stage role { title } } }
    mergedCandidateId applicationsMoved droppedApplications { roleId keptApplicationId keptStage droppedStage }
    userErrors { field code message } } }";
const ADD: &str = "mutation ($c: ID!, $r: ID!) { addCandidateToRole(input: { candidateId: $c, roleId: $r }) { application { id } userErrors { code } } }";
const MOVE: &str = "mutation ($id: ID!, $stage: ApplicationStage!) { moveApplication(input: { id: $id, stage: $stage }) { application { stage } userErrors { code message } } }";

#[allow(clippy::needless_pass_by_value, reason = "called with json! literals")]
fn person(name: &str, extra: Value) -> Value {
    let mut input = json!({ "fullName": name });
    for (key, value) in extra.as_object().unwrap() {
        input[key] = value.clone();
    }
    input
}

async fn finds_duplicates_with_their_reasons(app: TestApp) {
    let jane = create_candidate(
        &app,
        person(
            "Jane Doe",
            json!({ "email": "jane+ats@example.com", "phone": "+49 30 1234", "currentCompany": "Initech",
            "externalSource": "greenhouse", "externalId": "17" }),
        ),
    )
    .await;
    let by_email =
        create_candidate(&app, person("J. Doe", json!({ "email": "jane@example.com", "phone": "+49301234" }))).await;
    let by_name = create_candidate(&app, person("Doe  Jane", json!({ "currentCompany": "Initech" }))).await;
    let by_reference =
        create_candidate(&app, person("Janet", json!({ "externalSource": "Greenhouse", "externalId": "17" }))).await;
    create_candidate(&app, person("John Smith", json!({ "currentCompany": "Initech", "phone": "+1 555 0100" }))).await;
    // Another organization's identical person is never shown.
    let token = app.token(&app.globex, entity::RecruiterRole::Recruiter).await;
    let foreign = app
        .graphql_with(
            Some(&token),
            crate::candidates::CREATE,
            json!({ "input": person("Jane Doe", json!({ "email": "jane@example.com", "currentCompany": "Initech" })) }),
        )
        .await;
    let foreign_id = foreign["data"]["createCandidate"]["candidate"]["id"].clone();

    let body = app.graphql(DUPLICATES, json!({ "id": jane["id"] })).await;
    let found = body["data"]["possibleDuplicates"].as_array().unwrap_or_else(|| panic!("{body}"));
    let mut pairs: Vec<(Value, Value)> =
        found.iter().map(|d| (d["candidate"]["id"].clone(), d["reasons"].clone())).collect();
    pairs.sort_by_key(|(id, _)| id.as_str().unwrap().to_owned());
    let mut expected = vec![
        (by_email["id"].clone(), json!(["SAME_EMAIL", "SAME_PHONE"])),
        (by_name["id"].clone(), json!(["SIMILAR_NAME_SAME_COMPANY"])),
        (by_reference["id"].clone(), json!(["SAME_EXTERNAL_REFERENCE"])),
    ];
    expected.sort_by_key(|(id, _)| id.as_str().unwrap().to_owned());
    assert_eq!(pairs, expected, "{body}");
    assert_eq!(found[0]["candidate"]["id"], by_email["id"], "most reasons first");

    // Unknown and foreign ids are null alike; malformed ones are refused; viewers may look.
    let unknown = talentgraph::graphql::ids::encode("Candidate", uuid::Uuid::now_v7());
    for id in [json!(unknown), foreign_id] {
        let body = app.graphql(DUPLICATES, json!({ "id": id })).await;
        assert!(body["errors"].is_null() && body["data"]["possibleDuplicates"].is_null(), "{body}");
    }
    let bad = app.graphql(DUPLICATES, json!({ "id": "nope" })).await;
    assert_eq!(first_error_code(&bad), Some("BAD_USER_INPUT"));
    let viewer = app.graphql_as(&app.acme, Viewer, DUPLICATES, json!({ "id": jane["id"] })).await;
    assert_eq!(viewer["data"]["possibleDuplicates"].as_array().map(Vec::len), Some(3), "{viewer}");
}

async fn merges_a_duplicate_and_keeps_its_id_resolving(app: TestApp) {
    let survivor = create_candidate(
        &app,
        person(
            "Jane Doe",
            json!({ "tags": ["spark", "berlin"], "skills": [{ "skill": "spark", "level": 3, "years": 6 }] }),
        ),
    )
    .await;
    let duplicate = create_candidate(
        &app,
        person(
            "Jane Doe",
            json!({ "email": "jane@example.com", "phone": "+49 30 1", "tags": ["berlin", "referral"],
            "externalSource": "lever", "externalId": "L-9",
            "skills": [{ "skill": "spark", "level": 5, "years": 2 }, { "skill": "kafka", "level": 2 }] }),
        ),
    )
    .await;
    let first = create_role(&app, tech_lead()).await["role"]["id"].clone();
    let mut other = tech_lead();
    other["title"] = json!("Kafka Engineer");
    let second = create_role(&app, other).await["role"]["id"].clone();
    let add = |c: &Value, r: &Value| {
        let (c, r) = (c.clone(), r.clone());
        let app = &app;
        async move {
            let body = app.graphql(ADD, json!({ "c": c, "r": r })).await;
            body["data"]["addCandidateToRole"]["application"]["id"].clone()
        }
    };
    let kept = add(&survivor["id"], &first).await;
    let further = add(&duplicate["id"], &first).await;
    add(&duplicate["id"], &second).await;
    for stage in ["SCREENING", "INTERVIEW"] {
        let body = app.graphql(MOVE, json!({ "id": further, "stage": stage })).await;
        assert_eq!(body["data"]["moveApplication"]["application"]["stage"], stage, "{body}");
    }
    let before =
        app.graphql("query ($id: ID!) { application(id: $id) { events { toStage } } }", json!({ "id": further })).await;

    let body = app.graphql(MERGE, json!({ "s": survivor["id"], "d": duplicate["id"] })).await;
    let payload = &body["data"]["mergeCandidates"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    assert_eq!(payload["mergedCandidateId"], duplicate["id"]);
    assert_eq!(payload["applicationsMoved"], 2);
    assert_eq!(
        payload["droppedApplications"],
        json!([{ "roleId": first, "keptApplicationId": further, "keptStage": "INTERVIEW", "droppedStage": "SOURCED" }]),
        "the further application stays"
    );
    let merged = &payload["candidate"];
    assert_eq!(merged["id"], survivor["id"]);
    assert_eq!(merged["email"], "jane@example.com", "empty fields take the duplicate's");
    assert_eq!(merged["phone"], "+49 30 1");
    assert_eq!((merged["externalSource"].clone(), merged["externalId"].clone()), (json!("lever"), json!("L-9")));
    let mut tags: Vec<&str> = merged["tags"].as_array().unwrap().iter().map(|t| t.as_str().unwrap()).collect();
    tags.sort_unstable();
    assert_eq!(tags, ["berlin", "referral", "spark"]);
    let mut skills: Vec<(String, Value, Value)> = merged["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["skill"]["slug"].as_str().unwrap().to_owned(), s["level"].clone(), s["years"].clone()))
        .collect();
    skills.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        skills,
        [("apache-kafka".to_owned(), json!(2), Value::Null), ("apache-spark".to_owned(), json!(5), json!(6))],
        "the higher level and the higher years"
    );
    let mut pipeline: Vec<(String, String)> = merged["applications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| (a["role"]["title"].as_str().unwrap().to_owned(), a["stage"].as_str().unwrap().to_owned()))
        .collect();
    pipeline.sort();
    assert_eq!(
        pipeline,
        [
            ("Big Data Technical Lead".to_owned(), "INTERVIEW".to_owned()),
            ("Kafka Engineer".to_owned(), "SOURCED".to_owned())
        ]
    );
    let history =
        app.graphql("query ($id: ID!) { application(id: $id) { events { toStage } } }", json!({ "id": further })).await;
    assert_eq!(
        history["data"]["application"]["events"], before["data"]["application"]["events"],
        "history moves along"
    );
    let gone = app.graphql("query ($id: ID!) { application(id: $id) { id } }", json!({ "id": kept })).await;
    assert!(gone["data"]["application"].is_null(), "{gone}");

    // The old id resolves to the survivor, through node, nodes and candidate.
    let lookup = app
        .graphql(
            "query ($id: ID!) { node(id: $id) { id ... on Candidate { fullName } } nodes(ids: [$id]) { id } candidate(id: $id) { id email } }",
            json!({ "id": duplicate["id"] }),
        )
        .await;
    assert_eq!(lookup["data"]["node"]["id"], survivor["id"], "{lookup}");
    assert_eq!(lookup["data"]["nodes"][0]["id"], survivor["id"]);
    assert_eq!(lookup["data"]["candidate"]["email"], "jane@example.com");
    // The duplicate is gone from lists; the merge is audited.
    let pool = app.graphql("{ candidates(first: 10) { totalCount } }", json!({})).await;
    assert_eq!(pool["data"]["candidates"]["totalCount"], 1, "{pool}");
    let audit = app
        .graphql_as(
            &app.acme,
            Admin,
            "query ($id: ID!) { auditEvents(entityId: $id, action: \"candidate.merge\") { nodes { action details } } }",
            json!({ "id": survivor["id"] }),
        )
        .await;
    let event = &audit["data"]["auditEvents"]["nodes"][0];
    assert_eq!(event["action"], "candidate.merge", "{audit}");
    assert_eq!(event["details"]["applications_dropped"], 1);

    // A third candidate merged into the old id's survivor... and that survivor merged in turn:
    // every old id follows to the last survivor.
    let last = create_candidate(&app, person("Jane D.", json!({}))).await;
    let body = app.graphql(MERGE, json!({ "s": last["id"], "d": survivor["id"] })).await;
    assert_eq!(body["data"]["mergeCandidates"]["userErrors"], json!([]), "{body}");
    for old in [&duplicate["id"], &survivor["id"]] {
        let lookup = app.graphql("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": old })).await;
        assert_eq!(lookup["data"]["node"]["id"], last["id"], "{lookup}");
    }
    // Merging an id that was merged away is NOT_FOUND: it names no candidate any more.
    let again = app.graphql(MERGE, json!({ "s": last["id"], "d": duplicate["id"] })).await;
    assert_eq!(again["data"]["mergeCandidates"]["userErrors"][0]["code"], "NOT_FOUND", "{again}");
}

async fn refuses_bad_merges_and_changes_nothing(app: TestApp) {
    let a = create_candidate(&app, person("Ann", json!({ "tags": ["x"] }))).await;
    let b = create_candidate(&app, person("Bea", json!({}))).await;
    let token = app.token(&app.globex, entity::RecruiterRole::Recruiter).await;
    let foreign =
        app.graphql_with(Some(&token), crate::candidates::CREATE, json!({ "input": person("Cy", json!({})) })).await;
    let foreign = foreign["data"]["createCandidate"]["candidate"]["id"].clone();
    let unknown = json!(talentgraph::graphql::ids::encode("Candidate", uuid::Uuid::now_v7()));

    let same = app.graphql(MERGE, json!({ "s": a["id"], "d": a["id"] })).await;
    let error = &same["data"]["mergeCandidates"]["userErrors"][0];
    assert_eq!(
        (error["code"].clone(), error["field"].clone()),
        (json!("BAD_USER_INPUT"), json!(["input", "duplicateId"])),
        "{same}"
    );
    let malformed = app.graphql(MERGE, json!({ "s": "nope", "d": a["id"] })).await;
    assert_eq!(
        malformed["data"]["mergeCandidates"]["userErrors"][0]["field"],
        json!(["input", "survivorId"]),
        "{malformed}"
    );
    // Unknown and foreign ids, on either side, are refused in exactly the same words.
    let mut refusals = Vec::new();
    for (s, d) in [(&a["id"], &unknown), (&unknown, &a["id"]), (&a["id"], &foreign), (&foreign, &a["id"])] {
        let body = app.graphql(MERGE, json!({ "s": s, "d": d })).await;
        refusals.push(body["data"]["mergeCandidates"]["userErrors"].clone());
    }
    assert_eq!(refusals[0][0]["code"], "NOT_FOUND", "{refusals:?}");
    assert!(refusals.iter().all(|r| *r == refusals[0]), "{refusals:?}");
    // Erased candidates are not merged, either way round.
    app.graphql_as(
        &app.acme,
        Admin,
        "mutation ($id: ID!) { eraseCandidate(id: $id) { erasedCandidateId } }",
        json!({ "id": b["id"] }),
    )
    .await;
    for (s, d) in [(&a["id"], &b["id"]), (&b["id"], &a["id"])] {
        let body = app.graphql(MERGE, json!({ "s": s, "d": d })).await;
        assert_eq!(body["data"]["mergeCandidates"]["userErrors"][0]["code"], "CONFLICT", "{body}");
    }
    // Viewers may not merge.
    let viewer = app.graphql_as(&app.acme, Viewer, MERGE, json!({ "s": a["id"], "d": b["id"] })).await;
    assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"));
    // Nothing changed: both still there, at their versions, Globex's untouched.
    let after = app
        .graphql(
            "query ($ids: [ID!]!) { nodes(ids: $ids) { id ... on Candidate { version tags } } }",
            json!({ "ids": [a["id"], b["id"]] }),
        )
        .await;
    assert_eq!(after["data"]["nodes"][0]["id"], a["id"], "{after}");
    assert_eq!(after["data"]["nodes"][0]["version"], a["version"]);
    assert_eq!(after["data"]["nodes"][0]["tags"], json!(["x"]));
    assert_eq!(after["data"]["nodes"][1]["id"], b["id"]);
    let theirs = app
        .graphql_with(Some(&token), "query ($id: ID!) { candidate(id: $id) { fullName } }", json!({ "id": foreign }))
        .await;
    assert_eq!(theirs["data"]["candidate"]["fullName"], "Cy");
}

async fn concurrent_merges_of_one_duplicate_let_one_win(app: TestApp) {
    let a = create_candidate(&app, person("Ann", json!({}))).await;
    let b = create_candidate(&app, person("Bea", json!({}))).await;
    let c = create_candidate(&app, person("Cai", json!({ "skills": [{ "skill": "spark", "level": 4 }] }))).await;
    let token = app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let (first, second) = tokio::join!(
        app.graphql_with(Some(&token), MERGE, json!({ "s": a["id"], "d": c["id"] })),
        app.graphql_with(Some(&token), MERGE, json!({ "s": b["id"], "d": c["id"] })),
    );
    let outcomes: Vec<Value> =
        [&first, &second].iter().map(|body| body["data"]["mergeCandidates"]["userErrors"].clone()).collect();
    let won = outcomes.iter().filter(|errors| **errors == json!([])).count();
    assert_eq!(won, 1, "{first}\n{second}");
    let lost = outcomes.iter().find(|errors| **errors != json!([])).unwrap();
    assert_eq!(lost[0]["code"], "NOT_FOUND", "{lost}");
    let winner = if outcomes[0] == json!([]) { &a } else { &b };
    let lookup = app
        .graphql(
            "query ($id: ID!) { node(id: $id) { id ... on Candidate { skills { level } } } }",
            json!({ "id": c["id"] }),
        )
        .await;
    assert_eq!(lookup["data"]["node"]["id"], winner["id"], "{lookup}");
    assert_eq!(lookup["data"]["node"]["skills"], json!([{ "level": 4 }]), "the skill moved once");

    // Two candidates merged into each other at once: one direction wins, no deadlock.
    let dee = create_candidate(&app, person("Dee", json!({}))).await;
    let eve = create_candidate(&app, person("Eve", json!({}))).await;
    {
        let (d_wins, e_wins) = tokio::join!(
            app.graphql_with(Some(&token), MERGE, json!({ "s": dee["id"], "d": eve["id"] })),
            app.graphql_with(Some(&token), MERGE, json!({ "s": eve["id"], "d": dee["id"] })),
        );
        let codes: Vec<Value> = [&d_wins, &e_wins]
            .iter()
            .map(|body| {
                assert!(body["errors"].is_null(), "{body}");
                body["data"]["mergeCandidates"]["userErrors"][0]["code"].clone()
            })
            .collect();
        assert_eq!(codes.iter().filter(|c| c.is_null()).count(), 1, "{d_wins}\n{e_wins}");
        assert!(codes.contains(&json!("NOT_FOUND")), "{codes:?}");
    }
}

/// The duplicate checks at scale: on a seeded pool of 20,000 candidates (statistics
/// refreshed), the statements `possibleDuplicates` really ran, explained on the same database,
/// each search `candidates` through an index, never read the whole table.
async fn duplicate_checks_use_their_indexes(plain: TestApp) {
    use sea_orm::{ConnectionTrait, DatabaseBackend, Statement};
    use talentgraph::demo::{self, SeedOptions};
    let backend = plain.db.get_database_backend();
    let kind = if backend == DatabaseBackend::Postgres {
        crate::helpers::Backend::Postgres
    } else {
        crate::helpers::Backend::Sqlite
    };
    drop(plain);
    let log = talentgraph::config::StatementLog::default();
    let shared = log.clone();
    let app = TestApp::spawn_with(kind, move |s| s.statement_log = Some(shared)).await.unwrap();
    demo::seed(&app.db, &SeedOptions { candidates: 20_000, roles: 50, progress: false }).await.unwrap();
    let login = app.login(demo::DEMO_EMAIL, demo::DEMO_PASSWORD).await;
    let token = login["data"]["login"]["accessToken"].as_str().unwrap().to_owned();
    let page = app
        .graphql_with(Some(&token), "{ candidates(first: 100) { nodes { id email phone currentCompany } } }", json!({}))
        .await;
    let nodes = page["data"]["candidates"]["nodes"].as_array().unwrap_or_else(|| panic!("{page}"));
    let probe = nodes
        .iter()
        .find(|n| n["email"].is_string() && n["phone"].is_string() && n["currentCompany"].is_string())
        .unwrap_or_else(|| panic!("a seeded candidate with email, phone and company: {page}"));

    log.lock().unwrap().clear();
    let body = app.graphql_with(Some(&token), DUPLICATES, json!({ "id": probe["id"] })).await;
    assert!(body["errors"].is_null() && body["data"]["possibleDuplicates"].is_array(), "{body}");
    let statements: Vec<Statement> = log
        .lock()
        .unwrap()
        .iter()
        .filter(|s| s.sql.starts_with("SELECT") && s.sql.contains("FROM \"candidates\""))
        .filter(|s| ["\"email\" IN", "\"phone\" IN", "\"current_company\" ="].iter().any(|key| s.sql.contains(key)))
        .cloned()
        .collect();
    assert_eq!(statements.len(), 3, "email, phone and company checks: {statements:?}");
    for statement in &statements {
        let explain = if backend == DatabaseBackend::Postgres { "EXPLAIN" } else { "EXPLAIN QUERY PLAN" };
        let rows = app
            .db
            .query_all_raw(Statement { sql: format!("{explain} {}", statement.sql), ..statement.clone() })
            .await
            .unwrap();
        let column = if backend == DatabaseBackend::Postgres { "QUERY PLAN" } else { "detail" };
        let lines: Vec<String> = rows.iter().map(|row| row.try_get::<String>("", column).unwrap()).collect();
        let text = lines.join("\n");
        assert!(
            !text.contains("Seq Scan") && !lines.iter().any(|line| line.starts_with("SCAN candidates")),
            "{}\n{text}",
            statement.sql
        );
        assert!(
            text.contains("Index") || text.contains("USING INDEX") || text.contains("USING COVERING INDEX"),
            "{}\n{text}",
            statement.sql
        );
    }
}

/// The matching pool catches up from the `candidate.merge` event: the duplicate leaves the
/// ranking, and the survivor ranks with the skills it took over.
async fn the_matching_pool_follows_a_merge(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"]["id"].clone();
    let survivor = create_candidate(&app, person("Ann", json!({ "skills": [{ "skill": "java", "level": 3 }] }))).await;
    let duplicate = create_candidate(
        &app,
        person("Ann B.", json!({ "skills": [{ "skill": "spark", "level": 5 }, { "skill": "kafka", "level": 4 }] })),
    )
    .await;
    let ranking = "query ($r: ID!) { matchCandidates(roleId: $r, first: 10) { nodes { score candidate { id } } } }";
    let ranked = |body: &Value| -> Vec<(Value, f64)> {
        body["data"]["matchCandidates"]["nodes"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|n| (n["candidate"]["id"].clone(), n["score"].as_f64().unwrap()))
            .collect()
    };
    let before = ranked(&app.graphql(ranking, json!({ "r": role })).await);
    let score_of = |list: &[(Value, f64)], id: &Value| list.iter().find(|(c, _)| c == id).map(|(_, s)| *s);
    let duplicate_score = score_of(&before, &duplicate["id"]).expect("the duplicate ranks before the merge");
    let survivor_score = score_of(&before, &survivor["id"]).unwrap_or(0.0);
    assert!(duplicate_score > survivor_score, "{before:?}");

    let body = app.graphql(MERGE, json!({ "s": survivor["id"], "d": duplicate["id"] })).await;
    assert_eq!(body["data"]["mergeCandidates"]["userErrors"], json!([]), "{body}");
    let after = ranked(&app.graphql(ranking, json!({ "r": role })).await);
    assert_eq!(score_of(&after, &duplicate["id"]), None, "the duplicate left the pool: {after:?}");
    let merged_score = score_of(&after, &survivor["id"]).expect("the survivor ranks");
    assert!(merged_score >= duplicate_score, "the survivor holds both skill sets: {after:?}");
}

const UPSERT: &str = "mutation ($input: [CandidateUpsertInput!]!) { upsertCandidates(input: $input) {
    results { index status userErrors { field code } candidate { id fullName headline externalSource externalId version } }
    userErrors { code } } }";

async fn upsert(app: &TestApp, items: Value) -> Value {
    let body = app.graphql(UPSERT, json!({ "input": items })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["upsertCandidates"]["results"].clone()
}

async fn candidate_count(app: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    entity::candidates::Entity::find().count(&app.db).await.unwrap()
}

/// After a merge, an ATS upserting the duplicate's external reference updates the survivor:
/// through the redirect when the survivor kept its own reference, through the moved reference
/// when it had none. A batch naming both references of one merged candidate is refused at the
/// later item.
async fn upserting_a_merged_reference_updates_the_survivor(app: TestApp) {
    let item = |source: &str, id: &str, headline: &str| json!({ "externalSource": source, "externalId": id, "fullName": "Jane Doe", "headline": headline });
    let created = upsert(&app, json!([item("lever", "a-1", "Engineer"), item("greenhouse", "g-7", "Engineer")])).await;
    let (survivor, duplicate) = (created[0]["candidate"]["id"].clone(), created[1]["candidate"]["id"].clone());
    let merged = app.graphql(MERGE, json!({ "s": survivor, "d": duplicate })).await;
    assert_eq!(merged["data"]["mergeCandidates"]["userErrors"], json!([]), "{merged}");
    let before = candidate_count(&app).await;

    let again = upsert(&app, json!([item("greenhouse", "g-7", "Staff engineer")])).await;
    assert_eq!(again[0]["status"], "UPDATED", "{again}");
    let candidate = &again[0]["candidate"];
    assert_eq!(candidate["id"], survivor, "the survivor, not a new candidate");
    assert_eq!(candidate["headline"], "Staff engineer");
    assert_eq!((candidate["externalSource"].clone(), candidate["externalId"].clone()), (json!("lever"), json!("a-1")));
    assert_eq!(candidate_count(&app).await, before);
    let replay = upsert(&app, json!([item("greenhouse", "g-7", "Staff engineer")])).await;
    assert_eq!(replay[0]["status"], "UNCHANGED");

    let both = upsert(&app, json!([item("lever", "a-1", "Lead"), item("greenhouse", "g-7", "Lead")])).await;
    assert_eq!(both[0]["status"], "UPDATED", "{both}");
    assert_eq!(both[1]["userErrors"], json!([{ "field": ["input", "1", "externalId"], "code": "BAD_USER_INPUT" }]));
    assert_eq!(candidate_count(&app).await, before);

    // A survivor without a reference takes the duplicate's.
    let plain = create_candidate(&app, person("John Roe", json!({}))).await;
    let referenced = upsert(&app, json!([item("lever", "r-2", "Analyst")])).await;
    let merged = app.graphql(MERGE, json!({ "s": plain["id"], "d": referenced[0]["candidate"]["id"] })).await;
    assert_eq!(merged["data"]["mergeCandidates"]["candidate"]["externalId"], "r-2", "{merged}");
    let moved = upsert(&app, json!([item("lever", "r-2", "Senior analyst")])).await;
    assert_eq!(moved[0]["status"], "UPDATED", "{moved}");
    assert_eq!(moved[0]["candidate"]["id"], plain["id"]);
}
