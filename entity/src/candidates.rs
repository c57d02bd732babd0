//! A person in an organization's talent pool.

use sea_orm::entity::prelude::*;

use crate::CandidateStatus;

/// A candidate row. `email` and (`external_source`, `external_id`) are unique within the
/// organization; `version` increases on every change.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub full_name: String,
    /// Stored lower-cased. NULL once erased.
    pub email: Option<String>,
    pub phone: Option<String>,
    pub location: Option<String>,
    pub headline: Option<String>,
    pub summary: Option<String>,
    pub years_experience: i32,
    /// Whether `years_experience` was derived from the work history (re-derived as a current
    /// job lasts) rather than given.
    pub years_experience_derived: bool,
    pub current_title: Option<String>,
    pub current_company: Option<String>,
    /// JSON array of `{ "label": …, "url": … }`.
    pub links: Json,
    pub source: Option<String>,
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    pub status: CandidateStatus,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub version: i32,
    /// Folded name, headline and summary for search (`migration::search_text`).
    pub search_text: String,
}

/// Foreign keys of `candidates`.
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
