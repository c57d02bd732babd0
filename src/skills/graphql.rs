//! GraphQL face of the taxonomy: the `Skill` type and the `skills` / `skill` queries.

use std::sync::Arc;

use async_graphql::{Context, Enum, ID, InputObject, Object};
use entity::{SkillRelationKind, skills};
use uuid::Uuid;

use super::loaders::{SkillAliasesLoader, SkillLink, SkillLinksLoader, SkillLoader};
use super::model::SkillSearch;
use super::service::{self, LinkDirection, SkillCursor, SkillFilter};
use crate::auth::permissions::{Permission, Require};
use crate::graphql::context::{RequestContext, loader, viewer, wants_total_count};
use crate::graphql::ids;
use crate::graphql::node::{NodeType, row_id};
use crate::pagination::{PageArgs, encode_cursor};

/// Broad kind of a skill.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum SkillCategory {
    /// A programming or query language (Scala, SQL).
    Language,
    /// A library or framework (Apache Spark, React).
    Framework,
    /// A runtime, cloud or data platform (Kafka, AWS).
    Platform,
    /// A database or storage engine (PostgreSQL, Hive).
    Database,
    /// A practice or method (agile, data modeling, DevOps).
    Practice,
    /// An interpersonal skill (leadership, communication).
    SoftSkill,
    /// Business or problem domain knowledge (fintech, data engineering).
    Domain,
    /// A tool (git, Jenkins, Tableau).
    Tool,
}

impl From<entity::SkillCategory> for SkillCategory {
    fn from(value: entity::SkillCategory) -> Self {
        match value {
            entity::SkillCategory::Language => Self::Language,
            entity::SkillCategory::Framework => Self::Framework,
            entity::SkillCategory::Platform => Self::Platform,
            entity::SkillCategory::Database => Self::Database,
            entity::SkillCategory::Practice => Self::Practice,
            entity::SkillCategory::SoftSkill => Self::SoftSkill,
            entity::SkillCategory::Domain => Self::Domain,
            entity::SkillCategory::Tool => Self::Tool,
        }
    }
}

impl From<SkillCategory> for entity::SkillCategory {
    fn from(value: SkillCategory) -> Self {
        match value {
            SkillCategory::Language => Self::Language,
            SkillCategory::Framework => Self::Framework,
            SkillCategory::Platform => Self::Platform,
            SkillCategory::Database => Self::Database,
            SkillCategory::Practice => Self::Practice,
            SkillCategory::SoftSkill => Self::SoftSkill,
            SkillCategory::Domain => Self::Domain,
            SkillCategory::Tool => Self::Tool,
        }
    }
}

/// A skill of the taxonomy (its description for clients is on the `#[Object]` impl). It holds
/// its row behind an `Arc`: a page of 50 candidates resolves ~400 skills from a few dozen loaded
/// rows, and copying each row's strings per field was a twentieth of the page.
#[derive(Debug, Clone)]
pub struct Skill {
    id: ID,
    row: Arc<skills::Model>,
}

impl From<Arc<skills::Model>> for Skill {
    fn from(row: Arc<skills::Model>) -> Self {
        Self { id: ids::encode("Skill", row.id), row }
    }
}

impl From<skills::Model> for Skill {
    fn from(row: skills::Model) -> Self {
        Self::from(Arc::new(row))
    }
}

impl Skill {
    async fn linked(
        &self,
        ctx: &Context<'_>,
        kind: SkillRelationKind,
        direction: LinkDirection,
    ) -> async_graphql::Result<Vec<Skill>> {
        let key = SkillLink { skill_id: self.row.id, kind, direction };
        let ids = loader::<SkillLinksLoader>(ctx)?.load_one(key).await?.unwrap_or_default();
        let found = loader::<SkillLoader>(ctx)?.load_many(ids).await?;
        let mut skills: Vec<Skill> = found.into_values().map(Skill::from).collect();
        skills.sort_by(|a, b| a.row.name.cmp(&b.row.name));
        Ok(skills)
    }
}

/// A skill of the taxonomy. Any spelling in `aliases` (or the name) resolves to it wherever the
/// API takes a skill name.
#[Object]
impl Skill {
    /// Global id.
    pub async fn id(&self) -> &ID {
        &self.id
    }

    /// Stable, URL-safe handle ("apache-spark").
    async fn slug(&self) -> &str {
        &self.row.slug
    }

    /// Canonical name ("Apache Spark").
    async fn name(&self) -> &str {
        &self.row.name
    }

    /// Broad kind.
    async fn category(&self) -> SkillCategory {
        self.row.category.into()
    }

    /// What the skill covers, when written down.
    async fn description(&self) -> Option<&str> {
        self.row.description.as_deref()
    }

    /// ESCO skill URI, when known.
    async fn esco_uri(&self) -> Option<&str> {
        self.row.esco_uri.as_deref()
    }

    /// O*NET code, when known.
    async fn onet_code(&self) -> Option<&str> {
        self.row.onet_code.as_deref()
    }

    /// True for the built-in taxonomy, false for the organization's own skills.
    async fn builtin(&self) -> bool {
        self.row.organization_id.is_none()
    }

    /// Other spellings that resolve to this skill ("spark" for Apache Spark), alphabetical.
    async fn aliases(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(loader::<SkillAliasesLoader>(ctx)?.load_one(self.row.id).await?.unwrap_or_default())
    }

    /// Skills this one specialises ("Apache Spark" for "Spark Structured Streaming").
    async fn broader(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        self.linked(ctx, SkillRelationKind::Broader, LinkDirection::Outgoing).await
    }

    /// Specialisations of this skill.
    async fn narrower(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        self.linked(ctx, SkillRelationKind::Broader, LinkDirection::Incoming).await
    }

    /// Skills that having this one implies ("Python" and "Apache Spark" for "PySpark").
    async fn implies(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        self.linked(ctx, SkillRelationKind::Implies, LinkDirection::Outgoing).await
    }

    /// Skills that imply this one.
    async fn implied_by(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Skill>> {
        self.linked(ctx, SkillRelationKind::Implies, LinkDirection::Incoming).await
    }
}

crate::connection_type!(SkillConnection, SkillEdge, Skill);

/// Queries over the skill taxonomy.
#[derive(Default)]
pub struct SkillQuery;

#[Object]
impl SkillQuery {
    /// The skill taxonomy, in name order: built-in skills plus the organization's own.
    #[graphql(guard = "Require(Permission::ReadSkills)")]
    #[allow(clippy::too_many_arguments, reason = "one Rust argument per GraphQL argument")]
    async fn skills(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size from the start, 0 to 100 (default 20).")] first: Option<i32>,
        #[graphql(desc = "Cursor after which the page starts.")] after: Option<String>,
        #[graphql(desc = "Page size from the end, 0 to 100.")] last: Option<i32>,
        #[graphql(desc = "Cursor before which the page ends.")] before: Option<String>,
        #[graphql(desc = "Name or alias contains this text (case, `-` and `_` ignored).")] search: Option<String>,
        #[graphql(desc = "Only skills of this category.")] category: Option<SkillCategory>,
    ) -> async_graphql::Result<SkillConnection> {
        let request = ctx.data::<RequestContext>()?;
        let args = PageArgs::<SkillCursor>::parse(first, after.as_deref(), last, before.as_deref())?;
        let filter = SkillFilter {
            search: search.as_deref().map(SkillSearch::parse).transpose()?,
            category: category.map(Into::into),
        };
        let page = service::list(&request.db, request.skill_scope, &filter, &args).await?;
        let total = if wants_total_count(ctx) {
            Some(service::count(&request.db, request.skill_scope, &filter).await?)
        } else {
            None
        };
        Ok(SkillConnection::from_page(page, total, |s| encode_cursor(&(s.name.clone(), s.id)), Skill::from))
    }

    /// The skill a name, slug or alias denotes ("spark", "Apache Spark", "apache-spark"), or null.
    #[graphql(guard = "Require(Permission::ReadSkills)")]
    async fn skill(&self, ctx: &Context<'_>, name: String) -> async_graphql::Result<Option<Skill>> {
        let request = ctx.data::<RequestContext>()?;
        Ok(service::resolve(&request.db, request.skill_scope, &name).await?.map(Skill::from))
    }
}

/// Input of `createSkill`.
#[derive(Debug, Clone, InputObject)]
pub struct CreateSkillInput {
    /// Canonical name (1 to 200 characters); must not already name a skill you see.
    pub name: String,
    /// Broad kind.
    pub category: SkillCategory,
    /// What the skill covers.
    pub description: Option<String>,
    /// Other spellings that should resolve to it.
    #[graphql(default)]
    pub aliases: Vec<String>,
    /// Skills it specialises (names, slugs or aliases).
    #[graphql(default)]
    pub broader: Vec<String>,
    /// Skills that having it implies (names, slugs or aliases).
    #[graphql(default)]
    pub implies: Vec<String>,
    /// ESCO skill URI.
    pub esco_uri: Option<String>,
    /// O*NET code.
    pub onet_code: Option<String>,
}

/// Input of `addSkillAlias`.
#[derive(Debug, Clone, InputObject)]
pub struct AddSkillAliasInput {
    /// The skill: a name, slug or alias of a skill you see.
    pub skill: String,
    /// The new spelling; must not already name a skill.
    pub alias: String,
}

crate::payload!(
    /// Result of `createSkill`.
    CreateSkillPayload,
    /// The new skill (null when refused).
    skill: Skill
);

crate::payload!(
    /// Result of `addSkillAlias`.
    AddSkillAliasPayload,
    /// The skill with its new alias (null when refused).
    skill: Skill
);

impl CreateSkillInput {
    /// The new skill, with its broader and implied skills resolved within `scope`.
    async fn parse(
        &self,
        db: &impl sea_orm::ConnectionTrait,
        scope: crate::auth::SkillScope,
    ) -> crate::error::AppResult<service::NewSkill> {
        use crate::values::{LongText, Text};
        let input = self;
        let named = |list: &[String], field: &str| -> Vec<(String, String)> {
            list.iter().enumerate().map(|(i, n)| (n.clone(), format!("{field}.{i}"))).collect()
        };
        for (list, field) in
            [(&input.aliases, "input.aliases"), (&input.broader, "input.broader"), (&input.implies, "input.implies")]
        {
            if list.len() > 50 {
                return Err(crate::error::AppError::bad_input(field, "at most 50 entries"));
            }
        }
        Ok(service::NewSkill {
            name: Text::parse(&input.name, "input.name")?,
            category: input.category.into(),
            description: input.description.as_deref().map(|d| LongText::parse(d, "input.description")).transpose()?,
            aliases: input
                .aliases
                .iter()
                .enumerate()
                .map(|(i, a)| Text::parse(a, &format!("input.aliases.{i}")))
                .collect::<Result<_, _>>()?,
            broader: service::resolve_for_input(db, scope, &named(&input.broader, "input.broader"))
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect(),
            implies: service::resolve_for_input(db, scope, &named(&input.implies, "input.implies"))
                .await?
                .into_iter()
                .map(|s| s.id)
                .collect(),
            esco_uri: Text::parse_optional(input.esco_uri.as_deref(), "input.escoUri")?,
            onet_code: Text::parse_optional(input.onet_code.as_deref(), "input.onetCode")?,
        })
    }
}

/// Organization skills and aliases.
#[derive(Default)]
pub struct SkillMutation;

#[Object]
impl SkillMutation {
    /// Adds a skill of your organization to the taxonomy (e.g. an in-house framework), with
    /// aliases and links to broader or implied skills.
    #[graphql(guard = "Require(Permission::WriteSkills)")]
    async fn create_skill(
        &self,
        ctx: &Context<'_>,
        input: CreateSkillInput,
    ) -> async_graphql::Result<CreateSkillPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let outcome = match input.parse(&request.db, request.skill_scope).await {
            Ok(skill) => service::create(&request.db, viewer, skill).await,
            Err(error) => Err(error),
        };
        CreateSkillPayload::from_outcome(outcome)
    }

    /// Adds a spelling that resolves to a skill, for your organization only.
    #[graphql(guard = "Require(Permission::WriteSkills)")]
    async fn add_skill_alias(
        &self,
        ctx: &Context<'_>,
        input: AddSkillAliasInput,
    ) -> async_graphql::Result<AddSkillAliasPayload> {
        let request = ctx.data::<RequestContext>()?;
        let viewer = viewer(ctx)?;
        let parsed = async {
            let alias = crate::values::Text::<200>::parse(&input.alias, "input.alias")?;
            let skill = service::resolve_for_input(
                &request.db,
                request.skill_scope,
                &[(input.skill.clone(), "input.skill".to_owned())],
            )
            .await?
            .into_iter()
            .next()
            .ok_or_else(|| crate::error::AppError::Internal(anyhow::anyhow!("one name resolved to no skill")))?;
            Ok::<_, crate::error::AppError>((skill.id, alias))
        }
        .await;
        let outcome = match parsed {
            Ok((skill_id, alias)) => service::add_alias(&request.db, viewer, skill_id, &alias).await,
            Err(error) => Err(error),
        };
        AddSkillAliasPayload::from_outcome(outcome)
    }
}

/// The skills `ids`, in their order, when the field being resolved selects `skill` (all `None`
/// otherwise), for a list of rows with skills (a candidate's skills, a role's requirements).
/// Built-in skills come straight from the in-memory taxonomy; the organization's own, and any
/// before the taxonomy is in memory, from one DataLoader call. (One load per row was ~400 on a
/// page of 50 candidates; one DataLoader call per list, with its hash maps, still a sixth.)
pub async fn selected_skills(ctx: &Context<'_>, ids: &[Uuid]) -> async_graphql::Result<Vec<Option<Skill>>> {
    if !ctx.look_ahead().field("skill").exists() {
        return Ok(vec![None; ids.len()]);
    }
    let builtin = ctx.data::<Arc<service::BuiltinSkills>>()?;
    let mut skills: Vec<Option<Skill>> = ids.iter().map(|id| builtin.loaded(id).cloned().map(Skill::from)).collect();
    let missing: Vec<Uuid> = ids.iter().zip(&skills).filter(|(_, skill)| skill.is_none()).map(|(id, _)| *id).collect();
    if !missing.is_empty() {
        let found = loader::<SkillLoader>(ctx)?.load_many(missing).await?;
        for (id, skill) in ids.iter().zip(skills.iter_mut()) {
            if skill.is_none() {
                *skill = found.get(id).cloned().map(Skill::from);
            }
        }
    }
    Ok(skills)
}

impl NodeType for Skill {
    const KIND: &'static str = "Skill";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let Some(uuid) = row_id::<Self>(id) else { return Ok(None) };
        Ok(loader::<SkillLoader>(ctx)?.load_one(uuid).await?.map(Self::from))
    }
}
