//! A failed sign-in, keyed by account (`email:…`) and by client address (`ip:…`); counted over a
//! sliding window to rate-limit sign-ins across every server instance.

use sea_orm::entity::prelude::*;

/// A failed-sign-in row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "login_failures")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub key: String,
    pub created_at: DateTimeUtc,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
