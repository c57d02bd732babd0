//! GraphQL face of descriptions: `parseRoleDescription` (a query: nothing stored),
//! `createRoleFromDescription` and `reparseRole`. Offsets in the answers are UTF-16 code units
//! into the (trimmed) text, what JavaScript's `String.prototype.slice` takes.

use std::sync::Arc;

use async_graphql::{ComplexObject, Context, ID, Object, SimpleObject};
use uuid::Uuid;

use super::model::{DescriptionText, Utf16Offsets};
use super::parse::{Draft, Passage};
use super::service::{self, OrganizationMatchers};
use crate::auth::permissions::{Permission, Require};
use crate::error::AppError;
use crate::graphql::context::{loader, request, viewer};
use crate::graphql::ids;
use crate::roles::graphql::{Importance, Role, Seniority};
use crate::skills::graphql::Skill;
use crate::skills::loaders::SkillLoader;
use crate::values::Text;

/// A passage of the description: its words and where they are, in UTF-16 code units (`start`
/// inclusive, `end` exclusive) of the text as given, trimmed.
#[derive(Debug, Clone, SimpleObject)]
pub struct TextSpan {
    /// The words.
    pub text: String,
    /// Offset of the first code unit.
    pub start: i32,
    /// Offset past the last code unit.
    pub end: i32,
}

/// One requirement read from a description. Its fields are those of `SkillRequirementInput`,
/// so a draft can be passed to `matchCandidatesForRequirements` or `createRole` as it is
/// (`skill` by its slug).
#[derive(Debug, Clone, SimpleObject)]
#[graphql(complex)]
pub struct DraftRequirement {
    /// Canonical name of the skill.
    pub skill_name: String,
    /// How much it matters, from the wording and the section it is in.
    pub importance: Importance,
    /// Shared by the members of one "X or Y" group; null when the skill stands alone.
    pub alternatives_group: Option<String>,
    /// Minimum level 1 to 5 the wording states ("expert" 5, "strong" 4, "familiarity" 2); null
    /// when it says none (a stored draft then uses 3).
    pub min_level: Option<i32>,
    /// Minimum years with this skill ("3+ years of Go"); null when none are stated.
    pub min_years: Option<i32>,
    /// Where the description names it.
    pub evidence: Vec<TextSpan>,
    #[graphql(skip)]
    skill_id: Uuid,
}

#[ComplexObject]
impl DraftRequirement {
    /// The skill of the taxonomy.
    async fn skill(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<Skill>> {
        Ok(loader::<SkillLoader>(ctx)?.load_one(self.skill_id).await?.map(Skill::from))
    }
}

/// What a job description says a role needs.
#[derive(Debug, Clone, SimpleObject)]
pub struct RoleDescriptionDraft {
    /// The requirements, in the order the text first names them.
    pub requirements: Vec<DraftRequirement>,
    /// Minimum total years of experience ("7+ years of experience"); null when none are stated.
    pub min_years_experience: Option<i32>,
    /// Seniority from the title or the text; null when neither says.
    pub seniority: Option<Seniority>,
    /// Sentences that read like requirements but named no skill the taxonomy knows: worth a
    /// recruiter's look (or a new skill or alias).
    pub unproductive_sentences: Vec<TextSpan>,
}

impl RoleDescriptionDraft {
    fn of(draft: Draft, text: &str) -> Self {
        let mut offsets = Utf16Offsets::new(text);
        let mut span = |passage: Passage| TextSpan {
            start: offsets.of(passage.start) as i32,
            end: offsets.of(passage.end) as i32,
            text: passage.text,
        };
        let requirements = draft
            .requirements
            .into_iter()
            .map(|r| DraftRequirement {
                skill_name: r.skill.name,
                importance: r.importance.into(),
                alternatives_group: r.alternatives_group,
                min_level: r.min_level.map(i32::from),
                min_years: r.min_years.map(i32::from),
                evidence: r.evidence.into_iter().map(&mut span).collect(),
                skill_id: r.skill.id,
            })
            .collect();
        let unproductive_sentences = draft.unproductive.into_iter().map(&mut span).collect();
        Self {
            requirements,
            min_years_experience: draft.min_years_experience.map(i32::from),
            seniority: draft.seniority.map(Into::into),
            unproductive_sentences,
        }
    }
}

fn matchers<'a>(ctx: &Context<'a>) -> Result<&'a OrganizationMatchers, AppError> {
    ctx.data::<Arc<OrganizationMatchers>>()
        .map(AsRef::as_ref)
        .map_err(|_| AppError::Internal(anyhow::anyhow!("description matchers missing")))
}

/// Reading job descriptions.
#[derive(Default)]
pub struct DescriptionQuery;

#[Object]
impl DescriptionQuery {
    /// Reads a job description into a draft role: the skills it names (through the taxonomy:
    /// names, aliases, your organization's own skills), each with its importance, alternatives
    /// group, minimum level and years and the evidence; the total years and seniority; and the
    /// sentences that produced nothing. Nothing is stored; the same text gives the same draft.
    /// `text` is 1 to 20,000 characters (BAD_USER_INPUT otherwise).
    #[graphql(guard = "Require(Permission::ReadRoles)")]
    async fn parse_role_description(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The job title (1 to 200 characters); it names the seniority and the team.")] title: String,
        #[graphql(desc = "The description, 1 to 20,000 characters.")] text: String,
    ) -> async_graphql::Result<RoleDescriptionDraft> {
        let request = request(ctx)?;
        let title = Text::<200>::parse(&title, "title")?;
        let text = DescriptionText::parse(&text, "text")?;
        let draft = service::read(&request.db, matchers(ctx)?, request.skill_scope, title.as_str(), &text).await?;
        Ok(RoleDescriptionDraft::of(draft, text.as_str()))
    }
}

crate::payload!(
    /// Result of `createRoleFromDescription`.
    CreateRoleFromDescriptionPayload,
    /// The new DRAFT role (null when refused).
    role: Role,
    /// What was read from the description: the role's requirements are its requirements.
    draft: RoleDescriptionDraft,
);

crate::payload!(
    /// Result of `reparseRole`.
    ReparseRolePayload,
    /// The role with its requirements read again (null when refused).
    role: Role,
    /// What the description says now.
    draft: RoleDescriptionDraft,
);

/// Roles made from job descriptions.
#[derive(Default)]
pub struct DescriptionMutation;

#[Object]
impl DescriptionMutation {
    /// Stores a DRAFT role read from a job description: the description is kept, its
    /// requirements, total years and seniority are the draft's (`parseRoleDescription`), a level
    /// the wording does not state is 3.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn create_role_from_description(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Job title (1 to 200 characters).")] title: String,
        #[graphql(desc = "The description, 1 to 20,000 characters.")] text: String,
    ) -> async_graphql::Result<CreateRoleFromDescriptionPayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let title = Text::<200>::parse(&title, "title")?;
            let text = DescriptionText::parse(&text, "text")?;
            let (role, draft) = service::create_role(&request.db, matchers(ctx)?, viewer, title, text).await?;
            let draft = RoleDescriptionDraft::of(draft, &role.description);
            Ok((Role::from(role), draft))
        };
        CreateRoleFromDescriptionPayload::from_outcome(outcome.await)
    }

    /// Reads a DRAFT role's description again, after the taxonomy grew, and replaces its
    /// requirements, total years and seniority. Any other status is refused with CONFLICT in
    /// `userErrors`, since an open role's requirements are the recruiter's.
    #[graphql(guard = "Require(Permission::WriteRoles)")]
    async fn reparse_role(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The DRAFT role.")] id: ID,
    ) -> async_graphql::Result<ReparseRolePayload> {
        let (request, viewer) = (request(ctx)?, viewer(ctx)?);
        let outcome = async {
            let id = ids::decode("Role", &id, "id")?;
            let (role, draft) = service::reparse_role(&request.db, matchers(ctx)?, viewer, viewer.tenant(), id)
                .await
                .map_err(|e| e.locating(&[("Role", "id")]))?;
            let draft = RoleDescriptionDraft::of(draft, &role.description);
            Ok((Role::from(role), draft))
        };
        ReparseRolePayload::from_outcome(outcome.await)
    }
}
