//! Integration tests: each starts the real server on a random port against a fresh database,
//! once on SQLite and once on PostgreSQL (when `TEST_DATABASE_URL` is set), and talks HTTP.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, reason = "tests fail loudly on purpose")]
#![allow(clippy::too_many_lines, reason = "a test scenario reads top to bottom")]
#![allow(clippy::disallowed_methods, reason = "tests inspect the database directly, across organizations")]

mod helpers;

mod audit;
mod auth;
mod candidates;
mod cli;
mod descriptions;
mod duplicates;
mod employments;
mod graph;
mod http;
mod jsonresume;
mod limits;
mod matching;
mod matching_weights;
mod outage;
mod pipeline;
mod plans;
mod playground;
mod postings;
mod roles;
mod schema;
mod security;
mod seed;
mod skills;
mod sync;
