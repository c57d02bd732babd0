//! Finding possible duplicates and merging them, within the caller's organization.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use entity::{
    ApplicationStage, application_events, applications, candidate_employments, candidate_merges, candidate_skills,
    candidate_tags, candidates, domain_events,
};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use uuid::Uuid;

use super::model::{DuplicateReason, combined, duplicate_wins, phone_spellings, similar_names, untagged_email};
use crate::auth::{Tenant, Viewer};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{CandidatesMerged, DomainEvent};

/// Most candidates of one company compared by name (the company index bounds the read).
const SAME_COMPANY_LIMIT: u64 = 500;
/// Most possible duplicates returned.
pub const MAX_DUPLICATES: usize = 50;

/// A candidate that may be the same person, with every reason found.
#[derive(Debug, Clone)]
pub struct PossibleDuplicate {
    pub candidate: candidates::Model,
    pub reasons: Vec<DuplicateReason>,
}

/// The candidate `id` names now: itself, or the survivor it was merged into.
pub async fn resolve(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<Option<candidates::Model>> {
    if let Some(found) = crate::candidates::service::get(db, tenant, id).await? {
        return Ok(Some(found));
    }
    let Some(survivor) = survivors_of(db, tenant, &[id]).await?.remove(&id) else { return Ok(None) };
    crate::candidates::service::get(db, tenant, survivor).await
}

/// The survivors of those of `ids` that were merged away.
pub async fn survivors_of(db: &impl ConnectionTrait, tenant: Tenant, ids: &[Uuid]) -> AppResult<HashMap<Uuid, Uuid>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(tenant
        .find::<candidate_merges::Entity>()
        .filter(candidate_merges::Column::MergedId.is_in(ids.iter().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.merged_id, row.survivor_id))
        .collect())
}

/// Whether the candidate's personal data was erased (its `candidate.erase` event).
/// Whether the candidate was erased (its erasure event is the record of it).
pub async fn is_erased(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<bool> {
    let found = tenant
        .find::<domain_events::Entity>()
        .select_only()
        .column(domain_events::Column::Id)
        .filter(domain_events::Column::EntityId.eq(id))
        .filter(domain_events::Column::Name.eq("candidate.erase"))
        .into_tuple::<Uuid>()
        .one(db)
        .await?;
    Ok(found.is_some())
}

/// The organization's candidates that may be the same person as `id` (or its survivor), most
/// reasons first. Each check is one indexed lookup; none reads the whole pool.
pub async fn possible_duplicates(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<Vec<PossibleDuplicate>> {
    let candidate = resolve(db, tenant, id).await?.ok_or(AppError::NotFound("Candidate"))?;
    let others = || tenant.find::<candidates::Entity>().filter(candidates::Column::Id.ne(candidate.id));
    let mut found: BTreeMap<Uuid, PossibleDuplicate> = BTreeMap::new();
    let mut note = |rows: Vec<candidates::Model>, reason: DuplicateReason| {
        for row in rows {
            let entry =
                found.entry(row.id).or_insert_with(|| PossibleDuplicate { candidate: row, reasons: Vec::new() });
            if !entry.reasons.contains(&reason) {
                entry.reasons.push(reason);
            }
        }
    };
    if let Some(email) = &candidate.email {
        let spellings: HashSet<String> = [email.clone(), untagged_email(email)].into_iter().collect();
        let rows = others().filter(candidates::Column::Email.is_in(spellings)).all(db).await?;
        note(rows, DuplicateReason::SameEmail);
    }
    if let Some(phone) = &candidate.phone {
        let rows = others().filter(candidates::Column::Phone.is_in(phone_spellings(phone))).all(db).await?;
        note(rows, DuplicateReason::SamePhone);
    }
    if let (Some(source), Some(external_id)) = (&candidate.external_source, &candidate.external_id) {
        let rows: Vec<candidates::Model> = others()
            .filter(candidates::Column::ExternalId.eq(external_id.as_str()))
            .all(db)
            .await?
            .into_iter()
            .filter(|row| row.external_source.as_deref().is_some_and(|other| other.eq_ignore_ascii_case(source)))
            .collect();
        note(rows, DuplicateReason::SameExternalReference);
    }
    if let Some(company) = candidate.current_company.as_deref().filter(|c| !c.trim().is_empty()) {
        let rows: Vec<candidates::Model> = others()
            .filter(candidates::Column::CurrentCompany.eq(company))
            .limit(SAME_COMPANY_LIMIT)
            .all(db)
            .await?
            .into_iter()
            .filter(|row| similar_names(&row.full_name, &candidate.full_name))
            .collect();
        note(rows, DuplicateReason::SimilarNameSameCompany);
    }
    let mut duplicates: Vec<PossibleDuplicate> = found.into_values().collect();
    for duplicate in &mut duplicates {
        duplicate.reasons.sort();
    }
    duplicates.sort_by(|a, b| b.reasons.len().cmp(&a.reasons.len()).then(a.candidate.id.cmp(&b.candidate.id)));
    duplicates.truncate(MAX_DUPLICATES);
    Ok(duplicates)
}

/// An application dropped by a merge: both candidates were in the role's pipeline.
#[derive(Debug, Clone)]
pub struct DroppedApplication {
    pub role_id: Uuid,
    /// The application kept (now the survivor's) and its stage.
    pub kept_application_id: Uuid,
    pub kept_stage: ApplicationStage,
    /// The stage of the application deleted.
    pub dropped_stage: ApplicationStage,
}

/// What a merge did.
#[derive(Debug, Clone)]
pub struct Merge {
    pub survivor: candidates::Model,
    pub duplicate_id: Uuid,
    pub applications_moved: usize,
    pub dropped_applications: Vec<DroppedApplication>,
}

async fn delete_applications(txn: &impl ConnectionTrait, tenant: Tenant, ids: &[Uuid]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    tenant
        .delete_many::<application_events::Entity>()
        .filter(application_events::Column::ApplicationId.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    tenant
        .delete_many::<applications::Entity>()
        .filter(applications::Column::Id.is_in(ids.iter().copied()))
        .exec(txn)
        .await?;
    Ok(())
}

/// Folds `duplicate_id` into `survivor_id` in one transaction: skills (the higher level and
/// years of a skill both hold), tags, work history (appended), applications (one per role: the further one) with their
/// stage history, and the external reference (the survivor's own wins; the duplicate's then
/// stays on the redirect) move to the survivor, whose empty contact fields take the
/// duplicate's; the duplicate is deleted and its id redirected to the survivor. Refused: the
/// same id twice (BAD_USER_INPUT), an id that names no candidate of the organization
/// (NOT_FOUND, alike for both), an erased candidate (CONFLICT). Concurrent merges of the same
/// candidates serialize on their rows: the later one finds one of them gone (NOT_FOUND).
pub async fn merge(
    db: &DatabaseConnection,
    viewer: &Viewer,
    survivor_id: Uuid,
    duplicate_id: Uuid,
) -> AppResult<Merge> {
    if survivor_id == duplicate_id {
        return Err(AppError::bad_input("input.duplicateId", "a candidate cannot be merged into itself"));
    }
    let tenant = viewer.tenant();
    let now = Utc::now();
    let txn = db.begin().await?;
    // First write: bump both rows, which locks them (PostgreSQL) or takes the write lock
    // (SQLite) before anything is read, so concurrent merges of either wait here.
    let bump =
        tenant.update_many::<candidates::Entity>().filter(candidates::Column::Id.is_in([survivor_id, duplicate_id]));
    let bumped =
        crate::versioning::bumped(bump, candidates::Column::Version, candidates::Column::UpdatedAt).exec(&txn).await?;
    if bumped.rows_affected != 2 {
        return Err(AppError::NotFound("Candidate"));
    }
    for id in [survivor_id, duplicate_id] {
        if is_erased(&txn, tenant, id).await? {
            return Err(AppError::Conflict("an erased candidate cannot be merged".to_owned()));
        }
    }
    let survivor =
        crate::candidates::service::get(&txn, tenant, survivor_id).await?.ok_or(AppError::NotFound("Candidate"))?;
    let duplicate =
        crate::candidates::service::get(&txn, tenant, duplicate_id).await?.ok_or(AppError::NotFound("Candidate"))?;

    move_skills(&txn, tenant, survivor_id, duplicate_id).await?;
    move_tags(&txn, tenant, survivor_id, duplicate_id).await?;
    move_employments(&txn, tenant, survivor_id, duplicate_id).await?;
    let (applications_moved, dropped_applications) =
        move_applications(&txn, tenant, survivor_id, duplicate_id, now).await?;

    // Earlier merges into the duplicate now redirect to the survivor (no chains).
    tenant
        .update_many::<candidate_merges::Entity>()
        .col_expr(candidate_merges::Column::SurvivorId, Expr::value(survivor_id))
        .filter(candidate_merges::Column::SurvivorId.eq(duplicate_id))
        .exec(&txn)
        .await?;
    // The duplicate goes first: its email and external reference are unique in the organization.
    tenant.delete_many::<candidates::Entity>().filter(candidates::Column::Id.eq(duplicate_id)).exec(&txn).await?;
    let takes_reference = survivor.external_id.is_none() && duplicate.external_id.is_some();
    candidate_merges::ActiveModel {
        organization_id: Set(tenant.organization_id()),
        merged_id: Set(duplicate_id),
        survivor_id: Set(survivor_id),
        external_source: Set(if takes_reference { None } else { duplicate.external_source.clone() }),
        external_id: Set(if takes_reference { None } else { duplicate.external_id.clone() }),
        merged_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let mut row: candidates::ActiveModel = survivor.clone().into();
    let fill = |column: &mut sea_orm::ActiveValue<Option<String>>, mine: &Option<String>, theirs: &Option<String>| {
        if mine.is_none() && theirs.is_some() {
            *column = Set(theirs.clone());
        }
    };
    fill(&mut row.email, &survivor.email, &duplicate.email);
    fill(&mut row.phone, &survivor.phone, &duplicate.phone);
    fill(&mut row.location, &survivor.location, &duplicate.location);
    fill(&mut row.current_title, &survivor.current_title, &duplicate.current_title);
    fill(&mut row.current_company, &survivor.current_company, &duplicate.current_company);
    fill(&mut row.source, &survivor.source, &duplicate.source);
    if takes_reference {
        row.external_source = Set(duplicate.external_source.clone());
        row.external_id = Set(duplicate.external_id.clone());
    }
    if duplicate.years_experience > survivor.years_experience {
        row.years_experience = Set(duplicate.years_experience);
        row.years_experience_derived = Set(duplicate.years_experience_derived);
    }
    let survivor = if row.is_changed() { tenant.update(row)?.exec(&txn).await? } else { survivor };
    let merged = CandidatesMerged {
        candidate: survivor_id,
        duplicate: duplicate_id,
        applications_moved,
        applications_dropped: dropped_applications.len(),
    };
    events::service::record(&txn, viewer, DomainEvent::CandidatesMerged(merged)).await?;
    txn.commit().await?;
    Ok(Merge { survivor, duplicate_id, applications_moved, dropped_applications })
}

/// The survivors of merges that left these external references on their redirect (the
/// survivor kept its own), locked like the candidates' own ([`Tenant::find_by_external_refs`]):
/// `(source, id) → survivor id`. An ATS still holding a merged candidate's reference updates the
/// survivor.
pub async fn survivors_by_external_refs(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    refs: &[crate::values::ExternalRef],
) -> AppResult<std::collections::HashMap<(String, String), Uuid>> {
    let columns = (candidate_merges::Column::ExternalSource, candidate_merges::Column::ExternalId);
    let rows = tenant
        .find_by_external_refs::<candidate_merges::Entity>(db, refs, columns, |row| {
            row.external_source.as_deref().zip(row.external_id.as_deref())
        })
        .await?;
    Ok(rows.into_iter().filter_map(|row| Some(((row.external_source?, row.external_id?), row.survivor_id))).collect())
}

/// The union of both candidates' skills, now the survivor's; a skill both hold keeps the higher
/// level, years and latest use.
async fn move_skills(
    txn: &impl ConnectionTrait,
    tenant: Tenant,
    survivor_id: Uuid,
    duplicate_id: Uuid,
) -> AppResult<()> {
    // Skills: the union, a skill held by both with the higher level and years.
    let skills = tenant
        .find::<candidate_skills::Entity>()
        .filter(candidate_skills::Column::CandidateId.is_in([survivor_id, duplicate_id]))
        .all(txn)
        .await?;
    let mut merged: BTreeMap<Uuid, candidate_skills::Model> = BTreeMap::new();
    for skill in skills {
        let row = candidate_skills::Model { candidate_id: survivor_id, ..skill };
        merged
            .entry(row.skill_id)
            .and_modify(|held| {
                held.level = Ord::max(held.level, row.level);
                // The years kept stay derived (re-derived as a job lasts) only if they came
                // from a derived value.
                held.years_derived = match row.years.cmp(&held.years) {
                    std::cmp::Ordering::Greater => row.years_derived,
                    std::cmp::Ordering::Equal => held.years_derived && row.years_derived,
                    std::cmp::Ordering::Less => held.years_derived,
                };
                held.years = combined(held.years, row.years);
                held.last_used_year = combined(held.last_used_year, row.last_used_year);
            })
            .or_insert(row);
    }
    tenant
        .delete_many::<candidate_skills::Entity>()
        .filter(candidate_skills::Column::CandidateId.is_in([survivor_id, duplicate_id]))
        .exec(txn)
        .await?;
    if !merged.is_empty() {
        let rows = merged.into_values().map(|row| candidate_skills::ActiveModel {
            candidate_id: Set(row.candidate_id),
            skill_id: Set(row.skill_id),
            organization_id: Set(row.organization_id),
            level: Set(row.level),
            years: Set(row.years),
            years_derived: Set(row.years_derived),
            last_used_year: Set(row.last_used_year),
        });
        candidate_skills::Entity::insert_many(rows.collect::<Vec<_>>()).exec(txn).await?;
    }

    Ok(())
}

/// The union of both candidates' tags, now the survivor's.
async fn move_tags(txn: &impl ConnectionTrait, tenant: Tenant, survivor_id: Uuid, duplicate_id: Uuid) -> AppResult<()> {
    // Tags: the union.
    let tags = tenant
        .find::<candidate_tags::Entity>()
        .filter(candidate_tags::Column::CandidateId.is_in([survivor_id, duplicate_id]))
        .all(txn)
        .await?;
    let held: HashSet<String> = tags.iter().filter(|t| t.candidate_id == survivor_id).map(|t| t.tag.clone()).collect();
    let moved_tags: Vec<String> =
        tags.into_iter().filter(|t| t.candidate_id == duplicate_id && !held.contains(&t.tag)).map(|t| t.tag).collect();
    tenant
        .delete_many::<candidate_tags::Entity>()
        .filter(candidate_tags::Column::CandidateId.eq(duplicate_id))
        .exec(txn)
        .await?;
    if !moved_tags.is_empty() {
        let rows = moved_tags.into_iter().map(|tag| candidate_tags::ActiveModel {
            candidate_id: Set(survivor_id),
            tag: Set(tag),
            organization_id: Set(tenant.organization_id()),
        });
        candidate_tags::Entity::insert_many(rows.collect::<Vec<_>>()).exec(txn).await?;
    }

    Ok(())
}

/// The duplicate's work history, appended to the survivor's; a job the survivor already lists
/// (same company, title and months) is kept once.
async fn move_employments(
    txn: &impl ConnectionTrait,
    tenant: Tenant,
    survivor_id: Uuid,
    duplicate_id: Uuid,
) -> AppResult<()> {
    let mut histories = crate::candidates::service::employments_of(txn, tenant, &[survivor_id, duplicate_id]).await?;
    let theirs = histories.remove(&duplicate_id).unwrap_or_default();
    if theirs.is_empty() {
        return Ok(());
    }
    let mine = histories.remove(&survivor_id).unwrap_or_default();
    let job = |row: &candidate_employments::Model| {
        (row.company.clone(), row.title.clone(), row.start_month.clone(), row.end_month.clone())
    };
    let held: HashSet<_> = mine.iter().map(job).collect();
    let moved: Vec<_> = theirs.into_iter().filter(|row| !held.contains(&job(row))).collect();
    tenant
        .delete_many::<candidate_employments::Entity>()
        .filter(candidate_employments::Column::CandidateId.eq(duplicate_id))
        .exec(txn)
        .await?;
    let first_position = mine.iter().map(|row| usize::try_from(row.position).unwrap_or(0) + 1).max().unwrap_or(0);
    let rows = crate::candidates::service::employment_rows_at(moved, survivor_id, first_position);
    if !rows.is_empty() {
        candidate_employments::Entity::insert_many(rows).exec(txn).await?;
    }
    Ok(())
}

/// Moves the duplicate's applications to the survivor; where both are in one role's pipeline
/// the further application stays. Returns how many moved and which were dropped.
async fn move_applications(
    txn: &impl ConnectionTrait,
    tenant: Tenant,
    survivor_id: Uuid,
    duplicate_id: Uuid,
    now: chrono::DateTime<Utc>,
) -> AppResult<(usize, Vec<DroppedApplication>)> {
    // Applications: one per role, the further one; the other is deleted with its history.
    let pipelines = tenant
        .find::<applications::Entity>()
        .filter(applications::Column::CandidateId.is_in([survivor_id, duplicate_id]))
        .order_by_asc(applications::Column::Id)
        .all(txn)
        .await?;
    let survivors_by_role: HashMap<Uuid, applications::Model> =
        pipelines.iter().filter(|a| a.candidate_id == survivor_id).map(|a| (a.role_id, a.clone())).collect();
    let mut to_delete = Vec::new();
    let mut to_move = Vec::new();
    let mut dropped_applications = Vec::new();
    for application in pipelines.into_iter().filter(|a| a.candidate_id == duplicate_id) {
        match survivors_by_role.get(&application.role_id) {
            None => to_move.push(application.id),
            Some(kept) if duplicate_wins(kept.stage, application.stage) => {
                to_delete.push(kept.id);
                to_move.push(application.id);
                dropped_applications.push(DroppedApplication {
                    role_id: application.role_id,
                    kept_application_id: application.id,
                    kept_stage: application.stage,
                    dropped_stage: kept.stage,
                });
            }
            Some(kept) => {
                to_delete.push(application.id);
                dropped_applications.push(DroppedApplication {
                    role_id: application.role_id,
                    kept_application_id: kept.id,
                    kept_stage: kept.stage,
                    dropped_stage: application.stage,
                });
            }
        }
    }
    delete_applications(txn, tenant, &to_delete).await?;
    if !to_move.is_empty() {
        tenant
            .update_many::<applications::Entity>()
            .col_expr(applications::Column::CandidateId, Expr::value(survivor_id))
            .col_expr(applications::Column::UpdatedAt, Expr::value(now))
            .filter(applications::Column::Id.is_in(to_move.iter().copied()))
            .exec(txn)
            .await?;
    }

    Ok((to_move.len(), dropped_applications))
}
