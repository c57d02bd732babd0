//! The audit trail over GraphQL: every change records who did what to which entity with its
//! facts, in the same transaction; ADMINs filter and page it.

use entity::RecruiterRole::{Admin, Recruiter};
use entity::{domain_events, organizations, recruiters, roles};
use sea_orm::{EntityTrait, TransactionTrait};
use serde_json::{Value, json};
use talentgraph::auth::{Tenant, Viewer};
use talentgraph::events;
use talentgraph::events::model::{CandidateArchived, DomainEvent};
use uuid::Uuid;

use crate::helpers::{Backend, TestDatabase, TestOrganization};

use crate::helpers::{TestApp, first_error_code};
use crate::on_both_backends;

on_both_backends!(
    records_every_change_with_its_facts,
    filters_and_pages_the_trail,
    numbers_each_organizations_events_on_its_own,
    numbers_are_taken_in_commit_order,
    refused_changes_record_nothing,
);

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
        Admin,
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
        ("candidate.erase", "Candidate", &fox, json!({}), &admin),
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

/// The organization's log as an outbox reader sees it, oldest first.
async fn log_of(app: &TestApp, organization: &TestOrganization) -> Vec<domain_events::Model> {
    let (tenant, _) = Tenant::for_operator(&app.db, &organization.slug).await.unwrap().unwrap();
    events::service::after(&app.db, tenant, 0, 1000).await.unwrap()
}

async fn counter_of(app: &TestApp, organization: &TestOrganization) -> i64 {
    organizations::Entity::find_by_id(organization.id).one(&app.db).await.unwrap().unwrap().event_sequence
}

async fn numbers_each_organizations_events_on_its_own(app: TestApp) {
    let create = "mutation ($name: String!) { createCandidate(input: { fullName: $name }) { candidate { id } userErrors { code } } }";
    for n in 0..3 {
        for organization in [&app.acme, &app.globex] {
            let name = format!("{} {n}", organization.slug);
            let body = app.graphql_as(organization, Recruiter, create, json!({ "name": name })).await;
            assert!(body["data"]["createCandidate"]["candidate"]["id"].is_string(), "{body}");
        }
    }
    // Concurrent changes in one organization take distinct numbers, without gaps.
    let results = futures_util::future::join_all((0..8).map(|n| {
        let app = &app;
        async move { app.graphql_as(&app.acme, Recruiter, create, json!({ "name": format!("parallel {n}") })).await }
    }))
    .await;
    assert!(results.iter().all(|body| body["data"]["createCandidate"]["candidate"]["id"].is_string()), "{results:?}");

    let acme = log_of(&app, &app.acme).await;
    let globex = log_of(&app, &app.globex).await;
    let sequences = |log: &[domain_events::Model]| log.iter().map(|row| row.sequence).collect::<Vec<_>>();
    assert_eq!(sequences(&acme), (1..=11).collect::<Vec<_>>(), "strictly increasing, from 1, without gaps");
    assert_eq!(sequences(&globex), [1, 2, 3], "another organization counts on its own");
    assert!(acme.iter().all(|row| row.organization_id == app.acme.id));
    assert!(
        acme.windows(2).all(|pair| pair[0].created_at <= pair[1].created_at),
        "numbers follow the order the changes were made in"
    );
    assert_eq!((counter_of(&app, &app.acme).await, counter_of(&app, &app.globex).await), (11, 3));
    // The trail lists the log newest first.
    let page = trail(&app, json!({ "first": 100 })).await;
    let shown: Vec<String> = page["nodes"].as_array().unwrap().iter().map(|node| raw(&node["id"])).collect();
    let newest_first: Vec<String> = acme.iter().rev().map(|row| row.id.to_string()).collect();
    assert_eq!(shown, newest_first);
}

/// A recording holds its organization's counter until its transaction ends, so a later
/// transaction's event cannot commit with a number below one committed after it: an outbox
/// reader that has seen `n` never finds a new event at or below `n`.
async fn numbers_are_taken_in_commit_order(app: TestApp) {
    let recruiter = recruiters::Entity::find_by_id(app.acme.recruiter).one(&app.db).await.unwrap().unwrap();
    let viewer = Viewer::signed_in_recruiter(&recruiter);
    let event = || DomainEvent::CandidateArchived(CandidateArchived { candidate: Uuid::now_v7() });
    let first = app.db.begin().await.unwrap();
    let one = events::service::record(&first, &viewer, event()).await.unwrap();
    let second = tokio::spawn({
        let (db, viewer, event) = (app.db.clone(), viewer.clone(), event());
        async move {
            let txn = db.begin().await.unwrap();
            let recorded = events::service::record(&txn, &viewer, event).await.unwrap();
            txn.commit().await.unwrap();
            recorded.sequence
        }
    });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(!second.is_finished(), "the second recording waits for the first transaction");
    first.commit().await.unwrap();
    assert_eq!((one.sequence, second.await.unwrap()), (1, 2));
    // Another organization does not wait.
    let globex = recruiters::Entity::find_by_id(app.globex.recruiter).one(&app.db).await.unwrap().unwrap();
    let holding = app.db.begin().await.unwrap();
    events::service::record(&holding, &viewer, event()).await.unwrap();
    let elsewhere = tokio::time::timeout(std::time::Duration::from_secs(5), {
        let db = app.db.clone();
        let viewer = Viewer::signed_in_recruiter(&globex);
        let event = event();
        async move { events::service::record(&db, &viewer, event).await.unwrap().sequence }
    });
    if app.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        assert_eq!(elsewhere.await.expect("no wait across organizations"), 1);
        holding.commit().await.unwrap();
    } else {
        // SQLite has one writer at a time, whatever the organization.
        holding.commit().await.unwrap();
        assert_eq!(elsewhere.await.unwrap(), 1);
    }
    assert_eq!(log_of(&app, &app.acme).await.len(), 3);
}

async fn refused_changes_record_nothing(app: TestApp) {
    let role = mutate(&app, Recruiter, "mutation { createRole(input: { title: \"Data Engineer\", requirements: [{ skill: \"kafka\" }] }) { role { id } userErrors { code } } }", json!({})).await["role"]["id"].clone();
    mutate(&app, Recruiter, "mutation { createCandidate(input: { fullName: \"Dana Scully\", email: \"dana@example.com\" }) { candidate { id } userErrors { code } } }", json!({})).await;
    assert_eq!(counter_of(&app, &app.acme).await, 2);

    // Refused at the version check, the transaction's first write.
    let stale = app.graphql("mutation ($id: ID!) { updateRole(input: { id: $id, expectedVersion: 7, title: \"Lost\" }) { userErrors { code } } }", json!({ "id": role })).await;
    assert_eq!(stale["data"]["updateRole"]["userErrors"][0]["code"], "CONFLICT", "{stale}");
    // Refused after the version was bumped, in the same transaction.
    let duplicate = app.graphql("mutation ($id: ID!) { addSkillRequirement(input: { roleId: $id, requirement: { skill: \"Apache Kafka\" } }) { userErrors { code } } }", json!({ "id": role })).await;
    assert_eq!(duplicate["data"]["addSkillRequirement"]["userErrors"][0]["code"], "BAD_USER_INPUT", "{duplicate}");
    // Refused by a unique violation on insert.
    let taken = app.graphql("mutation { createCandidate(input: { fullName: \"Other\", email: \"Dana@Example.com\" }) { userErrors { field } } }", json!({})).await;
    assert_eq!(taken["data"]["createCandidate"]["userErrors"][0]["field"], json!(["input", "email"]), "{taken}");

    let row = roles::Entity::find_by_id(Uuid::parse_str(&raw(&role)).unwrap()).one(&app.db).await.unwrap().unwrap();
    assert_eq!(row.version, 1, "the refused changes were rolled back");
    let log = log_of(&app, &app.acme).await;
    assert_eq!(log.iter().map(|row| row.name.as_str()).collect::<Vec<_>>(), ["role.create", "candidate.create"]);
    assert_eq!(counter_of(&app, &app.acme).await, 2, "refusals take no number");
    assert_eq!(trail(&app, json!({})).await["totalCount"], 2);

    // A recording is part of the caller's transaction: rolled back with it, it leaves nothing and
    // gives its number back.
    let recruiter = recruiters::Entity::find_by_id(app.acme.recruiter).one(&app.db).await.unwrap().unwrap();
    let viewer = Viewer::signed_in_recruiter(&recruiter);
    let txn = app.db.begin().await.unwrap();
    let archived = DomainEvent::CandidateArchived(CandidateArchived { candidate: Uuid::now_v7() });
    let recorded = events::service::record(&txn, &viewer, archived).await.unwrap();
    assert_eq!(recorded.sequence, 3);
    txn.rollback().await.unwrap();
    assert_eq!(log_of(&app, &app.acme).await.len(), 2);
    assert_eq!(counter_of(&app, &app.acme).await, 2);
    let archive = "mutation ($id: ID!) { archiveCandidate(id: $id) { candidate { id } userErrors { code } } }";
    let candidate = talentgraph::graphql::ids::encode("Candidate", log[1].entity_id).0;
    mutate(&app, Recruiter, archive, json!({ "id": candidate })).await;
    assert_eq!(log_of(&app, &app.acme).await.last().map(|row| row.sequence), Some(3));
}

/// Audit rows written before the event log move into it when its migration runs: same ids,
/// numbered per organization in the order the trail showed them, details as typed payloads;
/// rolling the migration back restores them.
async fn audit_rows_move_into_the_event_log(backend: Backend) {
    use migration::{Migrator, MigratorTrait};
    use sea_orm::ConnectionTrait;
    use sea_orm::sea_query::{Alias, Query};
    let Some(database) = TestDatabase::create(backend).await else { return };
    let db = talentgraph::database::connect(&database.url).await.unwrap();
    Migrator::up(&db, Some(6)).await.unwrap();
    let start = chrono::Utc::now() - chrono::Duration::hours(1);
    let at = |seconds: i64| start + chrono::Duration::seconds(seconds);
    let (old, other) = (Uuid::now_v7(), Uuid::now_v7());
    for (id, slug) in [(old, "old"), (other, "other")] {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("organizations"))
            .columns(["id", "name", "slug", "created_at", "updated_at"].map(Alias::new))
            .values_panic([id.into(), slug.into(), slug.into(), start.into(), start.into()]);
        db.execute(&insert).await.unwrap();
    }
    let (role, candidate, actor) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
    // (id, organization, action, entity type, entity, details, time): inserted out of time order.
    let rows = [
        (Uuid::now_v7(), old, "role.change_status", "Role", role, json!({ "from": "OPEN", "to": "CLOSED" }), at(20)),
        (Uuid::now_v7(), old, "role.create", "Role", role, json!({ "title": "Old role", "requirements": 1 }), at(0)),
        (Uuid::now_v7(), old, "candidate.create", "Candidate", candidate, json!({ "erased": true }), at(10)),
        (
            Uuid::now_v7(),
            other,
            "organization.set_rejection_reasons",
            "Organization",
            other,
            json!({ "codes": ["X"] }),
            at(5),
        ),
    ];
    for (id, organization, action, entity_type, entity_id, details, created_at) in &rows {
        let mut insert = Query::insert();
        insert
            .into_table(Alias::new("audit_events"))
            .columns(
                [
                    "id",
                    "organization_id",
                    "actor_recruiter_id",
                    "action",
                    "entity_type",
                    "entity_id",
                    "details",
                    "created_at",
                ]
                .map(Alias::new),
            )
            .values_panic([
                (*id).into(),
                (*organization).into(),
                actor.into(),
                (*action).into(),
                (*entity_type).into(),
                (*entity_id).into(),
                details.clone().into(),
                (*created_at).into(),
            ]);
        db.execute(&insert).await.unwrap();
    }
    Migrator::up(&db, None).await.unwrap();

    let (tenant, _) = Tenant::for_operator(&db, "old").await.unwrap().unwrap();
    let log = events::service::after(&db, tenant, 0, 100).await.unwrap();
    let ids: Vec<(i64, Uuid)> = log.iter().map(|row| (row.sequence, row.id)).collect();
    assert_eq!(ids, [(1, rows[1].0), (2, rows[2].0), (3, rows[0].0)], "numbered in time order, ids kept");
    assert_eq!(log[0].actor_recruiter_id, Some(actor));
    assert_eq!(log[0].created_at.timestamp_micros(), rows[1].6.timestamp_micros(), "PostgreSQL keeps microseconds");
    let created = events::service::event_of(&log[0]).unwrap().unwrap();
    assert_eq!(
        created,
        DomainEvent::RoleCreated(events::model::RoleCreated { role, title: "Old role".to_owned(), requirements: 1 })
    );
    assert_eq!(log[1].payload, None, "erased details stay erased");
    let changed = events::service::event_of(&log[2]).unwrap().unwrap();
    assert_eq!(changed.name(), "role.change_status");
    assert_eq!(
        events::model::details(log[2].payload.as_ref()),
        json!({ "role": role, "from": "OPEN", "to": "CLOSED" })
    );
    let (elsewhere, _) = Tenant::for_operator(&db, "other").await.unwrap().unwrap();
    let other_log = events::service::after(&db, elsewhere, 0, 100).await.unwrap();
    assert_eq!(other_log.iter().map(|row| row.sequence).collect::<Vec<_>>(), [1]);
    assert!(events::service::event_of(&other_log[0]).unwrap().is_some());

    // New events continue each organization's numbering.
    let email = talentgraph::accounts::model::Email::parse("admin@old.test", "email").unwrap();
    let name = talentgraph::accounts::model::DisplayName::parse("Old Admin", "name").unwrap();
    let admin = talentgraph::accounts::service::create_recruiter(&db, tenant, &email, &name, Admin, String::new())
        .await
        .unwrap();
    let viewer = Viewer::signed_in_recruiter(&admin);
    let archived = DomainEvent::CandidateArchived(CandidateArchived { candidate });
    assert_eq!(events::service::record(&db, &viewer, archived).await.unwrap().sequence, 4);

    // Down: the audit rows come back as they were (the new event with them). Back to the first
    // six migrations, undoing the event log and whatever came after it.
    let after_six = u32::try_from(<Migrator as MigratorTrait>::migrations().len() - 6).unwrap();
    Migrator::down(&db, Some(after_six)).await.unwrap();
    let restored = db
        .query_all(
            &Query::select()
                .columns(["id", "action", "details"].map(Alias::new))
                .from(Alias::new("audit_events"))
                .take(),
        )
        .await
        .unwrap();
    assert_eq!(restored.len(), rows.len() + 1);
    for (id, _, action, _, _, details, _) in &rows {
        let row = restored.iter().find(|row| row.try_get::<Uuid>("", "id").unwrap() == *id).unwrap();
        assert_eq!(row.try_get::<String>("", "action").unwrap(), *action);
        assert_eq!(&row.try_get::<Value>("", "details").unwrap(), details, "{action}");
    }
    Migrator::up(&db, None).await.unwrap();
    assert_eq!(events::service::after(&db, tenant, 0, 100).await.unwrap().len(), 4);
}

mod audit_rows_move_into_the_event_log {
    use crate::helpers::Backend;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::audit_rows_move_into_the_event_log(Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::audit_rows_move_into_the_event_log(Backend::Postgres).await;
    }
}
