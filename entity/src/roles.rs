//! A job opening.

use sea_orm::entity::prelude::*;

use crate::{EmploymentType, RoleStatus, Seniority, Workplace};

/// A role row. `version` increases on every change (optimistic concurrency).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "roles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub title: String,
    pub description: String,
    pub department: Option<String>,
    pub location: Option<String>,
    pub workplace: Workplace,
    pub employment_type: EmploymentType,
    pub seniority: Seniority,
    pub min_years_experience: i32,
    pub status: RoleStatus,
    pub headcount: i32,
    pub salary_min: Option<i64>,
    pub salary_max: Option<i64>,
    /// ISO 4217 code; present whenever a salary bound is.
    pub salary_currency: Option<String>,
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Folded title, description and department for search (`migration::search_text`).
    pub search_text: String,
    /// When the role first became OPEN (a posting's `datePosted`); NULL while it never was.
    pub opened_at: Option<DateTimeUtc>,
    /// Last day applications are taken (a posting's `validThrough`); after it the public
    /// posting is gone.
    pub valid_through: Option<DateTimeUtc>,
}

/// Foreign keys of `roles`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::organizations::Entity",
        from = "Column::OrganizationId",
        to = "super::organizations::Column::Id"
    )]
    Organization,
}

impl ActiveModelBehavior for ActiveModel {}
