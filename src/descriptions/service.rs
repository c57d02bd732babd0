//! Reading descriptions for an organization, and the roles made from them. The built-in
//! taxonomy's matcher is compiled once per process (it is the taxonomy this binary migrated
//! the database to); each organization's own skills get a small matcher of their own, cached
//! and rebuilt when the organization's spellings change. Spellings are append-only (skills and
//! aliases are created, never renamed or deleted), so their count is the cache's version: one
//! indexed COUNT per request tells whether the cached matcher is current, and a skill created
//! by another server instance is seen on the next request.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock, Mutex};

use entity::{RoleStatus, Seniority, Workplace, roles, skill_aliases, skills};
use sea_orm::{ColumnTrait, ConnectionTrait, DatabaseConnection, PaginatorTrait, QueryFilter};
use uuid::Uuid;

use super::matcher::{KnownSkill, SkillMatcher, Spelling};
use super::model::DescriptionText;
use super::parse::{Draft, parse};
use crate::auth::{SkillScope, Tenant, Viewer};
use crate::error::{AppError, AppResult};
use crate::roles::model::{AlternativesGroup, Headcount, NewRequirement, NewRole, RoleChanges};
use crate::values::{SkillLevel, Text, Years};

/// Level a requirement gets when the wording names none (the default of `createRole`).
pub const DEFAULT_MIN_LEVEL: i32 = 3;

fn category_of(name: &str) -> entity::SkillCategory {
    use entity::SkillCategory as C;
    match name {
        "LANGUAGE" => C::Language,
        "FRAMEWORK" => C::Framework,
        "PLATFORM" => C::Platform,
        "DATABASE" => C::Database,
        "SOFT_SKILL" => C::SoftSkill,
        "DOMAIN" => C::Domain,
        "TOOL" => C::Tool,
        _ => C::Practice,
    }
}

/// The matcher over every built-in skill: names, aliases and dashed slugs ("apache-spark").
#[must_use]
pub fn builtin_matcher() -> &'static SkillMatcher {
    static MATCHER: LazyLock<SkillMatcher> = LazyLock::new(|| {
        let builtin = migration::taxonomy::builtin_skills().unwrap_or_default();
        let mut skills = Vec::with_capacity(builtin.len());
        let mut spellings = Vec::new();
        for (index, skill) in builtin.iter().enumerate() {
            skills.push(KnownSkill {
                id: skill.id(),
                name: skill.name.to_owned(),
                category: category_of(skill.category),
            });
            spellings.push(Spelling { text: skill.name.to_owned(), skill: index });
            // A bare slug ("compliance", "go") is no better than the name; a dashed one is a
            // spelling of its own ("data-engineering").
            if skill.slug.contains('-') {
                spellings.push(Spelling { text: skill.slug.to_owned(), skill: index });
            }
            spellings.extend(skill.aliases.iter().map(|alias| Spelling { text: (*alias).to_owned(), skill: index }));
        }
        SkillMatcher::new(skills, &spellings)
    });
    &MATCHER
}

/// Organization id → (the spelling count it was built at, its matcher).
type Cached = HashMap<Uuid, (u64, Arc<SkillMatcher>)>;

/// Each organization's matcher of its own skills, with the spelling count it was built at.
#[derive(Debug, Default)]
pub struct OrganizationMatchers {
    cached: Mutex<Cached>,
}

impl OrganizationMatchers {
    /// The organization's own matcher, current as of this call.
    async fn of(&self, db: &impl ConnectionTrait, scope: SkillScope) -> AppResult<Option<Arc<SkillMatcher>>> {
        let Some(organization) = scope.organization_id() else { return Ok(None) };
        let own_aliases =
            || scope.find::<skill_aliases::Entity>().filter(skill_aliases::Column::OrganizationId.eq(organization));
        let version = own_aliases().count(db).await?;
        if version == 0 {
            return Ok(None);
        }
        if let Some((built_at, matcher)) = self.lock()?.get(&organization)
            && *built_at == version
        {
            return Ok(Some(matcher.clone()));
        }
        let own_skills =
            scope.find::<skills::Entity>().filter(skills::Column::OrganizationId.eq(organization)).all(db).await?;
        let aliases = own_aliases().all(db).await?;
        let index: HashMap<Uuid, usize> = own_skills.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
        let mut spellings: Vec<Spelling> =
            own_skills.iter().enumerate().map(|(i, s)| Spelling { text: s.name.clone(), skill: i }).collect();
        // An organization's alias may also name a built-in skill ("Flow" for its own product):
        // it names the skill it was added to, which may be built in.
        let mut known: Vec<KnownSkill> =
            own_skills.iter().map(|s| KnownSkill { id: s.id, name: s.name.clone(), category: s.category }).collect();
        let builtin = builtin_matcher();
        for alias in aliases {
            let skill = match index.get(&alias.skill_id) {
                Some(i) => *i,
                None => match builtin.skills().iter().find(|s| s.id == alias.skill_id) {
                    Some(found) => {
                        known.push(found.clone());
                        known.len() - 1
                    }
                    None => continue,
                },
            };
            spellings.push(Spelling { text: alias.alias, skill });
        }
        let matcher = Arc::new(SkillMatcher::new(known, &spellings));
        self.lock()?.insert(organization, (version, matcher.clone()));
        Ok(Some(matcher))
    }

    fn lock(&self) -> AppResult<std::sync::MutexGuard<'_, Cached>> {
        self.cached.lock().map_err(|_| AppError::Internal(anyhow::anyhow!("description matcher cache poisoned")))
    }
}

/// Reads `text` for the organization of `scope`: built-in skills and its own.
pub async fn read(
    db: &impl ConnectionTrait,
    matchers: &OrganizationMatchers,
    scope: SkillScope,
    title: &str,
    text: &DescriptionText,
) -> AppResult<Draft> {
    let own = matchers.of(db, scope).await?;
    let mut all: Vec<&SkillMatcher> = vec![builtin_matcher()];
    if let Some(own) = own.as_deref() {
        all.push(own);
    }
    Ok(parse(title, text.as_str(), &all))
}

/// The requirements of a draft, as a role stores them.
pub fn requirements_of(draft: &Draft) -> AppResult<Vec<NewRequirement>> {
    draft
        .requirements
        .iter()
        .map(|r| {
            Ok(NewRequirement {
                skill_id: r.skill.id,
                importance: r.importance,
                min_level: SkillLevel::parse(r.min_level.map_or(DEFAULT_MIN_LEVEL, i32::from), "text")?,
                min_years: r.min_years.map(|y| Years::parse(i32::from(y), "text")).transpose()?,
                weight: None,
                alternatives_group: r
                    .alternatives_group
                    .as_deref()
                    .map(|g| AlternativesGroup::parse(g, "text"))
                    .transpose()?,
            })
        })
        .collect()
}

fn total_years(draft: &Draft) -> AppResult<Years> {
    Years::parse(draft.min_years_experience.map_or(0, i32::from), "text")
}

/// Stores a draft role read from `text`, through the roles service's own create.
pub async fn create_role(
    db: &DatabaseConnection,
    matchers: &OrganizationMatchers,
    viewer: &Viewer,
    title: Text<200>,
    text: DescriptionText,
) -> AppResult<(roles::Model, Draft)> {
    let draft = read(db, matchers, viewer.tenant().skill_scope(), title.as_str(), &text).await?;
    let role = NewRole {
        title,
        description: text.into_long_text(),
        department: None,
        location: None,
        workplace: Workplace::Onsite,
        employment_type: entity::EmploymentType::FullTime,
        seniority: draft.seniority.unwrap_or(Seniority::Mid),
        min_years_experience: total_years(&draft)?,
        status: RoleStatus::Draft,
        headcount: Headcount::parse(1, "input")?,
        salary: None,
        external: None,
        valid_through: None,
        requirements: requirements_of(&draft)?,
    };
    let created = crate::roles::service::create(db, viewer, role).await?;
    Ok((created, draft))
}

/// Reads a DRAFT role's description again (after the taxonomy grew) and replaces its
/// requirements, total years and seniority with what it says now. Other statuses are refused:
/// an open role's requirements are the recruiter's, not the parser's.
pub async fn reparse_role(
    db: &DatabaseConnection,
    matchers: &OrganizationMatchers,
    viewer: &Viewer,
    tenant: Tenant,
    id: Uuid,
) -> AppResult<(roles::Model, Draft)> {
    let role = crate::roles::service::get(db, tenant, id).await?.ok_or(AppError::NotFound("Role"))?;
    if role.status != RoleStatus::Draft {
        return Err(AppError::Conflict(format!(
            "only a DRAFT role is re-read from its description; this one is {}",
            crate::roles::service::status_name(role.status)
        )));
    }
    let text = DescriptionText::parse(&role.description, "id")
        .map_err(|_| AppError::bad_input("id", "the role has no description to read"))?;
    let draft = read(db, matchers, tenant.skill_scope(), &role.title, &text).await?;
    let requirements = requirements_of(&draft)?;
    crate::roles::service::set_requirements(db, viewer, id, &requirements, Some(role.version)).await?;
    let changes = RoleChanges {
        seniority: Some(draft.seniority.unwrap_or(role.seniority)),
        min_years_experience: Some(total_years(&draft)?),
        ..RoleChanges::default()
    };
    let role = crate::roles::service::update(db, viewer, id, changes, None).await?;
    Ok((role, draft))
}
