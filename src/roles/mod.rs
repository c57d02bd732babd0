//! Roles (job openings) and their skill requirements.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod service;
