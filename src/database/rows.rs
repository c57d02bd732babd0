//! Rows of the hottest reads decoded by column position, straight from the driver's row.
//!
//! sea-orm's derived `FromQueryResult` finds every column by name and, for each NULL in an
//! `Option` field, formats an error message (`format!("{idx:?}")`) before it becomes `None`:
//! ~3,500 instructions per `candidate_skills` row, a tenth of a page of 50 candidates with their
//! skills. [`Positional`] reads the same columns, in the order the entity selects them, with the
//! same sqlx decoders sea-orm itself calls, so the values are identical on both backends; a test
//! checks each listed field order against the entity's columns.

use chrono::{DateTime, Utc};
use sea_orm::sqlx::{self, Postgres, Row, Sqlite};
use sea_orm::{ConnectionTrait, DbErr, EntityTrait, QueryResult, Select, TryGetable};
use uuid::Uuid;

/// A model read by column position (see the module docs). Select the entity's own columns
/// (`tenant.find::<E>()`, no `select_only`) and ask for `into_model::<Positional<Model>>()`.
#[derive(Debug, Clone, PartialEq)]
pub struct Positional<M>(pub M);

/// A model whose fields [`Positional`] reads, in the entity's column order.
pub trait PositionalModel: Sized {
    /// The entity whose select yields the columns.
    type Entity: sea_orm::EntityTrait;
    /// The field names, in the order they are read.
    const FIELDS: &'static [&'static str];
    /// The model from its row.
    fn read(row: &QueryResult) -> Result<Self, DbErr> {
        Self::read_from(row, 0)
    }
    /// The model from the columns of its row that start at `first` (a join selects one
    /// entity's columns after another's).
    fn read_from(row: &QueryResult, first: usize) -> Result<Self, DbErr>;
}

impl<M: PositionalModel + Send + Sync> sea_orm::FromQueryResult for Positional<M> {
    fn from_query_result(row: &QueryResult, prefix: &str) -> Result<Self, DbErr> {
        if !prefix.is_empty() {
            return Err(DbErr::Type(format!("positional rows have no prefixed columns ({prefix})")));
        }
        M::read(row).map(Positional)
    }
}

impl<M> Positional<M> {
    /// The model.
    pub fn into_inner(self) -> M {
        self.0
    }
}

/// `all` and `one` of a select, read by position.
pub trait ReadPositional<M> {
    /// Every row.
    fn all_positional(self, db: &impl ConnectionTrait) -> impl Future<Output = Result<Vec<M>, DbErr>> + Send;
    /// The first row, if any.
    fn one_positional(self, db: &impl ConnectionTrait) -> impl Future<Output = Result<Option<M>, DbErr>> + Send;
}

impl<E> ReadPositional<E::Model> for Select<E>
where
    E: EntityTrait,
    E::Model: PositionalModel + Send + Sync,
{
    async fn all_positional(self, db: &impl ConnectionTrait) -> Result<Vec<E::Model>, DbErr> {
        Ok(self.into_model::<Positional<E::Model>>().all(db).await?.into_iter().map(Positional::into_inner).collect())
    }

    async fn one_positional(self, db: &impl ConnectionTrait) -> Result<Option<E::Model>, DbErr> {
        Ok(self.into_model::<Positional<E::Model>>().one(db).await?.map(Positional::into_inner))
    }
}

/// One column's value at a position of a row.
pub trait ReadColumn: Sized {
    /// The value of column `index`.
    fn read(row: &QueryResult, index: usize) -> Result<Self, DbErr>;
}

fn decode<T>(row: &QueryResult, index: usize) -> Result<T, DbErr>
where
    T: for<'r> sqlx::Decode<'r, Postgres>
        + sqlx::Type<Postgres>
        + for<'r> sqlx::Decode<'r, Sqlite>
        + sqlx::Type<Sqlite>,
{
    let decoded = if let Some(row) = row.try_as_pg_row() {
        row.try_get::<T, _>(index)
    } else if let Some(row) = row.try_as_sqlite_row() {
        row.try_get::<T, _>(index)
    } else {
        return Err(DbErr::Type("positional rows need a PostgreSQL or SQLite row".to_owned()));
    };
    decoded.map_err(|error| DbErr::Type(format!("column {index}: {error}")))
}

/// Types sqlx decodes the same way sea-orm asks it to (sea-orm's `TryGetable` for these is a
/// `row.try_get::<Option<T>, _>` on either backend).
macro_rules! sqlx_columns {
    ($($ty:ty),* $(,)?) => {$(
        impl ReadColumn for $ty {
            fn read(row: &QueryResult, index: usize) -> Result<Self, DbErr> {
                decode::<Option<$ty>>(row, index)?
                    .ok_or_else(|| DbErr::Type(format!("column {index} is NULL")))
            }
        }
        impl ReadColumn for Option<$ty> {
            fn read(row: &QueryResult, index: usize) -> Result<Self, DbErr> {
                decode::<Option<$ty>>(row, index)
            }
        }
    )*};
}
sqlx_columns!(Uuid, String, bool, i16, i32, i64, f64, DateTime<Utc>, serde_json::Value);

/// Types read through sea-orm (string enums), by position.
macro_rules! sea_orm_columns {
    ($($ty:ty),* $(,)?) => {$(
        impl ReadColumn for $ty {
            fn read(row: &QueryResult, index: usize) -> Result<Self, DbErr> {
                <$ty as TryGetable>::try_get_by_index(row, index).map_err(Into::into)
            }
        }
    )*};
}
sea_orm_columns!(
    entity::CandidateStatus,
    entity::Importance,
    entity::RoleStatus,
    entity::Workplace,
    entity::EmploymentType,
    entity::Seniority,
);

/// Implements [`PositionalModel`] for `model` with its fields listed in the entity's column
/// order (the order of the struct).
macro_rules! positional {
    ($module:ident { $($field:ident),* $(,)? }) => {
        impl PositionalModel for entity::$module::Model {
            type Entity = entity::$module::Entity;
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),*];
            fn read_from(row: &QueryResult, first: usize) -> Result<Self, DbErr> {
                let mut next = first..;
                Ok(Self { $($field: ReadColumn::read(row, next.next().unwrap_or_default())?),* })
            }
        }
    };
}

positional!(candidate_skills { candidate_id, skill_id, organization_id, level, years, years_derived, last_used_year });
positional!(candidates {
    id,
    organization_id,
    full_name,
    email,
    phone,
    location,
    headline,
    summary,
    years_experience,
    years_experience_derived,
    current_title,
    current_company,
    links,
    source,
    external_source,
    external_id,
    status,
    created_at,
    updated_at,
    version,
    search_text,
});
positional!(roles {
    id,
    organization_id,
    title,
    description,
    department,
    location,
    workplace,
    employment_type,
    seniority,
    min_years_experience,
    status,
    headcount,
    salary_min,
    salary_max,
    salary_currency,
    external_source,
    external_id,
    created_at,
    updated_at,
    version,
    search_text,
    opened_at,
    valid_through,
});
positional!(skill_requirements {
    id,
    organization_id,
    role_id,
    skill_id,
    importance,
    min_level,
    min_years,
    weight,
    alternatives_group,
    position,
    created_at,
});

#[cfg(test)]
mod tests {
    use sea_orm::{EntityTrait, IdenStatic, Iterable};

    use super::*;

    fn columns_of<M: PositionalModel>() -> Vec<String> {
        <<M::Entity as EntityTrait>::Column as Iterable>::iter().map(|c| c.as_str().to_owned()).collect()
    }

    #[test]
    fn fields_are_read_in_the_order_the_entities_select_them() {
        fn check<M: PositionalModel>() {
            let fields: Vec<String> = M::FIELDS.iter().map(|f| (*f).to_owned()).collect();
            assert_eq!(fields, columns_of::<M>(), "{}", std::any::type_name::<M>());
        }
        check::<entity::candidate_skills::Model>();
        check::<entity::candidates::Model>();
        check::<entity::roles::Model>();
        check::<entity::skill_requirements::Model>();
    }
}
