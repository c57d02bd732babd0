//! Roles and their skill requirements over GraphQL.

use std::collections::HashSet;

use entity::RecruiterRole::{Admin, Recruiter, Viewer};
use entity::{roles, skill_requirements};
use sea_orm::sea_query::Expr;
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{TestApp, first_error_code, refusal_code, user_error};
use crate::on_both_backends;

on_both_backends!(
    creates_a_role_with_requirements_and_audits_it,
    refuses_bad_role_input_and_changes_nothing,
    updates_partially_and_refuses_stale_versions,
    exactly_one_concurrent_update_wins,
    edits_requirements,
    follows_the_role_lifecycle,
    lists_filters_orders_and_pages_roles,
    keeps_roles_inside_their_organization,
    reports_corrupt_stored_requirements_as_internal,
);

pub const CREATE: &str = "mutation ($input: CreateRoleInput!) {
  createRole(input: $input) {
    role { id title status version salary { min max currency } requirements { id importance minLevel alternativesGroup skill { slug name } } }
    userErrors { field code message }
  }
}";

pub fn tech_lead() -> Value {
    json!({
        "title": "Big Data Technical Lead",
        "description": "Spark batch and streaming, Kafka, Hive and Impala.",
        "workplace": "HYBRID", "seniority": "LEAD", "minYearsExperience": 10, "status": "OPEN",
        "salary": { "min": 95_000, "max": 130_000, "currency": "eur" },
        "requirements": [
            { "skill": "spark", "minLevel": 5 },
            { "skill": "Apache Kafka", "minLevel": 4 },
            { "skill": "scala", "alternativesGroup": "scala-or-python", "minLevel": 4 },
            { "skill": "Python", "alternativesGroup": "scala-or-python", "minLevel": 4 },
            { "skill": "java", "importance": "PREFERRED" },
        ]
    })
}

pub async fn create_role(app: &TestApp, input: Value) -> Value {
    let body = app.graphql(CREATE, json!({ "input": input })).await;
    assert!(body["errors"].is_null(), "{body}");
    body["data"]["createRole"].clone()
}

async fn creates_a_role_with_requirements_and_audits_it(app: TestApp) {
    let payload = create_role(&app, tech_lead()).await;
    assert_eq!(payload["userErrors"], json!([]));
    let role = &payload["role"];
    assert_eq!(role["title"], "Big Data Technical Lead");
    assert_eq!(role["status"], "OPEN");
    assert_eq!(role["version"], 1);
    assert_eq!(role["salary"], json!({ "min": 95_000, "max": 130_000, "currency": "EUR" }));
    let slugs: Vec<&str> =
        role["requirements"].as_array().unwrap().iter().map(|r| r["skill"]["slug"].as_str().unwrap()).collect();
    assert_eq!(slugs, ["apache-spark", "apache-kafka", "scala", "python", "java"]);
    assert_eq!(role["requirements"][2]["alternativesGroup"], "scala-or-python");
    assert_eq!(role["requirements"][4]["importance"], "PREFERRED");
    assert_eq!(role["requirements"][4]["minLevel"], 3, "default level");

    let fetched = app
        .graphql(
            "query ($id: ID!) { role(id: $id) { title requirements { skill { name } } } }",
            json!({ "id": role["id"] }),
        )
        .await;
    assert_eq!(fetched["data"]["role"]["requirements"][0]["skill"]["name"], "Apache Spark");

    let audit = app
        .graphql_as(&app.acme, Admin, "query ($id: ID!) { auditEvents(entityId: $id) { totalCount nodes { action entityType actor { ... on Recruiter { email } } } } }", json!({ "id": role["id"] }))
        .await;
    let events = &audit["data"]["auditEvents"];
    assert_eq!(events["totalCount"], 1, "{audit}");
    assert_eq!(events["nodes"][0]["action"], "role.create");
    assert_eq!(events["nodes"][0]["actor"]["email"], app.acme.email(Recruiter).as_str());
    let forbidden = app.graphql("{ auditEvents { totalCount } }", json!({})).await;
    assert_eq!(first_error_code(&forbidden), Some("FORBIDDEN"), "only admins read the audit trail");
}

async fn refuses_bad_role_input_and_changes_nothing(app: TestApp) {
    let cases: Vec<(Value, Vec<&str>, &str)> = vec![
        (
            json!({ "requirements": [{ "skill": "Apache Sprak" }] }),
            vec!["input", "requirements", "0", "skill"],
            "Apache Spark",
        ),
        (
            json!({ "requirements": [{ "skill": "kafka" }, { "skill": "Kafkaa" }] }),
            vec!["input", "requirements", "1", "skill"],
            "Kafka",
        ),
        (json!({ "salary": { "min": 100, "max": 90, "currency": "EUR" } }), vec!["input", "salary", "max"], "minimum"),
        (
            json!({ "salary": { "min": 1, "max": 90, "currency": "EURO" } }),
            vec!["input", "salary", "currency"],
            "ISO 4217",
        ),
        (json!({ "headcount": 0 }), vec!["input", "headcount"], "between"),
        (json!({ "title": "   " }), vec!["input", "title"], "empty"),
        (json!({ "title": "x".repeat(201) }), vec!["input", "title"], "200"),
        (json!({ "minYearsExperience": -1 }), vec!["input", "minYearsExperience"], "years"),
        (json!({ "status": "FILLED" }), vec!["input", "status"], "DRAFT or OPEN"),
        (
            json!({ "requirements": [{ "skill": "kafka", "minLevel": 6 }] }),
            vec!["input", "requirements", "0", "minLevel"],
            "level",
        ),
        (
            json!({ "requirements": [{ "skill": "kafka" }, { "skill": "Apache-Kafka" }] }),
            vec!["input", "requirements", "1", "skill"],
            "already",
        ),
        (json!({ "externalSource": "greenhouse" }), vec!["input", "externalId"], "source"),
    ];
    for (overrides, field, hint) in cases {
        let mut input = json!({ "title": "Data Engineer" });
        for (key, value) in overrides.as_object().unwrap() {
            input[key] = value.clone();
        }
        let body = app.graphql(CREATE, json!({ "input": input })).await;
        assert!(body["errors"].is_null(), "{body}");
        let errors = &body["data"]["createRole"]["userErrors"];
        assert_eq!(errors[0]["field"], json!(field), "{input}: {body}");
        assert_eq!(errors[0]["code"], "BAD_USER_INPUT");
        assert!(errors[0]["message"].as_str().unwrap().contains(hint), "{input}: {body}");
        assert_eq!(body["data"]["createRole"]["role"], Value::Null);
    }
    assert_eq!(roles::Entity::find().count(&app.db).await.unwrap(), 0);
    assert_eq!(skill_requirements::Entity::find().count(&app.db).await.unwrap(), 0);
    // Duplicate external ids are refused at the field.
    create_role(&app, json!({ "title": "A", "externalSource": "greenhouse", "externalId": "42" })).await;
    let duplicate = app
        .graphql(CREATE, json!({ "input": { "title": "B", "externalSource": "greenhouse", "externalId": "42" } }))
        .await;
    assert_eq!(
        duplicate["data"]["createRole"]["userErrors"][0]["field"],
        json!(["input", "externalId"]),
        "{duplicate}"
    );
    assert_eq!(duplicate["data"]["createRole"]["userErrors"][0]["code"], "BAD_USER_INPUT", "{duplicate}");
    assert_eq!(roles::Entity::find().count(&app.db).await.unwrap(), 1);
    // The key is per organization.
    let elsewhere = app
        .graphql_as(
            &app.globex,
            Admin,
            CREATE,
            json!({ "input": { "title": "C", "externalSource": "greenhouse", "externalId": "42" } }),
        )
        .await;
    assert_eq!(elsewhere["data"]["createRole"]["userErrors"], json!([]), "{elsewhere}");
}

const UPDATE: &str = "mutation ($input: UpdateRoleInput!) { updateRole(input: $input) { role { title department location version salary { min } } userErrors { field code message } } }";

async fn updates_partially_and_refuses_stale_versions(app: TestApp) {
    let role = create_role(&app, json!({ "title": "Data Engineer", "department": "Data", "location": "Berlin" })).await
        ["role"]
        .clone();
    let id = role["id"].clone();
    let updated = app
        .graphql(
            UPDATE,
            json!({ "input": { "id": id, "expectedVersion": 1, "title": "Senior Data Engineer", "location": null } }),
        )
        .await;
    let role = &updated["data"]["updateRole"]["role"];
    assert_eq!(role["title"], "Senior Data Engineer", "{updated}");
    assert_eq!(role["department"], "Data", "omitted fields stay");
    assert_eq!(role["location"], Value::Null, "null clears");
    assert_eq!(role["version"], 2);
    let stale =
        app.graphql(UPDATE, json!({ "input": { "id": id, "expectedVersion": 1, "title": "Lost update" } })).await;
    assert_eq!(stale["data"]["updateRole"]["userErrors"][0]["code"], "CONFLICT", "{stale}");
    let nothing = app.graphql(UPDATE, json!({ "input": { "id": id } })).await;
    assert_eq!(nothing["data"]["updateRole"]["userErrors"][0]["code"], "BAD_USER_INPUT");
    let bad = app
        .graphql(UPDATE, json!({ "input": { "id": id, "salary": { "min": 5, "max": 1, "currency": "EUR" } } }))
        .await;
    assert_eq!(bad["data"]["updateRole"]["userErrors"][0]["field"], json!(["input", "salary", "max"]));
    let current =
        app.graphql("query ($id: ID!) { role(id: $id) { title version salary { min } } }", json!({ "id": id })).await;
    assert_eq!(current["data"]["role"], json!({ "title": "Senior Data Engineer", "version": 2, "salary": null }));
    // A malformed id is a refusal of the argument; a well-formed one of nothing is NOT_FOUND.
    let malformed = app.graphql(UPDATE, json!({ "input": { "id": "Um9sZTowMTkz", "title": "x" } })).await;
    assert_eq!(user_error(&malformed, "updateRole")["code"], "BAD_USER_INPUT", "{malformed}");
    assert_eq!(user_error(&malformed, "updateRole")["field"], json!(["input", "id"]), "{malformed}");
    let nothing = talentgraph::graphql::ids::encode("Role", uuid::Uuid::now_v7()).0;
    let missing = app.graphql(UPDATE, json!({ "input": { "id": nothing, "title": "x" } })).await;
    assert_eq!(user_error(&missing, "updateRole")["code"], "NOT_FOUND", "{missing}");
    assert_eq!(user_error(&missing, "updateRole")["field"], json!(["input", "id"]), "{missing}");
    assert!(missing["errors"].is_null(), "{missing}");
}

async fn exactly_one_concurrent_update_wins(app: TestApp) {
    let role = create_role(&app, json!({ "title": "Contested" })).await["role"].clone();
    let attempts = (0..8).map(|n| {
        let app = &app;
        let id = role["id"].clone();
        async move {
            app.graphql(UPDATE, json!({ "input": { "id": id, "expectedVersion": 1, "title": format!("Writer {n}") } }))
                .await
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    let winners = results.iter().filter(|r| r["data"]["updateRole"]["role"].is_object()).count();
    let conflicts = results.iter().filter(|r| r["data"]["updateRole"]["userErrors"][0]["code"] == "CONFLICT").count();
    assert_eq!(winners, 1, "{results:?}");
    assert_eq!(conflicts, 7, "{results:?}");
    let current = app.graphql("query ($id: ID!) { role(id: $id) { version } }", json!({ "id": role["id"] })).await;
    assert_eq!(current["data"]["role"]["version"], 2);
}

async fn edits_requirements(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"].clone();
    let id = role["id"].clone();
    let set = "mutation ($input: SetRoleRequirementsInput!) { setRoleRequirements(input: $input) { role { version requirements { skill { slug } minLevel } } userErrors { field code message } } }";
    let replaced = app.graphql(set, json!({ "input": { "roleId": id, "requirements": [{ "skill": "rust", "minLevel": 4 }, { "skill": "postgres" }] } })).await;
    let requirements = &replaced["data"]["setRoleRequirements"]["role"]["requirements"];
    assert_eq!(requirements.as_array().unwrap().len(), 2, "{replaced}");
    assert_eq!(requirements[0]["skill"]["slug"], "rust");
    let refused = app.graphql(set, json!({ "input": { "roleId": id, "requirements": [{ "skill": "rust" }, { "skill": "Nonexistent Thing" }] } })).await;
    assert_eq!(
        refused["data"]["setRoleRequirements"]["userErrors"][0]["field"],
        json!(["input", "requirements", "1", "skill"])
    );
    assert_eq!(skill_requirements::Entity::find().count(&app.db).await.unwrap(), 2, "a refused set changes nothing");

    let add = "mutation ($input: AddSkillRequirementInput!) { addSkillRequirement(input: $input) { requirement { id skill { slug } } userErrors { field code } } }";
    let added = app
        .graphql(
            add,
            json!({ "input": { "roleId": id, "requirement": { "skill": "kafka", "importance": "NICE_TO_HAVE" } } }),
        )
        .await;
    let requirement_id = added["data"]["addSkillRequirement"]["requirement"]["id"].clone();
    assert_eq!(added["data"]["addSkillRequirement"]["requirement"]["skill"]["slug"], "apache-kafka", "{added}");
    let again =
        app.graphql(add, json!({ "input": { "roleId": id, "requirement": { "skill": "Apache Kafka" } } })).await;
    assert_eq!(again["data"]["addSkillRequirement"]["userErrors"][0]["code"], "BAD_USER_INPUT", "{again}");

    let update = "mutation ($input: UpdateSkillRequirementInput!) { updateSkillRequirement(input: $input) { requirement { minLevel minYears importance } userErrors { field } } }";
    let changed = app.graphql(update, json!({ "input": { "id": requirement_id, "minLevel": 2, "minYears": 3 } })).await;
    assert_eq!(
        changed["data"]["updateSkillRequirement"]["requirement"],
        json!({ "minLevel": 2, "minYears": 3, "importance": "NICE_TO_HAVE" }),
        "{changed}"
    );
    let bad = app.graphql(update, json!({ "input": { "id": requirement_id, "minLevel": 0 } })).await;
    assert_eq!(bad["data"]["updateSkillRequirement"]["userErrors"][0]["field"], json!(["input", "minLevel"]));

    let remove = "mutation ($id: ID!) { removeSkillRequirement(id: $id) { role { requirements { skill { slug } } } userErrors { field code } } }";
    let removed = app.graphql(remove, json!({ "id": requirement_id })).await;
    assert_eq!(
        removed["data"]["removeSkillRequirement"]["role"]["requirements"].as_array().unwrap().len(),
        2,
        "{removed}"
    );
    let gone = app.graphql(remove, json!({ "id": requirement_id })).await;
    assert_eq!(user_error(&gone, "removeSkillRequirement")["code"], "NOT_FOUND", "{gone}");
    assert_eq!(user_error(&gone, "removeSkillRequirement")["field"], json!(["id"]), "{gone}");
}

async fn follows_the_role_lifecycle(app: TestApp) {
    let role = create_role(&app, json!({ "title": "Lifecycle" })).await["role"].clone();
    let id = role["id"].clone();
    let change = "mutation ($id: ID!, $status: RoleStatus!) { changeRoleStatus(input: { id: $id, status: $status }) { role { status } userErrors { code message } } }";
    for (status, ok) in [
        ("FILLED", false),
        ("OPEN", true),
        ("ON_HOLD", true),
        ("OPEN", true),
        ("FILLED", true),
        ("OPEN", false),
        ("DRAFT", false),
    ] {
        let body = app.graphql(change, json!({ "id": id, "status": status })).await;
        let payload = &body["data"]["changeRoleStatus"];
        if ok {
            assert_eq!(payload["role"]["status"], status, "{body}");
        } else {
            assert_eq!(payload["userErrors"][0]["code"], "CONFLICT", "{status}: {body}");
        }
    }
    let delete = "mutation ($id: ID!) { deleteRole(id: $id) { deletedRoleId userErrors { code } } }";
    let refused = app.graphql(delete, json!({ "id": id })).await;
    assert_eq!(refused["data"]["deleteRole"]["userErrors"][0]["code"], "CONFLICT", "a filled role is not deleted");
    let draft = create_role(&app, json!({ "title": "Scratch" })).await["role"]["id"].clone();
    let deleted = app.graphql(delete, json!({ "id": draft })).await;
    assert_eq!(deleted["data"]["deleteRole"]["deletedRoleId"], draft, "{deleted}");
    assert_eq!(
        app.graphql("query ($id: ID!) { role(id: $id) { id } }", json!({ "id": draft })).await["data"]["role"],
        Value::Null
    );
    assert_eq!(roles::Entity::find().count(&app.db).await.unwrap(), 1);
}

const LIST: &str =
    "query ($first: Int, $after: String, $last: Int, $before: String, $filter: RoleFilterInput, $orderBy: RoleOrder) {
  roles(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount edges { cursor node { title status } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
  }
}";

fn titles(body: &Value) -> Vec<String> {
    body["data"]["roles"]["edges"]
        .as_array()
        .unwrap_or_else(|| panic!("{body}"))
        .iter()
        .map(|e| e["node"]["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn lists_filters_orders_and_pages_roles(app: TestApp) {
    create_role(&app, tech_lead()).await;
    create_role(&app, json!({ "title": "Frontend Engineer", "description": "React and TypeScript", "workplace": "REMOTE", "location": "Lisbon", "requirements": [{ "skill": "react" }] })).await;
    for n in 0..43 {
        create_role(
            &app,
            json!({ "title": format!("Backend Engineer {n:02}"), "requirements": [{ "skill": "rust" }] }),
        )
        .await;
    }
    let by_status = app.graphql(LIST, json!({ "filter": { "status": ["OPEN"] } })).await;
    assert_eq!(titles(&by_status), ["Big Data Technical Lead"]);
    let by_search = app.graphql(LIST, json!({ "filter": { "search": "TYPESCRIPT" } })).await;
    assert_eq!(titles(&by_search), ["Frontend Engineer"], "search is case-insensitive and covers the description");
    let by_skill = app.graphql(LIST, json!({ "filter": { "requiresSkills": ["Kafka", "spark"] } })).await;
    assert_eq!(titles(&by_skill), ["Big Data Technical Lead"]);
    let by_workplace = app.graphql(LIST, json!({ "filter": { "workplace": ["REMOTE"], "location": "lisb" } })).await;
    assert_eq!(titles(&by_workplace), ["Frontend Engineer"]);
    let unknown_skill = app.graphql(LIST, json!({ "filter": { "requiresSkills": ["Sparkk"] } })).await;
    assert_eq!(first_error_code(&unknown_skill), Some("BAD_USER_INPUT"));
    assert!(unknown_skill["errors"][0]["message"].as_str().unwrap().contains("Apache Spark"), "{unknown_skill}");
    let counted = app.graphql(LIST, json!({ "first": 1, "filter": { "requiresSkills": ["rust"] } })).await;
    assert_eq!(counted["data"]["roles"]["totalCount"], 43);

    // Newest first by default; forwards and backwards over 45 roles give the same list.
    let mut forward = Vec::new();
    let mut after = Value::Null;
    loop {
        let page = app.graphql(LIST, json!({ "first": 10, "after": after })).await;
        forward.extend(titles(&page));
        if page["data"]["roles"]["pageInfo"]["hasNextPage"] == false {
            break;
        }
        after = page["data"]["roles"]["pageInfo"]["endCursor"].clone();
    }
    assert_eq!(forward.len(), 45);
    assert_eq!(forward.iter().collect::<HashSet<_>>().len(), 45);
    assert_eq!(forward[0], "Backend Engineer 42");
    assert_eq!(forward[44], "Big Data Technical Lead");
    let mut backward = Vec::new();
    let mut before = Value::Null;
    loop {
        let page = app.graphql(LIST, json!({ "last": 7, "before": before })).await;
        let mut chunk = titles(&page);
        chunk.extend(backward);
        backward = chunk;
        if page["data"]["roles"]["pageInfo"]["hasPreviousPage"] == false {
            break;
        }
        before = page["data"]["roles"]["pageInfo"]["startCursor"].clone();
    }
    assert_eq!(backward, forward);

    let by_title = app.graphql(LIST, json!({ "first": 3, "orderBy": { "field": "TITLE", "direction": "ASC" } })).await;
    assert_eq!(titles(&by_title), ["Backend Engineer 00", "Backend Engineer 01", "Backend Engineer 02"]);
    let cursor = by_title["data"]["roles"]["pageInfo"]["endCursor"].clone();
    let mixed = app.graphql(LIST, json!({ "first": 3, "after": cursor })).await;
    assert_eq!(
        first_error_code(&mixed),
        Some("BAD_USER_INPUT"),
        "a TITLE cursor used with the default order is refused"
    );
    let too_many = app.graphql(LIST, json!({ "first": 101 })).await;
    assert_eq!(first_error_code(&too_many), Some("BAD_USER_INPUT"));

    // Paging while other requests insert roles: no duplicates, and every role that existed
    // before paging began is seen, in order.
    let before: Vec<String> = {
        let all =
            app.graphql(LIST, json!({ "first": 100, "orderBy": { "field": "CREATED_AT", "direction": "ASC" } })).await;
        titles(&all)
    };
    let inserting = async {
        for n in 0..12 {
            create_role(&app, json!({ "title": format!("Concurrent {n:02}") })).await;
        }
    };
    let paging = async {
        let mut seen = Vec::new();
        let mut after = Value::Null;
        loop {
            let page = app
                .graphql(
                    LIST,
                    json!({ "first": 7, "after": after, "orderBy": { "field": "CREATED_AT", "direction": "ASC" } }),
                )
                .await;
            seen.extend(titles(&page));
            if page["data"]["roles"]["pageInfo"]["hasNextPage"] == false {
                break seen;
            }
            after = page["data"]["roles"]["pageInfo"]["endCursor"].clone();
        }
    };
    let ((), seen) = futures_util::future::join(inserting, paging).await;
    assert_eq!(seen.iter().collect::<HashSet<_>>().len(), seen.len(), "duplicates while inserting: {seen:?}");
    assert_eq!(&seen[..before.len()], &before[..], "the roles that existed come first, all of them, in order");
    assert!(seen[before.len()..].iter().all(|t| t.starts_with("Concurrent")), "{seen:?}");

    // New roles inserted while paging do not cause duplicates or gaps in the pages already begun.
    let first_page =
        app.graphql(LIST, json!({ "first": 20, "orderBy": { "field": "CREATED_AT", "direction": "ASC" } })).await;
    create_role(&app, json!({ "title": "Inserted meanwhile" })).await;
    let rest = app.graphql(LIST, json!({ "first": 100, "after": first_page["data"]["roles"]["pageInfo"]["endCursor"], "orderBy": { "field": "CREATED_AT", "direction": "ASC" } })).await;
    let mut all = titles(&first_page);
    all.extend(titles(&rest));
    assert_eq!(all.len(), 58);
    assert_eq!(all.last().map(String::as_str), Some("Inserted meanwhile"));
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 58);
}

async fn keeps_roles_inside_their_organization(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"].clone();
    let id = role["id"].clone();
    let requirement = role["requirements"][0]["id"].clone();
    let as_globex = |query: &'static str, variables: Value| {
        let app = &app;
        async move { app.graphql_as(&app.globex, Admin, query, variables).await }
    };
    assert_eq!(as_globex("{ roles { totalCount } }", json!({})).await["data"]["roles"]["totalCount"], 0);
    assert_eq!(
        as_globex("query ($id: ID!) { role(id: $id) { id } }", json!({ "id": id })).await["data"]["role"],
        Value::Null
    );
    let attempts: Vec<(&str, Value)> = vec![
        (UPDATE, json!({ "input": { "id": id, "title": "Hijacked" } })),
        (
            "mutation ($id: ID!) { changeRoleStatus(input: { id: $id, status: CLOSED }) { role { id } userErrors { code } } }",
            json!({ "id": id }),
        ),
        ("mutation ($id: ID!) { deleteRole(id: $id) { deletedRoleId userErrors { code } } }", json!({ "id": id })),
        (
            "mutation ($id: ID!) { setRoleRequirements(input: { roleId: $id, requirements: [] }) { role { id } userErrors { code } } }",
            json!({ "id": id }),
        ),
        (
            "mutation ($id: ID!) { addSkillRequirement(input: { roleId: $id, requirement: { skill: \"rust\" } }) { requirement { id } userErrors { code } } }",
            json!({ "id": id }),
        ),
        (
            "mutation ($id: ID!) { updateSkillRequirement(input: { id: $id, minLevel: 1 }) { requirement { id } userErrors { code } } }",
            json!({ "id": requirement }),
        ),
        (
            "mutation ($id: ID!) { removeSkillRequirement(id: $id) { role { id } userErrors { code } } }",
            json!({ "id": requirement }),
        ),
    ];
    for (mutation, variables) in attempts {
        let body = as_globex(mutation, variables).await;
        assert_eq!(refusal_code(&body), Some("NOT_FOUND"), "{mutation}: {body}");
        assert!(body["errors"].is_null(), "refused in the payload: {body}");
    }
    let after = app
        .graphql(
            "query ($id: ID!) { role(id: $id) { title status version requirements { minLevel } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(after["data"]["role"]["title"], "Big Data Technical Lead");
    assert_eq!(after["data"]["role"]["status"], "OPEN");
    assert_eq!(after["data"]["role"]["version"], 1);
    assert_eq!(after["data"]["role"]["requirements"].as_array().unwrap().len(), 5);
    let viewer = app.graphql_as(&app.acme, Viewer, CREATE, json!({ "input": { "title": "x" } })).await;
    assert_eq!(first_error_code(&viewer), Some("FORBIDDEN"));
    let viewer_reads = app.graphql_as(&app.acme, Viewer, "{ roles { totalCount } }", json!({})).await;
    assert_eq!(viewer_reads["data"]["roles"]["totalCount"], 1);
}

async fn reports_corrupt_stored_requirements_as_internal(app: TestApp) {
    let role = create_role(&app, tech_lead()).await["role"].clone();
    let requirement = role["requirements"][0]["id"].clone();
    // A value the database accepts but the domain does not (at most 60 years).
    skill_requirements::Entity::update_many()
        .col_expr(skill_requirements::Column::MinYears, Expr::value(99))
        .exec(&app.db)
        .await
        .unwrap();
    let update = "mutation ($input: UpdateSkillRequirementInput!) { updateSkillRequirement(input: $input) { requirement { minYears } userErrors { field } } }";
    let changed = app.graphql(update, json!({ "input": { "id": requirement, "importance": "PREFERRED" } })).await;
    assert_eq!(first_error_code(&changed), Some("INTERNAL"), "{changed}");
    let add = "mutation ($input: AddSkillRequirementInput!) { addSkillRequirement(input: $input) { requirement { id } userErrors { field } } }";
    let added =
        app.graphql(add, json!({ "input": { "roleId": role["id"], "requirement": { "skill": "rust" } } })).await;
    assert_eq!(first_error_code(&added), Some("INTERNAL"), "{added}");
    let stored = skill_requirements::Entity::find().all(&app.db).await.unwrap();
    assert!(stored.iter().all(|r| r.min_years == Some(99)), "nothing was silently cleared: {stored:?}");
    assert_eq!(stored.len(), role["requirements"].as_array().unwrap().len(), "nothing was added");
}
