//! Tenancy as types: a [`Tenant`] is an organization a verified caller belongs to, and every
//! statement on a tenant-owned table starts from one (`tenant.find::<E>()`, `update_many`,
//! `delete_many`, `update`), so a query cannot forget the organization filter. Raw
//! `find`/`update_many`/`delete_many`/`update` calls are refused by clippy
//! (`disallowed-methods` in `clippy.toml`); the builders below and the few pre-authentication
//! lookups say why they may.

use sea_orm::sea_query::IntoCondition;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DeleteMany, EntityTrait, PrimaryKeyTrait, QueryFilter, Select,
    UpdateMany, ValidatedUpdateOne,
};
use uuid::Uuid;

/// An organization whose data a service call may touch. Only a verified [`super::Viewer`] (or
/// an operator's command, through [`Tenant::for_operator`], which reads the organization)
/// makes one: the constructor is private to `auth`, so a service function that takes a
/// `Tenant` cannot be called for data the caller does not own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tenant(Uuid);

/// A table whose rows belong to one organization.
pub trait TenantOwned: EntityTrait {
    /// The column naming the owning organization.
    fn organization_column() -> Self::Column;
}

macro_rules! tenant_owned {
    ($($table:ident),* $(,)?) => {
        $(impl TenantOwned for entity::$table::Entity {
            fn organization_column() -> Self::Column {
                entity::$table::Column::OrganizationId
            }
        })*
    };
}

tenant_owned!(
    api_clients,
    application_events,
    applications,
    candidate_employments,
    candidate_merges,
    candidate_skills,
    candidate_tags,
    candidates,
    domain_events,
    matching_weights,
    recruiter_invitations,
    recruiters,
    refresh_tokens,
    rejection_reasons,
    roles,
    skill_requirements,
);

/// The raw builders, each narrowed to one organization before anyone can use it.
#[expect(clippy::disallowed_methods, reason = "the one place raw builders get their organization filter")]
impl Tenant {
    /// Made by `Viewer::tenant` from a verified token's organization.
    pub(in crate::auth) fn of_verified(organization_id: Uuid) -> Self {
        Self(organization_id)
    }

    /// The tenant of the organization with this slug, which an operator named on the command
    /// line (they own the whole deployment); `None` when there is no such organization.
    #[expect(clippy::disallowed_methods, reason = "an operator names an organization by slug; they own the deployment")]
    pub async fn for_operator(
        db: &impl sea_orm::ConnectionTrait,
        slug: &str,
    ) -> Result<Option<(Self, entity::organizations::Model)>, sea_orm::DbErr> {
        let found =
            entity::organizations::Entity::find().filter(entity::organizations::Column::Slug.eq(slug)).one(db).await?;
        Ok(found.map(|organization| (Self(organization.id), organization)))
    }

    /// The organization that has (or had, before deleting it) the role `role_id`, for the
    /// public job pages, which have no caller: `None` unless that organization publishes its
    /// jobs, so nothing of an organization that did not opt in is read for a stranger.
    #[expect(
        clippy::disallowed_methods,
        reason = "a public job page names a role by id alone; only an organization that publishes jobs lets it through"
    )]
    pub async fn publishing_owner_of_role(
        db: &impl sea_orm::ConnectionTrait,
        role_id: Uuid,
    ) -> Result<Option<(Self, entity::organizations::Model)>, sea_orm::DbErr> {
        use entity::{domain_events, roles};
        use sea_orm::QuerySelect;
        let current = roles::Entity::find_by_id(role_id)
            .select_only()
            .column(roles::Column::OrganizationId)
            .into_tuple::<Uuid>()
            .one(db)
            .await?;
        let owner = match current {
            Some(owner) => Some(owner),
            // A deleted role's events stay (the audit trail), and name its organization.
            None => {
                domain_events::Entity::find()
                    .select_only()
                    .column(domain_events::Column::OrganizationId)
                    .filter(domain_events::Column::EntityId.eq(role_id))
                    .filter(domain_events::Column::EntityType.eq("Role"))
                    .into_tuple::<Uuid>()
                    .one(db)
                    .await?
            }
        };
        let Some(owner) = owner else { return Ok(None) };
        let organization = entity::organizations::Entity::find_by_id(owner)
            .filter(entity::organizations::Column::PublishesJobs.eq(true))
            .one(db)
            .await?;
        Ok(organization.map(|organization| (Self(organization.id), organization)))
    }

    /// The organization with this slug, for its public job feed: `None` unless it exists and
    /// publishes its jobs.
    #[expect(
        clippy::disallowed_methods,
        reason = "a public job feed names its organization by slug; only one that publishes jobs lets it through"
    )]
    pub async fn publishing_by_slug(
        db: &impl sea_orm::ConnectionTrait,
        slug: &str,
    ) -> Result<Option<(Self, entity::organizations::Model)>, sea_orm::DbErr> {
        let found = entity::organizations::Entity::find()
            .filter(entity::organizations::Column::Slug.eq(slug))
            .filter(entity::organizations::Column::PublishesJobs.eq(true))
            .one(db)
            .await?;
        Ok(found.map(|organization| (Self(organization.id), organization)))
    }

    /// Every organization, for a maintenance pass the server (or an operator's command) runs
    /// over the whole deployment on each organization's own data, with no caller.
    #[expect(clippy::disallowed_methods, reason = "a maintenance pass of the server visits every organization")]
    pub async fn each_for_maintenance(db: &impl sea_orm::ConnectionTrait) -> Result<Vec<Self>, sea_orm::DbErr> {
        use sea_orm::QuerySelect;
        let ids = entity::organizations::Entity::find()
            .select_only()
            .column(entity::organizations::Column::Id)
            .into_tuple::<Uuid>()
            .all(db)
            .await?;
        Ok(ids.into_iter().map(Self).collect())
    }

    /// The organization's id.
    #[must_use]
    pub fn organization_id(self) -> Uuid {
        self.0
    }

    fn owns<E: TenantOwned>(self) -> Condition {
        E::organization_column().eq(self.0).into_condition()
    }

    /// `SELECT` of the organization's rows of `E`.
    #[must_use]
    pub fn find<E: TenantOwned>(self) -> Select<E> {
        E::find().filter(self.owns::<E>())
    }

    /// The organization's rows of `E` with these external references, `(source, id)` read from
    /// a row by `key` (one statement). Inside a transaction on PostgreSQL the rows stay locked
    /// (`FOR UPDATE`) until it ends, so what a batch compares against is what it overwrites;
    /// SQLite ignores the clause (its writers are serialized: take the write lock first, see
    /// `database::prepare_batch`).
    pub async fn find_by_external_refs<E: TenantOwned>(
        self,
        db: &impl sea_orm::ConnectionTrait,
        refs: &[crate::values::ExternalRef],
        (source_column, id_column): (E::Column, E::Column),
        key: impl for<'m> Fn(&'m E::Model) -> Option<(&'m str, &'m str)>,
    ) -> Result<Vec<E::Model>, sea_orm::DbErr> {
        use sea_orm::QuerySelect;
        if refs.is_empty() {
            return Ok(Vec::new());
        }
        let wanted: std::collections::HashSet<(&str, &str)> =
            refs.iter().map(|r| (r.source.as_str(), r.id.as_str())).collect();
        let sources: std::collections::HashSet<&str> = wanted.iter().map(|(source, _)| *source).collect();
        let rows = self
            .find::<E>()
            .filter(source_column.is_in(sources))
            .filter(id_column.is_in(wanted.iter().map(|(_, id)| *id)))
            .lock_exclusive()
            .all(db)
            .await?;
        Ok(rows.into_iter().filter(|row| key(row).is_some_and(|k| wanted.contains(&k))).collect())
    }

    /// `SELECT` of the organization's row of `E` with this primary key.
    #[must_use]
    pub fn find_by_id<E: TenantOwned>(self, id: impl Into<<E::PrimaryKey as PrimaryKeyTrait>::ValueType>) -> Select<E> {
        E::find_by_id(id).filter(self.owns::<E>())
    }

    /// `UPDATE` of the organization's rows of `E` (narrow it further with `filter`).
    #[must_use]
    pub fn update_many<E: TenantOwned>(self) -> UpdateMany<E> {
        E::update_many().filter(self.owns::<E>())
    }

    /// `DELETE` of the organization's rows of `E` (narrow it further with `filter`).
    #[must_use]
    pub fn delete_many<E: TenantOwned>(self) -> DeleteMany<E> {
        E::delete_many().filter(self.owns::<E>())
    }

    /// `UPDATE` of one changed row by primary key, only if it belongs to the organization
    /// (`RecordNotUpdated` otherwise).
    pub fn update<A>(self, row: A) -> Result<ValidatedUpdateOne<A>, sea_orm::DbErr>
    where
        A: ActiveModelTrait,
        A::Entity: TenantOwned,
    {
        Ok(<A::Entity as EntityTrait>::update(row).validate()?.filter(self.owns::<A::Entity>()))
    }

    /// `SELECT` of the organization's own row.
    #[must_use]
    pub fn organization(self) -> Select<entity::organizations::Entity> {
        entity::organizations::Entity::find_by_id(self.0)
    }

    /// The skills this organization sees: the built-in taxonomy and its own.
    #[must_use]
    pub fn skill_scope(self) -> SkillScope {
        SkillScope(Some(self.0))
    }
}

/// A taxonomy table: built-in rows have no organization, an organization's own rows name it.
pub trait TaxonomyOwned: EntityTrait {
    /// The column naming the owning organization (NULL for built-in rows).
    fn organization_column() -> Self::Column;
}

macro_rules! taxonomy_owned {
    ($($table:ident),* $(,)?) => {
        $(impl TaxonomyOwned for entity::$table::Entity {
            fn organization_column() -> Self::Column {
                entity::$table::Column::OrganizationId
            }
        })*
    };
}

taxonomy_owned!(skills, skill_aliases, skill_relations);

/// Which skills a caller sees: the built-in taxonomy, plus their organization's own skills.
/// Only a [`Tenant`] widens it past the built-in taxonomy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SkillScope(Option<Uuid>);

#[expect(clippy::disallowed_methods, reason = "the one place taxonomy selects get their scope filter")]
impl SkillScope {
    /// Only the built-in taxonomy (callers without an organization): nobody's own data.
    #[must_use]
    pub fn builtin() -> Self {
        Self(None)
    }

    /// The organization whose own skills are in scope, if any.
    #[must_use]
    pub fn organization_id(self) -> Option<Uuid> {
        self.0
    }

    /// `SELECT` of the rows of taxonomy table `E` this scope sees.
    #[must_use]
    pub fn find<E: TaxonomyOwned>(self) -> Select<E> {
        E::find().filter(self.condition(E::organization_column()))
    }

    /// The rows of a taxonomy table (`organization_column` NULL for built-in rows) this scope
    /// sees.
    #[must_use]
    pub fn condition<C: ColumnTrait>(self, organization_column: C) -> Condition {
        let builtin = Condition::all().add(organization_column.is_null());
        match self.0 {
            None => builtin,
            Some(organization) => Condition::any().add(builtin).add(organization_column.eq(organization)),
        }
    }
}

#[cfg(test)]
mod tests {
    use sea_orm::sea_query::Expr;
    use sea_orm::{ActiveValue, DbBackend, QueryTrait};

    use super::*;

    const ORGANIZATION: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_0042);

    fn owns_clause() -> String {
        format!("\"organization_id\" = '{ORGANIZATION}'")
    }

    #[test]
    fn every_builder_starts_with_the_organization_filter() {
        let tenant = Tenant(ORGANIZATION);
        for backend in [DbBackend::Postgres, DbBackend::Sqlite] {
            let statements = [
                tenant.find::<entity::candidates::Entity>().build(backend).to_string(),
                tenant.find_by_id::<entity::roles::Entity>(Uuid::nil()).build(backend).to_string(),
                tenant
                    .update_many::<entity::applications::Entity>()
                    .col_expr(entity::applications::Column::Source, Expr::value("x"))
                    .build(backend)
                    .to_string(),
                tenant.delete_many::<entity::candidate_tags::Entity>().build(backend).to_string(),
            ];
            for sql in statements {
                assert!(sql.contains(&owns_clause()), "{sql}");
            }
        }
    }

    #[test]
    fn a_row_update_is_narrowed_to_the_organization() {
        let tenant = Tenant(ORGANIZATION);
        let row = entity::roles::ActiveModel {
            id: ActiveValue::Unchanged(Uuid::nil()),
            title: ActiveValue::Set("Data Engineer".to_owned()),
            ..Default::default()
        };
        let sql = tenant.update(row).map(|u| u.build(DbBackend::Postgres).to_string()).unwrap_or_default();
        assert!(sql.contains(&owns_clause()) && sql.contains("\"id\" ="), "{sql}");
    }

    #[test]
    fn skill_scopes_see_builtin_rows_and_only_their_own() {
        let sql = SkillScope::builtin().find::<entity::skills::Entity>().build(DbBackend::Postgres).to_string();
        assert!(sql.contains("\"organization_id\" IS NULL") && !sql.contains(" OR "), "{sql}");
        let own = Tenant(ORGANIZATION).skill_scope().find::<entity::skills::Entity>();
        let sql = own.build(DbBackend::Postgres).to_string();
        assert!(sql.contains("IS NULL OR") && sql.contains(&ORGANIZATION.to_string()), "{sql}");
    }
}
