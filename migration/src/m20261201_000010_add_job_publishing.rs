//! Public job postings (schema.org JobPosting): an organization's opt-in to publishing its OPEN
//! roles, and the two dates a posting carries that roles did not store: when the role first
//! opened (`datePosted`) and until when it takes applications (`validThrough`). Roles that left
//! DRAFT before this migration count as opened when they were created.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    PublishesJobs,
}

#[derive(DeriveIden, Clone, Copy)]
enum Roles {
    Table,
    Status,
    CreatedAt,
    OpenedAt,
    ValidThrough,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Organizations::Table)
                    .add_column(ColumnDef::new(Organizations::PublishesJobs).boolean().not_null().default(false))
                    .take(),
            )
            .await?;
        // SQLite adds one column per ALTER TABLE.
        for column in [Roles::OpenedAt, Roles::ValidThrough] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Roles::Table)
                        .add_column(ColumnDef::new(column).timestamp_with_time_zone().null())
                        .take(),
                )
                .await?;
        }
        let backfill = Query::update()
            .table(Roles::Table)
            .value(Roles::OpenedAt, Expr::col(Roles::CreatedAt))
            .and_where(Expr::col(Roles::Status).ne("DRAFT"))
            .to_owned();
        manager.exec_stmt(backfill).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [Roles::ValidThrough, Roles::OpenedAt] {
            manager.alter_table(Table::alter().table(Roles::Table).drop_column(column).take()).await?;
        }
        manager
            .alter_table(Table::alter().table(Organizations::Table).drop_column(Organizations::PublishesJobs).take())
            .await
    }
}
