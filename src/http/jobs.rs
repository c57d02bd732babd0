//! The public job pages, the only open routes that show an organization's data:
//! `GET /jobs/{id}` (HTML with the JSON-LD embedded), `GET /jobs/{id}.jsonld` (the JSON-LD),
//! and `GET /orgs/{slug}/jobs.jsonld` (an organization's live postings as an `ItemList`).
//!
//! `{id}` is the role's UUID, the canonical form; a role's GraphQL global id is redirected
//! (308) to it, so each posting has one URL. Anything else is 404 (never 500). What is public
//! is decided by `postings::service`: OPEN roles of organizations that enabled publishing.
//! Answers carry an `ETag` (a hash of the body; `If-None-Match` gets 304) and `Cache-Control`,
//! and each client address gets a fixed number of requests a minute (429 with `Retry-After`).

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::AppState;
use crate::error::AppError;
use crate::postings::model::{job_posting, posting_list, posting_page};
use crate::postings::service::{self, PublicPosting};

/// How long caches may keep a posting: search engines recrawl, and a closed role should not
/// linger for long.
const POSTING_MAX_AGE: &str = "public, max-age=300";
/// How long caches may keep a 404/410: short, since publishing may be turned on any time.
const MISSING_MAX_AGE: &str = "public, max-age=60";

/// Requests per client address and minute on the public routes: a fixed window, reset whole
/// every minute so memory stays bounded by the addresses of one minute.
pub struct PublicRateLimit {
    per_minute: u32,
    window: Mutex<(Instant, HashMap<IpAddr, u32>)>,
}

impl PublicRateLimit {
    /// A limit of `per_minute` requests per address (0 turns it off).
    #[must_use]
    pub fn new(per_minute: u32) -> Self {
        Self { per_minute, window: Mutex::new((Instant::now(), HashMap::new())) }
    }

    /// `Err(seconds until the window resets)` once `address` used up its requests.
    fn check(&self, address: Option<IpAddr>) -> Result<(), u64> {
        const WINDOW: Duration = Duration::from_mins(1);
        let (Some(address), true) = (address, self.per_minute > 0) else { return Ok(()) };
        // A poisoned lock only means a panic elsewhere mid-update: the counts are still usable.
        let mut guard = self.window.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (started, counts) = &mut *guard;
        let elapsed = started.elapsed();
        if elapsed >= WINDOW {
            *started = Instant::now();
            counts.clear();
        }
        let count = counts.entry(address).or_insert(0);
        if *count >= self.per_minute {
            return Err(WINDOW.saturating_sub(started.elapsed()).as_secs().max(1));
        }
        *count += 1;
        Ok(())
    }
}

/// A quoted strong entity tag of `body`.
fn entity_tag(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex = digest.iter().take(16).fold(String::with_capacity(32), |mut hex, byte| {
        use std::fmt::Write;
        let _ = write!(hex, "{byte:02x}");
        hex
    });
    format!("\"{hex}\"")
}

fn matches_tag(request: &HttpRequest, tag: &str) -> bool {
    request.headers().get(header::IF_NONE_MATCH).and_then(|value| value.to_str().ok()).is_some_and(|value| {
        value.split(',').map(str::trim).any(|given| given == "*" || given.trim_start_matches("W/") == tag)
    })
}

fn document(request: &HttpRequest, content_type: &str, body: String) -> HttpResponse {
    let tag = entity_tag(body.as_bytes());
    let unchanged = matches_tag(request, &tag);
    let mut response = if unchanged { HttpResponse::NotModified() } else { HttpResponse::Ok() };
    response
        .insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, POSTING_MAX_AGE))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        // The page runs no script and loads nothing: the JSON-LD block is data, not code.
        .insert_header((header::CONTENT_SECURITY_POLICY, "default-src 'none'; style-src 'unsafe-inline'"));
    if unchanged {
        return response.finish();
    }
    response.content_type(content_type).body(body)
}

fn missing(status: StatusCode) -> HttpResponse {
    let text = if status == StatusCode::GONE { "this job posting is no longer available" } else { "not found" };
    HttpResponse::build(status)
        .insert_header((header::CACHE_CONTROL, MISSING_MAX_AGE))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .content_type("text/plain; charset=utf-8")
        .body(text)
}

fn rate_limited(retry_after: u64) -> HttpResponse {
    HttpResponse::TooManyRequests()
        .insert_header((header::RETRY_AFTER, retry_after.to_string()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .content_type("text/plain; charset=utf-8")
        .body("too many requests")
}

fn internal(error: &AppError) -> HttpResponse {
    if let AppError::Internal(cause) = error {
        tracing::error!(error = format!("{cause:#}"), "serving a public job page");
    }
    if matches!(error, AppError::Unavailable) {
        return HttpResponse::ServiceUnavailable().insert_header((header::RETRY_AFTER, "1")).finish();
    }
    HttpResponse::InternalServerError().content_type("text/plain; charset=utf-8").body("internal error")
}

/// How the URL names the role.
enum RoleRef {
    /// The canonical form.
    Uuid(Uuid),
    /// A GraphQL global id of a role: redirected to the canonical form.
    GlobalId(Uuid),
}

fn role_ref(raw: &str) -> Option<RoleRef> {
    if let Ok(uuid) = Uuid::try_parse(raw) {
        return Some(RoleRef::Uuid(uuid));
    }
    match crate::graphql::ids::decode_any(&async_graphql::ID(raw.to_owned())) {
        Some((kind, uuid)) if kind == "Role" => Some(RoleRef::GlobalId(uuid)),
        _ => None,
    }
}

/// The absolute URL of the HTML page of `role`, as the client reached this server. Forwarded
/// host and scheme headers count only from a trusted proxy: from anyone else they would put a
/// host of their choosing into a cacheable page (cache poisoning).
fn page_url(request: &HttpRequest, trusted: &[std::net::IpAddr], role: Uuid) -> String {
    let from_proxy = request.peer_addr().is_some_and(|peer| trusted.contains(&peer.ip()));
    if from_proxy {
        let info = request.connection_info();
        return format!("{}://{}/jobs/{role}", info.scheme(), info.host());
    }
    let host = request
        .headers()
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .map_or_else(|| request.app_config().host().to_owned(), str::to_owned);
    let scheme = if request.app_config().secure() { "https" } else { "http" };
    format!("{scheme}://{host}/jobs/{role}")
}

/// `GET /jobs/{id}` and `GET /jobs/{id}.jsonld`.
pub async fn posting(state: web::Data<AppState>, request: HttpRequest, id: web::Path<String>) -> HttpResponse {
    if let Err(retry_after) = state.public_rate.check(super::client_address(&request, &state.trusted_proxies)) {
        return rate_limited(retry_after);
    }
    let (raw, json_ld) = match id.strip_suffix(".jsonld") {
        Some(raw) => (raw, true),
        None => (id.as_str(), false),
    };
    let role_id = match role_ref(raw) {
        Some(RoleRef::Uuid(uuid)) => uuid,
        Some(RoleRef::GlobalId(uuid)) => {
            let suffix = if json_ld { ".jsonld" } else { "" };
            return HttpResponse::PermanentRedirect()
                .insert_header((header::LOCATION, format!("/jobs/{uuid}{suffix}")))
                .insert_header((header::CACHE_CONTROL, POSTING_MAX_AGE))
                .finish();
        }
        None => return missing(StatusCode::NOT_FOUND),
    };
    match service::public_posting(&state.db, role_id, chrono::Utc::now()).await {
        Ok(PublicPosting::Published(posting)) => {
            let facts = posting.facts();
            let url = page_url(&request, &state.trusted_proxies, role_id);
            let ld = job_posting(&facts, Some(&url));
            if json_ld {
                document(&request, "application/ld+json", ld.to_string())
            } else {
                document(&request, "text/html; charset=utf-8", posting_page(&facts, &ld))
            }
        }
        Ok(PublicPosting::Gone) => missing(StatusCode::GONE),
        Ok(PublicPosting::NotFound) => missing(StatusCode::NOT_FOUND),
        Err(error) => internal(&error),
    }
}

/// `GET /orgs/{slug}/jobs.jsonld`.
pub async fn feed(state: web::Data<AppState>, request: HttpRequest, slug: web::Path<String>) -> HttpResponse {
    if let Err(retry_after) = state.public_rate.check(super::client_address(&request, &state.trusted_proxies)) {
        return rate_limited(retry_after);
    }
    // Slugs are lower-case letters, digits and dashes (`accounts::service::slugify`): anything
    // else names nothing, and never reaches the database (PostgreSQL refuses a NUL byte).
    let plausible = (1..=100).contains(&slug.len())
        && slug.bytes().all(|byte| byte.is_ascii_lowercase() || byte.is_ascii_digit() || byte == b'-');
    if !plausible {
        return missing(StatusCode::NOT_FOUND);
    }
    match service::public_feed(&state.db, &slug, chrono::Utc::now()).await {
        Ok(Some((_, postings))) => {
            let documents = postings
                .iter()
                .map(|posting| {
                    job_posting(&posting.facts(), Some(&page_url(&request, &state.trusted_proxies, posting.role.id)))
                })
                .collect();
            document(&request, "application/ld+json", posting_list(documents).to_string())
        }
        Ok(None) => missing(StatusCode::NOT_FOUND),
        Err(error) => internal(&error),
    }
}
