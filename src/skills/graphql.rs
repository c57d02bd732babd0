//! GraphQL face of the taxonomy: the `Skill` type and the `skills` / `skill` queries.

use async_graphql::{ComplexObject, Context, Enum, ID, InputObject, Object, SimpleObject};
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

/// A skill of the taxonomy. Any spelling in `aliases` (or the name) resolves to it wherever the
/// API takes a skill name.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct Skill {
    /// Global id.
    pub id: ID,
    /// Stable, URL-safe handle ("apache-spark").
    pub slug: String,
    /// Canonical name ("Apache Spark").
    pub name: String,
    /// Broad kind.
    pub category: SkillCategory,
    /// What the skill covers, when written down.
    pub description: Option<String>,
    /// ESCO skill URI, when known.
    pub esco_uri: Option<String>,
    /// O*NET code, when known.
    pub onet_code: Option<String>,
    /// True for the built-in taxonomy, false for the organization's own skills.
    pub builtin: bool,
    #[graphql(skip)]
    pub skill_id: Uuid,
}

impl From<skills::Model> for Skill {
    fn from(row: skills::Model) -> Self {
        Self {
            id: ids::encode("Skill", row.id),
            slug: row.slug,
            name: row.name,
            category: row.category.into(),
            description: row.description,
            esco_uri: row.esco_uri,
            onet_code: row.onet_code,
            builtin: row.organization_id.is_none(),
            skill_id: row.id,
        }
    }
}

impl Skill {
    async fn linked(
        &self,
        ctx: &Context<'_>,
        kind: SkillRelationKind,
        direction: LinkDirection,
    ) -> async_graphql::Result<Vec<Skill>> {
        let key = SkillLink { skill_id: self.skill_id, kind, direction };
        let ids = loader::<SkillLinksLoader>(ctx)?.load_one(key).await?.unwrap_or_default();
        let found = loader::<SkillLoader>(ctx)?.load_many(ids).await?;
        let mut skills: Vec<Skill> = found.into_values().map(Skill::from).collect();
        skills.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(skills)
    }
}

#[ComplexObject]
impl Skill {
    /// Other spellings that resolve to this skill ("spark" for Apache Spark), alphabetical.
    async fn aliases(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<String>> {
        Ok(loader::<SkillAliasesLoader>(ctx)?.load_one(self.skill_id).await?.unwrap_or_default())
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

/// The skills `ids`, in one DataLoader call, when the field being resolved selects `skill` (none
/// otherwise): a list of rows with skills (a candidate's skills, a role's requirements) then
/// awaits one load instead of one per row, which on a page of 50 candidates was ~400 loads.
pub async fn selected_skills(
    ctx: &Context<'_>,
    ids: impl IntoIterator<Item = Uuid>,
) -> async_graphql::Result<std::collections::HashMap<Uuid, Skill>> {
    if !ctx.look_ahead().field("skill").exists() {
        return Ok(std::collections::HashMap::new());
    }
    let found = loader::<SkillLoader>(ctx)?.load_many(ids).await?;
    Ok(found.into_iter().map(|(id, skill)| (id, Skill::from(skill))).collect())
}

impl NodeType for Skill {
    const KIND: &'static str = "Skill";

    async fn lookup(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Self>> {
        let Some(uuid) = row_id::<Self>(id) else { return Ok(None) };
        Ok(loader::<SkillLoader>(ctx)?.load_one(uuid).await?.map(Self::from))
    }
}
