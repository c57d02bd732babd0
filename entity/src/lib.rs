//! sea-orm entities of talentgraph, one module per table.
//!
//! This crate knows nothing of GraphQL: the API layer maps these rows into its own types, so
//! renaming a column never silently changes the public schema. Every tenant-owned table carries
//! `organization_id`.

pub mod api_clients;
pub mod application_events;
pub mod applications;
pub mod candidate_employments;
pub mod candidate_merges;
pub mod candidate_skills;
pub mod candidate_tags;
pub mod candidates;
pub mod domain_events;
pub mod enums;
pub mod login_failures;
pub mod matching_weights;
pub mod organizations;
pub mod recruiter_invitations;
pub mod recruiters;
pub mod refresh_tokens;
pub mod rejection_reasons;
pub mod roles;
pub mod skill_aliases;
pub mod skill_relations;
pub mod skill_requirements;
pub mod skills;

pub use enums::*;
