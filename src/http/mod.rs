//! HTTP routes: GraphQL over HTTP, health checks, the playground, OAuth2 token and JWKS.

pub mod cors;
pub mod graphql;
pub mod health;
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
        .route("/readyz", web::get().to(health::ready))
        .route("/oauth/token", web::post().to(oauth::token))
        .route("/.well-known/jwks.json", web::get().to(oauth::jwks))
        .route("/", web::get().to(playground::page))
        .route("/playground/assets/{name}", web::get().to(playground_assets::serve));
}
