//! The role queries.

use async_graphql::{Context, ID, Object};

use super::super::service::{self, RoleCursor};
use super::input::{RoleFilterInput, RoleOrder};
use super::types::{Role, RoleConnection};
use crate::auth::permissions::{Permission, Require};
use crate::graphql::context::{request, viewer, wants_total_count};
use crate::graphql::ids;
use crate::pagination::{PageArgs, encode_cursor};

/// Queries over roles.
#[derive(Default)]
pub struct RoleQuery;

#[Object]
impl RoleQuery {
    /// The organization's roles; newest first unless `orderBy` says otherwise.
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn roles(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Filters; all given ones must match.")] filter: Option<RoleFilterInput>,
        #[graphql(desc = "Sort order (default: CREATED_AT, DESC).")] order_by: Option<RoleOrder>,
    ) -> async_graphql::Result<RoleConnection> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let args = PageArgs::<RoleCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default().parse(&request.db, request.skill_scope).await?;
        let (field, descending) = RoleOrder::parse(order_by);
        let page = service::list(&request.db, tenant, &filter, field, descending, args).await?;
        let total =
            if wants_total_count(ctx) { Some(service::count(&request.db, tenant, &filter).await?) } else { None };
        Ok(RoleConnection::from_page(page, total, |r| encode_cursor(&RoleCursor::of(r, field)), Role::from))
    }

    /// One role by id, or null if the organization has no such role.
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    async fn role(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Role>> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let id = ids::decode("Role", &id, "id")?;
        if ctx.look_ahead().field("requirements").exists() {
            let role = service::get_with_requirements(&request.db, tenant, id).await?;
            return Ok(role.map(|(row, requirements)| Role::with_requirements(row, requirements)));
        }
        Ok(service::get(&request.db, tenant, id).await?.map(Role::from))
    }
}
