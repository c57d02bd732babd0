//! The playground's static files (GraphiQL, React, their CSS and our bootstrap script),
//! embedded in the binary so `GET /` works without internet access. Vendored from npm under
//! `assets/playground/` with their licences; see its README for versions and checksums.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use super::AppState;

/// How long a browser may keep an asset.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Caching {
    /// The name carries the package version, so the bytes behind it never change.
    Immutable,
    /// Our own files change with the binary under the same name: revalidate each time.
    Revalidate,
}

/// One embedded file.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static [u8],
    caching: Caching,
}

const JAVASCRIPT: &str = "text/javascript; charset=utf-8";
const CSS: &str = "text/css; charset=utf-8";

/// Every file under `/playground/assets/`.
const ASSETS: &[Asset] = &[
    Asset {
        name: "graphiql-3.9.0.min.js",
        content_type: JAVASCRIPT,
        body: include_bytes!("../../assets/playground/graphiql-3.9.0.min.js"),
        caching: Caching::Immutable,
    },
    Asset {
        name: "graphiql-3.9.0.min.css",
        content_type: CSS,
        body: include_bytes!("../../assets/playground/graphiql-3.9.0.min.css"),
        caching: Caching::Immutable,
    },
    Asset {
        name: "react-18.3.1.production.min.js",
        content_type: JAVASCRIPT,
        body: include_bytes!("../../assets/playground/react-18.3.1.production.min.js"),
        caching: Caching::Immutable,
    },
    Asset {
        name: "react-dom-18.3.1.production.min.js",
        content_type: JAVASCRIPT,
        body: include_bytes!("../../assets/playground/react-dom-18.3.1.production.min.js"),
        caching: Caching::Immutable,
    },
    Asset {
        name: "playground.js",
        content_type: JAVASCRIPT,
        body: include_bytes!("../../assets/playground/playground.js"),
        caching: Caching::Revalidate,
    },
    Asset {
        name: "playground.css",
        content_type: CSS,
        body: include_bytes!("../../assets/playground/playground.css"),
        caching: Caching::Revalidate,
    },
];

/// `GET /playground/assets/{name}`: an embedded file, or 404 (also when the playground is off).
pub async fn serve(state: web::Data<AppState>, name: web::Path<String>) -> HttpResponse {
    let asset = ASSETS.iter().find(|asset| asset.name == name.as_str()).filter(|_| state.playground);
    let Some(asset) = asset else {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("not found\n");
    };
    let cache_control = match asset.caching {
        Caching::Immutable => "public, max-age=31536000, immutable",
        Caching::Revalidate => "no-cache",
    };
    HttpResponse::Ok()
        .content_type(asset.content_type)
        .insert_header((header::CACHE_CONTROL, cache_control))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(asset.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asset_names_are_unique_and_versioned_when_immutable() {
        for (index, asset) in ASSETS.iter().enumerate() {
            assert!(ASSETS.iter().skip(index + 1).all(|other| other.name != asset.name), "{}", asset.name);
            assert!(!asset.body.is_empty(), "{}", asset.name);
            if asset.caching == Caching::Immutable {
                assert!(asset.name.chars().any(|c| c.is_ascii_digit()), "{} needs a version", asset.name);
            }
        }
    }
}
