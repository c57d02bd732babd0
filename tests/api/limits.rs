//! Request limits (README, "Request limits"): every refusal comes before execution, as a request
//! error (no `data`) with its code and the measured figure against the limit, and changes
//! nothing; answered operations report their cost in `extensions.cost`.

use std::fmt::Write;
use std::time::Duration;

use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use talentgraph::config::{Limits, StatementLog};
use talentgraph::graphql::cost::CostModel;
use talentgraph::graphql::schema;

use crate::helpers::{Backend, PASSWORD, TestApp, first_error_code};
use crate::on_both_backends;

on_both_backends!(
    aliased_nested_lists_are_refused,
    aliased_node_lists_are_refused,
    two_sign_ins_in_one_request_are_refused,
    a_nested_page_is_answered_with_its_cost,
    refused_mutations_change_nothing,
);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn suggestions_read_the_spellings_once_per_request() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        if let Some((app, log)) = logged(backend, |_| {}).await {
            spellings_once(app, log).await;
        }
    }
}

/// The standard introspection query, as graphql-js 16.11 `getIntrospectionQuery()` writes it.
const INTROSPECTION: &str = "query IntrospectionQuery { __schema { queryType { name kind } mutationType { name kind } subscriptionType { name kind } types { ...FullType } directives { name description locations args { ...InputValue } } } } fragment FullType on __Type { kind name description fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue } fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }";

/// The same with every option of `getIntrospectionQuery` on (descriptions, specifiedByUrl,
/// directiveIsRepeatable, schemaDescription, inputValueDeprecation, oneOf).
const INTROSPECTION_FULL: &str = "query IntrospectionQuery { __schema { description queryType { name kind } mutationType { name kind } subscriptionType { name kind } types { ...FullType } directives { name description isRepeatable locations args(includeDeprecated: true) { ...InputValue } } } } fragment FullType on __Type { kind name description specifiedByURL isOneOf fields(includeDeprecated: true) { name description args(includeDeprecated: true) { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason } inputFields(includeDeprecated: true) { ...InputValue } interfaces { ...TypeRef } enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason } possibleTypes { ...TypeRef } } fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue isDeprecated deprecationReason } fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } } } }";

/// The refusal in `body`: no `data`, one error with `code`; returns its extensions.
fn refusal<'a>(body: &'a Value, code: &str) -> &'a Value {
    assert!(body.get("data").is_none(), "{body}");
    assert_eq!(body["errors"].as_array().map(Vec::len), Some(1), "{body}");
    assert_eq!(first_error_code(body), Some(code), "{body}");
    &body["errors"][0]["extensions"]
}

/// `query { ...F0 } fragment F0 on Query { ...F1 ...F1 } … fragment F{levels} on Query { leaf }`.
fn fan_out(levels: usize, leaf: &str) -> String {
    let mut query = "query { ...F0 }".to_owned();
    for level in 0..levels {
        write!(query, " fragment F{level} on Query {{ ...F{n} ...F{n} }}", n = level + 1).unwrap();
    }
    write!(query, " fragment F{levels} on Query {{ {leaf} }}").unwrap();
    query
}

/// `count` copies of `field`, aliased `a0`, `a1`, …
fn aliased(count: usize, field: &str) -> String {
    (0..count).map(|i| format!("a{i}: {field}")).collect::<Vec<_>>().join(" ")
}

/// A server on `backend` whose SQL statements are logged, or `None` without PostgreSQL.
async fn logged(
    backend: Backend,
    configure: impl FnOnce(&mut talentgraph::config::Settings),
) -> Option<(TestApp, StatementLog)> {
    let log = StatementLog::default();
    let shared = log.clone();
    let app = TestApp::spawn_with(backend, move |s| {
        s.statement_log = Some(shared);
        configure(s);
    })
    .await?;
    Some((app, log))
}

fn statements(log: &StatementLog) -> usize {
    log.lock().unwrap().len()
}

async fn row_counts(app: &TestApp) -> [u64; 4] {
    [
        entity::login_failures::Entity::find().count(&app.db).await.unwrap(),
        entity::refresh_tokens::Entity::find().count(&app.db).await.unwrap(),
        entity::candidates::Entity::find().count(&app.db).await.unwrap(),
        entity::domain_events::Entity::find().count(&app.db).await.unwrap(),
    ]
}

mod fragment_fan_out_is_refused_before_execution {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::fragment_fan_out(crate::helpers::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::fragment_fan_out(crate::helpers::Backend::Postgres).await;
    }
}

/// The 864-byte bomb of the issue (22 levels, anonymous) and its `serverVersion` variant, which
/// answered 2.3 MB of errors: refused with the expanded field count, without a statement run.
async fn fragment_fan_out(backend: Backend) {
    let Some((app, log)) = logged(backend, |_| {}).await else { return };
    for leaf in ["__typename", "serverVersion"] {
        let query = fan_out(21, leaf);
        assert!(query.len() < 900, "{}", query.len());
        let before = statements(&log);
        let (status, body) = app.post_json(&json!({ "query": query })).await;
        assert_eq!(status, 200);
        let extensions = refusal(&body, "QUERY_TOO_COMPLEX");
        assert_eq!(extensions["limit"], 2_000, "{body}");
        assert_eq!(extensions["atLeast"], true, "{body}");
        let fields = extensions["fields"].as_u64().unwrap();
        assert!(fields > 2_000 && fields <= 4_096, "{body}");
        assert!(body["errors"][0]["message"].as_str().unwrap().contains("at least"), "{body}");
        assert!(body.to_string().len() < 1_000, "{body}");
        assert_eq!(statements(&log), before, "nothing ran");
    }
    // With the answer type of the spec, a refusal is HTTP 400.
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": fan_out(21, "__typename") }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    // Deeper chains are refused for their nesting, and unused fragments count too.
    let deep = app.anonymous(&fan_out(40, "__typename"), json!({})).await;
    assert_eq!(refusal(&deep, "QUERY_TOO_COMPLEX")["limit"], 32, "{deep}");
    let unused = format!("{{ __typename }} {}", fan_out(21, "__typename").trim_start_matches("query { ...F0 }"));
    assert!(refusal(&app.anonymous(&unused, json!({})).await, "QUERY_TOO_COMPLEX")["fields"].as_u64() > Some(2_000));
}

/// The 20 aliases of a nested roles → applications → candidate → … chain: refused for
/// its cost (one copy already is); a modest pipeline page is answered.
async fn aliased_nested_lists_are_refused(app: TestApp) {
    let chain = "roles(first: 100) { nodes { applications { candidate { skills { skill { name } } applications { role { title } } } } } }";
    let body = app.graphql(&format!("{{ {} }}", aliased(20, chain)), json!({})).await;
    let extensions = refusal(&body, "QUERY_TOO_COMPLEX");
    assert_eq!(extensions["limit"], 500_000, "{body}");
    assert!(extensions["cost"].as_u64().unwrap() > 500_000, "{body}");
    assert!(extensions.get("atLeast").is_none(), "{body}");

    let modest = app
        .graphql("{ roles(first: 5) { nodes { title applications { stage candidate { fullName } } } } }", json!({}))
        .await;
    assert!(modest["errors"].is_null(), "{modest}");
    // 1 + nodes (1 + 5 × (title 1 + applications (1 + 100 × (stage 1 + candidate (1 + 1)))))
    assert_eq!(modest["extensions"]["cost"]["requestedQueryCost"], 2 + 5 * (1 + 1 + 100 * 3), "{modest}");
}

/// 200 aliased `nodes(ids: [100 ids])` ran 20,000 lookups: refused for its aliases (ids in a
/// variable) or its size (ids written out); within the alias limit, for its cost.
async fn aliased_node_lists_are_refused(app: TestApp) {
    let ids: Vec<String> =
        (0..100).map(|_| talentgraph::graphql::ids::encode("Candidate", uuid::Uuid::now_v7()).0).collect();
    let with_variable = format!("query ($ids: [ID!]!) {{ {} }}", aliased(200, "nodes(ids: $ids) { id }"));
    let body = app.graphql(&with_variable, json!({ "ids": ids })).await;
    let extensions = refusal(&body, "TOO_MANY_ALIASES");
    assert_eq!((&extensions["aliases"], &extensions["limit"]), (&json!(200), &json!(30)), "{body}");

    // Refused before anything reads the ids, so short ones keep the body under its own limit.
    let short: Vec<String> = (0..100).map(|i| format!("Q2FuZGlkYXRlOj{i:03}")).collect();
    let literal = format!("nodes(ids: {}) {{ id }}", serde_json::to_string(&short).unwrap());
    let body = app.graphql(&format!("{{ {} }}", aliased(200, &literal)), json!({})).await;
    let extensions = refusal(&body, "DOCUMENT_TOO_LARGE");
    assert_eq!(
        (&extensions["tokens"], &extensions["limit"], &extensions["atLeast"]),
        (&json!(5_001), &json!(5_000), &json!(true))
    );

    let heavy = format!(
        "query ($ids: [ID!]!) {{ {} }}",
        aliased(20, "nodes(ids: $ids) { id ... on Candidate { skills { level } } }")
    );
    let body = app.graphql(&heavy, json!({ "ids": ids })).await;
    // 20 × (1 + 100 × (lookup 100 + id 1 + skills (1 + 200 × level 1)))
    assert_eq!(refusal(&body, "QUERY_TOO_COMPLEX")["cost"], 20 * (1 + 100 * (100 + 1 + 1 + 200)), "{body}");

    let one = app.graphql("query ($ids: [ID!]!) { nodes(ids: $ids) { id } }", json!({ "ids": ids })).await;
    assert_eq!(one["data"]["nodes"].as_array().map(Vec::len), Some(100), "{one}");
    assert_eq!(one["extensions"]["cost"]["requestedQueryCost"], 1 + 100 * (100 + 1), "{one}");
}

/// Two sign-ins in one request (each a password hash) are refused before either runs: the
/// rate-limit and session tables stay as they were. The 40 aliased logins too.
async fn two_sign_ins_in_one_request_are_refused(app: TestApp) {
    let email = app.acme.email(entity::RecruiterRole::Recruiter);
    let variables = json!({ "email": email, "password": PASSWORD });
    let before = row_counts(&app).await;
    let two = "mutation ($email: String!, $password: String!) {
        login(email: $email, password: $password) { accessToken }
        again: login(email: $email, password: $password) { accessToken } }";
    let body = app.anonymous(two, variables.clone()).await;
    let extensions = refusal(&body, "TOO_MANY_SIGN_INS");
    assert_eq!((&extensions["signIns"], &extensions["limit"]), (&json!(2), &json!(1)), "{body}");
    let mixed = "mutation ($email: String!, $password: String!) {
        login(email: $email, password: $password) { accessToken }
        ...Refresh }
        fragment Refresh on Mutation { refreshToken(refreshToken: \"tgr_x\") { accessToken } }";
    refusal(&app.anonymous(mixed, variables.clone()).await, "TOO_MANY_SIGN_INS");
    let forty = format!(
        "mutation ($email: String!, $password: String!) {{ {} }}",
        aliased(40, "login(email: $email, password: $password) { accessToken }")
    );
    refusal(&app.anonymous(&forty, variables.clone()).await, "TOO_MANY_ALIASES");
    assert_eq!(row_counts(&app).await, before);
    // One sign-in per request still works.
    let one = app.login(&email, PASSWORD).await;
    assert!(one["data"]["login"]["accessToken"].is_string(), "{one}");
}

/// `bench/nested.sh`'s query (50 candidates with skills, tags and pipelines) is answered, and
/// reports what it cost against the limit.
async fn a_nested_page_is_answered_with_its_cost(app: TestApp) {
    for name in ["Ada", "Grace", "Edsger"] {
        crate::candidates::create_candidate(
            &app,
            json!({ "fullName": name, "tags": ["x"], "skills": [{ "skill": "rust", "level": 3 }, { "skill": "kafka", "level": 2 }] }),
        )
        .await;
    }
    let body = app
        .graphql(
            "{ candidates(first: 50) { nodes { fullName tags skills { level skill { name } } applications { stage role { title } } } } }",
            json!({}),
        )
        .await;
    assert!(body["errors"].is_null(), "{body}");
    assert_eq!(body["data"]["candidates"]["nodes"].as_array().map(Vec::len), Some(3), "{body}");
    // 1 + nodes (1 + 50 × (fullName 1 + tags 1 + skills (1 + 200 × 3) + applications (1 + 20 × 3)))
    let expected = 2 + 50 * (1 + 1 + (1 + 200 * 3) + (1 + 20 * 3));
    assert_eq!(body["extensions"]["cost"], json!({ "requestedQueryCost": expected, "maxQueryCost": 500_000 }));
}

/// Mutations refused for aliases, root fields, directives or cost create nothing.
async fn refused_mutations_change_nothing(app: TestApp) {
    app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let before = row_counts(&app).await;
    let create = |name: &str| format!("createCandidate(input: {{ fullName: \"{name}\" }}) {{ candidate {{ id }} }}");
    let aliases = format!("mutation {{ {} }}", aliased(31, &create("Ada")));
    refusal(&app.graphql(&aliases, json!({})).await, "TOO_MANY_ALIASES");
    let roots = format!("mutation {{ {} }}", aliased(21, &create("Ada")));
    let extensions = refusal(&app.graphql(&roots, json!({})).await, "TOO_MANY_ROOT_FIELDS").clone();
    assert_eq!((&extensions["rootFields"], &extensions["limit"]), (&json!(21), &json!(20)));
    let directives = format!(
        "mutation {{ createCandidate(input: {{ fullName: \"Ada\" }}) {} {{ candidate {{ id }} }} }}",
        "@include(if: true) ".repeat(6)
    );
    refusal(&app.graphql(&directives, json!({})).await, "TOO_MANY_DIRECTIVES");
    let expensive = "mutation { createCandidate(input: { fullName: \"Ada\" }) { candidate { applications { role { applications { candidate { skills { skill { name } } } } } } } } }";
    refusal(&app.graphql(expensive, json!({})).await, "QUERY_TOO_COMPLEX");
    let bomb = fan_out(21, "createCandidate(input: { fullName: \"Ada\" }) { candidate { id } }")
        .replace("query", "mutation")
        .replace("on Query", "on Mutation");
    refusal(&app.graphql(&bomb, json!({})).await, "QUERY_TOO_COMPLEX");
    assert_eq!(row_counts(&app).await, before);
}

#[tokio::test]
async fn repeated_directives_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let thousand = format!("{{ __typename {} }}", "@include(if: true) ".repeat(1_000));
    // 7,000 tokens: refused for its size first.
    refusal(&app.anonymous(&thousand, json!({})).await, "DOCUMENT_TOO_LARGE");
    let roomy = TestApp::spawn_with(Backend::Sqlite, |s| s.limits.max_tokens = 100_000).await.unwrap();
    let body = roomy.anonymous(&thousand, json!({})).await;
    let extensions = refusal(&body, "TOO_MANY_DIRECTIVES");
    assert_eq!((&extensions["directives"], &extensions["limit"]), (&json!(1_000), &json!(5)), "{body}");
    assert_eq!(body["errors"][0]["locations"], json!([{ "line": 1, "column": 3 }]), "{body}");
    let fine = app.anonymous("{ __typename @include(if: true) @skip(if: false) }", json!({})).await;
    assert_eq!(fine["data"]["__typename"], "Query", "{fine}");
}

#[tokio::test]
async fn large_documents_are_refused() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let aliased_fields = format!("{{ {} }}", aliased(3_000, "__typename"));
    let body = app.anonymous(&aliased_fields, json!({})).await;
    assert_eq!(refusal(&body, "DOCUMENT_TOO_LARGE")["tokens"], 5_001, "{body}");
    let plain = format!("{{ {} }}", "__typename ".repeat(3_000));
    let body = app.anonymous(&plain, json!({})).await;
    let extensions = refusal(&body, "QUERY_TOO_COMPLEX");
    assert_eq!((&extensions["fields"], &extensions["limit"]), (&json!(2_001), &json!(2_000)), "{body}");
    let roots = format!("{{ {} }}", aliased(21, "__typename"));
    refusal(&app.anonymous(&roots, json!({})).await, "TOO_MANY_ROOT_FIELDS");
    let twenty = app.anonymous(&format!("{{ {} }}", aliased(20, "__typename")), json!({})).await;
    assert_eq!(twenty["data"]["a19"], "Query", "{twenty}");
    // Refused the same way over GET.
    let response = app.client.get(app.url("/graphql")).query(&[("query", plain.as_str())]).send().await.unwrap();
    let body: Value = response.json().await.unwrap();
    refusal(&body, "QUERY_TOO_COMPLEX");
}

#[tokio::test]
async fn limits_are_configurable() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.limits.max_cost = 3;
        s.limits.max_aliases = 1;
    })
    .await
    .unwrap();
    let body = app.anonymous("{ __typename __typename __typename __typename }", json!({})).await;
    let extensions = refusal(&body, "QUERY_TOO_COMPLEX");
    assert_eq!((&extensions["cost"], &extensions["limit"]), (&json!(4), &json!(3)), "{body}");
    let body = app.anonymous("{ __typename }", json!({})).await;
    assert_eq!(body["extensions"]["cost"], json!({ "requestedQueryCost": 1, "maxQueryCost": 3 }), "{body}");
    refusal(&app.anonymous("{ a: __typename b: __typename }", json!({})).await, "TOO_MANY_ALIASES");
}

/// The standard introspection query (graphql-js `getIntrospectionQuery()`, 15 deep) passes
/// the cost model and, with introspection on, the data depth limit (operations that only
/// introspect may nest deeper); its answer is the same as a server's with every cost limit off.
/// With introspection off it is refused before execution.
#[tokio::test]
async fn the_standard_introspection_query_is_unaffected() {
    let defaults = TestApp::spawn_with(Backend::Sqlite, |s| s.introspection = true).await.unwrap();
    let off = TestApp::spawn(Backend::Sqlite).await;
    let unlimited = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.introspection = true;
        s.limits = Limits {
            max_cost: u64::MAX,
            max_fields: u64::MAX,
            max_aliases: u64::MAX,
            max_root_fields: u64::MAX,
            max_directives_per_field: u64::MAX,
            max_tokens: u64::MAX,
            max_sign_ins: u64::MAX,
            max_depth: 20,
            ..Limits::default()
        };
    })
    .await
    .unwrap();
    for query in [INTROSPECTION, INTROSPECTION_FULL] {
        for token in [None, Some(defaults.token(&defaults.acme, entity::RecruiterRole::Viewer).await)] {
            let answered = defaults.graphql_with(token.as_deref(), query, json!({})).await;
            assert!(answered["errors"].is_null(), "{}", answered.to_string().chars().take(500).collect::<String>());
            assert!(answered["data"]["__schema"]["types"].as_array().unwrap().len() > 100);
            let cost = answered["extensions"]["cost"]["requestedQueryCost"].as_u64().unwrap();
            assert!(cost < 500_000 / 4, "{cost}");
            let reference = unlimited.anonymous(query, json!({})).await;
            assert_eq!(answered["data"], reference["data"]);
        }
        let refused = off.anonymous(query, json!({})).await;
        assert_eq!(refused["errors"][0]["extensions"]["code"], "FORBIDDEN", "{refused}");
        assert!(refused.get("data").is_none(), "{refused}");
    }
}

/// The circular introspection query stays bounded: each level of `fields { type { fields … } }`
/// multiplies by the schema's mean fields per type.
#[tokio::test]
async fn circular_introspection_is_refused() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.introspection = true;
        s.limits.max_depth = 32;
    })
    .await
    .unwrap();
    let levels = |n: usize| {
        format!("{{ __schema {{ types {{ {} name {} }} }} }}", "fields { type { ".repeat(n), "} } ".repeat(n))
    };
    let body = app.anonymous(&levels(8), json!({})).await;
    assert!(refusal(&body, "QUERY_TOO_COMPLEX")["cost"].as_u64().unwrap() > 500_000, "{body}");
    let shallow = app.anonymous(&levels(1), json!({})).await;
    assert!(shallow["errors"].is_null(), "{shallow}");
}

mod a_timed_out_request_is_cancelled {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn sqlite() {
        super::timed_out(crate::helpers::Backend::Sqlite).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn postgres() {
        super::timed_out(crate::helpers::Backend::Postgres).await;
    }
}

/// A sign-in (a password hash, tens of milliseconds) under a 1 ms timeout: answered `TIMEOUT`
/// without `data`, and its session is never created (the work was dropped).
async fn timed_out(backend: Backend) {
    let Some(app) = TestApp::spawn_with(backend, |s| s.limits.request_timeout = Duration::from_millis(1)).await else {
        return;
    };
    let email = app.acme.email(entity::RecruiterRole::Recruiter);
    let body = app.login(&email, PASSWORD).await;
    let extensions = refusal(&body, "TIMEOUT");
    assert_eq!(extensions["timeoutMs"], 1, "{body}");
    let response = app
        .client
        .post(app.url("/graphql"))
        .header("accept", "application/graphql-response+json")
        .json(&json!({ "query": "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken } }", "variables": { "e": email, "p": PASSWORD } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 503);
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(entity::refresh_tokens::Entity::find().count(&app.db).await.unwrap(), 0);
}

/// 150 aliased `roles(filter: {requiresSkills: ["zzqxvN"]})` each ran the fuzzy suggestion over
/// every spelling. Within the root-field limit (20), the spellings are read once for all of them.
async fn spellings_once(app: TestApp, log: StatementLog) {
    let token = app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let query =
        format!("{{ {} }}", aliased(20, "roles(filter: { requiresSkills: [\"zzqxvN sparkk\"] }) { totalCount }"));
    log.lock().unwrap().clear();
    let body = app.graphql_with(Some(&token), &query, json!({})).await;
    let errors = body["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 20, "{body}");
    assert!(errors.iter().all(|e| e["extensions"]["code"] == "BAD_USER_INPUT"), "{body}");
    let message = errors[0]["message"].as_str().unwrap();
    assert!(message.contains("unknown skill `zzqxvN sparkk`"), "{message}");
    let reads =
        log.lock().unwrap().iter().filter(|s| s.sql.contains("skill_aliases") && !s.sql.contains(" IN ")).count();
    assert_eq!(reads, 1, "{:#?}", log.lock().unwrap());
}

#[test]
fn every_list_of_objects_has_a_declared_bound() {
    let model = CostModel::new(&schema::sdl(), Limits::default());
    assert_eq!(model.undeclared_lists(), Vec::<String>::new(), "add them to graphql::cost::LIST_BOUNDS");
}
