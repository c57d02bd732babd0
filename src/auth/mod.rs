//! Authentication and authorization: password hashes, JWTs, the caller (`Viewer`) and its
//! organization (`Tenant`), permissions and GraphQL guards, sign-in and API clients.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod oauth;
pub mod password;
pub mod permissions;
pub mod service;
pub mod tokens;
pub mod viewer;

pub use permissions::{Permission, Scope};
pub use viewer::{Authentication, Tenant, Viewer};
