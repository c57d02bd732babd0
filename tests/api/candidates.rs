//! Candidates over GraphQL: create, filter, order, page, update, skills, archive, erase, export.

use std::collections::HashSet;

use entity::RecruiterRole::{Admin, Viewer};
use entity::{candidate_skills, candidate_tags, candidates};
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, first_error_code, refusal_code};
use crate::on_both_backends;

on_both_backends!(
    creates_candidates_with_skills_and_refuses_bad_input,
    filters_orders_and_pages_candidates,
    updates_skills_archives_and_syncs_incrementally,
    erases_and_exports_personal_data,
    keeps_candidates_inside_their_organization,
    refuses_duplicate_keys_at_their_field,
    reports_corrupt_stored_links_as_internal,
);

pub const CREATE: &str = "mutation ($input: CreateCandidateInput!) {
  createCandidate(input: $input) {
    candidate { id fullName email yearsExperience tags links { label url } version skills { level years skill { slug } } }
    userErrors { field code message }
  }
}";

pub async fn create_candidate(app: &TestApp, input: Value) -> Value {
    let body = app.graphql(CREATE, json!({ "input": input })).await;
    let payload = &body["data"]["createCandidate"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    payload["candidate"].clone()
}

fn dana() -> Value {
    json!({
        "fullName": "Dana Scully", "email": "Dana@Example.com", "yearsExperience": 12, "location": "Berlin, Germany",
        "headline": "Lead Data Engineer", "tags": ["Relocation", "remote"], "source": "Referral",
        "links": [{ "label": "GitHub", "url": "https://github.com/dana" }],
        "skills": [{ "skill": "spark", "level": 5, "years": 8 }, { "skill": "Kafka", "level": 4 }, { "skill": "scala", "level": 4 }]
    })
}

async fn creates_candidates_with_skills_and_refuses_bad_input(app: TestApp) {
    let candidate = create_candidate(&app, dana()).await;
    assert_eq!(candidate["email"], "dana@example.com");
    assert_eq!(candidate["tags"], json!(["relocation", "remote"]));
    assert_eq!(candidate["skills"][0], json!({ "level": 5, "years": 8, "skill": { "slug": "apache-spark" } }));
    assert_eq!(candidate["links"][0]["url"], "https://github.com/dana");

    let cases: Vec<(Value, Vec<&str>)> = vec![
        (json!({ "fullName": " " }), vec!["input", "fullName"]),
        (json!({ "email": "not-an-email" }), vec!["input", "email"]),
        (json!({ "email": "DANA@example.com" }), vec!["input", "email"]),
        (json!({ "yearsExperience": 99 }), vec!["input", "yearsExperience"]),
        (json!({ "phone": "call me maybe" }), vec!["input", "phone"]),
        (json!({ "links": [{ "label": "x", "url": "javascript:alert(1)" }] }), vec!["input", "links", "0", "url"]),
        (
            json!({ "skills": [{ "skill": "Quantum Basket Weaving", "level": 3 }] }),
            vec!["input", "skills", "0", "skill"],
        ),
        (json!({ "skills": [{ "skill": "rust", "level": 0 }] }), vec!["input", "skills", "0", "level"]),
        (
            json!({ "skills": [{ "skill": "rust", "level": 3 }, { "skill": "Rust", "level": 2 }] }),
            vec!["input", "skills", "1", "skill"],
        ),
        (
            json!({ "skills": [{ "skill": "rust", "level": 3, "lastUsedYear": 1800 }] }),
            vec!["input", "skills", "0", "lastUsedYear"],
        ),
    ];
    for (overrides, field) in cases {
        let mut input = json!({ "fullName": "Someone Else" });
        for (key, value) in overrides.as_object().unwrap() {
            input[key] = value.clone();
        }
        let body = app.graphql(CREATE, json!({ "input": input })).await;
        assert_eq!(body["data"]["createCandidate"]["userErrors"][0]["field"], json!(field), "{input}: {body}");
        assert_eq!(body["data"]["createCandidate"]["candidate"], Value::Null);
    }
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 1, "refusals created nothing");
    assert_eq!(candidate_skills::Entity::find().count(&app.db).await.unwrap(), 3);
    let viewer = app.graphql_as(&app.acme, Viewer, CREATE, json!({ "input": { "fullName": "x" } })).await;
    assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"));
}

const LIST: &str = "query ($first: Int, $after: String, $last: Int, $before: String, $filter: CandidateFilterInput, $orderBy: CandidateOrder) {
  candidates(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount nodes { fullName } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

fn names(body: &Value) -> Vec<String> {
    body["data"]["candidates"]["nodes"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|n| n["fullName"].as_str().unwrap().to_owned())
        .collect()
}

async fn filters_orders_and_pages_candidates(app: TestApp) {
    create_candidate(&app, dana()).await;
    create_candidate(&app, json!({ "fullName": "Fox Mulder", "yearsExperience": 8, "location": "Washington", "summary": "Spark enthusiast", "tags": ["remote"],
        "skills": [{ "skill": "pyspark", "level": 3 }, { "skill": "python", "level": 5 }] })).await;
    for n in 0..41 {
        create_candidate(&app, json!({ "fullName": format!("Pool Person {n:02}"), "yearsExperience": n % 20, "skills": [{ "skill": "java", "level": 1 + n % 5 }] })).await;
    }
    let all_of = app
        .graphql(
            LIST,
            json!({ "filter": { "hasAllSkills": [{ "skill": "Apache Spark", "minLevel": 5 }, { "skill": "kafka" }] } }),
        )
        .await;
    assert_eq!(names(&all_of), ["Dana Scully"]);
    let any_of = app.graphql(LIST, json!({ "filter": { "hasAnySkills": [{ "skill": "scala", "minLevel": 4 }, { "skill": "python", "minLevel": 5 }] }, "orderBy": { "field": "FULL_NAME" } })).await;
    assert_eq!(names(&any_of), ["Dana Scully", "Fox Mulder"]);
    let search = app.graphql(LIST, json!({ "filter": { "search": "SPARK" } })).await;
    assert_eq!(names(&search), ["Fox Mulder"], "search covers name, headline and summary");
    // Case and accents are ignored on both backends (SQLite's LOWER() alone folds ASCII only).
    create_candidate(&app, json!({ "fullName": "Émilie Ødegård-Łukasiewicz" })).await;
    for query in ["emilie", "ÉMILIE", "odegard-lukasiewicz", "ØDEGÅRD"] {
        let found = app.graphql(LIST, json!({ "filter": { "search": query } })).await;
        assert_eq!(names(&found), ["Émilie Ødegård-Łukasiewicz"], "{query}");
    }

    let years = app.graphql(LIST, json!({ "first": 1, "filter": { "minYearsExperience": 12 } })).await;
    // Pool people with n % 20 >= 12 (n in 12..=19 and 32..=39), and Dana with 12.
    assert_eq!(years["data"]["candidates"]["totalCount"], 17, "{years}");
    let tagged = app.graphql(LIST, json!({ "filter": { "tags": ["Remote", "relocation"] } })).await;
    assert_eq!(names(&tagged), ["Dana Scully"]);
    let located = app.graphql(LIST, json!({ "filter": { "location": "berlin", "source": "Referral" } })).await;
    assert_eq!(names(&located), ["Dana Scully"]);
    let java = app
        .graphql(LIST, json!({ "first": 1, "filter": { "hasAllSkills": [{ "skill": "java", "minLevel": 5 }] } }))
        .await;
    assert_eq!(java["data"]["candidates"]["totalCount"], 8);
    let bad = app.graphql(LIST, json!({ "filter": { "hasAllSkills": [{ "skill": "javva" }] } })).await;
    assert_eq!(first_error_code(&bad), Some("BAD_USER_INPUT"));
    assert!(bad["errors"][0]["message"].as_str().unwrap().contains("Java"), "{bad}");

    let by_years =
        app.graphql(LIST, json!({ "first": 2, "orderBy": { "field": "YEARS_EXPERIENCE", "direction": "DESC" } })).await;
    // 19 years: Pool People 19 and 39; the tie goes to the later id.
    assert_eq!(names(&by_years), ["Pool Person 39", "Pool Person 19"]);

    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.graphql(LIST, json!({ "first": 9, "after": after, "orderBy": { "field": "FULL_NAME" } })).await;
        forward.extend(names(&page));
        if page["data"]["candidates"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["data"]["candidates"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward.len(), 44);
    assert_eq!(forward.iter().collect::<HashSet<_>>().len(), 44);
    let mut sorted = forward.clone();
    sorted.sort();
    assert_eq!(forward, sorted);
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let page =
            app.graphql(LIST, json!({ "last": 10, "before": before, "orderBy": { "field": "FULL_NAME" } })).await;
        let mut chunk = names(&page);
        chunk.extend(backward);
        backward = chunk;
        if page["data"]["candidates"]["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = page["data"]["candidates"]["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward);
}

const UPDATE: &str = "mutation ($input: UpdateCandidateInput!) { updateCandidate(input: $input) { candidate { fullName email location tags version updatedAt } userErrors { field code } } }";

async fn updates_skills_archives_and_syncs_incrementally(app: TestApp) {
    let candidate = create_candidate(&app, dana()).await;
    let other = create_candidate(&app, json!({ "fullName": "Walter Skinner", "email": "walter@example.com" })).await;
    let id = candidate["id"].clone();
    let before_update = chrono::Utc::now();
    let updated = app
        .graphql(UPDATE, json!({ "input": { "id": id, "expectedVersion": 1, "location": null, "tags": ["visa"] } }))
        .await;
    let payload = &updated["data"]["updateCandidate"]["candidate"];
    assert_eq!(payload["location"], Value::Null, "{updated}");
    assert_eq!(payload["tags"], json!(["visa"]));
    assert_eq!(payload["version"], 2);
    let stale = app.graphql(UPDATE, json!({ "input": { "id": id, "expectedVersion": 1, "fullName": "Lost" } })).await;
    assert_eq!(stale["data"]["updateCandidate"]["userErrors"][0]["code"], "CONFLICT");
    let renamed =
        app.graphql(UPDATE, json!({ "input": { "id": other["id"], "fullName": "Walter Sergéi Skinner" } })).await;
    assert_eq!(renamed["data"]["updateCandidate"]["candidate"]["fullName"], "Walter Sergéi Skinner", "{renamed}");
    let found = app.graphql(LIST, json!({ "filter": { "search": "sergei" } })).await;
    assert_eq!(names(&found), ["Walter Sergéi Skinner"], "the search text follows updates");
    let taken = app.graphql(UPDATE, json!({ "input": { "id": other["id"], "email": "dana@example.com" } })).await;
    assert_eq!(taken["data"]["updateCandidate"]["userErrors"][0]["field"], json!(["input", "email"]), "{taken}");
    assert_eq!(candidate_tags::Entity::find().count(&app.db).await.unwrap(), 1);

    // Incremental sync: what changed since a moment, oldest change first.
    let changed = app
        .graphql(LIST, json!({ "filter": { "updatedSince": before_update }, "orderBy": { "field": "UPDATED_AT" } }))
        .await;
    assert_eq!(names(&changed), ["Dana Scully", "Walter Sergéi Skinner"], "{changed}");

    let set = "mutation ($input: SetCandidateSkillsInput!) { setCandidateSkills(input: $input) { candidate { skills { level skill { slug } } } userErrors { field } } }";
    let replaced =
        app.graphql(set, json!({ "input": { "candidateId": id, "skills": [{ "skill": "rust", "level": 4 }] } })).await;
    assert_eq!(
        replaced["data"]["setCandidateSkills"]["candidate"]["skills"],
        json!([{ "level": 4, "skill": { "slug": "rust" } }])
    );
    let refused =
        app.graphql(set, json!({ "input": { "candidateId": id, "skills": [{ "skill": "rust", "level": 9 }] } })).await;
    assert_eq!(
        refused["data"]["setCandidateSkills"]["userErrors"][0]["field"],
        json!(["input", "skills", "0", "level"])
    );
    assert_eq!(candidate_skills::Entity::find().count(&app.db).await.unwrap(), 1);

    let archived = app
        .graphql("mutation ($id: ID!) { archiveCandidate(id: $id) { candidate { status } } }", json!({ "id": id }))
        .await;
    assert_eq!(archived["data"]["archiveCandidate"]["candidate"]["status"], "ARCHIVED");
    let active = app.graphql(LIST, json!({ "filter": { "status": ["ACTIVE"] } })).await;
    assert_eq!(names(&active), ["Walter Sergéi Skinner"]);
}

async fn erases_and_exports_personal_data(app: TestApp) {
    let candidate = create_candidate(&app, dana()).await;
    let id = candidate["id"].clone();
    let role = crate::roles::create_role(&app, crate::roles::tech_lead()).await["role"]["id"].clone();
    let added = app.graphql("mutation ($c: ID!, $r: ID!) { addCandidateToRole(input: { candidateId: $c, roleId: $r, note: \"met at a meetup\" }) { application { id } } }", json!({ "c": id, "r": role })).await;
    assert!(added["data"]["addCandidateToRole"]["application"]["id"].is_string(), "{added}");

    let export = app.graphql("query ($id: ID!) { exportCandidateData(id: $id) }", json!({ "id": id })).await;
    let document = &export["data"]["exportCandidateData"];
    assert_eq!(document["candidate"]["email"], "dana@example.com", "{export}");
    assert_eq!(document["candidate"]["id"], id, "the export names the candidate by its global id");
    assert_eq!(document["skills"].as_array().unwrap().len(), 3);
    assert_eq!(document["tags"], json!(["relocation", "remote"]));
    assert_eq!(document["applications"][0]["role"], "Big Data Technical Lead");
    assert_eq!(document["applications"][0]["history"][0]["note"], "met at a meetup");

    let erase = "mutation ($id: ID!) { eraseCandidate(id: $id) { erasedCandidateId } }";
    let erased = app.graphql_as(&app.acme, Admin, erase, json!({ "id": id })).await;
    assert_eq!(erased["data"]["eraseCandidate"]["erasedCandidateId"], id, "{erased}");
    let after = app.graphql("query ($id: ID!) { exportCandidateData(id: $id) }", json!({ "id": id })).await;
    let text = after.to_string();
    for personal in
        ["Dana", "Scully", "dana@example.com", "Berlin", "github.com/dana", "meetup", "Lead Data Engineer", "Referral"]
    {
        assert!(!text.contains(personal), "{personal} survived erasure: {text}");
    }
    assert_eq!(after["data"]["exportCandidateData"]["skills"], json!([]));
    let application = app
        .graphql(
            "query ($id: ID!) { candidate(id: $id) { applications { stage source events { toStage note } } } }",
            json!({ "id": id }),
        )
        .await;
    let applications = &application["data"]["candidate"]["applications"];
    assert_eq!(applications[0]["stage"], "WITHDRAWN", "an erased person leaves open pipelines: {application}");
    assert_eq!(applications[0]["source"], Value::Null);
    assert!(applications[0]["events"].as_array().unwrap().iter().all(|e| e["note"].is_null()));
    // The pipeline still counts the (anonymous) application.
    let summary =
        app.graphql("query ($id: ID!) { role(id: $id) { pipelineSummary { total } } }", json!({ "id": role })).await;
    assert_eq!(summary["data"]["role"]["pipelineSummary"]["total"], 1, "{summary}");
    let audit = app
        .graphql_as(
            &app.acme,
            Admin,
            "query ($id: ID!) { auditEvents(entityId: $id) { nodes { action details } } }",
            json!({ "id": id }),
        )
        .await;
    let trail = audit["data"]["auditEvents"]["nodes"].to_string();
    assert!(trail.contains("candidate.erase") && !trail.contains("Dana"), "{trail}");
}

async fn keeps_candidates_inside_their_organization(app: TestApp) {
    let candidate = create_candidate(&app, dana()).await;
    let id = candidate["id"].clone();
    let globex = |query: &'static str, variables: Value| {
        let app = &app;
        async move { app.graphql_as(&app.globex, Admin, query, variables).await }
    };
    assert_eq!(globex("{ candidates { totalCount } }", json!({})).await["data"]["candidates"]["totalCount"], 0);
    assert_eq!(
        globex("query ($id: ID!) { candidate(id: $id) { id } }", json!({ "id": id })).await["data"]["candidate"],
        Value::Null
    );
    assert_eq!(
        globex("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": id })).await["data"]["node"],
        Value::Null
    );
    for (query, variables) in [
        (UPDATE, json!({ "input": { "id": id, "fullName": "Hijacked" } })),
        (
            "mutation ($id: ID!) { setCandidateSkills(input: { candidateId: $id, skills: [] }) { candidate { id } userErrors { code } } }",
            json!({ "id": id }),
        ),
        (
            "mutation ($id: ID!) { archiveCandidate(id: $id) { candidate { id } userErrors { code } } }",
            json!({ "id": id }),
        ),
        (
            "mutation ($id: ID!) { eraseCandidate(id: $id) { erasedCandidateId userErrors { code } } }",
            json!({ "id": id }),
        ),
        ("query ($id: ID!) { exportCandidateData(id: $id) }", json!({ "id": id })),
    ] {
        // Mutations refuse it in their payload, the export query as a top-level error.
        let body = globex(query, variables).await;
        assert_eq!(refusal_code(&body), Some("NOT_FOUND"), "{query}: {body}");
    }
    let after = app
        .graphql(
            "query ($id: ID!) { candidate(id: $id) { fullName status version skills { level } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(after["data"]["candidate"]["fullName"], "Dana Scully");
    assert_eq!(after["data"]["candidate"]["status"], "ACTIVE");
    assert_eq!(after["data"]["candidate"]["version"], 1);
    assert_eq!(after["data"]["candidate"]["skills"].as_array().unwrap().len(), 3);
}

async fn refuses_duplicate_keys_at_their_field(app: TestApp) {
    let dana = json!({ "fullName": "Dana Scully", "email": "dana@example.com", "externalSource": "greenhouse", "externalId": "42" });
    create_candidate(&app, dana).await;
    let same_external = json!({ "fullName": "Fox Mulder", "externalSource": "greenhouse", "externalId": "42" });
    for (input, field) in [
        (same_external.clone(), json!(["input", "externalId"])),
        (json!({ "fullName": "Fox Mulder", "email": "DANA@example.com" }), json!(["input", "email"])),
    ] {
        let body = app.graphql(CREATE, json!({ "input": input })).await;
        let errors = &body["data"]["createCandidate"]["userErrors"];
        assert_eq!(errors[0]["field"], field, "{input}: {body}");
        assert_eq!(errors[0]["code"], "BAD_USER_INPUT", "{input}: {body}");
    }
    let fox = create_candidate(&app, json!({ "fullName": "Fox Mulder", "email": "fox@example.com" })).await;
    let taken = app.graphql(UPDATE, json!({ "input": { "id": fox["id"], "email": "dana@example.com" } })).await;
    assert_eq!(taken["data"]["updateCandidate"]["userErrors"][0]["field"], json!(["input", "email"]), "{taken}");
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 2);
    // The keys are per organization.
    let elsewhere = app.graphql_as(&app.globex, Admin, CREATE, json!({ "input": same_external })).await;
    assert_eq!(elsewhere["data"]["createCandidate"]["userErrors"], json!([]), "{elsewhere}");
}

async fn reports_corrupt_stored_links_as_internal(app: TestApp) {
    let id = create_candidate(&app, dana()).await["id"].clone();
    candidates::Entity::update_many()
        .col_expr(candidates::Column::Links, Expr::value(json!({ "not": "a list of links" })))
        .exec(&app.db)
        .await
        .unwrap();
    let query = "query ($id: ID!) { candidate(id: $id) { fullName } }";
    let name = app.graphql(query, json!({ "id": id })).await;
    assert_eq!(name["data"]["candidate"]["fullName"], "Dana Scully", "the other fields still read: {name}");
    let query = "query ($id: ID!) { candidate(id: $id) { fullName links { url } } }";
    let links = app.graphql(query, json!({ "id": id })).await;
    assert_eq!(first_error_code(&links), Some("INTERNAL"), "{links}");
    assert_eq!(links["errors"][0]["path"], json!(["candidate", "links"]), "{links}");
    assert!(!links["data"]["candidate"]["links"].is_array(), "no empty list passed off as the links: {links}");
}
