//! Queries over the taxonomy. Every function takes the caller's [`SkillScope`], so a query can
//! never see another organization's skills.

use std::collections::HashMap;
use std::sync::Arc;

use entity::{SkillCategory, SkillRelationKind, skill_aliases, skill_relations, skills};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, PaginatorTrait, QueryFilter, QueryOrder};
use tokio::sync::OnceCell;
use uuid::Uuid;

use super::model::SkillSearch;
use crate::auth::SkillScope;
use crate::error::{AppError, AppResult};
use crate::events::model::{DomainEvent, SkillAliasAdded, SkillCreated};
use crate::pagination::{Page, PageArgs, fetch_page};

/// Filters of the `skills` list.
#[derive(Debug, Clone, Default)]
pub struct SkillFilter {
    /// Name or any alias contains this text.
    pub search: Option<SkillSearch>,
    /// Only skills of this category.
    pub category: Option<SkillCategory>,
}

/// Sort key of the `skills` list (name, then id): also its cursor.
pub type SkillCursor = (String, Uuid);

fn filtered(scope: SkillScope, filter: &SkillFilter) -> sea_orm::Select<skills::Entity> {
    let mut select = scope.find::<skills::Entity>();
    if let Some(category) = filter.category {
        select = select.filter(skills::Column::Category.eq(category));
    }
    if let Some(search) = &filter.search {
        let matching = Query::select()
            .column(skill_aliases::Column::SkillId)
            .from(skill_aliases::Entity)
            .and_where(Expr::col(skill_aliases::Column::Normalized).like(search.like_pattern().expr()))
            .cond_where(scope.condition(skill_aliases::Column::OrganizationId))
            .to_owned();
        select = select.filter(skills::Column::Id.in_subquery(matching));
    }
    select
}

/// One page of skills in name order.
pub async fn list(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    filter: &SkillFilter,
    args: &PageArgs<SkillCursor>,
) -> AppResult<Page<skills::Model>> {
    let cursor = filtered(scope, filter).cursor_by((skills::Column::Name, skills::Column::Id));
    fetch_page(cursor, args, db).await
}

/// How many skills match `filter`.
pub async fn count(db: &impl ConnectionTrait, scope: SkillScope, filter: &SkillFilter) -> AppResult<u64> {
    Ok(filtered(scope, filter).count(db).await?)
}

/// The skill a name, slug or alias denotes ("spark", "Apache Spark", "apache-spark"); an
/// organization's own alias wins over a built-in one.
pub async fn resolve(db: &impl ConnectionTrait, scope: SkillScope, name: &str) -> AppResult<Option<skills::Model>> {
    let normalized = migration::skill_names::normalize(name);
    if normalized.is_empty() {
        return Ok(None);
    }
    let found = scope
        .find::<skill_aliases::Entity>()
        .filter(skill_aliases::Column::Normalized.eq(normalized))
        .order_by_asc(skill_aliases::Column::OrganizationId.is_null())
        .find_also_related(skills::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(_, skill)| skill))
}

/// The skills with these ids that the scope sees.
pub async fn by_ids(db: &impl ConnectionTrait, scope: SkillScope, ids: &[Uuid]) -> AppResult<Vec<skills::Model>> {
    Ok(scope.find::<skills::Entity>().filter(skills::Column::Id.is_in(ids.iter().copied())).all(db).await?)
}

/// The built-in taxonomy's skill rows, read from the database once per server. They are written
/// only by migrations, which run before a server serves, and no mutation changes them (an
/// organization adds skills of its own), so a server never has to read them again: a page of
/// 50 candidates names ~300 of them, and reading those rows was a sixth of the page's work.
/// A row missing here (added by a newer server's migration since) is read from the database.
#[derive(Default)]
pub struct BuiltinSkills {
    rows: OnceCell<HashMap<Uuid, Arc<skills::Model>>>,
}

impl BuiltinSkills {
    /// The built-in skill `id`, once the taxonomy is in memory (after the first `by_ids`).
    #[must_use]
    pub fn loaded(&self, id: &Uuid) -> Option<&Arc<skills::Model>> {
        self.rows.get()?.get(id)
    }

    /// The skills with these ids that `scope` sees: built-in ones from memory, the others (the
    /// organization's own) from the database in one statement.
    pub async fn by_ids(
        &self,
        db: &impl ConnectionTrait,
        scope: SkillScope,
        ids: &[Uuid],
    ) -> AppResult<Vec<Arc<skills::Model>>> {
        let builtin = self
            .rows
            .get_or_try_init(|| async {
                let rows = SkillScope::builtin().find::<skills::Entity>().all(db).await?;
                Ok::<_, AppError>(rows.into_iter().map(|row| (row.id, Arc::new(row))).collect())
            })
            .await?;
        let mut found = Vec::with_capacity(ids.len());
        let mut missing = Vec::new();
        for id in ids {
            match builtin.get(id) {
                Some(row) => found.push(Arc::clone(row)),
                None => missing.push(*id),
            }
        }
        if !missing.is_empty() {
            found.extend(by_ids(db, scope, &missing).await?.into_iter().map(Arc::new));
        }
        Ok(found)
    }
}

/// The aliases of each skill, excluding spellings that only restate its name.
pub async fn aliases_of(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    ids: &[Uuid],
) -> AppResult<HashMap<Uuid, Vec<String>>> {
    let rows = scope
        .find::<skill_aliases::Entity>()
        .find_also_related(skills::Entity)
        .filter(skill_aliases::Column::SkillId.is_in(ids.iter().copied()))
        .order_by_asc(skill_aliases::Column::Normalized)
        .all(db)
        .await?;
    let spellings = rows.into_iter().filter(|(alias, skill)| {
        skill.as_ref().is_none_or(|s| migration::skill_names::normalize(&s.name) != alias.normalized)
    });
    Ok(crate::database::group_rows(spellings, |(alias, _)| (alias.skill_id, alias.alias)))
}

/// Which way a taxonomy link is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkDirection {
    /// From the skill to what it names (its broader skills, what it implies).
    Outgoing,
    /// From the skill to what names it (its narrower skills, what implies it).
    Incoming,
}

/// For each skill, the ids linked to it by `kind` in `direction`.
pub async fn linked(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    ids: &[Uuid],
    kind: SkillRelationKind,
    direction: LinkDirection,
) -> AppResult<HashMap<Uuid, Vec<Uuid>>> {
    let from = match direction {
        LinkDirection::Outgoing => skill_relations::Column::SkillId,
        LinkDirection::Incoming => skill_relations::Column::RelatedSkillId,
    };
    let rows = scope
        .find::<skill_relations::Entity>()
        .filter(from.is_in(ids.iter().copied()))
        .filter(skill_relations::Column::Kind.eq(kind))
        .all(db)
        .await?;
    Ok(crate::database::group_rows(rows, |row| match direction {
        LinkDirection::Outgoing => (row.skill_id, row.related_skill_id),
        LinkDirection::Incoming => (row.related_skill_id, row.skill_id),
    }))
}

/// Resolves skill names given in input (names, slugs or aliases, any spelling). An unknown name
/// is a BAD_USER_INPUT at its field that names it and suggests the closest known skills.
/// `names` pairs each name with its input field path.
pub async fn resolve_for_input(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    names: &[(String, String)],
) -> AppResult<Vec<skills::Model>> {
    // Only the first refusal is answered: one suggestion is enough.
    resolve_suggesting(db, scope, names, 1).await?.into_iter().collect()
}

/// How many unknown names of one call get suggestions: each runs a fuzzy match over every
/// spelling, so a batch of a thousand unknown names must not run a thousand.
const MAX_SUGGESTED: usize = 20;

/// Like [`resolve_for_input`], with one answer per name: a batch (`upsertCandidates`) reports
/// every unknown name at its own field and keeps the known ones. One statement for all names;
/// the first [`MAX_SUGGESTED`] distinct unknown names get suggestions.
pub async fn resolve_each(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    names: &[(String, String)],
) -> AppResult<Vec<AppResult<skills::Model>>> {
    resolve_suggesting(db, scope, names, MAX_SUGGESTED).await
}

async fn resolve_suggesting(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    names: &[(String, String)],
    max_suggested: usize,
) -> AppResult<Vec<AppResult<skills::Model>>> {
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let wanted: Vec<String> = names.iter().map(|(name, _)| migration::skill_names::normalize(name)).collect();
    let mut distinct = wanted.clone();
    distinct.sort_unstable();
    distinct.dedup();
    let rows = scope
        .find::<skill_aliases::Entity>()
        .find_also_related(skills::Entity)
        .filter(skill_aliases::Column::Normalized.is_in(distinct))
        .all(db)
        .await?;
    let mut by_alias: HashMap<String, skills::Model> = HashMap::new();
    for (alias, skill) in rows {
        if let Some(skill) = skill {
            // An organization's own alias wins over a built-in one.
            let replace = by_alias.get(&alias.normalized).is_none_or(|_| alias.organization_id.is_some());
            if replace {
                by_alias.insert(alias.normalized, skill);
            }
        }
    }
    let mut hints: HashMap<&str, String> = HashMap::new();
    let mut out = Vec::with_capacity(names.len());
    for ((name, field), key) in names.iter().zip(&wanted) {
        if let Some(skill) = by_alias.get(key) {
            out.push(Ok(skill.clone()));
            continue;
        }
        if !hints.contains_key(key.as_str()) {
            let suggestions = if hints.len() < max_suggested { suggest(db, scope, key).await? } else { Vec::new() };
            let hint = if suggestions.is_empty() {
                String::new()
            } else {
                format!("; did you mean {}?", suggestions.join(", "))
            };
            hints.insert(key.as_str(), hint);
        }
        let hint = hints.get(key.as_str()).map_or("", String::as_str);
        out.push(Err(crate::error::AppError::bad_input(field, format!("unknown skill `{}`{hint}", name.trim()))));
    }
    Ok(out)
}

/// Every spelling in scope with the name of its skill: `(normalized spelling, skill name)`.
type Spellings = Vec<(String, String)>;

tokio::task_local! {
    /// The spellings, read at most once per request (see [`per_request`]).
    static REQUEST_SPELLINGS: Arc<OnceCell<Arc<Spellings>>>;
}

/// Runs one request's work so that its suggestions read the spellings at most once: a request
/// naming 30 unknown skills (in aliases of one field, say) costs one read, not 30. A request is
/// one caller and one scope, so the spellings it reads are the ones it may see.
pub async fn per_request<F: Future>(work: F) -> F::Output {
    REQUEST_SPELLINGS.scope(Arc::new(OnceCell::new()), work).await
}

async fn spellings(db: &impl ConnectionTrait, scope: SkillScope) -> AppResult<Arc<Spellings>> {
    let read = || async {
        let rows = scope.find::<skill_aliases::Entity>().find_also_related(skills::Entity).all(db).await?;
        let spellings: Spellings =
            rows.into_iter().filter_map(|(alias, skill)| skill.map(|s| (alias.normalized, s.name))).collect();
        Ok::<_, crate::error::AppError>(Arc::new(spellings))
    };
    match REQUEST_SPELLINGS.try_with(Arc::clone) {
        Ok(cell) => Ok(Arc::clone(cell.get_or_try_init(read).await?)),
        // Outside a request (the CLI, tests of the service): read them each time.
        Err(_) => read().await,
    }
}

/// Up to three skill names closest to `normalized` (Jaro-Winkler over every spelling in scope).
async fn suggest(db: &impl ConnectionTrait, scope: SkillScope, normalized: &str) -> AppResult<Vec<String>> {
    let spellings = spellings(db, scope).await?;
    let mut scored: Vec<(f64, String)> = spellings
        .iter()
        .map(|(spelling, name)| (strsim::jaro_winkler(normalized, spelling), name.clone()))
        .filter(|(score, _)| *score > 0.7)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(&b.1)));
    let mut names: Vec<String> = Vec::new();
    for (_, name) in scored {
        if !names.contains(&name) {
            names.push(name);
        }
        if names.len() == 3 {
            break;
        }
    }
    Ok(names)
}

/// A checked new organization skill.
#[derive(Debug, Clone)]
pub struct NewSkill {
    pub name: crate::values::Text<200>,
    pub category: SkillCategory,
    pub description: Option<crate::values::LongText>,
    pub aliases: Vec<crate::values::Text<200>>,
    pub broader: Vec<Uuid>,
    pub implies: Vec<Uuid>,
    pub esco_uri: Option<crate::values::Text<500>>,
    pub onet_code: Option<crate::values::Text<20>>,
}

/// Refuses a spelling that already names a skill the organization sees.
async fn check_spelling_free(
    db: &impl ConnectionTrait,
    scope: SkillScope,
    spelling: &str,
    field: &str,
) -> AppResult<String> {
    let normalized = migration::skill_names::normalize(spelling);
    if normalized.is_empty() {
        return Err(crate::error::AppError::bad_input(field, "needs a letter or digit"));
    }
    if normalized.chars().count() > 200 {
        return Err(crate::error::AppError::bad_input(field, "must be at most 200 characters"));
    }
    if let Some(existing) = resolve(db, scope, spelling).await? {
        return Err(crate::error::AppError::bad_input(
            field,
            format!("`{}` already names the skill {}", spelling.trim(), existing.name),
        ));
    }
    Ok(normalized)
}

/// Adds an organization skill with its aliases and taxonomy links; all or nothing.
pub async fn create(
    db: &sea_orm::DatabaseConnection,
    viewer: &crate::auth::Viewer,
    skill: NewSkill,
) -> AppResult<skills::Model> {
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};
    let tenant = viewer.tenant();
    let scope = tenant.skill_scope();
    let mut spellings = vec![check_spelling_free(db, scope, skill.name.as_str(), "input.name").await?];
    for (index, alias) in skill.aliases.iter().enumerate() {
        let normalized = check_spelling_free(db, scope, alias.as_str(), &format!("input.aliases.{index}")).await?;
        if spellings.contains(&normalized) {
            return Err(crate::error::AppError::bad_input(
                &format!("input.aliases.{index}"),
                "repeats another spelling",
            ));
        }
        spellings.push(normalized);
    }
    let slug = crate::accounts::service::slugify(skill.name.as_str());
    let now = chrono::Utc::now();
    let id = Uuid::now_v7();
    let txn = db.begin().await?;
    let row = skills::ActiveModel {
        id: Set(id),
        organization_id: Set(Some(tenant.organization_id())),
        slug: Set(if slug.is_empty() { id.simple().to_string() } else { slug }),
        name: Set(skill.name.as_str().to_owned()),
        category: Set(skill.category),
        description: Set(skill.description.map(crate::values::LongText::into_inner)),
        esco_uri: Set(skill.esco_uri.map(crate::values::Text::into_inner)),
        onet_code: Set(skill.onet_code.map(crate::values::Text::into_inner)),
        created_at: Set(now),
    }
    .insert(&txn)
    .await
    .map_err(|e| match crate::error::AppError::from(e) {
        crate::error::AppError::Conflict(_) => {
            crate::error::AppError::bad_input("input.name", "your organization already has a skill with this slug")
        }
        other => other,
    })?;
    let display: Vec<&str> =
        std::iter::once(skill.name.as_str()).chain(skill.aliases.iter().map(crate::values::Text::as_str)).collect();
    for (spelling, normalized) in display.into_iter().zip(spellings) {
        skill_aliases::ActiveModel {
            id: Set(Uuid::now_v7()),
            skill_id: Set(id),
            organization_id: Set(Some(tenant.organization_id())),
            alias: Set(spelling.to_owned()),
            normalized: Set(normalized),
            created_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    for (kind, targets) in [(SkillRelationKind::Broader, &skill.broader), (SkillRelationKind::Implies, &skill.implies)]
    {
        for target in targets {
            skill_relations::ActiveModel {
                skill_id: Set(id),
                related_skill_id: Set(*target),
                kind: Set(kind),
                organization_id: Set(Some(tenant.organization_id())),
            }
            .insert(&txn)
            .await?;
        }
    }
    let created = SkillCreated { skill: id, name: row.name.clone() };
    crate::events::service::record(&txn, viewer, DomainEvent::SkillCreated(created)).await?;
    txn.commit().await?;
    Ok(row)
}

/// Adds an organization alias to a skill the organization sees (built-in or its own).
pub async fn add_alias(
    db: &sea_orm::DatabaseConnection,
    viewer: &crate::auth::Viewer,
    skill_id: Uuid,
    alias: &crate::values::Text<200>,
) -> AppResult<skills::Model> {
    use sea_orm::{ActiveModelTrait, Set, TransactionTrait};
    let tenant = viewer.tenant();
    let scope = tenant.skill_scope();
    let skill = by_ids(db, scope, &[skill_id]).await?.pop().ok_or(crate::error::AppError::NotFound("Skill"))?;
    let normalized = check_spelling_free(db, scope, alias.as_str(), "input.alias").await?;
    let txn = db.begin().await?;
    skill_aliases::ActiveModel {
        id: Set(Uuid::now_v7()),
        skill_id: Set(skill.id),
        organization_id: Set(Some(tenant.organization_id())),
        alias: Set(alias.as_str().to_owned()),
        normalized: Set(normalized),
        created_at: Set(chrono::Utc::now()),
    }
    .insert(&txn)
    .await?;
    let added = SkillAliasAdded { skill: skill.id, alias: alias.as_str().to_owned() };
    crate::events::service::record(&txn, viewer, DomainEvent::SkillAliasAdded(added)).await?;
    txn.commit().await?;
    Ok(skill)
}
