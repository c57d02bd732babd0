//! GraphiQL at `GET /`, when enabled (on with `--demo`, off by default). The page loads
//! GraphiQL from a CDN in the browser; the server only sends this HTML.

use actix_web::{HttpResponse, web};

use super::AppState;

/// The operation shown in the editor on first load.
pub const EXAMPLE_OPERATION: &str = r#"# Welcome to talentgraph, a GraphQL API for technical recruiting.
# With --demo this page is already signed in as the demo RECRUITER (reload it after 15 minutes).
# Demo login: demo@talentgraph.dev / talentgraph-demo
#   mutation { login(email: "demo@talentgraph.dev", password: "talentgraph-demo") { accessToken } }
#
# Any spelling of a skill resolves through the taxonomy: try "PySpark" or "apache-spark".
query Taxonomy {
  me { organization { name } caller { ... on Recruiter { displayName role } } }
  skill(name: "spark") {
    name
    category
    aliases
    narrower { name }
  }
  skills(first: 5, search: "kafka") {
    totalCount
    nodes { name slug category }
  }
}
"#;

const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>talentgraph playground</title>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@3.9.0/graphiql.min.css">
</head>
<body style="margin:0">
  <div id="graphiql" style="height:100vh"></div>
  <script crossorigin src="https://unpkg.com/react@18.3.1/umd/react.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/react-dom@18.3.1/umd/react-dom.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/graphiql@3.9.0/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: "/graphql", headers: __HEADERS__ });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, { fetcher, defaultQuery: __QUERY__, defaultEditorToolsVisibility: true })
    );
  </script>
</body>
</html>
"#;

/// The playground HTML with the example operation and request headers filled in.
#[must_use]
pub fn render(headers: &serde_json::Value) -> String {
    let query = serde_json::to_string(EXAMPLE_OPERATION).unwrap_or_default();
    // JSON is valid JavaScript; escaping `<` keeps "</script>" in data from closing the tag.
    PAGE.replace("__HEADERS__", &headers.to_string().replace('<', "\\u003c"))
        .replace("__QUERY__", &query.replace('<', "\\u003c"))
}

/// `GET /`: the playground page, or 404 when the playground is off.
pub async fn page(state: web::Data<AppState>) -> HttpResponse {
    if !state.playground {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("not found\n");
    }
    // In demo mode the page is signed in as the demo RECRUITER, so the first click returns
    // data; the token lives as long as any access token (reload the page for a fresh one).
    let headers = state
        .playground_viewer
        .as_ref()
        .and_then(|viewer| state.auth.keys.issue(viewer, state.auth.policy.access_ttl).ok())
        .map_or_else(
            || serde_json::json!({}),
            |token| serde_json::json!({ "Authorization": format!("Bearer {}", token.token) }),
        );
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .body(render(&headers))
}
