//! JSON Resume import and export: a document field by field, unknown skills reported, invalid
//! documents refused at their path with nothing stored, the round trip, tenancy.

use chrono::Datelike;
use entity::RecruiterRole::Recruiter;
use entity::{candidate_employments, candidates, domain_events};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::on_both_backends;

on_both_backends!(
    imports_a_document_field_by_field,
    the_round_trip_changes_nothing,
    invalid_documents_are_refused_at_their_path_and_nothing_is_stored,
    imports_stay_inside_their_organization,
    any_candidate_round_trips,
);

pub const IMPORT: &str = "mutation ($resume: JSON!, $source: String, $externalId: String) {
  importJsonResume(resume: $resume, source: $source, externalId: $externalId) {
    status
    unknownSkills { name field message }
    ignored { field reason }
    userErrors { field code message }
    candidate { id fullName email phone headline summary location currentTitle currentCompany yearsExperience
                externalSource externalId version links { label url }
                skills { level years skill { slug } }
                employments { company title startMonth endMonth current summary highlights }
                jsonResume }
  }
}";

fn ada() -> Value {
    json!({
        "$schema": "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json",
        "basics": {
            "name": "Ada Lovelace", "label": "Systems engineer", "email": "Ada@Example.com",
            "phone": "+44 20 7946 0000", "url": "https://ada.example.com", "summary": "Writes the engines.",
            "location": { "city": "London", "countryCode": "GB", "address": "12 St James's Square" },
            "profiles": [
                { "network": "GitHub", "username": "ada", "url": "https://github.com/ada" },
                { "network": "Mastodon", "username": "ada" }
            ]
        },
        "work": [
            { "name": "Acme", "position": "Engineer", "startDate": "2010-01-15", "endDate": "2014-12",
              "summary": "Streaming", "highlights": ["Built the pipeline", "Cut latency by half"] },
            { "name": "Initech", "startDate": "2013", "endDate": "2016" },
            { "name": "Hooli", "position": "Staff engineer", "startDate": "2025-06" }
        ],
        "skills": [
            { "name": "Rust", "level": "Master", "keywords": ["Tokio", "async rust"] },
            { "name": "Frontend Craft", "level": "Advanced", "keywords": ["React", "Quuxframework"] },
            { "name": "Python", "level": "2" },
            { "name": "Kafka", "level": "guru" }
        ],
        "education": [{ "institution": "University of London", "area": "Mathematics" }],
        "languages": [{ "language": "English", "fluency": "Native speaker" }],
        "interests": []
    })
}

async fn import(app: &TestApp, resume: &Value) -> Value {
    let body = app.graphql(IMPORT, json!({ "resume": resume })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["importJsonResume"].clone()
}

fn skill_levels(candidate: &Value) -> Vec<(String, i64)> {
    let mut levels: Vec<(String, i64)> = candidate["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["skill"]["slug"].as_str().unwrap().to_owned(), s["level"].as_i64().unwrap()))
        .collect();
    levels.sort();
    levels
}

async fn imports_a_document_field_by_field(app: TestApp) {
    let payload = import(&app, &ada()).await;
    assert_eq!(payload["userErrors"], json!([]), "{payload}");
    assert_eq!(payload["status"], "CREATED");
    let candidate = &payload["candidate"];
    assert_eq!(candidate["fullName"], "Ada Lovelace");
    assert_eq!(candidate["email"], "ada@example.com");
    assert_eq!(candidate["phone"], "+44 20 7946 0000");
    assert_eq!(candidate["headline"], "Systems engineer");
    assert_eq!(candidate["summary"], "Writes the engines.");
    assert_eq!(candidate["location"], "London, GB");
    assert_eq!(
        (candidate["currentTitle"].as_str(), candidate["currentCompany"].as_str()),
        (Some("Staff engineer"), Some("Hooli"))
    );
    assert_eq!(
        (candidate["externalSource"].as_str(), candidate["externalId"].as_str()),
        (Some("jsonresume"), Some("ada@example.com"))
    );
    assert_eq!(
        candidate["links"],
        json!([{ "label": "Website", "url": "https://ada.example.com" }, { "label": "GitHub", "url": "https://github.com/ada" }])
    );
    assert_eq!(
        candidate["employments"],
        json!([
            { "company": "Acme", "title": "Engineer", "startMonth": "2010-01", "endMonth": "2014-12", "current": false,
              "summary": "Streaming", "highlights": ["Built the pipeline", "Cut latency by half"] },
            { "company": "Initech", "title": null, "startMonth": "2013-01", "endMonth": "2016-12", "current": false,
              "summary": null, "highlights": [] },
            { "company": "Hooli", "title": "Staff engineer", "startMonth": "2025-06", "endMonth": null, "current": true,
              "summary": null, "highlights": [] }
        ])
    );
    // 2010-01..2016-12 (Acme and Initech overlap two years: 84 months) and 2025-06 to now.
    let now = chrono::Utc::now();
    let since_june_2025 = i64::from(now.year() * 12 + now.month0() as i32 - (2025 * 12 + 5) + 1);
    assert_eq!(candidate["yearsExperience"].as_i64(), Some((84 + since_june_2025) / 12));
    // Names and keywords the taxonomy knows, at their entry's level; "guru" is read as 3.
    assert_eq!(
        skill_levels(candidate),
        [
            ("apache-kafka".to_owned(), 3),
            ("python".to_owned(), 2),
            ("react".to_owned(), 4),
            ("rust".to_owned(), 5),
            ("tokio".to_owned(), 5)
        ]
    );
    let unknown: Vec<(Value, Value)> =
        payload["unknownSkills"].as_array().unwrap().iter().map(|u| (u["name"].clone(), u["field"].clone())).collect();
    assert_eq!(
        unknown,
        [
            (json!("Frontend Craft"), json!(["resume", "skills", "1", "name"])),
            (json!("Quuxframework"), json!(["resume", "skills", "1", "keywords", "1"])),
        ]
    );
    let ignored: Vec<Value> = payload["ignored"].as_array().unwrap().iter().map(|i| i["field"].clone()).collect();
    assert_eq!(
        ignored,
        [
            json!(["resume", "basics", "profiles", "1"]),
            json!(["resume", "skills", "3", "level"]),
            json!(["resume", "education"]),
            json!(["resume", "languages"]),
        ],
        "{payload}"
    );
    let events: Vec<String> =
        domain_events::Entity::find().all(&app.db).await.unwrap().into_iter().map(|e| e.name).collect();
    assert_eq!(events, ["candidate.create"]);

    // An explicit source and id key another candidate, which may not take this one's email.
    let body = app.graphql(IMPORT, json!({ "resume": ada(), "source": "workable", "externalId": "w-9" })).await;
    let payload = &body["data"]["importJsonResume"];
    assert_eq!(payload["userErrors"][0]["field"], json!(["resume", "basics", "email"]), "{body}");
    assert!(payload["status"].is_null());
    let mut other = ada();
    other["basics"]["email"] = json!("ada.k@example.com");
    let body = app.graphql(IMPORT, json!({ "resume": other, "source": "workable", "externalId": "w-9" })).await;
    let payload = &body["data"]["importJsonResume"];
    assert_eq!(payload["status"], "CREATED", "{body}");
    assert_eq!(
        (payload["candidate"]["externalSource"].as_str(), payload["candidate"]["externalId"].as_str()),
        (Some("workable"), Some("w-9"))
    );
}

async fn the_round_trip_changes_nothing(app: TestApp) {
    let first = import(&app, &ada()).await;
    assert_eq!(first["status"], "CREATED");
    let exported = first["candidate"]["jsonResume"].clone();
    let schema: Value = serde_json::from_str(include_str!("../../src/sync/jsonresume.schema.json")).unwrap();
    let validator = jsonschema::options().should_validate_formats(true).build(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&exported).map(|e| format!("{}: {e}", e.instance_path())).collect();
    assert!(errors.is_empty(), "the export follows the schema: {errors:?}\n{exported:#}");
    assert_eq!(exported["basics"]["email"], "ada@example.com");
    assert_eq!(
        exported["work"][0],
        json!({ "name": "Acme", "position": "Engineer", "startDate": "2010-01", "endDate": "2014-12",
        "summary": "Streaming", "highlights": ["Built the pipeline", "Cut latency by half"] })
    );
    assert_eq!(exported["work"][2]["endDate"], Value::Null, "a current job has no end");
    let events = domain_events::Entity::find().count(&app.db).await.unwrap();

    let again = import(&app, &exported).await;
    assert_eq!(again["status"], "UNCHANGED", "{again}");
    assert_eq!(again["candidate"]["version"], 1);
    assert_eq!(again["candidate"]["jsonResume"], exported, "the export reads back as itself");
    assert_eq!(import(&app, &ada()).await["status"], "UNCHANGED", "the original again");
    assert_eq!(domain_events::Entity::find().count(&app.db).await.unwrap(), events, "no event");

    // A change is an update, with its events.
    let mut changed = exported.clone();
    changed["work"].as_array_mut().unwrap().remove(1);
    changed["skills"].as_array_mut().unwrap().retain(|s| s["name"] != "Python");
    let updated = import(&app, &changed).await;
    assert_eq!(updated["status"], "UPDATED");
    assert_eq!(updated["candidate"]["version"], 2);
    assert_eq!(updated["candidate"]["employments"].as_array().unwrap().len(), 2);
    let mut names: Vec<String> =
        domain_events::Entity::find().all(&app.db).await.unwrap().into_iter().map(|e| e.name).collect();
    names.sort();
    assert_eq!(names, ["candidate.create", "candidate.set_skills", "candidate.update"]);
}

async fn invalid_documents_are_refused_at_their_path_and_nothing_is_stored(app: TestApp) {
    let refusal = |payload: &Value| {
        let error = &payload["userErrors"][0];
        assert!(payload["status"].is_null() && payload["candidate"].is_null(), "{payload}");
        (error["code"].as_str().unwrap().to_owned(), error["field"].clone())
    };
    let mut bad_date = ada();
    bad_date["work"][1]["startDate"] = json!("2013-13");
    assert_eq!(
        refusal(&import(&app, &bad_date).await),
        ("BAD_USER_INPUT".to_owned(), json!(["resume", "work", "1", "startDate"]))
    );
    let mut bad_email = ada();
    bad_email["basics"]["email"] = json!("not an email");
    assert_eq!(refusal(&import(&app, &bad_email).await).1, json!(["resume", "basics", "email"]));
    let mut wrong_type = ada();
    wrong_type["skills"][0]["keywords"] = json!("Tokio");
    assert_eq!(refusal(&import(&app, &wrong_type).await).1, json!(["resume", "skills", "0", "keywords"]));
    let mut nameless = ada();
    nameless["basics"].as_object_mut().unwrap().remove("name");
    assert_eq!(refusal(&import(&app, &nameless).await).1, json!(["resume", "basics", "name"]));
    let mut undated = ada();
    undated["work"][0].as_object_mut().unwrap().remove("startDate");
    assert_eq!(refusal(&import(&app, &undated).await).1, json!(["resume", "work", "0", "startDate"]));
    let mut reversed = ada();
    reversed["work"][0]["endDate"] = json!("2009-12");
    assert_eq!(refusal(&import(&app, &reversed).await).1, json!(["resume", "work", "0", "endDate"]));
    let mut anonymous = ada();
    anonymous["basics"].as_object_mut().unwrap().remove("email");
    assert_eq!(refusal(&import(&app, &anonymous).await).1, json!(["externalId"]));
    let mut huge = ada();
    huge["basics"]["summary"] = json!("x".repeat(300 * 1024));
    let payload = import(&app, &huge).await;
    assert_eq!(refusal(&payload).1, json!(["resume"]));
    assert!(payload["userErrors"][0]["message"].as_str().unwrap().contains("262144 bytes"), "{payload}");
    assert_eq!(refusal(&import(&app, &json!(["not", "an", "object"])).await).1, json!(["resume"]));

    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 0, "nothing stored");
    assert_eq!(candidate_employments::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(domain_events::Entity::find().count(&app.db).await.unwrap(), 0);
}

async fn imports_stay_inside_their_organization(app: TestApp) {
    let acme = import(&app, &ada()).await;
    let acme_id = acme["candidate"]["id"].clone();
    // Globex imports the same document: its own candidate, Acme's untouched.
    let body = app.graphql_as(&app.globex, Recruiter, IMPORT, json!({ "resume": ada() })).await;
    let globex = &body["data"]["importJsonResume"];
    assert_eq!(globex["status"], "CREATED", "{body}");
    assert_ne!(globex["candidate"]["id"], acme_id);
    let mut changed = ada();
    changed["basics"]["name"] = json!("Ada King");
    let body = app.graphql_as(&app.globex, Recruiter, IMPORT, json!({ "resume": changed })).await;
    assert_eq!(body["data"]["importJsonResume"]["status"], "UPDATED");
    let node = "query ($id: ID!) { node(id: $id) { ... on Candidate { fullName jsonResume } } }";
    let mine = app.graphql(node, json!({ "id": acme_id })).await;
    assert_eq!(mine["data"]["node"]["fullName"], "Ada Lovelace", "{mine}");
    let theirs = app.graphql_as(&app.globex, Recruiter, node, json!({ "id": acme_id })).await;
    assert!(theirs["data"]["node"].is_null(), "Globex cannot read Acme's candidate: {theirs}");
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 2);
}

/// Export → import is UNCHANGED for candidates made by `createCandidate` and `upsertCandidates`
/// too: the import finds them by email, keeps what JSON Resume cannot say (given years, last
/// use, source, current title), and reads back each job's skills from its `keywords`.
async fn any_candidate_round_trips(app: TestApp) {
    let created = app
        .graphql(
            "mutation ($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id } userErrors { message } } }",
            json!({ "input": {
                "fullName": "Dana Scully", "email": "Dana@Example.com", "yearsExperience": 12, "location": "Berlin, Germany",
                "headline": "Lead Data Engineer", "summary": "Pipelines.", "phone": "+49 30 1234", "tags": ["remote"],
                "source": "Referral", "currentTitle": "Lead", "currentCompany": "Hooli",
                "links": [{ "label": "GitHub", "url": "https://github.com/dana" }],
                "skills": [{ "skill": "rust", "level": 4, "years": 6, "lastUsedYear": 2025 }, { "skill": "kafka", "level": 2 }]
            } }),
        )
        .await;
    let dana = created["data"]["createCandidate"]["candidate"]["id"].clone();
    assert!(dana.is_string(), "{created}");
    let upserted = app
        .graphql(
            "mutation ($input: [CandidateUpsertInput!]!) { upsertCandidates(input: $input) { results { candidate { id } } } }",
            json!({ "input": [{
                "externalSource": "lever", "externalId": "l-1", "fullName": "Grace Hopper", "email": "grace@example.com",
                "currentTitle": "Staff engineer", "currentCompany": "Globex",
                "skills": [{ "skill": "rust", "level": 4 }, { "skill": "python", "level": 3, "years": 2 }],
                "employments": [
                    { "company": "Acme", "title": "Engineer", "startMonth": "2010-01", "endMonth": "2014-12",
                      "highlights": ["Built the pipeline"], "skills": ["rust", "kafka"] },
                    { "company": "Globex", "startMonth": "2020-03", "skills": ["rust"] }
                ]
            }] }),
        )
        .await;
    let grace = upserted["data"]["upsertCandidates"]["results"][0]["candidate"]["id"].clone();
    assert!(grace.is_string(), "{upserted}");
    let read = "query ($id: ID!) { node(id: $id) { ... on Candidate { version jsonResume } } }";
    for id in [dana, grace] {
        let body = app.graphql(read, json!({ "id": id })).await;
        let exported = body["data"]["node"]["jsonResume"].clone();
        assert_eq!(
            exported["$schema"],
            "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.2.1/schema.json"
        );
        let events = domain_events::Entity::find().count(&app.db).await.unwrap();
        let again = import(&app, &exported).await;
        assert_eq!(again["status"], "UNCHANGED", "{again}\n{exported:#}");
        assert_eq!(again["candidate"]["id"], id, "the same candidate");
        assert_eq!(again["candidate"]["version"], body["data"]["node"]["version"]);
        assert_eq!(again["candidate"]["jsonResume"], exported);
        assert_eq!(domain_events::Entity::find().count(&app.db).await.unwrap(), events, "no event");
    }
    let body =
        app.graphql(read, json!({ "id": upserted["data"]["upsertCandidates"]["results"][0]["candidate"]["id"] })).await;
    let keywords = &body["data"]["node"]["jsonResume"]["work"][0]["keywords"];
    assert_eq!(keywords.as_array().map(Vec::len), Some(2), "the skills the job used: {body}");
}
