//! The publishing switch and the public lookups. The public ones have no caller: they start
//! from `Tenant::publishing_owner_of_role` / `Tenant::publishing_by_slug`, which find nothing
//! of an organization that has not enabled publishing.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{Importance, RoleStatus, domain_events, organizations, roles};
use sea_orm::sea_query::{Condition, Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::model::PostingFacts;
use crate::auth::{Tenant, Viewer};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{DomainEvent, JobPublishingSet};

/// Most postings one organization feed lists (newest openings first).
pub const FEED_LIMIT: u64 = 500;

/// A role with what its posting shows: the organization and its requirements' skills.
#[derive(Debug, Clone)]
pub struct Posting {
    pub role: roles::Model,
    pub organization: organizations::Model,
    pub skills: Vec<(String, Importance)>,
}

impl Posting {
    /// The facts the JSON-LD is built from.
    #[must_use]
    pub fn facts(&self) -> PostingFacts<'_> {
        PostingFacts { role: &self.role, organization: &self.organization, skills: self.skills.clone() }
    }
}

/// What a public posting URL answers.
#[derive(Debug, Clone)]
pub enum PublicPosting {
    /// An OPEN role of an organization that publishes, still taking applications.
    Published(Box<Posting>),
    /// The role was deleted, or its `validThrough` passed (HTTP 410).
    Gone,
    /// Nothing public (HTTP 404): no such role, a role that is not OPEN, or an organization
    /// that does not publish.
    NotFound,
}

/// Whether a role is public now (for an organization that publishes).
#[must_use]
pub fn is_live(role: &roles::Model, now: DateTime<Utc>) -> bool {
    role.status == RoleStatus::Open && role.valid_through.is_none_or(|until| until >= now)
}

/// Turns publishing of the organization's OPEN roles on or off (audited); returns the
/// organization.
pub async fn set_publishing(
    db: &DatabaseConnection,
    viewer: &Viewer,
    enabled: bool,
) -> AppResult<organizations::Model> {
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    // The organization row is the tenant itself: its own id is the filter.
    let update = Query::update()
        .table(organizations::Entity)
        .value(organizations::Column::PublishesJobs, enabled)
        .value(organizations::Column::UpdatedAt, Utc::now())
        .and_where(Expr::col(organizations::Column::Id).eq(tenant.organization_id()))
        .to_owned();
    txn.execute(&update).await?;
    let set = JobPublishingSet { organization: tenant.organization_id(), enabled };
    events::service::record(&txn, viewer, DomainEvent::JobPublishingSet(set)).await?;
    let organization = tenant.organization().one(&txn).await?.ok_or(AppError::NotFound("Organization"))?;
    txn.commit().await?;
    Ok(organization)
}

/// The skills of each role's requirements, in display order: two statements for any number
/// of roles.
pub async fn skills_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    role_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<(String, Importance)>>> {
    let requirements = crate::roles::service::requirements_of(db, tenant, role_ids).await?;
    let skill_ids: Vec<Uuid> = requirements.values().flatten().map(|r| r.skill_id).collect();
    let names: HashMap<Uuid, String> = crate::skills::service::by_ids(db, tenant.skill_scope(), &skill_ids)
        .await?
        .into_iter()
        .map(|skill| (skill.id, skill.name))
        .collect();
    Ok(requirements
        .into_iter()
        .map(|(role, rows)| {
            let skills =
                rows.iter().filter_map(|r| names.get(&r.skill_id).map(|name| (name.clone(), r.importance))).collect();
            (role, skills)
        })
        .collect())
}

/// What `GET /jobs/{role_id}` shows at `now`.
pub async fn public_posting(db: &impl ConnectionTrait, role_id: Uuid, now: DateTime<Utc>) -> AppResult<PublicPosting> {
    let Some((tenant, organization)) = Tenant::publishing_owner_of_role(db, role_id).await? else {
        return Ok(PublicPosting::NotFound);
    };
    let Some(role) = tenant.find_by_id::<roles::Entity>(role_id).one(db).await? else {
        let deleted = tenant
            .find::<domain_events::Entity>()
            .select_only()
            .column(domain_events::Column::Id)
            .filter(domain_events::Column::EntityId.eq(role_id))
            .filter(domain_events::Column::Name.eq("role.delete"))
            .into_tuple::<Uuid>()
            .one(db)
            .await?;
        return Ok(if deleted.is_some() { PublicPosting::Gone } else { PublicPosting::NotFound });
    };
    if role.status != RoleStatus::Open {
        return Ok(PublicPosting::NotFound);
    }
    if !is_live(&role, now) {
        return Ok(PublicPosting::Gone);
    }
    let skills = skills_of(db, tenant, &[role.id]).await?.remove(&role.id).unwrap_or_default();
    Ok(PublicPosting::Published(Box::new(Posting { role, organization, skills })))
}

/// The live postings of the organization `slug`, newest opening first (at most
/// [`FEED_LIMIT`]); `None` when it does not exist or does not publish.
pub async fn public_feed(
    db: &impl ConnectionTrait,
    slug: &str,
    now: DateTime<Utc>,
) -> AppResult<Option<(organizations::Model, Vec<Posting>)>> {
    let Some((tenant, organization)) = Tenant::publishing_by_slug(db, slug).await? else {
        return Ok(None);
    };
    let roles = tenant
        .find::<roles::Entity>()
        .filter(roles::Column::Status.eq(RoleStatus::Open))
        .filter(Condition::any().add(roles::Column::ValidThrough.is_null()).add(roles::Column::ValidThrough.gte(now)))
        .order_by_desc(roles::Column::OpenedAt)
        .order_by_desc(roles::Column::Id)
        .limit(FEED_LIMIT)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = roles.iter().map(|role| role.id).collect();
    let mut skills = skills_of(db, tenant, &ids).await?;
    let postings = roles
        .into_iter()
        .map(|role| {
            let skills = skills.remove(&role.id).unwrap_or_default();
            Posting { role, organization: organization.clone(), skills }
        })
        .collect();
    Ok(Some((organization, postings)))
}
