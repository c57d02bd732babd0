//! Organizations, recruiters, the skill taxonomy, roles with skill requirements, candidates with
//! skills and tags, applications with their event history.

#[allow(clippy::wildcard_imports, reason = "the schema helpers are this file's vocabulary")]
use sea_orm_migration::{prelude::*, schema::*};

use crate::unique_indexes::{self, UniqueIndex};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden, Clone, Copy)]
enum Organizations {
    Table,
    Id,
    Name,
    Slug,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Recruiters {
    Table,
    Id,
    OrganizationId,
    Email,
    DisplayName,
    PasswordHash,
    Role,
    Active,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Skills {
    Table,
    Id,
    OrganizationId,
    Slug,
    Name,
    Category,
    Description,
    EscoUri,
    OnetCode,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillAliases {
    Table,
    Id,
    SkillId,
    OrganizationId,
    Alias,
    Normalized,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillRelations {
    Table,
    SkillId,
    RelatedSkillId,
    Kind,
    OrganizationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Roles {
    Table,
    Id,
    OrganizationId,
    Title,
    Description,
    Department,
    Location,
    Workplace,
    EmploymentType,
    Seniority,
    MinYearsExperience,
    Status,
    Headcount,
    SalaryMin,
    SalaryMax,
    SalaryCurrency,
    ExternalSource,
    ExternalId,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum SkillRequirements {
    Table,
    Id,
    OrganizationId,
    RoleId,
    SkillId,
    Importance,
    MinLevel,
    MinYears,
    Weight,
    AlternativesGroup,
    Position,
    CreatedAt,
}

#[derive(DeriveIden, Clone, Copy)]
enum Candidates {
    Table,
    Id,
    OrganizationId,
    FullName,
    Email,
    Phone,
    Location,
    Headline,
    Summary,
    YearsExperience,
    CurrentTitle,
    CurrentCompany,
    Links,
    Source,
    ExternalSource,
    ExternalId,
    Status,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum CandidateSkills {
    Table,
    CandidateId,
    SkillId,
    OrganizationId,
    Level,
    Years,
    LastUsedYear,
}

#[derive(DeriveIden, Clone, Copy)]
enum CandidateTags {
    Table,
    CandidateId,
    Tag,
    OrganizationId,
}

#[derive(DeriveIden, Clone, Copy)]
enum Applications {
    Table,
    Id,
    OrganizationId,
    CandidateId,
    RoleId,
    Stage,
    Source,
    CreditedRecruiterId,
    RejectionReason,
    StageEnteredAt,
    CreatedAt,
    UpdatedAt,
    Version,
}

#[derive(DeriveIden, Clone, Copy)]
enum ApplicationEvents {
    Table,
    Id,
    OrganizationId,
    ApplicationId,
    FromStage,
    ToStage,
    ActorRecruiterId,
    ActorLabel,
    Note,
    CreatedAt,
}

const RECRUITER_ROLES: &[&str] = &["ADMIN", "RECRUITER", "VIEWER"];
const SKILL_CATEGORIES: &[&str] =
    &["LANGUAGE", "FRAMEWORK", "PLATFORM", "DATABASE", "PRACTICE", "SOFT_SKILL", "DOMAIN", "TOOL"];
const SKILL_RELATION_KINDS: &[&str] = &["BROADER", "IMPLIES"];
const WORKPLACES: &[&str] = &["ONSITE", "HYBRID", "REMOTE"];
const EMPLOYMENT_TYPES: &[&str] = &["FULL_TIME", "PART_TIME", "CONTRACT", "INTERNSHIP", "TEMPORARY"];
const SENIORITIES: &[&str] = &["INTERN", "JUNIOR", "MID", "SENIOR", "LEAD", "PRINCIPAL", "EXECUTIVE"];
const ROLE_STATUSES: &[&str] = &["DRAFT", "OPEN", "ON_HOLD", "CLOSED", "FILLED"];
const IMPORTANCES: &[&str] = &["REQUIRED", "PREFERRED", "NICE_TO_HAVE"];
const CANDIDATE_STATUSES: &[&str] = &["ACTIVE", "ARCHIVED"];
const STAGES: &[&str] = &["SOURCED", "SCREENING", "INTERVIEW", "OFFER", "HIRED", "REJECTED", "WITHDRAWN"];

/// An enum-like text column: `NOT NULL CHECK (col IN (...))`.
fn enum_text<T: IntoIden + Copy + 'static>(column: T, values: &[&str]) -> ColumnDef {
    string_len(column, 16).check(Expr::col(column).is_in(values.iter().copied())).take()
}

fn nullable_enum_text<T: IntoIden + Copy + 'static>(column: T, values: &[&str]) -> ColumnDef {
    string_len_null(column, 16).check(Expr::col(column).is_in(values.iter().copied())).take()
}

/// Skill level 1..=5.
fn level<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    small_integer(column).check(Expr::col(column).between(1, 5)).take()
}

fn non_negative<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    integer(column).check(Expr::col(column).gte(0)).take()
}

fn non_negative_null<T: IntoIden + Copy + 'static>(column: T) -> ColumnDef {
    integer_null(column).check(Expr::col(column).gte(0)).take()
}

fn tenant_fk<T: IntoIden + 'static>(table: T, name: &str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from_tbl(table)
        .from_col(Alias::new("organization_id"))
        .to(Organizations::Table, Organizations::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .take()
}

fn index<T: IntoIden + 'static>(name: &str, table: T, columns: &[&str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index.name(name).table(table).if_not_exists();
    for column in columns {
        index.col(Alias::new(*column));
    }
    index.take()
}

fn unique_index<T: IntoIden + 'static>(name: &str, table: T, columns: &[&str]) -> IndexCreateStatement {
    index(name, table, columns).unique().take()
}

/// A unique index the server also knows by its constant (to refuse duplicates at a field).
fn shared_unique_index(shared: &UniqueIndex) -> IndexCreateStatement {
    unique_index(shared.name, Alias::new(shared.table), shared.columns)
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    #[allow(clippy::too_many_lines, reason = "one statement per table, read top to bottom")]
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Organizations::Table)
                    .if_not_exists()
                    .col(pk_uuid(Organizations::Id))
                    .col(string_len(Organizations::Name, 200))
                    .col(string_len_uniq(Organizations::Slug, 100))
                    .col(timestamp_with_time_zone(Organizations::CreatedAt))
                    .col(timestamp_with_time_zone(Organizations::UpdatedAt))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Recruiters::Table)
                    .if_not_exists()
                    .col(pk_uuid(Recruiters::Id))
                    .col(uuid(Recruiters::OrganizationId))
                    .col(string_len_uniq(Recruiters::Email, 320))
                    .col(string_len(Recruiters::DisplayName, 200))
                    .col(string_len(Recruiters::PasswordHash, 255))
                    .col(enum_text(Recruiters::Role, RECRUITER_ROLES))
                    .col(boolean(Recruiters::Active).default(true))
                    .col(timestamp_with_time_zone(Recruiters::CreatedAt))
                    .col(timestamp_with_time_zone(Recruiters::UpdatedAt))
                    .foreign_key(&mut tenant_fk(Recruiters::Table, "fk_recruiters_organization"))
                    .take(),
            )
            .await?;
        manager.create_index(index("idx_recruiters_organization", Recruiters::Table, &["organization_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(Skills::Table)
                    .if_not_exists()
                    .col(pk_uuid(Skills::Id))
                    .col(uuid_null(Skills::OrganizationId))
                    .col(string_len(Skills::Slug, 100))
                    .col(string_len(Skills::Name, 200))
                    .col(enum_text(Skills::Category, SKILL_CATEGORIES))
                    .col(text_null(Skills::Description))
                    .col(string_len_null(Skills::EscoUri, 500))
                    .col(string_len_null(Skills::OnetCode, 20))
                    .col(timestamp_with_time_zone(Skills::CreatedAt))
                    .foreign_key(&mut tenant_fk(Skills::Table, "fk_skills_organization"))
                    .take(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SkillAliases::Table)
                    .if_not_exists()
                    .col(pk_uuid(SkillAliases::Id))
                    .col(uuid(SkillAliases::SkillId))
                    .col(uuid_null(SkillAliases::OrganizationId))
                    .col(string_len(SkillAliases::Alias, 200))
                    .col(string_len(SkillAliases::Normalized, 200))
                    .col(timestamp_with_time_zone(SkillAliases::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_skill_aliases_skill")
                            .from(SkillAliases::Table, SkillAliases::SkillId)
                            .to(Skills::Table, Skills::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut tenant_fk(SkillAliases::Table, "fk_skill_aliases_organization"))
                    .take(),
            )
            .await?;
        manager.create_index(index("idx_skill_aliases_skill", SkillAliases::Table, &["skill_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table(SkillRelations::Table)
                    .if_not_exists()
                    .col(uuid(SkillRelations::SkillId))
                    .col(uuid(SkillRelations::RelatedSkillId))
                    .col(enum_text(SkillRelations::Kind, SKILL_RELATION_KINDS))
                    .col(uuid_null(SkillRelations::OrganizationId))
                    .primary_key(
                        Index::create()
                            .col(SkillRelations::SkillId)
                            .col(SkillRelations::RelatedSkillId)
                            .col(SkillRelations::Kind),
                    )
                    .check(Expr::col(SkillRelations::SkillId).ne(Expr::col(SkillRelations::RelatedSkillId)))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_skill_relations_skill")
                            .from(SkillRelations::Table, SkillRelations::SkillId)
                            .to(Skills::Table, Skills::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_skill_relations_related")
                            .from(SkillRelations::Table, SkillRelations::RelatedSkillId)
                            .to(Skills::Table, Skills::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut tenant_fk(SkillRelations::Table, "fk_skill_relations_organization"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_skill_relations_related", SkillRelations::Table, &["related_skill_id", "kind"]))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Roles::Table)
                    .if_not_exists()
                    .col(pk_uuid(Roles::Id))
                    .col(uuid(Roles::OrganizationId))
                    .col(string_len(Roles::Title, 200))
                    .col(text(Roles::Description))
                    .col(string_len_null(Roles::Department, 200))
                    .col(string_len_null(Roles::Location, 200))
                    .col(enum_text(Roles::Workplace, WORKPLACES))
                    .col(enum_text(Roles::EmploymentType, EMPLOYMENT_TYPES))
                    .col(enum_text(Roles::Seniority, SENIORITIES))
                    .col(non_negative(Roles::MinYearsExperience).default(0))
                    .col(enum_text(Roles::Status, ROLE_STATUSES))
                    .col(integer(Roles::Headcount).default(1).check(Expr::col(Roles::Headcount).gte(1)))
                    .col(big_integer_null(Roles::SalaryMin).check(Expr::col(Roles::SalaryMin).gte(0)))
                    .col(big_integer_null(Roles::SalaryMax))
                    .col(char_len_null(Roles::SalaryCurrency, 3))
                    .col(string_len_null(Roles::ExternalSource, 100))
                    .col(string_len_null(Roles::ExternalId, 200))
                    .col(timestamp_with_time_zone(Roles::CreatedAt))
                    .col(timestamp_with_time_zone(Roles::UpdatedAt))
                    .col(integer(Roles::Version).default(1))
                    .check(
                        Expr::col(Roles::SalaryMin)
                            .is_null()
                            .or(Expr::col(Roles::SalaryMax).is_null())
                            .or(Expr::col(Roles::SalaryMin).lte(Expr::col(Roles::SalaryMax))),
                    )
                    .foreign_key(&mut tenant_fk(Roles::Table, "fk_roles_organization"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index("idx_roles_organization_status", Roles::Table, &["organization_id", "status"]))
            .await?;
        manager
            .create_index(index(
                "idx_roles_organization_created",
                Roles::Table,
                &["organization_id", "created_at", "id"],
            ))
            .await?;
        manager.create_index(shared_unique_index(&unique_indexes::ROLES_EXTERNAL)).await?;

        manager
            .create_table(
                Table::create()
                    .table(SkillRequirements::Table)
                    .if_not_exists()
                    .col(pk_uuid(SkillRequirements::Id))
                    .col(uuid(SkillRequirements::OrganizationId))
                    .col(uuid(SkillRequirements::RoleId))
                    .col(uuid(SkillRequirements::SkillId))
                    .col(enum_text(SkillRequirements::Importance, IMPORTANCES))
                    .col(level(SkillRequirements::MinLevel))
                    .col(non_negative_null(SkillRequirements::MinYears))
                    .col(double_null(SkillRequirements::Weight).check(Expr::col(SkillRequirements::Weight).gt(0)))
                    .col(string_len_null(SkillRequirements::AlternativesGroup, 50))
                    .col(integer(SkillRequirements::Position).default(0))
                    .col(timestamp_with_time_zone(SkillRequirements::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_skill_requirements_role")
                            .from(SkillRequirements::Table, SkillRequirements::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_skill_requirements_skill")
                            .from(SkillRequirements::Table, SkillRequirements::SkillId)
                            .to(Skills::Table, Skills::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(&mut tenant_fk(SkillRequirements::Table, "fk_skill_requirements_organization"))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "uq_skill_requirements_role_skill",
                SkillRequirements::Table,
                &["role_id", "skill_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_skill_requirements_skill",
                SkillRequirements::Table,
                &["organization_id", "skill_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Candidates::Table)
                    .if_not_exists()
                    .col(pk_uuid(Candidates::Id))
                    .col(uuid(Candidates::OrganizationId))
                    .col(string_len(Candidates::FullName, 200))
                    .col(string_len_null(Candidates::Email, 320))
                    .col(string_len_null(Candidates::Phone, 50))
                    .col(string_len_null(Candidates::Location, 200))
                    .col(string_len_null(Candidates::Headline, 300))
                    .col(text_null(Candidates::Summary))
                    .col(non_negative(Candidates::YearsExperience).default(0))
                    .col(string_len_null(Candidates::CurrentTitle, 200))
                    .col(string_len_null(Candidates::CurrentCompany, 200))
                    .col(json(Candidates::Links))
                    .col(string_len_null(Candidates::Source, 100))
                    .col(string_len_null(Candidates::ExternalSource, 100))
                    .col(string_len_null(Candidates::ExternalId, 200))
                    .col(enum_text(Candidates::Status, CANDIDATE_STATUSES))
                    .col(timestamp_with_time_zone(Candidates::CreatedAt))
                    .col(timestamp_with_time_zone(Candidates::UpdatedAt))
                    .col(integer(Candidates::Version).default(1))
                    .foreign_key(&mut tenant_fk(Candidates::Table, "fk_candidates_organization"))
                    .take(),
            )
            .await?;
        manager.create_index(shared_unique_index(&unique_indexes::CANDIDATES_EMAIL)).await?;
        manager.create_index(shared_unique_index(&unique_indexes::CANDIDATES_EXTERNAL)).await?;
        manager
            .create_index(index(
                "idx_candidates_organization_created",
                Candidates::Table,
                &["organization_id", "created_at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_candidates_organization_updated",
                Candidates::Table,
                &["organization_id", "updated_at", "id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_candidates_organization_years",
                Candidates::Table,
                &["organization_id", "years_experience"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CandidateSkills::Table)
                    .if_not_exists()
                    .col(uuid(CandidateSkills::CandidateId))
                    .col(uuid(CandidateSkills::SkillId))
                    .col(uuid(CandidateSkills::OrganizationId))
                    .col(level(CandidateSkills::Level))
                    .col(non_negative_null(CandidateSkills::Years))
                    .col(integer_null(CandidateSkills::LastUsedYear))
                    .primary_key(Index::create().col(CandidateSkills::CandidateId).col(CandidateSkills::SkillId))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_candidate_skills_candidate")
                            .from(CandidateSkills::Table, CandidateSkills::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_candidate_skills_skill")
                            .from(CandidateSkills::Table, CandidateSkills::SkillId)
                            .to(Skills::Table, Skills::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(&mut tenant_fk(CandidateSkills::Table, "fk_candidate_skills_organization"))
                    .take(),
            )
            .await?;
        // "who in this organization has skill X at level >= N": the matching query's access path.
        manager
            .create_index(index(
                "idx_candidate_skills_skill_level",
                CandidateSkills::Table,
                &["organization_id", "skill_id", "level", "candidate_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CandidateTags::Table)
                    .if_not_exists()
                    .col(uuid(CandidateTags::CandidateId))
                    .col(string_len(CandidateTags::Tag, 50))
                    .col(uuid(CandidateTags::OrganizationId))
                    .primary_key(Index::create().col(CandidateTags::CandidateId).col(CandidateTags::Tag))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_candidate_tags_candidate")
                            .from(CandidateTags::Table, CandidateTags::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(&mut tenant_fk(CandidateTags::Table, "fk_candidate_tags_organization"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_candidate_tags_tag",
                CandidateTags::Table,
                &["organization_id", "tag", "candidate_id"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Applications::Table)
                    .if_not_exists()
                    .col(pk_uuid(Applications::Id))
                    .col(uuid(Applications::OrganizationId))
                    .col(uuid(Applications::CandidateId))
                    .col(uuid(Applications::RoleId))
                    .col(enum_text(Applications::Stage, STAGES))
                    .col(string_len_null(Applications::Source, 100))
                    .col(uuid_null(Applications::CreditedRecruiterId))
                    .col(string_len_null(Applications::RejectionReason, 100))
                    .col(timestamp_with_time_zone(Applications::StageEnteredAt))
                    .col(timestamp_with_time_zone(Applications::CreatedAt))
                    .col(timestamp_with_time_zone(Applications::UpdatedAt))
                    .col(integer(Applications::Version).default(1))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_candidate")
                            .from(Applications::Table, Applications::CandidateId)
                            .to(Candidates::Table, Candidates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_role")
                            .from(Applications::Table, Applications::RoleId)
                            .to(Roles::Table, Roles::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_applications_credited_recruiter")
                            .from(Applications::Table, Applications::CreditedRecruiterId)
                            .to(Recruiters::Table, Recruiters::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(&mut tenant_fk(Applications::Table, "fk_applications_organization"))
                    .take(),
            )
            .await?;
        manager
            .create_index(unique_index(
                "uq_applications_candidate_role",
                Applications::Table,
                &["candidate_id", "role_id"],
            ))
            .await?;
        manager
            .create_index(index(
                "idx_applications_role_stage",
                Applications::Table,
                &["organization_id", "role_id", "stage"],
            ))
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ApplicationEvents::Table)
                    .if_not_exists()
                    .col(pk_uuid(ApplicationEvents::Id))
                    .col(uuid(ApplicationEvents::OrganizationId))
                    .col(uuid(ApplicationEvents::ApplicationId))
                    .col(nullable_enum_text(ApplicationEvents::FromStage, STAGES))
                    .col(enum_text(ApplicationEvents::ToStage, STAGES))
                    .col(uuid_null(ApplicationEvents::ActorRecruiterId))
                    .col(string_len(ApplicationEvents::ActorLabel, 200))
                    .col(text_null(ApplicationEvents::Note))
                    .col(timestamp_with_time_zone(ApplicationEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_events_application")
                            .from(ApplicationEvents::Table, ApplicationEvents::ApplicationId)
                            .to(Applications::Table, Applications::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_application_events_actor")
                            .from(ApplicationEvents::Table, ApplicationEvents::ActorRecruiterId)
                            .to(Recruiters::Table, Recruiters::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .foreign_key(&mut tenant_fk(ApplicationEvents::Table, "fk_application_events_organization"))
                    .take(),
            )
            .await?;
        manager
            .create_index(index(
                "idx_application_events_application",
                ApplicationEvents::Table,
                &["application_id", "created_at"],
            ))
            .await?;

        // Built-in skills (organization_id NULL) and each organization's own skills have separate
        // slug and alias namespaces. Partial unique indexes have the same syntax on both backends.
        let db = manager.get_connection();
        for statement in [
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_skills_builtin_slug ON skills (slug) WHERE organization_id IS NULL",
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_skills_organization_slug ON skills (organization_id, slug) WHERE organization_id IS NOT NULL",
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_skill_aliases_builtin ON skill_aliases (normalized) WHERE organization_id IS NULL",
            "CREATE UNIQUE INDEX IF NOT EXISTS uq_skill_aliases_organization ON skill_aliases (organization_id, normalized) WHERE organization_id IS NOT NULL",
        ] {
            db.execute_unprepared(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "application_events",
            "applications",
            "candidate_tags",
            "candidate_skills",
            "candidates",
            "skill_requirements",
            "roles",
            "skill_relations",
            "skill_aliases",
            "skills",
            "recruiters",
            "organizations",
        ] {
            manager.drop_table(Table::drop().table(Alias::new(table)).if_exists().take()).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shared constants emit the very statements this migration shipped with.
    #[test]
    fn shared_unique_indexes_emit_the_shipped_statements() {
        let shipped = [
            (
                unique_indexes::ROLES_EXTERNAL,
                unique_index("uq_roles_external", Roles::Table, &["organization_id", "external_source", "external_id"]),
            ),
            (
                unique_indexes::CANDIDATES_EMAIL,
                unique_index("uq_candidates_email", Candidates::Table, &["organization_id", "email"]),
            ),
            (
                unique_indexes::CANDIDATES_EXTERNAL,
                unique_index(
                    "uq_candidates_external",
                    Candidates::Table,
                    &["organization_id", "external_source", "external_id"],
                ),
            ),
        ];
        for (shared, statement) in shipped {
            for sql in [
                |s: &IndexCreateStatement| s.to_string(SqliteQueryBuilder),
                |s: &IndexCreateStatement| s.to_string(PostgresQueryBuilder),
            ] {
                assert_eq!(sql(&shared_unique_index(&shared)), sql(&statement), "{}", shared.name);
            }
        }
    }
}
