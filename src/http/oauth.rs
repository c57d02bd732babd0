//! OAuth2 client credentials (RFC 6749 §4.4) at `POST /oauth/token`, and the JWKS at
//! `GET /.well-known/jwks.json`.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::Deserialize;
use serde_json::json;

use super::AppState;
use crate::accounts::service;
use crate::error::AppError;

/// The form fields of a token request.
#[derive(Debug, Deserialize)]
struct TokenRequest {
    grant_type: Option<String>,
    client_id: Option<String>,
    client_secret: Option<String>,
}

fn oauth_error(status: actix_web::http::StatusCode, error: &str, description: &str) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    response.insert_header((header::CACHE_CONTROL, "no-store"));
    if status == actix_web::http::StatusCode::UNAUTHORIZED {
        response.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"talentgraph\""));
    }
    response.json(json!({ "error": error, "error_description": description }))
}

/// Client id and secret from HTTP Basic authentication, when sent that way.
fn basic_credentials(request: &HttpRequest) -> Option<(String, String)> {
    let value = request.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let encoded = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic "))?;
    let decoded = String::from_utf8(STANDARD.decode(encoded.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// `POST /oauth/token` with `grant_type=client_credentials` (form-encoded); the client
/// authenticates with HTTP Basic or `client_id` / `client_secret` fields.
pub async fn token(state: web::Data<AppState>, request: HttpRequest, body: web::Bytes) -> HttpResponse {
    use actix_web::http::StatusCode;
    let content_type = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !content_type.to_ascii_lowercase().starts_with("application/x-www-form-urlencoded") {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "use application/x-www-form-urlencoded");
    }
    let Ok(form) = serde_urlencoded::from_bytes::<TokenRequest>(&body) else {
        return oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "malformed form body");
    };
    if form.grant_type.as_deref() != Some("client_credentials") {
        return oauth_error(StatusCode::BAD_REQUEST, "unsupported_grant_type", "only client_credentials is supported");
    }
    let credentials = basic_credentials(&request).or(form.client_id.zip(form.client_secret));
    let Some((client_id, secret)) = credentials else {
        return oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "client authentication is required");
    };
    let address = super::client_address(&request, &state.trusted_proxies);
    match service::issue_client_token(&state.db, &state.auth.keys, state.auth.policy, &client_id, &secret, address)
        .await
    {
        Ok((token, scopes)) => HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "no-store")).json(json!({
            "access_token": token.token,
            "token_type": "Bearer",
            "expires_in": (token.expires_at - chrono::Utc::now()).num_seconds().max(0),
            "scope": scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
        })),
        Err(AppError::BadCredentials) => {
            oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "unknown client or wrong secret")
        }
        Err(AppError::RateLimited { retry_after_secs }) => HttpResponse::TooManyRequests()
            .insert_header((header::RETRY_AFTER, retry_after_secs.to_string()))
            .json(json!({ "error": "slow_down", "error_description": "too many failed attempts" })),
        Err(AppError::Unavailable) => HttpResponse::ServiceUnavailable()
            .insert_header((header::RETRY_AFTER, "1"))
            .json(json!({ "error": "temporarily_unavailable", "error_description": "retry shortly" })),
        Err(error) => {
            if let AppError::Internal(cause) = &error {
                tracing::error!(error = format!("{cause:#}"), "issuing a client token");
            }
            oauth_error(StatusCode::INTERNAL_SERVER_ERROR, "server_error", "internal error")
        }
    }
}

/// `GET /.well-known/jwks.json`: the public keys of asymmetric signing (empty with HS256).
pub async fn jwks(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().insert_header((header::CACHE_CONTROL, "public, max-age=300")).json(state.auth.keys.jwks())
}
