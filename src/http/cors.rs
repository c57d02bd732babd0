//! Cross-origin requests from browser frontends (CORS). Nothing is allowed by default; the
//! operator lists origins (`--cors-origin`, repeated, or `TALENTGRAPH_CORS_ORIGINS`,
//! comma-separated), and `--demo` allows local development origins. Bearer tokens, never
//! cookies: no credentials mode. Preflights are answered 204 with the allowed methods and
//! headers; every answer varies by `Origin`.

use actix_cors::Cors;
use actix_web::http::{Method, StatusCode, header};

pub use crate::config::AllowedOrigin;

/// Origins a development server runs on, allowed with `--demo`.
pub const DEMO_ORIGINS: [&str; 2] = ["http://localhost:*", "http://127.0.0.1:*"];

/// The CORS middleware for `origins`.
pub fn middleware(origins: Vec<AllowedOrigin>) -> Cors {
    Cors::default()
        .allowed_origin_fn(move |origin, _| {
            origin.to_str().is_ok_and(|origin| origins.iter().any(|allowed| allowed.matches(origin)))
        })
        .allowed_methods([Method::GET, Method::POST])
        .allowed_headers([header::AUTHORIZATION, header::CONTENT_TYPE, header::ACCEPT])
        .max_age(600)
}

/// A successful preflight has no body: 204 rather than actix-cors' 200.
#[must_use]
pub fn preflight_status(method: &Method, status: StatusCode) -> StatusCode {
    if method == Method::OPTIONS && status == StatusCode::OK { StatusCode::NO_CONTENT } else { status }
}
