//! Assembles the GraphQL schema: the only module that lists every slice.

pub mod ids;
pub mod node;
pub mod relay;
pub mod user_errors;

use async_graphql::dataloader::DataLoader;
use std::sync::Arc;

use async_graphql::{Context, EmptySubscription, MergedObject, Object, Schema};
use sea_orm::DatabaseConnection;

use crate::audit::graphql::AuditQuery;
use crate::auth::Authentication;
use crate::auth::graphql::{AuthConfig, AuthMutation, AuthQuery};
use crate::auth::loaders::{ApiClientLoader, RecruiterLoader};
use crate::auth::permissions::Authenticated;
use crate::auth::service::TokenPolicy;
use crate::auth::tokens::JwtKeys;
use crate::candidates::graphql::{CandidateMutation, CandidateQuery};
use crate::candidates::loaders::{CandidateLoader, CandidateSkillsLoader, CandidateTagsLoader};
use crate::config::Limits;
use crate::pipeline::graphql::{PipelineMutation, PipelineQuery};
use crate::pipeline::loaders::{ApplicationEventsLoader, ApplicationsLoader, PipelineSummaryLoader};
use crate::pipeline::service::GroupBy;
use crate::roles::graphql::{RoleMutation, RoleQuery};
use crate::roles::loaders::{RequirementsLoader, RoleLoader};
use crate::skills::graphql::{SkillMutation, SkillQuery};
use crate::skills::loaders::{SkillAliasesLoader, SkillLinksLoader, SkillLoader};
use crate::skills::service::SkillScope;

/// Entry points for reading data.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    ServerQuery,
    node::NodeQuery,
    AuthQuery,
    SkillQuery,
    RoleQuery,
    CandidateQuery,
    PipelineQuery,
    AuditQuery,
);

/// Every mutation root field, merged from the slices.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(AuthMutation, SkillMutation, RoleMutation, CandidateMutation, PipelineMutation);

/// The executable schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Builds the schema with the given limits and signing keys.
#[must_use]
pub fn build_schema(limits: &Limits, keys: Arc<JwtKeys>, policy: TokenPolicy) -> AppSchema {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .data(AuthConfig { keys, policy })
        .limit_depth(limits.max_depth)
        .limit_complexity(limits.max_complexity)
        .limit_recursive_depth(32)
        .finish()
}

/// The schema in SDL, as `talentgraph export-schema` prints it and `schema.graphql` holds it.
#[must_use]
pub fn sdl() -> String {
    build_schema(&Limits::default(), Arc::new(JwtKeys::ephemeral()), TokenPolicy::default()).sdl()
}

/// Per-request state: the database and what the caller may see.
pub struct RequestContext {
    /// The connection pool.
    pub db: DatabaseConnection,
    /// The skills the caller sees.
    pub skill_scope: SkillScope,
}

impl RequestContext {
    /// The context of a request by `authentication`.
    #[must_use]
    pub fn new(db: DatabaseConnection, authentication: &Authentication) -> Self {
        let skill_scope = match authentication {
            Authentication::Viewer(viewer) => SkillScope::organization(viewer.tenant().organization_id()),
            Authentication::Anonymous | Authentication::Invalid => SkillScope::builtin(),
        };
        Self { db, skill_scope }
    }
}

/// Per-request DataLoaders, so batches and caches never outlive a request or cross tenants.
pub struct Loaders {
    pub skills: DataLoader<SkillLoader>,
    pub skill_aliases: DataLoader<SkillAliasesLoader>,
    pub skill_links: DataLoader<SkillLinksLoader>,
    pub recruiters: DataLoader<RecruiterLoader>,
    pub api_clients: DataLoader<ApiClientLoader>,
    pub roles: DataLoader<RoleLoader>,
    pub requirements: DataLoader<RequirementsLoader>,
    pub candidates: DataLoader<CandidateLoader>,
    pub candidate_skills: DataLoader<CandidateSkillsLoader>,
    pub candidate_tags: DataLoader<CandidateTagsLoader>,
    pub applications_by_role: DataLoader<ApplicationsLoader>,
    pub applications_by_candidate: DataLoader<ApplicationsLoader>,
    pub application_events: DataLoader<ApplicationEventsLoader>,
    pub pipeline_summaries: DataLoader<PipelineSummaryLoader>,
}

impl Loaders {
    /// Fresh loaders for one request by `authentication`.
    #[must_use]
    pub fn new(db: &DatabaseConnection, authentication: &Authentication) -> Self {
        let tenant = match authentication {
            Authentication::Viewer(viewer) => Some(viewer.tenant()),
            Authentication::Anonymous | Authentication::Invalid => None,
        };
        let skill_scope = tenant.map_or_else(SkillScope::builtin, |t| SkillScope::organization(t.organization_id()));
        Self {
            skills: DataLoader::new(SkillLoader { db: db.clone(), scope: skill_scope }, tokio::spawn),
            skill_aliases: DataLoader::new(SkillAliasesLoader { db: db.clone(), scope: skill_scope }, tokio::spawn),
            skill_links: DataLoader::new(SkillLinksLoader { db: db.clone(), scope: skill_scope }, tokio::spawn),
            recruiters: DataLoader::new(RecruiterLoader { db: db.clone(), tenant }, tokio::spawn),
            api_clients: DataLoader::new(ApiClientLoader { db: db.clone(), tenant }, tokio::spawn),
            roles: DataLoader::new(RoleLoader { db: db.clone(), tenant }, tokio::spawn),
            requirements: DataLoader::new(RequirementsLoader { db: db.clone(), tenant }, tokio::spawn),
            candidates: DataLoader::new(CandidateLoader { db: db.clone(), tenant }, tokio::spawn),
            candidate_skills: DataLoader::new(CandidateSkillsLoader { db: db.clone(), tenant }, tokio::spawn),
            candidate_tags: DataLoader::new(CandidateTagsLoader { db: db.clone(), tenant }, tokio::spawn),
            applications_by_role: DataLoader::new(
                ApplicationsLoader { db: db.clone(), tenant, by: GroupBy::Role },
                tokio::spawn,
            ),
            applications_by_candidate: DataLoader::new(
                ApplicationsLoader { db: db.clone(), tenant, by: GroupBy::Candidate },
                tokio::spawn,
            ),
            application_events: DataLoader::new(ApplicationEventsLoader { db: db.clone(), tenant }, tokio::spawn),
            pipeline_summaries: DataLoader::new(PipelineSummaryLoader { db: db.clone(), tenant }, tokio::spawn),
        }
    }
}

/// Whether the client selected `totalCount` on the connection being resolved, so the count
/// query runs only when someone reads it.
#[must_use]
pub fn wants_total_count(ctx: &Context<'_>) -> bool {
    ctx.look_ahead().field("totalCount").exists()
}

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, async_graphql::Enum)]
pub enum OrderDirection {
    /// Smallest first.
    Asc,
    /// Largest first.
    Desc,
}

/// Facts about the server itself.
#[derive(Default)]
pub struct ServerQuery;

#[Object]
impl ServerQuery {
    /// The server's version (semantic versioning).
    #[graphql(guard = "Authenticated")]
    async fn server_version(&self) -> &'static str {
        env!("CARGO_PKG_VERSION")
    }
}
