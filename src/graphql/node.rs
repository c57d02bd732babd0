//! Relay's `Node` lookups: each slice says how to fetch its own types again by global id, within
//! the caller's organization; `schema` lists them in the `Node` interface.

use async_graphql::{Context, ID};
use uuid::Uuid;

use super::context::{RequestContext, request, viewer};
use super::ids;
use crate::auth::{Permission, Tenant};
use crate::error::AppResult;

/// A GraphQL object type that `node(id:)` can fetch.
pub trait NodeType: Sized {
    /// The type name inside its global ids.
    const KIND: &'static str;

    /// The object with global id `id` (whose kind is [`Self::KIND`]), or `None` when it names
    /// nothing the caller may see. Database failures are errors, never `None`.
    fn lookup(ctx: &Context<'_>, id: &ID) -> impl Future<Output = AppResult<Option<Self>>> + Send;
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

/// The row id inside global id `id` of node type `T`; `None` when malformed.
#[must_use]
pub fn row_id<T: NodeType>(id: &ID) -> Option<Uuid> {
    ids::decode(T::KIND, id).ok()
}
