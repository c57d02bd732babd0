//! Work history: employments written through `upsertCandidates`, the years they derive (stored,
//! so filters and matching see them), erasure and merges, and the statements a page takes.

use entity::RecruiterRole::Admin;
use entity::{candidate_employments, domain_events};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};
use talentgraph::config::StatementLog;

use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    employments_are_stored_and_derive_the_years_left_out,
    derived_years_are_what_matching_sees,
    erasure_clears_employments_and_merges_move_them,
    bad_employments_are_refused_with_their_path,
);

const UPSERT: &str = "mutation ($input: [CandidateUpsertInput!]!) {
  upsertCandidates(input: $input) {
    results { index status userErrors { field code message }
              candidate { id yearsExperience version
                          skills { level years skill { slug } }
                          employments { company title startMonth endMonth current summary highlights skills { slug } } } }
    userErrors { field code message }
  }
}";

async fn upsert(app: &TestApp, items: Value) -> Value {
    let body = app.graphql(UPSERT, json!({ "input": items })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["upsertCandidates"].clone()
}

/// Rust at Acme 2010-2014 and at Initech 2013-2016 (two years overlap): 7 years of Rust,
/// 5 of Kafka, 7 in all.
fn engineer(id: &str) -> Value {
    json!({
        "externalSource": "lever", "externalId": id, "fullName": "Grace Hopper",
        "skills": [
            { "skill": "rust", "level": 4 },
            { "skill": "kafka", "level": 3 },
            { "skill": "python", "level": 3, "years": 2 },
            { "skill": "scala", "level": 2 }
        ],
        "employments": [
            { "company": "Acme", "title": "Engineer", "startMonth": "2010-01", "endMonth": "2014-12",
              "summary": "Streaming", "highlights": ["Built the pipeline"], "skills": ["Rust", "apache kafka", "rust"] },
            { "company": "Initech", "startMonth": "2013-01", "endMonth": "2016-12", "skills": ["rust"] }
        ]
    })
}

fn years_of(candidate: &Value) -> Vec<(String, Value)> {
    candidate["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["skill"]["slug"].as_str().unwrap().to_owned(), s["years"].clone()))
        .collect()
}

async fn employments_are_stored_and_derive_the_years_left_out(app: TestApp) {
    let created = upsert(&app, json!([engineer("l-1")])).await;
    let result = &created["results"][0];
    assert_eq!(result["status"], "CREATED", "{created}");
    let candidate = &result["candidate"];
    assert_eq!(
        candidate["employments"],
        json!([
            { "company": "Acme", "title": "Engineer", "startMonth": "2010-01", "endMonth": "2014-12", "current": false,
              "summary": "Streaming", "highlights": ["Built the pipeline"], "skills": [{ "slug": "rust" }, { "slug": "apache-kafka" }] },
            { "company": "Initech", "title": null, "startMonth": "2013-01", "endMonth": "2016-12", "current": false,
              "summary": null, "highlights": [], "skills": [{ "slug": "rust" }] }
        ])
    );
    assert_eq!(candidate["yearsExperience"], 7, "overlapping years counted once");
    let mut years = years_of(candidate);
    years.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        years,
        [
            ("apache-kafka".to_owned(), json!(5)),
            ("python".to_owned(), json!(2)),
            ("rust".to_owned(), json!(7)),
            ("scala".to_owned(), Value::Null),
        ],
        "given years kept; left out: derived from the jobs that used the skill, none: none"
    );

    // The same item again: UNCHANGED, nothing written.
    let events_before = domain_events::Entity::find().all(&app.db).await.unwrap().len();
    let again = upsert(&app, json!([engineer("l-1")])).await;
    assert_eq!(again["results"][0]["status"], "UNCHANGED");
    assert_eq!(again["results"][0]["candidate"]["version"], 1);
    assert_eq!(domain_events::Entity::find().all(&app.db).await.unwrap().len(), events_before);

    // Given years win over derived ones; omitted employments are kept (and still derive).
    let mut given = engineer("l-1");
    given["yearsExperience"] = json!(20);
    given.as_object_mut().unwrap().remove("employments");
    let kept = upsert(&app, json!([given])).await;
    assert_eq!(kept["results"][0]["status"], "UPDATED");
    assert_eq!(kept["results"][0]["candidate"]["yearsExperience"], 20);
    assert_eq!(kept["results"][0]["candidate"]["employments"].as_array().unwrap().len(), 2, "omitted: kept");
    assert!(years_of(&kept["results"][0]["candidate"]).contains(&("rust".to_owned(), json!(7))));

    // Dropping the Initech job: 5 years of Rust and in all; one update event naming both fields.
    let mut shorter = engineer("l-1");
    shorter["employments"].as_array_mut().unwrap().pop();
    let changed = upsert(&app, json!([shorter])).await;
    assert_eq!(changed["results"][0]["status"], "UPDATED");
    let candidate = &changed["results"][0]["candidate"];
    assert_eq!(candidate["yearsExperience"], 5);
    assert!(years_of(candidate).contains(&("rust".to_owned(), json!(5))));
    let events = domain_events::Entity::find().all(&app.db).await.unwrap();
    let mut last: Vec<_> = events.iter().filter(|e| e.sequence > 0).collect();
    last.sort_by_key(|e| e.sequence);
    let update = last.iter().rev().find(|e| e.name == "candidate.update").unwrap();
    assert_eq!(update.payload.as_ref().unwrap()["data"]["fields"], json!(["yearsExperience", "employments"]));
    assert_eq!(last.last().unwrap().name, "candidate.set_skills", "the derived skill years changed too");

    // A job that lasts is current and counts up to now.
    let mut current = engineer("l-2");
    current["employments"] = json!([{ "company": "Globex", "startMonth": "2001-01", "skills": ["rust"] }]);
    let now = upsert(&app, json!([current])).await;
    let candidate = &now["results"][0]["candidate"];
    assert_eq!(candidate["employments"][0]["current"], true);
    assert!(candidate["yearsExperience"].as_i64().unwrap() >= 24, "{candidate}");
}

async fn derived_years_are_what_matching_sees(app: TestApp) {
    let role = app
        .graphql(
            "mutation { createRole(input: { title: \"Rust engineer\", status: OPEN, minYearsExperience: 6,
               requirements: [{ skill: \"rust\", minLevel: 3, minYears: 6 }] }) { role { id } userErrors { message } } }",
            json!({}),
        )
        .await;
    let role_id = role["data"]["createRole"]["role"]["id"].as_str().unwrap().to_owned();
    let matches = "query ($role: ID!) { matchCandidates(roleId: $role, first: 5) { nodes {
        meetsAllRequired candidate { yearsExperience }
        requirements { candidateYears } experience { candidateYears } } } }";
    let ranked = async || {
        let body = app.graphql(matches, json!({ "role": role_id })).await;
        assert!(body["errors"].is_null(), "{body}");
        body["data"]["matchCandidates"]["nodes"][0].clone()
    };
    upsert(&app, json!([engineer("m-1")])).await;
    let first = ranked().await;
    assert_eq!(first["requirements"][0]["candidateYears"], 7, "{first}");
    assert_eq!(first["experience"]["candidateYears"], 7, "{first}");
    assert_eq!(first["meetsAllRequired"], true);

    // A shorter history: the next ranking sees the new derived years at once.
    let mut shorter = engineer("m-1");
    shorter["employments"].as_array_mut().unwrap().pop();
    upsert(&app, json!([shorter])).await;
    let second = ranked().await;
    assert_eq!(second["requirements"][0]["candidateYears"], 5, "{second}");
    assert_eq!(second["experience"]["candidateYears"], 5, "{second}");
    assert_eq!(second["meetsAllRequired"], false);
}

async fn erasure_clears_employments_and_merges_move_them(app: TestApp) {
    let created = upsert(
        &app,
        json!([engineer("e-1"), engineer("e-2"), {
            "externalSource": "lever", "externalId": "e-3", "fullName": "Grace B. Hopper",
            "employments": [
                { "company": "Acme", "title": "Engineer", "startMonth": "2010-01", "endMonth": "2014-12" },
                { "company": "Hooli", "startMonth": "2017-01", "endMonth": "2019-12" }
            ]
        }]),
    )
    .await;
    let id = |i: usize| created["results"][i]["candidate"]["id"].as_str().unwrap().to_owned();
    let erased = app
        .graphql_as(
            &app.acme,
            Admin,
            "mutation ($id: ID!) { eraseCandidate(id: $id) { erasedCandidateId userErrors { message } } }",
            json!({ "id": id(0) }),
        )
        .await;
    assert_eq!(erased["data"]["eraseCandidate"]["erasedCandidateId"], id(0), "{erased}");
    let rows = candidate_employments::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 4, "only the erased candidate's employments are gone");

    // Merging e-3 into e-2: its Hooli job is appended; the Acme job both list is kept once.
    let merge = "mutation ($s: ID!, $d: ID!) { mergeCandidates(input: { survivorId: $s, duplicateId: $d }) {
        candidate { employments { company startMonth } } userErrors { message } } }";
    let merged = app.graphql(merge, json!({ "s": id(1), "d": id(2) })).await;
    assert_eq!(
        merged["data"]["mergeCandidates"]["candidate"]["employments"],
        json!([
            { "company": "Acme", "startMonth": "2010-01" },
            { "company": "Initech", "startMonth": "2013-01" },
            { "company": "Hooli", "startMonth": "2017-01" }
        ]),
        "{merged}"
    );
    let survivor = talentgraph::graphql::ids::decode_any(&async_graphql::ID(id(1))).map(|(_, id)| id);
    let rows = candidate_employments::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|row| Some(row.candidate_id) == survivor));
}

async fn bad_employments_are_refused_with_their_path(app: TestApp) {
    let mut reversed = engineer("b-1");
    reversed["employments"][1]["endMonth"] = json!("2012-12");
    let mut unknown = engineer("b-2");
    unknown["employments"][0]["skills"] = json!(["rust", "no such skill at all"]);
    let mut bad_month = engineer("b-3");
    bad_month["employments"][0]["startMonth"] = json!("2010");
    let payload = upsert(&app, json!([reversed, unknown, bad_month, engineer("b-4")])).await;
    let first_error = |i: usize| {
        let error = &payload["results"][i]["userErrors"][0];
        (error["code"].as_str().unwrap().to_owned(), error["field"].clone())
    };
    assert_eq!(first_error(0), ("BAD_USER_INPUT".to_owned(), json!(["input", "0", "employments", "1", "endMonth"])));
    assert_eq!(first_error(1), ("BAD_USER_INPUT".to_owned(), json!(["input", "1", "employments", "0", "skills", "1"])));
    assert_eq!(first_error(2), ("BAD_USER_INPUT".to_owned(), json!(["input", "2", "employments", "0", "startMonth"])));
    assert_eq!(payload["results"][3]["status"], "CREATED", "the valid item is applied");
    let rows = candidate_employments::Entity::find()
        .filter(candidate_employments::Column::Company.eq("Initech"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1, "only the valid item's employments are stored");
}

/// A page of candidates with their employments, the employments' skills and their JSON Resume
/// export takes the same statements for 2 candidates as for 8 (DataLoaders, no N+1).
mod a_page_of_employments_takes_a_few_statements {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::statement_counts(crate::helpers::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::statement_counts(crate::helpers::Backend::Postgres).await;
    }
}

async fn statement_counts(backend: Backend) {
    let log = StatementLog::default();
    let shared = log.clone();
    let Some(app) = TestApp::spawn_with(backend, move |s| s.statement_log = Some(shared)).await else { return };
    let items: Vec<Value> = (0..8).map(|i| engineer(&format!("n-{i}"))).collect();
    upsert(&app, json!(items)).await;
    let page = "query ($first: Int!) { candidates(first: $first) { nodes { fullName
        employments { company skills { slug } } skills { years } jsonResume } } }";
    let mut counts = Vec::new();
    for first in [2, 8] {
        app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
        log.lock().unwrap().clear();
        let body = app.graphql(page, json!({ "first": first })).await;
        let nodes = body["data"]["candidates"]["nodes"].as_array().unwrap();
        assert_eq!(nodes.len(), first as usize, "{body}");
        assert!(nodes.iter().all(|n| n["employments"][0]["skills"][0]["slug"] == "rust"));
        assert!(nodes.iter().all(|n| n["jsonResume"]["work"][0]["name"] == "Acme"));
        counts.push(log.lock().unwrap().len());
    }
    assert_eq!(counts[0], counts[1], "the same statements for 2 and 8 candidates: {counts:?}");
}
