//! Pipelines: candidates in roles (applications), their stage moves and the numbers recruiters
//! watch.

pub mod graphql;
pub mod loaders;
pub mod model;
pub mod service;
