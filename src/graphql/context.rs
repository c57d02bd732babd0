//! What a resolver may read about its request: the database, the verified caller, the client's
//! address, the DataLoaders its slice registered, and small helpers shared by every slice. A
//! leaf: it imports no slice.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;

use async_graphql::Context;
use async_graphql::dataloader::{DataLoader, Loader};
use sea_orm::DatabaseConnection;

use crate::auth::{Authentication, SkillScope, Tenant, Viewer};
use crate::error::{AppError, AppResult};

/// Per-request state: the database and what the caller may see.
pub struct RequestContext {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The caller's organization; `None` for anonymous or invalid credentials.
    pub tenant: Option<Tenant>,
    /// The skills the caller sees.
    pub skill_scope: SkillScope,
}

impl RequestContext {
    /// The context of a request by `authentication`.
    #[must_use]
    pub fn new(db: DatabaseConnection, authentication: &Authentication) -> Self {
        let tenant = match authentication {
            Authentication::Viewer(viewer) => Some(viewer.tenant()),
            Authentication::Anonymous | Authentication::Invalid => None,
        };
        let skill_scope = tenant.map_or_else(SkillScope::builtin, Tenant::skill_scope);
        Self { db, tenant, skill_scope }
    }

    /// A fresh DataLoader over `loader`, scoped to the caller's organization: one per request,
    /// so batches and caches never outlive a request or cross tenants.
    #[must_use]
    pub fn tenant_loader<L: TenantLoader>(&self, loader: L) -> DataLoader<ForTenant<L>> {
        DataLoader::new(ForTenant { db: self.db.clone(), tenant: self.tenant, loader }, tokio::spawn).delay(BATCH_DELAY)
    }

    /// A fresh DataLoader over `loader` (for loads that are not tenant-scoped, like skills).
    #[must_use]
    pub fn loader<K, L>(&self, loader: L) -> DataLoader<L>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        L: Loader<K>,
    {
        DataLoader::new(loader, tokio::spawn).delay(BATCH_DELAY)
    }
}

/// How long a DataLoader waits for more keys before it loads: until tokio's next timer tick
/// (a zero sleep rounds up to the next millisecond), where async-graphql's default of 1 ms
/// waited a whole millisecond at every level of a response. Keys queued in the polls before the
/// tick share a batch, as they shared the millisecond (the statement-count tests hold). No wait
/// at all (async-io's zero timer is ready at once) loads before all siblings have queued
/// their keys: those tests then see extra statements.
const BATCH_DELAY: std::time::Duration = std::time::Duration::ZERO;

/// The client's network address, when known (rate limiting).
#[derive(Debug, Clone, Copy)]
pub struct ClientAddress(pub Option<IpAddr>);

/// The client's network address of the current request, when known.
#[must_use]
pub fn client_address(ctx: &Context<'_>) -> Option<IpAddr> {
    ctx.data_opt::<ClientAddress>().and_then(|a| a.0)
}

/// The verified caller of the current GraphQL request.
pub fn viewer<'a>(ctx: &Context<'a>) -> Result<&'a Viewer, AppError> {
    match ctx.data::<Authentication>() {
        Ok(Authentication::Viewer(viewer)) => Ok(viewer),
        _ => Err(AppError::Unauthenticated),
    }
}

/// The request's state (always present: the HTTP layer sets it).
pub fn request<'a>(ctx: &Context<'a>) -> Result<&'a RequestContext, AppError> {
    ctx.data::<RequestContext>().map_err(|_| AppError::Internal(anyhow::anyhow!("request context missing")))
}

/// A batched load of rows of one organization, written once per relation in its slice's
/// `loaders.rs`. [`ForTenant`] adds the rule every such load shares: a request without a tenant
/// loads nothing.
pub trait TenantLoader: Send + Sync + 'static {
    /// What a relation is keyed by (usually the parent's id).
    type Key: Send + Sync + Hash + Eq + Clone + 'static;
    /// What one key loads.
    type Value: Send + Sync + Clone + 'static;

    /// The values of `keys` within `tenant`; keys without a value are left out.
    fn load(
        &self,
        db: &DatabaseConnection,
        tenant: Tenant,
        keys: &[Self::Key],
    ) -> impl Future<Output = AppResult<HashMap<Self::Key, Self::Value>>> + Send;
}

/// A [`TenantLoader`] bound to one request's database and tenant, as async-graphql's
/// DataLoader wants it.
pub struct ForTenant<L> {
    db: DatabaseConnection,
    tenant: Option<Tenant>,
    loader: L,
}

impl<L: TenantLoader> Loader<L::Key> for ForTenant<L> {
    type Value = L::Value;
    type Error = async_graphql::Error;

    async fn load(&self, keys: &[L::Key]) -> Result<HashMap<L::Key, L::Value>, Self::Error> {
        let Some(tenant) = self.tenant else { return Ok(HashMap::new()) };
        Ok(self.loader.load(&self.db, tenant, keys).await?)
    }
}

/// The request's DataLoader of tenant loader `L`, as its slice registered it.
pub fn tenant_loader<'a, L: TenantLoader>(ctx: &Context<'a>) -> Result<&'a DataLoader<ForTenant<L>>, AppError> {
    ctx.data::<DataLoader<ForTenant<L>>>().map_err(|_| missing_loader::<L>())
}

/// The request's DataLoader `L` (not tenant-scoped), as its slice registered it.
pub fn loader<'a, L: Send + Sync + 'static>(ctx: &Context<'a>) -> Result<&'a DataLoader<L>, AppError> {
    ctx.data::<DataLoader<L>>().map_err(|_| missing_loader::<L>())
}

fn missing_loader<L>() -> AppError {
    AppError::Internal(anyhow::anyhow!("DataLoader {} is not registered", std::any::type_name::<L>()))
}

/// Whether the client selected `totalCount` on the connection being resolved, so the count
/// query runs only when someone reads it.
#[must_use]
pub fn wants_total_count(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum OrderDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}
