//! The audit trail: ADMINs read who did what to which entity, and when. It is the GraphQL face
//! of the organization's domain events (`crate::events`), which every change records in its
//! own transaction.

pub mod graphql;
