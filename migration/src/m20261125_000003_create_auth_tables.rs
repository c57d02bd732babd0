//! Sign-in state: refresh-token families, API clients of integrations, invitations, and failed
//! sign-in attempts (rate limiting shared by every server instance).

#[allow(clippy::wildcard_imports, reason = "the schema helpers are this file's vocabulary")]
use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum RefreshTokens {
    Table,
    Id,
    OrganizationId,
    RecruiterId,
    FamilyId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    RotatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApiClients {
    Table,
    Id,
    OrganizationId,
    Name,
    ClientId,
    SecretHash,
    Scopes,
    CreatedByRecruiterId,
    CreatedAt,
    RevokedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum RecruiterInvitations {
    Table,
    Id,
    OrganizationId,
    RecruiterId,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    AcceptedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum LoginFailures {
    Table,
    Id,
    Key,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
}

#[derive(DeriveIden, Clone, Copy)]
enum Recruiters {
    Table,
    Id,
}

fn cascade_to<T: IntoIden + 'static, C: IntoIden + 'static>(
    name: &str,
    from: (T, C),
    to: (impl IntoIden + 'static, impl IntoIden + 'static),
) -> ForeignKeyCreateStatement {
    ForeignKey::create().name(name).from(from.0, from.1).to(to.0, to.1).on_delete(ForeignKeyAction::Cascade).take()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines, reason = "one statement per table, read top to bottom")]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RefreshTokens::Table)
                    .if_not_exists()
                    .col(pk_uuid(RefreshTokens::Id))
                    .col(uuid(RefreshTokens::OrganizationId))
                    .col(uuid(RefreshTokens::RecruiterId))
                    .col(uuid(RefreshTokens::FamilyId))
                    .col(string_len_uniq(RefreshTokens::TokenHash, 64))
                    .col(timestamp_with_time_zone(RefreshTokens::CreatedAt))
                    .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RotatedAt))
                    .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                    .foreign_key(&mut cascade_to(
                        "fk_refresh_tokens_organization",
                        (RefreshTokens::Table, RefreshTokens::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                    ))
                    .foreign_key(&mut cascade_to(
                        "fk_refresh_tokens_recruiter",
                        (RefreshTokens::Table, RefreshTokens::RecruiterId),
                        (Recruiters::Table, Recruiters::Id),
                    ))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_family")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::FamilyId)
                    .if_not_exists()
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_refresh_tokens_recruiter")
                    .table(RefreshTokens::Table)
                    .col(RefreshTokens::RecruiterId)
                    .if_not_exists()
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApiClients::Table)
                    .if_not_exists()
                    .col(pk_uuid(ApiClients::Id))
                    .col(uuid(ApiClients::OrganizationId))
                    .col(string_len(ApiClients::Name, 200))
                    .col(string_len_uniq(ApiClients::ClientId, 64))
                    .col(string_len(ApiClients::SecretHash, 64))
                    .col(string_len(ApiClients::Scopes, 500))
                    .col(uuid_null(ApiClients::CreatedByRecruiterId))
                    .col(timestamp_with_time_zone(ApiClients::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiClients::RevokedAt))
                    .foreign_key(&mut cascade_to(
                        "fk_api_clients_organization",
                        (ApiClients::Table, ApiClients::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_clients_created_by")
                            .from(ApiClients::Table, ApiClients::CreatedByRecruiterId)
                            .to(Recruiters::Table, Recruiters::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RecruiterInvitations::Table)
                    .if_not_exists()
                    .col(pk_uuid(RecruiterInvitations::Id))
                    .col(uuid(RecruiterInvitations::OrganizationId))
                    .col(uuid(RecruiterInvitations::RecruiterId))
                    .col(string_len_uniq(RecruiterInvitations::TokenHash, 64))
                    .col(timestamp_with_time_zone(RecruiterInvitations::CreatedAt))
                    .col(timestamp_with_time_zone(RecruiterInvitations::ExpiresAt))
                    .col(timestamp_with_time_zone_null(RecruiterInvitations::AcceptedAt))
                    .foreign_key(&mut cascade_to(
                        "fk_recruiter_invitations_organization",
                        (RecruiterInvitations::Table, RecruiterInvitations::OrganizationId),
                        (Organizations::Table, Organizations::Id),
                    ))
                    .foreign_key(&mut cascade_to(
                        "fk_recruiter_invitations_recruiter",
                        (RecruiterInvitations::Table, RecruiterInvitations::RecruiterId),
                        (Recruiters::Table, Recruiters::Id),
                    ))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailures::Table)
                    .if_not_exists()
                    .col(pk_uuid(LoginFailures::Id))
                    .col(string_len(LoginFailures::Key, 400))
                    .col(timestamp_with_time_zone(LoginFailures::CreatedAt))
                    .take(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failures_key_time")
                    .table(LoginFailures::Table)
                    .col(LoginFailures::Key)
                    .col(LoginFailures::CreatedAt)
                    .if_not_exists()
                    .take(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in ["login_failures", "recruiter_invitations", "api_clients", "refresh_tokens"] {
            manager.drop_table(Table::drop().table(Alias::new(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}
