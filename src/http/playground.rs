//! GraphiQL at `GET /`, when enabled (on with `--demo`, off by default).

use actix_web::{HttpResponse, web};
use async_graphql::http::GraphiQLSource;

use super::AppState;

/// `GET /`: the playground page, or 404 when the playground is off.
pub async fn page(state: web::Data<AppState>) -> HttpResponse {
    if !state.playground {
        return HttpResponse::NotFound().content_type("text/plain; charset=utf-8").body("not found\n");
    }
    let html = GraphiQLSource::build().endpoint("/graphql").title("talentgraph playground").finish();
    HttpResponse::Ok().content_type("text/html; charset=utf-8").body(html)
}
