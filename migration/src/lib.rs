//! The one migration history of talentgraph. It runs unchanged on SQLite and PostgreSQL.
//!
//! Migrations are append-only: a deployed migration is never edited; a change is a new file
//! named `mYYYYMMDD_NNNNNN_<verb>_<noun>.rs`.

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_create_core_tables;
mod m20261125_000002_seed_skill_taxonomy;
mod m20261125_000003_create_auth_tables;
mod m20261125_000004_create_audit_events;
mod m20261125_000005_create_rejection_reasons;
mod m20261125_000006_add_search_text;
mod m20261201_000001_create_domain_events;
mod m20261201_000002_add_lookup_indexes;
mod m20261201_000003_sync_skill_taxonomy;
mod m20261201_000010_add_job_publishing;
mod m20261201_000011_create_candidate_merges;
mod m20261201_000020_create_candidate_employments;
mod m20261201_000021_resync_skill_taxonomy;
mod m20261201_000030_create_matching_weights;
mod m20261201_000031_add_derived_years;
mod m20261201_000032_resync_skill_taxonomy;
mod m20261201_000033_resync_skill_taxonomy;
mod m20261202_000034_resync_skill_taxonomy;
mod m20261202_000035_resync_skill_taxonomy;
mod m20261202_000036_notify_caller_changes;
mod m20261202_000037_resync_skill_taxonomy;
mod m20261203_000038_resync_skill_taxonomy;
pub mod search_text;
pub mod skill_names;
pub mod taxonomy;
pub mod unique_indexes;

/// Every migration, in order.
pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_create_core_tables::Migration),
            Box::new(m20261125_000002_seed_skill_taxonomy::Migration),
            Box::new(m20261125_000003_create_auth_tables::Migration),
            Box::new(m20261125_000004_create_audit_events::Migration),
            Box::new(m20261125_000005_create_rejection_reasons::Migration),
            Box::new(m20261125_000006_add_search_text::Migration),
            Box::new(m20261201_000001_create_domain_events::Migration),
            Box::new(m20261201_000002_add_lookup_indexes::Migration),
            Box::new(m20261201_000003_sync_skill_taxonomy::Migration),
            Box::new(m20261201_000010_add_job_publishing::Migration),
            Box::new(m20261201_000011_create_candidate_merges::Migration),
            Box::new(m20261201_000020_create_candidate_employments::Migration),
            Box::new(m20261201_000021_resync_skill_taxonomy::Migration),
            Box::new(m20261201_000030_create_matching_weights::Migration),
            Box::new(m20261201_000031_add_derived_years::Migration),
            Box::new(m20261201_000032_resync_skill_taxonomy::Migration),
            Box::new(m20261201_000033_resync_skill_taxonomy::Migration),
            Box::new(m20261202_000034_resync_skill_taxonomy::Migration),
            Box::new(m20261202_000035_resync_skill_taxonomy::Migration),
            Box::new(m20261202_000036_notify_caller_changes::Migration),
            Box::new(m20261202_000037_resync_skill_taxonomy::Migration),
            Box::new(m20261203_000038_resync_skill_taxonomy::Migration),
        ]
    }
}
