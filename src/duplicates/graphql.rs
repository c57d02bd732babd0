//! `possibleDuplicates` and `mergeCandidates`.

use async_graphql::{Context, Enum, ID, InputObject, Object, SimpleObject};

use super::model;
use super::service::{self, DroppedApplication as Dropped, Merge};
use crate::auth::permissions::{Permission, Require};
use crate::candidates::graphql::Candidate;
use crate::graphql::context::{request, viewer};
use crate::graphql::ids;
use crate::pipeline::graphql::ApplicationStage;

/// Why a candidate may be the same person as another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "model::DuplicateReason")]
pub enum DuplicateReason {
    /// The same email address (ignoring a `+tag` in its local part).
    SameEmail,
    /// The same phone number (as stored, or ignoring spaces and punctuation).
    SamePhone,
    /// The same id from the same external system (ignoring the system name's case).
    SameExternalReference,
    /// A near-identical name at the same current company.
    SimilarNameSameCompany,
}

/// A candidate that may be the same person, and why.
#[derive(Debug, Clone, SimpleObject)]
pub struct PossibleDuplicate {
    /// The other candidate.
    pub candidate: Candidate,
    /// Every reason found, in a stable order.
    pub reasons: Vec<DuplicateReason>,
}

/// Input of `mergeCandidates`.
#[derive(Debug, Clone, InputObject)]
pub struct MergeCandidatesInput {
    /// The candidate that stays.
    pub survivor_id: ID,
    /// The candidate folded into the survivor and deleted; its id then resolves to the survivor.
    pub duplicate_id: ID,
}

/// An application a merge dropped: both candidates were in the same role's pipeline, and only
/// the further application stays (the survivor's on a tie).
#[derive(Debug, Clone, SimpleObject)]
pub struct DroppedApplication {
    /// The role.
    pub role_id: ID,
    /// The application kept, now the survivor's.
    pub kept_application_id: ID,
    /// Its stage.
    pub kept_stage: ApplicationStage,
    /// The stage of the application deleted.
    pub dropped_stage: ApplicationStage,
}

impl From<Dropped> for DroppedApplication {
    fn from(dropped: Dropped) -> Self {
        Self {
            role_id: ids::encode("Role", dropped.role_id),
            kept_application_id: ids::encode("Application", dropped.kept_application_id),
            kept_stage: dropped.kept_stage.into(),
            dropped_stage: dropped.dropped_stage.into(),
        }
    }
}

crate::payload!(
    /// Result of `mergeCandidates`.
    MergeCandidatesPayload,
    /// The survivor after the merge (null when refused).
    candidate: Candidate,
    /// The merged candidate's id, which now resolves to the survivor.
    merged_candidate_id: ID,
    /// Applications moved from the duplicate to the survivor.
    applications_moved: i32,
    /// Applications dropped because both were in the same role's pipeline.
    dropped_applications: Vec<DroppedApplication>,
);

/// Duplicate checks.
#[derive(Default)]
pub struct DuplicateQuery;

#[Object]
impl DuplicateQuery {
    /// Candidates of your organization that may be the same person as this one, or as the
    /// candidate it was merged into, with the reasons, most reasons first, at most 50. Null
    /// when the id names no candidate of your organization.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn possible_duplicates(
        &self,
        ctx: &Context<'_>,
        candidate_id: ID,
    ) -> async_graphql::Result<Option<Vec<PossibleDuplicate>>> {
        let id = ids::decode("Candidate", &candidate_id, "candidateId")?;
        let tenant = viewer(ctx)?.tenant();
        match service::possible_duplicates(&request(ctx)?.db, tenant, id).await {
            Ok(found) => Ok(Some(
                found
                    .into_iter()
                    .map(|duplicate| PossibleDuplicate {
                        candidate: duplicate.candidate.into(),
                        reasons: duplicate.reasons.into_iter().map(Into::into).collect(),
                    })
                    .collect(),
            )),
            Err(crate::error::AppError::NotFound(_)) => Ok(None),
            Err(other) => Err(other.into()),
        }
    }
}

/// Merges.
#[derive(Default)]
pub struct DuplicateMutation;

#[Object]
impl DuplicateMutation {
    /// Folds a duplicate into a survivor in one transaction. Skills move, keeping the higher
    /// level and years where both hold one; so do tags, applications with their history, the
    /// external reference and empty contact fields. Where both are in one role's pipeline, the
    /// further application stays and the other is listed in `droppedApplications`. The
    /// duplicate is deleted, and `node` and `candidate` resolve its id to the survivor.
    /// Refusals in `userErrors`, the same id twice is BAD_USER_INPUT; an id naming no candidate
    /// of your organization is NOT_FOUND, alike for both; an erased candidate is CONFLICT.
    /// Audited as `candidate.merge`.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn merge_candidates(
        &self,
        ctx: &Context<'_>,
        input: MergeCandidatesInput,
    ) -> async_graphql::Result<MergeCandidatesPayload> {
        let db = &request(ctx)?.db;
        let viewer = viewer(ctx)?;
        let outcome = async {
            let survivor = ids::decode("Candidate", &input.survivor_id, "input.survivorId")?;
            let duplicate = ids::decode("Candidate", &input.duplicate_id, "input.duplicateId")?;
            service::merge(db, viewer, survivor, duplicate).await
        };
        let outcome = outcome.await.map(|merge: Merge| {
            (
                Candidate::from(merge.survivor),
                ids::encode("Candidate", merge.duplicate_id),
                merge.applications_moved as i32,
                merge.dropped_applications.into_iter().map(Into::into).collect(),
            )
        });
        MergeCandidatesPayload::from_outcome(outcome)
    }
}
