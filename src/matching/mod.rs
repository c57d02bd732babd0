//! Explainable matching: who fits a role and why. `score` is the formula as pure functions;
//! `index` keeps each organization's pool in memory, fresh from the domain events; `service`
//! ranks, filters and pages over it.

pub mod graphql;
pub mod index;
pub mod model;
pub mod score;
pub mod service;
