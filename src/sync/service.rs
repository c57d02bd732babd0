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
use crate::candidates::model::{NewCandidateSkill, check_skills};
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
/// candidate has) and stored with it ([`derive_years`]). An item without an external reference, naming one an earlier item named, or taking an email
/// another candidate (or an earlier item) holds is refused; the others are applied. Applying a
/// batch a second time changes nothing: every item answers UNCHANGED, and no row, version or
/// event is written.
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
    let existing: HashMap<(String, String), entity::candidates::Model> =
        candidates::by_external_refs(&txn, tenant, &refs)
            .await?
            .into_iter()
            .filter_map(|row| Some(((row.external_source.clone()?, row.external_id.clone()?), row)))
            .collect();
    let existing_of = |state: &CandidateState| {
        state.candidate.external.as_ref().and_then(|r| existing.get(&(r.source.clone(), r.id.clone())))
    };
    let emails: Vec<&str> = items
        .iter()
        .filter_map(|item| item.as_ref().ok()?.candidate.email.as_ref().map(crate::accounts::model::Email::as_str))
        .collect();
    let holders = candidates::holders_of_emails(&txn, tenant, &emails).await?;
    let mut refused: HashMap<usize, AppError> = HashMap::new();
    for (index, item) in items.iter().enumerate() {
        let Ok(state) = item else { continue };
        let Some(email) = &state.candidate.email else { continue };
        let held_by_another =
            holders.get(email.as_str()).is_some_and(|holder| existing_of(state).is_none_or(|row| row.id != *holder));
        if held_by_another {
            refused.insert(
                index,
                AppError::bad_input(&format!("input.{index}.email"), "another candidate has this email"),
            );
        }
    }
    for (index, error) in refused {
        if let Some(item) = items.get_mut(index) {
            *item = Err(vec![error]);
        }
    }
    let ids: Vec<Uuid> = existing.values().map(|row| row.id).collect();
    let mut skills = candidates::skills_of(&txn, tenant, &ids).await?;
    let mut tags = candidates::tags_of(&txn, tenant, &ids).await?;
    let mut employments = candidates::employments_of(&txn, tenant, &ids).await?;
    let today = chrono::Utc::now().date_naive();
    let mut outcomes = Vec::with_capacity(items.len());
    let mut writes = Vec::new();
    let mut changes = Vec::new();
    for item in items {
        let mut state = match item {
            Ok(state) => state,
            Err(errors) => {
                outcomes.push(Err(errors));
                continue;
            }
        };
        let held = existing_of(&state).and_then(|row| employments.remove(&row.id)).unwrap_or_default();
        let periods: Vec<WorkPeriod> = match &state.employments {
            Some(given) => given.iter().map(|e| WorkPeriod::of_employment(e, today)).collect(),
            None => held.iter().filter_map(|row| WorkPeriod::of_row(row, today)).collect(),
        };
        derive_years(&mut state.candidate, state.years_experience_given, &periods);
        let (write, upserted) = match existing_of(&state) {
            None => {
                let id = Uuid::now_v7();
                let created = CandidateCreated { candidate: id, skills: state.candidate.skills.len() };
                changes.push(DomainEvent::CandidateCreated(created));
                (CandidateWrite::Create { id, state }, Upserted { id, status: UpsertStatus::Created })
            }
            Some(row) => {
                let diff = candidates::diff(
                    row,
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
                (CandidateWrite::Update { existing: Box::new(row.clone()), state, diff }, upserted)
            }
        };
        writes.push(write);
        outcomes.push(Ok(upserted));
    }
    candidates::write_batch(&txn, tenant, &writes).await?;
    events::service::record_all(&txn, viewer, changes).await?;
    txn.commit().await?;
    Ok(outcomes)
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

/// Creates or updates the candidate a JSON Resume document describes, through the same upsert
/// as `upsertCandidates` (same CREATED/UPDATED/UNCHANGED, same events): keyed by (`source`,
/// default "jsonresume"; `external_id`, default `basics.email`). A document that breaks the
/// schema or our rules is refused with the path of the problem and nothing is written. Skill
/// names and keywords resolve through the taxonomy (one statement); unknown ones are reported.
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
    let names: Vec<(String, String)> = wanted.iter().map(|s| (s.name.clone(), s.field.clone())).collect();
    let resolved = crate::skills::service::resolve_each(db, scope, &names).await?;
    let (mut skills, mut unknown_skills): (Vec<NewCandidateSkill>, Vec<UnknownSkill>) = (Vec::new(), Vec::new());
    for (wanted, found) in wanted.iter().zip(resolved) {
        match found {
            // A skill named twice (as a name and as a keyword) keeps its highest level.
            Ok(skill) => match skills.iter_mut().find(|held| held.skill_id == skill.id) {
                Some(held) => held.level = held.level.max(wanted.level),
                None => skills.push(NewCandidateSkill {
                    skill_id: skill.id,
                    level: wanted.level,
                    years: None,
                    last_used_year: None,
                }),
            },
            Err(AppError::BadUserInput { message, .. }) => {
                unknown_skills.push(UnknownSkill { name: wanted.name.clone(), field: wanted.field.clone(), message });
            }
            Err(other) => return Err(other),
        }
    }
    check_skills(&skills, "resume.skills")?;
    let mut candidate = import.candidate;
    candidate.skills = skills;
    let state = CandidateState {
        candidate,
        replace_skills: import.skills.is_some(),
        replace_tags: false,
        employments: import.employments,
        years_experience_given: false,
    };
    let outcome = upsert_candidates(db, viewer, vec![Ok(state)]).await?.into_iter().next();
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
        Some(Ok(upserted)) => Ok(ResumeImported { upserted, unknown_skills, ignored: import.ignored }),
        Some(Err(errors)) => Err(refused(errors)),
        None => Err(AppError::Internal(anyhow::anyhow!("an import of one item answered none"))),
    }
}
