//! Candidates: the organization's talent pool, with skills and tags; data-protection export and
//! erasure.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod service;
