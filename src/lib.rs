//! talentgraph: a GraphQL API backend for technical recruiting.
//!
//! The binary (`main.rs`) only parses the command line and calls into this library, so tests
//! drive exactly the application that ships.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod candidates;
pub mod cli;
pub mod config;
pub mod database;
pub mod demo;
pub mod descriptions;
pub mod duplicates;
pub mod error;
pub mod events;
pub mod graphql;
pub mod http;
pub mod matching;
pub mod memory;
pub mod pagination;
pub mod pipeline;
pub mod postings;
pub mod roles;
pub mod skills;
pub mod startup;
pub mod sync;
pub mod telemetry;
pub mod values;
pub mod versioning;
