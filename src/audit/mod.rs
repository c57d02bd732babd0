//! The audit trail: every mutation appends who did what to which entity, in the same
//! transaction as the change; ADMINs read it.

pub mod graphql;
pub mod service;
