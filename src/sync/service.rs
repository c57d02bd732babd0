//! Bulk upserts keyed by external reference, in one transaction and a few statements per call:
//! read the rows the batch names (one statement per kind of row), decide per item whether it
//! creates, changes or leaves a row as it is, write all changes together through the owning
//! slice, and record one domain event per change.

use std::collections::HashMap;

use sea_orm::{DatabaseConnection, TransactionTrait};
use uuid::Uuid;

use super::jsonresume::{self, Ignored};
use super::model::{ItemOutcome, UpsertStatus, Upserted, earlier_duplicates};
use super::resume::{WorkPeriod, derive_years};
use crate::auth::{SkillScope, Viewer};
use crate::candidates::model::{NewCandidateSkill, NewEmployment, check_skills};
use crate::candidates::service::{self as candidates, CandidateState, CandidateWrite};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{
    CandidateCreated, CandidateSkillsSet, CandidateUpdated, DomainEvent, RoleCreated, RoleRequirementsSet,
    RoleStatusChanged, RoleUpdated,
};
use crate::roles::service::{self as roles, RoleState, RoleWrite};

/// One item of a candidate batch as parsed: its state, or why it was refused.
pub type CandidateItem = Result<CandidateState, Vec<AppError>>;

/// Upserts candidates by (external source, external id) within the caller's organization.
/// Years an item leaves out are derived from its work history (the given one, or the one the
/// candidate has) and stored with it ([`derive_years`]). An external reference that a merge
/// left on its survivor's redirect (`mergeCandidates`) names the survivor. An item without an
/// external reference, naming one an earlier item named (or the same candidate, through a
/// merge), or taking an email another candidate (or an earlier item) holds is refused; the
/// others are applied. Applying a batch a second time changes nothing: every item answers
/// UNCHANGED, and no row, version or event is written.
pub async fn upsert_candidates(
    db: &DatabaseConnection,
    viewer: &Viewer,
    items: Vec<CandidateItem>,
) -> AppResult<Vec<ItemOutcome>> {
    let tenant = viewer.tenant();
    let mut items = items;
    refuse_duplicates(&mut items);
    let txn = db.begin().await?;
    crate::database::prepare_batch(&txn, tenant.organization_id()).await?;
    let refs: Vec<_> = items.iter().filter_map(|item| item.as_ref().ok()?.candidate.external.clone()).collect();
    let existing = rows_by_external_refs(&txn, tenant, &refs).await?;
    let existing_of = |state: &CandidateState| {
        state.candidate.external.as_ref().and_then(|r| existing.get(&(r.source.clone(), r.id.clone())))
    };
    let same_candidate = earlier_duplicates(items.iter().map(|item| Some(existing_of(item.as_ref().ok()?)?.id)));
    let targets: Vec<TargetedItem> = items
        .into_iter()
        .zip(same_candidate)
        .enumerate()
        .map(|(index, (item, same))| {
            let state = item?;
            if let Some(earlier) = same {
                let message = format!("item {earlier} of this batch names the same candidate (merged into one)");
                return Err(vec![AppError::bad_input(&format!("input.{index}.externalId"), message)]);
            }
            Ok((existing_of(&state).cloned(), state))
        })
        .collect();
    let outcomes = write_candidates(&txn, viewer, targets, chrono::Utc::now().date_naive()).await?;
    txn.commit().await?;
    Ok(outcomes)
}

/// The rows these external references name, locked: the candidates holding them, else the
/// survivors of the merges that left them on a redirect. Two statements (three with redirects).
async fn rows_by_external_refs(
    txn: &impl sea_orm::ConnectionTrait,
    tenant: crate::auth::Tenant,
    refs: &[crate::values::ExternalRef],
) -> AppResult<HashMap<(String, String), entity::candidates::Model>> {
    let mut existing: HashMap<(String, String), entity::candidates::Model> =
        candidates::by_external_refs(txn, tenant, refs)
            .await?
            .into_iter()
            .filter_map(|row| Some(((row.external_source.clone()?, row.external_id.clone()?), row)))
            .collect();
    let missing: Vec<_> =
        refs.iter().filter(|r| !existing.contains_key(&(r.source.clone(), r.id.clone()))).cloned().collect();
    let redirects = crate::duplicates::service::survivors_by_external_refs(txn, tenant, &missing).await?;
    if redirects.is_empty() {
        return Ok(existing);
    }
    let ids: Vec<Uuid> = redirects.values().copied().collect();
    let survivors: HashMap<Uuid, entity::candidates::Model> =
        candidates::by_ids_for_update(txn, tenant, &ids).await?.into_iter().map(|row| (row.id, row)).collect();
    for (reference, survivor) in redirects {
        if let Some(row) = survivors.get(&survivor) {
            existing.insert(reference, row.clone());
        }
    }
    Ok(existing)
}

/// An item of a candidate write: the row it changes (`None`: a new candidate) and its state,
/// or why it was refused.
type TargetedItem = Result<(Option<entity::candidates::Model>, CandidateState), Vec<AppError>>;

/// The one write of candidate states, whoever asks (`upsertCandidates`, `importJsonResume`,
/// `setCandidateEmployments`), inside the caller's transaction after it read (and locked) the
/// rows: refuses emails another candidate holds, derives the years left out from the work
/// histories as of `today`, compares each state with its row (CREATED, UPDATED, UNCHANGED),
/// writes all changes in a few statements and records one event per change.
async fn write_candidates(
    txn: &impl sea_orm::ConnectionTrait,
    viewer: &Viewer,
    items: Vec<TargetedItem>,
    today: chrono::NaiveDate,
) -> AppResult<Vec<ItemOutcome>> {
    let tenant = viewer.tenant();
    let mut items = items;
    let emails: Vec<&str> = items
        .iter()
        .filter_map(|item| item.as_ref().ok()?.1.candidate.email.as_ref().map(crate::accounts::model::Email::as_str))
        .collect();
    let holders = candidates::holders_of_emails(txn, tenant, &emails).await?;
    for (index, item) in items.iter_mut().enumerate() {
        let Ok((existing, state)) = item else { continue };
        let Some(email) = &state.candidate.email else { continue };
        let held_by_another =
            holders.get(email.as_str()).is_some_and(|holder| existing.as_ref().is_none_or(|row| row.id != *holder));
        if held_by_another {
            *item = Err(vec![AppError::bad_input(&format!("input.{index}.email"), "another candidate has this email")]);
        }
    }
    let ids: Vec<Uuid> = items.iter().filter_map(|item| Some(item.as_ref().ok()?.0.as_ref()?.id)).collect();
    let mut skills = candidates::skills_of(txn, tenant, &ids).await?;
    let mut tags = candidates::tags_of(txn, tenant, &ids).await?;
    let mut employments = candidates::employments_of(txn, tenant, &ids).await?;
    let mut outcomes = Vec::with_capacity(items.len());
    let mut writes = Vec::new();
    let mut changes = Vec::new();
    for item in items {
        let (existing, mut state) = match item {
            Ok(target) => target,
            Err(errors) => {
                outcomes.push(Err(errors));
                continue;
            }
        };
        let held = existing.as_ref().and_then(|row| employments.remove(&row.id)).unwrap_or_default();
        let periods: Vec<WorkPeriod> = match &state.employments {
            Some(given) => given.iter().map(|e| WorkPeriod::of_employment(e, today)).collect(),
            None => held.iter().filter_map(|row| WorkPeriod::of_row(row, today)).collect(),
        };
        derive_years(&mut state.candidate, state.years_experience_given, &periods);
        let (write, upserted) = match existing {
            None => {
                let id = Uuid::now_v7();
                let created = CandidateCreated { candidate: id, skills: state.candidate.skills.len() };
                changes.push(DomainEvent::CandidateCreated(created));
                (CandidateWrite::Create { id, state }, Upserted { id, status: UpsertStatus::Created })
            }
            Some(row) => {
                let diff = candidates::diff(
                    &row,
                    &skills.remove(&row.id).unwrap_or_default(),
                    &tags.remove(&row.id).unwrap_or_default(),
                    &held,
                    &state,
                );
                let status = if diff.is_empty() { UpsertStatus::Unchanged } else { UpsertStatus::Updated };
                if !diff.fields.is_empty() {
                    let updated =
                        CandidateUpdated { candidate: row.id, fields: diff.fields.clone(), version: row.version + 1 };
                    changes.push(DomainEvent::CandidateUpdated(updated));
                }
                if diff.skills {
                    let set = CandidateSkillsSet { candidate: row.id, skills: state.candidate.skills.len() };
                    changes.push(DomainEvent::CandidateSkillsSet(set));
                }
                let upserted = Upserted { id: row.id, status };
                (CandidateWrite::Update { existing: Box::new(row), state, diff }, upserted)
            }
        };
        writes.push(write);
        outcomes.push(Ok(upserted));
    }
    crate::database::end_batch_reads(txn).await?;
    candidates::write_batch(txn, tenant, &writes).await?;
    events::service::record_all(txn, viewer, changes).await?;
    Ok(outcomes)
}

/// Sets a candidate's whole work history (at most 50 jobs, checked), through the same write as
/// an upsert: years derived from the history are derived again from the new one (given ones
/// stay), and the answer is UPDATED with its events, or UNCHANGED when the history is the
/// same. NOT_FOUND outside the organization; CONFLICT for an erased candidate. A fixed number
/// of statements, whatever the history's length.
pub async fn set_employments(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    employments: Vec<NewEmployment>,
) -> AppResult<(entity::candidates::Model, UpsertStatus)> {
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    crate::database::prepare_batch(&txn, tenant.organization_id()).await?;
    let row = candidates::by_ids_for_update(&txn, tenant, &[id])
        .await?
        .into_iter()
        .next()
        .ok_or(AppError::NotFound("Candidate"))?;
    if crate::duplicates::service::is_erased(&txn, tenant, id).await? {
        return Err(AppError::Conflict("an erased candidate has no work history".to_owned()));
    }
    let skills = candidates::skills_of(&txn, tenant, &[id]).await?.remove(&id).unwrap_or_default();
    let mut candidate = candidates::stored_candidate(&row, &skills)?;
    // Derived years follow the new history: left out, `derive_years` derives them again.
    for skill in candidate.skills.iter_mut().filter(|skill| skill.years_derived) {
        skill.years = None;
        skill.years_derived = false;
    }
    let state = CandidateState {
        candidate,
        replace_skills: true,
        replace_tags: false,
        employments: Some(employments),
        years_experience_given: !row.years_experience_derived,
    };
    let outcome = write_candidates(&txn, viewer, vec![Ok((Some(row), state))], chrono::Utc::now().date_naive())
        .await?
        .into_iter()
        .next();
    match outcome {
        Some(Ok(upserted)) => {
            let row = candidates::get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Candidate"))?;
            txn.commit().await?;
            Ok((row, upserted.status))
        }
        Some(Err(errors)) => Err(errors.into_iter().next().unwrap_or(AppError::NotFound("Candidate"))),
        None => Err(AppError::Internal(anyhow::anyhow!("a write of one candidate answered none"))),
    }
}

/// Refuses items without an external reference, and items naming an external reference or an
/// email that an earlier item of the batch names.
fn refuse_duplicates(items: &mut [CandidateItem]) {
    let candidate = |item: &CandidateItem| item.as_ref().ok().map(|state| state.candidate.clone());
    let refs = earlier_duplicates(items.iter().map(|i| candidate(i)?.external.map(|r| (r.source, r.id))));
    let emails = earlier_duplicates(items.iter().map(|i| Some(candidate(i)?.email?.as_str().to_owned())));
    for (index, ((item, same_ref), same_email)) in items.iter_mut().zip(refs).zip(emails).enumerate() {
        let Ok(state) = item else { continue };
        let refusal = if state.candidate.external.is_none() {
            Some(AppError::bad_input(&format!("input.{index}.externalId"), "an upsert needs an external source and id"))
        } else if let Some(earlier) = same_ref {
            Some(AppError::bad_input(
                &format!("input.{index}.externalId"),
                format!("item {earlier} of this batch has the same external source and id"),
            ))
        } else {
            same_email.map(|earlier| {
                AppError::bad_input(
                    &format!("input.{index}.email"),
                    format!("item {earlier} of this batch has this email"),
                )
            })
        };
        if let Some(refusal) = refusal {
            *item = Err(vec![refusal]);
        }
    }
}

/// Candidates of one page of the re-derivation pass: a few reads per page, whatever its size.
const REDERIVE_PAGE: u64 = 500;

/// Re-derives, as of `today`, the years that were derived from work histories with a current
/// job (no end), in every organization: such years grow as the job lasts, and filters and
/// matching read the stored value. Each changed candidate is written as a change (version + 1)
/// with its `candidate.update` (`yearsExperience`) and/or `candidate.skills` event, by the
/// server (no actor), so pollers and matching pools see it; a candidate written while the pass
/// ran is left to that write. Reads a page of 500 candidates in four statements; a second
/// pass on the same day changes nothing. Returns how many candidates changed.
pub async fn rederive_years(db: &DatabaseConnection, today: chrono::NaiveDate) -> AppResult<usize> {
    let mut changed = 0;
    for tenant in crate::auth::Tenant::each_for_maintenance(db).await? {
        let mut after = None;
        loop {
            let ids = candidates::with_open_employments(db, tenant, after, REDERIVE_PAGE).await?;
            let Some(last) = ids.last().copied() else { break };
            after = Some(last);
            let rows = candidates::by_ids(db, tenant, &ids).await?;
            let skills = candidates::skills_of(db, tenant, &ids).await?;
            let employments = candidates::employments_of(db, tenant, &ids).await?;
            for row in &rows {
                let held = skills.get(&row.id).map_or(&[][..], Vec::as_slice);
                let jobs = employments.get(&row.id).map_or(&[][..], Vec::as_slice);
                let Some(change) = super::resume::rederive(row, held, jobs, today) else { continue };
                let txn = db.begin().await?;
                if !candidates::write_rederived_years(&txn, tenant, &change).await? {
                    continue;
                }
                let mut recorded = Vec::new();
                if change.years_experience.is_some() {
                    let fields = vec![crate::events::model::CandidateField::YearsExperience];
                    let updated = CandidateUpdated { candidate: row.id, fields, version: row.version + 1 };
                    recorded.push(DomainEvent::CandidateUpdated(updated));
                }
                if !change.skills.is_empty() {
                    let set = CandidateSkillsSet { candidate: row.id, skills: held.len() };
                    recorded.push(DomainEvent::CandidateSkillsSet(set));
                }
                events::service::record_all_by_server(&txn, tenant, recorded).await?;
                txn.commit().await?;
                changed += 1;
            }
            if (ids.len() as u64) < REDERIVE_PAGE {
                break;
            }
        }
    }
    Ok(changed)
}

/// One item of a role batch as parsed: its state, or why it was refused.
pub type RoleItem = Result<RoleState, Vec<AppError>>;

/// Upserts roles with their requirements by (external source, external id) within the
/// caller's organization, like [`upsert_candidates`]. A status moves only as the lifecycle
/// allows (a FILLED role does not reopen); a new role starts DRAFT or OPEN.
pub async fn upsert_roles(
    db: &DatabaseConnection,
    viewer: &Viewer,
    items: Vec<RoleItem>,
) -> AppResult<Vec<ItemOutcome>> {
    let tenant = viewer.tenant();
    let mut items = items;
    let refs = earlier_duplicates(items.iter().map(|item| {
        let external = item.as_ref().ok()?.role.external.as_ref()?;
        Some((external.source.clone(), external.id.clone()))
    }));
    for (index, (item, same_ref)) in items.iter_mut().zip(refs).enumerate() {
        let Ok(state) = item else { continue };
        let field = format!("input.{index}.externalId");
        if state.role.external.is_none() {
            *item = Err(vec![AppError::bad_input(&field, "an upsert needs an external source and id")]);
        } else if let Some(earlier) = same_ref {
            let message = format!("item {earlier} of this batch has the same external source and id");
            *item = Err(vec![AppError::bad_input(&field, message)]);
        }
    }
    let txn = db.begin().await?;
    crate::database::prepare_batch(&txn, tenant.organization_id()).await?;
    let wanted: Vec<_> = items.iter().filter_map(|item| item.as_ref().ok()?.role.external.clone()).collect();
    let existing: HashMap<(String, String), entity::roles::Model> = roles::by_external_refs(&txn, tenant, &wanted)
        .await?
        .into_iter()
        .filter_map(|row| Some(((row.external_source.clone()?, row.external_id.clone()?), row)))
        .collect();
    let ids: Vec<Uuid> = existing.values().map(|row| row.id).collect();
    let mut requirements = roles::requirements_of(&txn, tenant, &ids).await?;
    let mut outcomes = Vec::with_capacity(items.len());
    let (mut writes, mut changes) = (Vec::new(), Vec::new());
    for (index, item) in items.into_iter().enumerate() {
        let state = match item {
            Ok(state) => state,
            Err(errors) => {
                outcomes.push(Err(errors));
                continue;
            }
        };
        let found = state.role.external.as_ref().and_then(|r| existing.get(&(r.source.clone(), r.id.clone())));
        let Some(row) = found else {
            if !crate::roles::model::may_start_as(state.role.status) {
                let field = format!("input.{index}.status");
                outcomes.push(Err(vec![AppError::bad_input(&field, "a new role is DRAFT or OPEN")]));
                continue;
            }
            let id = Uuid::now_v7();
            let created = RoleCreated {
                role: id,
                title: state.role.title.as_str().to_owned(),
                requirements: state.role.requirements.len(),
            };
            changes.push(DomainEvent::RoleCreated(created));
            writes.push(RoleWrite::Create { id, state });
            outcomes.push(Ok(Upserted { id, status: UpsertStatus::Created }));
            continue;
        };
        let current = requirements.remove(&row.id).unwrap_or_default();
        let diff = match roles::diff(row, &current, &state, &format!("input.{index}.status")) {
            Ok(diff) => diff,
            Err(error) => {
                outcomes.push(Err(vec![error]));
                continue;
            }
        };
        if !diff.fields.is_empty() {
            let updated = RoleUpdated { role: row.id, fields: diff.fields.clone(), version: row.version + 1 };
            changes.push(DomainEvent::RoleUpdated(updated));
        }
        if diff.requirements {
            let set = RoleRequirementsSet { role: row.id, requirements: state.role.requirements.len() };
            changes.push(DomainEvent::RoleRequirementsSet(set));
        }
        if let Some((from, to)) = diff.status {
            changes.push(DomainEvent::RoleStatusChanged(RoleStatusChanged { role: row.id, from, to }));
        }
        let status = if diff.is_empty() { UpsertStatus::Unchanged } else { UpsertStatus::Updated };
        outcomes.push(Ok(Upserted { id: row.id, status }));
        writes.push(RoleWrite::Update { existing: Box::new(row.clone()), state, diff });
    }
    crate::database::end_batch_reads(&txn).await?;
    roles::write_batch(&txn, tenant, &writes).await?;
    events::service::record_all(&txn, viewer, changes).await?;
    txn.commit().await?;
    Ok(outcomes)
}

/// A skill name of an imported document that the taxonomy does not know: reported, not kept.
#[derive(Debug, Clone)]
pub struct UnknownSkill {
    pub name: String,
    /// Dotted path in the document (`resume.skills.2.keywords.0`).
    pub field: String,
    /// Why, with the nearest known names.
    pub message: String,
}

/// What an import did: the upsert's outcome, the unknown skill names and what was not kept.
#[derive(Debug, Clone)]
pub struct ResumeImported {
    pub upserted: Upserted,
    pub unknown_skills: Vec<UnknownSkill>,
    pub ignored: Vec<Ignored>,
}

/// Creates or updates the candidate a JSON Resume document describes, through the same write
/// as `upsertCandidates` (same CREATED/UPDATED/UNCHANGED, same events): keyed by (`source`,
/// default "jsonresume"; `external_id`, default `basics.email`), or, without an `external_id`
/// and no candidate of that key, by the candidate holding `basics.email` (so an export of any
/// candidate imports back onto it). What a document cannot say is kept from the candidate it
/// updates ([`keep_unsaid`]). A document that breaks the schema or our rules is refused with
/// the path of the problem and nothing is written. Skill names and keywords (of `skills` and
/// of each job) resolve through the taxonomy (one statement); unknown ones are reported.
pub async fn import_json_resume(
    db: &DatabaseConnection,
    viewer: &Viewer,
    scope: SkillScope,
    document: &serde_json::Value,
    source: Option<&str>,
    external_id: Option<&str>,
) -> AppResult<ResumeImported> {
    jsonresume::validate(document)?;
    let import = jsonresume::read(document, source, external_id)?;
    let wanted = import.skills.as_deref().unwrap_or_default();
    let names: Vec<(String, String)> = wanted
        .iter()
        .map(|s| (s.name.clone(), s.field.clone()))
        .chain(import.work_skills.iter().map(|(_, name, field)| (name.clone(), field.clone())))
        .collect();
    let mut resolved = crate::skills::service::resolve_each(db, scope, &names).await?.into_iter();
    let (mut skills, mut unknown_skills): (Vec<NewCandidateSkill>, Vec<UnknownSkill>) = (Vec::new(), Vec::new());
    let mut unknown = |name: &str, field: &str, error: AppError| match error {
        AppError::BadUserInput { message, .. } => {
            unknown_skills.push(UnknownSkill { name: name.to_owned(), field: field.to_owned(), message });
            Ok(())
        }
        other => Err(other),
    };
    for (wanted, found) in wanted.iter().zip(resolved.by_ref()) {
        match found {
            // A skill named twice (as a name and as a keyword) keeps its highest level.
            Ok(skill) => match skills.iter_mut().find(|held| held.skill_id == skill.id) {
                Some(held) => held.level = held.level.max(wanted.level),
                None => skills.push(NewCandidateSkill {
                    skill_id: skill.id,
                    level: wanted.level,
                    years: None,
                    years_derived: false,
                    last_used_year: None,
                }),
            },
            Err(error) => unknown(&wanted.name, &wanted.field, error)?,
        }
    }
    let mut employments = import.employments;
    for ((job, name, field), found) in import.work_skills.iter().zip(resolved) {
        match found {
            Ok(skill) => {
                let used = employments.as_mut().and_then(|jobs| jobs.get_mut(*job)).map(|job| &mut job.skill_ids);
                if let Some(used) = used.filter(|used| !used.contains(&skill.id)) {
                    used.push(skill.id);
                }
            }
            Err(error) => unknown(name, field, error)?,
        }
    }
    check_skills(&skills, "resume.skills")?;
    let mut candidate = import.candidate;
    candidate.skills = skills;
    let mut state = CandidateState {
        candidate,
        replace_skills: import.skills.is_some(),
        replace_tags: false,
        employments,
        years_experience_given: false,
    };
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    crate::database::prepare_batch(&txn, tenant.organization_id()).await?;
    let keyed = state.candidate.external.clone().into_iter().collect::<Vec<_>>();
    let mut existing = rows_by_external_refs(&txn, tenant, &keyed).await?.into_values().next();
    let email = state.candidate.email.as_ref().map(crate::accounts::model::Email::as_str);
    if let Some(email) = email.filter(|_| existing.is_none() && external_id.is_none())
        && let Some(holder) = candidates::holders_of_emails(&txn, tenant, &[email]).await?.get(email)
    {
        existing = candidates::by_ids_for_update(&txn, tenant, &[*holder]).await?.into_iter().next();
    }
    if let Some(row) = &existing {
        let held = candidates::skills_of(&txn, tenant, &[row.id]).await?.remove(&row.id).unwrap_or_default();
        keep_unsaid(&mut state, row, &held)?;
    }
    let outcome = write_candidates(&txn, viewer, vec![Ok((existing, state))], chrono::Utc::now().date_naive())
        .await?
        .into_iter()
        .next();
    let refused = |errors: Vec<AppError>| {
        errors.into_iter().next().map_or_else(
            || AppError::Internal(anyhow::anyhow!("an import was refused without a reason")),
            |error| match error {
                // The item's fields, as the document names them.
                AppError::BadUserInput { field, message } if field.last().is_some_and(|f| f == "email") => {
                    AppError::bad_input("resume.basics.email", message)
                }
                AppError::BadUserInput { field, message } if field.last().is_some_and(|f| f == "externalId") => {
                    AppError::bad_input("externalId", message)
                }
                other => other,
            },
        )
    };
    match outcome {
        Some(Ok(upserted)) => {
            txn.commit().await?;
            Ok(ResumeImported { upserted, unknown_skills, ignored: import.ignored })
        }
        Some(Err(errors)) => Err(refused(errors)),
        None => Err(AppError::Internal(anyhow::anyhow!("an import of one item answered none"))),
    }
}

/// Keeps in `state` what a JSON Resume document cannot say about the candidate `row` it
/// updates: years of experience and skill years that were given rather than derived (with the
/// skills' last use), the source, and the current title and employer unless the document's
/// current job is with another employer.
fn keep_unsaid(
    state: &mut CandidateState,
    row: &entity::candidates::Model,
    held: &[entity::candidate_skills::Model],
) -> AppResult<()> {
    let stored = candidates::stored_candidate(row, held)?;
    let candidate = &mut state.candidate;
    if !row.years_experience_derived {
        candidate.years_experience = stored.years_experience;
        state.years_experience_given = true;
    }
    candidate.source = stored.source;
    let current_job = state.employments.as_deref().unwrap_or_default().iter().find(|job| job.end.is_none());
    let moved = current_job.is_some_and(|job| Some(job.company.as_str()) != row.current_company.as_deref());
    if !moved {
        candidate.current_title = stored.current_title;
        candidate.current_company = stored.current_company;
    }
    for skill in &mut candidate.skills {
        if let Some(kept) = stored.skills.iter().find(|kept| kept.skill_id == skill.skill_id) {
            if !kept.years_derived {
                skill.years = kept.years;
            }
            skill.last_used_year = kept.last_used_year;
        }
    }
    Ok(())
}
