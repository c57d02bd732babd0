//! Organizations and the people and integrations that act in them: sign-in and token
//! rotation, recruiters and invitations, API clients and their tokens.

pub mod callers;
pub mod graphql;
pub mod loaders;
pub mod model;
pub mod service;
