//! A free-form label on a candidate ("relocation", "silver-medalist"); a table rather than a
//! JSON column so that tag filters use an index on both backends.

use sea_orm::entity::prelude::*;

/// A candidate-tag row; primary key (candidate, tag).
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "candidate_tags")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub candidate_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub tag: String,
    pub organization_id: Uuid,
}

/// Foreign keys of `candidate_tags`.
#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::candidates::Entity",
        from = "Column::CandidateId",
        to = "super::candidates::Column::Id"
    )]
    Candidate,
}

impl ActiveModelBehavior for ActiveModel {}
