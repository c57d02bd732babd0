//! The skill taxonomy: built-in skills plus each organization's own, with aliases and
//! broader/implies links, so that any spelling of a skill resolves to one row.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod service;
