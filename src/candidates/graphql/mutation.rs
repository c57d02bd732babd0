//! The candidate mutations: each parses its input, calls the service and answers its own
//! payload.

use async_graphql::{Context, ID, Object};

use super::super::service;
use super::input::{CreateCandidateInput, SetCandidateSkillsInput, UpdateCandidateInput, parse_skills};
use super::types::{
    ArchiveCandidatePayload, CreateCandidatePayload, EraseCandidatePayload, SetCandidateSkillsPayload,
    UpdateCandidatePayload,
};
use crate::auth::permissions::{Permission, Require};
use crate::graphql::context::{request, viewer};
use crate::graphql::ids;

/// Mutations of candidates.
#[derive(Default)]
pub struct CandidateMutation;

#[Object]
impl CandidateMutation {
    /// Adds a candidate with skills and tags in one transaction.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn create_candidate(
        &self,
        ctx: &Context<'_>,
        input: CreateCandidateInput,
    ) -> async_graphql::Result<CreateCandidatePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = match input.parse(&request.db, request.skill_scope).await {
            Ok(candidate) => service::create(&request.db, viewer, candidate).await,
            Err(error) => Err(error),
        };
        CreateCandidatePayload::from_outcome(outcome)
    }

    /// Changes the given fields of a candidate; with `expectedVersion`, a stale update is
    /// refused.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn update_candidate(
        &self,
        ctx: &Context<'_>,
        input: UpdateCandidateInput,
    ) -> async_graphql::Result<UpdateCandidatePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let expected_version = input.expected_version;
        let outcome = async {
            let id = ids::decode("Candidate", &input.id, "input.id")?;
            service::update(&request.db, viewer, id, input.changes()?, expected_version).await
        };
        UpdateCandidatePayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Candidate", "input.id")])))
    }

    /// Replaces all skills of a candidate at once.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn set_candidate_skills(
        &self,
        ctx: &Context<'_>,
        input: SetCandidateSkillsInput,
    ) -> async_graphql::Result<SetCandidateSkillsPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = ids::decode("Candidate", &input.candidate_id, "input.candidateId")?;
            let skills = parse_skills(&request.db, request.skill_scope, &input.skills, "input.skills").await?;
            service::set_skills(&request.db, viewer, id, &skills, input.expected_version).await
        };
        SetCandidateSkillsPayload::from_outcome(
            outcome.await.map_err(|e| e.locating(&[("Candidate", "input.candidateId")])),
        )
    }

    /// Moves a candidate out of the active pool (kept for history).
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn archive_candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ArchiveCandidatePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async { service::archive(&request.db, viewer, ids::decode("Candidate", &id, "id")?).await };
        ArchiveCandidatePayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Candidate", "id")])))
    }

    /// Erases a person's data irreversibly (data-protection request). An anonymous placeholder
    /// keeps pipeline counts right; skills, tags, notes and personal fields are gone. Only for
    /// ADMINs and API clients granted the erase scope.
    #[graphql(guard = "Require(Permission::EraseCandidates)")]
    async fn erase_candidate(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<EraseCandidatePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async { service::erase(&request.db, viewer, ids::decode("Candidate", &id, "id")?).await };
        EraseCandidatePayload::from_outcome(
            outcome.await.map(|()| id.clone()).map_err(|e| e.locating(&[("Candidate", "id")])),
        )
    }
}
