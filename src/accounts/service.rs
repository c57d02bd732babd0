//! Sign-in, token rotation, API clients, recruiters and bootstrap: the rules, over sea-orm.
//! Every function that touches an organization's data takes its `Tenant`.

use std::collections::BTreeSet;
use std::net::IpAddr;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, Utc};
use entity::{
    RecruiterRole, api_clients, login_failures, organizations, recruiter_invitations, recruiters, refresh_tokens,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::model::{DisplayName, Email, NewPassword};
use crate::auth::Tenant;
use crate::auth::password;
use crate::auth::permissions::Scope;
use crate::auth::tokens::{AccessToken, JwtKeys, TokenPolicy, random_secret, secret_hash};
use crate::auth::viewer::Viewer;
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{ApiClientCreated, ApiClientRevoked, DomainEvent, RecruiterDeactivated, RecruiterInvited};

/// What signing in (or refreshing) yields.
#[derive(Debug, Clone)]
pub struct SignIn {
    pub access: AccessToken,
    pub refresh_token: String,
    pub refresh_expires_at: DateTime<Utc>,
    pub recruiter: recruiters::Model,
}

/// Failed sign-ins allowed per account *from one address* in [`FAILURE_WINDOW_MINUTES`]; past
/// that, that address is refused for that account (RATE_LIMITED). Keyed by the pair, so nobody
/// can lock an account from addresses that are not its owner's.
pub const MAX_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed sign-ins per account (from any address) after which each further failure is answered
/// ever more slowly; never a refusal, so a correct password always gets in.
pub const FREE_FAILURES_PER_ACCOUNT: u64 = 5;
/// Failed sign-ins allowed per client address (API-client tokens: refused past it). For
/// recruiters' sign-ins it only slows failures down, so one busy address (a proxy, an office)
/// never refuses a correct password.
pub const MAX_FAILURES_PER_ADDRESS: u64 = 20;
/// The longest a failed sign-in is held back.
const MAX_FAILURE_DELAY_MS: u64 = 8_000;
/// The sliding window of the sign-in rate limits.
pub const FAILURE_WINDOW_MINUTES: i64 = 15;

/// Refuses with RATE_LIMITED when `key` failed too often recently.
#[expect(
    clippy::disallowed_methods,
    reason = "sign-in failures are counted before anyone is authenticated; they belong to no organization"
)]
async fn check_rate_limit(db: &impl ConnectionTrait, key: &str, limit: u64, now: DateTime<Utc>) -> AppResult<()> {
    let since = now - Duration::minutes(FAILURE_WINDOW_MINUTES);
    let recent = login_failures::Entity::find()
        .filter(login_failures::Column::Key.eq(key))
        .filter(login_failures::Column::CreatedAt.gt(since))
        .order_by_desc(login_failures::Column::CreatedAt)
        .paginate(db, limit)
        .fetch_page(0)
        .await?;
    if (recent.len() as u64) < limit {
        return Ok(());
    }
    // The window frees up when the oldest of the last `limit` failures leaves it.
    let oldest = recent.last().map_or(now, |f| f.created_at);
    let retry = (oldest + Duration::minutes(FAILURE_WINDOW_MINUTES) - now).num_seconds().max(1);
    Err(AppError::RateLimited { retry_after_secs: retry.unsigned_abs() })
}

/// How many failures `key` had within the window.
#[expect(
    clippy::disallowed_methods,
    reason = "sign-in failures are counted before anyone is authenticated; they belong to no organization"
)]
async fn recent_failures(db: &impl ConnectionTrait, key: &str, now: DateTime<Utc>) -> AppResult<u64> {
    let since = now - Duration::minutes(FAILURE_WINDOW_MINUTES);
    Ok(login_failures::Entity::find()
        .filter(login_failures::Column::Key.eq(key))
        .filter(login_failures::Column::CreatedAt.gt(since))
        .count(db)
        .await?)
}

/// How long to hold back a failed sign-in after `failures` recent ones beyond `free`: doubling
/// from 250 ms, at most [`MAX_FAILURE_DELAY_MS`].
fn failure_delay(failures: u64, free: u64) -> std::time::Duration {
    let beyond = failures.saturating_sub(free);
    if beyond == 0 {
        return std::time::Duration::ZERO;
    }
    let millis = 250_u64.saturating_mul(1 << beyond.saturating_sub(1).min(10)).min(MAX_FAILURE_DELAY_MS);
    std::time::Duration::from_millis(millis)
}

/// Records a failed (or not yet successful) attempt under each key; returns the row ids.
#[expect(
    clippy::disallowed_methods,
    reason = "sign-in failures are counted before anyone is authenticated; they belong to no organization"
)]
async fn record_failure(db: &impl ConnectionTrait, keys: &[String], now: DateTime<Utc>) -> AppResult<Vec<Uuid>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<Uuid> = keys.iter().map(|_| Uuid::now_v7()).collect();
    let rows: Vec<login_failures::ActiveModel> = keys
        .iter()
        .zip(&ids)
        .map(|(key, id)| login_failures::ActiveModel { id: Set(*id), key: Set(key.clone()), created_at: Set(now) })
        .collect();
    login_failures::Entity::insert_many(rows).exec(db).await?;
    // Old rows are useless: drop them as we go.
    login_failures::Entity::delete_many()
        .filter(login_failures::Column::CreatedAt.lt(now - Duration::minutes(FAILURE_WINDOW_MINUTES * 4)))
        .exec(db)
        .await?;
    Ok(ids)
}

/// A hash of a password nobody has, so that an unknown email costs one verification too and
/// timing does not tell which emails exist.
fn dummy_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| password::hash("talentgraph-timing-equaliser").unwrap_or_default())
}

async fn verify_in_background(plain: String, hash: Option<String>) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || {
        // No usable hash (unknown email, or an invitee who never set a password) still costs one
        // verification, so timing does not tell these cases apart.
        if let Some(hash) = hash.filter(|h| argon2::PasswordHash::new(h).is_ok()) {
            password::verify(&plain, &hash)
        } else {
            let _ = password::verify(&plain, dummy_hash());
            false
        }
    })
    .await
    .map_err(|e| AppError::Internal(e.into()))
}

/// Signs a recruiter in with email and password.
#[expect(
    clippy::disallowed_methods,
    reason = "sign-in by email: emails are unique across organizations; the session belongs to the row found"
)]
pub async fn login(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    policy: TokenPolicy,
    email: &str,
    password: &str,
    client: Option<IpAddr>,
) -> AppResult<SignIn> {
    let now = Utc::now();
    // Something that is not an email names no account: refused before anything is recorded,
    // so attacker-sized keys never reach the rate-limit table.
    let Ok(email) = Email::parse(email, "email") else { return Err(AppError::BadCredentials) };
    let email = email.as_str().to_owned();
    let account_key = format!("email:{email}");
    let address_key = client.map(|ip| format!("ip:{ip}"));
    let pair_key = format!("pair:{email}|{}", client.map(|ip| ip.to_string()).unwrap_or_default());
    // The attempt counts as a failure until it succeeds, and it is recorded before the limit is
    // checked: parallel guesses see each other and cannot slip past it while the (slow)
    // verification runs. Only guesses at one account from one address are refused outright.
    let mut keys_tried = vec![pair_key.clone(), account_key.clone()];
    keys_tried.extend(address_key.clone());
    let pending = record_failure(db, &keys_tried, now).await?;
    check_rate_limit(db, &pair_key, MAX_FAILURES_PER_ACCOUNT + 1, now).await?;
    let recruiter = recruiters::Entity::find().filter(recruiters::Column::Email.eq(email.as_str())).one(db).await?;
    let verified =
        verify_in_background(password.to_owned(), recruiter.as_ref().map(|r| r.password_hash.clone())).await?;
    match recruiter {
        Some(recruiter) if verified && recruiter.active => {
            let txn = db.begin().await?;
            login_failures::Entity::delete_many().filter(login_failures::Column::Id.is_in(pending)).exec(&txn).await?;
            let sign_in = start_session(&txn, keys, policy, recruiter, Uuid::now_v7(), now).await?;
            txn.commit().await?;
            Ok(sign_in)
        }
        _ => {
            // A failure beyond the free ones is answered more slowly, per account and per
            // address; a correct password is never held back.
            let by_account = failure_delay(recent_failures(db, &account_key, now).await?, FREE_FAILURES_PER_ACCOUNT);
            let by_address = match &address_key {
                Some(key) => failure_delay(recent_failures(db, key, now).await?, MAX_FAILURES_PER_ADDRESS),
                None => std::time::Duration::ZERO,
            };
            tokio::time::sleep(by_account.max(by_address)).await;
            Err(AppError::BadCredentials)
        }
    }
}

async fn start_session(
    db: &impl ConnectionTrait,
    keys: &JwtKeys,
    policy: TokenPolicy,
    recruiter: recruiters::Model,
    family_id: Uuid,
    now: DateTime<Utc>,
) -> AppResult<SignIn> {
    let refresh_token = random_secret("tgr_");
    let refresh_expires_at = now + policy.refresh_ttl;
    refresh_tokens::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(recruiter.organization_id),
        recruiter_id: Set(recruiter.id),
        family_id: Set(family_id),
        token_hash: Set(secret_hash(&refresh_token)),
        created_at: Set(now),
        expires_at: Set(refresh_expires_at),
        rotated_at: Set(None),
        revoked_at: Set(None),
    }
    .insert(db)
    .await?;
    let viewer = Viewer::signed_in_recruiter(&recruiter);
    let access = keys.issue(&viewer, policy.access_ttl)?;
    Ok(SignIn { access, refresh_token, refresh_expires_at, recruiter })
}

#[expect(
    clippy::disallowed_methods,
    reason = "a session family is found by its refresh token hash before sign-in; its id names one recruiter's sessions"
)]
async fn revoke_family(db: &impl ConnectionTrait, family_id: Uuid, now: DateTime<Utc>) -> AppResult<()> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::FamilyId.eq(family_id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Exchanges a refresh token for a new access token and a new refresh token. Presenting a token
/// that was already exchanged means it leaked: the whole family is revoked.
#[expect(
    clippy::disallowed_methods,
    reason = "refresh by token hash: the stored token names its recruiter, whose row signs the new session"
)]
pub async fn refresh(db: &DatabaseConnection, keys: &JwtKeys, policy: TokenPolicy, token: &str) -> AppResult<SignIn> {
    let now = Utc::now();
    let Some(stored) =
        refresh_tokens::Entity::find().filter(refresh_tokens::Column::TokenHash.eq(secret_hash(token))).one(db).await?
    else {
        return Err(AppError::BadCredentials);
    };
    if stored.revoked_at.is_some() || stored.expires_at <= now {
        return Err(AppError::BadCredentials);
    }
    if stored.rotated_at.is_some() {
        tracing::warn!(family = %stored.family_id, "refresh token reused: revoking its family");
        revoke_family(db, stored.family_id, now).await?;
        return Err(AppError::BadCredentials);
    }
    let recruiter = recruiters::Entity::find_by_id(stored.recruiter_id).one(db).await?;
    let Some(recruiter) = recruiter.filter(|r| r.active) else {
        revoke_family(db, stored.family_id, now).await?;
        return Err(AppError::BadCredentials);
    };
    let txn = db.begin().await?;
    // Only one concurrent exchange of the same token may win.
    let rotated = refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RotatedAt, Expr::value(now))
        .filter(refresh_tokens::Column::Id.eq(stored.id))
        .filter(refresh_tokens::Column::RotatedAt.is_null())
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    if rotated.rows_affected != 1 {
        txn.rollback().await?;
        revoke_family(db, stored.family_id, now).await?;
        return Err(AppError::BadCredentials);
    }
    let sign_in = start_session(&txn, keys, policy, recruiter, stored.family_id, now).await?;
    txn.commit().await?;
    Ok(sign_in)
}

/// Ends the session a refresh token belongs to. Unknown tokens are ignored (logging out twice
/// is not an error).
#[expect(clippy::disallowed_methods, reason = "logout by refresh token hash: the token is the only credential")]
pub async fn logout(db: &DatabaseConnection, token: &str) -> AppResult<()> {
    let stored =
        refresh_tokens::Entity::find().filter(refresh_tokens::Column::TokenHash.eq(secret_hash(token))).one(db).await?;
    if let Some(stored) = stored {
        revoke_family(db, stored.family_id, Utc::now()).await?;
    }
    Ok(())
}

/// The recruiter a viewer is, in its organization.
pub async fn find_recruiter(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<Option<recruiters::Model>> {
    Ok(tenant.find_by_id::<recruiters::Entity>(id).one(db).await?)
}

/// The recruiters of the organization, by display name.
pub async fn list_recruiters(db: &impl ConnectionTrait, tenant: Tenant) -> AppResult<Vec<recruiters::Model>> {
    Ok(tenant
        .find::<recruiters::Entity>()
        .order_by_asc(recruiters::Column::DisplayName)
        .order_by_asc(recruiters::Column::Id)
        .all(db)
        .await?)
}

/// The organization row of a tenant.
pub async fn organization(db: &impl ConnectionTrait, tenant: Tenant) -> AppResult<organizations::Model> {
    tenant.organization().one(db).await?.ok_or(AppError::NotFound("Organization"))
}

/// A recruiter created by invitation, with the one-time token to set a password.
pub struct Invitation {
    pub recruiter: recruiters::Model,
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Creates an inactive recruiter and a one-time invitation (valid 7 days) to set a password.
pub async fn invite_recruiter(
    db: &DatabaseConnection,
    viewer: &Viewer,
    email: &Email,
    display_name: &DisplayName,
    role: RecruiterRole,
) -> AppResult<Invitation> {
    let tenant = viewer.tenant();
    let now = Utc::now();
    if email_taken(db, email).await? {
        // Emails are unique across organizations; the message does not tell whether the
        // address is a colleague's or someone's in another organization.
        return Err(AppError::bad_input("input.email", "this email address cannot be invited"));
    }
    let token = random_secret("tgi_");
    let expires_at = now + Duration::days(7);
    let txn = db.begin().await?;
    let recruiter = recruiters::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(tenant.organization_id()),
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name.as_str().to_owned()),
        password_hash: Set(String::new()),
        role: Set(role),
        active: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(&txn)
    .await?;
    recruiter_invitations::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(tenant.organization_id()),
        recruiter_id: Set(recruiter.id),
        token_hash: Set(secret_hash(&token)),
        created_at: Set(now),
        expires_at: Set(expires_at),
        accepted_at: Set(None),
    }
    .insert(&txn)
    .await?;
    events::service::record(
        &txn,
        viewer,
        DomainEvent::RecruiterInvited(RecruiterInvited { recruiter: recruiter.id, role }),
    )
    .await?;
    txn.commit().await?;
    Ok(Invitation { recruiter, token, expires_at })
}

/// Marks invitation `id` accepted at `now` if it still may be: unaccepted and unexpired at this
/// moment (a deactivation expires it), checked in the same write, so whatever changed while the
/// password was being hashed wins. Whether it was claimed.
#[expect(
    clippy::disallowed_methods,
    reason = "by the invitation's primary key, which the caller read by its token hash before any tenant is known"
)]
pub async fn claim_invitation(db: &impl ConnectionTrait, id: Uuid, now: DateTime<Utc>) -> AppResult<bool> {
    let claimed = recruiter_invitations::Entity::update_many()
        .col_expr(recruiter_invitations::Column::AcceptedAt, Expr::value(now))
        .filter(recruiter_invitations::Column::Id.eq(id))
        .filter(recruiter_invitations::Column::AcceptedAt.is_null())
        .filter(recruiter_invitations::Column::ExpiresAt.gt(now))
        .exec(db)
        .await?;
    Ok(claimed.rows_affected == 1)
}

/// Sets the invited recruiter's password, activates them and signs them in.
#[expect(
    clippy::disallowed_methods,
    reason = "invitation by token hash: the invitation names its recruiter, in its organization"
)]
pub async fn accept_invitation(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    policy: TokenPolicy,
    token: &str,
    password: &NewPassword,
) -> AppResult<SignIn> {
    let now = Utc::now();
    let invitation = recruiter_invitations::Entity::find()
        .filter(recruiter_invitations::Column::TokenHash.eq(secret_hash(token)))
        .one(db)
        .await?
        .filter(|i| i.accepted_at.is_none() && i.expires_at > now)
        .ok_or(AppError::BadCredentials)?;
    let plain = password.expose().to_owned();
    let hash = tokio::task::spawn_blocking(move || password::hash(&plain))
        .await
        .map_err(|e| AppError::Internal(e.into()))??;
    let txn = db.begin().await?;
    // The claim re-checks everything the slow hash gave time to change: still unaccepted and
    // still unexpired now (a deactivation meanwhile expires the invitation), all in one write.
    let now = Utc::now();
    if !claim_invitation(&txn, invitation.id, now).await? {
        return Err(AppError::BadCredentials);
    }
    let recruiter =
        recruiters::Entity::find_by_id(invitation.recruiter_id).one(&txn).await?.ok_or(AppError::BadCredentials)?;
    let mut active: recruiters::ActiveModel = recruiter.into();
    active.password_hash = Set(hash);
    active.active = Set(true);
    active.updated_at = Set(now);
    let recruiter = active.update(&txn).await?;
    let sign_in = start_session(&txn, keys, policy, recruiter, Uuid::now_v7(), now).await?;
    txn.commit().await?;
    Ok(sign_in)
}

/// Deactivates a recruiter of the organization and ends their sessions: their access tokens
/// die at expiry, refreshes are refused at once.
pub async fn deactivate_recruiter(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<recruiters::Model> {
    if viewer.recruiter_id() == Some(id) {
        return Err(AppError::bad_input("id", "you cannot deactivate yourself"));
    }
    let tenant = viewer.tenant();
    let now = Utc::now();
    let recruiter = find_recruiter(db, tenant, id).await?.ok_or(AppError::NotFound("Recruiter"))?;
    let txn = db.begin().await?;
    let mut active: recruiters::ActiveModel = recruiter.into();
    active.active = Set(false);
    active.updated_at = Set(now);
    let recruiter = tenant.update(active)?.exec(&txn).await?;
    tenant
        .update_many::<refresh_tokens::Entity>()
        .col_expr(refresh_tokens::Column::RevokedAt, Expr::value(now))
        .filter(refresh_tokens::Column::RecruiterId.eq(id))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(&txn)
        .await?;
    // A pending invitation must not reactivate the recruiter later.
    tenant
        .update_many::<recruiter_invitations::Entity>()
        .col_expr(recruiter_invitations::Column::ExpiresAt, Expr::value(now))
        .filter(recruiter_invitations::Column::RecruiterId.eq(id))
        .filter(recruiter_invitations::Column::AcceptedAt.is_null())
        .exec(&txn)
        .await?;
    events::service::record(&txn, viewer, DomainEvent::RecruiterDeactivated(RecruiterDeactivated { recruiter: id }))
        .await?;
    txn.commit().await?;
    Ok(recruiter)
}

/// A new API client with its secret, shown only now.
pub struct NewApiClient {
    pub client: api_clients::Model,
    pub secret: String,
}

/// Creates an API client of the organization with the given scopes.
pub async fn create_api_client(
    db: &DatabaseConnection,
    viewer: &Viewer,
    name: &DisplayName,
    scopes: &BTreeSet<Scope>,
) -> AppResult<NewApiClient> {
    if scopes.is_empty() {
        return Err(AppError::bad_input("input.scopes", "give at least one scope"));
    }
    let tenant = viewer.tenant();
    let created_by = viewer.recruiter_id();
    let secret = random_secret("tgs_");
    let txn = db.begin().await?;
    let client = api_clients::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(tenant.organization_id()),
        name: Set(name.as_str().to_owned()),
        client_id: Set(random_secret("tgc_")[..24].to_owned()),
        secret_hash: Set(secret_hash(&secret)),
        scopes: Set(scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" ")),
        created_by_recruiter_id: Set(created_by),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
    }
    .insert(&txn)
    .await?;
    let created = ApiClientCreated { api_client: client.id, scopes: scopes.iter().copied().collect() };
    events::service::record(&txn, viewer, DomainEvent::ApiClientCreated(created)).await?;
    txn.commit().await?;
    Ok(NewApiClient { client, secret })
}

/// The API clients of the organization, newest first.
pub async fn list_api_clients(db: &impl ConnectionTrait, tenant: Tenant) -> AppResult<Vec<api_clients::Model>> {
    Ok(tenant
        .find::<api_clients::Entity>()
        .order_by_desc(api_clients::Column::CreatedAt)
        .order_by_desc(api_clients::Column::Id)
        .all(db)
        .await?)
}

/// The API client with this id in the organization.
pub async fn find_api_client(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<Option<api_clients::Model>> {
    Ok(tenant.find_by_id::<api_clients::Entity>(id).one(db).await?)
}

/// Revokes an API client of the organization; its tokens stop working at once.
pub async fn revoke_api_client(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<api_clients::Model> {
    let tenant = viewer.tenant();
    let client = find_api_client(db, tenant, id).await?.ok_or(AppError::NotFound("ApiClient"))?;
    if client.revoked_at.is_some() {
        return Ok(client);
    }
    let mut active: api_clients::ActiveModel = client.into();
    active.revoked_at = Set(Some(Utc::now()));
    let txn = db.begin().await?;
    let client = tenant.update(active)?.exec(&txn).await?;
    events::service::record(&txn, viewer, DomainEvent::ApiClientRevoked(ApiClientRevoked { api_client: id })).await?;
    txn.commit().await?;
    Ok(client)
}

/// Parses the space-separated scopes stored on an API client.
#[must_use]
pub fn stored_scopes(client: &api_clients::Model) -> BTreeSet<Scope> {
    client.scopes.split_whitespace().filter_map(Scope::parse).collect()
}

/// Exchanges an API client's id and secret for an access token carrying only its scopes.
#[expect(
    clippy::disallowed_methods,
    reason = "client by client id: client ids are unique across organizations; the row found signs the token"
)]
pub async fn issue_client_token(
    db: &DatabaseConnection,
    keys: &JwtKeys,
    policy: TokenPolicy,
    client_id: &str,
    secret: &str,
    address: Option<IpAddr>,
) -> AppResult<(AccessToken, BTreeSet<Scope>)> {
    let now = Utc::now();
    let address_key = address.map(|ip| format!("ip:{ip}"));
    if let Some(key) = &address_key {
        check_rate_limit(db, key, MAX_FAILURES_PER_ADDRESS, now).await?;
    }
    let client = api_clients::Entity::find().filter(api_clients::Column::ClientId.eq(client_id)).one(db).await?;
    if let Some(client) = client.filter(|c| c.revoked_at.is_none() && c.secret_hash == secret_hash(secret)) {
        let scopes = stored_scopes(&client);
        let viewer = Viewer::signed_in_client(&client, scopes.clone());
        Ok((keys.issue(&viewer, policy.access_ttl)?, scopes))
    } else {
        record_failure(db, &address_key.into_iter().collect::<Vec<_>>(), now).await?;
        Err(AppError::BadCredentials)
    }
}

/// Whether an API client still exists and is not revoked (checked on every request it makes,
/// so revocation is immediate).
pub async fn api_client_is_active(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<bool> {
    let found = tenant
        .find_by_id::<api_clients::Entity>(id)
        .filter(api_clients::Column::RevokedAt.is_null())
        .select_only()
        .column(api_clients::Column::Id)
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// Whether a recruiter is still active with the role their token names (checked on every
/// request, so deactivation and role changes take effect at once, not when the token expires).
pub async fn recruiter_is_current(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
    role: RecruiterRole,
) -> AppResult<bool> {
    Ok(tenant
        .find_by_id::<recruiters::Entity>(id)
        .filter(recruiters::Column::Active.eq(true))
        .filter(recruiters::Column::Role.eq(role))
        // The id alone, not COUNT(*) over a subquery: this runs on every request, and building
        // the count's statement cost more than the rest of a small query's resolving.
        .select_only()
        .column(recruiters::Column::Id)
        .into_tuple::<Uuid>()
        .one(db)
        .await?
        .is_some())
}

/// Creates an organization (operator bootstrap). Its slug is derived from the name.
#[expect(
    clippy::disallowed_methods,
    reason = "organizations are the tenants themselves; slugs are unique across the deployment"
)]
pub async fn create_organization(db: &impl ConnectionTrait, name: &DisplayName) -> AppResult<organizations::Model> {
    let slug = slugify(name.as_str());
    if slug.is_empty() {
        return Err(AppError::bad_input("name", "the name needs a letter or digit"));
    }
    if organizations::Entity::find().filter(organizations::Column::Slug.eq(slug.as_str())).count(db).await? > 0 {
        return Err(AppError::Conflict(format!("an organization with slug `{slug}` already exists")));
    }
    let now = Utc::now();
    Ok(organizations::ActiveModel {
        id: Set(Uuid::now_v7()),
        name: Set(name.as_str().to_owned()),
        slug: Set(slug),
        created_at: Set(now),
        updated_at: Set(now),
        event_sequence: Set(0),
        publishes_jobs: Set(false),
    }
    .insert(db)
    .await?)
}

/// Whether a recruiter of any organization has this email: emails sign in, so they are unique
/// across organizations.
#[expect(clippy::disallowed_methods, reason = "emails sign in, so they are unique across organizations")]
async fn email_taken(db: &impl ConnectionTrait, email: &Email) -> AppResult<bool> {
    Ok(recruiters::Entity::find().filter(recruiters::Column::Email.eq(email.as_str())).count(db).await? > 0)
}

/// Creates an active recruiter with a password (operator bootstrap and tests).
pub async fn create_recruiter(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    email: &Email,
    display_name: &DisplayName,
    role: RecruiterRole,
    password_hash: String,
) -> AppResult<recruiters::Model> {
    if email_taken(db, email).await? {
        return Err(AppError::Conflict(format!("a recruiter with email {} already exists", email.as_str())));
    }
    let now = Utc::now();
    Ok(recruiters::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(tenant.organization_id()),
        email: Set(email.as_str().to_owned()),
        display_name: Set(display_name.as_str().to_owned()),
        password_hash: Set(password_hash),
        role: Set(role),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
    .insert(db)
    .await?)
}

/// A URL-safe handle: lower-case ASCII letters and digits, runs of anything else as one `-`.
#[must_use]
pub fn slugify(name: &str) -> String {
    let mut slug = String::new();
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            slug.push(ch.to_ascii_lowercase());
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    slug.trim_end_matches('-').chars().take(100).collect()
}

#[cfg(test)]
mod tests {
    use super::{failure_delay, slugify};

    #[test]
    fn failures_beyond_the_free_ones_wait_longer_each_time() {
        let ms = |failures| failure_delay(failures, 5).as_millis();
        assert_eq!((ms(0), ms(5)), (0, 0));
        assert_eq!((ms(6), ms(7), ms(8)), (250, 500, 1000));
        assert_eq!(ms(60), 8000, "capped");
    }

    #[test]
    fn slugs() {
        assert_eq!(slugify("Acme Analytics GmbH"), "acme-analytics-gmbh");
        assert_eq!(slugify("  --Data & AI!! "), "data-ai");
        assert_eq!(slugify("日本"), "");
    }
}
