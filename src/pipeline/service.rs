//! Applications and their history: queries and rules over sea-orm. Every function takes the
//! caller's tenant (or the viewer, for changes, which also writes the audit trail).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    ApplicationStage, CandidateStatus, RoleStatus, api_clients, application_events, applications, recruiters, roles,
};
use sea_orm::sea_query::{Expr, LockType};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::model::{Move, REJECTION_REASONS, is_terminal, may_move, median_days_per_stage};
use crate::auth::viewer::Actor;
use crate::auth::{Tenant, Viewer};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{ApplicationCreated, ApplicationMoved, DomainEvent, RejectionReasonsSet};
use crate::pagination::{Page, PageArgs, fetch_page};

/// The organization's rejection reasons (code, label) in display order: its own list, or the
/// built-in one until it sets its own.
pub async fn rejection_reasons(db: &impl ConnectionTrait, tenant: Tenant) -> AppResult<Vec<(String, String)>> {
    let own = tenant
        .find::<entity::rejection_reasons::Entity>()
        .order_by_asc(entity::rejection_reasons::Column::Position)
        .all(db)
        .await?;
    if own.is_empty() {
        return Ok(REJECTION_REASONS.iter().map(|(code, label)| ((*code).to_owned(), (*label).to_owned())).collect());
    }
    Ok(own.into_iter().map(|r| (r.code, r.label)).collect())
}

/// Replaces the organization's rejection reasons (codes are upper-case words, unique).
pub async fn set_rejection_reasons(
    db: &DatabaseConnection,
    viewer: &Viewer,
    reasons: &[(String, String)],
) -> AppResult<Vec<(String, String)>> {
    let tenant = viewer.tenant();
    if reasons.is_empty() || reasons.len() > 50 {
        return Err(AppError::bad_input("reasons", "give 1 to 50 reasons"));
    }
    let mut seen = std::collections::HashSet::new();
    for (index, (code, label)) in reasons.iter().enumerate() {
        let valid = !code.is_empty()
            && code.len() <= 50
            && code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(AppError::bad_input(&format!("reasons.{index}.code"), "use 1 to 50 of A-Z, 0-9 and _"));
        }
        if !seen.insert(code) {
            return Err(AppError::bad_input(&format!("reasons.{index}.code"), "codes must be unique"));
        }
        crate::values::Text::<200>::parse(label, &format!("reasons.{index}.label"))?;
    }
    let txn = db.begin().await?;
    tenant.delete_many::<entity::rejection_reasons::Entity>().exec(&txn).await?;
    let rows: Vec<entity::rejection_reasons::ActiveModel> = reasons
        .iter()
        .enumerate()
        .map(|(position, (code, label))| entity::rejection_reasons::ActiveModel {
            organization_id: Set(tenant.organization_id()),
            code: Set(code.clone()),
            label: Set(label.trim().to_owned()),
            position: Set(position as i32),
        })
        .collect();
    entity::rejection_reasons::Entity::insert_many(rows).exec(&txn).await?;
    let set = RejectionReasonsSet {
        organization: tenant.organization_id(),
        codes: reasons.iter().map(|(code, _)| code.clone()).collect(),
    };
    events::service::record(&txn, viewer, DomainEvent::RejectionReasonsSet(set)).await?;
    txn.commit().await?;
    rejection_reasons(db, tenant).await
}

/// Filters of the applications list.
#[derive(Debug, Clone, Default)]
pub struct ApplicationFilter {
    pub role_id: Option<Uuid>,
    pub candidate_id: Option<Uuid>,
    pub stages: Vec<ApplicationStage>,
}

/// Sort key of applications (creation time, id); newest first.
pub type ApplicationCursor = (DateTime<Utc>, Uuid);

fn filtered(tenant: Tenant, filter: &ApplicationFilter) -> sea_orm::Select<applications::Entity> {
    let mut select = tenant.find::<applications::Entity>();
    if let Some(role) = filter.role_id {
        select = select.filter(applications::Column::RoleId.eq(role));
    }
    if let Some(candidate) = filter.candidate_id {
        select = select.filter(applications::Column::CandidateId.eq(candidate));
    }
    if !filter.stages.is_empty() {
        select = select.filter(applications::Column::Stage.is_in(filter.stages.clone()));
    }
    select
}

/// One page of applications, newest first.
pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    filter: &ApplicationFilter,
    args: &PageArgs<ApplicationCursor>,
) -> AppResult<Page<applications::Model>> {
    let mut cursor = filtered(tenant, filter).cursor_by((applications::Column::CreatedAt, applications::Column::Id));
    cursor.desc();
    fetch_page(cursor, args, db).await
}

/// How many applications match.
pub async fn count(db: &impl ConnectionTrait, tenant: Tenant, filter: &ApplicationFilter) -> AppResult<u64> {
    Ok(filtered(tenant, filter).count(db).await?)
}

/// The application with this id in the organization.
pub async fn get(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<Option<applications::Model>> {
    Ok(tenant.find_by_id::<applications::Entity>(id).one(db).await?)
}

/// One history entry of the organization.
pub async fn event(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<Option<application_events::Model>> {
    Ok(tenant.find_by_id::<application_events::Entity>(id).one(db).await?)
}

/// Which relation to group applications by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GroupBy {
    Role,
    Candidate,
}

/// The applications of each role or candidate, oldest first.
pub async fn grouped(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    by: GroupBy,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<applications::Model>>> {
    let column = match by {
        GroupBy::Role => applications::Column::RoleId,
        GroupBy::Candidate => applications::Column::CandidateId,
    };
    let rows = tenant
        .find::<applications::Entity>()
        .filter(column.is_in(ids.iter().copied()))
        .order_by_asc(applications::Column::CreatedAt)
        .order_by_asc(applications::Column::Id)
        .all(db)
        .await?;
    Ok(crate::database::group_rows(rows, |row| match by {
        GroupBy::Role => (row.role_id, row),
        GroupBy::Candidate => (row.candidate_id, row),
    }))
}

/// The history of each application, oldest first.
pub async fn events_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<application_events::Model>>> {
    let rows = tenant
        .find::<application_events::Entity>()
        .filter(application_events::Column::ApplicationId.is_in(ids.iter().copied()))
        .order_by_asc(application_events::Column::CreatedAt)
        .order_by_asc(application_events::Column::Id)
        .all(db)
        .await?;
    Ok(crate::database::group_rows(rows, |row| (row.application_id, row)))
}

/// The numbers of one role's pipeline.
#[derive(Debug, Clone, Default)]
pub struct PipelineSummary {
    pub counts: HashMap<ApplicationStage, u64>,
    pub median_days: HashMap<ApplicationStage, f64>,
}

/// Candidates per stage and median days per stage for each role (two statements in all).
pub async fn summaries(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    role_ids: &[Uuid],
) -> AppResult<HashMap<Uuid, PipelineSummary>> {
    let by_role = grouped(db, tenant, GroupBy::Role, role_ids).await?;
    let application_ids: Vec<Uuid> = by_role.values().flatten().map(|a| a.id).collect();
    let events = events_of(db, tenant, &application_ids).await?;
    let mut out = HashMap::new();
    for (role_id, applications) in by_role {
        let mut summary = PipelineSummary::default();
        let mut moves = Vec::new();
        for application in &applications {
            *summary.counts.entry(application.stage).or_default() += 1;
            for event in events.get(&application.id).into_iter().flatten() {
                moves.push(Move { application_id: application.id, to: event.to_stage, at: event.created_at });
            }
        }
        summary.median_days = median_days_per_stage(&moves);
        out.insert(role_id, summary);
    }
    Ok(out)
}

/// How the caller appears in an application's history.
async fn actor_label(db: &impl ConnectionTrait, viewer: &Viewer) -> AppResult<(Option<Uuid>, String)> {
    let tenant = viewer.tenant();
    Ok(match viewer.actor() {
        Actor::Recruiter { id, .. } => {
            let name = tenant
                .find_by_id::<recruiters::Entity>(*id)
                .one(db)
                .await?
                .map_or_else(|| "recruiter".to_owned(), |r| r.display_name);
            (Some(*id), name)
        }
        Actor::ApiClient { id, .. } => {
            let name = tenant
                .find_by_id::<api_clients::Entity>(*id)
                .one(db)
                .await?
                .map_or_else(|| "integration".to_owned(), |c| c.name);
            (None, name)
        }
    })
}

/// What `add` needs.
#[derive(Debug, Clone)]
pub struct NewApplication {
    pub candidate_id: Uuid,
    pub role_id: Uuid,
    pub source: Option<String>,
    pub credited_recruiter_id: Option<Uuid>,
    pub note: Option<String>,
}

/// Puts a candidate into a role's pipeline at SOURCED.
pub async fn add(db: &DatabaseConnection, viewer: &Viewer, new: NewApplication) -> AppResult<applications::Model> {
    let tenant = viewer.tenant();
    let candidate =
        crate::candidates::service::get(db, tenant, new.candidate_id).await?.ok_or(AppError::NotFound("Candidate"))?;
    let role = crate::roles::service::get(db, tenant, new.role_id).await?.ok_or(AppError::NotFound("Role"))?;
    if let Some(recruiter) = new.credited_recruiter_id {
        crate::accounts::service::find_recruiter(db, tenant, recruiter).await?.ok_or_else(|| {
            AppError::bad_input("input.creditedRecruiterId", "no such recruiter in your organization")
        })?;
    }
    if candidate.status != CandidateStatus::Active {
        return Err(AppError::bad_input("input.candidateId", "archived candidates cannot enter a pipeline"));
    }
    if !matches!(role.status, RoleStatus::Open | RoleStatus::OnHold) {
        return Err(AppError::bad_input(
            "input.roleId",
            "candidates enter the pipelines of OPEN or ON_HOLD roles only",
        ));
    }
    let (actor_id, label) = actor_label(db, viewer).await?;
    let now = Utc::now();
    let id = Uuid::now_v7();
    let txn = db.begin().await?;
    let application = applications::ActiveModel {
        id: Set(id),
        organization_id: Set(tenant.organization_id()),
        candidate_id: Set(candidate.id),
        role_id: Set(role.id),
        stage: Set(ApplicationStage::Sourced),
        source: Set(new.source),
        credited_recruiter_id: Set(new.credited_recruiter_id.or(viewer.recruiter_id())),
        rejection_reason: Set(None),
        stage_entered_at: Set(now),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(1),
    }
    .insert(&txn)
    .await
    .map_err(|e| match AppError::from(e) {
        AppError::Conflict(_) => AppError::Conflict("the candidate is already in this role's pipeline".to_owned()),
        other => other,
    })?;
    record_event(&txn, tenant, id, None, ApplicationStage::Sourced, actor_id, &label, new.note, now).await?;
    let created = ApplicationCreated { application: id, role: role.id, candidate: candidate.id };
    events::service::record(&txn, viewer, DomainEvent::ApplicationCreated(created)).await?;
    txn.commit().await?;
    Ok(application)
}

#[allow(clippy::too_many_arguments, reason = "one column each")]
async fn record_event(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    application_id: Uuid,
    from: Option<ApplicationStage>,
    to: ApplicationStage,
    actor: Option<Uuid>,
    label: &str,
    note: Option<String>,
    at: DateTime<Utc>,
) -> AppResult<()> {
    application_events::ActiveModel {
        id: Set(Uuid::now_v7()),
        organization_id: Set(tenant.organization_id()),
        application_id: Set(application_id),
        from_stage: Set(from),
        to_stage: Set(to),
        actor_recruiter_id: Set(actor),
        actor_label: Set(label.to_owned()),
        note: Set(note),
        created_at: Set(at),
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Whether the role lets an application move to `stage`, checked inside the move's transaction
/// after its write (so the count includes this application): a role that is not accepting
/// candidates only lets applications end; a role hires no more people than its headcount. The
/// role row is locked on PostgreSQL (`FOR NO KEY UPDATE`, which still lets new applications
/// reference the role) and SQLite's write lock is already held, so concurrent hires count each
/// other and at most `headcount` of them commit.
async fn admit_move(
    txn: &DatabaseTransaction,
    tenant: Tenant,
    role_id: Uuid,
    stage: ApplicationStage,
) -> AppResult<()> {
    if matches!(stage, ApplicationStage::Rejected | ApplicationStage::Withdrawn) {
        return Ok(());
    }
    let role = tenant
        .find_by_id::<roles::Entity>(role_id)
        .lock(LockType::NoKeyUpdate)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound("Role"))?;
    if !matches!(role.status, RoleStatus::Open | RoleStatus::OnHold) {
        return Err(AppError::Conflict(format!(
            "the role is {}: its applications can only be rejected or withdrawn",
            crate::roles::service::status_name(role.status)
        )));
    }
    if stage == ApplicationStage::Hired {
        let hired = tenant
            .find::<applications::Entity>()
            .filter(applications::Column::RoleId.eq(role.id))
            .filter(applications::Column::Stage.eq(ApplicationStage::Hired))
            .count(txn)
            .await?;
        if hired > u64::try_from(role.headcount).unwrap_or(0) {
            return Err(AppError::Conflict(format!("all {} positions of the role are filled", role.headcount)));
        }
    }
    Ok(())
}

/// Moves an application to `stage` if the pipeline allows it, recording who, when and why.
pub async fn move_to(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    stage: ApplicationStage,
    note: Option<String>,
    expected_version: Option<i32>,
    rejection_reason: Option<&str>,
) -> AppResult<applications::Model> {
    let tenant = viewer.tenant();
    let current = get(db, tenant, id).await?.ok_or(AppError::NotFound("Application"))?;
    if stage == ApplicationStage::Rejected && rejection_reason.is_none() {
        return Err(AppError::bad_input("input.stage", "reject with rejectApplication, which records the reason"));
    }
    if let Some(reason) = rejection_reason
        && !rejection_reasons(db, tenant).await?.iter().any(|(code, _)| code == reason)
    {
        return Err(AppError::bad_input(
            "input.reason",
            format!("unknown rejection reason `{reason}`; see rejectionReasons"),
        ));
    }
    if !may_move(current.stage, stage) {
        let why = if is_terminal(current.stage) { "the application is finished" } else { "that move is not allowed" };
        return Err(AppError::Conflict(
            format!("cannot move from {:?} to {:?}: {why}", current.stage, stage).to_uppercase(),
        ));
    }
    let (actor_id, label) = actor_label(db, viewer).await?;
    let now = Utc::now();
    let txn = db.begin().await?;
    // The move is the transaction's first statement and a write, so SQLite takes its write lock
    // before the role checks below read anything: concurrent moves run those checks one at a time.
    let update = tenant
        .update_many::<applications::Entity>()
        .col_expr(applications::Column::Stage, Expr::value(stage))
        .col_expr(applications::Column::StageEnteredAt, Expr::value(now))
        .col_expr(applications::Column::RejectionReason, Expr::value(rejection_reason.map(str::to_owned)))
        .filter(applications::Column::Id.eq(id))
        .filter(applications::Column::Stage.eq(current.stage));
    let expected = Some(expected_version.unwrap_or(current.version));
    let changed =
        crate::versioning::bump(&txn, update, applications::Column::Version, applications::Column::UpdatedAt, expected)
            .await?;
    if !changed {
        return Err(AppError::Conflict("the application changed since you read it; reload and try again".to_owned()));
    }
    admit_move(&txn, tenant, current.role_id, stage).await?;
    record_event(&txn, tenant, id, Some(current.stage), stage, actor_id, &label, note, now).await?;
    let application = get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Application"))?;
    let moved = ApplicationMoved {
        application: id,
        from: current.stage,
        to: stage,
        reason: rejection_reason.map(str::to_owned),
    };
    events::service::record(&txn, viewer, DomainEvent::ApplicationMoved(moved)).await?;
    txn.commit().await?;
    Ok(application)
}
