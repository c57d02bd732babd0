//! The caller of a request, established once at the edge from the bearer token. Three names,
//! three meanings: [`Authentication`] is what the edge learned (nothing, something invalid, or
//! a verified caller); [`Viewer`] is a verified caller bound to its organization, the only thing
//! that makes a `Tenant`; [`Actor`] is who the viewer is (a recruiter with a role, or an API
//! client with scopes), which events record as their author.

use std::collections::BTreeSet;

use entity::{RecruiterRole, api_clients, recruiters};
use uuid::Uuid;

use super::permissions::{Permission, Scope, role_allows};
use super::tenancy::Tenant;

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

/// Who is calling, without their organization.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A person, with their role.
    Recruiter { id: Uuid, role: RecruiterRole },
    /// An integration, with its granted scopes.
    ApiClient { id: Uuid, scopes: BTreeSet<Scope> },
}

impl Viewer {
    /// A recruiter of `organization_id` whose credentials were just verified (a token's claims).
    #[must_use]
    pub(in crate::auth) fn recruiter(organization_id: Uuid, id: Uuid, role: RecruiterRole) -> Self {
        Self { organization_id, actor: Actor::Recruiter { id, role } }
    }

    /// An API client of `organization_id` whose credentials were just verified.
    #[must_use]
    pub(in crate::auth) fn api_client(organization_id: Uuid, id: Uuid, scopes: BTreeSet<Scope>) -> Self {
        Self { organization_id, actor: Actor::ApiClient { id, scopes } }
    }

    /// The recruiter of this row, read from the database after their password or refresh
    /// token was verified: the row vouches for the organization.
    #[must_use]
    pub fn signed_in_recruiter(row: &recruiters::Model) -> Self {
        Self::recruiter(row.organization_id, row.id, row.role)
    }

    /// The API client of this row, read after its secret was verified, with the scopes it holds.
    #[must_use]
    pub fn signed_in_client(row: &api_clients::Model, scopes: BTreeSet<Scope>) -> Self {
        Self::api_client(row.organization_id, row.id, scopes)
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
        Tenant::of_verified(self.organization_id)
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
