//! Adds `search_text` (folded name and texts, see `search_text.rs`) to candidates and roles and
//! fills it for existing rows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, Statement, TransactionTrait};

use crate::search_text::of_fields;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Candidates {
    Table,
    SearchText,
}

#[derive(DeriveIden, Clone, Copy)]
enum Roles {
    Table,
    SearchText,
}

async fn backfill(manager: &SchemaManager<'_>, select: &str, update: &str) -> Result<(), DbErr> {
    let db = manager.get_connection();
    let backend = db.get_database_backend();
    let rows = db.query_all_raw(Statement::from_string(backend, select.to_owned())).await?;
    let txn = db.begin().await?;
    for row in rows {
        let id: sea_orm_migration::sea_orm::prelude::Uuid = row.try_get_by_index(0)?;
        let fields: Vec<Option<String>> =
            (1..4).map(|i| row.try_get_by_index::<Option<String>>(i)).collect::<Result<_, _>>()?;
        let text = of_fields(&fields.iter().map(Option::as_deref).collect::<Vec<_>>());
        txn.execute_raw(Statement::from_sql_and_values(backend, update, [text.into(), id.into()])).await?;
    }
    txn.commit().await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Candidates::Table)
                    .add_column(ColumnDef::new(Candidates::SearchText).text().not_null().default(""))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Roles::Table)
                    .add_column(ColumnDef::new(Roles::SearchText).text().not_null().default(""))
                    .take(),
            )
            .await?;
        let placeholder = |n: usize| match manager.get_database_backend() {
            sea_orm_migration::sea_orm::DatabaseBackend::Postgres => format!("${n}"),
            _ => "?".to_owned(),
        };
        backfill(
            manager,
            "SELECT id, full_name, headline, summary FROM candidates",
            &format!("UPDATE candidates SET search_text = {} WHERE id = {}", placeholder(1), placeholder(2)),
        )
        .await?;
        backfill(
            manager,
            "SELECT id, title, description, department FROM roles",
            &format!("UPDATE roles SET search_text = {} WHERE id = {}", placeholder(1), placeholder(2)),
        )
        .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table(Candidates::Table).drop_column(Candidates::SearchText).take()).await?;
        manager.alter_table(Table::alter().table(Roles::Table).drop_column(Roles::SearchText).take()).await
    }
}
