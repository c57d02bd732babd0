//! Roles and requirements: queries and rules over sea-orm. Every function takes the caller's
//! tenant (or the viewer, for changes, which also writes the audit trail).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{RoleStatus, Seniority, Workplace, applications, roles, skill_requirements};
use migration::unique_indexes::ROLES_EXTERNAL;
use sea_orm::sea_query::{Expr, ExprTrait, IntoCondition, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Iterable, JoinType,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::model::{NewRequirement, NewRole, RoleChanges, check_requirements, may_move};
use crate::auth::{Tenant, Viewer};
use crate::database::rows::{Positional, PositionalModel, ReadColumn, ReadPositional};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{
    DomainEvent, RoleCreated, RoleDeleted, RoleField, RoleRequirementAdded, RoleRequirementRemoved,
    RoleRequirementUpdated, RoleRequirementsSet, RoleStatusChanged, RoleUpdated,
};
use crate::pagination::{Page, PageArgs, fetch_page};
use crate::values::{ExternalRef, SearchText};
use crate::versioning::{self, PartialUpdate};

/// Filters of the roles list; empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct RoleFilter {
    pub statuses: Vec<RoleStatus>,
    pub search: Option<SearchText>,
    pub department: Option<String>,
    pub location: Option<SearchText>,
    pub workplaces: Vec<Workplace>,
    pub seniorities: Vec<Seniority>,
    /// The role requires every one of these skills.
    pub requires_skills: Vec<Uuid>,
    /// Changed at or after this time.
    pub updated_since: Option<DateTime<Utc>>,
}

/// What the roles list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleOrderField {
    CreatedAt,
    UpdatedAt,
    Title,
}

/// The position of a role in a sorted list: also its cursor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum RoleCursor {
    CreatedAt(DateTime<Utc>, Uuid),
    UpdatedAt(DateTime<Utc>, Uuid),
    Title(String, Uuid),
}

impl RoleCursor {
    /// The cursor of `role` in a list sorted by `field`.
    #[must_use]
    pub fn of(role: &roles::Model, field: RoleOrderField) -> Self {
        match field {
            RoleOrderField::CreatedAt => Self::CreatedAt(role.created_at, role.id),
            RoleOrderField::UpdatedAt => Self::UpdatedAt(role.updated_at, role.id),
            RoleOrderField::Title => Self::Title(role.title.clone(), role.id),
        }
    }
}

fn filtered(tenant: Tenant, filter: &RoleFilter) -> sea_orm::Select<roles::Entity> {
    let mut select = tenant.find::<roles::Entity>();
    if !filter.statuses.is_empty() {
        select = select.filter(roles::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(search) = &filter.search {
        select = select.filter(search.matches_folded((roles::Entity, roles::Column::SearchText)));
    }
    if let Some(department) = &filter.department {
        select = select.filter(roles::Column::Department.eq(department.as_str()));
    }
    if let Some(location) = &filter.location {
        select = select.filter(location.matches((roles::Entity, roles::Column::Location)));
    }
    if !filter.workplaces.is_empty() {
        select = select.filter(roles::Column::Workplace.is_in(filter.workplaces.clone()));
    }
    if !filter.seniorities.is_empty() {
        select = select.filter(roles::Column::Seniority.is_in(filter.seniorities.clone()));
    }
    for skill in &filter.requires_skills {
        let requiring = Query::select()
            .column(skill_requirements::Column::RoleId)
            .from(skill_requirements::Entity)
            .and_where(Expr::col(skill_requirements::Column::SkillId).eq(*skill))
            .and_where(Expr::col(skill_requirements::Column::OrganizationId).eq(tenant.organization_id()))
            .to_owned();
        select = select.filter(roles::Column::Id.in_subquery(requiring));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(roles::Column::UpdatedAt.gte(since));
    }
    select
}

/// One page of roles.
pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    filter: &RoleFilter,
    order: RoleOrderField,
    descending: bool,
    args: PageArgs<RoleCursor>,
) -> AppResult<Page<roles::Model>> {
    let select = filtered(tenant, filter);
    match order {
        RoleOrderField::CreatedAt | RoleOrderField::UpdatedAt => {
            let column =
                if order == RoleOrderField::CreatedAt { roles::Column::CreatedAt } else { roles::Column::UpdatedAt };
            let args = args.map_cursors(|c| match (c, order) {
                (RoleCursor::CreatedAt(at, id), RoleOrderField::CreatedAt)
                | (RoleCursor::UpdatedAt(at, id), RoleOrderField::UpdatedAt) => Some((at, id)),
                _ => None,
            })?;
            let mut cursor = select.cursor_by((column, roles::Column::Id));
            if descending {
                cursor.desc();
            }
            Ok(fetch_page(cursor.into_model::<Positional<roles::Model>>(), &args, db)
                .await?
                .map(Positional::into_inner))
        }
        RoleOrderField::Title => {
            let args = args.map_cursors(|c| match c {
                RoleCursor::Title(title, id) => Some((title, id)),
                _ => None,
            })?;
            let mut cursor = select.cursor_by((roles::Column::Title, roles::Column::Id));
            if descending {
                cursor.desc();
            }
            Ok(fetch_page(cursor.into_model::<Positional<roles::Model>>(), &args, db)
                .await?
                .map(Positional::into_inner))
        }
    }
}

/// How many roles match.
pub async fn count(db: &impl ConnectionTrait, tenant: Tenant, filter: &RoleFilter) -> AppResult<u64> {
    Ok(filtered(tenant, filter).count(db).await?)
}

/// The role with this id in the organization.
pub async fn get(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<Option<roles::Model>> {
    Ok(tenant.find_by_id::<roles::Entity>(id).one_positional(db).await?)
}

/// A role of the organization with its requirements in display order, in one statement (a
/// role opened with its requirements is the commonest read of a role: one round trip instead of
/// two).
pub async fn get_with_requirements(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<Option<(roles::Model, Vec<skill_requirements::Model>)>> {
    let organization = tenant.organization_id();
    // The requirements' own organization is checked too, as every tenant read does.
    let requirements = skill_requirements::Relation::Role.def().rev().on_condition(move |_, requirement| {
        Expr::col((requirement, skill_requirements::Column::OrganizationId)).eq(organization).into_condition()
    });
    let rows = tenant
        .find_by_id::<roles::Entity>(id)
        .join(JoinType::LeftJoin, requirements)
        .columns(skill_requirements::Column::iter())
        .order_by_asc(skill_requirements::Column::Position)
        .order_by_asc(skill_requirements::Column::Id)
        .into_model::<RoleWithRequirement>()
        .all(db)
        .await?;
    let mut rows = rows.into_iter();
    let Some(RoleWithRequirement { role, requirement }) = rows.next() else { return Ok(None) };
    let requirements = requirement.into_iter().chain(rows.filter_map(|row| row.requirement)).collect();
    Ok(Some((role, requirements)))
}

/// A row of [`get_with_requirements`]: the role's columns, then one requirement's (all NULL for
/// a role without requirements).
struct RoleWithRequirement {
    role: roles::Model,
    requirement: Option<skill_requirements::Model>,
}

impl sea_orm::FromQueryResult for RoleWithRequirement {
    fn from_query_result(row: &sea_orm::QueryResult, _prefix: &str) -> Result<Self, sea_orm::DbErr> {
        let first = <roles::Model as PositionalModel>::FIELDS.len();
        let requirement = if Option::<Uuid>::read(row, first)?.is_some() {
            Some(skill_requirements::Model::read_from(row, first)?)
        } else {
            None
        };
        Ok(Self { role: roles::Model::read(row)?, requirement })
    }
}

/// The roles with these ids in the organization.
pub async fn by_ids(db: &impl ConnectionTrait, tenant: Tenant, ids: &[Uuid]) -> AppResult<Vec<roles::Model>> {
    Ok(tenant.find::<roles::Entity>().filter(roles::Column::Id.is_in(ids.iter().copied())).all_positional(db).await?)
}

/// The requirements of each role, in display order.
pub async fn requirements_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    role_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<skill_requirements::Model>>> {
    let rows = tenant
        .find::<skill_requirements::Entity>()
        .filter(skill_requirements::Column::RoleId.is_in(role_ids.iter().copied()))
        .order_by_asc(skill_requirements::Column::Position)
        .order_by_asc(skill_requirements::Column::Id)
        .all_positional(db)
        .await?;
    Ok(crate::database::group_rows(rows, |row| (row.role_id, row)))
}

fn requirement_row(
    tenant: Tenant,
    role_id: Uuid,
    position: usize,
    r: &NewRequirement,
    now: DateTime<Utc>,
) -> skill_requirements::ActiveModel {
    skill_requirements::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(tenant.organization_id()),
        role_id: Set(role_id),
        skill_id: Set(r.skill_id),
        importance: Set(r.importance),
        min_level: Set(r.min_level.get()),
        min_years: Set(r.min_years.map(crate::values::Years::get)),
        weight: Set(r.weight.map(super::model::Weight::get)),
        alternatives_group: Set(r.alternatives_group.as_ref().map(|g| g.as_str().to_owned())),
        position: Set(position as i32),
        created_at: Set(now),
    }
}

async fn insert_requirements(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    role_id: Uuid,
    first_position: usize,
    requirements: &[NewRequirement],
    now: DateTime<Utc>,
) -> AppResult<()> {
    if requirements.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = requirements
        .iter()
        .enumerate()
        .map(|(i, r)| requirement_row(tenant, role_id, first_position + i, r, now))
        .collect();
    skill_requirements::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// The row of `role` under `id`, with its search text.
fn role_row(tenant: Tenant, id: Uuid, role: &NewRole, now: DateTime<Utc>, version: i32) -> roles::ActiveModel {
    use crate::values::Text;
    let external = role.external.as_ref();
    roles::ActiveModel {
        id: Set(id),
        organization_id: Set(tenant.organization_id()),
        search_text: Set(migration::search_text::of_fields(&[
            Some(role.title.as_str()),
            Some(role.description.as_str()),
            role.department.as_ref().map(Text::as_str),
        ])),
        title: Set(role.title.as_str().to_owned()),
        description: Set(role.description.as_str().to_owned()),
        department: Set(role.department.as_ref().map(|t| t.as_str().to_owned())),
        location: Set(role.location.as_ref().map(|t| t.as_str().to_owned())),
        workplace: Set(role.workplace),
        employment_type: Set(role.employment_type),
        seniority: Set(role.seniority),
        min_years_experience: Set(role.min_years_experience.get()),
        status: Set(role.status),
        headcount: Set(role.headcount.get()),
        salary_min: Set(role.salary.map(|s| s.min)),
        salary_max: Set(role.salary.map(|s| s.max)),
        salary_currency: Set(role.salary.map(|s| s.currency())),
        external_source: Set(external.map(|e| e.source.clone())),
        external_id: Set(external.map(|e| e.id.clone())),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(version),
        opened_at: Set((role.status == RoleStatus::Open).then_some(now)),
        valid_through: Set(role.valid_through),
    }
}

/// Creates a role with its requirements, all or nothing.
pub async fn create(db: &DatabaseConnection, viewer: &Viewer, role: NewRole) -> AppResult<roles::Model> {
    check_requirements(&role.requirements, "input.requirements")?;
    let tenant = viewer.tenant();
    let now = Utc::now();
    let id = Uuid::now_v7();
    let txn = db.begin().await?;
    let row = role_row(tenant, id, &role, now, 1).insert(&txn).await.map_err(|e| {
        AppError::refusing_duplicates(
            e,
            &[(ROLES_EXTERNAL, "input.externalId", "another role has this external source and id")],
        )
    })?;
    insert_requirements(&txn, tenant, id, 0, &role.requirements, now).await?;
    let created = RoleCreated { role: id, title: row.title.clone(), requirements: role.requirements.len() };
    events::service::record(&txn, viewer, DomainEvent::RoleCreated(created)).await?;
    txn.commit().await?;
    Ok(row)
}

/// Bumps a role's version as the first write of a transaction (so SQLite takes its write lock
/// before any read) and checks `expected_version`. Returns the new version.
async fn bump_version(
    txn: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
    expected_version: Option<i32>,
    extra: impl FnOnce(sea_orm::UpdateMany<roles::Entity>) -> sea_orm::UpdateMany<roles::Entity>,
) -> AppResult<()> {
    let update = extra(tenant.update_many::<roles::Entity>().filter(roles::Column::Id.eq(id)));
    let changed =
        versioning::bump(txn, update, roles::Column::Version, roles::Column::UpdatedAt, expected_version).await?;
    if changed {
        return Ok(());
    }
    Err(versioning::stale_or_missing(get(txn, tenant, id).await?.map(|row| row.version), "role", "Role"))
}

/// Applies a partial update, refusing a stale `expected_version` with CONFLICT.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    changes: RoleChanges,
    expected_version: Option<i32>,
) -> AppResult<roles::Model> {
    let tenant = viewer.tenant();
    let mut touched_fields = Vec::new();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, id, expected_version, |update| {
        use crate::values::Text;
        let (update, fields) = PartialUpdate::new(update)
            .set(changes.title, RoleField::Title, roles::Column::Title, Text::into_inner)
            .set(
                changes.description,
                RoleField::Description,
                roles::Column::Description,
                crate::values::LongText::into_inner,
            )
            .set(changes.department, RoleField::Department, roles::Column::Department, |v| v.map(Text::into_inner))
            .set(changes.location, RoleField::Location, roles::Column::Location, |v| v.map(Text::into_inner))
            .set(changes.workplace, RoleField::Workplace, roles::Column::Workplace, |v| v)
            .set(changes.employment_type, RoleField::EmploymentType, roles::Column::EmploymentType, |v| v)
            .set(changes.seniority, RoleField::Seniority, roles::Column::Seniority, |v| v)
            .set(changes.min_years_experience, RoleField::MinYearsExperience, roles::Column::MinYearsExperience, |v| {
                v.get()
            })
            .set(changes.headcount, RoleField::Headcount, roles::Column::Headcount, super::model::Headcount::get)
            .set_many(changes.salary, RoleField::Salary, |update, salary| {
                update
                    .col_expr(roles::Column::SalaryMin, Expr::value(salary.map(|s| s.min)))
                    .col_expr(roles::Column::SalaryMax, Expr::value(salary.map(|s| s.max)))
                    .col_expr(roles::Column::SalaryCurrency, Expr::value(salary.map(|s| s.currency())))
            })
            .set(changes.valid_through, RoleField::ValidThrough, roles::Column::ValidThrough, |v| v)
            .finish();
        touched_fields = fields;
        update
    })
    .await?;
    let role = get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Role"))?;
    let text = migration::search_text::of_fields(&[
        Some(role.title.as_str()),
        Some(role.description.as_str()),
        role.department.as_deref(),
    ]);
    let role = if text == role.search_text {
        role
    } else {
        let mut row: roles::ActiveModel = role.into();
        row.search_text = Set(text);
        tenant.update(row)?.exec(&txn).await?
    };
    let updated = RoleUpdated { role: id, fields: touched_fields, version: role.version };
    events::service::record(&txn, viewer, DomainEvent::RoleUpdated(updated)).await?;
    txn.commit().await?;
    Ok(role)
}

/// Replaces the role's requirements with `requirements`, atomically.
pub async fn set_requirements(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    requirements: &[NewRequirement],
    expected_version: Option<i32>,
) -> AppResult<roles::Model> {
    check_requirements(requirements, "input.requirements")?;
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, id, expected_version, |u| u).await?;
    tenant
        .delete_many::<skill_requirements::Entity>()
        .filter(skill_requirements::Column::RoleId.eq(id))
        .exec(&txn)
        .await?;
    insert_requirements(&txn, tenant, id, 0, requirements, Utc::now()).await?;
    let role = get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Role"))?;
    let set = RoleRequirementsSet { role: id, requirements: requirements.len() };
    events::service::record(&txn, viewer, DomainEvent::RoleRequirementsSet(set)).await?;
    txn.commit().await?;
    Ok(role)
}

/// Adds one requirement to a role.
pub async fn add_requirement(
    db: &DatabaseConnection,
    viewer: &Viewer,
    role_id: Uuid,
    requirement: &NewRequirement,
) -> AppResult<skill_requirements::Model> {
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, role_id, None, |u| u).await?;
    let existing = requirements_of(&txn, tenant, &[role_id]).await?.remove(&role_id).unwrap_or_default();
    let mut all: Vec<NewRequirement> = existing.iter().map(as_new).collect::<AppResult<_>>()?;
    all.push(requirement.clone());
    check_requirements(&all, "input").map_err(|error| match error {
        AppError::BadUserInput { message, .. } => AppError::bad_input("input.requirement", message),
        other => other,
    })?;
    let row = requirement_row(tenant, role_id, existing.len(), requirement, Utc::now()).insert(&txn).await?;
    let added = RoleRequirementAdded { role: role_id, requirement: row.id };
    events::service::record(&txn, viewer, DomainEvent::RoleRequirementAdded(added)).await?;
    txn.commit().await?;
    Ok(row)
}

/// A stored requirement as the value it was created from. A stored value that no longer parses
/// is a fault of the data, not of the caller: INTERNAL (logged), never silently dropped.
fn as_new(row: &skill_requirements::Model) -> AppResult<NewRequirement> {
    let stored = |column: &str, error: AppError| {
        AppError::Internal(anyhow::anyhow!(
            "skill requirement {} holds an invalid {column}: {}",
            row.id,
            error.message()
        ))
    };
    Ok(NewRequirement {
        skill_id: row.skill_id,
        importance: row.importance,
        min_level: crate::values::SkillLevel::parse(i32::from(row.min_level), "minLevel")
            .map_err(|e| stored("min_level", e))?,
        min_years: row
            .min_years
            .map(|y| crate::values::Years::parse(y, "minYears"))
            .transpose()
            .map_err(|e| stored("min_years", e))?,
        weight: row
            .weight
            .map(|w| super::model::Weight::parse(w, "weight"))
            .transpose()
            .map_err(|e| stored("weight", e))?,
        alternatives_group: row
            .alternatives_group
            .as_deref()
            .map(|g| crate::values::Text::parse(g, "alternativesGroup"))
            .transpose()
            .map_err(|e| stored("alternatives_group", e))?,
    })
}

/// Changes to one requirement; `None` keeps a field, `Some(None)` clears a nullable one.
#[derive(Debug, Clone, Default)]
pub struct RequirementChanges {
    pub importance: Option<entity::Importance>,
    pub min_level: Option<crate::values::SkillLevel>,
    pub min_years: Option<Option<crate::values::Years>>,
    pub weight: Option<Option<super::model::Weight>>,
    pub alternatives_group: Option<Option<super::model::AlternativesGroup>>,
}

/// Finds a requirement of the organization.
pub async fn get_requirement(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<skill_requirements::Model> {
    tenant.find_by_id::<skill_requirements::Entity>(id).one(db).await?.ok_or(AppError::NotFound("SkillRequirement"))
}

/// Updates one requirement.
pub async fn update_requirement(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    changes: RequirementChanges,
) -> AppResult<skill_requirements::Model> {
    let tenant = viewer.tenant();
    let current = get_requirement(db, tenant, id).await?;
    let txn = db.begin().await?;
    bump_version(&txn, tenant, current.role_id, None, |u| u).await?;
    let siblings =
        requirements_of(&txn, tenant, &[current.role_id]).await?.remove(&current.role_id).unwrap_or_default();
    let mut updated = as_new(&current)?;
    if let Some(importance) = changes.importance {
        updated.importance = importance;
    }
    if let Some(level) = changes.min_level {
        updated.min_level = level;
    }
    if let Some(years) = changes.min_years {
        updated.min_years = years;
    }
    if let Some(weight) = changes.weight {
        updated.weight = weight;
    }
    if let Some(group) = changes.alternatives_group {
        updated.alternatives_group = group;
    }
    let all: Vec<NewRequirement> =
        siblings.iter().map(|s| if s.id == id { Ok(updated.clone()) } else { as_new(s) }).collect::<AppResult<_>>()?;
    check_requirements(&all, "input").map_err(|_| {
        AppError::bad_input("input.importance", "requirements of one alternatives group share their importance")
    })?;
    let mut row: skill_requirements::ActiveModel = current.into();
    row.importance = Set(updated.importance);
    row.min_level = Set(updated.min_level.get());
    row.min_years = Set(updated.min_years.map(crate::values::Years::get));
    row.weight = Set(updated.weight.map(super::model::Weight::get));
    row.alternatives_group = Set(updated.alternatives_group.map(crate::values::Text::into_inner));
    let row = tenant.update(row)?.exec(&txn).await?;
    let updated = RoleRequirementUpdated { role: row.role_id, requirement: id };
    events::service::record(&txn, viewer, DomainEvent::RoleRequirementUpdated(updated)).await?;
    txn.commit().await?;
    Ok(row)
}

/// Removes one requirement; returns its role.
pub async fn remove_requirement(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<roles::Model> {
    let tenant = viewer.tenant();
    let current = get_requirement(db, tenant, id).await?;
    let txn = db.begin().await?;
    bump_version(&txn, tenant, current.role_id, None, |u| u).await?;
    tenant.delete_many::<skill_requirements::Entity>().filter(skill_requirements::Column::Id.eq(id)).exec(&txn).await?;
    let role = get(&txn, tenant, current.role_id).await?.ok_or(AppError::NotFound("Role"))?;
    let removed = RoleRequirementRemoved { role: role.id, requirement: id };
    events::service::record(&txn, viewer, DomainEvent::RoleRequirementRemoved(removed)).await?;
    txn.commit().await?;
    Ok(role)
}

/// Moves a role to another status, if the lifecycle allows it.
pub async fn change_status(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    status: RoleStatus,
    expected_version: Option<i32>,
) -> AppResult<roles::Model> {
    let tenant = viewer.tenant();
    let current = get(db, tenant, id).await?.ok_or(AppError::NotFound("Role"))?;
    if !may_move(current.status, status) {
        return Err(AppError::Conflict(format!(
            "a role cannot move from {} to {}",
            status_name(current.status),
            status_name(status)
        )));
    }
    let txn = db.begin().await?;
    let from = current.status;
    bump_version(&txn, tenant, id, expected_version.or(Some(current.version)), |u| {
        let u = u.col_expr(roles::Column::Status, Expr::value(status)).filter(roles::Column::Status.eq(from));
        // A posting's `datePosted` is the first opening: reopening keeps it.
        if status == RoleStatus::Open && current.opened_at.is_none() {
            u.col_expr(roles::Column::OpenedAt, Expr::value(Utc::now()))
        } else {
            u
        }
    })
    .await?;
    let role = get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Role"))?;
    let changed = RoleStatusChanged { role: id, from, to: status };
    events::service::record(&txn, viewer, DomainEvent::RoleStatusChanged(changed)).await?;
    txn.commit().await?;
    Ok(role)
}

/// The roles of the organization with these external references (one statement), locked
/// until the transaction ends on PostgreSQL ([`Tenant::find_by_external_refs`]).
pub async fn by_external_refs(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    refs: &[ExternalRef],
) -> AppResult<Vec<roles::Model>> {
    let columns = (roles::Column::ExternalSource, roles::Column::ExternalId);
    Ok(tenant
        .find_by_external_refs::<roles::Entity>(db, refs, columns, |row| {
            row.external_source.as_deref().zip(row.external_id.as_deref())
        })
        .await?)
}

/// A role's whole state as a sync gives it: its fields, its status when given (else kept, and
/// DRAFT for a new role), and its requirements unless the sync leaves them as they are here.
#[derive(Debug, Clone)]
pub struct RoleState {
    pub role: NewRole,
    pub status_given: bool,
    pub replace_requirements: bool,
}

/// What writing a [`RoleState`] over an existing role changes.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoleDiff {
    pub fields: Vec<RoleField>,
    pub requirements: bool,
    /// The status move, when the state names another status.
    pub status: Option<(RoleStatus, RoleStatus)>,
}

impl RoleDiff {
    /// Whether nothing changes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && !self.requirements && self.status.is_none()
    }
}

/// What `state` changes in `existing`, whose requirements are `requirements` (in display
/// order); a status move the lifecycle forbids is refused at `status_field`.
pub fn diff(
    existing: &roles::Model,
    requirements: &[skill_requirements::Model],
    state: &RoleState,
    status_field: &str,
) -> AppResult<RoleDiff> {
    use crate::values::Text;
    let new = &state.role;
    let text = |t: Option<&Text<200>>| t.map(|t| t.as_str().to_owned());
    let checks = [
        (RoleField::Title, existing.title != new.title.as_str()),
        (RoleField::Description, existing.description != new.description.as_str()),
        (RoleField::Department, existing.department != text(new.department.as_ref())),
        (RoleField::Location, existing.location != text(new.location.as_ref())),
        (RoleField::Workplace, existing.workplace != new.workplace),
        (RoleField::EmploymentType, existing.employment_type != new.employment_type),
        (RoleField::Seniority, existing.seniority != new.seniority),
        (RoleField::MinYearsExperience, existing.min_years_experience != new.min_years_experience.get()),
        (RoleField::Headcount, existing.headcount != new.headcount.get()),
        (RoleField::ValidThrough, existing.valid_through != new.valid_through),
        (
            RoleField::Salary,
            (existing.salary_min, existing.salary_max, existing.salary_currency.clone())
                != (new.salary.map(|s| s.min), new.salary.map(|s| s.max), new.salary.map(|s| s.currency())),
        ),
    ];
    let fields = checks.into_iter().filter_map(|(field, changed)| changed.then_some(field)).collect();
    let status = if state.status_given && existing.status != new.status {
        if !may_move(existing.status, new.status) {
            return Err(AppError::bad_input(
                status_field,
                format!("a role cannot move from {} to {}", status_name(existing.status), status_name(new.status)),
            ));
        }
        Some((existing.status, new.status))
    } else {
        None
    };
    let before = requirements
        .iter()
        .map(|r| (r.skill_id, r.importance, r.min_level, r.min_years, r.weight, r.alternatives_group.clone()));
    let after = new.requirements.iter().map(|r| {
        (
            r.skill_id,
            r.importance,
            r.min_level.get(),
            r.min_years.map(crate::values::Years::get),
            r.weight.map(super::model::Weight::get),
            r.alternatives_group.as_ref().map(|g| g.as_str().to_owned()),
        )
    });
    Ok(RoleDiff { fields, requirements: state.replace_requirements && !before.eq(after), status })
}

/// A role a batch writes: a new one under `id`, or a change to `existing`.
#[derive(Debug, Clone)]
pub enum RoleWrite {
    Create { id: Uuid, state: RoleState },
    Update { existing: Box<roles::Model>, state: RoleState, diff: RoleDiff },
}

/// Writes a batch of role creations and changes in a few statements whatever its size (see
/// `candidates::service::write_batch`): new rows in one INSERT, changed rows in one INSERT …
/// ON CONFLICT (id) DO UPDATE at their version + 1, replaced requirements with one DELETE and
/// one INSERT. Call it inside the caller's transaction, after [`by_external_refs`] there.
pub async fn write_batch(txn: &impl ConnectionTrait, tenant: Tenant, writes: &[RoleWrite]) -> AppResult<()> {
    use roles::Column as C;
    use sea_orm::sea_query::OnConflict;
    let now = Utc::now();
    let (mut created, mut changed, mut requirement_rows, mut cleared) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for write in writes {
        let (id, role) = match write {
            RoleWrite::Create { id, state } => {
                created.push(role_row(tenant, *id, &state.role, now, 1));
                (*id, &state.role)
            }
            RoleWrite::Update { existing, state, diff } => {
                if diff.is_empty() {
                    continue;
                }
                let mut row = role_row(tenant, existing.id, &state.role, now, existing.version + 1);
                row.created_at = Set(existing.created_at);
                let status = diff.status.map_or(existing.status, |(_, to)| to);
                row.status = Set(status);
                // First opened when it first became OPEN (a posting's datePosted), never reset.
                row.opened_at = Set(existing.opened_at.or((status == RoleStatus::Open).then_some(now)));
                changed.push(row);
                if !diff.requirements {
                    continue;
                }
                cleared.push(existing.id);
                (existing.id, &state.role)
            }
        };
        requirement_rows
            .extend(role.requirements.iter().enumerate().map(|(i, r)| requirement_row(tenant, id, i, r, now)));
    }
    let conflict = |error: sea_orm::DbErr| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
            "another request wrote some of these roles at the same time; send the batch again".to_owned(),
        ),
        _ => AppError::from(error),
    };
    // 23 columns a row: 1,000 rows stay under both backends' bound-parameter limits.
    for chunk in created.chunks(1_000) {
        roles::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await.map_err(conflict)?;
    }
    // Rows read through the tenant and locked just before: the conflict on `id` is certain and
    // only ever with one of the organization's own rows.
    let on_id = OnConflict::column(C::Id)
        .update_columns([
            C::Title,
            C::Description,
            C::Department,
            C::Location,
            C::Workplace,
            C::EmploymentType,
            C::Seniority,
            C::MinYearsExperience,
            C::Status,
            C::OpenedAt,
            C::ValidThrough,
            C::Headcount,
            C::SalaryMin,
            C::SalaryMax,
            C::SalaryCurrency,
            C::SearchText,
            C::UpdatedAt,
            C::Version,
        ])
        .to_owned();
    for chunk in changed.chunks(1_000) {
        roles::Entity::insert_many(chunk.to_vec())
            .on_conflict(on_id.clone())
            .exec_without_returning(txn)
            .await
            .map_err(conflict)?;
    }
    if !cleared.is_empty() {
        tenant
            .delete_many::<skill_requirements::Entity>()
            .filter(skill_requirements::Column::RoleId.is_in(cleared))
            .exec(txn)
            .await?;
    }
    // 11 columns a row.
    for chunk in requirement_rows.chunks(2_500) {
        skill_requirements::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// The API name of a status.
#[must_use]
pub fn status_name(status: RoleStatus) -> &'static str {
    match status {
        RoleStatus::Draft => "DRAFT",
        RoleStatus::Open => "OPEN",
        RoleStatus::OnHold => "ON_HOLD",
        RoleStatus::Closed => "CLOSED",
        RoleStatus::Filled => "FILLED",
    }
}

/// Deletes a DRAFT role without applications; any other role is closed instead.
pub async fn delete(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<roles::Model> {
    let tenant = viewer.tenant();
    let role = get(db, tenant, id).await?.ok_or(AppError::NotFound("Role"))?;
    let applications =
        tenant.find::<applications::Entity>().filter(applications::Column::RoleId.eq(id)).count(db).await?;
    if role.status != RoleStatus::Draft || applications > 0 {
        return Err(AppError::Conflict(
            "only a DRAFT role without applications can be deleted; close it with changeRoleStatus instead".to_owned(),
        ));
    }
    let txn = db.begin().await?;
    let deleted = tenant
        .delete_many::<roles::Entity>()
        .filter(roles::Column::Id.eq(id))
        .filter(roles::Column::Status.eq(RoleStatus::Draft))
        .exec(&txn)
        .await?;
    if deleted.rows_affected != 1 {
        return Err(AppError::Conflict("the role changed meanwhile; reload and try again".to_owned()));
    }
    let deleted = RoleDeleted { role: id, title: role.title.clone() };
    events::service::record(&txn, viewer, DomainEvent::RoleDeleted(deleted)).await?;
    txn.commit().await?;
    Ok(role)
}
