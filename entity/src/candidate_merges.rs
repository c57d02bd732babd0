//! A merged candidate's redirect: its id resolves to the candidate that survived the merge.

use sea_orm::entity::prelude::*;

/// A merge row. Chains are flattened when they form (merging a survivor re-points its earlier
/// merges), so `survivor_id` always names a candidate that exists, until it is merged itself.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidate_merges")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub organization_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub merged_id: Uuid,
    pub survivor_id: Uuid,
    /// The merged candidate's external reference, when the survivor kept its own.
    pub external_source: Option<String>,
    pub external_id: Option<String>,
    pub merged_at: DateTimeUtc,
}

/// No navigable relations.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
