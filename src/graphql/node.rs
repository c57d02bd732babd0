//! Relay's `Node` lookups: each slice says how to fetch its own types again by global id, within
//! the caller's organization; `schema` lists them in the `Node` interface.

use async_graphql::{Context, ID};
use uuid::Uuid;

use super::context::{RequestContext, TenantLoader, request, tenant_loader, viewer};
use super::ids;
use crate::auth::{Permission, Tenant};
use crate::error::AppResult;

/// A GraphQL object type that `node(id:)` can fetch.
pub trait NodeType: Sized {
    /// The type name inside its global ids.
    const KIND: &'static str;

    /// The object with global id `id` (whose kind is [`Self::KIND`]), or `None` when it names
    /// nothing the caller may see. Database failures are errors, never `None`.
    fn lookup(ctx: &Context<'_>, id: &ID) -> impl Future<Output = async_graphql::Result<Option<Self>>> + Send;
}

/// The request and tenant of a caller who holds `permission`; `None` when they do not (their
/// lookups then find nothing, as for an id of another organization).
pub fn permitted<'a>(ctx: &Context<'a>, permission: Permission) -> AppResult<Option<(&'a RequestContext, Tenant)>> {
    let viewer = viewer(ctx)?;
    if !viewer.can(permission) {
        return Ok(None);
    }
    Ok(Some((request(ctx)?, viewer.tenant())))
}

/// The object with global id `id`, loaded through the request's DataLoader `L` (so that the ids
/// of one `nodes` call cost one statement per type); `None` when the caller lacks `permission`.
pub async fn load_node<T, L>(ctx: &Context<'_>, id: &ID, permission: Permission) -> async_graphql::Result<Option<T>>
where
    T: NodeType + From<L::Value>,
    L: TenantLoader<Key = Uuid>,
{
    let Some(uuid) = row_id::<T>(id) else { return Ok(None) };
    if !viewer(ctx)?.can(permission) {
        return Ok(None);
    }
    Ok(tenant_loader::<L>(ctx)?.load_one(uuid).await?.map(T::from))
}

/// The row id inside global id `id` of node type `T`; `None` when malformed.
#[must_use]
pub fn row_id<T: NodeType>(id: &ID) -> Option<Uuid> {
    ids::decode_any(id).and_then(|(kind, uuid)| (kind == T::KIND).then_some(uuid))
}
