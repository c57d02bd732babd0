//! The GraphQL layer. `schema` is the composition root (the only module that lists every
//! slice, imported only by `startup`, `cli` and tests); the other modules are leaves that every
//! slice's `graphql.rs` may use.

pub mod context;
pub mod cost;
pub mod documents;
pub mod ids;
pub mod introspection;
pub mod node;
pub mod relay;
pub mod schema;
pub mod user_errors;
