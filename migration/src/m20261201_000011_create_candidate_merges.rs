//! Duplicates and merges: `candidate_merges` redirects a merged candidate's id to the one that
//! survived it (so an ATS holding the old id keeps resolving it), and keeps the merged
//! candidate's external reference when the survivor has its own. Indexes serve the duplicate
//! checks (`possibleDuplicates`): same phone, same external id, same current company, each
//! within the organization.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{string_len_null, timestamp_with_time_zone, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CandidateMerges {
    Table,
    OrganizationId,
    MergedId,
    SurvivorId,
    ExternalSource,
    ExternalId,
    MergedAt,
}

#[derive(DeriveIden)]
enum Organizations {
    Table,
    Id,
}

/// (index, table, columns) of the duplicate checks' lookups.
const INDEXES: [(&str, &str, &[&str]); 5] = [
    ("idx_candidates_phone", "candidates", &["organization_id", "phone"]),
    ("idx_candidates_external_id", "candidates", &["organization_id", "external_id"]),
    ("idx_candidates_company", "candidates", &["organization_id", "current_company"]),
    ("idx_candidate_merges_survivor", "candidate_merges", &["organization_id", "survivor_id"]),
    ("idx_candidate_merges_external", "candidate_merges", &["organization_id", "external_source", "external_id"]),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(CandidateMerges::Table)
                    .if_not_exists()
                    .col(uuid(CandidateMerges::OrganizationId))
                    .col(uuid(CandidateMerges::MergedId))
                    .col(uuid(CandidateMerges::SurvivorId))
                    .col(string_len_null(CandidateMerges::ExternalSource, 100))
                    .col(string_len_null(CandidateMerges::ExternalId, 200))
                    .col(timestamp_with_time_zone(CandidateMerges::MergedAt))
                    .primary_key(Index::create().col(CandidateMerges::OrganizationId).col(CandidateMerges::MergedId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_candidate_merges_organization")
                            .from(CandidateMerges::Table, CandidateMerges::OrganizationId)
                            .to(Organizations::Table, Organizations::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .take(),
            )
            .await?;
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(Alias::new(table)).if_not_exists();
            for column in columns {
                index.col(Alias::new(*column));
            }
            manager.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            let mut index = Index::drop();
            index.name(name).table(Alias::new(table));
            manager.drop_index(index).await?;
        }
        manager.drop_table(Table::drop().table(CandidateMerges::Table).if_exists().take()).await
    }
}
