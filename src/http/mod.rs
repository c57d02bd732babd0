//! HTTP routes: GraphQL over HTTP, health checks, the playground.

pub mod graphql;
pub mod health;
pub mod playground;

use actix_web::web;
use sea_orm::DatabaseConnection;

use crate::auth::Viewer;
use crate::auth::graphql::AuthConfig;
use crate::auth::oauth;
use crate::config::Limits;
use crate::graphql::AppSchema;

/// What every handler may use; cloned into each worker.
#[derive(Clone)]
pub struct AppState {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The executable schema.
    pub schema: AppSchema,
    /// Request limits.
    pub limits: Limits,
    /// Whether `GET /` serves the playground.
    pub playground: bool,
    /// Signing keys and token lifetimes.
    pub auth: AuthConfig,
    /// With `--demo`: the recruiter the playground is signed in as.
    pub playground_viewer: Option<Viewer>,
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
        .route("/", web::get().to(playground::page));
}
