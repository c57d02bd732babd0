//! Access tokens (JWT) and opaque secrets (refresh tokens, API-client secrets, invitations).
//!
//! The algorithm is pinned: HS256 with a secret of at least 32 bytes, or EdDSA / RS256 with a
//! private key whose public half is published as a JWKS. Validation requires and checks `exp`,
//! `nbf`, `iss`, `aud` and `sub` with a 5-second leeway; jsonwebtoken alone would accept tokens
//! without `iss`/`aud` and ignore `nbf`.

use std::collections::BTreeSet;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use entity::RecruiterRole;
use jsonwebtoken::jwk::{Jwk, JwkSet};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::permissions::Scope;
use super::viewer::Viewer;
use crate::error::AppError;

/// Token lifetimes.
#[derive(Debug, Clone, Copy)]
pub struct TokenPolicy {
    /// Access tokens (JWT).
    pub access_ttl: Duration,
    /// Refresh tokens.
    pub refresh_ttl: Duration,
}

impl Default for TokenPolicy {
    fn default() -> Self {
        Self { access_ttl: Duration::minutes(15), refresh_ttl: Duration::days(30) }
    }
}

/// Signing keys and token policy of a server instance, shared by the GraphQL schema and the
/// OAuth endpoint.
#[derive(Debug, Clone)]
pub struct AuthConfig {
    /// Keys that sign and verify access tokens.
    pub keys: std::sync::Arc<JwtKeys>,
    /// Token lifetimes.
    pub policy: TokenPolicy,
}

/// The smallest accepted RSA modulus (NIST SP 800-131A).
pub const MIN_RSA_BITS: usize = 2048;

/// The size in bits of an RSA modulus given base64url-encoded, as in a JWK.
fn rsa_modulus_bits(n: &str) -> usize {
    let bytes = URL_SAFE_NO_PAD.decode(n.trim_end_matches('=')).unwrap_or_default();
    let leading_zeros: usize = bytes.iter().take_while(|b| **b == 0).count();
    let significant = bytes.get(leading_zeros..).unwrap_or_default();
    significant.first().map_or(0, |first| (significant.len() * 8) - first.leading_zeros() as usize)
}

/// The shortest accepted HS256 secret.
pub const MIN_SECRET_BYTES: usize = 32;
const LEEWAY_SECONDS: u64 = 5;

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// `recruiter:<uuid>` or `client:<uuid>`.
    pub sub: String,
    /// Organization id.
    pub org: Uuid,
    /// Recruiter role; absent for API clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<RecruiterRole>,
    /// Granted scopes (API clients); empty for recruiters.
    #[serde(default)]
    pub scopes: Vec<String>,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: Uuid,
}

/// A signed access token and when it expires.
#[derive(Debug, Clone)]
pub struct AccessToken {
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

/// Signing and verification keys with the pinned algorithm, issuer and audience.
pub struct JwtKeys {
    algorithm: Algorithm,
    encoding: EncodingKey,
    decoding: DecodingKey,
    jwks: JwkSet,
    issuer: String,
    audience: String,
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtKeys")
            .field("algorithm", &self.algorithm)
            .field("issuer", &self.issuer)
            .finish_non_exhaustive()
    }
}

/// The default `iss` claim.
pub const DEFAULT_ISSUER: &str = "talentgraph";
/// The default `aud` claim.
pub const DEFAULT_AUDIENCE: &str = "talentgraph-api";

impl JwtKeys {
    /// HS256 keys from a shared secret of at least [`MIN_SECRET_BYTES`] bytes.
    pub fn from_secret(secret: &[u8]) -> anyhow::Result<Self> {
        if secret.len() < MIN_SECRET_BYTES {
            anyhow::bail!("the JWT secret must be at least {MIN_SECRET_BYTES} bytes (got {})", secret.len());
        }
        Ok(Self {
            algorithm: Algorithm::HS256,
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            jwks: JwkSet { keys: Vec::new() },
            issuer: DEFAULT_ISSUER.to_owned(),
            audience: DEFAULT_AUDIENCE.to_owned(),
        })
    }

    /// HS256 keys from a fresh random secret: for `--demo` and tests, never for production
    /// (tokens die with the process and cannot be shared between instances).
    #[must_use]
    pub fn ephemeral() -> Self {
        let mut secret = [0_u8; 48];
        rand::rng().fill_bytes(&mut secret);
        Self::from_secret(&secret).unwrap_or_else(|_| unreachable!("48 random bytes are a valid secret"))
    }

    /// EdDSA (Ed25519) or RS256 keys from a PEM private key; the public key is served as a JWKS.
    pub fn from_private_key_pem(algorithm: Algorithm, pem: &[u8]) -> anyhow::Result<Self> {
        let encoding = match algorithm {
            Algorithm::EdDSA => EncodingKey::from_ed_pem(pem)?,
            Algorithm::RS256 => EncodingKey::from_rsa_pem(pem)?,
            other => {
                anyhow::bail!("unsupported JWT algorithm {other:?}: use HS256 (secret), EdDSA or RS256 (key file)")
            }
        };
        let mut jwk = Jwk::from_encoding_key(&encoding, algorithm)?;
        if let jsonwebtoken::jwk::AlgorithmParameters::RSA(rsa) = &jwk.algorithm {
            let bits = rsa_modulus_bits(&rsa.n);
            if bits < MIN_RSA_BITS {
                anyhow::bail!("the RSA key has {bits} bits: use at least {MIN_RSA_BITS}");
            }
        }
        // RFC 7638: the key id is the thumbprint of the public key, so verifiers can compute it.
        jwk.common.key_id = Some(jwk.thumbprint(jsonwebtoken::jwk::ThumbprintHash::SHA256)?);
        let decoding = DecodingKey::from_jwk(&jwk)?;
        Ok(Self {
            algorithm,
            encoding,
            decoding,
            jwks: JwkSet { keys: vec![jwk] },
            issuer: DEFAULT_ISSUER.to_owned(),
            audience: DEFAULT_AUDIENCE.to_owned(),
        })
    }

    /// The public keys other services verify our tokens with (empty for HS256).
    #[must_use]
    pub fn jwks(&self) -> &JwkSet {
        &self.jwks
    }

    /// Signs an access token for `viewer`, valid for `ttl`.
    pub fn issue(&self, viewer: &Viewer, ttl: Duration) -> Result<AccessToken, AppError> {
        let now = Utc::now();
        let expires_at = now + ttl;
        let (sub, role, scopes) = match viewer.actor() {
            super::viewer::Actor::Recruiter { id, role } => (format!("recruiter:{id}"), Some(*role), Vec::new()),
            super::viewer::Actor::ApiClient { id, scopes } => {
                (format!("client:{id}"), None, scopes.iter().map(|s| s.as_str().to_owned()).collect())
            }
        };
        let claims = Claims {
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            sub,
            org: viewer.tenant().organization_id(),
            role,
            scopes,
            iat: now.timestamp(),
            nbf: now.timestamp(),
            exp: expires_at.timestamp(),
            jti: Uuid::now_v7(),
        };
        let mut header = Header::new(self.algorithm);
        header.kid = self.jwks.keys.first().and_then(|k| k.common.key_id.clone());
        let token = jsonwebtoken::encode(&header, &claims, &self.encoding)
            .map_err(|e| AppError::Internal(anyhow::anyhow!("signing a token: {e}")))?;
        Ok(AccessToken { token, expires_at })
    }

    /// Verifies a token and returns its caller. Any failure is `None`: the reason is not told.
    #[must_use]
    pub fn verify(&self, token: &str) -> Option<Viewer> {
        let mut validation = Validation::new(self.algorithm);
        validation.leeway = LEEWAY_SECONDS;
        validation.validate_nbf = true;
        validation.set_issuer(&[&self.issuer]);
        validation.set_audience(&[&self.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iss", "aud", "sub"]);
        let claims = jsonwebtoken::decode::<Claims>(token, &self.decoding, &validation).ok()?.claims;
        let (kind, id) = claims.sub.split_once(':')?;
        let id = Uuid::try_parse(id).ok()?;
        match (kind, claims.role) {
            ("recruiter", Some(role)) => Some(Viewer::recruiter(claims.org, id, role)),
            ("client", None) => {
                let scopes: Option<BTreeSet<Scope>> = claims.scopes.iter().map(|s| Scope::parse(s)).collect();
                Some(Viewer::api_client(claims.org, id, scopes?))
            }
            _ => None,
        }
    }
}

/// A new random secret with a readable prefix (`tgr_` refresh, `tgs_` client secret, …):
/// 256 bits, base64url.
#[must_use]
pub fn random_secret(prefix: &str) -> String {
    let mut bytes = [0_u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a random secret: SHA-256, hex. (The secrets carry 256 bits of entropy, so
/// a fast hash is enough; passwords use argon2.)
#[must_use]
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes()).iter().fold(String::with_capacity(64), |mut out, byte| {
        use std::fmt::Write;
        let _ = write!(out, "{byte:02x}");
        out
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn viewer() -> Viewer {
        Viewer::recruiter(Uuid::now_v7(), Uuid::now_v7(), RecruiterRole::Recruiter)
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(JwtKeys::from_secret(b"short").is_err());
        assert!(JwtKeys::from_secret(&[7; 32]).is_ok());
    }

    #[test]
    fn issued_tokens_verify_and_carry_the_caller() {
        let keys = JwtKeys::ephemeral();
        let viewer = viewer();
        let token = keys.issue(&viewer, Duration::minutes(15)).expect("signs");
        assert_eq!(keys.verify(&token.token), Some(viewer));
    }

    #[test]
    fn expired_foreign_and_unsigned_tokens_are_refused() {
        let keys = JwtKeys::ephemeral();
        let expired = keys.issue(&viewer(), Duration::minutes(-5)).expect("signs");
        assert_eq!(keys.verify(&expired.token), None);
        let other = JwtKeys::ephemeral().issue(&viewer(), Duration::minutes(5)).expect("signs");
        assert_eq!(keys.verify(&other.token), None);
        let parts: Vec<&str> = other.token.split('.').collect();
        let none_header = URL_SAFE_NO_PAD.encode(br#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(keys.verify(&format!("{none_header}.{}.", parts[1])), None);
        assert_eq!(keys.verify("garbage"), None);
    }

    #[test]
    fn secrets_hash_stably() {
        let secret = random_secret("tgr_");
        assert!(secret.starts_with("tgr_") && secret.len() > 40);
        assert_eq!(secret_hash(&secret), secret_hash(&secret));
        assert_eq!(secret_hash(&secret).len(), 64);
        assert_ne!(secret_hash(&secret), secret_hash(&random_secret("tgr_")));
    }
}
