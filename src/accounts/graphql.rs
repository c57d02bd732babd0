//! GraphQL face of authentication: sign-in mutations, `me`, recruiters and API clients.

use std::collections::BTreeSet;
use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject, Union};
use chrono::{DateTime, Utc};
use entity::{api_clients, organizations, recruiters};

use super::callers::CurrentCallers;
use super::loaders::{ApiClientLoader, RecruiterLoader};
use super::model::{DisplayName, Email, NewPassword};
use super::service::{self, SignIn};
use crate::auth::permissions::{Authenticated, Permission, Require, Scope};
use crate::auth::tokens::AuthConfig;
use crate::auth::viewer::Actor;
use crate::error::{AppError, AppResult};
use crate::graphql::context::{RequestContext, client_address, viewer};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, load_node, row_id};
use crate::graphql::user_errors::{UserError, refusals};

/// A recruiter's role in their organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum RecruiterRole {
    /// Manages recruiters, API clients and webhooks, and does everything a recruiter does.
    Admin,
    /// Reads and writes candidates, roles and pipelines.
    Recruiter,
    /// Reads only.
    Viewer,
}

impl From<entity::RecruiterRole> for RecruiterRole {
    fn from(value: entity::RecruiterRole) -> Self {
        match value {
            entity::RecruiterRole::Admin => Self::Admin,
            entity::RecruiterRole::Recruiter => Self::Recruiter,
            entity::RecruiterRole::Viewer => Self::Viewer,
        }
    }
}

impl From<RecruiterRole> for entity::RecruiterRole {
    fn from(value: RecruiterRole) -> Self {
        match value {
            RecruiterRole::Admin => Self::Admin,
            RecruiterRole::Recruiter => Self::Recruiter,
            RecruiterRole::Viewer => Self::Viewer,
        }
    }
}

/// A permission an API client can be granted (OAuth2 scope names in brackets).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "crate::auth::permissions::Scope")]
pub enum ApiScope {
    /// Read candidates (`candidates:read`).
    CandidatesRead,
    /// Create and change candidates (`candidates:write`).
    CandidatesWrite,
    /// Erase candidates' personal data, irreversibly (`candidates:erase`).
    CandidatesErase,
    /// Read roles (`roles:read`).
    RolesRead,
    /// Create and change roles (`roles:write`).
    RolesWrite,
    /// Read pipelines (`applications:read`).
    ApplicationsRead,
    /// Move candidates through pipelines (`applications:write`).
    ApplicationsWrite,
    /// Add organization skills and aliases (`skills:write`).
    SkillsWrite,
    /// Manage webhooks (`webhooks:manage`).
    WebhooksManage,
}

/// A tenant: recruiters, candidates and roles all belong to one organization.
#[derive(Debug, Clone, SimpleObject)]
pub struct Organization {
    /// Global id.
    pub id: ID,
    /// Display name.
    pub name: String,
    /// URL-safe handle.
    pub slug: String,
    /// Whether OPEN roles are public job postings (`setJobPublishing`).
    pub publishes_jobs: bool,
}

impl From<organizations::Model> for Organization {
    fn from(row: organizations::Model) -> Self {
        Self {
            id: ids::encode("Organization", row.id),
            name: row.name,
            slug: row.slug,
            publishes_jobs: row.publishes_jobs,
        }
    }
}

/// A person who signs in to the organization.
#[derive(Debug, Clone, SimpleObject)]
pub struct Recruiter {
    /// Global id.
    pub id: ID,
    /// Sign-in email (lower-case).
    pub email: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// What the recruiter may do.
    pub role: RecruiterRole,
    /// False for deactivated recruiters and pending invitations.
    pub active: bool,
    /// When the recruiter was created.
    pub created_at: DateTime<Utc>,
}

impl From<recruiters::Model> for Recruiter {
    fn from(row: recruiters::Model) -> Self {
        Self {
            id: ids::encode("Recruiter", row.id),
            email: row.email,
            display_name: row.display_name,
            role: row.role.into(),
            active: row.active,
            created_at: row.created_at,
        }
    }
}

/// An integration (an ATS) that signs in with a client id and secret.
#[derive(Debug, Clone, SimpleObject)]
pub struct ApiClient {
    /// Global id.
    pub id: ID,
    /// Name given by the admin who created it.
    pub name: String,
    /// Public client id, sent with the secret to get a token.
    pub client_id: String,
    /// What the client's tokens allow.
    pub scopes: Vec<ApiScope>,
    /// When it was created.
    pub created_at: DateTime<Utc>,
    /// When it was revoked; its tokens stop working at once.
    pub revoked_at: Option<DateTime<Utc>>,
}

impl From<api_clients::Model> for ApiClient {
    fn from(row: api_clients::Model) -> Self {
        let scopes = service::stored_scopes(&row).into_iter().map(ApiScope::from).collect();
        Self {
            id: ids::encode("ApiClient", row.id),
            name: row.name,
            client_id: row.client_id,
            scopes,
            created_at: row.created_at,
            revoked_at: row.revoked_at,
        }
    }
}

// The GraphQL face of `auth::viewer::Actor`; its name is part of the public schema.
/// Who is calling: a recruiter or an API client.
#[derive(Debug, Clone, Union)]
pub enum Caller {
    /// A person.
    Recruiter(Recruiter),
    /// An integration.
    ApiClient(ApiClient),
}

/// The authenticated caller, their organization and what they may do.
#[derive(Debug, Clone, SimpleObject)]
pub struct Me {
    /// The caller.
    pub caller: Caller,
    /// The caller's organization.
    pub organization: Organization,
    /// Everything the caller is allowed to do.
    pub permissions: Vec<Permission>,
}

/// The answer to a sign-in (`login`, `refreshToken`, `acceptInvitation`): the new session's
/// tokens, or (all of them null) the `userErrors` saying why it was refused: wrong email or
/// password, or an unknown, used or expired token is INVALID_CREDENTIALS; a malformed input is
/// BAD_USER_INPUT; too many failures are RATE_LIMITED, with `retryAfter`.
#[derive(Debug, Clone, SimpleObject)]
pub struct SignInPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: Option<String>,
    /// When the access token expires (15 minutes by default); refresh before.
    pub access_token_expires_at: Option<DateTime<Utc>>,
    /// Opaque; exchange it with `refreshToken` for new tokens. Single use.
    pub refresh_token: Option<String>,
    /// When the refresh token expires.
    pub refresh_token_expires_at: Option<DateTime<Utc>>,
    /// The signed-in recruiter.
    pub recruiter: Option<Recruiter>,
    /// When refused as RATE_LIMITED: seconds until this account may try again from here.
    pub retry_after: Option<u64>,
    /// Why the sign-in was refused.
    pub user_errors: Vec<UserError>,
}

impl SignInPayload {
    /// The payload of a sign-in's outcome.
    fn from_outcome(outcome: AppResult<SignIn>) -> async_graphql::Result<Self> {
        let retry_after = retry_after(&outcome);
        Ok(match refusals(outcome)? {
            Ok(sign_in) => Self {
                access_token: Some(sign_in.access.token),
                access_token_expires_at: Some(sign_in.access.expires_at),
                refresh_token: Some(sign_in.refresh_token),
                refresh_token_expires_at: Some(sign_in.refresh_expires_at),
                recruiter: Some(sign_in.recruiter.into()),
                retry_after: None,
                user_errors: Vec::new(),
            },
            Err(user_errors) => Self {
                access_token: None,
                access_token_expires_at: None,
                refresh_token: None,
                refresh_token_expires_at: None,
                recruiter: None,
                retry_after,
                user_errors,
            },
        })
    }
}

/// Seconds until a RATE_LIMITED sign-in may be tried again.
fn retry_after<T>(outcome: &AppResult<T>) -> Option<u64> {
    match outcome {
        Err(AppError::RateLimited { retry_after_secs }) => Some(*retry_after_secs),
        _ => None,
    }
}

/// An access token for an API client, or (all fields null) the `userErrors` saying why it was
/// refused (INVALID_CREDENTIALS for an unknown client or a wrong secret, RATE_LIMITED with
/// `retryAfter` after too many failures).
#[derive(Debug, Clone, SimpleObject)]
pub struct ClientTokenPayload {
    /// Send as `Authorization: Bearer <accessToken>`.
    pub access_token: Option<String>,
    /// Always `Bearer`.
    pub token_type: Option<String>,
    /// When the token expires; ask for a new one before.
    pub expires_at: Option<DateTime<Utc>>,
    /// What the token allows.
    pub scopes: Option<Vec<ApiScope>>,
    /// When refused as RATE_LIMITED: seconds until this client may try again from here.
    pub retry_after: Option<u64>,
    /// Why the token was refused.
    pub user_errors: Vec<UserError>,
}

/// Result of `logout`.
#[derive(Debug, Clone, SimpleObject)]
pub struct LogoutPayload {
    /// True once the session is over (also when it already was).
    pub success: bool,
}

/// Input of `createApiClient`.
#[derive(Debug, Clone, InputObject)]
pub struct CreateApiClientInput {
    /// A name to recognise the integration by (1 to 200 characters).
    pub name: String,
    /// What its tokens may do (at least one).
    pub scopes: Vec<ApiScope>,
}

crate::payload!(
    /// Result of `createApiClient`.
    CreateApiClientPayload,
    /// The new client.
    api_client: ApiClient,
    /// The client secret. Shown only in this response; store it now.
    client_secret: String,
);

crate::payload!(
    /// Result of `revokeApiClient`.
    RevokeApiClientPayload,
    /// The revoked client.
    api_client: ApiClient
);

/// Input of `inviteRecruiter`.
#[derive(Debug, Clone, InputObject)]
pub struct InviteRecruiterInput {
    /// Sign-in email; unique across the service.
    pub email: String,
    /// Name shown to colleagues.
    pub display_name: String,
    /// What the recruiter may do.
    pub role: RecruiterRole,
}

crate::payload!(
    /// Result of `inviteRecruiter`.
    InviteRecruiterPayload,
    /// The invited recruiter (inactive until the invitation is accepted).
    recruiter: Recruiter,
    /// One-time token for `acceptInvitation`; send it to the invitee. Shown only here.
    invitation_token: String,
    /// When the invitation expires.
    invitation_expires_at: DateTime<Utc>,
);

crate::payload!(
    /// Result of `deactivateRecruiter`.
    DeactivateRecruiterPayload,
    /// The deactivated recruiter.
    recruiter: Recruiter
);

impl NodeType for Organization {
    const KIND: &'static str = "Organization";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let request = crate::graphql::context::request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        if row_id::<Self>(id) != Some(tenant.organization_id()) {
            return Ok(None);
        }
        Ok(Some(service::organization(&request.db, tenant).await?.into()))
    }
}

impl NodeType for Recruiter {
    const KIND: &'static str = "Recruiter";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        load_node::<Self, RecruiterLoader>(ctx, id, Permission::ReadRecruiters).await
    }
}

impl NodeType for ApiClient {
    const KIND: &'static str = "ApiClient";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        load_node::<Self, ApiClientLoader>(ctx, id, Permission::ManageApiClients).await
    }
}

/// Queries about the caller and their colleagues.
#[derive(Default)]
pub struct AuthQuery;

#[Object]
impl AuthQuery {
    /// The authenticated caller, their organization and permissions.
    #[graphql(guard = "Authenticated")]
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Me> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let tenant = viewer.tenant();
        let caller = match viewer.actor() {
            Actor::Recruiter { id, .. } => {
                let row = service::find_recruiter(&request.db, tenant, *id).await?.ok_or(AppError::Unauthenticated)?;
                Caller::Recruiter(row.into())
            }
            Actor::ApiClient { id, .. } => {
                let row = service::find_api_client(&request.db, tenant, *id).await?.ok_or(AppError::Unauthenticated)?;
                Caller::ApiClient(row.into())
            }
        };
        let organization = service::organization(&request.db, tenant).await?.into();
        let permissions = Permission::ALL.into_iter().filter(|p| viewer.can(*p)).collect();
        Ok(Me { caller, organization, permissions })
    }

    /// The recruiters of the caller's organization, by name (recruiters only).
    #[graphql(guard = "Require(Permission::ReadRecruiters)")]
    async fn recruiters(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Recruiter>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        Ok(service::list_recruiters(&request.db, tenant).await?.into_iter().map(Recruiter::from).collect())
    }

    /// The organization's API clients, newest first (ADMIN).
    #[graphql(guard = "Require(Permission::ManageApiClients)")]
    async fn api_clients(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApiClient>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        Ok(service::list_api_clients(&request.db, tenant).await?.into_iter().map(ApiClient::from).collect())
    }
}

/// Signing in, tokens, recruiters and API clients.
#[derive(Default)]
pub struct AuthMutation;

#[Object]
impl AuthMutation {
    /// Signs a recruiter in. Wrong credentials are a `userErrors` entry INVALID_CREDENTIALS;
    /// repeated failures slow down, and after 5 for one account from one address in 15
    /// minutes the sign-in is refused as RATE_LIMITED, with `retryAfter` seconds.
    async fn login(&self, ctx: &Context<'_>, email: String, password: String) -> async_graphql::Result<SignInPayload> {
        let request = ctx.data::<RequestContext>()?;
        let auth = ctx.data::<AuthConfig>()?;
        let outcome =
            service::login(&request.db, &auth.keys, auth.policy, &email, &password, client_address(ctx)).await;
        SignInPayload::from_outcome(outcome)
    }

    /// Exchanges a refresh token for new tokens. Each refresh token works once; presenting a
    /// used one ends the whole session (it must have leaked).
    async fn refresh_token(&self, ctx: &Context<'_>, refresh_token: String) -> async_graphql::Result<SignInPayload> {
        let request = ctx.data::<RequestContext>()?;
        let auth = ctx.data::<AuthConfig>()?;
        SignInPayload::from_outcome(service::refresh(&request.db, &auth.keys, auth.policy, &refresh_token).await)
    }

    /// Ends the session of a refresh token. Access tokens already issued expire on their own.
    async fn logout(&self, ctx: &Context<'_>, refresh_token: String) -> async_graphql::Result<LogoutPayload> {
        let request = ctx.data::<RequestContext>()?;
        service::logout(&request.db, &refresh_token).await?;
        Ok(LogoutPayload { success: true })
    }

    /// Sets the password of an invited recruiter and signs them in. An unknown, used or expired
    /// invitation is a `userErrors` entry INVALID_CREDENTIALS.
    async fn accept_invitation(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> async_graphql::Result<SignInPayload> {
        let request = ctx.data::<RequestContext>()?;
        let auth = ctx.data::<AuthConfig>()?;
        let outcome = match NewPassword::parse(&password, "password") {
            Ok(password) => service::accept_invitation(&request.db, &auth.keys, auth.policy, &token, &password).await,
            Err(error) => Err(error),
        };
        SignInPayload::from_outcome(outcome)
    }

    /// Exchanges an API client's id and secret for an access token carrying its scopes (also
    /// available as OAuth2 client credentials at `POST /oauth/token`).
    async fn issue_client_token(
        &self,
        ctx: &Context<'_>,
        client_id: String,
        client_secret: String,
    ) -> async_graphql::Result<ClientTokenPayload> {
        let request = ctx.data::<RequestContext>()?;
        let auth = ctx.data::<AuthConfig>()?;
        let outcome = service::issue_client_token(
            &request.db,
            &auth.keys,
            auth.policy,
            &client_id,
            &client_secret,
            client_address(ctx),
        )
        .await;
        let retry_after = retry_after(&outcome);
        Ok(match refusals(outcome)? {
            Ok((token, scopes)) => ClientTokenPayload {
                access_token: Some(token.token),
                token_type: Some("Bearer".to_owned()),
                expires_at: Some(token.expires_at),
                scopes: Some(scopes.into_iter().map(ApiScope::from).collect()),
                retry_after: None,
                user_errors: Vec::new(),
            },
            Err(user_errors) => ClientTokenPayload {
                access_token: None,
                token_type: None,
                expires_at: None,
                scopes: None,
                retry_after,
                user_errors,
            },
        })
    }

    /// Creates an API client for an integration (ADMIN). The secret is in this response only.
    #[graphql(guard = "Require(Permission::ManageApiClients)")]
    async fn create_api_client(
        &self,
        ctx: &Context<'_>,
        input: CreateApiClientInput,
    ) -> async_graphql::Result<CreateApiClientPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let scopes: BTreeSet<Scope> = input.scopes.iter().copied().map(Scope::from).collect();
        let outcome = match DisplayName::parse(&input.name, "input.name") {
            Ok(name) => service::create_api_client(&request.db, viewer, &name, &scopes).await,
            Err(error) => Err(error),
        };
        CreateApiClientPayload::from_outcome(outcome.map(|created| (created.client.into(), created.secret)))
    }

    /// Revokes an API client (ADMIN); its tokens stop working at once.
    #[graphql(guard = "Require(Permission::ManageApiClients)")]
    async fn revoke_api_client(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<RevokeApiClientPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let callers = ctx.data::<Arc<CurrentCallers>>()?;
        let outcome = async {
            let client = service::revoke_api_client(&request.db, viewer, ids::decode("ApiClient", &id, "id")?).await?;
            callers.forget(client.id);
            Ok(client)
        };
        RevokeApiClientPayload::from_outcome(outcome.await.map_err(|e: AppError| e.locating(&[("ApiClient", "id")])))
    }

    /// Invites a recruiter into the caller's organization (ADMIN). Returns a one-time token the
    /// invitee redeems with `acceptInvitation` to set a password.
    #[graphql(guard = "Require(Permission::ManageRecruiters)")]
    async fn invite_recruiter(
        &self,
        ctx: &Context<'_>,
        input: InviteRecruiterInput,
    ) -> async_graphql::Result<InviteRecruiterPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let outcome = match (
            Email::parse(&input.email, "input.email"),
            DisplayName::parse(&input.display_name, "input.displayName"),
        ) {
            (Ok(email), Ok(name)) => {
                service::invite_recruiter(&request.db, viewer, &email, &name, input.role.into()).await
            }
            (Err(error), _) | (_, Err(error)) => Err(error),
        };
        InviteRecruiterPayload::from_outcome(
            outcome.map(|invitation| (invitation.recruiter.into(), invitation.token, invitation.expires_at)),
        )
    }

    /// Deactivates a recruiter (ADMIN): they cannot sign in or refresh any more, and their
    /// access tokens expire within 15 minutes. Admins cannot deactivate themselves.
    #[graphql(guard = "Require(Permission::ManageRecruiters)")]
    async fn deactivate_recruiter(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<DeactivateRecruiterPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let callers = ctx.data::<Arc<CurrentCallers>>()?;
        let outcome = async {
            let recruiter =
                service::deactivate_recruiter(&request.db, viewer, ids::decode("Recruiter", &id, "id")?).await?;
            callers.forget(recruiter.id);
            Ok(recruiter)
        };
        DeactivateRecruiterPayload::from_outcome(
            outcome.await.map_err(|e: AppError| e.locating(&[("Recruiter", "id")])),
        )
    }
}
