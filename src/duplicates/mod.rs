//! Duplicates and merges of candidates: `possibleDuplicates` finds the organization's
//! candidates that are probably the same person (same email or phone, the same external id
//! from the same system, a near-identical name at the same company), each through an index;
//! `mergeCandidates` folds a duplicate into a survivor in one transaction and leaves a
//! redirect (`candidate_merges`) so that the duplicate's id keeps resolving to the survivor.

pub mod graphql;
pub mod model;
pub mod service;
