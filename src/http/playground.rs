//! GraphiQL at `GET /`, when enabled (on with `--demo`, off by default). GraphiQL, React and
//! their CSS are embedded in the binary (`playground_assets`), so the page works offline, under
//! a Content-Security-Policy that allows nothing but this server.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::AppState;
use crate::auth::tokens::AccessToken;

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

/// The page: every script and style comes from `/playground/assets/` on this server;
/// the settings travel in a JSON data block that `playground.js` reads (data, not a script, so
/// the CSP needs no 'unsafe-inline').
const PAGE: &str = r#"<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>talentgraph playground</title>
  <link rel="stylesheet" href="/playground/assets/graphiql-3.9.0.min.css">
  <link rel="stylesheet" href="/playground/assets/playground.css">
</head>
<body>
  <div id="graphiql"></div>
  <script type="application/json" id="playground-config">__CONFIG__</script>
  <script src="/playground/assets/react-18.3.1.production.min.js"></script>
  <script src="/playground/assets/react-dom-18.3.1.production.min.js"></script>
  <script src="/playground/assets/graphiql-3.9.0.min.js"></script>
  <script src="/playground/assets/playground.js"></script>
</body>
</html>
"#;

/// The page's Content-Security-Policy: scripts, styles and requests only from this server;
/// fonts and images also from `data:` URLs (GraphiQL's CSS inlines its fonts); the one
/// `<style>` element GraphiQL injects carries `style_nonce`.
#[must_use]
pub fn content_security_policy(style_nonce: &str) -> String {
    format!(
        "default-src 'none'; script-src 'self'; style-src 'self' 'nonce-{style_nonce}'; font-src 'self' data:; \
         img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
}

/// The playground HTML with its settings (endpoint, request headers, when their token expires
/// and where to renew it, example operation, style nonce) filled in.
#[must_use]
pub fn render(token: Option<&AccessToken>, style_nonce: &str) -> String {
    let config = serde_json::json!({
        "url": "/graphql",
        "headers": token.map_or_else(|| serde_json::json!({}), |t| serde_json::json!({ "Authorization": format!("Bearer {}", t.token) })),
        "tokenExpiresAt": token.map(|t| t.expires_at),
        "tokenUrl": TOKEN_PATH,
        "query": EXAMPLE_OPERATION,
        "styleNonce": style_nonce,
    });
    // Escaping `<` keeps "</script>" in the data from closing the block; `\u003c` is still JSON.
    PAGE.replace("__CONFIG__", &config.to_string().replace('<', "\\u003c"))
}

/// A fresh random nonce for one response (128 bits, base64).
fn nonce() -> String {
    use base64::Engine as _;
    use rand::RngCore as _;
    let mut bytes = [0u8; 16];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Where the page renews its token.
pub const TOKEN_PATH: &str = "/playground/token";

/// A token of the demo RECRUITER with the normal access lifetime, when the playground is signed
/// in (demo mode).
fn playground_token(state: &AppState) -> Option<AccessToken> {
    let viewer = state.playground_viewer.as_ref()?;
    state.auth.keys.issue(viewer, state.auth.policy.access_ttl).ok()
}

fn not_found() -> HttpResponse {
    HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("not found\n")
}

/// `GET /playground/token`: a fresh token for the page, which asks shortly before its token
/// expires (so a playground left open keeps working); 404 unless the playground is signed in.
/// It hands out nothing the page itself does not.
pub async fn token(state: web::Data<AppState>) -> HttpResponse {
    if !state.playground {
        return not_found();
    }
    match playground_token(&state) {
        Some(token) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(serde_json::json!({ "accessToken": token.token, "expiresAt": token.expires_at })),
        None => not_found(),
    }
}

/// `GET /`: the playground page, or 404 when the playground is off.
pub async fn page(state: web::Data<AppState>) -> HttpResponse {
    if !state.playground {
        return not_found();
    }
    // In demo mode the page is signed in as the demo RECRUITER, so the first click returns
    // data; the token has the normal access lifetime, and the page renews it before it expires.
    let token = playground_token(&state);
    let style_nonce = nonce();
    HttpResponse::Ok()
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::CONTENT_SECURITY_POLICY, content_security_policy(&style_nonce)))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::REFERRER_POLICY, "no-referrer"))
        .body(render(token.as_ref(), &style_nonce))
}
