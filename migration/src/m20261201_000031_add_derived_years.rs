//! Which stored years were derived from the work history rather than given: a candidate's
//! total (`years_experience_derived`) and each skill's (`years_derived`). A current job (no end)
//! makes derived years grow with time, so a maintenance pass re-derives exactly these, and
//! never overwrites years a recruiter or an ATS gave. Rows written before this migration count
//! as given (nothing tells them apart).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Candidates {
    Table,
    YearsExperienceDerived,
}

#[derive(DeriveIden, Clone, Copy)]
enum CandidateSkills {
    Table,
    YearsDerived,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Candidates::Table)
                    .add_column(ColumnDef::new(Candidates::YearsExperienceDerived).boolean().not_null().default(false))
                    .take(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(CandidateSkills::Table)
                    .add_column(ColumnDef::new(CandidateSkills::YearsDerived).boolean().not_null().default(false))
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table(CandidateSkills::Table).drop_column(CandidateSkills::YearsDerived).take())
            .await?;
        manager
            .alter_table(Table::alter().table(Candidates::Table).drop_column(Candidates::YearsExperienceDerived).take())
            .await
    }
}
