//! Candidates: queries and rules over sea-orm. Every function takes the caller's tenant (or the
//! viewer, for changes, which also writes the audit trail).

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use entity::{
    CandidateStatus, application_events, applications, candidate_employments, candidate_skills, candidate_tags,
    candidates,
};
use migration::unique_indexes::{CANDIDATES_EMAIL, CANDIDATES_EXTERNAL};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use uuid::Uuid;

use super::model::{CandidateChanges, Link, NewCandidate, NewCandidateSkill, NewEmployment, Tag, check_skills};
use crate::auth::{Tenant, Viewer};
use crate::database::rows::{Positional, ReadPositional};
use crate::error::{AppError, AppResult};
use crate::events;
use crate::events::model::{
    CandidateArchived, CandidateCreated, CandidateErased, CandidateField, CandidateSkillsSet, CandidateUpdated,
    DomainEvent,
};
use crate::pagination::{Page, PageArgs, fetch_page};
use crate::values::{ExternalRef, SearchText, Text};
use crate::versioning::{self, PartialUpdate};

/// A skill with a minimum level, as candidate filters use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SkillAtLeast {
    pub skill_id: Uuid,
    pub min_level: i16,
}

/// Filters of the candidates list; empty lists mean "any".
#[derive(Debug, Clone, Default)]
pub struct CandidateFilter {
    pub search: Option<SearchText>,
    pub has_all_skills: Vec<SkillAtLeast>,
    pub has_any_skills: Vec<SkillAtLeast>,
    pub min_years_experience: Option<i32>,
    pub location: Option<SearchText>,
    pub source: Option<String>,
    pub tags: Vec<String>,
    pub statuses: Vec<CandidateStatus>,
    pub created_since: Option<DateTime<Utc>>,
    pub updated_since: Option<DateTime<Utc>>,
}

/// What the candidates list is sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateOrderField {
    CreatedAt,
    UpdatedAt,
    FullName,
    YearsExperience,
}

/// The position of a candidate in a sorted list: also its cursor.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub enum CandidateCursor {
    CreatedAt(DateTime<Utc>, Uuid),
    UpdatedAt(DateTime<Utc>, Uuid),
    FullName(String, Uuid),
    YearsExperience(i32, Uuid),
}

impl CandidateCursor {
    /// The cursor of `candidate` in a list sorted by `field`.
    #[must_use]
    pub fn of(candidate: &candidates::Model, field: CandidateOrderField) -> Self {
        match field {
            CandidateOrderField::CreatedAt => Self::CreatedAt(candidate.created_at, candidate.id),
            CandidateOrderField::UpdatedAt => Self::UpdatedAt(candidate.updated_at, candidate.id),
            CandidateOrderField::FullName => Self::FullName(candidate.full_name.clone(), candidate.id),
            CandidateOrderField::YearsExperience => Self::YearsExperience(candidate.years_experience, candidate.id),
        }
    }
}

fn having_skill(tenant: Tenant, condition: Condition) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(candidate_skills::Column::CandidateId)
        .from(candidate_skills::Entity)
        .and_where(Expr::col(candidate_skills::Column::OrganizationId).eq(tenant.organization_id()))
        .cond_where(condition)
        .to_owned()
}

fn skill_condition(skill: SkillAtLeast) -> Condition {
    Condition::all()
        .add(Expr::col(candidate_skills::Column::SkillId).eq(skill.skill_id))
        .add(Expr::col(candidate_skills::Column::Level).gte(skill.min_level))
}

fn filtered(tenant: Tenant, filter: &CandidateFilter) -> sea_orm::Select<candidates::Entity> {
    let mut select = tenant.find::<candidates::Entity>();
    if let Some(search) = &filter.search {
        select = select.filter(search.matches_folded((candidates::Entity, candidates::Column::SearchText)));
    }
    for skill in &filter.has_all_skills {
        select = select.filter(candidates::Column::Id.in_subquery(having_skill(tenant, skill_condition(*skill))));
    }
    if !filter.has_any_skills.is_empty() {
        let any = filter.has_any_skills.iter().fold(Condition::any(), |c, s| c.add(skill_condition(*s)));
        select = select.filter(candidates::Column::Id.in_subquery(having_skill(tenant, any)));
    }
    if let Some(years) = filter.min_years_experience {
        // `years + 0`: a filter the list checks on the rows it walks in the requested order,
        // not an index range. SQLite cannot size a range (no histograms) and, given one, sorts
        // every matching row of the organization for a page of 20; most candidates match.
        let years_plus_zero = Expr::col((candidates::Entity, candidates::Column::YearsExperience)).add(0);
        select = select.filter(years_plus_zero.gte(years));
    }
    if let Some(location) = &filter.location {
        select = select.filter(location.matches((candidates::Entity, candidates::Column::Location)));
    }
    if let Some(source) = &filter.source {
        select = select.filter(candidates::Column::Source.eq(source.as_str()));
    }
    for tag in &filter.tags {
        let tagged = Query::select()
            .column(candidate_tags::Column::CandidateId)
            .from(candidate_tags::Entity)
            .and_where(Expr::col(candidate_tags::Column::OrganizationId).eq(tenant.organization_id()))
            .and_where(Expr::col(candidate_tags::Column::Tag).eq(tag.as_str()))
            .to_owned();
        select = select.filter(candidates::Column::Id.in_subquery(tagged));
    }
    if !filter.statuses.is_empty() {
        select = select.filter(candidates::Column::Status.is_in(filter.statuses.clone()));
    }
    if let Some(since) = filter.created_since {
        select = select.filter(candidates::Column::CreatedAt.gte(since));
    }
    if let Some(since) = filter.updated_since {
        select = select.filter(candidates::Column::UpdatedAt.gte(since));
    }
    select
}

/// One page of candidates.
pub async fn list(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    filter: &CandidateFilter,
    order: CandidateOrderField,
    descending: bool,
    args: PageArgs<CandidateCursor>,
) -> AppResult<Page<candidates::Model>> {
    let select = filtered(tenant, filter);
    macro_rules! page {
        ($column:expr, $pattern:pat => $key:expr) => {{
            let args = args.map_cursors(|c| match c {
                $pattern => Some($key),
                _ => None,
            })?;
            let mut cursor = select.cursor_by(($column, candidates::Column::Id));
            if descending {
                cursor.desc();
            }
            Ok(fetch_page(cursor.into_model::<Positional<candidates::Model>>(), &args, db)
                .await?
                .map(Positional::into_inner))
        }};
    }
    match order {
        CandidateOrderField::CreatedAt => {
            page!(candidates::Column::CreatedAt, CandidateCursor::CreatedAt(at, id) => (at, id))
        }
        CandidateOrderField::UpdatedAt => {
            page!(candidates::Column::UpdatedAt, CandidateCursor::UpdatedAt(at, id) => (at, id))
        }
        CandidateOrderField::FullName => {
            page!(candidates::Column::FullName, CandidateCursor::FullName(name, id) => (name, id))
        }
        CandidateOrderField::YearsExperience => {
            page!(candidates::Column::YearsExperience, CandidateCursor::YearsExperience(years, id) => (years, id))
        }
    }
}

/// How many candidates match.
pub async fn count(db: &impl ConnectionTrait, tenant: Tenant, filter: &CandidateFilter) -> AppResult<u64> {
    Ok(filtered(tenant, filter).count(db).await?)
}

/// The candidate with this id in the organization.
pub async fn get(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<Option<candidates::Model>> {
    Ok(tenant.find_by_id::<candidates::Entity>(id).one(db).await?)
}

/// The candidates with these ids in the organization.
pub async fn by_ids(db: &impl ConnectionTrait, tenant: Tenant, ids: &[Uuid]) -> AppResult<Vec<candidates::Model>> {
    Ok(tenant
        .find::<candidates::Entity>()
        .filter(candidates::Column::Id.is_in(ids.iter().copied()))
        .all_positional(db)
        .await?)
}

/// The candidates with these ids in the organization, locked until the transaction ends on
/// PostgreSQL (SQLite serializes writers), for a write that compares against them.
pub async fn by_ids_for_update(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    ids: &[Uuid],
) -> AppResult<Vec<candidates::Model>> {
    use sea_orm::QuerySelect;
    Ok(tenant
        .find::<candidates::Entity>()
        .filter(candidates::Column::Id.is_in(ids.iter().copied()))
        .lock_exclusive()
        .all(db)
        .await?)
}

/// The candidate `row` with its `skills` as a checked value (tags left empty), so that a write
/// of one part restates the rest as it is, through the same write as a sync. Stored values
/// passed these checks when written; one that no longer does is an internal error.
pub fn stored_candidate(row: &candidates::Model, skills: &[candidate_skills::Model]) -> AppResult<NewCandidate> {
    use super::model::{Phone, UsedYear};
    use crate::values::{LongText, SkillLevel, Years};
    let parsed = || -> AppResult<NewCandidate> {
        let links = row
            .links
            .as_array()
            .into_iter()
            .flatten()
            .map(|link| {
                Link::parse(
                    link["label"].as_str().unwrap_or_default(),
                    link["url"].as_str().unwrap_or_default(),
                    "links",
                )
            })
            .collect::<AppResult<Vec<_>>>()?;
        let skills = skills
            .iter()
            .map(|s| {
                Ok(NewCandidateSkill {
                    skill_id: s.skill_id,
                    level: SkillLevel::parse(i32::from(s.level), "skills.level")?,
                    years: s.years.map(|y| Years::parse(y, "skills.years")).transpose()?,
                    years_derived: s.years_derived,
                    last_used_year: s.last_used_year.map(|y| UsedYear::parse(y, "skills.lastUsedYear")).transpose()?,
                })
            })
            .collect::<AppResult<Vec<_>>>()?;
        Ok(NewCandidate {
            full_name: Text::parse(&row.full_name, "fullName")?,
            email: row.email.as_deref().map(|e| crate::accounts::model::Email::parse(e, "email")).transpose()?,
            phone: row.phone.as_deref().map(|p| Phone::parse(p, "phone")).transpose()?,
            location: Text::parse_optional(row.location.as_deref(), "location")?,
            headline: Text::parse_optional(row.headline.as_deref(), "headline")?,
            summary: row.summary.as_deref().map(|s| LongText::parse(s, "summary")).transpose()?,
            years_experience: Years::parse(row.years_experience, "yearsExperience")?,
            years_experience_derived: row.years_experience_derived,
            current_title: Text::parse_optional(row.current_title.as_deref(), "currentTitle")?,
            current_company: Text::parse_optional(row.current_company.as_deref(), "currentCompany")?,
            links,
            source: Text::parse_optional(row.source.as_deref(), "source")?,
            external: ExternalRef::parse(
                row.external_source.as_deref(),
                row.external_id.as_deref(),
                "externalSource",
                "externalId",
            )?,
            tags: Vec::new(),
            skills,
        })
    };
    parsed().map_err(|error| {
        AppError::Internal(anyhow::anyhow!("candidate {} holds a value our rules now refuse: {error:?}", row.id))
    })
}

/// The skills of each candidate, highest level first.
pub async fn skills_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<candidate_skills::Model>>> {
    let rows = tenant
        .find::<candidate_skills::Entity>()
        .filter(candidate_skills::Column::CandidateId.is_in(ids.iter().copied()))
        .order_by_desc(candidate_skills::Column::Level)
        .order_by_asc(candidate_skills::Column::SkillId)
        .all_positional(db)
        .await?;
    Ok(crate::database::group_rows(rows, |row| (row.candidate_id, row)))
}

/// The tags of each candidate, alphabetical. Sorted here, not in SQL: an `ORDER BY tag` makes
/// the organization-wide tag index (already in tag order) look cheaper to SQLite than the
/// candidate lookup, and reads every tag of the organization.
pub async fn tags_of(db: &impl ConnectionTrait, tenant: Tenant, ids: &[Uuid]) -> AppResult<HashMap<Uuid, Vec<String>>> {
    let rows = tenant
        .find::<candidate_tags::Entity>()
        .filter(candidate_tags::Column::CandidateId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut tags = crate::database::group_rows(rows, |row| (row.candidate_id, row.tag));
    for list in tags.values_mut() {
        list.sort_unstable();
    }
    Ok(tags)
}

/// The work history of each candidate, in the candidate's order.
pub async fn employments_of(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<candidate_employments::Model>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = tenant
        .find::<candidate_employments::Entity>()
        .filter(candidate_employments::Column::CandidateId.is_in(ids.iter().copied()))
        .order_by_asc(candidate_employments::Column::CandidateId)
        .order_by_asc(candidate_employments::Column::Position)
        .all(db)
        .await?;
    Ok(crate::database::group_rows(rows, |row| (row.candidate_id, row)))
}

/// The skill ids an employment row lists (ids that do not parse are skipped: rows are only
/// written from checked values).
#[must_use]
pub fn employment_skill_ids(row: &candidate_employments::Model) -> Vec<Uuid> {
    row.skill_ids.as_array().into_iter().flatten().filter_map(|id| id.as_str()?.parse().ok()).collect()
}

/// The highlights an employment row lists.
#[must_use]
pub fn employment_highlights(row: &candidate_employments::Model) -> Vec<String> {
    row.highlights.as_array().into_iter().flatten().filter_map(|h| h.as_str().map(str::to_owned)).collect()
}

/// The row `employment` is stored as, at `position` of candidate `id`'s history.
fn employment_model(
    organization_id: Uuid,
    id: Uuid,
    position: usize,
    employment: &NewEmployment,
) -> candidate_employments::Model {
    candidate_employments::Model {
        candidate_id: id,
        position: i16::try_from(position).unwrap_or(i16::MAX),
        organization_id,
        company: employment.company.as_str().to_owned(),
        title: employment.title.as_ref().map(|t| t.as_str().to_owned()),
        start_month: employment.start.as_text(),
        end_month: employment.end.map(super::model::YearMonth::as_text),
        summary: employment.summary.as_ref().map(|s| s.as_str().to_owned()),
        highlights: Value::Array(employment.highlights.iter().map(|h| Value::from(h.as_str())).collect()),
        skill_ids: Value::Array(employment.skill_ids.iter().map(|id| Value::from(id.to_string())).collect()),
    }
}

fn employment_row(model: candidate_employments::Model) -> candidate_employments::ActiveModel {
    candidate_employments::ActiveModel {
        candidate_id: Set(model.candidate_id),
        position: Set(model.position),
        organization_id: Set(model.organization_id),
        company: Set(model.company),
        title: Set(model.title),
        start_month: Set(model.start_month),
        end_month: Set(model.end_month),
        summary: Set(model.summary),
        highlights: Set(model.highlights),
        skill_ids: Set(model.skill_ids),
    }
}

/// Rows of employments moved to candidate `id` from `position` on (a merge appends the
/// duplicate's history to the survivor's).
#[must_use]
pub fn employment_rows_at(
    rows: Vec<candidate_employments::Model>,
    id: Uuid,
    first_position: usize,
) -> Vec<candidate_employments::ActiveModel> {
    rows.into_iter()
        .enumerate()
        .map(|(i, row)| {
            let position = i16::try_from(first_position + i).unwrap_or(i16::MAX);
            employment_row(candidate_employments::Model { candidate_id: id, position, ..row })
        })
        .collect()
}

fn links_json(links: &[Link]) -> Value {
    Value::Array(links.iter().map(|link| json!({ "label": link.label, "url": link.url })).collect())
}

fn skill_row(tenant: Tenant, id: Uuid, s: &NewCandidateSkill) -> candidate_skills::ActiveModel {
    candidate_skills::ActiveModel {
        candidate_id: Set(id),
        skill_id: Set(s.skill_id),
        organization_id: Set(tenant.organization_id()),
        level: Set(s.level.get()),
        years: Set(s.years.map(crate::values::Years::get)),
        years_derived: Set(s.years_derived),
        last_used_year: Set(s.last_used_year.map(super::model::UsedYear::get)),
    }
}

fn tag_row(tenant: Tenant, id: Uuid, tag: &Tag) -> candidate_tags::ActiveModel {
    candidate_tags::ActiveModel {
        candidate_id: Set(id),
        tag: Set(tag.as_str().to_owned()),
        organization_id: Set(tenant.organization_id()),
    }
}

async fn insert_skills(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
    skills: &[NewCandidateSkill],
) -> AppResult<()> {
    if skills.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = skills.iter().map(|s| skill_row(tenant, id, s)).collect();
    candidate_skills::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

async fn insert_tags(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid, tags: &[Tag]) -> AppResult<()> {
    if tags.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = tags.iter().map(|t| tag_row(tenant, id, t)).collect();
    candidate_tags::Entity::insert_many(rows).exec(db).await?;
    Ok(())
}

/// A unique violation on a candidate as a refusal at the field it concerns.
fn refuse_duplicate(error: sea_orm::DbErr) -> AppError {
    AppError::refusing_duplicates(
        error,
        &[
            (CANDIDATES_EXTERNAL, "input.externalId", "another candidate has this external source and id"),
            (CANDIDATES_EMAIL, "input.email", "another candidate has this email"),
        ],
    )
}

/// The row of `candidate` under `id`, with its search text.
fn candidate_row(
    tenant: Tenant,
    id: Uuid,
    candidate: &NewCandidate,
    now: DateTime<Utc>,
    version: i32,
) -> candidates::ActiveModel {
    let text = |t: &Option<Text<200>>| t.as_ref().map(|t| t.as_str().to_owned());
    candidates::ActiveModel {
        id: Set(id),
        organization_id: Set(tenant.organization_id()),
        search_text: Set(search_text_of(candidate)),
        full_name: Set(candidate.full_name.as_str().to_owned()),
        email: Set(candidate.email.as_ref().map(|e| e.as_str().to_owned())),
        phone: Set(candidate.phone.as_ref().map(|p| p.as_str().to_owned())),
        location: Set(text(&candidate.location)),
        headline: Set(candidate.headline.as_ref().map(|t| t.as_str().to_owned())),
        summary: Set(candidate.summary.as_ref().map(|t| t.as_str().to_owned())),
        years_experience: Set(candidate.years_experience.get()),
        years_experience_derived: Set(candidate.years_experience_derived),
        current_title: Set(text(&candidate.current_title)),
        current_company: Set(text(&candidate.current_company)),
        links: Set(links_json(&candidate.links)),
        source: Set(candidate.source.as_ref().map(|t| t.as_str().to_owned())),
        external_source: Set(candidate.external.as_ref().map(|e| e.source.clone())),
        external_id: Set(candidate.external.as_ref().map(|e| e.id.clone())),
        status: Set(CandidateStatus::Active),
        created_at: Set(now),
        updated_at: Set(now),
        version: Set(version),
    }
}

fn search_text_of(candidate: &NewCandidate) -> String {
    migration::search_text::of_fields(&[
        Some(candidate.full_name.as_str()),
        candidate.headline.as_ref().map(Text::as_str),
        candidate.summary.as_ref().map(crate::values::LongText::as_str),
    ])
}

/// Creates a candidate with skills and tags, all or nothing.
pub async fn create(db: &DatabaseConnection, viewer: &Viewer, candidate: NewCandidate) -> AppResult<candidates::Model> {
    check_skills(&candidate.skills, "input.skills")?;
    let tenant = viewer.tenant();
    let id = Uuid::now_v7();
    let txn = db.begin().await?;
    let row = candidate_row(tenant, id, &candidate, Utc::now(), 1).insert(&txn).await.map_err(refuse_duplicate)?;
    insert_skills(&txn, tenant, id, &candidate.skills).await?;
    insert_tags(&txn, tenant, id, &candidate.tags).await?;
    let created = CandidateCreated { candidate: id, skills: candidate.skills.len() };
    events::service::record(&txn, viewer, DomainEvent::CandidateCreated(created)).await?;
    txn.commit().await?;
    Ok(row)
}

/// Bumps the candidate's version as the transaction's first write, checking `expected_version`.
async fn bump_version(
    txn: &impl ConnectionTrait,
    tenant: Tenant,
    id: Uuid,
    expected_version: Option<i32>,
    extra: impl FnOnce(sea_orm::UpdateMany<candidates::Entity>) -> sea_orm::UpdateMany<candidates::Entity>,
) -> AppResult<()> {
    let update = extra(tenant.update_many::<candidates::Entity>().filter(candidates::Column::Id.eq(id)));
    let changed =
        versioning::bump(txn, update, candidates::Column::Version, candidates::Column::UpdatedAt, expected_version)
            .await
            .map_err(refuse_duplicate)?;
    if changed {
        return Ok(());
    }
    Err(versioning::stale_or_missing(get(txn, tenant, id).await?.map(|row| row.version), "candidate", "Candidate"))
}

/// Applies a partial update; a stale `expected_version` is refused with CONFLICT.
pub async fn update(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    changes: CandidateChanges,
    expected_version: Option<i32>,
) -> AppResult<candidates::Model> {
    let tenant = viewer.tenant();
    let mut touched_fields: Vec<CandidateField> = Vec::new();
    let tags = changes.tags.clone();
    let years_given = changes.years_experience.is_some();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, id, expected_version, |update| {
        use CandidateField as F;
        use candidates::Column as C;
        let (update, fields) = PartialUpdate::new(update)
            .set(changes.full_name, F::FullName, C::FullName, Text::into_inner)
            .set(changes.email, F::Email, C::Email, |v| v.map(|e| e.as_str().to_owned()))
            .set(changes.phone, F::Phone, C::Phone, |v| v.map(super::model::Phone::into_inner))
            .set(changes.location, F::Location, C::Location, |v| v.map(Text::into_inner))
            .set(changes.headline, F::Headline, C::Headline, |v| v.map(Text::into_inner))
            .set(changes.summary, F::Summary, C::Summary, |v| v.map(crate::values::LongText::into_inner))
            .set(changes.years_experience, F::YearsExperience, C::YearsExperience, crate::values::Years::get)
            .set(changes.current_title, F::CurrentTitle, C::CurrentTitle, |v| v.map(Text::into_inner))
            .set(changes.current_company, F::CurrentCompany, C::CurrentCompany, |v| v.map(Text::into_inner))
            .set(changes.links, F::Links, C::Links, |v| links_json(&v))
            .set(changes.source, F::Source, C::Source, |v| v.map(Text::into_inner))
            .finish();
        touched_fields = fields;
        // Years a person sets are theirs: no longer re-derived from the work history.
        if years_given { update.col_expr(C::YearsExperienceDerived, Expr::value(false)) } else { update }
    })
    .await?;
    if let Some(tags) = tags {
        tenant
            .delete_many::<candidate_tags::Entity>()
            .filter(candidate_tags::Column::CandidateId.eq(id))
            .exec(&txn)
            .await?;
        insert_tags(&txn, tenant, id, &tags).await?;
        touched_fields.push(CandidateField::Tags);
    }
    let candidate = refresh_search_text(&txn, tenant, id).await?;
    let updated = CandidateUpdated { candidate: id, fields: touched_fields, version: candidate.version };
    events::service::record(&txn, viewer, DomainEvent::CandidateUpdated(updated)).await?;
    txn.commit().await?;
    Ok(candidate)
}

/// Recomputes a candidate's stored search text after a change; returns the row.
async fn refresh_search_text(txn: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<candidates::Model> {
    let candidate = get(txn, tenant, id).await?.ok_or(AppError::NotFound("Candidate"))?;
    let text = migration::search_text::of_fields(&[
        Some(candidate.full_name.as_str()),
        candidate.headline.as_deref(),
        candidate.summary.as_deref(),
    ]);
    if text == candidate.search_text {
        return Ok(candidate);
    }
    let mut row: candidates::ActiveModel = candidate.into();
    row.search_text = Set(text);
    Ok(tenant.update(row)?.exec(txn).await?)
}

/// Replaces the candidate's skills, atomically.
pub async fn set_skills(
    db: &DatabaseConnection,
    viewer: &Viewer,
    id: Uuid,
    skills: &[NewCandidateSkill],
    expected_version: Option<i32>,
) -> AppResult<candidates::Model> {
    check_skills(skills, "input.skills")?;
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, id, expected_version, |u| u).await?;
    tenant
        .delete_many::<candidate_skills::Entity>()
        .filter(candidate_skills::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    insert_skills(&txn, tenant, id, skills).await?;
    let candidate = get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Candidate"))?;
    let set = CandidateSkillsSet { candidate: id, skills: skills.len() };
    events::service::record(&txn, viewer, DomainEvent::CandidateSkillsSet(set)).await?;
    txn.commit().await?;
    Ok(candidate)
}

/// Archives a candidate: kept for history, out of the active pool.
pub async fn archive(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<candidates::Model> {
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, id, None, |u| {
        u.col_expr(candidates::Column::Status, Expr::value(CandidateStatus::Archived))
    })
    .await?;
    let candidate = get(&txn, tenant, id).await?.ok_or(AppError::NotFound("Candidate"))?;
    events::service::record(&txn, viewer, DomainEvent::CandidateArchived(CandidateArchived { candidate: id })).await?;
    txn.commit().await?;
    Ok(candidate)
}

/// The name an erased candidate keeps.
pub const ERASED_NAME: &str = "Erased candidate";

/// Removes a person's data irreversibly (data-protection erasure). The row stays as an
/// anonymous placeholder so pipelines keep their counts; skills, tags, notes and every personal
/// field are gone, and the audit trail records the erasure without personal data.
pub async fn erase(db: &DatabaseConnection, viewer: &Viewer, id: Uuid) -> AppResult<()> {
    let tenant = viewer.tenant();
    let txn = db.begin().await?;
    bump_version(&txn, tenant, id, None, |u| {
        u.col_expr(candidates::Column::FullName, Expr::value(ERASED_NAME))
            .col_expr(candidates::Column::Email, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::Phone, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::Location, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::Headline, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::Summary, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::YearsExperience, Expr::value(0))
            .col_expr(candidates::Column::CurrentTitle, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::CurrentCompany, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::Links, Expr::value(Value::Array(Vec::new())))
            .col_expr(candidates::Column::Source, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::ExternalSource, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::ExternalId, Expr::value(Option::<String>::None))
            .col_expr(candidates::Column::Status, Expr::value(CandidateStatus::Archived))
            .col_expr(candidates::Column::SearchText, Expr::value(migration::search_text::fold(ERASED_NAME)))
    })
    .await?;
    tenant
        .delete_many::<candidate_skills::Entity>()
        .filter(candidate_skills::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    tenant
        .delete_many::<candidate_tags::Entity>()
        .filter(candidate_tags::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    tenant
        .delete_many::<candidate_employments::Entity>()
        .filter(candidate_employments::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    // Open applications end as WITHDRAWN (an erased person is in no pipeline); all keep their
    // stage history for the numbers, without notes or sources.
    let now = Utc::now();
    let open = tenant
        .find::<applications::Entity>()
        .filter(applications::Column::CandidateId.eq(id))
        .filter(applications::Column::Stage.is_not_in([
            entity::ApplicationStage::Hired,
            entity::ApplicationStage::Rejected,
            entity::ApplicationStage::Withdrawn,
        ]))
        .all(&txn)
        .await?;
    for application in &open {
        application_events::ActiveModel {
            id: Set(Uuid::now_v7()),
            organization_id: Set(tenant.organization_id()),
            application_id: Set(application.id),
            from_stage: Set(Some(application.stage)),
            to_stage: Set(entity::ApplicationStage::Withdrawn),
            actor_recruiter_id: Set(viewer.recruiter_id()),
            actor_label: Set("data erasure".to_owned()),
            note: Set(None),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let withdraw = tenant
        .update_many::<applications::Entity>()
        .col_expr(applications::Column::Stage, Expr::value(entity::ApplicationStage::Withdrawn))
        .col_expr(applications::Column::StageEnteredAt, Expr::value(now))
        .filter(applications::Column::Id.is_in(open.iter().map(|a| a.id)));
    versioning::bumped(withdraw, applications::Column::Version, applications::Column::UpdatedAt).exec(&txn).await?;
    tenant
        .update_many::<applications::Entity>()
        .col_expr(applications::Column::Source, Expr::value(Option::<String>::None))
        .col_expr(applications::Column::UpdatedAt, Expr::value(now))
        .filter(applications::Column::CandidateId.eq(id))
        .exec(&txn)
        .await?;
    let application_ids = Query::select()
        .column(applications::Column::Id)
        .from(applications::Entity)
        .and_where(Expr::col(applications::Column::CandidateId).eq(id))
        .to_owned();
    tenant
        .update_many::<application_events::Entity>()
        .col_expr(application_events::Column::Note, Expr::value(Option::<String>::None))
        .filter(application_events::Column::ApplicationId.in_subquery(application_ids))
        .exec(&txn)
        .await?;
    // Earlier events about this person may hold personal details: keep who/when/what, drop
    // the facts.
    events::service::erase_payloads(&txn, tenant, id).await?;
    events::service::record(&txn, viewer, DomainEvent::CandidateErased(CandidateErased { candidate: id })).await?;
    txn.commit().await?;
    Ok(())
}

/// Rows per INSERT of a batch: under SQLite's 32,766 and PostgreSQL's 65,535 bound parameters
/// for `columns` columns a row.
fn rows_per_insert(columns: usize) -> usize {
    30_000 / columns.max(1)
}

/// The candidates of the organization with these external references (one statement), locked
/// until the transaction ends on PostgreSQL ([`Tenant::find_by_external_refs`]).
pub async fn by_external_refs(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    refs: &[ExternalRef],
) -> AppResult<Vec<candidates::Model>> {
    let columns = (candidates::Column::ExternalSource, candidates::Column::ExternalId);
    Ok(tenant
        .find_by_external_refs::<candidates::Entity>(db, refs, columns, |row| {
            row.external_source.as_deref().zip(row.external_id.as_deref())
        })
        .await?)
}

/// Who holds each of these emails in the organization (one statement): `email → candidate id`.
pub async fn holders_of_emails(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    emails: &[&str],
) -> AppResult<HashMap<String, Uuid>> {
    if emails.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = tenant
        .find::<candidates::Entity>()
        .filter(candidates::Column::Email.is_in(emails.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().filter_map(|row| row.email.map(|email| (email, row.id))).collect())
}

/// A candidate's whole state as a sync gives it: its fields, and its skills and tags unless the
/// sync leaves them as they are here.
#[derive(Debug, Clone)]
pub struct CandidateState {
    pub candidate: NewCandidate,
    pub replace_skills: bool,
    pub replace_tags: bool,
    /// The whole work history, or `None` to keep the candidate's.
    pub employments: Option<Vec<NewEmployment>>,
    /// Whether `candidate.years_experience` was given; if not, the sync derives it from the
    /// work history (`sync::resume::derive_years`).
    pub years_experience_given: bool,
}

/// What writing a [`CandidateState`] over an existing candidate changes: the fields (named as
/// the `candidate.update` event names them, tags included) and whether the skills change.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CandidateDiff {
    pub fields: Vec<CandidateField>,
    pub skills: bool,
}

impl CandidateDiff {
    /// Whether nothing changes.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty() && !self.skills
    }
}

/// What `state` changes in `existing`, which has `skills`, `tags` (alphabetical) and
/// `employments` (in order).
#[must_use]
pub fn diff(
    existing: &candidates::Model,
    skills: &[candidate_skills::Model],
    tags: &[String],
    employments: &[candidate_employments::Model],
    state: &CandidateState,
) -> CandidateDiff {
    use CandidateField as F;
    let new = &state.candidate;
    let text = |t: Option<&str>| t.map(str::to_owned);
    let checks = [
        (F::FullName, existing.full_name != new.full_name.as_str()),
        (F::Email, existing.email != new.email.as_ref().map(|e| e.as_str().to_owned())),
        (F::Phone, existing.phone != text(new.phone.as_ref().map(super::model::Phone::as_str))),
        (F::Location, existing.location != text(new.location.as_ref().map(Text::as_str))),
        (F::Headline, existing.headline != text(new.headline.as_ref().map(Text::as_str))),
        (F::Summary, existing.summary != text(new.summary.as_ref().map(crate::values::LongText::as_str))),
        // Given years replacing derived ones (or the reverse) change how they behave later.
        (
            F::YearsExperience,
            existing.years_experience != new.years_experience.get()
                || existing.years_experience_derived != new.years_experience_derived,
        ),
        (F::CurrentTitle, existing.current_title != text(new.current_title.as_ref().map(Text::as_str))),
        (F::CurrentCompany, existing.current_company != text(new.current_company.as_ref().map(Text::as_str))),
        (F::Links, existing.links != links_json(&new.links)),
        (F::Source, existing.source != text(new.source.as_ref().map(Text::as_str))),
        (F::Tags, state.replace_tags && !tags.iter().map(String::as_str).eq(new.tags.iter().map(Tag::as_str))),
        (
            F::Employments,
            state.employments.as_ref().is_some_and(|given| !same_employments(existing, employments, given)),
        ),
    ];
    let fields = checks.into_iter().filter_map(|(field, changed)| changed.then_some(field)).collect();
    let key = |id: Uuid, level: i16, years: (Option<i32>, bool), used: Option<i32>| (id, level, years, used);
    let mut before: Vec<_> =
        skills.iter().map(|s| key(s.skill_id, s.level, (s.years, s.years_derived), s.last_used_year)).collect();
    let mut after: Vec<_> = new
        .skills
        .iter()
        .map(|s| {
            key(
                s.skill_id,
                s.level.get(),
                (s.years.map(crate::values::Years::get), s.years_derived),
                s.last_used_year.map(super::model::UsedYear::get),
            )
        })
        .collect();
    before.sort_unstable();
    after.sort_unstable();
    CandidateDiff { fields, skills: state.replace_skills && before != after }
}

/// Whether `rows` (of `existing`) hold exactly `given`, in order.
fn same_employments(
    existing: &candidates::Model,
    rows: &[candidate_employments::Model],
    given: &[NewEmployment],
) -> bool {
    rows.len() == given.len()
        && rows.iter().zip(given.iter().enumerate()).all(|(row, (position, employment))| {
            *row == employment_model(existing.organization_id, existing.id, position, employment)
        })
}

/// A candidate a batch writes: a new one under `id`, or a change to `existing`.
#[derive(Debug, Clone)]
pub enum CandidateWrite {
    Create { id: Uuid, state: CandidateState },
    Update { existing: Box<candidates::Model>, state: CandidateState, diff: CandidateDiff },
}

/// Writes a batch of creations and changes in a few statements whatever its size: the new rows
/// in one INSERT, the changed rows in one INSERT … ON CONFLICT (id) DO UPDATE (each at its
/// version + 1), then the replaced skills and tags with one DELETE and one INSERT each (every
/// statement split only past the bound-parameter limits). Call it inside the caller's transaction, after reading `existing` rows
/// there ([`by_external_refs`]); unique violations (a concurrent write of the same email or
/// external id) are CONFLICT.
pub async fn write_batch(txn: &impl ConnectionTrait, tenant: Tenant, writes: &[CandidateWrite]) -> AppResult<()> {
    use candidates::Column as C;
    use sea_orm::sea_query::OnConflict;
    let now = Utc::now();
    let (mut created, mut changed) = (Vec::new(), Vec::new());
    let (mut skill_rows, mut tag_rows) = (Vec::new(), Vec::new());
    let (mut skills_cleared, mut tags_cleared) = (Vec::new(), Vec::new());
    for write in writes {
        let (id, candidate, skills, tags) = match write {
            CandidateWrite::Create { id, state } => {
                created.push(candidate_row(tenant, *id, &state.candidate, now, 1));
                (*id, &state.candidate, true, true)
            }
            CandidateWrite::Update { existing, state, diff } => {
                if diff.is_empty() {
                    continue;
                }
                let mut row = candidate_row(tenant, existing.id, &state.candidate, now, existing.version + 1);
                row.created_at = Set(existing.created_at);
                changed.push(row);
                let tags = diff.fields.contains(&CandidateField::Tags);
                if diff.skills {
                    skills_cleared.push(existing.id);
                }
                if tags {
                    tags_cleared.push(existing.id);
                }
                (existing.id, &state.candidate, diff.skills, tags)
            }
        };
        if skills {
            skill_rows.extend(candidate.skills.iter().map(|s| skill_row(tenant, id, s)));
        }
        if tags {
            tag_rows.extend(candidate.tags.iter().map(|t| tag_row(tenant, id, t)));
        }
    }
    let conflict = |error: sea_orm::DbErr| match error.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => AppError::Conflict(
            "another request wrote some of these candidates at the same time; send the batch again".to_owned(),
        ),
        _ => AppError::from(error),
    };
    let per_insert = rows_per_insert(22);
    for chunk in created.chunks(per_insert) {
        candidates::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await.map_err(conflict)?;
    }
    // The rows were read through the tenant just before, and are locked: the conflict on `id`
    // is certain and only ever with one of the organization's own rows. Status, external
    // reference and creation time are not the sync's to change.
    let on_id = OnConflict::column(C::Id)
        .update_columns([
            C::FullName,
            C::Email,
            C::Phone,
            C::Location,
            C::Headline,
            C::Summary,
            C::YearsExperience,
            C::YearsExperienceDerived,
            C::CurrentTitle,
            C::CurrentCompany,
            C::Links,
            C::Source,
            C::SearchText,
            C::UpdatedAt,
            C::Version,
        ])
        .to_owned();
    for chunk in changed.chunks(per_insert) {
        candidates::Entity::insert_many(chunk.to_vec())
            .on_conflict(on_id.clone())
            .exec_without_returning(txn)
            .await
            .map_err(conflict)?;
    }
    if !skills_cleared.is_empty() {
        tenant
            .delete_many::<candidate_skills::Entity>()
            .filter(candidate_skills::Column::CandidateId.is_in(skills_cleared))
            .exec(txn)
            .await?;
    }
    for chunk in skill_rows.chunks(rows_per_insert(7)) {
        candidate_skills::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    if !tags_cleared.is_empty() {
        tenant
            .delete_many::<candidate_tags::Entity>()
            .filter(candidate_tags::Column::CandidateId.is_in(tags_cleared))
            .exec(txn)
            .await?;
    }
    for chunk in tag_rows.chunks(rows_per_insert(3)) {
        candidate_tags::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    write_employments(txn, tenant, writes).await
}

/// The work histories a batch writes: those of new candidates, and those replaced by a change
/// (one DELETE, then one INSERT per bound-parameter limit).
async fn write_employments(txn: &impl ConnectionTrait, tenant: Tenant, writes: &[CandidateWrite]) -> AppResult<()> {
    let (mut rows, mut cleared) = (Vec::new(), Vec::new());
    for write in writes {
        let (id, employments) = match write {
            CandidateWrite::Create { id, state } => (*id, state.employments.as_deref()),
            CandidateWrite::Update { existing, state, diff } => {
                let changed = diff.fields.contains(&CandidateField::Employments);
                if changed {
                    cleared.push(existing.id);
                }
                (existing.id, state.employments.as_deref().filter(|_| changed))
            }
        };
        let given = employments.unwrap_or_default().iter().enumerate();
        rows.extend(
            given.map(|(position, e)| employment_row(employment_model(tenant.organization_id(), id, position, e))),
        );
    }
    if !cleared.is_empty() {
        tenant
            .delete_many::<candidate_employments::Entity>()
            .filter(candidate_employments::Column::CandidateId.is_in(cleared))
            .exec(txn)
            .await?;
    }
    for chunk in rows.chunks(rows_per_insert(10)) {
        candidate_employments::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
    }
    Ok(())
}

/// Years re-derived from a candidate's work history at a later date (a current job lasted):
/// the new total when it is derived and changed, and the new years of each derived skill that
/// changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RederivedYears {
    pub candidate: Uuid,
    /// The version the years were derived from; a candidate written since is left alone.
    pub version: i32,
    pub years_experience: Option<i32>,
    pub skills: Vec<(Uuid, i32)>,
}

/// Up to `limit` candidates of the organization holding a job with no end, after `after` in
/// id order (one statement; a pass reads the organization page by page).
pub async fn with_open_employments(
    db: &impl ConnectionTrait,
    tenant: Tenant,
    after: Option<Uuid>,
    limit: u64,
) -> AppResult<Vec<Uuid>> {
    use candidate_employments::Column as E;
    use sea_orm::QuerySelect;
    let mut select = tenant
        .find::<candidate_employments::Entity>()
        .select_only()
        .column(E::CandidateId)
        .filter(E::EndMonth.is_null())
        .distinct()
        .order_by_asc(E::CandidateId)
        .limit(limit);
    if let Some(after) = after {
        select = select.filter(E::CandidateId.gt(after));
    }
    Ok(select.into_tuple::<Uuid>().all(db).await?)
}

/// Writes re-derived years as a change of the candidate (version + 1, `updated_at`), unless it
/// was written since `change.version` (that write derived its years itself). Call it first in
/// the transaction that records the change's events. Returns whether it was written.
pub async fn write_rederived_years(
    txn: &impl ConnectionTrait,
    tenant: Tenant,
    change: &RederivedYears,
) -> AppResult<bool> {
    let mut update = tenant.update_many::<candidates::Entity>().filter(candidates::Column::Id.eq(change.candidate));
    if let Some(years) = change.years_experience {
        update = update.col_expr(candidates::Column::YearsExperience, Expr::value(years));
    }
    let written =
        versioning::bump(txn, update, candidates::Column::Version, candidates::Column::UpdatedAt, Some(change.version))
            .await?;
    if !written {
        return Ok(false);
    }
    // Only skills whose years changed, a few a day per candidate at most.
    for (skill_id, years) in &change.skills {
        tenant
            .update_many::<candidate_skills::Entity>()
            .col_expr(candidate_skills::Column::Years, Expr::value(*years))
            .filter(candidate_skills::Column::CandidateId.eq(change.candidate))
            .filter(candidate_skills::Column::SkillId.eq(*skill_id))
            .exec(txn)
            .await?;
    }
    Ok(true)
}

/// Everything held about a person, as one JSON document (data-protection access request).
pub async fn export(db: &impl ConnectionTrait, tenant: Tenant, id: Uuid) -> AppResult<Value> {
    let candidate = get(db, tenant, id).await?.ok_or(AppError::NotFound("Candidate"))?;
    let skills = skills_of(db, tenant, &[id]).await?.remove(&id).unwrap_or_default();
    let tags = tags_of(db, tenant, &[id]).await?.remove(&id).unwrap_or_default();
    let employments = employments_of(db, tenant, &[id]).await?.remove(&id).unwrap_or_default();
    let skill_names: HashMap<Uuid, String> = tenant
        .skill_scope()
        .find::<entity::skills::Entity>()
        .filter(entity::skills::Column::Id.is_in(skills.iter().map(|s| s.skill_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let applications = tenant
        .find::<applications::Entity>()
        .filter(applications::Column::CandidateId.eq(id))
        .order_by_asc(applications::Column::CreatedAt)
        .all(db)
        .await?;
    let events = tenant
        .find::<application_events::Entity>()
        .filter(application_events::Column::ApplicationId.is_in(applications.iter().map(|a| a.id)))
        .order_by_asc(application_events::Column::CreatedAt)
        .all(db)
        .await?;
    let role_titles: HashMap<Uuid, String> = tenant
        .find::<entity::roles::Entity>()
        .filter(entity::roles::Column::Id.is_in(applications.iter().map(|a| a.role_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|r| (r.id, r.title))
        .collect();
    Ok(json!({
        "exportedAt": Utc::now(),
        "candidate": {
            "fullName": candidate.full_name,
            "email": candidate.email,
            "phone": candidate.phone,
            "location": candidate.location,
            "headline": candidate.headline,
            "summary": candidate.summary,
            "yearsExperience": candidate.years_experience,
            "currentTitle": candidate.current_title,
            "currentCompany": candidate.current_company,
            "links": candidate.links,
            "source": candidate.source,
            "externalSource": candidate.external_source,
            "externalId": candidate.external_id,
            "status": candidate.status,
            "createdAt": candidate.created_at,
            "updatedAt": candidate.updated_at,
        },
        "skills": skills.iter().map(|s| json!({
            "skill": skill_names.get(&s.skill_id),
            "level": s.level,
            "years": s.years,
            "lastUsedYear": s.last_used_year,
        })).collect::<Vec<_>>(),
        "tags": tags,
        "employments": employments.iter().map(|e| json!({
            "company": e.company,
            "title": e.title,
            "startMonth": e.start_month,
            "endMonth": e.end_month,
            "summary": e.summary,
            "highlights": e.highlights,
        })).collect::<Vec<_>>(),
        "applications": applications.iter().map(|a| json!({
            "role": role_titles.get(&a.role_id),
            "stage": a.stage,
            "source": a.source,
            "rejectionReason": a.rejection_reason,
            "createdAt": a.created_at,
            "history": events.iter().filter(|e| e.application_id == a.id).map(|e| json!({
                "from": e.from_stage,
                "to": e.to_stage,
                "note": e.note,
                "at": e.created_at,
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
    }))
}
