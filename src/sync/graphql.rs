//! `upsertCandidates` and `upsertRoles`: parse every item (resolving all skill names of the
//! batch in one go), hand the batch to the service, answer one result per item in input order.

use async_graphql::{ComplexObject, Context, Enum, InputObject, Object, SimpleObject};
use uuid::Uuid;

use super::model::{self, ItemOutcome};
use super::service::{self, CandidateItem, RoleItem};
use crate::auth::SkillScope;
use crate::auth::permissions::{Permission, Require};
use crate::candidates::graphql::{
    Candidate, CandidateSkillInput, CreateCandidateInput, EmploymentInput, LinkInput, skill_names, skills_from,
};
use crate::candidates::loaders::CandidateLoader;
use crate::candidates::model::{MAX_EMPLOYMENT_ITEMS, MAX_EMPLOYMENTS, check_skills};
use crate::candidates::service::CandidateState;
use crate::error::{AppError, AppResult};
use crate::graphql::context::{request, tenant_loader, viewer};
use crate::graphql::user_errors::{UserError, refusals};
use crate::pagination::{PageArgs, encode_cursor};
use crate::roles::graphql::{
    CreateRoleInput, EmploymentType, Role, RoleStatus, SalaryInput, Seniority, SkillRequirementInput, Workplace,
    requirement_names, requirements_from,
};
use crate::roles::loaders::RoleLoader;
use crate::roles::model::check_requirements;
use crate::roles::service::RoleState;
use crate::skills::service::resolve_each;

/// What an upsert did with one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[graphql(remote = "model::UpsertStatus")]
pub enum UpsertStatus {
    /// No row had the item's external reference: it was created.
    Created,
    /// The row with the item's external reference differed and was changed.
    Updated,
    /// The row already held exactly this; nothing was written.
    Unchanged,
}

/// One candidate of `upsertCandidates`, as the source system holds it. Every field is set as
/// given (an omitted optional field is cleared), except `skills` and `tags`: omitted or null,
/// the candidate keeps the ones it has here.
#[derive(Debug, Clone, InputObject)]
pub struct CandidateUpsertInput {
    /// Source system ("greenhouse"); with `externalId`, the key of the item.
    pub external_source: String,
    /// Id in that system.
    pub external_id: String,
    /// Full name (1 to 200 characters).
    pub full_name: String,
    /// Email; unique within the organization.
    pub email: Option<String>,
    /// Phone number.
    pub phone: Option<String>,
    /// Where the person lives or works.
    pub location: Option<String>,
    /// One-line headline (up to 300 characters).
    pub headline: Option<String>,
    /// Profile summary.
    pub summary: Option<String>,
    /// Total years of experience, 0 to 60. Omitted or null, it is derived from the work history
    /// (`employments`, or the ones the candidate has when those are omitted), each month
    /// counted once however many jobs overlap it; 0 without any. Stored at write time, so
    /// filters and `matchCandidates` see it; a current job counts up to the month of the write,
    /// and the server re-derives derived years daily while it lasts (a change of the candidate,
    /// with its `candidate.update` event; `rederive-years` on the command line). Given years
    /// are never re-derived.
    pub years_experience: Option<i32>,
    /// Current job title.
    pub current_title: Option<String>,
    /// Current employer.
    pub current_company: Option<String>,
    /// Profile links.
    #[graphql(default)]
    pub links: Vec<LinkInput>,
    /// Where the candidate came from.
    pub source: Option<String>,
    /// Free-form labels (replace all); omitted keeps the candidate's.
    pub tags: Option<Vec<String>>,
    /// Skills with levels (replace all); omitted keeps the candidate's. A skill given without
    /// `years` takes the years of the jobs in the work history that used it (overlapping periods
    /// counted once), stored at write time and re-derived daily while such a job lasts, like
    /// `yearsExperience`; none when no job used it.
    pub skills: Option<Vec<CandidateSkillInput>>,
    /// The work history, in the candidate's order (replace all, at most 50); omitted keeps the
    /// candidate's.
    pub employments: Option<Vec<EmploymentInput>>,
}

impl CandidateUpsertInput {
    /// The same item as `createCandidate` input, whose parser holds the candidate's rules.
    fn as_create(&self) -> CreateCandidateInput {
        CreateCandidateInput {
            full_name: self.full_name.clone(),
            email: self.email.clone(),
            phone: self.phone.clone(),
            location: self.location.clone(),
            headline: self.headline.clone(),
            summary: self.summary.clone(),
            years_experience: self.years_experience.unwrap_or(0),
            current_title: self.current_title.clone(),
            current_company: self.current_company.clone(),
            links: self.links.clone(),
            source: self.source.clone(),
            external_source: Some(self.external_source.clone()),
            external_id: Some(self.external_id.clone()),
            tags: self.tags.clone().unwrap_or_default(),
            skills: Vec::new(),
        }
    }
}

/// Parses every item of a candidate batch; the skill names of all items (their skills and
/// those of their work histories) resolve in one statement, and each item reports all of its
/// unknown skills.
async fn parse_candidates(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: &[CandidateUpsertInput],
) -> AppResult<Vec<CandidateItem>> {
    let lists: Vec<(String, &[CandidateSkillInput])> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (format!("input.{i}.skills"), input.skills.as_deref().unwrap_or_default()))
        .collect();
    // Lists over the limit are refused by `skills_from` / `parse_all` without resolving names.
    let names: Vec<Vec<(String, String)>> = lists
        .iter()
        .map(|(field, skills)| if skills.len() > 200 { Vec::new() } else { skill_names(skills, field) })
        .collect();
    let job_names: Vec<Vec<(String, String)>> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| match input.employments.as_deref() {
            Some(jobs) if jobs.len() <= MAX_EMPLOYMENTS => {
                EmploymentInput::skill_names(jobs, &format!("input.{i}.employments"))
            }
            _ => Vec::new(),
        })
        .collect();
    let all: Vec<(String, String)> =
        names.iter().zip(&job_names).flat_map(|(a, b)| a.iter().chain(b)).cloned().collect();
    let mut resolved = resolve_each(db, scope, &all).await?.into_iter();
    let mut items = Vec::with_capacity(inputs.len());
    for (i, (input, (((field, skills), names), job_names))) in
        inputs.iter().zip(lists.iter().zip(&names).zip(&job_names)).enumerate()
    {
        let mut errors = Vec::new();
        let (known, unknown): (Vec<_>, Vec<_>) = resolved.by_ref().take(names.len()).partition(Result::is_ok);
        let (job_known, job_unknown): (Vec<_>, Vec<_>) =
            resolved.by_ref().take(job_names.len()).partition(Result::is_ok);
        let candidate = input.as_create().parse_at(&format!("input.{i}"), Vec::new()).map_err(|e| errors.push(e)).ok();
        errors.extend(unknown.into_iter().chain(job_unknown).filter_map(Result::err));
        let skills = if errors.is_empty() {
            let known = known.into_iter().filter_map(Result::ok).collect();
            skills_from(skills, known, field)
                .and_then(|s| check_skills(&s, field).map(|()| s))
                .map_err(|e| errors.push(e))
                .ok()
        } else {
            None
        };
        let employments = match (&input.employments, errors.is_empty()) {
            (Some(jobs), true) => {
                let ids: Vec<Uuid> = job_known.into_iter().filter_map(|skill| Some(skill.ok()?.id)).collect();
                EmploymentInput::parse_all(jobs, &ids, &format!("input.{i}.employments"))
                    .map(Some)
                    .map_err(|e| errors.push(e))
                    .ok()
            }
            _ => Some(None),
        };
        items.push(match (candidate, skills, employments) {
            (Some(mut candidate), Some(skills), Some(employments)) if errors.is_empty() => {
                candidate.skills = skills;
                Ok(CandidateState {
                    candidate,
                    replace_skills: input.skills.is_some(),
                    replace_tags: input.tags.is_some(),
                    employments,
                    years_experience_given: input.years_experience.is_some(),
                })
            }
            _ => Err(errors),
        });
    }
    Ok(items)
}

/// One role of `upsertRoles`, as the source system holds it, with its requirements. Every
/// field is set as given (an omitted optional field is cleared, an omitted enum takes its
/// default), except `status` (omitted: kept, DRAFT for a new role) and `requirements`
/// (omitted: kept).
#[derive(Debug, Clone, InputObject)]
pub struct RoleUpsertInput {
    /// Source system ("greenhouse"); with `externalId`, the key of the item.
    pub external_source: String,
    /// Id in that system.
    pub external_id: String,
    /// Job title (1 to 200 characters).
    pub title: String,
    /// Posting text.
    #[graphql(default)]
    pub description: String,
    /// Hiring department.
    pub department: Option<String>,
    /// Office location.
    pub location: Option<String>,
    /// Where the work happens (default ONSITE).
    #[graphql(default_with = "Workplace::Onsite")]
    pub workplace: Workplace,
    /// Contract form (default FULL_TIME).
    #[graphql(default_with = "EmploymentType::FullTime")]
    pub employment_type: EmploymentType,
    /// Seniority (default MID).
    #[graphql(default_with = "Seniority::Mid")]
    pub seniority: Seniority,
    /// Minimum total years of experience, 0 to 60.
    #[graphql(default)]
    pub min_years_experience: i32,
    /// Lifecycle status; a change follows the lifecycle (`changeRoleStatus`), a new role is
    /// DRAFT or OPEN.
    pub status: Option<RoleStatus>,
    /// People to hire, 1 to 1000 (default 1).
    #[graphql(default = 1)]
    pub headcount: i32,
    /// Yearly salary band.
    pub salary: Option<SalaryInput>,
    /// Last day applications are taken (a posting's `validThrough`); omitted clears it.
    pub valid_through: Option<chrono::DateTime<chrono::Utc>>,
    /// The skills the role asks for (replace all); omitted keeps the role's.
    pub requirements: Option<Vec<SkillRequirementInput>>,
}

impl RoleUpsertInput {
    /// The same item as `createRole` input, whose parser holds the role's rules. The status
    /// is checked apart: an existing role may be in any status.
    fn as_create(&self) -> CreateRoleInput {
        CreateRoleInput {
            title: self.title.clone(),
            description: self.description.clone(),
            department: self.department.clone(),
            location: self.location.clone(),
            workplace: self.workplace,
            employment_type: self.employment_type,
            seniority: self.seniority,
            min_years_experience: self.min_years_experience,
            status: RoleStatus::Draft,
            headcount: self.headcount,
            salary: self.salary.clone(),
            external_source: Some(self.external_source.clone()),
            external_id: Some(self.external_id.clone()),
            requirements: Vec::new(),
            valid_through: self.valid_through,
        }
    }
}

/// Parses every item of a role batch; the skill names of all items resolve in one statement.
async fn parse_roles(
    db: &impl sea_orm::ConnectionTrait,
    scope: SkillScope,
    inputs: &[RoleUpsertInput],
) -> AppResult<Vec<RoleItem>> {
    let lists: Vec<(String, &[SkillRequirementInput])> = inputs
        .iter()
        .enumerate()
        .map(|(i, input)| (format!("input.{i}.requirements"), input.requirements.as_deref().unwrap_or_default()))
        .collect();
    let names: Vec<Vec<(String, String)>> = lists
        .iter()
        .map(|(field, list)| if list.len() > 100 { Vec::new() } else { requirement_names(list, field) })
        .collect();
    let mut resolved = resolve_each(db, scope, &names.concat()).await?.into_iter();
    let mut items = Vec::with_capacity(inputs.len());
    for (i, (input, ((field, list), names))) in inputs.iter().zip(lists.iter().zip(&names)).enumerate() {
        let mut errors = Vec::new();
        let (known, unknown): (Vec<_>, Vec<_>) = resolved.by_ref().take(names.len()).partition(Result::is_ok);
        let role = input.as_create().parse_at(&format!("input.{i}"), Vec::new()).map_err(|e| errors.push(e)).ok();
        errors.extend(unknown.into_iter().filter_map(Result::err));
        let requirements = if errors.is_empty() {
            let known = known.into_iter().filter_map(Result::ok).collect();
            requirements_from(list, known, field)
                .and_then(|r| check_requirements(&r, field).map(|()| r))
                .map_err(|e| errors.push(e))
                .ok()
        } else {
            None
        };
        items.push(match (role, requirements) {
            (Some(mut role), Some(requirements)) if errors.is_empty() => {
                role.requirements = requirements;
                if let Some(status) = input.status {
                    role.status = status.into();
                }
                Ok(RoleState {
                    role,
                    status_given: input.status.is_some(),
                    replace_requirements: input.requirements.is_some(),
                })
            }
            _ => Err(errors),
        });
    }
    Ok(items)
}

/// What `upsertRoles` did with one item.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct RoleUpsertResult {
    /// The item's position in the input list.
    pub index: i32,
    /// What happened; null when the item was refused.
    pub status: Option<UpsertStatus>,
    /// Why the item was refused (paths start with `input` and the item's index).
    pub user_errors: Vec<UserError>,
    #[graphql(skip)]
    pub role_id: Option<Uuid>,
}

#[ComplexObject]
impl RoleUpsertResult {
    /// The role as it is now; null when the item was refused.
    async fn role(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Role>> {
        let Some(id) = self.role_id else { return Ok(None) };
        Ok(tenant_loader::<RoleLoader>(ctx)?.load_one(id).await?.map(Role::from))
    }
}

/// Result of `upsertRoles`.
#[derive(Debug, Clone, SimpleObject)]
pub struct UpsertRolesPayload {
    /// One result per input item, in input order (empty when the whole batch was refused).
    pub results: Vec<RoleUpsertResult>,
    /// Why the whole batch was refused (too many items, a concurrent write); nothing was applied.
    pub user_errors: Vec<UserError>,
}

/// What `upsertCandidates` did with one item.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct CandidateUpsertResult {
    /// The item's position in the input list.
    pub index: i32,
    /// What happened; null when the item was refused.
    pub status: Option<UpsertStatus>,
    /// Why the item was refused (paths start with `input` and the item's index).
    pub user_errors: Vec<UserError>,
    #[graphql(skip)]
    pub candidate_id: Option<Uuid>,
}

#[ComplexObject]
impl CandidateUpsertResult {
    /// The candidate as it is now; null when the item was refused.
    async fn candidate(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Candidate>> {
        let Some(id) = self.candidate_id else { return Ok(None) };
        Ok(tenant_loader::<CandidateLoader>(ctx)?.load_one(id).await?.map(Candidate::from))
    }
}

/// Input of `setCandidateEmployments`.
#[derive(Debug, Clone, InputObject)]
pub struct SetCandidateEmploymentsInput {
    /// The candidate.
    pub candidate_id: async_graphql::ID,
    /// The whole work history, in the candidate's order (replaces all).
    pub employments: Vec<EmploymentInput>,
}

crate::payload!(
    /// Result of `setCandidateEmployments`.
    SetCandidateEmploymentsPayload,
    /// The candidate with its new work history (null when refused).
    candidate: Candidate,
    /// UPDATED, or UNCHANGED when the candidate already had this history.
    status: UpsertStatus,
);

/// Result of `upsertCandidates`.
#[derive(Debug, Clone, SimpleObject)]
pub struct UpsertCandidatesPayload {
    /// One result per input item, in input order (empty when the whole batch was refused).
    pub results: Vec<CandidateUpsertResult>,
    /// Why the whole batch was refused (too many items, a concurrent write); nothing was applied.
    pub user_errors: Vec<UserError>,
}

/// An item's refusals as `userErrors`; an error that is not a refusal of input stays an error.
fn item_errors(errors: Vec<AppError>) -> AppResult<Vec<UserError>> {
    let mut out = Vec::new();
    for error in errors {
        match refusals::<()>(Err(error))? {
            Ok(()) => {}
            Err(user_errors) => out.extend(user_errors),
        }
    }
    Ok(out)
}

/// Each outcome as a result at its index, or the batch's refusal.
fn results<R>(
    outcome: AppResult<Vec<ItemOutcome>>,
    result: impl Fn(i32, Option<(Uuid, UpsertStatus)>, Vec<UserError>) -> R,
) -> AppResult<(Vec<R>, Vec<UserError>)> {
    let outcomes = match refusals(outcome)? {
        Ok(outcomes) => outcomes,
        Err(user_errors) => return Ok((Vec::new(), user_errors)),
    };
    let mut out = Vec::with_capacity(outcomes.len());
    for (index, outcome) in outcomes.into_iter().enumerate() {
        let index = i32::try_from(index).unwrap_or(i32::MAX);
        out.push(match outcome {
            Ok(upserted) => result(index, Some((upserted.id, upserted.status.into())), Vec::new()),
            Err(errors) => result(index, None, item_errors(errors)?),
        });
    }
    Ok((out, Vec::new()))
}

/// One change to an entity, as the change feed lists it.
#[derive(Debug, Clone, SimpleObject)]
pub struct Change {
    /// The change's position in the organization's log: pass the last one seen as `after`.
    pub cursor: String,
    /// `<entity>.<verb>`, as the audit trail names it: `candidate.update`, `role.delete`, …
    pub action: String,
    /// GraphQL type of the changed entity (`Candidate`, `Role`, `Application`).
    pub entity_type: String,
    /// Global id of the changed entity (it may no longer exist).
    pub entity_id: async_graphql::ID,
    /// Whether the entity is gone: erased (`candidate.erase`) or deleted (`role.delete`). A
    /// synced system removes its copy.
    pub removed: bool,
    /// When the change was made.
    pub occurred_at: chrono::DateTime<chrono::Utc>,
}

impl From<entity::domain_events::Model> for Change {
    fn from(row: entity::domain_events::Model) -> Self {
        Self {
            cursor: encode_cursor(&row.sequence),
            removed: model::is_removal(&row.name),
            entity_id: crate::graphql::ids::encode(&row.entity_type, row.entity_id),
            action: row.name,
            entity_type: row.entity_type,
            occurred_at: row.created_at,
        }
    }
}

crate::connection_type!(ChangeConnection, ChangeEdge, Change);

/// The change feed.
#[derive(Default)]
pub struct SyncQuery;

#[Object]
impl SyncQuery {
    /// Every change to the candidates, roles and applications the caller may read, oldest
    /// first, erasures and deletions included, which is what an ATS polls to stay in sync.
    /// Pass the last `endCursor` as `after` (keep it while pages come back empty). The feed
    /// follows the order in which changes were committed, so a poller misses nothing and sees
    /// each change once, whatever runs concurrently.
    async fn changes(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "The cursor of the last change already handled.")] after: Option<String>,
    ) -> async_graphql::Result<ChangeConnection> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let visible: Vec<&str> = [
            (Permission::ReadCandidates, "Candidate"),
            (Permission::ReadRoles, "Role"),
            (Permission::ReadApplications, "Application"),
        ]
        .into_iter()
        .filter_map(|(permission, kind)| viewer.can(permission).then_some(kind))
        .collect();
        if visible.is_empty() {
            return Err(AppError::Forbidden.into());
        }
        let args = PageArgs::<i64>::parse(first, after.as_deref(), None, None)?;
        let page = crate::events::service::changes(&request.db, viewer.tenant(), &visible, &args).await?;
        Ok(ChangeConnection::from_page(page, None, |row| encode_cursor(&row.sequence), Change::from))
    }
}

/// A skill name of an imported document the taxonomy does not know; it was not kept.
#[derive(Debug, Clone, SimpleObject)]
pub struct UnknownResumeSkill {
    /// The name as the document gives it.
    pub name: String,
    /// Where, e.g. `["resume", "skills", "2", "keywords", "0"]`.
    pub field: Vec<String>,
    /// Why, with the nearest known names.
    pub message: String,
}

/// Something of an imported document that a candidate has no place for; it was not kept.
#[derive(Debug, Clone, SimpleObject)]
pub struct IgnoredResumeField {
    /// Where, e.g. `["resume", "education"]`.
    pub field: Vec<String>,
    /// Why.
    pub reason: String,
}

fn path(field: &str) -> Vec<String> {
    field.split('.').map(str::to_owned).collect()
}

/// Result of `importJsonResume`.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct ImportJsonResumePayload {
    /// What happened, as for an `upsertCandidates` item; null when refused.
    pub status: Option<UpsertStatus>,
    /// Skill names and keywords the taxonomy does not know (the others were kept).
    pub unknown_skills: Vec<UnknownResumeSkill>,
    /// Parts of the document that were not kept.
    pub ignored: Vec<IgnoredResumeField>,
    /// Why the document was refused (a path into `resume`, or `externalId`); nothing was stored.
    pub user_errors: Vec<UserError>,
    #[graphql(skip)]
    pub candidate_id: Option<Uuid>,
}

#[ComplexObject]
impl ImportJsonResumePayload {
    /// The candidate as it is now; null when refused.
    async fn candidate(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Candidate>> {
        let Some(id) = self.candidate_id else { return Ok(None) };
        Ok(tenant_loader::<CandidateLoader>(ctx)?.load_one(id).await?.map(Candidate::from))
    }
}

/// The sync mutations.
#[derive(Default)]
pub struct SyncMutation;

#[Object]
impl SyncMutation {
    /// Creates or updates up to 1,000 candidates by their external source and id, all in one
    /// transaction, with one result per item in input order. Refused items are reported and the
    /// others applied; a batch sent twice answers UNCHANGED for every item and changes nothing.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn upsert_candidates(
        &self,
        ctx: &Context<'_>,
        input: Vec<CandidateUpsertInput>,
    ) -> async_graphql::Result<UpsertCandidatesPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            model::check_batch_size(input.len())?;
            let items = parse_candidates(&request.db, request.skill_scope, &input).await?;
            service::upsert_candidates(&request.db, viewer, items).await
        };
        let (results, user_errors) = results(outcome.await, |index, done, user_errors| CandidateUpsertResult {
            index,
            status: done.map(|(_, status)| status),
            user_errors,
            candidate_id: done.map(|(id, _)| id),
        })?;
        Ok(UpsertCandidatesPayload { results, user_errors })
    }

    /// Creates or updates the candidate a JSON Resume document (https://jsonresume.org/schema,
    /// at most 256 kB) describes, as one `upsertCandidates` item keyed by (`source`, default
    /// "jsonresume"; `externalId`, default `basics.email` lower-cased): the same
    /// CREATED/UPDATED/UNCHANGED and events, so importing the same document (or its
    /// `Candidate.jsonResume` export) again answers UNCHANGED. Without an `externalId`, a
    /// document whose key names no candidate updates the one holding `basics.email`, so the
    /// export of any candidate imports back onto it. An update keeps what JSON Resume cannot
    /// say (years of experience and skill years that were given, the skills' last use, the
    /// source, and the current title and employer unless the current job is with another
    /// employer). Each job's `keywords` (which exports write) are the skills it used.
    ///
    /// Kept are `basics` (name, label as headline, email, phone, summary, location as
    /// "city, region, countryCode", url and profiles as links), `work` as the work history
    /// (name, position, startDate, endDate, summary, highlights; a year alone starts in January
    /// and ends in December), whose first job without an end date gives the current title and
    /// employer, and `skills`, whose name and each keyword that the taxonomy knows become skills at the
    /// entry's level (Beginner/Novice/Basic 1, Elementary 2, Intermediate/Competent 3,
    /// Advanced/Proficient 4, Master/Expert 5; `1`-`5` as is; `6`-`100` or `%` as a percentage,
    /// a fifth per level; absent 3). Total years of experience come from the work periods,
    /// overlapping periods counted once. A section that is absent keeps what the candidate has
    /// (`work`, `skills`); tags are kept. Not kept (listed in `ignored`) are education, languages,
    /// volunteer, awards, certificates, publications, interests, references, projects, and
    /// values our rules refuse where the schema allows them (a phone with letters, a non-web
    /// link). A document that breaks the published schema, or lacks `basics.name` or a job's
    /// `name`/`startDate`, is refused (BAD_USER_INPUT at the path of the problem) and nothing is
    /// stored.
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn import_json_resume(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The JSON Resume document.")] resume: async_graphql::Json<serde_json::Value>,
        #[graphql(desc = "External source of the candidate (default \"jsonresume\").")] source: Option<String>,
        #[graphql(desc = "Id in that source (default: `basics.email`, lower-cased).")] external_id: Option<String>,
    ) -> async_graphql::Result<ImportJsonResumePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = service::import_json_resume(
            &request.db,
            viewer,
            request.skill_scope,
            &resume.0,
            source.as_deref(),
            external_id.as_deref(),
        )
        .await;
        Ok(match refusals(outcome)? {
            Ok(imported) => ImportJsonResumePayload {
                status: Some(imported.upserted.status.into()),
                unknown_skills: imported
                    .unknown_skills
                    .into_iter()
                    .map(|u| UnknownResumeSkill { field: path(&u.field), name: u.name, message: u.message })
                    .collect(),
                ignored: imported
                    .ignored
                    .into_iter()
                    .map(|i| IgnoredResumeField { field: path(&i.field), reason: i.reason })
                    .collect(),
                user_errors: Vec::new(),
                candidate_id: Some(imported.upserted.id),
            },
            Err(user_errors) => ImportJsonResumePayload {
                status: None,
                unknown_skills: Vec::new(),
                ignored: Vec::new(),
                user_errors,
                candidate_id: None,
            },
        })
    }

    /// Sets a candidate's whole work history (in the candidate's order, at most 50 jobs with at
    /// most 50 highlights and skills each; an empty list clears it), through the same write as
    /// the upsert of `upsertCandidates`. Years derived from the history (left out when the
    /// candidate was written) are derived again from the new one; given years stay. `status` is UPDATED, or
    /// UNCHANGED when the history is the same (nothing written). Refused in `userErrors` are a
    /// job ending before it starts, a skill the taxonomy does not know, too many items (the path of
    /// the first problem; nothing changed), a candidate of another organization (NOT_FOUND), an
    /// erased one (CONFLICT).
    #[graphql(guard = "Require(Permission::WriteCandidates)")]
    async fn set_candidate_employments(
        &self,
        ctx: &Context<'_>,
        input: SetCandidateEmploymentsInput,
    ) -> async_graphql::Result<SetCandidateEmploymentsPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = crate::graphql::ids::decode("Candidate", &input.candidate_id, "input.candidateId")?;
            let field = "input.employments";
            crate::candidates::model::check_employment_count(input.employments.len(), field)?;
            // Lists over the limit are refused before their names are resolved.
            for (i, job) in input.employments.iter().enumerate() {
                if job.skills.len() > MAX_EMPLOYMENT_ITEMS {
                    let message = format!("at most {MAX_EMPLOYMENT_ITEMS} skills");
                    return Err(AppError::bad_input(&format!("{field}.{i}.skills"), message));
                }
            }
            let names = EmploymentInput::skill_names(&input.employments, field);
            let skill_ids = resolve_each(&request.db, request.skill_scope, &names)
                .await?
                .into_iter()
                .map(|found| found.map(|skill| skill.id))
                .collect::<AppResult<Vec<Uuid>>>()?;
            let employments = EmploymentInput::parse_all(&input.employments, &skill_ids, field)?;
            let (row, status) = service::set_employments(&request.db, viewer, id, employments).await?;
            Ok((Candidate::from(row), UpsertStatus::from(status)))
        };
        SetCandidateEmploymentsPayload::from_outcome(
            outcome.await.map_err(|e| e.locating(&[("Candidate", "input.candidateId")])),
        )
    }

    /// Creates or updates up to 1,000 roles with their requirements by their external source
    /// and id, all in one transaction, with one result per item in input order (see
    /// `upsertCandidates`).
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn upsert_roles(
        &self,
        ctx: &Context<'_>,
        input: Vec<RoleUpsertInput>,
    ) -> async_graphql::Result<UpsertRolesPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            model::check_batch_size(input.len())?;
            let items = parse_roles(&request.db, request.skill_scope, &input).await?;
            service::upsert_roles(&request.db, viewer, items).await
        };
        let (results, user_errors) = results(outcome.await, |index, done, user_errors| RoleUpsertResult {
            index,
            status: done.map(|(_, status)| status),
            user_errors,
            role_id: done.map(|(id, _)| id),
        })?;
        Ok(UpsertRolesPayload { results, user_errors })
    }
}
