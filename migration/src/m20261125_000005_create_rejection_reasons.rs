//! Each organization's own list of rejection reasons (the built-in list applies until an
//! organization sets its own).

#[allow(clippy::wildcard_imports, reason = "the schema helpers are this file's vocabulary")]
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum RejectionReasons {
    Table,
    OrganizationId,
    Code,
    Label,
    Position,
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
                    .table(RejectionReasons::Table)
                    .if_not_exists()
                    .col(uuid(RejectionReasons::OrganizationId))
                    .col(string_len(RejectionReasons::Code, 50))
                    .col(string_len(RejectionReasons::Label, 200))
                    .col(integer(RejectionReasons::Position))
                    .primary_key(Index::create().col(RejectionReasons::OrganizationId).col(RejectionReasons::Code))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_rejection_reasons_organization")
                            .from(RejectionReasons::Table, RejectionReasons::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(RejectionReasons::Table).if_exists().take()).await
    }
}
