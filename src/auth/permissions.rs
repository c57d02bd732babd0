//! Who may do what: recruiter roles and API-client scopes, both reduced to `Permission`s.

use async_graphql::{Context, Enum, Guard};
use entity::RecruiterRole;

use super::viewer::Authentication;
use crate::error::AppError;

/// One thing a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Enum)]
pub enum Permission {
    /// Read candidates and their skills.
    ReadCandidates,
    /// Create, change and archive candidates.
    WriteCandidates,
    /// Erase a candidate's personal data, irreversibly (ADMIN or `candidates:erase`).
    EraseCandidates,
    /// Read roles and their requirements.
    ReadRoles,
    /// Create and change roles.
    WriteRoles,
    /// Read pipelines.
    ReadApplications,
    /// Move candidates through pipelines.
    WriteApplications,
    /// Read the skill taxonomy.
    ReadSkills,
    /// Add the organization's own skills and aliases.
    WriteSkills,
    /// Invite and deactivate recruiters.
    ManageRecruiters,
    /// Create and revoke API clients.
    ManageApiClients,
    /// Manage webhooks.
    ManageWebhooks,
    /// Read the audit trail.
    ReadAudit,
    /// See colleagues: the organization's recruiters (people only, never integrations).
    ReadRecruiters,
    /// Change the organization's own settings, such as its rejection reasons.
    ManageOrganization,
}

impl Permission {
    /// Every permission, for listing a caller's.
    pub const ALL: [Permission; 15] = [
        Self::ReadCandidates,
        Self::WriteCandidates,
        Self::EraseCandidates,
        Self::ReadRoles,
        Self::WriteRoles,
        Self::ReadApplications,
        Self::WriteApplications,
        Self::ReadSkills,
        Self::WriteSkills,
        Self::ManageRecruiters,
        Self::ManageApiClients,
        Self::ManageWebhooks,
        Self::ReadAudit,
        Self::ReadRecruiters,
        Self::ManageOrganization,
    ];
}

/// What a recruiter's role allows: VIEWER reads, RECRUITER also writes the recruiting data,
/// ADMIN also manages people, integrations, webhooks and the organization's settings, and
/// alone may erase candidates (irreversible).
#[must_use]
pub fn role_allows(role: RecruiterRole, permission: Permission) -> bool {
    use Permission as P;
    let reads = matches!(
        permission,
        P::ReadCandidates | P::ReadRoles | P::ReadApplications | P::ReadSkills | P::ReadRecruiters
    );
    let writes = matches!(permission, P::WriteCandidates | P::WriteRoles | P::WriteApplications | P::WriteSkills);
    match role {
        RecruiterRole::Viewer => reads,
        RecruiterRole::Recruiter => reads || writes,
        RecruiterRole::Admin => true,
    }
}

/// A permission an integration can be granted, named as in OAuth2 (`candidates:read`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Enum)]
pub enum Scope {
    /// `candidates:read`
    CandidatesRead,
    /// `candidates:write` (implies reading)
    CandidatesWrite,
    /// `candidates:erase`: irreversible data-protection erasure (implies nothing else)
    CandidatesErase,
    /// `roles:read`
    RolesRead,
    /// `roles:write` (implies reading)
    RolesWrite,
    /// `applications:read`
    ApplicationsRead,
    /// `applications:write` (implies reading)
    ApplicationsWrite,
    /// `skills:write`: add organization skills and aliases
    SkillsWrite,
    /// `webhooks:manage`
    WebhooksManage,
}

impl Scope {
    /// Every scope.
    pub const ALL: [Scope; 9] = [
        Self::CandidatesRead,
        Self::CandidatesWrite,
        Self::CandidatesErase,
        Self::RolesRead,
        Self::RolesWrite,
        Self::ApplicationsRead,
        Self::ApplicationsWrite,
        Self::SkillsWrite,
        Self::WebhooksManage,
    ];

    /// The OAuth2 name.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CandidatesRead => "candidates:read",
            Self::CandidatesWrite => "candidates:write",
            Self::CandidatesErase => "candidates:erase",
            Self::RolesRead => "roles:read",
            Self::RolesWrite => "roles:write",
            Self::ApplicationsRead => "applications:read",
            Self::ApplicationsWrite => "applications:write",
            Self::SkillsWrite => "skills:write",
            Self::WebhooksManage => "webhooks:manage",
        }
    }

    /// Parses an OAuth2 scope name.
    #[must_use]
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|scope| scope.as_str() == name)
    }

    /// Whether this scope grants `permission`. Every authenticated client reads the taxonomy.
    #[must_use]
    pub fn allows(self, permission: Permission) -> bool {
        use Permission as P;
        matches!(
            (self, permission),
            (Self::CandidatesRead | Self::CandidatesWrite, P::ReadCandidates)
                | (Self::CandidatesWrite, P::WriteCandidates)
                | (Self::CandidatesErase, P::EraseCandidates)
                | (Self::RolesRead | Self::RolesWrite, P::ReadRoles)
                | (Self::RolesWrite, P::WriteRoles)
                | (Self::ApplicationsRead | Self::ApplicationsWrite, P::ReadApplications)
                | (Self::ApplicationsWrite, P::WriteApplications)
                | (Self::SkillsWrite, P::WriteSkills)
                | (Self::WebhooksManage, P::ManageWebhooks)
        )
    }
}

/// Guard: the caller must be authenticated and hold the permission.
pub struct Require(pub Permission);

impl Guard for Require {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        match ctx.data::<Authentication>()? {
            Authentication::Viewer(viewer) if viewer.can(self.0) => Ok(()),
            Authentication::Viewer(_) => Err(AppError::Forbidden.into()),
            Authentication::Anonymous | Authentication::Invalid => Err(AppError::Unauthenticated.into()),
        }
    }
}

/// Guard: the caller must be authenticated (any role or scope).
pub struct Authenticated;

impl Guard for Authenticated {
    async fn check(&self, ctx: &Context<'_>) -> async_graphql::Result<()> {
        match ctx.data::<Authentication>()? {
            Authentication::Viewer(_) => Ok(()),
            Authentication::Anonymous | Authentication::Invalid => Err(AppError::Unauthenticated.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_nest() {
        for permission in Permission::ALL {
            if role_allows(RecruiterRole::Viewer, permission) {
                assert!(role_allows(RecruiterRole::Recruiter, permission), "{permission:?}");
            }
            if role_allows(RecruiterRole::Recruiter, permission) {
                assert!(role_allows(RecruiterRole::Admin, permission), "{permission:?}");
            }
        }
        assert!(role_allows(RecruiterRole::Viewer, Permission::ReadCandidates));
        assert!(!role_allows(RecruiterRole::Viewer, Permission::WriteCandidates));
        assert!(!role_allows(RecruiterRole::Recruiter, Permission::ManageApiClients));
        assert!(!role_allows(RecruiterRole::Recruiter, Permission::ManageOrganization));
        assert!(role_allows(RecruiterRole::Admin, Permission::ManageOrganization));
    }

    #[test]
    fn scopes_round_trip_and_never_grant_people_management() {
        for scope in Scope::ALL {
            assert_eq!(Scope::parse(scope.as_str()), Some(scope));
            assert!(!scope.allows(Permission::ManageRecruiters));
            assert!(!scope.allows(Permission::ManageApiClients));
            assert!(!scope.allows(Permission::ReadAudit));
            assert!(!scope.allows(Permission::ReadRecruiters));
            assert!(!scope.allows(Permission::ManageOrganization));
        }
        assert_eq!(Scope::parse("candidates:admin"), None);
        assert!(Scope::CandidatesWrite.allows(Permission::ReadCandidates));
        assert!(!Scope::CandidatesRead.allows(Permission::WriteCandidates));
    }
}
