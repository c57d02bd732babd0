//! Authentication and tenancy: sign-in, token forms, roles and scopes, isolation, limits.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use entity::RecruiterRole::{Admin, Recruiter, Viewer};
use entity::{api_clients, recruiters};
use sea_orm::EntityTrait;
use serde_json::{Value, json};
use talentgraph::auth::Viewer as Caller;

use crate::helpers::{Backend, JWT_SECRET, PASSWORD, TestApp, first_error_code, user_error, user_error_code};
use crate::on_both_backends;

on_both_backends!(
    login_refresh_rotation_reuse_and_logout,
    bad_tokens_are_unauthenticated,
    roles_decide_what_recruiters_may_do,
    api_clients_get_tokens_with_only_their_scopes,
    other_organizations_ids_are_not_found_and_nothing_changes,
    failed_logins_are_rate_limited,
    invitations_and_deactivation,
    every_role_and_scope_against_every_guarded_operation,
    a_deactivation_during_the_password_hash_wins,
);

const ME: &str = "{ me { organization { slug } permissions caller { __typename ... on Recruiter { email role } ... on ApiClient { name scopes } } } }";
const REFRESH: &str =
    "mutation ($t: String!) { refreshToken(refreshToken: $t) { accessToken refreshToken userErrors { field code } } }";

async fn login_refresh_rotation_reuse_and_logout(app: TestApp) {
    let email = app.acme.email(Recruiter);
    let body = app.login(&email, PASSWORD).await;
    let signed_in = &body["data"]["login"];
    assert_eq!(signed_in["recruiter"]["email"], email.as_str(), "{body}");
    let access = signed_in["accessToken"].as_str().unwrap();
    let first_refresh = signed_in["refreshToken"].as_str().unwrap().to_owned();
    let me = app.graphql_with(Some(access), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["caller"]["email"], email.as_str(), "{me}");
    assert_eq!(me["data"]["me"]["organization"]["slug"], "acme");

    // Rotation: the refresh token works once and yields a new pair.
    let rotated = app.anonymous(REFRESH, json!({ "t": first_refresh })).await;
    let second_refresh = rotated["data"]["refreshToken"]["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(second_refresh, first_refresh);
    let new_access = rotated["data"]["refreshToken"]["accessToken"].as_str().unwrap();
    assert_eq!(
        app.graphql_with(Some(new_access), ME, json!({})).await["data"]["me"]["caller"]["email"],
        email.as_str()
    );

    // Reuse of the rotated token: refused, and the whole family is revoked.
    let reused = app.anonymous(REFRESH, json!({ "t": first_refresh })).await;
    assert_eq!(user_error_code(&reused, "refreshToken"), Some("INVALID_CREDENTIALS"), "{reused}");
    assert!(reused["errors"].is_null() && reused["data"]["refreshToken"]["accessToken"].is_null(), "{reused}");
    let family_gone = app.anonymous(REFRESH, json!({ "t": second_refresh })).await;
    assert_eq!(user_error_code(&family_gone, "refreshToken"), Some("INVALID_CREDENTIALS"), "{family_gone}");

    // Logout ends the session of a fresh sign-in.
    let body = app.login(&email, PASSWORD).await;
    let refresh = body["data"]["login"]["refreshToken"].as_str().unwrap().to_owned();
    let logout =
        app.anonymous("mutation ($t: String!) { logout(refreshToken: $t) { success } }", json!({ "t": refresh })).await;
    assert_eq!(logout["data"]["logout"]["success"], true);
    let after_logout = app.anonymous(REFRESH, json!({ "t": refresh })).await;
    assert_eq!(user_error_code(&after_logout, "refreshToken"), Some("INVALID_CREDENTIALS"));

    // Wrong password and unknown email look the same.
    let wrong = app.login(&email, "not the password at all").await;
    let unknown = app.login("nobody@nowhere.test", PASSWORD).await;
    assert_eq!(user_error_code(&wrong, "login"), Some("INVALID_CREDENTIALS"), "{wrong}");
    assert_eq!(user_error(&wrong, "login"), user_error(&unknown, "login"), "the same answer for both");
    assert!(wrong["errors"].is_null(), "{wrong}");
    assert_eq!(wrong["data"]["login"]["accessToken"], Value::Null);
    assert_eq!(wrong["data"]["login"]["recruiter"], Value::Null);
}

fn forge(claims: &Value, secret: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        claims,
        &jsonwebtoken::EncodingKey::from_secret(secret),
    )
    .unwrap()
}

async fn bad_tokens_are_unauthenticated(app: TestApp) {
    let now = chrono::Utc::now().timestamp();
    let good = json!({
        "iss": "talentgraph", "aud": "talentgraph-api", "sub": format!("recruiter:{}", app.acme.recruiter),
        "org": app.acme.id, "role": "RECRUITER", "scopes": [], "iat": now, "nbf": now, "exp": now + 600, "jti": uuid::Uuid::now_v7(),
    });
    // The forged-but-correct token works, so every failure below is due to the one change.
    let works = app.graphql_with(Some(&forge(&good, JWT_SECRET)), ME, json!({})).await;
    assert_eq!(works["data"]["me"]["caller"]["role"], "RECRUITER", "{works}");

    let with = |key: &str, value: Value| {
        let mut claims = good.clone();
        claims[key] = value;
        claims
    };
    let without = |key: &str| {
        let mut claims = good.clone();
        claims.as_object_mut().unwrap().remove(key);
        claims
    };
    let parts: Vec<String> = forge(&good, JWT_SECRET).split('.').map(str::to_owned).collect();
    let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &good,
        &jsonwebtoken::EncodingKey::from_secret(JWT_SECRET),
    )
    .unwrap();
    let cases: Vec<(&str, String)> = vec![
        ("malformed", "not-a-jwt".to_owned()),
        ("expired", forge(&with("exp", json!(now - 120)), JWT_SECRET)),
        ("not yet valid", forge(&with("nbf", json!(now + 600)), JWT_SECRET)),
        ("wrong secret", forge(&good, b"another-secret-another-secret-0123456")),
        ("alg none", format!("{none_header}.{}.", parts[1])),
        ("other algorithm", hs512),
        (
            "tampered payload",
            format!("{}.{}.{}", parts[0], URL_SAFE_NO_PAD.encode(with("role", json!("ADMIN")).to_string()), parts[2]),
        ),
        ("wrong issuer", forge(&with("iss", json!("someone-else")), JWT_SECRET)),
        ("wrong audience", forge(&with("aud", json!("other-api")), JWT_SECRET)),
        ("no issuer", forge(&without("iss"), JWT_SECRET)),
        ("no audience", forge(&without("aud"), JWT_SECRET)),
        ("no expiry", forge(&without("exp"), JWT_SECRET)),
        ("unknown role", forge(&with("role", json!("OWNER")), JWT_SECRET)),
    ];
    for (case, token) in cases {
        let response = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(&token)
            .json(&json!({ "query": format!("{{ __typename serverVersion {} }}", &ME[1..ME.len() - 1]) }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 401, "{case}: the whole request is refused");
        let challenge = response.headers().get("www-authenticate").map(|v| v.to_str().unwrap().to_owned());
        assert_eq!(challenge.as_deref(), Some(r#"Bearer error="invalid_token""#), "{case}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(first_error_code(&body), Some("UNAUTHENTICATED"), "{case}: {body}");
        assert!(body.get("data").is_none(), "{case}: nothing resolves, not even __typename: {body}");
        assert_eq!(body["errors"][0]["message"], "authentication required", "{case}: the reason must not leak");
    }
    let missing = app.anonymous("{ skills(first: 1) { totalCount } }", json!({})).await;
    assert_eq!(first_error_code(&missing), Some("UNAUTHENTICATED"));
    let basic = app
        .client
        .post(app.url("/graphql"))
        .basic_auth("x", Some("y"))
        .json(&json!({ "query": ME }))
        .send()
        .await
        .unwrap();
    assert_eq!(first_error_code(&basic.json::<Value>().await.unwrap()), Some("UNAUTHENTICATED"));
}

const CREATE_CLIENT: &str = "mutation ($name: String!, $scopes: [ApiScope!]!) {
  createApiClient(input: { name: $name, scopes: $scopes }) {
    apiClient { id clientId scopes } clientSecret userErrors { field code message }
  }
}";
const INVITE: &str = "mutation ($email: String!, $role: RecruiterRole!) {
  inviteRecruiter(input: { email: $email, displayName: \"New Person\", role: $role }) {
    recruiter { id email active } invitationToken userErrors { field code message }
  }
}";

async fn roles_decide_what_recruiters_may_do(app: TestApp) {
    let skills = "{ skills(first: 1) { totalCount } }";
    for role in [Admin, Recruiter, Viewer] {
        let body = app.graphql_as(&app.acme, role, skills, json!({})).await;
        assert!(body["data"]["skills"]["totalCount"].as_u64().unwrap() >= 150, "{role:?}: {body}");
        let me = app.graphql_as(&app.acme, role, ME, json!({})).await;
        let permissions = me["data"]["me"]["permissions"].as_array().unwrap().len();
        assert!(permissions >= 4, "{role:?}: {me}");
    }
    let client = json!({ "name": "ATS", "scopes": ["CANDIDATES_READ"] });
    for role in [Recruiter, Viewer] {
        let body = app.graphql_as(&app.acme, role, CREATE_CLIENT, client.clone()).await;
        assert_eq!(first_error_code(&body), Some("FORBIDDEN"), "{role:?}: {body}");
        let body = app.graphql_as(&app.acme, role, INVITE, json!({ "email": "x@acme.test", "role": "VIEWER" })).await;
        assert_eq!(first_error_code(&body), Some("FORBIDDEN"), "{role:?}: {body}");
        let body = app.graphql_as(&app.acme, role, "{ apiClients { id } }", json!({})).await;
        assert_eq!(first_error_code(&body), Some("FORBIDDEN"), "{role:?}: {body}");
    }
    assert!(api_clients::Entity::find().all(&app.db).await.unwrap().is_empty(), "a forbidden mutation changed data");
    let created = app.graphql_as(&app.acme, Admin, CREATE_CLIENT, client).await;
    assert!(created["data"]["createApiClient"]["clientSecret"].as_str().unwrap().starts_with("tgs_"), "{created}");
    let viewer_me = app.graphql_as(&app.acme, Viewer, ME, json!({})).await;
    let permissions: Vec<&str> =
        viewer_me["data"]["me"]["permissions"].as_array().unwrap().iter().map(|p| p.as_str().unwrap()).collect();
    assert!(permissions.contains(&"READ_CANDIDATES") && !permissions.contains(&"WRITE_CANDIDATES"), "{permissions:?}");
}

async fn client_token(app: &TestApp, client_id: &str, secret: &str) -> Value {
    app.anonymous(
        "mutation ($id: String!, $secret: String!) { issueClientToken(clientId: $id, clientSecret: $secret) { accessToken tokenType scopes userErrors { code } } }",
        json!({ "id": client_id, "secret": secret }),
    )
    .await
}

async fn api_clients_get_tokens_with_only_their_scopes(app: TestApp) {
    let created = app
        .graphql_as(
            &app.acme,
            Admin,
            CREATE_CLIENT,
            json!({ "name": "Greenhouse sync", "scopes": ["CANDIDATES_READ", "ROLES_READ"] }),
        )
        .await;
    let payload = &created["data"]["createApiClient"];
    let client_id = payload["apiClient"]["clientId"].as_str().unwrap().to_owned();
    let secret = payload["clientSecret"].as_str().unwrap().to_owned();
    let id = payload["apiClient"]["id"].as_str().unwrap().to_owned();

    let issued = client_token(&app, &client_id, &secret).await;
    assert_eq!(issued["data"]["issueClientToken"]["scopes"], json!(["CANDIDATES_READ", "ROLES_READ"]), "{issued}");
    let token = issued["data"]["issueClientToken"]["accessToken"].as_str().unwrap().to_owned();
    let claims = app.keys.verify(&token).unwrap();
    assert!(matches!(claims.actor(), talentgraph::auth::viewer::Actor::ApiClient { .. }));
    let me = app.graphql_with(Some(&token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["caller"]["__typename"], "ApiClient", "{me}");
    assert_eq!(me["data"]["me"]["permissions"], json!(["READ_CANDIDATES", "READ_ROLES", "READ_SKILLS"]));
    let skills = app.graphql_with(Some(&token), "{ skills(first: 1) { totalCount } }", json!({})).await;
    assert!(skills["errors"].is_null(), "{skills}");
    // No scope grants people or integration management.
    let forbidden =
        app.graphql_with(Some(&token), CREATE_CLIENT, json!({ "name": "x", "scopes": ["ROLES_READ"] })).await;
    assert_eq!(first_error_code(&forbidden), Some("FORBIDDEN"));

    // Wrong secrets are refused; the OAuth2 form works too.
    let wrong = client_token(&app, &client_id, "tgs_wrong").await;
    assert_eq!(user_error_code(&wrong, "issueClientToken"), Some("INVALID_CREDENTIALS"), "{wrong}");
    assert!(wrong["data"]["issueClientToken"]["accessToken"].is_null(), "{wrong}");
    let form = app
        .client
        .post(app.url("/oauth/token"))
        .basic_auth(&client_id, Some(&secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 200);
    let form: Value = form.json().await.unwrap();
    assert_eq!(form["token_type"], "Bearer");
    assert_eq!(form["scope"], "candidates:read roles:read");
    let bad = app
        .client
        .post(app.url("/oauth/token"))
        .form(&[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 401);
    assert_eq!(bad.json::<Value>().await.unwrap()["error"], "invalid_client");
    let grant = app.client.post(app.url("/oauth/token")).form(&[("grant_type", "password")]).send().await.unwrap();
    assert_eq!(grant.status(), 400);
    assert_eq!(grant.json::<Value>().await.unwrap()["error"], "unsupported_grant_type");

    // Revocation is immediate, even for tokens already issued.
    let revoked = app
        .graphql_as(
            &app.acme,
            Admin,
            "mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { revokedAt } } }",
            json!({ "id": id }),
        )
        .await;
    assert!(revoked["data"]["revokeApiClient"]["apiClient"]["revokedAt"].is_string(), "{revoked}");
    assert_eq!(first_error_code(&app.graphql_with(Some(&token), ME, json!({})).await), Some("UNAUTHENTICATED"));
    assert_eq!(
        user_error_code(&client_token(&app, &client_id, &secret).await, "issueClientToken"),
        Some("INVALID_CREDENTIALS")
    );
}

async fn other_organizations_ids_are_not_found_and_nothing_changes(app: TestApp) {
    let created =
        app.graphql_as(&app.acme, Admin, CREATE_CLIENT, json!({ "name": "Acme ATS", "scopes": ["ROLES_READ"] })).await;
    let acme_client = created["data"]["createApiClient"]["apiClient"]["id"].as_str().unwrap().to_owned();
    let acme_recruiter = talentgraph::graphql::ids::encode("Recruiter", app.acme.recruiter).0;
    let nonexistent = talentgraph::graphql::ids::encode("Recruiter", uuid::Uuid::now_v7()).0;

    let deactivate =
        "mutation ($id: ID!) { deactivateRecruiter(id: $id) { recruiter { id } userErrors { field code message } } }";
    let revoke =
        "mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } userErrors { field code message } } }";
    let acme_viewer = talentgraph::graphql::ids::encode("Recruiter", app.acme.viewer).0;
    let foreign_viewer = app.graphql_as(&app.globex, Admin, deactivate, json!({ "id": acme_viewer })).await;
    assert_eq!(user_error_code(&foreign_viewer, "deactivateRecruiter"), Some("NOT_FOUND"), "{foreign_viewer}");
    assert_eq!(user_error(&foreign_viewer, "deactivateRecruiter")["field"], json!(["id"]), "{foreign_viewer}");
    let foreign = app.graphql_as(&app.globex, Admin, deactivate, json!({ "id": acme_recruiter })).await;
    let missing = app.graphql_as(&app.globex, Admin, deactivate, json!({ "id": nonexistent })).await;
    assert_eq!(user_error_code(&foreign, "deactivateRecruiter"), Some("NOT_FOUND"), "{foreign}");
    assert_eq!(
        user_error(&foreign, "deactivateRecruiter"),
        user_error(&missing, "deactivateRecruiter"),
        "a foreign id must look like a missing one"
    );
    let foreign_client = app.graphql_as(&app.globex, Admin, revoke, json!({ "id": acme_client })).await;
    assert_eq!(user_error_code(&foreign_client, "revokeApiClient"), Some("NOT_FOUND"), "{foreign_client}");
    // A malformed id, or the id of another type, is a refusal of the argument.
    for bad in ["garbage".to_owned(), acme_recruiter.clone()] {
        let refused = app.graphql_as(&app.globex, Admin, revoke, json!({ "id": bad })).await;
        assert_eq!(user_error_code(&refused, "revokeApiClient"), Some("BAD_USER_INPUT"), "{refused}");
        assert_eq!(user_error(&refused, "revokeApiClient")["field"], json!(["id"]), "{refused}");
    }

    // Nothing changed in Acme.
    for id in [app.acme.recruiter, app.acme.viewer] {
        assert!(recruiters::Entity::find_by_id(id).one(&app.db).await.unwrap().unwrap().active);
    }
    // And Acme's people still sign in.
    assert!(app.login(&app.acme.email(Viewer), PASSWORD).await["data"]["login"]["accessToken"].is_string());
    assert!(api_clients::Entity::find().all(&app.db).await.unwrap().iter().all(|c| c.revoked_at.is_none()));
    // Lists show only the caller's organization.
    let globex = app.graphql_as(&app.globex, Viewer, "{ recruiters { email } }", json!({})).await;
    let emails: Vec<&str> =
        globex["data"]["recruiters"].as_array().unwrap().iter().map(|r| r["email"].as_str().unwrap()).collect();
    assert_eq!(emails.len(), 3);
    assert!(emails.iter().all(|e| e.ends_with("@globex.test")), "{emails:?}");
    let clients = app.graphql_as(&app.globex, Admin, "{ apiClients { id } }", json!({})).await;
    assert_eq!(clients["data"]["apiClients"], json!([]));
}

async fn failed_logins_are_rate_limited(app: TestApp) {
    let email = app.acme.email(Viewer);
    for attempt in 0..5 {
        let body = app.login(&email, "wrong password, try again").await;
        assert_eq!(user_error_code(&body, "login"), Some("INVALID_CREDENTIALS"), "attempt {attempt}: {body}");
    }
    let limited = app.login(&email, PASSWORD).await;
    assert_eq!(user_error_code(&limited, "login"), Some("RATE_LIMITED"), "{limited}");
    assert!(limited["data"]["login"]["accessToken"].is_null(), "{limited}");
    let retry = limited["data"]["login"]["retryAfter"].as_u64().unwrap();
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    // Parallel guesses cannot slip past the limit while passwords are being verified.
    let email = app.acme.email(Recruiter);
    let attempts = (0..12).map(|_| app.login(&email, "parallel wrong guess"));
    let results = futures_util::future::join_all(attempts).await;
    let unauthenticated = results.iter().filter(|r| user_error_code(r, "login") == Some("INVALID_CREDENTIALS")).count();
    let limited = results.iter().filter(|r| user_error_code(r, "login") == Some("RATE_LIMITED")).count();
    assert_eq!(unauthenticated + limited, 12);
    assert!(unauthenticated <= 7, "{unauthenticated} parallel guesses were checked (limit 5)");
    // Other accounts are not affected.
    let other = app.login(&app.acme.email(Admin), PASSWORD).await;
    assert!(other["data"]["login"]["accessToken"].is_string(), "{other}");
}

async fn invitations_and_deactivation(app: TestApp) {
    let invited =
        app.graphql_as(&app.acme, Admin, INVITE, json!({ "email": "New.Person@Acme.test", "role": "RECRUITER" })).await;
    let payload = &invited["data"]["inviteRecruiter"];
    assert_eq!(payload["recruiter"]["email"], "new.person@acme.test", "{invited}");
    assert_eq!(payload["recruiter"]["active"], false);
    let token = payload["invitationToken"].as_str().unwrap().to_owned();
    let duplicate =
        app.graphql_as(&app.acme, Admin, INVITE, json!({ "email": "new.person@acme.test", "role": "VIEWER" })).await;
    assert_eq!(
        duplicate["data"]["inviteRecruiter"]["userErrors"][0]["field"],
        json!(["input", "email"]),
        "{duplicate}"
    );
    let bad_email =
        app.graphql_as(&app.acme, Admin, INVITE, json!({ "email": "not an email", "role": "VIEWER" })).await;
    assert_eq!(bad_email["data"]["inviteRecruiter"]["userErrors"][0]["code"], "BAD_USER_INPUT");
    let count = recruiters::Entity::find().all(&app.db).await.unwrap().len();
    assert_eq!(count, 7, "refused invitations created nobody");

    let accept = "mutation ($t: String!, $p: String!) { acceptInvitation(token: $t, password: $p) { accessToken recruiter { active } userErrors { field code } } }";
    let short = app.anonymous(accept, json!({ "t": token, "p": "short" })).await;
    assert_eq!(short["data"]["acceptInvitation"]["userErrors"][0]["field"], json!(["password"]), "{short}");
    let accepted = app.anonymous(accept, json!({ "t": token, "p": "a long enough password" })).await;
    assert_eq!(accepted["data"]["acceptInvitation"]["recruiter"]["active"], true, "{accepted}");
    let again = app.anonymous(accept, json!({ "t": token, "p": "a long enough password" })).await;
    assert_eq!(user_error_code(&again, "acceptInvitation"), Some("INVALID_CREDENTIALS"), "{again}");
    let login = app.login("new.person@acme.test", "a long enough password").await;
    let refresh = login["data"]["login"]["refreshToken"].as_str().unwrap().to_owned();

    // Deactivation: no more sign-ins or refreshes; admins cannot deactivate themselves.
    let new_id = payload["recruiter"]["id"].as_str().unwrap();
    let deactivate =
        "mutation ($id: ID!) { deactivateRecruiter(id: $id) { recruiter { active } userErrors { field message } } }";
    let done = app.graphql_as(&app.acme, Admin, deactivate, json!({ "id": new_id })).await;
    assert_eq!(done["data"]["deactivateRecruiter"]["recruiter"]["active"], false, "{done}");
    assert_eq!(
        user_error_code(&app.anonymous(REFRESH, json!({ "t": refresh })).await, "refreshToken"),
        Some("INVALID_CREDENTIALS")
    );
    assert_eq!(
        user_error_code(&app.login("new.person@acme.test", "a long enough password").await, "login"),
        Some("INVALID_CREDENTIALS")
    );
    // Deactivating someone who has not accepted yet closes their invitation.
    let pending =
        app.graphql_as(&app.acme, Admin, INVITE, json!({ "email": "later@acme.test", "role": "VIEWER" })).await;
    let pending_token = pending["data"]["inviteRecruiter"]["invitationToken"].as_str().unwrap().to_owned();
    let pending_id = pending["data"]["inviteRecruiter"]["recruiter"]["id"].clone();
    app.graphql_as(&app.acme, Admin, deactivate, json!({ "id": pending_id })).await;
    let late = app.anonymous(accept, json!({ "t": pending_token, "p": "a long enough password" })).await;
    assert_eq!(user_error_code(&late, "acceptInvitation"), Some("INVALID_CREDENTIALS"), "{late}");
    let own_id = talentgraph::graphql::ids::encode("Recruiter", app.acme.admin).0;
    let myself = app.graphql_as(&app.acme, Admin, deactivate, json!({ "id": own_id })).await;
    assert_eq!(myself["data"]["deactivateRecruiter"]["userErrors"][0]["field"], json!(["id"]), "{myself}");
    assert!(recruiters::Entity::find_by_id(app.acme.admin).one(&app.db).await.unwrap().unwrap().active);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_playground_is_signed_in() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.demo = true;
        s.playground = true;
    })
    .await
    .unwrap();
    let page = app.client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    let token =
        page.split("Bearer ").nth(1).and_then(|rest| rest.split('"').next()).expect("a bearer token in the page");
    let me = app.graphql_with(Some(token), ME, json!({})).await;
    assert_eq!(me["data"]["me"]["caller"]["email"], talentgraph::demo::PLAYGROUND_EMAIL, "{me}");
    assert_eq!(me["data"]["me"]["caller"]["role"], "RECRUITER", "never an ADMIN token on an open page: {me}");
    let viewer: Option<Caller> = app.keys.verify(token);
    assert!(viewer.is_some());
    // A token of the normal lifetime (15 minutes), not hours.
    let claims = token.split('.').nth(1).and_then(|p| URL_SAFE_NO_PAD.decode(p).ok()).unwrap();
    let claims: Value = serde_json::from_slice(&claims).unwrap();
    let lifetime = claims["exp"].as_i64().unwrap() - claims["iat"].as_i64().unwrap();
    assert!(lifetime <= 15 * 60, "{lifetime} s");
}

/// Every caller kind against one query and one mutation of every domain, with the expected
/// outcome written out by hand (not derived from the code under test). Mutation inputs are
/// refused after the guard, so allowed calls change nothing either.
async fn every_role_and_scope_against_every_guarded_operation(app: TestApp) {
    let nobody = |kind: &str| talentgraph::graphql::ids::encode(kind, uuid::Uuid::now_v7()).0;
    // (name, operation, variables, what it needs)
    let operations: Vec<(&str, &str, Value, &str)> = vec![
        ("skills", "{ skills(first: 1) { totalCount } }", json!({}), "read_skills"),
        (
            "createSkill",
            "mutation { createSkill(input: { name: \" \", category: TOOL }) { userErrors { code } } }",
            json!({}),
            "write_skills",
        ),
        ("roles", "{ roles(first: 1) { totalCount } }", json!({}), "read_roles"),
        (
            "createRole",
            "mutation { createRole(input: { title: \" \" }) { userErrors { code } } }",
            json!({}),
            "write_roles",
        ),
        ("candidates", "{ candidates(first: 1) { totalCount } }", json!({}), "read_candidates"),
        (
            "createCandidate",
            "mutation { createCandidate(input: { fullName: \" \" }) { userErrors { code } } }",
            json!({}),
            "write_candidates",
        ),
        (
            "upsertCandidates",
            "mutation { upsertCandidates(input: [{ externalSource: \"x\", externalId: \"1\", fullName: \" \" }]) { results { status } } }",
            json!({}),
            "write_candidates",
        ),
        (
            "importJsonResume",
            "mutation { importJsonResume(resume: { basics: { email: 7 } }) { userErrors { code } } }",
            json!({}),
            "write_candidates",
        ),
        (
            "setCandidateEmployments",
            "mutation ($id: ID!) { setCandidateEmployments(input: { candidateId: $id, employments: [] }) { userErrors { code } } }",
            json!({ "id": nobody("Candidate") }),
            "write_candidates",
        ),
        (
            "Candidate.jsonResume",
            "{ candidates(first: 1) { nodes { jsonResume employments { company } } } }",
            json!({}),
            "read_candidates",
        ),
        (
            "possibleDuplicates",
            "query ($id: ID!) { possibleDuplicates(candidateId: $id) { reasons } }",
            json!({ "id": nobody("Candidate") }),
            "read_candidates",
        ),
        (
            "mergeCandidates",
            "mutation ($s: ID!, $d: ID!) { mergeCandidates(input: { survivorId: $s, duplicateId: $d }) { userErrors { code } } }",
            json!({ "s": nobody("Candidate"), "d": nobody("Candidate") }),
            "write_candidates",
        ),
        (
            "setJobPublishing",
            "mutation { setJobPublishing(enabled: false) { userErrors { code } } }",
            json!({}),
            "admin",
        ),
        ("applications", "{ applications(first: 1) { totalCount } }", json!({}), "read_applications"),
        (
            "moveApplication",
            "mutation ($id: ID!) { moveApplication(input: { id: $id, stage: SCREENING }) { userErrors { code } } }",
            json!({ "id": nobody("Application") }),
            "write_applications",
        ),
        ("me", "{ me { permissions } }", json!({}), "anyone"),
        ("recruiters", "{ recruiters { id } }", json!({}), "people"),
        ("apiClients", "{ apiClients { id } }", json!({}), "admin"),
        ("auditEvents", "{ auditEvents(first: 1) { totalCount } }", json!({}), "admin"),
        ("createApiClient", CREATE_CLIENT, json!({ "name": " ", "scopes": ["ROLES_READ"] }), "admin"),
        (
            "revokeApiClient",
            "mutation ($id: ID!) { revokeApiClient(id: $id) { apiClient { id } } }",
            json!({ "id": nobody("ApiClient") }),
            "admin",
        ),
        ("inviteRecruiter", INVITE, json!({ "email": "not-an-email", "role": "VIEWER" }), "admin"),
        (
            "deactivateRecruiter",
            "mutation ($id: ID!) { deactivateRecruiter(id: $id) { recruiter { id } } }",
            json!({ "id": nobody("Recruiter") }),
            "admin",
        ),
        (
            "setRejectionReasons",
            "mutation { setRejectionReasons(reasons: []) { userErrors { code } } }",
            json!({}),
            "admin",
        ),
    ];
    let reads = ["read_skills", "read_roles", "read_candidates", "read_applications", "anyone", "people"];
    let writes = ["write_skills", "write_roles", "write_candidates", "write_applications"];
    let mut callers: Vec<(String, String, Vec<&str>)> = Vec::new();
    let everything: Vec<&str> = reads.iter().chain(&writes).copied().chain(["admin"]).collect();
    callers.push(("ADMIN".to_owned(), app.token(&app.acme, Admin).await, everything));
    callers.push((
        "RECRUITER".to_owned(),
        app.token(&app.acme, Recruiter).await,
        reads.iter().chain(&writes).copied().collect(),
    ));
    callers.push(("VIEWER".to_owned(), app.token(&app.acme, Viewer).await, reads.to_vec()));
    let scopes: [(&str, &[&str]); 8] = [
        ("CANDIDATES_READ", &["read_candidates"]),
        ("CANDIDATES_WRITE", &["read_candidates", "write_candidates"]),
        ("ROLES_READ", &["read_roles"]),
        ("ROLES_WRITE", &["read_roles", "write_roles"]),
        ("APPLICATIONS_READ", &["read_applications"]),
        ("APPLICATIONS_WRITE", &["read_applications", "write_applications"]),
        ("SKILLS_WRITE", &["write_skills"]),
        ("WEBHOOKS_MANAGE", &[]),
    ];
    for (scope, grants) in scopes {
        let created =
            app.graphql_as(&app.acme, Admin, CREATE_CLIENT, json!({ "name": scope, "scopes": [scope] })).await;
        let payload = &created["data"]["createApiClient"];
        let issued = client_token(
            &app,
            payload["apiClient"]["clientId"].as_str().unwrap(),
            payload["clientSecret"].as_str().unwrap(),
        )
        .await;
        let mut allowed = vec!["read_skills", "anyone"];
        allowed.extend_from_slice(grants);
        callers.push((
            format!("client {scope}"),
            issued["data"]["issueClientToken"]["accessToken"].as_str().unwrap().to_owned(),
            allowed,
        ));
    }
    let clients_before = api_clients::Entity::find().all(&app.db).await.unwrap().len();
    for (caller, token, allowed) in &callers {
        for (name, operation, variables, needs) in &operations {
            let body = app.graphql_with(Some(token), operation, variables.clone()).await;
            let code = first_error_code(&body);
            if allowed.contains(needs) {
                assert_ne!(code, Some("FORBIDDEN"), "{caller} should be allowed {name}: {body}");
                assert_ne!(code, Some("UNAUTHENTICATED"), "{caller} {name}: {body}");
            } else {
                assert_eq!(code, Some("FORBIDDEN"), "{caller} must not {name}: {body}");
            }
        }
    }
    assert_eq!(api_clients::Entity::find().all(&app.db).await.unwrap().len(), clients_before, "nothing was created");
    for (name, operation, variables, _) in &operations {
        let body = app.anonymous(operation, variables.clone()).await;
        assert_eq!(first_error_code(&body), Some("UNAUTHENTICATED"), "anonymous {name}: {body}");
    }
}

fn openssl_key(args: &[&str]) -> Option<Vec<u8>> {
    let dir = tempfile::tempdir().ok()?;
    let path = dir.path().join("key.pem");
    let status =
        std::process::Command::new("openssl").args(["genpkey"]).args(args).arg("-out").arg(&path).status().ok()?;
    status.success().then(|| std::fs::read(&path).ok()).flatten()
}

#[test]
fn short_rsa_keys_are_refused() {
    let Some(pem) = openssl_key(&["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024"]) else {
        eprintln!("openssl not available: short RSA key test skipped");
        return;
    };
    let refused = talentgraph::auth::tokens::JwtKeys::from_private_key_pem(jsonwebtoken::Algorithm::RS256, &pem);
    let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("1024 bits") && message.contains("2048"), "{message}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn asymmetric_keys_publish_a_jwks_that_verifies_our_tokens() {
    for (algorithm, args) in [
        (jsonwebtoken::Algorithm::EdDSA, vec!["-algorithm", "ed25519"]),
        (jsonwebtoken::Algorithm::RS256, vec!["-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048"]),
    ] {
        let Some(pem) = openssl_key(&args) else {
            eprintln!("openssl not available: asymmetric key test skipped");
            return;
        };
        let keys = talentgraph::auth::tokens::JwtKeys::from_private_key_pem(algorithm, &pem).unwrap();
        let app = TestApp::spawn_with(Backend::Sqlite, |s| s.jwt_keys = std::sync::Arc::new(keys)).await.unwrap();
        let token = app.token(&app.acme, Viewer).await;
        let jwks: Value = app.client.get(app.url("/.well-known/jwks.json")).send().await.unwrap().json().await.unwrap();
        assert_eq!(jwks["keys"].as_array().unwrap().len(), 1, "{jwks}");
        assert!(jwks.to_string().find("\"d\"").is_none(), "the private key must not be published: {jwks}");
        let jwk: jsonwebtoken::jwk::Jwk = serde_json::from_value(jwks["keys"][0].clone()).unwrap();
        let mut validation = jsonwebtoken::Validation::new(algorithm);
        validation.set_audience(&["talentgraph-api"]);
        validation.set_issuer(&["talentgraph"]);
        let decoded =
            jsonwebtoken::decode::<Value>(&token, &jsonwebtoken::DecodingKey::from_jwk(&jwk).unwrap(), &validation)
                .unwrap();
        assert_eq!(decoded.claims["role"], "VIEWER");
        assert_eq!(decoded.claims["org"], app.acme.id.to_string());
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, algorithm);
        // RFC 7638: anyone can compute the key id from the public key alone.
        let thumbprint = jwk.thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256).unwrap();
        assert_eq!(header.kid.as_deref(), Some(thumbprint.as_str()));
        assert_eq!(jwk.common.key_id.as_deref(), Some(thumbprint.as_str()));
        // An HS256 token made with the public key as secret (the classic confusion attack) fails.
        let confused = jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            &decoded.claims,
            &jsonwebtoken::EncodingKey::from_secret(jwks["keys"][0].to_string().as_bytes()),
        )
        .unwrap();
        assert_eq!(first_error_code(&app.graphql_with(Some(&confused), ME, json!({})).await), Some("UNAUTHENTICATED"));
    }
}

/// `acceptInvitation` reads the invitation, hashes the password (slow), then claims it. A
/// deactivation that lands during the hash must win: the claim re-checks in its own write. The
/// interleaving is made deterministic by running the claim step after the deactivation.
async fn a_deactivation_during_the_password_hash_wins(app: TestApp) {
    use entity::recruiter_invitations;
    use sea_orm::{ColumnTrait, QueryFilter};
    use talentgraph::accounts::service::claim_invitation;

    let invite = |email: &'static str| {
        let app = &app;
        async move {
            let body = app.graphql_as(&app.acme, Admin, INVITE, json!({ "email": email, "role": "RECRUITER" })).await;
            let id = body["data"]["inviteRecruiter"]["recruiter"]["id"].clone();
            let recruiter = talentgraph::graphql::ids::decode("Recruiter", &async_graphql_id(&id), "id").unwrap();
            let invitation = recruiter_invitations::Entity::find()
                .filter(recruiter_invitations::Column::RecruiterId.eq(recruiter))
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            (id, recruiter, invitation.id)
        }
    };
    // Read and hashed before the deactivation…
    let (id, recruiter, invitation) = invite("racing@acme.test").await;
    let deactivate =
        "mutation ($id: ID!) { deactivateRecruiter(id: $id) { recruiter { active } userErrors { code } } }";
    let done = app.graphql_as(&app.acme, Admin, deactivate, json!({ "id": id })).await;
    assert_eq!(done["data"]["deactivateRecruiter"]["recruiter"]["active"], false, "{done}");
    // …claimed after it: refused, and nothing is undone.
    assert!(!claim_invitation(&app.db, invitation, chrono::Utc::now()).await.unwrap());
    let row = recruiter_invitations::Entity::find_by_id(invitation).one(&app.db).await.unwrap().unwrap();
    assert!(row.accepted_at.is_none());
    assert!(!recruiters::Entity::find_by_id(recruiter).one(&app.db).await.unwrap().unwrap().active);

    // Without a deactivation the claim succeeds once; a second (a concurrent accept) is refused.
    let (_, _, fresh) = invite("calm@acme.test").await;
    assert!(claim_invitation(&app.db, fresh, chrono::Utc::now()).await.unwrap());
    assert!(!claim_invitation(&app.db, fresh, chrono::Utc::now()).await.unwrap());
}

fn async_graphql_id(value: &Value) -> async_graphql::ID {
    async_graphql::ID(value.as_str().unwrap().to_owned())
}

/// `me` asked of the server at `address` with `token`.
async fn me_at(client: &reqwest::Client, address: &str, token: &str) -> Value {
    let request = client.post(format!("{address}/graphql")).bearer_auth(token).json(&json!({ "query": ME }));
    request.send().await.unwrap().json().await.unwrap()
}

/// Asks `address` for `me` with `token` every 10 ms until it is refused; how long that took, or
/// `None` when it still answered after two seconds.
async fn refused_within(client: &reqwest::Client, address: &str, token: &str) -> Option<std::time::Duration> {
    let started = std::time::Instant::now();
    while started.elapsed() < std::time::Duration::from_secs(2) {
        let body = me_at(client, address, token).await;
        if first_error_code(&body) == Some("UNAUTHENTICATED") {
            return Some(started.elapsed());
        }
        assert_eq!(body["data"]["me"]["organization"]["slug"], "acme", "{body}");
        tokio::time::sleep(std::time::Duration::from_millis(10)).await;
    }
    None
}

/// Two servers on one PostgreSQL database: a recruiter deactivated through one, or changed by
/// hand in the database, is refused by the other as soon as the change is announced (well
/// before the 10 s a caller is remembered for), though both had just let the token through.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_to_a_caller_reaches_every_instance_on_postgres() {
    let Some(app) = TestApp::spawn_if_available(Backend::Postgres).await else { return };
    let second = app.second_instance().await;
    let viewer = app.token(&app.acme, Viewer).await;
    let recruiter = app.token(&app.acme, Recruiter).await;
    for token in [&viewer, &recruiter] {
        for address in [app.address.as_str(), second.as_str()] {
            for _ in 0..2 {
                let body = me_at(&app.client, address, token).await;
                assert_eq!(body["data"]["me"]["organization"]["slug"], "acme", "{body}");
            }
        }
    }

    let done = app.deactivate_recruiter(&app.acme, app.acme.viewer).await;
    assert_eq!(done["data"]["deactivateRecruiter"]["recruiter"]["active"], false, "{done}");
    let took = refused_within(&app.client, &second, &viewer).await;
    assert!(took.is_some_and(|t| t < std::time::Duration::from_secs(1)), "the other instance took {took:?}");

    // By hand, outside any server: the trigger announces it all the same.
    let statement = sea_orm::Statement::from_sql_and_values(
        sea_orm::DatabaseBackend::Postgres,
        "UPDATE recruiters SET role = 'VIEWER' WHERE id = $1",
        [app.acme.recruiter.into()],
    );
    sea_orm::ConnectionTrait::execute_raw(&app.db, statement).await.unwrap();
    for address in [app.address.as_str(), second.as_str()] {
        let took = refused_within(&app.client, address, &recruiter).await;
        assert!(took.is_some_and(|t| t < std::time::Duration::from_secs(1)), "{address} took {took:?}");
    }
}
