//! GraphQL face of pipelines: `Application`, `ApplicationEvent`, `PipelineSummary`, the
//! `applications` query and the pipeline mutations.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
use chrono::{DateTime, Utc};
use entity::{application_events, applications};
use uuid::Uuid;

use super::loaders::ApplicationEventsLoader;
use super::model::STAGES;
use super::service::{self, ApplicationCursor, ApplicationFilter, NewApplication, PipelineSummary as Summary};
use crate::accounts::graphql::Recruiter;
use crate::accounts::loaders::RecruiterLoader;
use crate::auth::permissions::{Permission, Require};
use crate::candidates::graphql::Candidate;
use crate::candidates::loaders::CandidateLoader;
use crate::error::{AppError, AppResult};
use crate::graphql::context::{RequestContext, tenant_loader, viewer, wants_total_count};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, permitted, row_id};
use crate::pagination::{PageArgs, encode_cursor};
use crate::roles::graphql::Role;
use crate::roles::loaders::RoleLoader;
use crate::values::{LongText, Text};

/// Where an application stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "entity::ApplicationStage")]
pub enum ApplicationStage {
    /// Found, not contacted yet.
    Sourced,
    /// First conversations.
    Screening,
    /// Interviewing.
    Interview,
    /// Offer made.
    Offer,
    /// Hired (final).
    Hired,
    /// Rejected by the organization, with a reason (final).
    Rejected,
    /// Withdrawn by the candidate (final).
    Withdrawn,
}

/// A candidate in a role's pipeline.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Application {
    /// Global id.
    pub id: ID,
    /// Current stage.
    pub stage: ApplicationStage,
    /// Where the candidate came from for this role.
    pub source: Option<String>,
    /// Code of the rejection reason, when rejected (see `rejectionReasons`).
    pub rejection_reason: Option<String>,
    /// When the current stage was entered.
    pub stage_entered_at: DateTime<Utc>,
    /// When the candidate entered the pipeline.
    pub created_at: DateTime<Utc>,
    /// When last changed.
    pub updated_at: DateTime<Utc>,
    /// Increases on every move; pass it as `expectedVersion` to refuse stale moves.
    pub version: i32,
    #[graphql(skip)]
    pub application_id: Uuid,
    #[graphql(skip)]
    pub candidate_id: Uuid,
    #[graphql(skip)]
    pub role_id: Uuid,
    #[graphql(skip)]
    pub credited_recruiter_id: Option<Uuid>,
}

impl From<applications::Model> for Application {
    fn from(row: applications::Model) -> Self {
        Self {
            id: ids::encode("Application", row.id),
            stage: row.stage.into(),
            source: row.source,
            rejection_reason: row.rejection_reason,
            stage_entered_at: row.stage_entered_at,
            created_at: row.created_at,
            updated_at: row.updated_at,
            version: row.version,
            application_id: row.id,
            candidate_id: row.candidate_id,
            role_id: row.role_id,
            credited_recruiter_id: row.credited_recruiter_id,
        }
    }
}

#[ComplexObject]
impl Application {
    /// The candidate.
    #[graphql(guard = "Require(Permission::ReadCandidates)")]
    async fn candidate(&self, ctx: &Context<'_>) -> async_graphql::Result<Candidate> {
        let row = tenant_loader::<CandidateLoader>(ctx)?.load_one(self.candidate_id).await?;
        Ok(row.map(Candidate::from).ok_or(AppError::NotFound("Candidate"))?)
    }

    /// The role.
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Role> {
        let row = tenant_loader::<RoleLoader>(ctx)?.load_one(self.role_id).await?;
        Ok(row.map(Role::from).ok_or(AppError::NotFound("Role"))?)
    }

    /// The recruiter credited with the application.
    #[graphql(guard = "Require(Permission::ReadRecruiters)")]
    async fn credited_recruiter(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recruiter>> {
        let Some(id) = self.credited_recruiter_id else { return Ok(None) };
        Ok(tenant_loader::<RecruiterLoader>(ctx)?.load_one(id).await?.map(Recruiter::from))
    }

    /// Every stage move, oldest first.
    async fn events(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ApplicationEvent>> {
        let rows =
            tenant_loader::<ApplicationEventsLoader>(ctx)?.load_one(self.application_id).await?.unwrap_or_default();
        Ok(rows.into_iter().map(ApplicationEvent::from).collect())
    }
}

/// One stage move in an application's history (append-only).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct ApplicationEvent {
    /// Global id.
    pub id: ID,
    /// Stage before the move (null for the move that created the application).
    pub from_stage: Option<ApplicationStage>,
    /// Stage after the move.
    pub to_stage: ApplicationStage,
    /// Who made the move, as shown in the history (a person's name: people only, like
    /// `actor`).
    #[graphql(guard = "Require(Permission::ReadRecruiters)")]
    pub actor_name: String,
    /// Why.
    pub note: Option<String>,
    /// When.
    pub created_at: DateTime<Utc>,
    #[graphql(skip)]
    pub actor_recruiter_id: Option<Uuid>,
}

impl From<application_events::Model> for ApplicationEvent {
    fn from(row: application_events::Model) -> Self {
        Self {
            id: ids::encode("ApplicationEvent", row.id),
            from_stage: row.from_stage.map(Into::into),
            to_stage: row.to_stage.into(),
            actor_name: row.actor_label,
            note: row.note,
            created_at: row.created_at,
            actor_recruiter_id: row.actor_recruiter_id,
        }
    }
}

#[ComplexObject]
impl ApplicationEvent {
    /// The recruiter who made the move (null for integrations).
    #[graphql(guard = "Require(Permission::ReadRecruiters)")]
    async fn actor(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Recruiter>> {
        let Some(id) = self.actor_recruiter_id else { return Ok(None) };
        Ok(tenant_loader::<RecruiterLoader>(ctx)?.load_one(id).await?.map(Recruiter::from))
    }
}

/// One stage of a role's pipeline.
#[derive(Debug, Clone, SimpleObject)]
pub struct StageSummary {
    /// The stage.
    pub stage: ApplicationStage,
    /// Applications now in this stage.
    pub count: u64,
    /// Median days spent in this stage by applications that left it; null when none has.
    pub median_days: Option<f64>,
}

/// The numbers of a role's pipeline: every stage, in pipeline order.
#[derive(Debug, Clone, SimpleObject)]
pub struct PipelineSummary {
    /// All applications of the role.
    pub total: u64,
    /// One entry per stage.
    pub stages: Vec<StageSummary>,
}

impl From<Summary> for PipelineSummary {
    fn from(summary: Summary) -> Self {
        let stages: Vec<StageSummary> = STAGES
            .iter()
            .map(|stage| StageSummary {
                stage: (*stage).into(),
                count: summary.counts.get(stage).copied().unwrap_or(0),
                median_days: summary.median_days.get(stage).map(|d| (d * 10.0).round() / 10.0),
            })
            .collect();
        Self { total: stages.iter().map(|s| s.count).sum(), stages }
    }
}

/// A reason an organization gives when rejecting an application.
#[derive(Debug, Clone, SimpleObject)]
pub struct RejectionReason {
    /// Code to pass to `rejectApplication`.
    pub code: String,
    /// What it means.
    pub label: String,
}

crate::connection_type!(ApplicationConnection, ApplicationEdge, Application);

/// Filters of `applications`.
#[derive(Debug, Clone, Default, InputObject)]
pub struct ApplicationFilterInput {
    /// Only this role's pipeline.
    pub role_id: Option<ID>,
    /// Only this candidate's applications.
    pub candidate_id: Option<ID>,
    /// Any of these stages.
    pub stage: Option<Vec<ApplicationStage>>,
}

/// Input of `addCandidateToRole`.
#[derive(Debug, Clone, InputObject)]
pub struct AddCandidateToRoleInput {
    /// The candidate (ACTIVE).
    pub candidate_id: ID,
    /// The role (OPEN or ON_HOLD).
    pub role_id: ID,
    /// Where the candidate came from for this role.
    pub source: Option<String>,
    /// Recruiter credited with the application (default: the caller).
    pub credited_recruiter_id: Option<ID>,
    /// A note for the history.
    pub note: Option<String>,
}

/// Input of `moveApplication`.
#[derive(Debug, Clone, InputObject)]
pub struct MoveApplicationInput {
    /// The application.
    pub id: ID,
    /// The new stage (use `rejectApplication` to reject).
    pub stage: ApplicationStage,
    /// A note for the history.
    pub note: Option<String>,
    /// Refuse (CONFLICT) unless the application is still at this version.
    pub expected_version: Option<i32>,
}

/// Input of `rejectApplication`.
#[derive(Debug, Clone, InputObject)]
pub struct RejectApplicationInput {
    /// The application.
    pub id: ID,
    /// A code from `rejectionReasons`.
    pub reason: String,
    /// A note for the history.
    pub note: Option<String>,
    /// Refuse (CONFLICT) unless the application is still at this version.
    pub expected_version: Option<i32>,
}

crate::payload!(
    /// Result of `addCandidateToRole`.
    AddCandidateToRolePayload,
    /// The new application (null when refused).
    application: Application
);

crate::payload!(
    /// Result of `moveApplication`.
    MoveApplicationPayload,
    /// The application in its new stage (null when refused).
    application: Application
);

crate::payload!(
    /// Result of `rejectApplication`.
    RejectApplicationPayload,
    /// The rejected application (null when refused).
    application: Application
);

impl ApplicationFilterInput {
    /// The service's filter. The id of another organization's object (or of nothing) filters
    /// down to nothing, as it would if it named an object the caller cannot see; a malformed id
    /// is refused.
    pub fn parse(self) -> AppResult<ApplicationFilter> {
        Ok(ApplicationFilter {
            role_id: self.role_id.as_ref().map(|id| ids::decode("Role", id, "filter.roleId")).transpose()?,
            candidate_id: self
                .candidate_id
                .as_ref()
                .map(|id| ids::decode("Candidate", id, "filter.candidateId"))
                .transpose()?,
            stages: self.stage.unwrap_or_default().into_iter().map(Into::into).collect(),
        })
    }
}

impl AddCandidateToRoleInput {
    /// The new application.
    pub fn parse(&self) -> AppResult<NewApplication> {
        Ok(NewApplication {
            candidate_id: ids::decode("Candidate", &self.candidate_id, "input.candidateId")?,
            role_id: ids::decode("Role", &self.role_id, "input.roleId")?,
            source: Text::<100>::parse_optional(self.source.as_deref(), "input.source")?.map(Text::into_inner),
            credited_recruiter_id: self
                .credited_recruiter_id
                .as_ref()
                .map(|id| {
                    ids::decode("Recruiter", id, "input.creditedRecruiterId").map_err(|_| {
                        AppError::bad_input("input.creditedRecruiterId", "no such recruiter in your organization")
                    })
                })
                .transpose()?,
            note: parse_note(self.note.as_deref(), "input.note")?,
        })
    }
}

fn parse_note(note: Option<&str>, field: &str) -> AppResult<Option<String>> {
    let note = note.map(|n| LongText::parse(n, field)).transpose()?.map(LongText::into_inner);
    Ok(note.filter(|n| !n.is_empty()))
}

/// Queries over pipelines.
#[derive(Default)]
pub struct PipelineQuery;

#[Object]
impl PipelineQuery {
    /// Applications of the organization, newest first.
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn applications(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Filters; all given ones must match.")] filter: Option<ApplicationFilterInput>,
    ) -> async_graphql::Result<ApplicationConnection> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let args = PageArgs::<ApplicationCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = filter.unwrap_or_default().parse()?;
        let page = service::list(&request.db, tenant, &filter, &args).await?;
        let total =
            if wants_total_count(ctx) { Some(service::count(&request.db, tenant, &filter).await?) } else { None };
        Ok(ApplicationConnection::from_page(page, total, |a| encode_cursor(&(a.created_at, a.id)), Application::from))
    }

    /// One application by id, or null.
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn application(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Application>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let id = ids::decode("Application", &id, "id")?;
        Ok(service::get(&request.db, tenant, id).await?.map(Application::from))
    }

    /// The reasons `rejectApplication` accepts: the organization's own list, or the built-in
    /// one until an ADMIN sets one with `setRejectionReasons`.
    #[graphql(guard = "Require(Permission::ReadApplications)")]
    async fn rejection_reasons(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<RejectionReason>> {
        let request = ctx.data::<RequestContext>()?;
        let tenant = viewer(ctx)?.tenant();
        let reasons = service::rejection_reasons(&request.db, tenant).await?;
        Ok(reasons.into_iter().map(|(code, label)| RejectionReason { code, label }).collect())
    }
}

/// A rejection reason in input.
#[derive(Debug, Clone, InputObject)]
pub struct RejectionReasonInput {
    /// Upper-case code (A-Z, 0-9, _), unique in the list.
    pub code: String,
    /// What it means (1 to 200 characters).
    pub label: String,
}

crate::payload!(
    /// Result of `setRejectionReasons`.
    SetRejectionReasonsPayload,
    /// The organization's list after the change (null when refused).
    rejection_reasons: Vec<RejectionReason>
);

/// Mutations of pipelines.
#[derive(Default)]
pub struct PipelineMutation;

#[Object]
impl PipelineMutation {
    /// Replaces the organization's rejection reasons (ADMIN). Applications rejected earlier
    /// keep the code they were given.
    #[graphql(guard = "Require(Permission::ManageOrganization)")]
    async fn set_rejection_reasons(
        &self,
        ctx: &Context<'_>,
        reasons: Vec<RejectionReasonInput>,
    ) -> async_graphql::Result<SetRejectionReasonsPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let pairs: Vec<(String, String)> = reasons.into_iter().map(|r| (r.code.trim().to_owned(), r.label)).collect();
        let outcome = service::set_rejection_reasons(&request.db, viewer, &pairs).await;
        SetRejectionReasonsPayload::from_outcome(
            outcome
                .map(|list| list.into_iter().map(|(code, label)| RejectionReason { code, label }).collect::<Vec<_>>()),
        )
    }

    /// Puts a candidate into a role's pipeline at SOURCED (once per candidate and role).
    #[graphql(guard = "Require(Permission::WriteApplications)")]
    async fn add_candidate_to_role(
        &self,
        ctx: &Context<'_>,
        input: AddCandidateToRoleInput,
    ) -> async_graphql::Result<AddCandidateToRolePayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let outcome = async { service::add(&request.db, viewer, input.parse()?).await };
        AddCandidateToRolePayload::from_outcome(
            outcome.await.map_err(|e| e.locating(&[("Candidate", "input.candidateId"), ("Role", "input.roleId")])),
        )
    }

    /// Moves an application to another stage: forward (skipping allowed), one step back, or
    /// WITHDRAWN. Illegal moves are refused with CONFLICT.
    #[graphql(guard = "Require(Permission::WriteApplications)")]
    async fn move_application(
        &self,
        ctx: &Context<'_>,
        input: MoveApplicationInput,
    ) -> async_graphql::Result<MoveApplicationPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let outcome = async {
            let id = ids::decode("Application", &input.id, "input.id")?;
            let note = parse_note(input.note.as_deref(), "input.note")?;
            service::move_to(&request.db, viewer, id, input.stage.into(), note, input.expected_version, None).await
        };
        MoveApplicationPayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Application", "input.id")])))
    }

    /// Rejects an application with a reason from `rejectionReasons`.
    #[graphql(guard = "Require(Permission::WriteApplications)")]
    async fn reject_application(
        &self,
        ctx: &Context<'_>,
        input: RejectApplicationInput,
    ) -> async_graphql::Result<RejectApplicationPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let reason = input.reason.trim().to_uppercase();
        let outcome = async {
            let id = ids::decode("Application", &input.id, "input.id")?;
            let note = parse_note(input.note.as_deref(), "input.note")?;
            let rejected = entity::ApplicationStage::Rejected;
            service::move_to(&request.db, viewer, id, rejected, note, input.expected_version, Some(&reason)).await
        };
        RejectApplicationPayload::from_outcome(outcome.await.map_err(|e| e.locating(&[("Application", "input.id")])))
    }
}

impl NodeType for Application {
    const KIND: &'static str = "Application";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let (Some((request, tenant)), Some(uuid)) = (permitted(ctx, Permission::ReadApplications)?, row_id::<Self>(id))
        else {
            return Ok(None);
        };
        Ok(service::get(&request.db, tenant, uuid).await?.map(Self::from))
    }
}

impl NodeType for ApplicationEvent {
    const KIND: &'static str = "ApplicationEvent";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let (Some((request, tenant)), Some(uuid)) = (permitted(ctx, Permission::ReadApplications)?, row_id::<Self>(id))
        else {
            return Ok(None);
        };
        Ok(service::event(&request.db, tenant, uuid).await?.map(Self::from))
    }
}
