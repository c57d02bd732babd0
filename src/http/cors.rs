//! Cross-origin requests from browser frontends (CORS). Nothing is allowed by default; the
//! operator lists origins (`--cors-origin`, repeated, or `TALENTGRAPH_CORS_ORIGINS`,
//! comma-separated), and `--demo` allows local development origins. Bearer tokens, never
//! cookies: no credentials mode. Preflights are answered 204 with the allowed methods and
//! headers; every answer varies by `Origin`.

use actix_cors::Cors;
use actix_web::http::{Method, StatusCode, header};

/// Origins a development server runs on, allowed with `--demo`.
pub const DEMO_ORIGINS: [&str; 2] = ["http://localhost:*", "http://127.0.0.1:*"];

/// An allowed origin: exact (`https://app.example.com`), or with any port (`http://localhost:*`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllowedOrigin(String);

impl AllowedOrigin {
    /// Parses an origin as an operator writes it: scheme and host, optional port or `:*`, no
    /// path.
    pub fn parse(raw: &str) -> Result<Self, String> {
        let origin = raw.trim().trim_end_matches('/').to_ascii_lowercase();
        let rest = origin
            .strip_prefix("https://")
            .or_else(|| origin.strip_prefix("http://"))
            .ok_or_else(|| format!("CORS origin `{raw}` must start with http:// or https://"))?;
        if rest.is_empty() || rest.contains(['/', '?', '#', '@', ' ']) {
            return Err(format!("CORS origin `{raw}` must be scheme://host[:port], without a path"));
        }
        Ok(Self(origin))
    }

    /// Whether a request's `Origin` header matches.
    #[must_use]
    pub fn matches(&self, origin: &str) -> bool {
        let origin = origin.to_ascii_lowercase();
        match self.0.strip_suffix(":*") {
            Some(base) => {
                origin == base
                    || origin
                        .strip_prefix(base)
                        .and_then(|p| p.strip_prefix(':'))
                        .is_some_and(|port| !port.is_empty() && port.chars().all(|c| c.is_ascii_digit()))
            }
            None => origin == self.0,
        }
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origins_match_exactly_or_by_any_port() {
        let exact = AllowedOrigin::parse("https://App.Example.com/").unwrap_or_else(|e| panic!("{e}"));
        assert!(exact.matches("https://app.example.com"));
        assert!(!exact.matches("https://app.example.com.evil.test") && !exact.matches("http://app.example.com"));
        let local = AllowedOrigin::parse("http://localhost:*").unwrap_or_else(|e| panic!("{e}"));
        assert!(local.matches("http://localhost:5173") && local.matches("http://localhost"));
        assert!(!local.matches("http://localhost.evil.test:80") && !local.matches("http://localhost:5173x"));
        assert!(AllowedOrigin::parse("localhost:3000").is_err());
        assert!(AllowedOrigin::parse("https://example.com/app").is_err());
    }
}
