//! An integration (an ATS) that signs in as a machine with a client id and secret.

use sea_orm::entity::prelude::*;

/// An API-client row. The secret is stored only as its SHA-256 hash (it is random and long, so
/// a slow hash adds nothing); `scopes` is space-separated.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "api_clients")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    #[sea_orm(unique)]
    pub client_id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub created_by_recruiter_id: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub revoked_at: Option<DateTimeUtc>,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
