//! The playground: offline assets, its Content-Security-Policy, and introspection on and off.

use serde_json::Value;

use crate::helpers::{Backend, TestApp};

async fn playground_app() -> TestApp {
    TestApp::spawn_with(Backend::Sqlite, |settings| settings.playground = true).await.unwrap()
}

/// The `src` and `href` values of the page's tags.
fn sources(page: &str) -> Vec<&str> {
    ["src=\"", "href=\""]
        .iter()
        .flat_map(|attribute| page.split(attribute).skip(1).filter_map(|rest| rest.split('"').next()))
        .collect()
}

#[tokio::test]
async fn the_page_loads_everything_from_this_server_under_a_csp() {
    let app = playground_app().await;
    let response = app.client.get(app.url("/")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    let csp = response.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.contains("default-src 'none'") && csp.contains("script-src 'self';"), "{csp}");
    assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{csp}");
    let page = response.text().await.unwrap();
    assert!(!page.contains("https://") && !page.contains("http://"), "no external URL in the page: {page}");
    let sources = sources(&page);
    assert_eq!(sources.len(), 6, "{sources:?}");
    for source in sources {
        assert!(source.starts_with("/playground/assets/"), "{source}");
        let asset = app.client.get(app.url(source)).send().await.unwrap();
        assert_eq!(asset.status(), 200, "{source}");
        let content_type = asset.headers()["content-type"].to_str().unwrap().to_owned();
        let expected = if source.rsplit('.').next() == Some("js") {
            "text/javascript; charset=utf-8"
        } else {
            "text/css; charset=utf-8"
        };
        assert_eq!(content_type, expected, "{source}");
        assert_eq!(asset.headers()["x-content-type-options"], "nosniff", "{source}");
        let cache = asset.headers()["cache-control"].to_str().unwrap().to_owned();
        if source.contains("-3.9.0") || source.contains("-18.3.1") {
            assert_eq!(cache, "public, max-age=31536000, immutable", "{source}");
        } else {
            assert_eq!(cache, "no-cache", "{source}");
        }
        assert!(!asset.bytes().await.unwrap().is_empty(), "{source}");
    }
    // The settings travel as a JSON data block, not as script.
    let config =
        page.split("id=\"playground-config\">").nth(1).and_then(|rest| rest.split("</script>").next()).unwrap();
    let config: Value = serde_json::from_str(config).unwrap();
    assert_eq!(config["url"], "/graphql");
    assert!(config["query"].as_str().unwrap().contains("query Taxonomy"));
    let nonce = config["styleNonce"].as_str().unwrap();
    assert!(csp.contains(&format!("'nonce-{nonce}'")), "{csp}");
}

#[tokio::test]
async fn assets_are_not_served_without_the_playground_or_under_unknown_names() {
    let off = TestApp::spawn(Backend::Sqlite).await;
    let response = off.client.get(off.url("/playground/assets/playground.js")).send().await.unwrap();
    assert_eq!(response.status(), 404);
    let on = playground_app().await;
    for name in ["nothing.js", "..%2Fplayground.rs", "graphiql-3.9.0.min.js.map"] {
        let response = on.client.get(on.url(&format!("/playground/assets/{name}"))).send().await.unwrap();
        assert_eq!(response.status(), 404, "{name}");
    }
}

const INTROSPECTION_QUERY: &str = include_str!("fixtures/introspection.graphql");

#[tokio::test]
async fn introspection_is_off_unless_enabled() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    for query in ["{ __schema { queryType { name } } }", "{ __type(name: \"Query\") { name } }"] {
        let (status, body) = app.post_json(&serde_json::json!({ "query": query })).await;
        assert_eq!(status, 200, "{body}");
        assert!(body.get("data").is_none_or(|data| data.get("__schema").is_none_or(Value::is_null)), "{body}");
        assert_eq!(body["errors"][0]["extensions"]["code"], "FORBIDDEN", "{body}");
    }
}

#[tokio::test]
async fn the_standard_introspection_query_answers_when_enabled() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| settings.introspection = true).await.unwrap();
    let (status, body) = app.post_json(&serde_json::json!({ "query": INTROSPECTION_QUERY })).await;
    assert_eq!(status, 200);
    assert!(body.get("errors").is_none(), "{body}");
    assert_eq!(body["data"]["__schema"]["queryType"]["name"], "Query");
    let types = body["data"]["__schema"]["types"].as_array().unwrap();
    assert!(types.iter().any(|t| t["name"] == "Candidate"), "{body}");
    // The exemption is for bounded introspection only: data queries and the circular attack
    // keep the data nesting limit.
    let circular = format!("{{ __schema {{ types {}name{} }} }}", "{ fields { type ".repeat(6), " } }".repeat(6));
    let (_, body) = app.post_json(&serde_json::json!({ "query": circular })).await;
    assert_eq!(body["errors"][0]["message"], "Query is nested too deep.", "{body}");
}

#[tokio::test]
async fn a_demo_playground_renews_its_token_and_others_hand_out_none() {
    let demo = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.demo = true;
        settings.playground = true;
    })
    .await
    .unwrap();
    let response = demo.client.get(demo.url("/playground/token")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let renewed: Value = response.json().await.unwrap();
    let token = renewed["accessToken"].as_str().unwrap();
    let expires_at = chrono::DateTime::parse_from_rfc3339(renewed["expiresAt"].as_str().unwrap()).unwrap();
    let lifetime = expires_at.with_timezone(&chrono::Utc) - chrono::Utc::now();
    assert!(lifetime <= chrono::Duration::minutes(15) && lifetime > chrono::Duration::minutes(14), "{lifetime}");
    // The demo RECRUITER's normal token: it reads, but is no ADMIN.
    let me = demo.graphql_with(Some(token), "{ me { permissions } }", serde_json::json!({})).await;
    let permissions = me["data"]["me"]["permissions"].as_array().unwrap();
    assert!(permissions.iter().any(|p| p == "READ_CANDIDATES"), "{me}");
    assert!(!permissions.iter().any(|p| p == "MANAGE_RECRUITERS"), "{me}");
    // The page says where and when to renew.
    let page = demo.client.get(demo.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("\"tokenUrl\":\"/playground/token\"") && page.contains("\"tokenExpiresAt\":\""), "{page}");

    // A playground that is not signed in, or off, hands out nothing.
    for app in [playground_app().await, TestApp::spawn(Backend::Sqlite).await] {
        assert_eq!(app.client.get(app.url("/playground/token")).send().await.unwrap().status(), 404);
    }
}
