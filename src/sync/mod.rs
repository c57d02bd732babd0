//! ATS sync: idempotent bulk upserts of candidates and roles keyed by their external
//! reference. Orchestration only: the rules of each entity stay in its own slice (candidates,
//! roles, skills), which this slice calls in batches.

pub mod graphql;
pub mod jsonresume;
pub mod model;
pub mod resume;
pub mod service;
