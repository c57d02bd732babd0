//! Per-organization matching weights over HTTP: a hand-computed ranking that flips when an
//! ADMIN changes them, the same weights in every matching query and its results, tenancy,
//! permissions, refused input, read-your-writes on two instances; and the release of a pool
//! nobody matched for the configured idle time.

use std::time::Duration;

use entity::RecruiterRole::{Admin, Recruiter, Viewer};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, TestOrganization, first_error_code};
use crate::on_both_backends;

on_both_backends!(
    the_organizations_weights_flip_a_hand_computed_ranking_everywhere,
    only_an_admin_sets_weights_and_refused_input_changes_nothing,
    a_pool_nobody_matched_for_the_idle_time_is_released_and_built_again,
);

const WEIGHTS: &str = "required preferred niceToHave experience narrowerCredit impliedCredit";

fn set_query() -> String {
    format!(
        "mutation ($input: MatchWeightsInput!) {{ setMatchingWeights(input: $input) {{ settings {{ weights {{ {WEIGHTS} }} defaulted }} userErrors {{ field code message }} }} }}"
    )
}

fn settings_query() -> String {
    format!("{{ matchingSettings {{ weights {{ {WEIGHTS} }} defaults {{ {WEIGHTS} }} defaulted scorerVersion }} }}")
}

const RANK: &str = "query ($role: ID!) { matchCandidates(roleId: $role) { edges { node {
  score meetsAllRequired weights { required preferred niceToHave experience narrowerCredit }
  candidate { id fullName } requirements { status weight points }
} } } }";

/// Weights as the API reports them.
fn weights(required: f64, preferred: f64, nice_to_have: f64, experience: f64) -> Value {
    json!({ "required": required, "preferred": preferred, "niceToHave": nice_to_have, "experience": experience,
            "narrowerCredit": 1.0, "impliedCredit": 1.0 })
}

/// A role of `organization` with one REQUIRED, one PREFERRED and three NICE_TO_HAVE
/// requirements, and two candidates who meet the REQUIRED one: "Preferred" also holds the
/// PREFERRED skill, "Nice" the three NICE_TO_HAVE ones. Returns the ids of the role and of
/// "Preferred".
async fn scenario(app: &TestApp, organization: &TestOrganization) -> (String, String) {
    let mut role = crate::roles::tech_lead();
    role["minYearsExperience"] = json!(0);
    role["requirements"] = json!([
        { "skill": "spark", "minLevel": 3 },
        { "skill": "kafka", "minLevel": 3, "importance": "PREFERRED" },
        { "skill": "java", "importance": "NICE_TO_HAVE" },
        { "skill": "python", "importance": "NICE_TO_HAVE" },
        { "skill": "sql", "importance": "NICE_TO_HAVE" },
    ]);
    let body = app.graphql_as(organization, Recruiter, crate::roles::CREATE, json!({ "input": role })).await;
    let role = body["data"]["createRole"]["role"]["id"].as_str().unwrap_or_else(|| panic!("{body}")).to_owned();
    let create = "mutation ($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id } userErrors { code } } }";
    let mut preferred = String::new();
    for (name, years, skills) in [
        ("Preferred", 5, json!([{ "skill": "spark", "level": 5 }, { "skill": "kafka", "level": 5 }])),
        (
            "Nice",
            20,
            json!([{ "skill": "spark", "level": 5 }, { "skill": "java", "level": 5 }, { "skill": "python", "level": 5 },
                   { "skill": "sql", "level": 5 }]),
        ),
    ] {
        let input = json!({ "fullName": name, "yearsExperience": years, "skills": skills });
        let body = app.graphql_as(organization, Recruiter, create, json!({ "input": input })).await;
        let id = body["data"]["createCandidate"]["candidate"]["id"].as_str().unwrap_or_else(|| panic!("{body}"));
        if name == "Preferred" {
            id.clone_into(&mut preferred);
        }
    }
    (role, preferred)
}

/// The ranking of `role` as (name, score) pairs, every result's weights checked to be `expected`.
async fn ranking(app: &TestApp, organization: &TestOrganization, role: &str, expected: &Value) -> Vec<(String, f64)> {
    let body = app.graphql_as(organization, Recruiter, RANK, json!({ "role": role })).await;
    assert!(body["errors"].is_null(), "{body}");
    let edges = body["data"]["matchCandidates"]["edges"].as_array().unwrap();
    edges
        .iter()
        .map(|edge| {
            let node = &edge["node"];
            let mut reported = node["weights"].clone();
            let mut wanted = expected.clone();
            wanted.as_object_mut().unwrap().remove("impliedCredit");
            reported.as_object_mut().unwrap().remove("impliedCredit");
            assert_eq!(reported, wanted, "{node}");
            let points: f64 =
                node["requirements"].as_array().unwrap().iter().map(|r| r["points"].as_f64().unwrap()).sum();
            let score = node["score"].as_f64().unwrap();
            assert!((points - score).abs() < 1e-9, "the points add up: {node}");
            (node["candidate"]["fullName"].as_str().unwrap().to_owned(), score)
        })
        .collect()
}

fn assert_ranking(actual: &[(String, f64)], expected: &[(&str, f64)]) {
    assert_eq!(actual.len(), expected.len(), "{actual:?}");
    for ((name, score), (want_name, want_score)) in actual.iter().zip(expected) {
        assert_eq!(name, want_name, "{actual:?}");
        assert!((score - want_score).abs() < 1e-9, "{name}: {score} vs {want_score}");
    }
}

async fn set_weights(app: &TestApp, organization: &TestOrganization, input: Value) -> Value {
    app.graphql_as(organization, Admin, &set_query(), json!({ "input": input })).await
}

async fn the_organizations_weights_flip_a_hand_computed_ranking_everywhere(app: TestApp) {
    let (role, preferred) = scenario(&app, &app.acme).await;
    let (globex_role, _) = scenario(&app, &app.globex).await;
    // Defaults 3 / 2 / 1, total weight 3 + 2 + 3 × 1 = 8: Preferred (3 + 2) / 8 = 62.5,
    // Nice (3 + 3) / 8 = 75. The first ranking also builds both pools.
    let defaults = weights(3.0, 2.0, 1.0, 2.0);
    assert_ranking(&ranking(&app, &app.acme, &role, &defaults).await, &[("Nice", 75.0), ("Preferred", 62.5)]);
    assert_ranking(&ranking(&app, &app.globex, &globex_role, &defaults).await, &[("Nice", 75.0), ("Preferred", 62.5)]);

    // Acme weighs PREFERRED 2.5 and NICE_TO_HAVE 0.5 (total 3 + 2.5 + 1.5 = 7): Preferred
    // 5.5 / 7 = 78.571…, Nice 4.5 / 7 = 64.285…: the order flips at once.
    let body = set_weights(&app, &app.acme, json!({ "preferred": 2.5, "niceToHave": 0.5, "experience": 1.0 })).await;
    let payload = &body["data"]["setMatchingWeights"];
    assert_eq!(payload["userErrors"], json!([]), "{body}");
    let chosen = weights(3.0, 2.5, 0.5, 1.0);
    assert_eq!(payload["settings"]["weights"], chosen, "{body}");
    assert_eq!(payload["settings"]["defaulted"], json!(["required", "narrowerCredit", "impliedCredit"]));
    let flipped = ranking(&app, &app.acme, &role, &chosen).await;
    assert_ranking(&flipped, &[("Preferred", 550.0 / 7.0), ("Nice", 450.0 / 7.0)]);
    let body = app.graphql_as(&app.acme, Recruiter, RANK, json!({ "role": role })).await;
    let requirements = &body["data"]["matchCandidates"]["edges"][0]["node"]["requirements"];
    let weights_used: Vec<f64> =
        requirements.as_array().unwrap().iter().map(|r| r["weight"].as_f64().unwrap()).collect();
    assert_eq!(weights_used, [3.0, 2.5, 0.5, 0.5, 0.5]);
    assert!((requirements[1]["points"].as_f64().unwrap() - 250.0 / 7.0).abs() < 1e-9, "{requirements}");

    // Globex is untouched: its settings, its ranking.
    let settings = app.graphql_as(&app.globex, Viewer, &settings_query(), json!({})).await;
    assert_eq!(settings["data"]["matchingSettings"]["weights"], defaults, "{settings}");
    assert_eq!(settings["data"]["matchingSettings"]["defaulted"].as_array().unwrap().len(), 6);
    assert_ranking(&ranking(&app, &app.globex, &globex_role, &defaults).await, &[("Nice", 75.0), ("Preferred", 62.5)]);
    let settings = app.graphql_as(&app.acme, Viewer, &settings_query(), json!({})).await;
    assert_eq!(settings["data"]["matchingSettings"]["weights"], chosen, "{settings}");
    assert_eq!(settings["data"]["matchingSettings"]["defaults"], defaults);
    assert_eq!(settings["data"]["matchingSettings"]["scorerVersion"], "talentgraph-match-1");

    // Every matching query of Acme ranks and reports with them.
    let body = app
        .graphql_as(
            &app.acme,
            Recruiter,
            "query ($id: ID!) { node(id: $id) { ... on Role { matches(first: 1) { nodes { score weights { preferred } candidate { fullName } } } } } }",
            json!({ "id": role }),
        )
        .await;
    let top = &body["data"]["node"]["matches"]["nodes"][0];
    assert_eq!(
        (top["candidate"]["fullName"].as_str(), top["weights"]["preferred"].as_f64()),
        (Some("Preferred"), Some(2.5)),
        "{body}"
    );
    let body = app
        .graphql_as(
            &app.acme,
            Recruiter,
            "query ($id: ID!) { matchRoles(candidateId: $id) { nodes { score weights { niceToHave } } } }",
            json!({ "id": preferred }),
        )
        .await;
    let role_match = &body["data"]["matchRoles"]["nodes"][0];
    assert!((role_match["score"].as_f64().unwrap() - 550.0 / 7.0).abs() < 1e-9, "{body}");
    assert_eq!(role_match["weights"]["niceToHave"], 0.5);
    // A draft asking for Spark and 10 years: weights 3 and 1 (total 4). Preferred has 5 years:
    // 75 + 1 × 0.5 / 4 = 87.5; Nice (20 years) 100. With the defaults it would be 60 + 20 = 80.
    let body = app
        .graphql_as(
            &app.acme,
            Recruiter,
            "{ matchCandidatesForRequirements(requirements: [{ skill: \"spark\" }], minYearsExperience: 10) { nodes { score candidate { fullName } experience { weight points } weights { experience } } } }",
            json!({}),
        )
        .await;
    let nodes = &body["data"]["matchCandidatesForRequirements"]["nodes"];
    assert_eq!(nodes[0]["candidate"]["fullName"], "Nice", "{body}");
    assert_eq!(nodes[1]["score"], 87.5, "{body}");
    assert_eq!(nodes[1]["experience"], json!({ "weight": 1.0, "points": 12.5 }));
    assert_eq!(nodes[1]["weights"]["experience"], 1.0);
    let body = app
        .graphql_as(
            &app.acme,
            Recruiter,
            "query ($role: ID!) { talentPool(roleId: $role) { qualified weights { preferred } } }",
            json!({ "role": role }),
        )
        .await;
    assert_eq!(body["data"]["talentPool"], json!({ "qualified": 2, "weights": { "preferred": 2.5 } }), "{body}");

    // A credit counts too: a narrower skill at half credit is PARTIAL.
    let body = set_weights(&app, &app.acme, json!({ "narrowerCredit": 0.5 })).await;
    assert_eq!(body["data"]["setMatchingWeights"]["userErrors"], json!([]), "{body}");
    let input = json!({ "fullName": "Streaming", "skills": [{ "skill": "spark-structured-streaming", "level": 5 }] });
    app.graphql_as(
        &app.acme,
        Recruiter,
        "mutation ($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id } } }",
        json!({ "input": input }),
    )
    .await;
    let body = app
        .graphql_as(
            &app.acme,
            Recruiter,
            "query ($role: ID!) { talentPool(roleId: $role) { qualified requirements { met partial } } }",
            json!({ "role": role }),
        )
        .await;
    assert_eq!(body["data"]["talentPool"]["qualified"], 2, "{body}");
    assert_eq!(body["data"]["talentPool"]["requirements"][0], json!({ "met": 2, "partial": 1 }), "{body}");

    // `{}` restores every default: the order flips back.
    let body = set_weights(&app, &app.acme, json!({})).await;
    assert_eq!(body["data"]["setMatchingWeights"]["settings"]["weights"], defaults, "{body}");
    let back = ranking(&app, &app.acme, &role, &defaults).await;
    // Streaming: Spark by a narrower skill at full credit again, 3 / 8.
    assert_ranking(&back, &[("Nice", 75.0), ("Preferred", 62.5), ("Streaming", 37.5)]);
}

async fn only_an_admin_sets_weights_and_refused_input_changes_nothing(app: TestApp) {
    let query = set_query();
    for role in [Recruiter, Viewer] {
        let body = app.graphql_as(&app.acme, role, &query, json!({ "input": { "required": 4.0 } })).await;
        assert_eq!(first_error_code(&body), Some("FORBIDDEN"), "{role:?}: {body}");
    }
    let body = app.anonymous(&query, json!({ "input": {} })).await;
    assert_eq!(first_error_code(&body), Some("UNAUTHENTICATED"), "{body}");
    let body = app.anonymous(&settings_query(), json!({})).await;
    assert_eq!(first_error_code(&body), Some("UNAUTHENTICATED"), "{body}");

    let chosen = json!({ "required": 4.0, "niceToHave": 0.5 });
    let body = set_weights(&app, &app.acme, chosen).await;
    assert_eq!(body["data"]["setMatchingWeights"]["userErrors"], json!([]), "{body}");
    let before = app.graphql_as(&app.acme, Recruiter, &settings_query(), json!({})).await;
    assert_eq!(before["data"]["matchingSettings"]["weights"], weights(4.0, 2.0, 0.5, 2.0), "{before}");
    let refused = [
        (json!({ "required": 0.0 }), "required"),
        (json!({ "required": -2.0 }), "required"),
        (json!({ "experience": 250.0 }), "experience"),
        (json!({ "narrowerCredit": 1.5 }), "narrowerCredit"),
        (json!({ "impliedCredit": 0.0 }), "impliedCredit"),
        // PREFERRED above REQUIRED (the default 3 when REQUIRED is not given).
        (json!({ "preferred": 3.5 }), "preferred"),
        (json!({ "required": 5.0, "preferred": 2.0, "niceToHave": 2.5 }), "niceToHave"),
    ];
    for (input, field) in refused {
        let body = set_weights(&app, &app.acme, input.clone()).await;
        let payload = &body["data"]["setMatchingWeights"];
        assert_eq!(payload["settings"], Value::Null, "{input}: {body}");
        let error = &payload["userErrors"][0];
        assert_eq!(
            (error["code"].as_str(), &error["field"]),
            (Some("BAD_USER_INPUT"), &json!(["input", field])),
            "{input}: {body}"
        );
        assert!(!error["message"].as_str().unwrap().is_empty());
    }
    let after = app.graphql_as(&app.acme, Recruiter, &settings_query(), json!({})).await;
    assert_eq!(after, before, "refused input changed nothing");
    // Audited once, with the weights in force.
    let audit = app
        .graphql_as(
            &app.acme,
            Admin,
            "{ auditEvents(action: \"organization.set_matching_weights\") { nodes { action details } } }",
            json!({}),
        )
        .await;
    let nodes = audit["data"]["auditEvents"]["nodes"].as_array().unwrap_or_else(|| panic!("{audit}"));
    assert_eq!(nodes.len(), 1, "{audit}");
    let details = &nodes[0]["details"];
    assert_eq!(
        (details["required"].as_f64(), details["preferred"].as_f64(), details["nice_to_have"].as_f64()),
        (Some(4.0), Some(2.0), Some(0.5)),
        "{audit}"
    );
    assert_eq!(details["defaulted"], json!(["preferred", "experience", "narrowerCredit", "impliedCredit"]));
}

/// A warm pool takes new weights by its catch-up, two statements more than a warm answer (5 then
/// 7 when written), not by a rebuild; and pools are released after the configured idle time (1 s
/// here) without a match, also while no request comes: the next match builds the pool again (its
/// folded skills read shows in the statement log).
async fn a_pool_nobody_matched_for_the_idle_time_is_released_and_built_again(plain: TestApp) {
    let backend = plain.backend();
    drop(plain);
    let log = talentgraph::config::StatementLog::default();
    let shared = log.clone();
    let app = TestApp::spawn_with(backend, move |s| {
        s.statement_log = Some(shared);
        s.matching_idle = Duration::from_secs(1);
    })
    .await
    .unwrap();
    let (role, _) = scenario(&app, &app.acme).await;
    let builds = |log: &talentgraph::config::StatementLog| {
        let statements = log.lock().unwrap();
        statements.iter().filter(|s| s.sql.contains("group_concat") || s.sql.contains("string_agg")).count()
    };
    let defaults = weights(3.0, 2.0, 1.0, 2.0);
    log.lock().unwrap().clear();
    ranking(&app, &app.acme, &role, &defaults).await;
    assert_eq!(builds(&log), 1, "the first match builds the pool");
    log.lock().unwrap().clear();
    ranking(&app, &app.acme, &role, &defaults).await;
    assert_eq!(builds(&log), 0, "the next one uses it");
    let warm = log.lock().unwrap().len();
    // New weights reach the warm pool by its catch-up (the events, then the weights row), not
    // by a rebuild.
    let body = set_weights(&app, &app.acme, json!({ "preferred": 2.5, "niceToHave": 0.5 })).await;
    assert_eq!(body["data"]["setMatchingWeights"]["userErrors"], json!([]), "{body}");
    log.lock().unwrap().clear();
    assert_ranking(
        &ranking(&app, &app.acme, &role, &weights(3.0, 2.5, 0.5, 2.0)).await,
        &[("Preferred", 550.0 / 7.0), ("Nice", 450.0 / 7.0)],
    );
    let sqls: Vec<String> = log.lock().unwrap().iter().map(|s| s.sql.clone()).collect();
    assert_eq!(builds(&log), 0, "no rebuild: {sqls:#?}");
    assert!(sqls.len() <= warm + 2, "{} statements after the change, {warm} warm: {sqls:#?}", sqls.len());
    set_weights(&app, &app.acme, json!({})).await;
    ranking(&app, &app.acme, &role, &defaults).await;
    // Idle for 1 s, swept within a second after that.
    tokio::time::sleep(Duration::from_millis(2_500)).await;
    log.lock().unwrap().clear();
    assert_ranking(&ranking(&app, &app.acme, &role, &defaults).await, &[("Nice", 75.0), ("Preferred", 62.5)]);
    assert_eq!(builds(&log), 1, "released, so built again");
}

/// Two servers on one PostgreSQL database: weights set through one rank the other's next answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_on_one_postgres_rank_with_new_weights_at_once() {
    let Some(app) = TestApp::spawn_if_available(Backend::Postgres).await else { return };
    let second_address = app.second_instance().await;
    let (role, _) = scenario(&app, &app.acme).await;
    let token = app.token(&app.acme, Recruiter).await;
    let on_second = || {
        let request = app
            .client
            .post(format!("{second_address}/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": RANK, "variables": { "role": role } }));
        async move { request.send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let names = |body: &Value| -> Vec<String> {
        body["data"]["matchCandidates"]["edges"]
            .as_array()
            .unwrap_or_else(|| panic!("{body}"))
            .iter()
            .map(|e| e["node"]["candidate"]["fullName"].as_str().unwrap().to_owned())
            .collect()
    };
    // Both pools are warm before the change.
    assert_eq!(names(&on_second().await), ["Nice", "Preferred"]);
    ranking(&app, &app.acme, &role, &weights(3.0, 2.0, 1.0, 2.0)).await;
    let body = set_weights(&app, &app.acme, json!({ "preferred": 2.5, "niceToHave": 0.5 })).await;
    assert_eq!(body["data"]["setMatchingWeights"]["userErrors"], json!([]), "{body}");
    let after = on_second().await;
    assert_eq!(names(&after), ["Preferred", "Nice"], "{after}");
    assert_eq!(after["data"]["matchCandidates"]["edges"][0]["node"]["weights"]["preferred"], 2.5);
}
