//! HTTP routes: GraphQL over HTTP, health checks, the playground, OAuth2 token and JWKS, and
//! the public job postings.

pub mod cors;
pub mod graphql;
pub mod health;
pub mod jobs;
pub mod oauth;
pub mod playground;
pub mod playground_assets;
pub mod text_guard;

use std::net::IpAddr;
use std::sync::Arc;

use actix_web::web;
use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use crate::auth::tokens::AuthConfig;
use crate::auth::{Authentication, Viewer};
use crate::config::Limits;

/// What every handler may use; cloned into each worker.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The GraphQL API the endpoint serves.
    pub api: Arc<dyn GraphqlApi>,
    /// Request limits.
    pub limits: Limits,
    /// Whether `GET /` serves the playground.
    pub playground: bool,
    /// Signing keys and token lifetimes.
    pub auth: AuthConfig,
    /// With `--demo`: the recruiter the playground is signed in as.
    pub playground_viewer: Option<Viewer>,
    /// Reverse proxies whose `Forwarded` / `X-Forwarded-For` headers name the client.
    pub trusted_proxies: Arc<Vec<IpAddr>>,
    /// Parsed documents by query text (parsing only: every check still runs per request).
    pub documents: Arc<crate::graphql::documents::DocumentCache>,
    /// Requests per client address on the public job pages.
    pub public_rate: Arc<jobs::PublicRateLimit>,
    /// The callers found current lately (the per-request check of a token's caller).
    pub callers: Arc<crate::accounts::callers::CurrentCallers>,
}

/// The client's address: the socket peer, or, when the peer is a trusted proxy, the nearest
/// untrusted address its `Forwarded` (RFC 7239) or `X-Forwarded-For` header names. Headers from
/// anyone else are ignored, so a client cannot choose its own rate-limit key.
#[must_use]
pub fn client_address(request: &actix_web::HttpRequest, trusted: &[IpAddr]) -> Option<IpAddr> {
    let peer = request.peer_addr()?.ip();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let headers = request.headers();
    let forwarded: Vec<IpAddr> = if let Some(value) = headers.get("forwarded").and_then(|v| v.to_str().ok()) {
        value
            .split(',')
            .filter_map(|element| {
                element.split(';').find_map(|pair| {
                    let (name, value) = pair.trim().split_once('=')?;
                    name.trim().eq_ignore_ascii_case("for").then(|| parse_node(value))?
                })
            })
            .collect()
    } else if let Some(value) = headers.get("x-forwarded-for").and_then(|v| v.to_str().ok()) {
        value.split(',').filter_map(parse_node).collect()
    } else {
        Vec::new()
    };
    // The chain is client, proxy, proxy…: the last address not of our own proxies is the client.
    forwarded.iter().rev().find(|address| !trusted.contains(address)).or(forwarded.first()).copied().or(Some(peer))
}

/// An address as proxies write it: `192.0.2.1`, `"[2001:db8::1]:4711"`, `192.0.2.1:80`.
fn parse_node(raw: &str) -> Option<IpAddr> {
    let node = raw.trim().trim_matches('"');
    if let Ok(address) = node.parse() {
        return Some(address);
    }
    if let Some(rest) = node.strip_prefix('[') {
        return rest.split_once(']').and_then(|(address, _)| address.parse().ok());
    }
    node.rsplit_once(':').and_then(|(address, _)| address.parse().ok())
}

/// The GraphQL API behind `/graphql`. The composition root implements it (with the schema and
/// every slice's per-request data), so the HTTP layer knows no slice.
pub trait GraphqlApi: Send + Sync {
    /// Runs `request` for the caller `authentication` connecting from `address`.
    fn execute(
        &self,
        request: async_graphql::Request,
        authentication: Authentication,
        address: Option<IpAddr>,
    ) -> BoxFuture<'_, async_graphql::Response>;
}

/// Mounts every route.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/graphql", web::post().to(graphql::post))
        .route("/graphql", web::get().to(graphql::get))
        .route("/graphql", web::route().to(graphql::method_not_allowed))
        .route("/healthz", web::get().to(health::alive))
        .route("/jobs/{id}", web::get().to(jobs::posting))
        .route("/orgs/{slug}/jobs.jsonld", web::get().to(jobs::feed))
        .route("/readyz", web::get().to(health::ready))
        .route("/oauth/token", web::post().to(oauth::token))
        .route("/.well-known/jwks.json", web::get().to(oauth::jwks))
        .route("/", web::get().to(playground::page))
        .route(playground::TOKEN_PATH, web::get().to(playground::token))
        .route("/playground/assets/{name}", web::get().to(playground_assets::serve));
}
