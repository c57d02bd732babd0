//! Roles from job descriptions: a free-text ad read into weighted, grouped requirements through
//! the taxonomy, deterministically and with the evidence for each.

pub mod graphql;
pub mod matcher;
pub mod model;
pub mod parse;
pub mod service;

#[cfg(test)]
mod evaluation;
