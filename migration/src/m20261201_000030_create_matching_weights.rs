//! Each organization's matching weights: the default weight of each importance, of the role's
//! minimum total years, and the credits of narrower and implied skills. One row per organization
//! that changed them; a missing row, or a NULL column, means the scorer's default (so a future
//! scorer version's defaults reach every organization that never chose).

#[allow(clippy::wildcard_imports, reason = "the schema helpers are this file's vocabulary")]
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum MatchingWeights {
    Table,
    OrganizationId,
    Required,
    Preferred,
    NiceToHave,
    Experience,
    NarrowerCredit,
    ImpliedCredit,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(MatchingWeights::Table)
                    .if_not_exists()
                    .col(uuid(MatchingWeights::OrganizationId).primary_key())
                    .col(double_null(MatchingWeights::Required))
                    .col(double_null(MatchingWeights::Preferred))
                    .col(double_null(MatchingWeights::NiceToHave))
                    .col(double_null(MatchingWeights::Experience))
                    .col(double_null(MatchingWeights::NarrowerCredit))
                    .col(double_null(MatchingWeights::ImpliedCredit))
                    .col(timestamp_with_time_zone(MatchingWeights::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_matching_weights_organization")
                            .from(MatchingWeights::Table, MatchingWeights::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(MatchingWeights::Table).if_exists().take()).await
    }
}
