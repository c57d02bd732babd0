//! The server over HTTP: GraphQL-over-HTTP behaviour, health checks, playground, limits.

use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, first_error_code};
use crate::on_both_backends;

on_both_backends!(answers_typename, health_endpoints_answer);

async fn answers_typename(app: TestApp) {
    let (status, body) = app.post_json(&json!({ "query": "{ __typename }" })).await;
    assert_eq!(status, 200);
    assert_eq!(
        body,
        json!({
            "data": { "__typename": "Query" },
            "extensions": { "cost": { "requestedQueryCost": 1, "maxQueryCost": 500_000 } }
        })
    );
}

async fn health_endpoints_answer(app: TestApp) {
    for path in ["/healthz", "/readyz"] {
        let response = app.client.get(app.url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["status"], "ok", "{path}");
    }
}

async fn sqlite_app() -> TestApp {
    TestApp::spawn(Backend::Sqlite).await
}

#[tokio::test]
async fn mutation_over_get_is_refused_with_405() {
    let app = sqlite_app().await;
    let response =
        app.client.get(app.url("/graphql")).query(&[("query", "mutation { __typename }")]).send().await.unwrap();
    assert_eq!(response.status(), 405);
    assert_eq!(response.headers()["allow"], "POST");
    let body: Value = response.json().await.unwrap();
    assert!(body.get("data").is_none());
    assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"));
}

#[tokio::test]
async fn query_over_get_works_with_json_variables() {
    let app = sqlite_app().await;
    let token = app.token(&app.acme, entity::RecruiterRole::Viewer).await;
    let response = app
        .client
        .get(app.url("/graphql"))
        .bearer_auth(token)
        .query(&[("query", "query ($n: String!) { skill(name: $n) { slug } }"), ("variables", r#"{"n":"Spark"}"#)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["skill"]["slug"], "apache-spark");
}

#[tokio::test]
async fn response_type_follows_accept() {
    let app = sqlite_app().await;
    let post = |accept: &'static str| {
        app.client
            .post(app.url("/graphql"))
            .header("accept", accept)
            .header("content-type", "application/json")
            .body(r#"{"query":"{ __typename }"}"#)
            .send()
    };
    let json_only = post("application/json").await.unwrap();
    assert_eq!(json_only.headers()["content-type"], "application/json; charset=utf-8");
    let graphql = post("application/graphql-response+json").await.unwrap();
    assert_eq!(graphql.headers()["content-type"], "application/graphql-response+json; charset=utf-8");
    let anything = post("*/*").await.unwrap();
    assert_eq!(anything.headers()["content-type"], "application/json; charset=utf-8");
    assert_eq!(post("text/html").await.unwrap().status(), 406);
}

#[tokio::test]
async fn request_errors_have_no_data_and_status_depends_on_accept() {
    let app = sqlite_app().await;
    for (accept, status) in [("application/graphql-response+json", 400), ("application/json", 200)] {
        for query in ["{ __typename", "{ noSuchField }"] {
            let response = app
                .client
                .post(app.url("/graphql"))
                .header("accept", accept)
                .json(&json!({ "query": query }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), status, "{accept} {query}");
            let body: Value = response.json().await.unwrap();
            assert!(body.get("data").is_none(), "{body}");
            assert_eq!(first_error_code(&body), Some("BAD_USER_INPUT"), "{body}");
        }
    }
}

#[tokio::test]
async fn malformed_requests_get_4xx_not_5xx() {
    let app = sqlite_app().await;
    let send = |content_type: Option<&'static str>, body: &'static str| {
        let mut request = app.client.post(app.url("/graphql")).body(body);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request.send()
    };
    assert_eq!(send(Some("text/plain"), r#"{"query":"{ __typename }"}"#).await.unwrap().status(), 415);
    assert_eq!(send(None, r#"{"query":"{ __typename }"}"#).await.unwrap().status(), 415);
    assert_eq!(
        send(Some("application/json; charset=latin1"), r#"{"query":"{ __typename }"}"#).await.unwrap().status(),
        415
    );
    assert_eq!(send(Some("application/json"), "{not json").await.unwrap().status(), 400);
    assert_eq!(send(Some("application/json"), "[1,2]").await.unwrap().status(), 400);
    assert_eq!(send(Some("application/json"), r#"{"query": 42}"#).await.unwrap().status(), 400);
    assert_eq!(
        send(Some("application/json"), r#"{"query":"{ __typename }","variables":"x"}"#).await.unwrap().status(),
        400
    );
    let ok = send(Some("application/json; charset=utf-8"), r#"{"query":"{ __typename }"}"#).await.unwrap();
    assert_eq!(ok.status(), 200);
    let put = app.client.put(app.url("/graphql")).send().await.unwrap();
    assert_eq!(put.status(), 405);
}

#[tokio::test]
async fn oversized_bodies_are_refused_with_413() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.limits.max_body_bytes = 1_000).await.unwrap();
    let padding = "x".repeat(2_000);
    let response = app
        .client
        .post(app.url("/graphql"))
        .json(&json!({ "query": "{ __typename }", "extensions": { "padding": padding } }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 413);
    let small = app.post_json(&json!({ "query": "{ __typename }" })).await;
    assert_eq!(small.0, 200);
}

#[tokio::test]
async fn queries_deeper_than_the_limit_are_refused() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.limits.max_depth = 4).await.unwrap();
    let body = app.graphql("{ skills { edges { node { broader { broader { name } } } } } }", json!({})).await;
    assert!(body.get("data").is_none(), "{body}");
    assert!(body["errors"][0]["message"].as_str().unwrap_or_default().contains("nested too deep"), "{body}");
    let shallow = app.graphql("{ skills(first: 1) { nodes { name } } }", json!({})).await;
    assert!(shallow["errors"].is_null(), "{shallow}");
}

#[tokio::test]
async fn playground_is_off_by_default_and_on_when_enabled() {
    let off = sqlite_app().await;
    assert_eq!(off.client.get(off.url("/")).send().await.unwrap().status(), 404);
    let on = TestApp::spawn_with(Backend::Sqlite, |s| s.playground = true).await.unwrap();
    let response = on.client.get(on.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let page = response.text().await.unwrap();
    assert!(page.contains("graphiql") && page.contains("demo@talentgraph.dev"), "{page}");
    assert!(!page.contains("Bearer"), "only --demo signs the playground in");
}

/// A server that lets `https://app.example.com` call it from a browser.
async fn cors_app() -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.cors_origins = vec![talentgraph::http::cors::AllowedOrigin::parse("https://app.example.com").unwrap()];
    })
    .await
    .unwrap()
}

async fn preflight(app: &TestApp, origin: &str) -> reqwest::Response {
    app.client
        .request(reqwest::Method::OPTIONS, app.url("/graphql"))
        .header("Origin", origin)
        .header("Access-Control-Request-Method", "POST")
        .header("Access-Control-Request-Headers", "authorization, content-type")
        .send()
        .await
        .unwrap()
}

fn header<'a>(response: &'a reqwest::Response, name: &str) -> Option<&'a str> {
    response.headers().get(name).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn browsers_on_allowed_origins_may_call_the_api() {
    let app = cors_app().await;
    let allowed = preflight(&app, "https://app.example.com").await;
    assert_eq!(allowed.status().as_u16(), 204);
    assert_eq!(header(&allowed, "access-control-allow-origin"), Some("https://app.example.com"));
    let methods = header(&allowed, "access-control-allow-methods").unwrap_or_default().to_owned();
    assert!(methods.contains("POST") && methods.contains("GET"), "{methods}");
    let headers = header(&allowed, "access-control-allow-headers").unwrap_or_default().to_ascii_lowercase();
    assert!(headers.contains("authorization") && headers.contains("content-type"), "{headers}");
    assert!(header(&allowed, "vary").unwrap_or_default().to_ascii_lowercase().contains("origin"));
    assert_eq!(header(&allowed, "access-control-allow-credentials"), None, "bearer tokens, no cookies");

    let token = app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let post = app
        .client
        .post(app.url("/graphql"))
        .header("Origin", "https://app.example.com")
        .bearer_auth(&token)
        .json(&json!({ "query": "{ me { permissions } }" }))
        .send()
        .await
        .unwrap();
    assert_eq!(header(&post, "access-control-allow-origin"), Some("https://app.example.com"));
    assert!(header(&post, "vary").unwrap_or_default().to_ascii_lowercase().contains("origin"));
    let body: Value = post.json().await.unwrap();
    assert!(body["data"]["me"]["permissions"].is_array(), "{body}");
}

#[tokio::test]
async fn other_origins_get_no_cors_headers() {
    let app = cors_app().await;
    for origin in ["https://evil.example", "https://app.example.com.evil.example", "null"] {
        let refused = preflight(&app, origin).await;
        assert_ne!(refused.status().as_u16(), 204, "{origin}");
        assert!(refused.status().is_client_error(), "{origin}: {}", refused.status());
        assert_eq!(header(&refused, "access-control-allow-origin"), None, "{origin}");
        let post = app
            .client
            .post(app.url("/graphql"))
            .header("Origin", origin)
            .json(&json!({ "query": "{ __typename }" }))
            .send()
            .await
            .unwrap();
        // Non-browser clients still get their answer; a browser sees no permission to read it.
        assert_eq!(header(&post, "access-control-allow-origin"), None, "{origin}");
    }
    // By default no origin is allowed at all.
    let plain = sqlite_app().await;
    let refused = preflight(&plain, "https://app.example.com").await;
    assert_eq!(header(&refused, "access-control-allow-origin"), None);
}
