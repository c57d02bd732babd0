//! Public job postings: a role as schema.org `JobPosting` JSON-LD (what job boards and search
//! engines read), the organization's opt-in to publishing, and the lookups behind the open
//! routes `/jobs/{id}` and `/orgs/{slug}/jobs.jsonld` (`crate::http::jobs`).
//!
//! Only OPEN roles of an organization that enabled publishing are ever public; everything else
//! answers as if it did not exist, but for a role that was deleted (410, found through its
//! `role.delete` domain event) or whose `validThrough` has passed.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod service;
