//! The candidate queries, including the data-protection export.

use async_graphql::{Context, ID, Json, Object};

use super::super::service::{self, CandidateCursor};
use super::input::{CandidateFilterInput, CandidateOrder};
use super::types::{Candidate, CandidateConnection};
use crate::auth::permissions::{Permission, Require};
use crate::graphql::context::{request, viewer, wants_total_count};
use crate::graphql::ids;
use crate::pagination::{PageArgs, encode_cursor};

/// Queries over candidates.
#[derive(Default)]
pub struct CandidateQuery;

#[Object]
impl CandidateQuery {
    /// The organization's candidates; newest first unless `orderBy` says otherwise.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn candidates(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Filters; all given ones must match.")] filter: Option<CandidateFilterInput>,
        #[graphql(desc = "Sort order (default: CREATED_AT, DESC).")] order_by: Option<CandidateOrder>,
    ) -> async_graphql::Result<CandidateConnection> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let args = PageArgs::<CandidateCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default().parse(&request.db, request.skill_scope).await?;
        let (field, descending) = CandidateOrder::parse(order_by);
        let page = service::list(&request.db, tenant, &filter, field, descending, args).await?;
        let total =
            if wants_total_count(ctx) { Some(service::count(&request.db, tenant, &filter).await?) } else { None };
        let cursor = |c: &entity::candidates::Model| encode_cursor(&CandidateCursor::of(c, field));
        Ok(CandidateConnection::from_page(page, total, cursor, Candidate::from))
    }

    /// One candidate by id, or null if the organization has no such candidate.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Candidate>> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let id = ids::decode("Candidate", &id, "id")?;
        // A merged candidate's id names its survivor.
        Ok(crate::duplicates::service::resolve(&request.db, tenant, id).await?.map(Candidate::from))
    }

    /// Everything held about a candidate, as one JSON document (data-protection access
    /// request). It includes pipelines, so it needs both candidate and pipeline read access.
    #[graphql(guard = "Require(Permission::ReadCandidates).and(Require(Permission::ReadApplications))")]
    async fn export_candidate_data(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Json<serde_json::Value>> {
        let request = request(ctx)?;
        let tenant = viewer(ctx)?.tenant();
        let row_id = ids::decode("Candidate", &id, "id")?;
        let mut export = service::export(&request.db, tenant, row_id).await?;
        // The service knows rows; the API names them by global id.
        if let Some(candidate) = export.get_mut("candidate").and_then(serde_json::Value::as_object_mut) {
            candidate.insert("id".to_owned(), serde_json::Value::String(ids::encode("Candidate", row_id).0));
        }
        Ok(Json(export))
    }
}
