//! Attacks on sign-in, privileges and leaks (issue 8): each scenario reproduces the attack and
//! checks it is refused and changes nothing.

use entity::RecruiterRole::{Admin, Recruiter};
use entity::{candidates, login_failures, recruiters};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

use crate::helpers::{PASSWORD, TestApp, first_error_code, user_error_code};
use crate::on_both_backends;

on_both_backends!(
    erasing_needs_admin_or_the_erase_scope,
    actor_names_are_for_people_only,
    invitations_do_not_tell_whose_email_it_is,
    oversized_sign_in_emails_record_nothing,
    deactivated_recruiters_lose_access_at_once,
    control_characters_are_refused_before_anything_runs,
    out_of_range_numbers_are_refusals_of_input,
);

const CREATE_CLIENT: &str = "mutation ($name: String!, $scopes: [ApiScope!]!) {
  createApiClient(input: { name: $name, scopes: $scopes }) { apiClient { clientId } clientSecret userErrors { code } }
}";
const ISSUE: &str = "mutation ($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { accessToken } }";
const CREATE_CANDIDATE: &str =
    "mutation ($name: String!) { createCandidate(input: { fullName: $name }) { candidate { id } } }";
const ERASE: &str = "mutation ($id: ID!) { eraseCandidate(id: $id) { erasedCandidateId userErrors { code } } }";

/// A token for a new API client of Acme with `scopes`.
pub async fn client_with(app: &TestApp, scopes: Value) -> String {
    let created = app.graphql_as(&app.acme, Admin, CREATE_CLIENT, json!({ "name": "Sync", "scopes": scopes })).await;
    let client = &created["data"]["createApiClient"];
    let (id, secret) = (client["apiClient"]["clientId"].as_str().unwrap(), client["clientSecret"].as_str().unwrap());
    let issued = app.anonymous(ISSUE, json!({ "id": id, "secret": secret })).await;
    issued["data"]["issueClientToken"]["accessToken"].as_str().unwrap().to_owned()
}

async fn new_candidate(app: &TestApp, name: &str) -> String {
    let created = app.graphql(CREATE_CANDIDATE, json!({ "name": name })).await;
    created["data"]["createCandidate"]["candidate"]["id"].as_str().unwrap().to_owned()
}

async fn erasing_needs_admin_or_the_erase_scope(app: TestApp) {
    let first = new_candidate(&app, "Ada Lovelace").await;
    let second = new_candidate(&app, "Grace Hopper").await;
    let before = candidates::Entity::find().count(&app.db).await.unwrap();

    let as_recruiter = app.graphql(ERASE, json!({ "id": first })).await;
    assert_eq!(first_error_code(&as_recruiter), Some("FORBIDDEN"), "{as_recruiter}");
    let writer = client_with(&app, json!(["CANDIDATES_WRITE"])).await;
    let as_writer = app.graphql_with(Some(&writer), ERASE, json!({ "id": first })).await;
    assert_eq!(first_error_code(&as_writer), Some("FORBIDDEN"), "{as_writer}");
    let still = app.graphql("query ($id: ID!) { candidate(id: $id) { fullName } }", json!({ "id": first })).await;
    assert_eq!(still["data"]["candidate"]["fullName"], "Ada Lovelace", "refused erasures change nothing");

    let eraser = client_with(&app, json!(["CANDIDATES_ERASE"])).await;
    let as_eraser = app.graphql_with(Some(&eraser), ERASE, json!({ "id": first })).await;
    assert_eq!(as_eraser["data"]["eraseCandidate"]["erasedCandidateId"], first, "{as_eraser}");
    // The erase scope implies nothing else.
    let read = app.graphql_with(Some(&eraser), "{ candidates(first: 1) { totalCount } }", json!({})).await;
    assert_eq!(first_error_code(&read), Some("FORBIDDEN"), "{read}");
    let as_admin = app.graphql_as(&app.acme, Admin, ERASE, json!({ "id": second })).await;
    assert_eq!(as_admin["data"]["eraseCandidate"]["erasedCandidateId"], second, "{as_admin}");
    // Erasure keeps an anonymous placeholder: the rows stay, the people are gone.
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), before);
}

async fn actor_names_are_for_people_only(app: TestApp) {
    let candidate = new_candidate(&app, "Alan Turing").await;
    let role = app
        .graphql(
            "mutation { createRole(input: { title: \"Data Engineer\", status: OPEN }) { role { id } } }",
            json!({}),
        )
        .await["data"]["createRole"]["role"]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let added = app
        .graphql(
            "mutation ($c: ID!, $r: ID!) { addCandidateToRole(input: { candidateId: $c, roleId: $r }) { application { id } } }",
            json!({ "c": candidate, "r": role }),
        )
        .await;
    let application = added["data"]["addCandidateToRole"]["application"]["id"].as_str().unwrap().to_owned();
    let history = "query ($id: ID!) { application(id: $id) { events { toStage actorName } } }";
    let person = app.graphql(history, json!({ "id": application })).await;
    assert_eq!(person["data"]["application"]["events"][0]["actorName"], "Acme Recruiter", "{person}");
    let integration = client_with(&app, json!(["APPLICATIONS_READ"])).await;
    let leaked = app.graphql_with(Some(&integration), history, json!({ "id": application })).await;
    assert_eq!(first_error_code(&leaked), Some("FORBIDDEN"), "{leaked}");
    assert!(!leaked.to_string().contains("Acme Recruiter"), "{leaked}");
    // Without the name, the history still reads.
    let stages = app
        .graphql_with(
            Some(&integration),
            "query ($id: ID!) { application(id: $id) { events { toStage } } }",
            json!({ "id": application }),
        )
        .await;
    assert_eq!(stages["data"]["application"]["events"][0]["toStage"], "SOURCED", "{stages}");
}

async fn invitations_do_not_tell_whose_email_it_is(app: TestApp) {
    let invite = "mutation ($email: String!) { inviteRecruiter(input: { email: $email, displayName: \"X\", role: VIEWER }) { recruiter { id } userErrors { field code message } } }";
    let before = recruiters::Entity::find().count(&app.db).await.unwrap();
    let elsewhere = app.graphql_as(&app.acme, Admin, invite, json!({ "email": app.globex.email(Admin) })).await;
    let colleague = app.graphql_as(&app.acme, Admin, invite, json!({ "email": app.acme.email(Recruiter) })).await;
    let refusal = |body: &Value| body["data"]["inviteRecruiter"]["userErrors"][0].clone();
    assert_eq!(refusal(&elsewhere)["field"], json!(["input", "email"]), "{elsewhere}");
    assert_eq!(refusal(&elsewhere)["code"], "BAD_USER_INPUT");
    assert_eq!(refusal(&elsewhere)["message"], refusal(&colleague)["message"], "the same words whoever owns it");
    let message = refusal(&elsewhere)["message"].as_str().unwrap().to_owned();
    assert!(!message.contains('@') && !message.contains("exists"), "{message}");
    assert_eq!(recruiters::Entity::find().count(&app.db).await.unwrap(), before, "nobody was created");
}

async fn oversized_sign_in_emails_record_nothing(app: TestApp) {
    let huge = format!("{}@example.com", "a".repeat(250_000));
    for _ in 0..4 {
        let body = app.login(&huge, PASSWORD).await;
        assert_eq!(user_error_code(&body, "login"), Some("INVALID_CREDENTIALS"), "{}", &body.to_string()[..200]);
    }
    assert_eq!(login_failures::Entity::find().count(&app.db).await.unwrap(), 0, "no key was stored");
    // A real account still signs in.
    let ok = app.login(&app.acme.email(Admin), PASSWORD).await;
    assert!(ok["data"]["login"]["accessToken"].is_string(), "{ok}");
}

async fn deactivated_recruiters_lose_access_at_once(app: TestApp) {
    let token = app.token(&app.acme, Recruiter).await;
    let me = "{ me { caller { ... on Recruiter { email } } } }";
    let before = app.graphql_with(Some(&token), me, json!({})).await;
    assert_eq!(before["data"]["me"]["caller"]["email"], app.acme.email(Recruiter), "{before}");
    // The server now remembers this caller as current (`CurrentCallers`): deactivating must
    // make it forget at once, on both backends.
    let deactivated = app.deactivate_recruiter(&app.acme, app.acme.recruiter).await;
    assert_eq!(deactivated["data"]["deactivateRecruiter"]["recruiter"]["active"], false, "{deactivated}");
    // The access token has not expired, but it no longer works, not even to mint lasting access.
    let after = app.graphql_with(Some(&token), me, json!({})).await;
    assert_eq!(first_error_code(&after), Some("UNAUTHENTICATED"), "{after}");
    let minted = app.graphql_with(Some(&token), CREATE_CANDIDATE, json!({ "name": "Mallory" })).await;
    assert_eq!(first_error_code(&minted), Some("UNAUTHENTICATED"), "{minted}");
    assert_eq!(
        candidates::Entity::find().count(&app.db).await.unwrap(),
        0,
        "the old token created nothing after deactivation"
    );
}

async fn control_characters_are_refused_before_anything_runs(app: TestApp) {
    // In a literal, without a token: refused at the edge, nothing recorded.
    let login = app
        .anonymous(r#"mutation { login(email: "a\u0000b@a.test", password: "x") { accessToken } }"#, json!({}))
        .await;
    assert_eq!(first_error_code(&login), Some("BAD_USER_INPUT"), "{login}");
    assert!(login.get("data").is_none(), "refused before execution: {login}");
    assert!(login.to_string().contains("`email`"), "{login}");
    assert_eq!(login_failures::Entity::find().count(&app.db).await.unwrap(), 0);
    // In a variable, nested in an input object.
    let search = app
        .graphql(
            "query ($f: CandidateFilterInput) { candidates(filter: $f) { totalCount } }",
            json!({ "f": { "search": "a\u{0}b" } }),
        )
        .await;
    assert_eq!(first_error_code(&search), Some("BAD_USER_INPUT"), "{search}");
    assert!(search.to_string().contains("`$f`"), "{search}");
    // A write changes nothing; an escape sequence in a line of text is refused as well.
    for name in ["Ada\u{0}Lovelace", "Ada\u{1b}[31mLovelace"] {
        let created = app.graphql(CREATE_CANDIDATE, json!({ "name": name })).await;
        assert_eq!(first_error_code(&created), Some("BAD_USER_INPUT"), "{created}");
    }
    assert_eq!(candidates::Entity::find().count(&app.db).await.unwrap(), 0, "nothing was stored");
    // Tabs and line breaks are text.
    let notes = app.graphql(CREATE_CANDIDATE, json!({ "name": "Ada\tLovelace" })).await;
    assert!(notes["data"]["createCandidate"]["candidate"]["id"].is_string(), "{notes}");
}

/// Signs in as if from `address`, through a trusted proxy at 127.0.0.1.
async fn login_from(app: &TestApp, address: &str, email: &str, password: &str) -> Value {
    let body = json!({
        "query": "mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken userErrors { code } } }",
        "variables": { "e": email, "p": password },
    });
    let response =
        app.client.post(app.url("/graphql")).header("X-Forwarded-For", address).json(&body).send().await.unwrap();
    response.json().await.unwrap()
}

/// Both backends, behind a reverse proxy on 127.0.0.1 (the test client's address).
async fn behind_a_proxy() -> Vec<TestApp> {
    let mut apps = Vec::new();
    for backend in [crate::helpers::Backend::Sqlite, crate::helpers::Backend::Postgres] {
        let proxy = |s: &mut talentgraph::config::Settings| s.trusted_proxies = vec!["127.0.0.1".parse().unwrap()];
        if let Some(app) = TestApp::spawn_with(backend, proxy).await {
            apps.push(app);
        }
    }
    apps
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nobody_can_lock_an_account_from_other_addresses() {
    for app in behind_a_proxy().await {
        let victim = app.acme.email(Admin);
        // Six wrong passwords from four addresses (TEST-NET documentation addresses)…
        for (attempt, address) in
            ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"].iter().cycle().take(6).enumerate()
        {
            let body = login_from(&app, address, &victim, "a wrong guess").await;
            assert_eq!(user_error_code(&body, "login"), Some("INVALID_CREDENTIALS"), "attempt {attempt}: {body}");
        }
        // …do not keep the owner out from their own address.
        let owner = login_from(&app, "198.51.100.7", &victim, PASSWORD).await;
        assert!(owner["data"]["login"]["accessToken"].is_string(), "{owner}");
        // Guessing one account from one address is still refused past the limit.
        for _ in 0..5 {
            login_from(&app, "203.0.113.9", &app.acme.email(Recruiter), "another wrong guess").await;
        }
        let limited = login_from(&app, "203.0.113.9", &app.acme.email(Recruiter), PASSWORD).await;
        assert_eq!(user_error_code(&limited, "login"), Some("RATE_LIMITED"), "{limited}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_busy_address_never_refuses_a_correct_password() {
    for app in behind_a_proxy().await {
        let office = "198.51.100.20";
        for index in 0..21 {
            let body = login_from(&app, office, &format!("nobody{index}@acme.test"), "wrong").await;
            assert_eq!(user_error_code(&body, "login"), Some("INVALID_CREDENTIALS"), "{index}: {body}");
        }
        let colleague = login_from(&app, office, &app.acme.email(Recruiter), PASSWORD).await;
        assert!(colleague["data"]["login"]["accessToken"].is_string(), "{colleague}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forwarded_headers_count_only_from_trusted_proxies() {
    // No trusted proxy: the header is the client's own claim and is ignored.
    let app = TestApp::spawn(crate::helpers::Backend::Sqlite).await;
    let email = app.acme.email(Recruiter);
    for index in 0..5 {
        login_from(&app, &format!("203.0.113.{}", 100 + index), &email, "wrong").await;
    }
    let rotated = login_from(&app, "203.0.113.200", &email, PASSWORD).await;
    assert_eq!(
        user_error_code(&rotated, "login"),
        Some("RATE_LIMITED"),
        "rotating X-Forwarded-For does not help: {rotated}"
    );
}

/// schemathesis found `skills(first: 99999999999)`: validation lets an `Int` literal past 32 bits
/// through and the argument's parser refuses it during execution, with a path and no code, which
/// clients (and the fuzzer) read as a server fault; in a field that never runs it was accepted.
/// Such literals are refused before execution, and such variables when parsed: BAD_USER_INPUT.
async fn out_of_range_numbers_are_refusals_of_input(app: TestApp) {
    for query in [
        "{ skills(first: 99999999999) { totalCount } }",
        "{ roles(last: -99999999999) { totalCount } }",
        "{ candidates(filter: { minYearsExperience: 99999999999 }) { totalCount } }",
        // In a field that would never run (its parent is null): refused all the same.
        "mutation { createRole(input: { title: \"\" }) { role { applications { candidate { matchingRoles(first: -2147483649) { totalCount } } } } } }",
    ] {
        let body = app.graphql(query, json!({})).await;
        assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{query}: {body}");
        assert!(body["data"].is_null(), "refused before execution: {body}");
    }
    let body =
        app.graphql("query ($n: Int) { skills(first: $n) { totalCount } }", json!({ "n": 99_999_999_999_i64 })).await;
    assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{body}");
    assert_eq!(app.graphql("{ skills(first: 2) { totalCount } }", json!({})).await["errors"], Value::Null);
    let roles = app.graphql("{ roles { totalCount } }", json!({})).await;
    assert_eq!(roles["data"]["roles"]["totalCount"], 0, "nothing was created: {roles}");
}
