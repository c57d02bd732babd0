//! GraphQL over HTTP (the GraphQL-over-HTTP spec), written around `Schema::execute` because the
//! stock integration answers `application/graphql-response+json` to clients that accept only
//! `application/json`, uses HTTP 200 for unparseable documents, runs mutations sent over GET,
//! runs `text/plain` POSTs, and reads bodies of any size.
//!
//! - `POST /graphql` takes `application/json` (UTF-8) only; `GET /graphql` takes the same
//!   parameters in the query string and runs queries only.
//! - The response type follows `Accept`: `application/graphql-response+json` when asked for;
//!   `application/json` for `application/json`, `*/*` or no `Accept` at all.
//! - A request error (unparseable JSON or document, invalid document, bad variables, a request
//!   limit of `graphql::cost` passed) has no `data` entry; with
//!   `application/graphql-response+json` it is HTTP 400, with `application/json` HTTP 200
//!   (parameter and JSON errors are 400 either way).
//! - A request that runs longer than `Limits::request_timeout` is cancelled and answered
//!   `TIMEOUT`, without `data`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderMap};
use actix_web::{HttpRequest, HttpResponse, web};
use async_graphql::parser::types::{DocumentOperations, OperationType};
use async_graphql::{ServerError, Variables};
use futures_util::StreamExt;
use serde::Serialize;
use serde_json::{Map, Value, json};

use super::{AppState, text_guard};
use crate::auth::Authentication;
use crate::error::AppError;
use crate::graphql::cost;

const GRAPHQL_RESPONSE_JSON: &str = "application/graphql-response+json";
const JSON: &str = "application/json";

/// The media type of a response body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponseType {
    GraphqlResponseJson,
    Json,
}

impl ResponseType {
    fn content_type(self) -> &'static str {
        match self {
            Self::GraphqlResponseJson => "application/graphql-response+json; charset=utf-8",
            Self::Json => "application/json; charset=utf-8",
        }
    }
}

/// Picks the response type from `Accept` (highest q first); `None` when nothing acceptable.
fn negotiate(headers: &HeaderMap) -> Option<ResponseType> {
    let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Some(ResponseType::Json);
    };
    if accept.trim().is_empty() {
        return Some(ResponseType::Json);
    }
    let mut ranges: Vec<(f32, usize, String)> = accept
        .split(',')
        .enumerate()
        .filter_map(|(position, range)| {
            let mut parts = range.split(';');
            let media = parts.next()?.trim().to_ascii_lowercase();
            let quality = parts
                .find_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .unwrap_or(1.0);
            Some((quality, position, media))
        })
        .filter(|(quality, _, _)| *quality > 0.0)
        .collect();
    ranges.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    ranges.into_iter().find_map(|(_, _, media)| match media.as_str() {
        GRAPHQL_RESPONSE_JSON => Some(ResponseType::GraphqlResponseJson),
        JSON | "application/*" | "*/*" => Some(ResponseType::Json),
        _ => None,
    })
}

/// An error answered before any GraphQL work: status plus a spec-shaped body without `data`.
fn http_error(status: StatusCode, response_type: ResponseType, message: &str) -> HttpResponse {
    HttpResponse::build(status)
        .content_type(response_type.content_type())
        .json(json!({ "errors": [{ "message": message, "extensions": { "code": "BAD_USER_INPUT" } }] }))
}

/// The four parameters of a GraphQL-over-HTTP request.
struct Params {
    query: String,
    operation_name: Option<String>,
    variables: Option<Map<String, Value>>,
    extensions: Option<Map<String, Value>>,
}

/// Reads the parameters from a JSON object (a POST body, or GET parameters with `variables` and
/// `extensions` already decoded), refusing wrong types.
fn params_from_object(mut object: Map<String, Value>) -> Result<Params, String> {
    let query = match object.remove("query") {
        Some(Value::String(query)) => query,
        Some(_) => return Err("`query` must be a string".to_owned()),
        None => return Err("`query` is required".to_owned()),
    };
    let operation_name = match object.remove("operationName") {
        None | Some(Value::Null) => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err("`operationName` must be a string or null".to_owned()),
    };
    let map_or_null = |name: &str, value: Option<Value>| match value {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => Ok(Some(map)),
        Some(_) => Err(format!("`{name}` must be an object or null")),
    };
    let variables = map_or_null("variables", object.remove("variables"))?;
    let extensions = map_or_null("extensions", object.remove("extensions"))?;
    Ok(Params { query, operation_name, variables, extensions })
}

/// `POST /graphql`.
pub async fn post(state: web::Data<AppState>, request: HttpRequest, mut body: web::Payload) -> HttpResponse {
    let authentication = authenticate(&state, &request).await;
    let Some(response_type) = negotiate(request.headers()) else {
        return http_error(
            StatusCode::NOT_ACCEPTABLE,
            ResponseType::Json,
            "acceptable response types: application/graphql-response+json, application/json",
        );
    };
    let authentication = match authentication {
        Ok(Authentication::Invalid) => return invalid_token(response_type),
        Ok(authentication) => authentication,
        Err(error) => return failed_check(response_type, &error),
    };
    if let Err(message) = check_content_type(request.headers()) {
        return http_error(StatusCode::UNSUPPORTED_MEDIA_TYPE, response_type, &message);
    }
    let limit = state.limits.max_body_bytes;
    let too_large = || {
        http_error(StatusCode::PAYLOAD_TOO_LARGE, response_type, &format!("request body is larger than {limit} bytes"))
    };
    let declared = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        return too_large();
    }
    let mut bytes = web::BytesMut::new();
    while let Some(chunk) = body.next().await {
        let Ok(chunk) = chunk else {
            return http_error(StatusCode::BAD_REQUEST, response_type, "could not read the request body");
        };
        if bytes.len() + chunk.len() > limit {
            return too_large();
        }
        bytes.extend_from_slice(&chunk);
    }
    let object = match serde_json::from_slice::<Value>(&bytes) {
        Ok(Value::Object(object)) => object,
        Ok(_) => return http_error(StatusCode::BAD_REQUEST, response_type, "the request body must be a JSON object"),
        Err(error) => {
            return http_error(
                StatusCode::BAD_REQUEST,
                response_type,
                &format!("the request body is not valid JSON: {error}"),
            );
        }
    };
    match params_from_object(object) {
        Ok(params) => {
            execute(
                &state,
                params,
                response_type,
                false,
                authentication,
                super::client_address(&request, &state.trusted_proxies),
            )
            .await
        }
        Err(message) => http_error(StatusCode::BAD_REQUEST, response_type, &message),
    }
}

/// `GET /graphql`: queries only.
pub async fn get(
    state: web::Data<AppState>,
    request: HttpRequest,
    query: web::Query<Vec<(String, String)>>,
) -> HttpResponse {
    let authentication = authenticate(&state, &request).await;
    let Some(response_type) = negotiate(request.headers()) else {
        return http_error(
            StatusCode::NOT_ACCEPTABLE,
            ResponseType::Json,
            "acceptable response types: application/graphql-response+json, application/json",
        );
    };
    let authentication = match authentication {
        Ok(Authentication::Invalid) => return invalid_token(response_type),
        Ok(authentication) => authentication,
        Err(error) => return failed_check(response_type, &error),
    };
    let mut object = Map::new();
    for (key, value) in query.into_inner() {
        let value = match key.as_str() {
            "variables" | "extensions" => match serde_json::from_str::<Value>(&value) {
                Ok(decoded) => decoded,
                Err(_) => {
                    return http_error(
                        StatusCode::BAD_REQUEST,
                        response_type,
                        &format!("`{key}` must be URL-encoded JSON"),
                    );
                }
            },
            _ => Value::String(value),
        };
        object.insert(key, value);
    }
    match params_from_object(object) {
        Ok(params) => {
            execute(
                &state,
                params,
                response_type,
                true,
                authentication,
                super::client_address(&request, &state.trusted_proxies),
            )
            .await
        }
        Err(message) => http_error(StatusCode::BAD_REQUEST, response_type, &message),
    }
}

/// Credentials that do not verify (expired, forged, revoked, deactivated) answer the whole
/// request 401, as RFC 6750 §3.1 says: a client with a bad token learns so at once instead of
/// seeing `__typename` resolve beside per-field errors. No credentials at all stays a normal
/// request in which everything but signing in is refused.
fn invalid_token(response_type: ResponseType) -> HttpResponse {
    HttpResponse::Unauthorized()
        .insert_header((header::WWW_AUTHENTICATE, r#"Bearer error="invalid_token""#))
        .content_type(response_type.content_type())
        .json(json!({ "errors": [{ "message": "authentication required", "extensions": { "code": "UNAUTHENTICATED" } }] }))
}

/// Any other method on `/graphql`.
pub async fn method_not_allowed() -> HttpResponse {
    HttpResponse::MethodNotAllowed()
        .insert_header((header::ALLOW, "GET, POST"))
        .content_type(ResponseType::Json.content_type())
        .json(json!({ "errors": [{ "message": "use GET (queries) or POST", "extensions": { "code": "BAD_USER_INPUT" } }] }))
}

/// Only `application/json`, in UTF-8 (the charset may be omitted).
fn check_content_type(headers: &HeaderMap) -> Result<(), String> {
    let Some(value) = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return Err("Content-Type is required: application/json".to_owned());
    };
    let mut parts = value.split(';');
    let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
    if media != JSON {
        return Err(format!("unsupported Content-Type `{media}`: use application/json"));
    }
    for parameter in parts {
        if let Some((name, charset)) = parameter.split_once('=') {
            let charset = charset.trim().trim_matches('"');
            if name.trim().eq_ignore_ascii_case("charset") && !charset.eq_ignore_ascii_case("utf-8") {
                return Err(format!("unsupported charset `{charset}`: use utf-8"));
            }
        }
    }
    Ok(())
}

/// A GraphQL response body; `data` is absent for request errors.
#[derive(Serialize)]
struct Body<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    data: Option<&'a async_graphql::Value>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    errors: &'a [ServerError],
    #[serde(skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    extensions: &'a std::collections::BTreeMap<String, async_graphql::Value>,
}

fn request_error(response_type: ResponseType, errors: &[ServerError]) -> HttpResponse {
    let status = match response_type {
        ResponseType::GraphqlResponseJson => StatusCode::BAD_REQUEST,
        ResponseType::Json => StatusCode::OK,
    };
    let errors: Vec<ServerError> = errors.iter().cloned().map(with_default_code).collect();
    let empty = std::collections::BTreeMap::new();
    HttpResponse::build(status).content_type(response_type.content_type()).json(Body {
        data: None,
        errors: &errors,
        extensions: &empty,
    })
}

/// A request cancelled by the timeout: no `data`, code `TIMEOUT`; HTTP 503 with
/// `application/graphql-response+json` (the server, not the request, is at fault), 200 with
/// `application/json` as for every GraphQL response there.
fn timed_out(response_type: ResponseType, after: std::time::Duration) -> HttpResponse {
    let status = match response_type {
        ResponseType::GraphqlResponseJson => StatusCode::SERVICE_UNAVAILABLE,
        ResponseType::Json => StatusCode::OK,
    };
    let errors = [AppError::Timeout { after }.into_server_error(None)];
    let empty = std::collections::BTreeMap::new();
    HttpResponse::build(status).content_type(response_type.content_type()).json(Body {
        data: None,
        errors: &errors,
        extensions: &empty,
    })
}

/// Parse, validation and variable errors carry `BAD_USER_INPUT`, so every error has a code.
fn with_default_code(mut error: ServerError) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        extensions.set("code", "BAD_USER_INPUT");
    }
    error
}

async fn execute(
    state: &AppState,
    params: Params,
    response_type: ResponseType,
    is_get: bool,
    authentication: Authentication,
    address: Option<std::net::IpAddr>,
) -> HttpResponse {
    // Counted on the text, so an oversized document is refused before the parser sees it.
    if let Err(refusal) = cost::check_tokens(&params.query, state.limits.max_tokens) {
        return request_error(response_type, &[refusal.into()]);
    }
    let mut request = async_graphql::Request::new(params.query);
    if let Some(name) = params.operation_name {
        request = request.operation_name(name);
    }
    if let Some(variables) = params.variables {
        request = request.variables(Variables::from_json(Value::Object(variables)));
    }
    if let Some(extensions) = params.extensions {
        for (key, value) in extensions {
            if let Ok(value) = async_graphql::Value::from_json(value) {
                request.extensions.insert(key, value);
            }
        }
    }
    let operation_name = request.operation_name.clone();
    if let Some(at) = text_guard::in_variables(&request.variables) {
        let message = text_guard::Flaw::ControlCharacter.message(&at);
        return http_error(StatusCode::BAD_REQUEST, response_type, &message);
    }
    match state.documents.parse(&request.query) {
        Ok(document) => request.set_parsed_query(document),
        Err(error) => return request_error(response_type, &[error]),
    }
    let operation_type = match request.parsed_query() {
        Ok(document) => {
            if let Some((at, flaw)) = text_guard::in_document(document) {
                return http_error(StatusCode::BAD_REQUEST, response_type, &flaw.message(&at));
            }
            selected_operation_type(&document.operations, operation_name.as_deref())
        }
        Err(error) => return request_error(response_type, &[error]),
    };
    if is_get && matches!(operation_type, Some(OperationType::Mutation | OperationType::Subscription)) {
        return HttpResponse::MethodNotAllowed()
            .insert_header((header::ALLOW, "POST"))
            .content_type(response_type.content_type())
            .json(json!({ "errors": [{ "message": "mutations must be sent with POST", "extensions": { "code": "BAD_USER_INPUT" } }] }));
    }
    // On expiry the future is dropped: resolvers stop at their next await and open
    // transactions roll back (mutation fields that already finished keep their effect).
    let timeout = state.limits.request_timeout;
    let Ok(response) = tokio::time::timeout(timeout, state.api.execute(request, authentication, address)).await else {
        tracing::warn!(timeout_ms = timeout.as_millis(), operation = ?operation_name, "GraphQL request timed out");
        return timed_out(response_type, timeout);
    };

    // Errors with no path and no data arose before execution: validation, limits, variables.
    let failed_before_execution = response.data == async_graphql::Value::Null
        && !response.errors.is_empty()
        && response.errors.iter().all(|e| e.path.is_empty());
    if failed_before_execution {
        return request_error(response_type, &response.errors);
    }
    let errors: Vec<ServerError> = response.errors.into_iter().map(with_execution_code).collect();
    HttpResponse::Ok().content_type(response_type.content_type()).json(Body {
        data: Some(&response.data),
        errors: &errors,
        extensions: &response.extensions,
    })
}

/// Every error of our resolvers has a code (`AppError`'s mapping); one without comes from
/// async-graphql itself. An argument that passed validation but not its scalar's parser (an
/// `Int` literal past 32 bits) is the client's input, BAD_USER_INPUT; anything else would be our
/// fault: INTERNAL, logged.
fn with_execution_code(mut error: ServerError) -> ServerError {
    let extensions = error.extensions.get_or_insert_with(Default::default);
    if extensions.get("code").is_none() {
        if error.message.starts_with("Failed to parse \"") {
            extensions.set("code", "BAD_USER_INPUT");
        } else {
            tracing::error!(error = %error.message, path = ?error.path, "resolver error without a code");
            extensions.set("code", "INTERNAL");
            "internal error".clone_into(&mut error.message);
        }
    }
    error
}

/// Reads `Authorization: Bearer <token>`. A token that does not verify, or an API client
/// revoked since its token was issued, makes the request `Invalid` (never anonymous), so a
/// client with a bad token is told so instead of silently seeing less.
async fn authenticate(state: &AppState, request: &HttpRequest) -> Result<Authentication, AppError> {
    let Some(value) = request.headers().get(header::AUTHORIZATION) else {
        return Ok(Authentication::Anonymous);
    };
    let token = value.to_str().ok().and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")));
    let Some(viewer) = token.and_then(|t| state.auth.keys.verify(t.trim())) else {
        return Ok(Authentication::Invalid);
    };
    // A revoked client, or a recruiter deactivated or given another role since the token was
    // issued, is refused at once (`CurrentCallers` forgets them when they change).
    let current = state.callers.is_current(&state.db, &viewer).await?;
    Ok(if current { Authentication::Viewer(viewer) } else { Authentication::Invalid })
}

/// The caller could not be checked: the database is down (503, retry shortly) or failed.
fn failed_check(response_type: ResponseType, error: &AppError) -> HttpResponse {
    let status = match error {
        AppError::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(cause) => {
            tracing::error!(error = format!("{cause:#}"), "checking the caller");
            StatusCode::INTERNAL_SERVER_ERROR
        }
        _ => StatusCode::INTERNAL_SERVER_ERROR,
    };
    let mut response = HttpResponse::build(status);
    if status == StatusCode::SERVICE_UNAVAILABLE {
        response.insert_header((header::RETRY_AFTER, "1"));
    }
    response
        .content_type(response_type.content_type())
        .json(json!({ "errors": [{ "message": error.message(), "extensions": { "code": error.code() } }] }))
}

/// The type of the operation the request selects, if the document has it.
fn selected_operation_type(operations: &DocumentOperations, name: Option<&str>) -> Option<OperationType> {
    match (operations, name) {
        (DocumentOperations::Single(operation), _) => Some(operation.node.ty),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name).map(|op| op.node.ty),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => {
            operations.values().next().map(|op| op.node.ty)
        }
        (DocumentOperations::Multiple(_), None) => None,
    }
}

#[cfg(test)]
mod tests {
    use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};

    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            HeaderName::from_static("accept"),
            HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("")),
        );
        headers
    }

    #[test]
    fn accept_negotiation() {
        assert_eq!(negotiate(&HeaderMap::new()), Some(ResponseType::Json));
        assert_eq!(negotiate(&accept("application/json")), Some(ResponseType::Json));
        assert_eq!(negotiate(&accept("*/*")), Some(ResponseType::Json));
        assert_eq!(negotiate(&accept(GRAPHQL_RESPONSE_JSON)), Some(ResponseType::GraphqlResponseJson));
        assert_eq!(
            negotiate(&accept("application/json;q=0.9, application/graphql-response+json")),
            Some(ResponseType::GraphqlResponseJson)
        );
        assert_eq!(negotiate(&accept("text/html")), None);
        assert_eq!(negotiate(&accept("application/json;q=0")), None);
    }

    #[test]
    fn parameter_types_are_checked() {
        let parse = |v: Value| match v {
            Value::Object(map) => params_from_object(map).map(|p| p.query),
            _ => Err(String::new()),
        };
        assert_eq!(parse(json!({ "query": "{a}" })).ok().as_deref(), Some("{a}"));
        assert!(parse(json!({ "query": 1 })).is_err());
        assert!(parse(json!({})).is_err());
        assert!(parse(json!({ "query": "{a}", "variables": "x" })).is_err());
        assert!(parse(json!({ "query": "{a}", "operationName": 3 })).is_err());
        assert!(parse(json!({ "query": "{a}", "variables": null, "extensions": null, "operationName": null })).is_ok());
    }
}
