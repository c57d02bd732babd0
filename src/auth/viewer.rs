//! The caller of a request, established once at the edge from the bearer token.

use std::collections::BTreeSet;

use async_graphql::Context;
use entity::RecruiterRole;
use uuid::Uuid;

use super::permissions::{Permission, Scope, role_allows};
use crate::error::AppError;

/// What the edge learned from the `Authorization` header.
#[derive(Debug, Clone)]
pub enum Authentication {
    /// No credentials were sent.
    Anonymous,
    /// Credentials were sent but are not valid (expired, wrongly signed, malformed, revoked).
    Invalid,
    /// A verified caller.
    Viewer(Viewer),
}

/// A verified caller: a recruiter or an API client, always of exactly one organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Viewer {
    organization_id: Uuid,
    actor: Actor,
}

/// Who is calling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A person, with their role.
    Recruiter { id: Uuid, role: RecruiterRole },
    /// An integration, with its granted scopes.
    ApiClient { id: Uuid, scopes: BTreeSet<Scope> },
}

impl Viewer {
    /// A verified recruiter of `organization_id`.
    #[must_use]
    pub fn recruiter(organization_id: Uuid, id: Uuid, role: RecruiterRole) -> Self {
        Self { organization_id, actor: Actor::Recruiter { id, role } }
    }

    /// A verified API client of `organization_id`.
    #[must_use]
    pub fn api_client(organization_id: Uuid, id: Uuid, scopes: BTreeSet<Scope>) -> Self {
        Self { organization_id, actor: Actor::ApiClient { id, scopes } }
    }

    /// Whether the caller may do `permission`.
    #[must_use]
    pub fn can(&self, permission: Permission) -> bool {
        match &self.actor {
            Actor::Recruiter { role, .. } => role_allows(*role, permission),
            Actor::ApiClient { scopes, .. } => {
                permission == Permission::ReadSkills || scopes.iter().any(|scope| scope.allows(permission))
            }
        }
    }

    /// The caller's organization: the only one any of its queries may touch.
    #[must_use]
    pub fn tenant(&self) -> Tenant {
        Tenant(self.organization_id)
    }

    /// Who is calling.
    #[must_use]
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The recruiter's id, when the caller is a person.
    #[must_use]
    pub fn recruiter_id(&self) -> Option<Uuid> {
        match self.actor {
            Actor::Recruiter { id, .. } => Some(id),
            Actor::ApiClient { .. } => None,
        }
    }
}

/// An organization whose data a service call may touch. Only a verified [`Viewer`] (or an
/// operator's CLI command, via [`Tenant::for_operator`]) makes one, so a service function that
/// takes a `Tenant` cannot be called for data the caller does not own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Tenant(Uuid);

impl Tenant {
    /// The organization's id.
    #[must_use]
    pub fn organization_id(self) -> Uuid {
        self.0
    }

    /// The tenant an operator named on the command line (they own the whole deployment).
    #[must_use]
    pub fn for_operator(organization_id: Uuid) -> Self {
        Self(organization_id)
    }
}

/// The verified caller of the current GraphQL request.
pub fn viewer<'a>(ctx: &Context<'a>) -> Result<&'a Viewer, AppError> {
    match ctx.data::<Authentication>() {
        Ok(Authentication::Viewer(viewer)) => Ok(viewer),
        _ => Err(AppError::Unauthenticated),
    }
}
