//! Pipelines over GraphQL: adding candidates to roles, stage moves, rejection, history, numbers.

use entity::RecruiterRole::Admin;
use entity::{application_events, applications};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::candidates::create_candidate;
use crate::helpers::{TestApp, first_error_code, refusal_code};
use crate::on_both_backends;
use crate::roles::{create_role, tech_lead};

on_both_backends!(
    moves_candidates_through_a_pipeline,
    refuses_illegal_pipeline_changes,
    keeps_pipelines_inside_their_organization,
    organizations_keep_their_own_rejection_reasons,
    concurrent_hires_fill_one_seat_once,
);

const ADD: &str = "mutation ($c: ID!, $r: ID!, $note: String) { addCandidateToRole(input: { candidateId: $c, roleId: $r, source: \"LinkedIn\", note: $note }) { application { id stage version creditedRecruiter { email } } userErrors { field code message } } }";
const MOVE: &str = "mutation ($id: ID!, $stage: ApplicationStage!, $version: Int) { moveApplication(input: { id: $id, stage: $stage, note: \"moved\", expectedVersion: $version }) { application { stage version } userErrors { field code message } } }";
const REJECT: &str = "mutation ($id: ID!, $reason: String!) { rejectApplication(input: { id: $id, reason: $reason, note: \"not now\" }) { application { stage rejectionReason } userErrors { field code message } } }";

async fn setup(app: &TestApp) -> (Value, Value, Value) {
    let role = create_role(app, tech_lead()).await["role"]["id"].clone();
    let dana = create_candidate(app, json!({ "fullName": "Dana Scully" })).await["id"].clone();
    let fox = create_candidate(app, json!({ "fullName": "Fox Mulder" })).await["id"].clone();
    (role, dana, fox)
}

async fn moves_candidates_through_a_pipeline(app: TestApp) {
    let (role, dana, fox) = setup(&app).await;
    let added = app.graphql(ADD, json!({ "c": dana, "r": role, "note": "strong Spark background" })).await;
    let application = &added["data"]["addCandidateToRole"]["application"];
    assert_eq!(application["stage"], "SOURCED", "{added}");
    assert_eq!(application["creditedRecruiter"]["email"], app.acme.email(entity::RecruiterRole::Recruiter).as_str());
    let id = application["id"].clone();
    for (stage, version) in [("SCREENING", 1), ("INTERVIEW", 2), ("SCREENING", 3), ("OFFER", 4), ("HIRED", 5)] {
        let moved = app.graphql(MOVE, json!({ "id": id, "stage": stage, "version": version })).await;
        assert_eq!(moved["data"]["moveApplication"]["application"]["stage"], stage, "{moved}");
    }
    let other =
        app.graphql(ADD, json!({ "c": fox, "r": role })).await["data"]["addCandidateToRole"]["application"]["id"]
            .clone();
    let rejected = app.graphql(REJECT, json!({ "id": other, "reason": "skills_mismatch" })).await;
    assert_eq!(
        rejected["data"]["rejectApplication"]["application"],
        json!({ "stage": "REJECTED", "rejectionReason": "SKILLS_MISMATCH" }),
        "{rejected}"
    );

    let history = app.graphql("query ($id: ID!) { application(id: $id) { events { fromStage toStage note actorName actor { email } } candidate { fullName } role { title } } }", json!({ "id": id })).await;
    let events = history["data"]["application"]["events"].as_array().unwrap();
    let moves: Vec<(Value, Value)> = events.iter().map(|e| (e["fromStage"].clone(), e["toStage"].clone())).collect();
    assert_eq!(moves.len(), 6, "{history}");
    assert_eq!(moves[0], (Value::Null, json!("SOURCED")));
    assert_eq!(moves[5], (json!("OFFER"), json!("HIRED")));
    assert_eq!(events[0]["note"], "strong Spark background");
    assert_eq!(events[1]["actorName"], "Acme Recruiter");
    assert_eq!(history["data"]["application"]["candidate"]["fullName"], "Dana Scully");

    let summary = app.graphql("query ($id: ID!) { role(id: $id) { pipelineSummary { total stages { stage count medianDays } } applications { stage } } }", json!({ "id": role })).await;
    let stages = &summary["data"]["role"]["pipelineSummary"];
    assert_eq!(stages["total"], 2, "{summary}");
    let count = |stage: &str| {
        stages["stages"].as_array().unwrap().iter().find(|s| s["stage"] == stage).unwrap()["count"].clone()
    };
    assert_eq!((count("HIRED"), count("REJECTED"), count("SOURCED")), (json!(1), json!(1), json!(0)));
    let sourced = stages["stages"].as_array().unwrap().iter().find(|s| s["stage"] == "SOURCED").unwrap();
    assert!(sourced["medianDays"].as_f64().unwrap() < 0.1, "stays that ended have a median: {summary}");
    assert_eq!(
        stages["stages"].as_array().unwrap().iter().find(|s| s["stage"] == "HIRED").unwrap()["medianDays"],
        Value::Null
    );

    let listed = app.graphql("query ($r: ID!) { applications(filter: { roleId: $r, stage: [HIRED] }) { totalCount nodes { candidate { fullName } } } }", json!({ "r": role })).await;
    assert_eq!(listed["data"]["applications"]["totalCount"], 1);
    assert_eq!(listed["data"]["applications"]["nodes"][0]["candidate"]["fullName"], "Dana Scully");
    let reasons = app.graphql("{ rejectionReasons { code } }", json!({})).await;
    assert!(reasons["data"]["rejectionReasons"].as_array().unwrap().len() >= 5);
}

async fn refuses_illegal_pipeline_changes(app: TestApp) {
    let (role, dana, fox) = setup(&app).await;
    let id = app.graphql(ADD, json!({ "c": dana, "r": role })).await["data"]["addCandidateToRole"]["application"]["id"]
        .clone();
    let twice = app.graphql(ADD, json!({ "c": dana, "r": role })).await;
    assert_eq!(twice["data"]["addCandidateToRole"]["userErrors"][0]["code"], "CONFLICT", "{twice}");
    let hire = app.graphql(MOVE, json!({ "id": id, "stage": "HIRED" })).await;
    assert_eq!(
        hire["data"]["moveApplication"]["userErrors"][0]["code"], "CONFLICT",
        "hiring needs an offer first: {hire}"
    );
    let reject_by_move = app.graphql(MOVE, json!({ "id": id, "stage": "REJECTED" })).await;
    assert_eq!(reject_by_move["data"]["moveApplication"]["userErrors"][0]["field"], json!(["input", "stage"]));
    let stale = app.graphql(MOVE, json!({ "id": id, "stage": "SCREENING", "version": 7 })).await;
    assert_eq!(stale["data"]["moveApplication"]["userErrors"][0]["code"], "CONFLICT");
    let unknown_reason = app.graphql(REJECT, json!({ "id": id, "reason": "DONT_LIKE_THEM" })).await;
    assert_eq!(unknown_reason["data"]["rejectApplication"]["userErrors"][0]["field"], json!(["input", "reason"]));
    assert_eq!(application_events::Entity::find().count(&app.db).await.unwrap(), 1, "refused moves recorded nothing");
    let withdrawn = app.graphql(MOVE, json!({ "id": id, "stage": "WITHDRAWN" })).await;
    assert_eq!(withdrawn["data"]["moveApplication"]["application"]["stage"], "WITHDRAWN");
    let after_end = app.graphql(MOVE, json!({ "id": id, "stage": "SCREENING" })).await;
    assert_eq!(after_end["data"]["moveApplication"]["userErrors"][0]["code"], "CONFLICT");

    // A role on hold still moves; a closed one only lets applications end.
    let third = create_candidate(&app, json!({ "fullName": "Walter Skinner" })).await["id"].clone();
    let open =
        app.graphql(ADD, json!({ "c": third, "r": role })).await["data"]["addCandidateToRole"]["application"]["id"]
            .clone();
    app.graphql(
        "mutation ($id: ID!) { changeRoleStatus(input: { id: $id, status: CLOSED }) { role { status } } }",
        json!({ "id": role }),
    )
    .await;
    let frozen = app.graphql(MOVE, json!({ "id": open, "stage": "SCREENING" })).await;
    assert_eq!(frozen["data"]["moveApplication"]["userErrors"][0]["code"], "CONFLICT", "{frozen}");
    let ended = app.graphql(REJECT, json!({ "id": open, "reason": "POSITION_FILLED" })).await;
    assert_eq!(ended["data"]["rejectApplication"]["application"]["stage"], "REJECTED", "{ended}");
    app.graphql(
        "mutation ($id: ID!) { changeRoleStatus(input: { id: $id, status: OPEN }) { role { status } } }",
        json!({ "id": role }),
    )
    .await;

    // Closed roles and archived candidates do not take new applications.
    let draft = create_role(&app, json!({ "title": "Draft role" })).await["role"]["id"].clone();
    let to_draft = app.graphql(ADD, json!({ "c": fox, "r": draft })).await;
    assert_eq!(
        to_draft["data"]["addCandidateToRole"]["userErrors"][0]["field"],
        json!(["input", "roleId"]),
        "{to_draft}"
    );
    app.graphql("mutation ($id: ID!) { archiveCandidate(id: $id) { candidate { id } } }", json!({ "id": fox })).await;
    let archived = app.graphql(ADD, json!({ "c": fox, "r": role })).await;
    assert_eq!(archived["data"]["addCandidateToRole"]["userErrors"][0]["field"], json!(["input", "candidateId"]));
    assert_eq!(applications::Entity::find().count(&app.db).await.unwrap(), 2);

    // A role with headcount 1 hires one person.
    let single =
        create_role(&app, json!({ "title": "One seat", "status": "OPEN", "headcount": 1 })).await["role"]["id"].clone();
    let mut ids = Vec::new();
    for name in ["First Hire", "Second Hire"] {
        let person = create_candidate(&app, json!({ "fullName": name })).await["id"].clone();
        let application = app.graphql(ADD, json!({ "c": person, "r": single })).await["data"]["addCandidateToRole"]["application"]["id"].clone();
        app.graphql(MOVE, json!({ "id": application, "stage": "OFFER" })).await;
        ids.push(application);
    }
    let hired = app.graphql(MOVE, json!({ "id": ids[0], "stage": "HIRED" })).await;
    assert_eq!(hired["data"]["moveApplication"]["application"]["stage"], "HIRED", "{hired}");
    let over = app.graphql(MOVE, json!({ "id": ids[1], "stage": "HIRED" })).await;
    assert_eq!(over["data"]["moveApplication"]["userErrors"][0]["code"], "CONFLICT", "{over}");
}

async fn keeps_pipelines_inside_their_organization(app: TestApp) {
    let (role, dana, _) = setup(&app).await;
    let id = app.graphql(ADD, json!({ "c": dana, "r": role })).await["data"]["addCandidateToRole"]["application"]["id"]
        .clone();
    let globex_role = app
        .graphql_as(
            &app.globex,
            Admin,
            crate::roles::CREATE,
            json!({ "input": { "title": "Globex role", "status": "OPEN" } }),
        )
        .await["data"]["createRole"]["role"]["id"]
        .clone();
    let as_globex = |query: &'static str, variables: Value| {
        let app = &app;
        async move { app.graphql_as(&app.globex, Admin, query, variables).await }
    };
    for (query, variables) in [
        (MOVE, json!({ "id": id, "stage": "SCREENING" })),
        (REJECT, json!({ "id": id, "reason": "OTHER" })),
        (ADD, json!({ "c": dana, "r": globex_role })),
        (ADD, json!({ "c": dana, "r": role })),
    ] {
        let body = as_globex(query, variables).await;
        assert_eq!(refusal_code(&body), Some("NOT_FOUND"), "{query}: {body}");
        assert!(body["errors"].is_null(), "refused in the payload: {body}");
    }
    // An integration reads pipelines only with the scopes of what it reads through them.
    let client = app
        .graphql_as(&app.acme, Admin, "mutation { createApiClient(input: { name: \"ATS\", scopes: [APPLICATIONS_READ] }) { apiClient { clientId } clientSecret } }", json!({}))
        .await;
    let payload = &client["data"]["createApiClient"];
    let issued = app
        .anonymous(
            "mutation ($id: String!, $s: String!) { issueClientToken(clientId: $id, clientSecret: $s) { accessToken } }",
            json!({ "id": payload["apiClient"]["clientId"], "s": payload["clientSecret"] }),
        )
        .await;
    let token = issued["data"]["issueClientToken"]["accessToken"].as_str().unwrap().to_owned();
    let stages = app.graphql_with(Some(&token), "{ applications { nodes { stage } } }", json!({})).await;
    assert_eq!(stages["data"]["applications"]["nodes"], json!([{ "stage": "SOURCED" }]), "{stages}");
    for nested in [
        "{ applications { nodes { candidate { email } } } }",
        "{ applications { nodes { role { title } } } }",
        "{ applications { nodes { creditedRecruiter { email } } } }",
        "{ recruiters { email } }",
    ] {
        let body = app.graphql_with(Some(&token), nested, json!({})).await;
        assert_eq!(first_error_code(&body), Some("FORBIDDEN"), "{nested}: {body}");
    }
    let listed = as_globex(
        "query ($r: ID!) { applications(filter: { roleId: $r }) { totalCount } application(id: \"x\") { id } }",
        json!({ "r": role }),
    )
    .await;
    assert_eq!(listed["data"]["applications"]["totalCount"], 0, "{listed}");
    let mine = app.graphql("query ($id: ID!) { application(id: $id) { stage version } }", json!({ "id": id })).await;
    assert_eq!(mine["data"]["application"], json!({ "stage": "SOURCED", "version": 1 }));
    assert_eq!(applications::Entity::find().count(&app.db).await.unwrap(), 1);
}

async fn organizations_keep_their_own_rejection_reasons(app: TestApp) {
    let (role, dana, fox) = setup(&app).await;
    let set = "mutation ($reasons: [RejectionReasonInput!]!) { setRejectionReasons(reasons: $reasons) { rejectionReasons { code label } userErrors { field code } } }";
    let mine = json!([{ "code": "NO_VISA", "label": "Needs a visa we cannot sponsor" }, { "code": "TOO_JUNIOR", "label": "Too junior" }]);
    let forbidden = app.graphql(set, json!({ "reasons": mine })).await;
    assert_eq!(first_error_code(&forbidden), Some("FORBIDDEN"), "recruiters do not edit the list");
    let viewer = app.graphql_as(&app.acme, entity::RecruiterRole::Viewer, set, json!({ "reasons": mine })).await;
    assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"), "{viewer}");
    // Editing the list is an organization setting: ADMIN holds it, RECRUITER does not.
    let holds =
        |me: &Value| me["data"]["me"]["permissions"].as_array().unwrap().contains(&json!("MANAGE_ORGANIZATION"));
    assert!(!holds(&app.graphql("{ me { permissions } }", json!({})).await));
    assert!(holds(&app.graphql_as(&app.acme, Admin, "{ me { permissions } }", json!({})).await));
    for (reasons, field) in [
        (json!([{ "code": "lower", "label": "x" }]), json!(["reasons", "0", "code"])),
        (json!([{ "code": "A", "label": "x" }, { "code": "A", "label": "y" }]), json!(["reasons", "1", "code"])),
        (json!([{ "code": "A", "label": " " }]), json!(["reasons", "0", "label"])),
        (json!([]), json!(["reasons"])),
    ] {
        let body = app.graphql_as(&app.acme, Admin, set, json!({ "reasons": reasons })).await;
        assert_eq!(body["data"]["setRejectionReasons"]["userErrors"][0]["field"], field, "{body}");
    }
    let saved = app.graphql_as(&app.acme, Admin, set, json!({ "reasons": mine })).await;
    assert_eq!(saved["data"]["setRejectionReasons"]["rejectionReasons"], mine, "{saved}");
    assert_eq!(app.graphql("{ rejectionReasons { code label } }", json!({})).await["data"]["rejectionReasons"], mine);
    let globex = app.graphql_as(&app.globex, Admin, "{ rejectionReasons { code } }", json!({})).await;
    assert!(
        globex["data"]["rejectionReasons"].as_array().unwrap().iter().any(|r| r["code"] == "SKILLS_MISMATCH"),
        "others keep the built-in list"
    );

    let first =
        app.graphql(ADD, json!({ "c": dana, "r": role })).await["data"]["addCandidateToRole"]["application"]["id"]
            .clone();
    let old = app.graphql(REJECT, json!({ "id": first, "reason": "SKILLS_MISMATCH" })).await;
    assert_eq!(old["data"]["rejectApplication"]["userErrors"][0]["field"], json!(["input", "reason"]), "{old}");
    let new = app.graphql(REJECT, json!({ "id": first, "reason": "no_visa" })).await;
    assert_eq!(new["data"]["rejectApplication"]["application"]["rejectionReason"], "NO_VISA", "{new}");
    let second =
        app.graphql(ADD, json!({ "c": fox, "r": role })).await["data"]["addCandidateToRole"]["application"]["id"]
            .clone();
    assert!(second.is_string());
}

async fn concurrent_hires_fill_one_seat_once(app: TestApp) {
    let role =
        create_role(&app, json!({ "title": "One seat", "status": "OPEN", "headcount": 1 })).await["role"]["id"].clone();
    let mut offers = Vec::new();
    for n in 0..8 {
        let person = create_candidate(&app, json!({ "fullName": format!("Finalist {n}") })).await["id"].clone();
        let application = app.graphql(ADD, json!({ "c": person, "r": role })).await["data"]["addCandidateToRole"]
            ["application"]["id"]
            .clone();
        let offer = app.graphql(MOVE, json!({ "id": application, "stage": "OFFER" })).await;
        assert_eq!(offer["data"]["moveApplication"]["application"]["stage"], "OFFER", "{offer}");
        offers.push(application);
    }
    let attempts = offers.iter().map(|id| {
        let app = &app;
        async move { app.graphql(MOVE, json!({ "id": id, "stage": "HIRED" })).await }
    });
    let results = futures_util::future::join_all(attempts).await;
    let hired = results.iter().filter(|r| r["data"]["moveApplication"]["application"]["stage"] == "HIRED").count();
    let refused =
        results.iter().filter(|r| r["data"]["moveApplication"]["userErrors"][0]["code"] == "CONFLICT").count();
    assert_eq!((hired, refused), (1, 7), "{results:#?}");
    let stored = applications::Entity::find()
        .filter(applications::Column::Stage.eq(entity::ApplicationStage::Hired))
        .count(&app.db)
        .await
        .unwrap();
    assert_eq!(stored, 1, "the database holds one hire");
}
