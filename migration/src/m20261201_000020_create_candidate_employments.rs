//! Work history: `candidate_employments`, one row per job a candidate held, in the order the
//! candidate lists them (`position`). Months are `YYYY-MM` text, which sorts and compares as the
//! calendar does on both backends; a NULL `end_month` is the current job. The skills used are a
//! JSON array of skill ids: they are only ever read with their employment (to show it, and to
//! derive a skill's years when a write does not give them), never searched by skill, so a join
//! table would buy nothing. An index on (organization, candidate) serves the per-page lookup, as for skills and tags.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{json, small_integer, string_len, string_len_null, text_null, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CandidateEmployments {
    Table,
    OrganizationId,
    CandidateId,
    Position,
    Company,
    Title,
    StartMonth,
    EndMonth,
    Summary,
    Highlights,
    SkillIds,
}

#[derive(DeriveIden)]
enum Candidates {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CandidateEmployments as E;
        manager
            .create_table(
                Table::create()
                    .table(E::Table)
                    .if_not_exists()
                    .col(uuid(E::CandidateId))
                    .col(small_integer(E::Position).check(Expr::col(E::Position).gte(0)))
                    .col(uuid(E::OrganizationId))
                    .col(string_len(E::Company, 200))
                    .col(string_len_null(E::Title, 200))
                    .col(string_len(E::StartMonth, 7))
                    .col(string_len_null(E::EndMonth, 7))
                    .col(text_null(E::Summary))
                    .col(json(E::Highlights))
                    .col(json(E::SkillIds))
                    .primary_key(Index::create().col(E::CandidateId).col(E::Position))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_candidate_employments_candidate")
                            .from(E::Table, E::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_candidate_employments_organization")
                            .from(E::Table, E::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        // As for skills and tags: the organization's rows of a page of candidates.
        manager
            .create_index(
                Index::create()
                    .name("idx_candidate_employments_candidate")
                    .table(E::Table)
                    .col(E::OrganizationId)
                    .col(E::CandidateId)
                    .if_not_exists()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table(CandidateEmployments::Table).if_exists().take()).await
    }
}
