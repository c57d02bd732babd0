//! The audit trail over GraphQL: every change records who did what to which entity with its
//! facts, in the same transaction; ADMINs filter and page it.

use entity::RecruiterRole::{Admin, Recruiter};
use serde_json::{Value, json};
use talentgraph::auth::Tenant;
use talentgraph::events;

use crate::helpers::{TestApp, first_error_code};
use crate::on_both_backends;

on_both_backends!(records_every_change_with_its_facts, filters_and_pages_the_trail);

const TRAIL: &str = "query ($first: Int, $after: String, $last: Int, $before: String, $entityId: ID, $actorId: ID, $action: String, $since: DateTime) {
  auditEvents(first: $first, after: $after, last: $last, before: $before, entityId: $entityId, actorId: $actorId, action: $action, since: $since) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor }
    nodes { id action entityType entityId details createdAt actor { __typename ... on Recruiter { email } ... on ApiClient { name } } }
  }
}";

/// The trail as an ADMIN of Acme reads it with these arguments.
pub async fn trail(app: &TestApp, arguments: Value) -> Value {
    let body = app.graphql_as(&app.acme, Admin, TRAIL, arguments).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["auditEvents"].clone()
}

/// The row id inside a global id.
fn raw(id: &Value) -> String {
    let id = async_graphql::ID(id.as_str().expect("a global id").to_owned());
    talentgraph::graphql::ids::decode_any(&id).expect("a well-formed id").1.to_string()
}

/// Runs a mutation and returns its payload, failing on errors and user errors.
async fn mutate(app: &TestApp, role: entity::RecruiterRole, query: &str, variables: Value) -> Value {
    let body = app.graphql_as(&app.acme, role, query, variables).await;
    assert!(body["errors"].is_null(), "{body}");
    let payload = body["data"].as_object().and_then(|data| data.values().next()).cloned().unwrap_or_default();
    assert!(payload["userErrors"].as_array().is_none_or(Vec::is_empty), "{body}");
    payload
}

/// The details of an event: its facts, with the entity named under the action's first segment
/// (`role.create` → `"role"`), unless an erasure cleared them.
fn with_entity(action: &str, entity_id: &Value, facts: &Value) -> Value {
    let mut details = facts.clone();
    if details != json!({ "erased": true }) {
        let (entity, _) = action.split_once('.').unwrap();
        details.as_object_mut().unwrap().insert(entity.to_owned(), json!(raw(entity_id)));
    }
    details
}

async fn records_every_change_with_its_facts(app: TestApp) {
    // Accounts (ADMIN).
    let client = mutate(&app, Admin, "mutation { createApiClient(input: { name: \"ATS\", scopes: [ROLES_WRITE, CANDIDATES_WRITE] }) { apiClient { id clientId } clientSecret userErrors { code } } }", json!({})).await;
    let client_id = client["apiClient"]["id"].clone();
    let token = app
        .anonymous(
            "mutation ($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { accessToken } }",
            json!({ "id": client["apiClient"]["clientId"], "secret": client["clientSecret"] }),
        )
        .await["data"]["issueClientToken"]["accessToken"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_client = app
        .graphql_with(
            Some(&token),
            "mutation { createCandidate(input: { fullName: \"Synced Person\" }) { candidate { id } userErrors { code } } }",
            json!({}),
        )
        .await;
    let synced = by_client["data"]["createCandidate"]["candidate"]["id"].clone();
    assert!(synced.is_string(), "{by_client}");
    mutate(
        &app,
        Admin,
        "mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } } }",
        json!({ "id": client_id }),
    )
    .await;
    let invited = mutate(&app, Admin, "mutation { inviteRecruiter(input: { email: \"new@acme.test\", displayName: \"New Person\", role: VIEWER }) { recruiter { id } userErrors { code } } }", json!({})).await["recruiter"]["id"].clone();
    mutate(
        &app,
        Admin,
        "mutation ($id: ID!) { deactivateRecruiter(id: $id) { recruiter { id } userErrors { code } } }",
        json!({ "id": invited }),
    )
    .await;
    mutate(&app, Admin, "mutation { setRejectionReasons(reasons: [{ code: \"NO_VISA\", label: \"Needs a visa\" }, { code: \"TOO_JUNIOR\", label: \"Too junior\" }]) { userErrors { code } } }", json!({})).await;

    // Skills.
    let skill = mutate(
        &app,
        Recruiter,
        "mutation { createSkill(input: { name: \"Acme Flow\", category: TOOL }) { skill { id } userErrors { code } } }",
        json!({}),
    )
    .await["skill"]["id"]
        .clone();
    mutate(
        &app,
        Recruiter,
        "mutation { addSkillAlias(input: { skill: \"Acme Flow\", alias: \"AF pipelines\" }) { skill { id } userErrors { code } } }",
        json!({}),
    )
    .await;

    // Roles and requirements.
    let role = mutate(&app, Recruiter, "mutation { createRole(input: { title: \"Data Engineer\", status: OPEN, requirements: [{ skill: \"rust\" }, { skill: \"postgres\" }] }) { role { id } userErrors { code } } }", json!({})).await["role"]["id"].clone();
    mutate(&app, Recruiter, "mutation ($id: ID!) { updateRole(input: { id: $id, expectedVersion: 1, title: \"Senior Data Engineer\", location: null }) { role { id } userErrors { code } } }", json!({ "id": role })).await;
    mutate(&app, Recruiter, "mutation ($id: ID!) { setRoleRequirements(input: { roleId: $id, requirements: [{ skill: \"rust\" }] }) { role { id } userErrors { code } } }", json!({ "id": role })).await;
    let requirement = mutate(&app, Recruiter, "mutation ($id: ID!) { addSkillRequirement(input: { roleId: $id, requirement: { skill: \"kafka\" } }) { requirement { id } userErrors { code } } }", json!({ "id": role })).await["requirement"]["id"].clone();
    mutate(&app, Recruiter, "mutation ($id: ID!) { updateSkillRequirement(input: { id: $id, minLevel: 2 }) { requirement { id } userErrors { code } } }", json!({ "id": requirement })).await;
    mutate(
        &app,
        Recruiter,
        "mutation ($id: ID!) { removeSkillRequirement(id: $id) { role { id } userErrors { code } } }",
        json!({ "id": requirement }),
    )
    .await;
    let scratch = mutate(
        &app,
        Recruiter,
        "mutation { createRole(input: { title: \"Scratch\" }) { role { id } userErrors { code } } }",
        json!({}),
    )
    .await["role"]["id"]
        .clone();
    mutate(
        &app,
        Recruiter,
        "mutation ($id: ID!) { deleteRole(id: $id) { deletedRoleId userErrors { code } } }",
        json!({ "id": scratch }),
    )
    .await;

    // Candidates and pipelines.
    let dana = mutate(&app, Recruiter, "mutation { createCandidate(input: { fullName: \"Dana Scully\", skills: [{ skill: \"spark\", level: 5 }, { skill: \"kafka\", level: 4 }] }) { candidate { id } userErrors { code } } }", json!({})).await["candidate"]["id"].clone();
    mutate(&app, Recruiter, "mutation ($id: ID!) { updateCandidate(input: { id: $id, expectedVersion: 1, fullName: \"Dana K. Scully\", tags: [\"remote\"] }) { candidate { id } userErrors { code } } }", json!({ "id": dana })).await;
    mutate(&app, Recruiter, "mutation ($id: ID!) { setCandidateSkills(input: { candidateId: $id, skills: [{ skill: \"rust\", level: 3 }] }) { candidate { id } userErrors { code } } }", json!({ "id": dana })).await;
    let fox = mutate(
        &app,
        Recruiter,
        "mutation { createCandidate(input: { fullName: \"Fox Mulder\" }) { candidate { id } userErrors { code } } }",
        json!({}),
    )
    .await["candidate"]["id"]
        .clone();
    let application = mutate(&app, Recruiter, "mutation ($c: ID!, $r: ID!) { addCandidateToRole(input: { candidateId: $c, roleId: $r }) { application { id } userErrors { code } } }", json!({ "c": fox, "r": role })).await["application"]["id"].clone();
    mutate(&app, Recruiter, "mutation ($id: ID!) { moveApplication(input: { id: $id, stage: SCREENING }) { application { id } userErrors { code } } }", json!({ "id": application })).await;
    mutate(&app, Recruiter, "mutation ($id: ID!) { rejectApplication(input: { id: $id, reason: \"TOO_JUNIOR\" }) { application { id } userErrors { code } } }", json!({ "id": application })).await;
    mutate(&app, Recruiter, "mutation ($id: ID!) { changeRoleStatus(input: { id: $id, status: ON_HOLD }) { role { id } userErrors { code } } }", json!({ "id": role })).await;
    mutate(
        &app,
        Recruiter,
        "mutation ($id: ID!) { archiveCandidate(id: $id) { candidate { id } userErrors { code } } }",
        json!({ "id": dana }),
    )
    .await;
    mutate(
        &app,
        Recruiter,
        "mutation ($id: ID!) { eraseCandidate(id: $id) { erasedCandidateId userErrors { code } } }",
        json!({ "id": fox }),
    )
    .await;

    let organization = talentgraph::graphql::ids::encode("Organization", app.acme.id).0;
    let organization = json!(organization);
    let admin = json!({ "__typename": "Recruiter", "email": app.acme.email(Admin) });
    let recruiter = json!({ "__typename": "Recruiter", "email": app.acme.email(Recruiter) });
    let integration = json!({ "__typename": "ApiClient", "name": "ATS" });
    #[rustfmt::skip]
    let expected = [
        ("api_client.create", "ApiClient", &client_id, json!({ "scopes": ["candidates:write", "roles:write"] }), &admin),
        ("candidate.create", "Candidate", &synced, json!({ "skills": 0 }), &integration),
        ("api_client.revoke", "ApiClient", &client_id, json!({}), &admin),
        ("recruiter.invite", "Recruiter", &invited, json!({ "role": "VIEWER" }), &admin),
        ("recruiter.deactivate", "Recruiter", &invited, json!({}), &admin),
        ("organization.set_rejection_reasons", "Organization", &organization, json!({ "codes": ["NO_VISA", "TOO_JUNIOR"] }), &admin),
        ("skill.create", "Skill", &skill, json!({ "name": "Acme Flow" }), &recruiter),
        ("skill.add_alias", "Skill", &skill, json!({ "alias": "AF pipelines" }), &recruiter),
        ("role.create", "Role", &role, json!({ "title": "Data Engineer", "requirements": 2 }), &recruiter),
        ("role.update", "Role", &role, json!({ "fields": ["title", "location"], "version": 2 }), &recruiter),
        ("role.set_requirements", "Role", &role, json!({ "requirements": 1 }), &recruiter),
        ("role.add_requirement", "Role", &role, json!({ "requirement": raw(&requirement) }), &recruiter),
        ("role.update_requirement", "Role", &role, json!({ "requirement": raw(&requirement) }), &recruiter),
        ("role.remove_requirement", "Role", &role, json!({ "requirement": raw(&requirement) }), &recruiter),
        ("role.create", "Role", &scratch, json!({ "title": "Scratch", "requirements": 0 }), &recruiter),
        ("role.delete", "Role", &scratch, json!({ "title": "Scratch" }), &recruiter),
        ("candidate.create", "Candidate", &dana, json!({ "skills": 2 }), &recruiter),
        ("candidate.update", "Candidate", &dana, json!({ "fields": ["fullName", "tags"], "version": 2 }), &recruiter),
        ("candidate.set_skills", "Candidate", &dana, json!({ "skills": 1 }), &recruiter),
        // An erasure clears the facts recorded earlier about the person.
        ("candidate.create", "Candidate", &fox, json!({ "erased": true }), &recruiter),
        ("application.create", "Application", &application, json!({ "role": raw(&role), "candidate": raw(&fox) }), &recruiter),
        ("application.move", "Application", &application, json!({ "from": "SOURCED", "to": "SCREENING", "reason": null }), &recruiter),
        ("application.move", "Application", &application, json!({ "from": "SCREENING", "to": "REJECTED", "reason": "TOO_JUNIOR" }), &recruiter),
        ("role.change_status", "Role", &role, json!({ "from": "OPEN", "to": "ON_HOLD" }), &recruiter),
        ("candidate.archive", "Candidate", &dana, json!({}), &recruiter),
        ("candidate.erase", "Candidate", &fox, json!({}), &recruiter),
    ];
    let page = trail(&app, json!({ "first": 100 })).await;
    assert_eq!(page["totalCount"], expected.len(), "{page}");
    let nodes: Vec<&Value> = page["nodes"].as_array().unwrap().iter().rev().collect();
    for (node, (action, entity_type, entity_id, details, actor)) in nodes.iter().zip(&expected) {
        let context = format!("{action} {details}: {node}");
        assert_eq!(node["action"], *action, "{context}");
        assert_eq!(node["entityType"], *entity_type, "{context}");
        assert_eq!(&node["entityId"], *entity_id, "{context}");
        assert_eq!(node["details"], with_entity(action, entity_id, details), "{context}");
        assert_eq!(&node["actor"], *actor, "{context}");
    }
    let text = page.to_string();
    assert!(!text.contains("Fox") && !text.contains("Mulder"), "no personal data of the erased person: {text}");

    // The same events, typed, in the organization's log: numbered 1, 2, 3, … in order.
    let (tenant, _) = Tenant::for_operator(&app.db, &app.acme.slug).await.unwrap().unwrap();
    let log = events::service::after(&app.db, tenant, 0, 1000).await.unwrap();
    let sequences: Vec<i64> = log.iter().map(|row| row.sequence).collect();
    assert_eq!(sequences, (1..=expected.len() as i64).collect::<Vec<_>>());
    for ((row, node), (action, _, entity_id, details, _)) in log.iter().zip(&nodes).zip(&expected) {
        assert_eq!(raw(&node["id"]), row.id.to_string(), "the trail shows the log in order");
        match events::service::event_of(row).unwrap() {
            Some(event) => {
                assert_eq!(event.name(), *action);
                assert_eq!(event.entity().kind.graphql_type(), row.entity_type);
                assert_eq!(event.entity().id.to_string(), raw(entity_id));
            }
            None => assert_eq!(details, &json!({ "erased": true }), "only erased payloads are gone"),
        }
    }
    let later = events::service::after(&app.db, tenant, 20, 1000).await.unwrap();
    assert_eq!(later.iter().map(|row| row.sequence).collect::<Vec<_>>(), sequences[20..]);

    // Each event is a node.
    let first = nodes[0];
    let node = app
        .graphql_as(
            &app.acme,
            Admin,
            "query ($id: ID!) { node(id: $id) { ... on AuditEvent { action entityId details } } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(
        node["data"]["node"],
        json!({ "action": first["action"], "entityId": first["entityId"], "details": first["details"] }),
        "{node}"
    );
    let foreign = app
        .graphql_as(
            &app.globex,
            Admin,
            "query ($id: ID!) { node(id: $id) { id } auditEvents { totalCount } }",
            json!({ "id": first["id"] }),
        )
        .await;
    assert_eq!(foreign["data"], json!({ "node": null, "auditEvents": { "totalCount": 0 } }), "{foreign}");
    let forbidden = app.graphql("query ($id: ID!) { node(id: $id) { id } }", json!({ "id": first["id"] })).await;
    assert_eq!(forbidden["data"]["node"], Value::Null, "only admins read the trail: {forbidden}");
}

async fn filters_and_pages_the_trail(app: TestApp) {
    let create =
        "mutation ($title: String!) { createRole(input: { title: $title }) { role { id } userErrors { code } } }";
    let first = mutate(&app, Recruiter, create, json!({ "title": "First" })).await["role"]["id"].clone();
    mutate(&app, Admin, create, json!({ "title": "Second" })).await;
    let between = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    mutate(&app, Recruiter, create, json!({ "title": "Third" })).await;
    mutate(
        &app,
        Recruiter,
        "mutation ($id: ID!) { updateRole(input: { id: $id, title: \"First, renamed\" }) { role { id } userErrors { code } } }",
        json!({ "id": first }),
    )
    .await;
    mutate(&app, Admin, "mutation { createApiClient(input: { name: \"ATS\", scopes: [ROLES_READ] }) { apiClient { id } userErrors { code } } }", json!({})).await;

    let actions = |page: &Value| -> Vec<String> {
        page["nodes"].as_array().unwrap().iter().map(|n| n["action"].as_str().unwrap().to_owned()).collect()
    };
    let titles = |page: &Value| -> Vec<Value> {
        page["nodes"].as_array().unwrap().iter().map(|n| n["details"]["title"].clone()).collect()
    };
    let all = trail(&app, json!({})).await;
    assert_eq!(actions(&all), ["api_client.create", "role.update", "role.create", "role.create", "role.create"]);
    assert_eq!(titles(&all)[2..], [json!("Third"), json!("Second"), json!("First")], "newest first");

    // Filters.
    assert_eq!(actions(&trail(&app, json!({ "action": "role." })).await).len(), 4);
    assert_eq!(actions(&trail(&app, json!({ "action": "role.update" })).await), ["role.update"]);
    assert_eq!(actions(&trail(&app, json!({ "action": "api_client" })).await), ["api_client.create"]);
    assert_eq!(trail(&app, json!({ "action": "api%" })).await["totalCount"], 0, "LIKE wildcards are literal");
    assert_eq!(trail(&app, json!({ "action": "role_" })).await["totalCount"], 0, "LIKE wildcards are literal");
    let of_first = trail(&app, json!({ "entityId": first })).await;
    assert_eq!(actions(&of_first), ["role.update", "role.create"], "{of_first}");
    let admin = talentgraph::graphql::ids::encode("Recruiter", app.acme.admin).0;
    assert_eq!(actions(&trail(&app, json!({ "actorId": admin })).await), ["api_client.create", "role.create"]);
    let since = trail(&app, json!({ "since": between })).await;
    assert_eq!(actions(&since), ["api_client.create", "role.update", "role.create"], "{since}");
    let combined = trail(&app, json!({ "since": between, "action": "role.create" })).await;
    assert_eq!(titles(&combined), [json!("Third")]);
    let bad = app.graphql_as(&app.acme, Admin, TRAIL, json!({ "entityId": "not an id" })).await;
    assert_eq!(first_error_code(&bad), Some("BAD_USER_INPUT"), "{bad}");

    // Pages: forwards and backwards, without gaps or overlaps.
    let page1 = trail(&app, json!({ "first": 2 })).await;
    assert_eq!(page1["totalCount"], 5);
    assert_eq!(page1["pageInfo"]["hasNextPage"], true);
    let page2 = trail(&app, json!({ "first": 2, "after": page1["pageInfo"]["endCursor"] })).await;
    let page3 = trail(&app, json!({ "first": 2, "after": page2["pageInfo"]["endCursor"] })).await;
    assert_eq!(page3["pageInfo"]["hasNextPage"], false);
    let walked: Vec<Value> = [&page1, &page2, &page3]
        .iter()
        .flat_map(|page| page["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()))
        .collect();
    let ids: Vec<Value> = all["nodes"].as_array().unwrap().iter().map(|n| n["id"].clone()).collect();
    assert_eq!(walked, ids);
    let back = trail(&app, json!({ "last": 2, "before": page3["edges"][0]["cursor"] })).await;
    assert_eq!(back["nodes"], page2["nodes"], "{back}");
    assert_eq!(back["pageInfo"]["hasPreviousPage"], true);
}
