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
    derived_years_of_current_jobs_grow_with_time,
    set_candidate_employments_rewrites_the_history_and_its_years,
    set_candidate_employments_refuses_bad_input_and_changes_nothing,
);

const SET: &str = "mutation ($id: ID!, $jobs: [EmploymentInput!]!) {
  setCandidateEmployments(input: { candidateId: $id, employments: $jobs }) {
    status userErrors { field code message }
    candidate { id yearsExperience version skills { level years skill { slug } }
                employments { company startMonth endMonth skills { slug } } }
  }
}";

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

/// A current job started 30 months ago derives 2 years (31 months, this one counted); six
/// months on, the maintenance pass re-derives 3 for the derived values only, as a change with
/// its events (no actor) that matching sees; a second pass changes nothing.
async fn derived_years_of_current_jobs_grow_with_time(app: TestApp) {
    let today = chrono::Utc::now().date_naive();
    let started = today.checked_sub_months(chrono::Months::new(30)).unwrap().format("%Y-%m").to_string();
    let current_job = json!([{ "company": "Globex", "startMonth": started, "skills": ["rust"] }]);
    let derived = json!({
        "externalSource": "lever", "externalId": "c-1", "fullName": "Ada Current",
        "skills": [{ "skill": "rust", "level": 4 }, { "skill": "python", "level": 3, "years": 1 }],
        "employments": current_job.clone(),
    });
    let given = json!({
        "externalSource": "lever", "externalId": "c-2", "fullName": "Bob Given", "yearsExperience": 10,
        "skills": [{ "skill": "rust", "level": 4, "years": 1 }], "employments": current_job,
    });
    let created = upsert(&app, json!([derived, given, engineer("c-3")])).await;
    let first = &created["results"][0]["candidate"];
    assert_eq!(first["yearsExperience"], 2, "{created}");
    let gid = |i: usize| created["results"][i]["candidate"]["id"].as_str().unwrap().to_owned();
    let uuid = |i: usize| talentgraph::graphql::ids::decode_any(&async_graphql::ID(gid(i))).unwrap().1;
    let rederive = async |on: chrono::NaiveDate| talentgraph::sync::service::rederive_years(&app.db, on).await.unwrap();
    assert_eq!(rederive(today).await, 0, "the same day: nothing to re-derive");

    let role = app
        .graphql(
            "mutation { createRole(input: { title: \"Rust engineer\", status: OPEN,
               requirements: [{ skill: \"rust\", minLevel: 3, minYears: 3 }] }) { role { id } } }",
            json!({}),
        )
        .await;
    let role_id = role["data"]["createRole"]["role"]["id"].as_str().unwrap().to_owned();
    let matches = "query ($role: ID!) { matchCandidates(roleId: $role, first: 5) { nodes {
        candidate { id } requirements { candidateYears } } } }";
    let years_seen_by_matching = async || {
        let body = app.graphql(matches, json!({ "role": role_id })).await;
        let nodes = body["data"]["matchCandidates"]["nodes"].as_array().unwrap().clone();
        let node = nodes.into_iter().find(|n| n["candidate"]["id"] == gid(0).as_str()).unwrap();
        node["requirements"][0]["candidateYears"].clone()
    };
    assert_eq!(years_seen_by_matching().await, 2);
    let events_before = domain_events::Entity::find().all(&app.db).await.unwrap().len();

    let later = today.checked_add_months(chrono::Months::new(6)).unwrap();
    assert_eq!(rederive(later).await, 1, "only the candidate whose derived years grew");
    let read = "query ($ids: [ID!]!) { nodes(ids: $ids) { ... on Candidate {
        yearsExperience version skills { years skill { slug } } } } }";
    let body = app.graphql(read, json!({ "ids": [gid(0), gid(1), gid(2)] })).await;
    let nodes = &body["data"]["nodes"];
    assert_eq!(nodes[0]["yearsExperience"], 3, "{body}");
    assert_eq!(nodes[0]["version"], 2);
    let mut years = years_of(&nodes[0]);
    years.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(years, [("python".to_owned(), json!(1)), ("rust".to_owned(), json!(3))], "given years stay");
    assert_eq!((nodes[1]["yearsExperience"].clone(), nodes[1]["version"].clone()), (json!(10), json!(1)), "given");
    assert_eq!(years_of(&nodes[1]), [("rust".to_owned(), json!(1))]);
    assert_eq!(nodes[2]["version"], 1, "no current job");

    let events =
        domain_events::Entity::find().filter(domain_events::Column::EntityId.eq(uuid(0))).all(&app.db).await.unwrap();
    let mut names: Vec<_> = events.iter().filter(|e| e.actor_recruiter_id.is_none()).map(|e| e.name.as_str()).collect();
    names.sort_unstable();
    assert_eq!(names, ["candidate.set_skills", "candidate.update"], "recorded by the server");
    let update = events.iter().find(|e| e.name == "candidate.update").unwrap();
    assert_eq!(update.payload.as_ref().unwrap()["data"]["fields"], json!(["yearsExperience"]));
    assert!(update.actor_api_client_id.is_none());
    assert_eq!(years_seen_by_matching().await, 3, "the matching pool follows the events");

    assert_eq!(rederive(later).await, 0, "a second pass changes nothing");
    assert_eq!(domain_events::Entity::find().all(&app.db).await.unwrap().len(), events_before + 2);
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

/// `setCandidateEmployments` writes through the upsert's path: derived years follow the new
/// history (given ones stay), one update event names the fields, the same history again is
/// UNCHANGED; a candidate created with given years keeps them.
async fn set_candidate_employments_rewrites_the_history_and_its_years(app: TestApp) {
    let created = upsert(&app, json!([engineer("s-1")])).await;
    let id = created["results"][0]["candidate"]["id"].clone();
    let acme_only = json!([{ "company": "Acme", "title": "Engineer", "startMonth": "2010-01", "endMonth": "2014-12",
                             "skills": ["rust", "kafka"] }]);
    let body = app.graphql(SET, json!({ "id": id, "jobs": acme_only })).await;
    let payload = &body["data"]["setCandidateEmployments"];
    assert_eq!((payload["status"].clone(), payload["userErrors"].clone()), (json!("UPDATED"), json!([])), "{body}");
    let candidate = &payload["candidate"];
    assert_eq!(candidate["yearsExperience"], 5, "derived again: Acme alone");
    assert_eq!(candidate["version"], 2);
    assert_eq!(candidate["employments"].as_array().unwrap().len(), 1);
    let mut years = years_of(candidate);
    years.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        years,
        [
            ("apache-kafka".to_owned(), json!(5)),
            ("python".to_owned(), json!(2)),
            ("rust".to_owned(), json!(5)),
            ("scala".to_owned(), Value::Null),
        ],
        "derived years follow the history, given ones stay"
    );
    let mut events = domain_events::Entity::find().all(&app.db).await.unwrap();
    events.sort_by_key(|e| e.sequence);
    let update = events.iter().rev().find(|e| e.name == "candidate.update").unwrap();
    assert_eq!(update.payload.as_ref().unwrap()["data"]["fields"], json!(["yearsExperience", "employments"]));
    assert_eq!(events.last().unwrap().name, "candidate.set_skills");

    let again = app.graphql(SET, json!({ "id": id, "jobs": acme_only })).await;
    assert_eq!(again["data"]["setCandidateEmployments"]["status"], "UNCHANGED", "{again}");
    assert_eq!(again["data"]["setCandidateEmployments"]["candidate"]["version"], 2);
    assert_eq!(domain_events::Entity::find().all(&app.db).await.unwrap().len(), events.len());

    // Given years (createCandidate) stay; an empty list clears the history.
    let given = app
        .graphql(
            "mutation { createCandidate(input: { fullName: \"Given Years\", yearsExperience: 12 }) { candidate { id } } }",
            json!({}),
        )
        .await;
    let given_id = given["data"]["createCandidate"]["candidate"]["id"].clone();
    let set = app.graphql(SET, json!({ "id": given_id, "jobs": acme_only })).await;
    assert_eq!(set["data"]["setCandidateEmployments"]["candidate"]["yearsExperience"], 12, "{set}");
    let cleared = app.graphql(SET, json!({ "id": given_id, "jobs": [] })).await;
    assert_eq!(cleared["data"]["setCandidateEmployments"]["candidate"]["employments"], json!([]), "{cleared}");
}

async fn set_candidate_employments_refuses_bad_input_and_changes_nothing(app: TestApp) {
    let created = upsert(&app, json!([engineer("s-2")])).await;
    let id = created["results"][0]["candidate"]["id"].clone();
    let refusal = async |jobs: Value| {
        let body = app.graphql(SET, json!({ "id": id, "jobs": jobs })).await;
        assert!(body["errors"].is_null(), "{body}");
        let payload = &body["data"]["setCandidateEmployments"];
        assert!(payload["candidate"].is_null(), "{body}");
        let error = &payload["userErrors"][0];
        (error["code"].as_str().unwrap().to_owned(), error["field"].clone())
    };
    let job = |start: &str, end: &str, skills: Value| json!({ "company": "Acme", "startMonth": start, "endMonth": end, "skills": skills });
    assert_eq!(
        refusal(json!([job("2010-01", "2012-01", json!([])), job("2015-01", "2014-12", json!([]))])).await,
        ("BAD_USER_INPUT".to_owned(), json!(["input", "employments", "1", "endMonth"])),
        "a job ending before it starts"
    );
    assert_eq!(
        refusal(json!([job("2010-01", "2012-01", json!(["rust", "no such skill at all"]))])).await,
        ("BAD_USER_INPUT".to_owned(), json!(["input", "employments", "0", "skills", "1"])),
        "an unknown skill"
    );
    let many: Vec<Value> = (0..51).map(|_| job("2010-01", "2012-01", json!([]))).collect();
    assert_eq!(refusal(json!(many)).await, ("BAD_USER_INPUT".to_owned(), json!(["input", "employments"])));
    let skills: Vec<String> = (0..51).map(|i| format!("skill {i}")).collect();
    assert_eq!(
        refusal(json!([job("2010-01", "2012-01", json!(skills))])).await,
        ("BAD_USER_INPUT".to_owned(), json!(["input", "employments", "0", "skills"])),
        "too many skills in a job, refused before they are resolved"
    );
    let unchanged =
        app.graphql("query ($id: ID!) { node(id: $id) { ... on Candidate { version } } }", json!({ "id": id })).await;
    assert_eq!(unchanged["data"]["node"]["version"], 1, "nothing changed: {unchanged}");
    assert_eq!(candidate_employments::Entity::find().all(&app.db).await.unwrap().len(), 2);

    // Another organization's candidate is not found.
    let body = app
        .graphql_as(&app.globex, Admin, SET, json!({ "id": id, "jobs": [job("2010-01", "2012-01", json!([]))] }))
        .await;
    assert_eq!(body["data"]["setCandidateEmployments"]["userErrors"][0]["code"], "NOT_FOUND", "{body}");
    assert_eq!(candidate_employments::Entity::find().all(&app.db).await.unwrap().len(), 2);
}

/// `setCandidateEmployments` takes the same statements for 2 jobs as for 20.
mod set_candidate_employments_takes_a_fixed_number_of_statements {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::set_statement_counts(crate::helpers::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::set_statement_counts(crate::helpers::Backend::Postgres).await;
    }
}

async fn set_statement_counts(backend: Backend) {
    let log = StatementLog::default();
    let shared = log.clone();
    let Some(app) = TestApp::spawn_with(backend, move |s| s.statement_log = Some(shared)).await else { return };
    let created = upsert(&app, json!([engineer("t-1")])).await;
    let id = created["results"][0]["candidate"]["id"].clone();
    let mut counts = Vec::new();
    // The first write changes the derived years (and skills); the counted ones only the jobs.
    for jobs in [1, 2, 20] {
        let history: Vec<Value> = (0..jobs)
            .map(|i| {
                json!({ "company": format!("Company {i} of {jobs}"), "startMonth": "2010-01", "endMonth": "2011-01",
                             "skills": ["rust", "kafka"] })
            })
            .collect();
        app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
        log.lock().unwrap().clear();
        let body = app.graphql(SET, json!({ "id": id, "jobs": history })).await;
        assert_eq!(body["data"]["setCandidateEmployments"]["status"], "UPDATED", "{body}");
        counts.push(log.lock().unwrap().len());
    }
    assert_eq!(counts[1], counts[2], "the same statements for 2 and 20 jobs: {counts:?}");
}
