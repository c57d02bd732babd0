//! The composition root: the only module that lists every slice. It merges the slices' roots,
//! builds the schema, registers each slice's per-request data and lists the `Node` types. Only
//! `startup`, `cli` and tests import it; adding a slice adds one line to each list below.

use std::sync::Arc;

use async_graphql::{Context, EmptySubscription, ID, Interface, MergedObject, Object, Schema};
use futures_util::future::BoxFuture;
use sea_orm::DatabaseConnection;

use super::context::{ClientAddress, RequestContext};
use super::cost::{self, CostModel};
use super::node::NodeType;
use super::{ids, introspection};
use crate::accounts::graphql::{ApiClient, Organization, Recruiter};
use crate::audit::graphql::AuditEvent;
use crate::auth::Authentication;
use crate::auth::permissions::Authenticated;
use crate::auth::tokens::{AuthConfig, JwtKeys, TokenPolicy};
use crate::candidates::graphql::{Candidate, CandidateSkill};
use crate::config::Limits;
use crate::error::AppError;
use crate::http::GraphqlApi;
use crate::pipeline::graphql::{Application, ApplicationEvent};
use crate::roles::graphql::{Role, SkillRequirement};
use crate::skills::graphql::Skill;
use crate::{accounts, audit, candidates, descriptions, duplicates, matching, pipeline, postings, roles, skills, sync};

/// Entry points for reading data.
#[derive(MergedObject, Default)]
#[graphql(name = "Query")]
pub struct QueryRoot(
    ServerQuery,
    NodeQuery,
    accounts::graphql::AuthQuery,
    skills::graphql::SkillQuery,
    roles::graphql::RoleQuery,
    candidates::graphql::CandidateQuery,
    pipeline::graphql::PipelineQuery,
    audit::graphql::AuditQuery,
    matching::graphql::MatchingQuery,
    duplicates::graphql::DuplicateQuery,
    descriptions::graphql::DescriptionQuery,
    sync::graphql::SyncQuery,
);

/// Every mutation root field, merged from the slices.
#[derive(MergedObject, Default)]
#[graphql(name = "Mutation")]
pub struct MutationRoot(
    accounts::graphql::AuthMutation,
    skills::graphql::SkillMutation,
    roles::graphql::RoleMutation,
    candidates::graphql::CandidateMutation,
    pipeline::graphql::PipelineMutation,
    postings::graphql::PostingMutation,
    matching::graphql::MatchingMutation,
    duplicates::graphql::DuplicateMutation,
    descriptions::graphql::DescriptionMutation,
    sync::graphql::SyncMutation,
);

/// The executable schema.
pub type AppSchema = Schema<QueryRoot, MutationRoot, EmptySubscription>;

/// Builds the schema with the given limits and signing keys. Cost, size, aliases, directives
/// and sign-ins are checked before it runs ([`Api`] with [`CostModel`]), so async-graphql's own
/// complexity limit (which counts fields, not work, and re-expands fragments) is not used.
#[must_use]
pub fn build_schema(limits: &Limits, auth: AuthConfig) -> AppSchema {
    schema_builder(limits, auth).finish()
}

fn schema_builder(
    limits: &Limits,
    auth: AuthConfig,
) -> async_graphql::SchemaBuilder<QueryRoot, MutationRoot, EmptySubscription> {
    Schema::build(QueryRoot::default(), MutationRoot::default(), EmptySubscription)
        .data(auth)
        .limit_depth(limits.max_depth)
        .limit_recursive_depth(cost::MAX_NESTING)
}

/// Nesting allowed to bounded introspection operations (see [`introspection`]): graphql-js's
/// `getIntrospectionQuery()` is 15 deep (`ofType` nine levels under `__schema { types { fields
/// { args { type`, and the leaf).
pub const INTROSPECTION_MAX_DEPTH: usize = 20;

/// The schema in SDL, as `talentgraph export-schema` prints it and `schema.graphql` holds it.
#[must_use]
pub fn sdl() -> String {
    let auth = AuthConfig { keys: Arc::new(JwtKeys::ephemeral()), policy: TokenPolicy::default() };
    build_schema(&Limits::default(), auth).sdl()
}

/// Attaches what resolvers read to one request: its state, the caller, the client's address,
/// and every slice's DataLoaders (fresh per request, scoped to the caller's organization).
#[must_use]
pub fn with_request_data(
    request: async_graphql::Request,
    db: &DatabaseConnection,
    shared: &Shared,
    authentication: Authentication,
    address: Option<std::net::IpAddr>,
) -> async_graphql::Request {
    let context = RequestContext::new(db.clone(), &authentication);
    let request = accounts::loaders::register(request, &context);
    let request = skills::loaders::register(request, &context, &shared.builtin_skills);
    let request = roles::loaders::register(request, &context);
    let request = candidates::loaders::register(request, &context);
    let request = pipeline::loaders::register(request, &context);
    let request = postings::loaders::register(request, &context);
    request
        .data(context)
        .data(authentication)
        .data(ClientAddress(address))
        .data(Arc::clone(&shared.matching))
        .data(Arc::clone(&shared.descriptions))
        .data(Arc::clone(&shared.callers))
}

/// What a server's requests share: caches of database state kept current from the domain
/// events (matching), from announced changes (callers) or unchanging while a server runs (the
/// built-in taxonomy).
pub struct Shared {
    /// Each organization's matching pool.
    matching: Arc<matching::index::MatchIndexes>,
    /// The built-in skills' rows.
    builtin_skills: Arc<skills::service::BuiltinSkills>,
    /// Each organization's matcher of its own skills for reading descriptions.
    descriptions: Arc<descriptions::service::OrganizationMatchers>,
    /// The callers found current lately (the HTTP layer checks every token's caller with it).
    callers: Arc<accounts::callers::CurrentCallers>,
}

impl Shared {
    fn new(db: &DatabaseConnection) -> Self {
        Self {
            matching: Arc::default(),
            builtin_skills: Arc::default(),
            descriptions: Arc::default(),
            callers: accounts::callers::CurrentCallers::new(db),
        }
    }
}

/// The schema with the database it serves and the cost model of its limits, as the HTTP layer
/// runs it.
pub struct Api {
    schema: AppSchema,
    /// With introspection on: the same schema with a nesting limit deep enough for the standard
    /// introspection query, for bounded introspection operations only.
    introspection: Option<AppSchema>,
    cost: CostModel,
    db: DatabaseConnection,
    /// What this server's requests share.
    shared: Shared,
}

impl Api {
    /// The API over `db` with `limits` and signing keys `auth`; `introspection` off refuses
    /// `__schema` and `__type`.
    #[must_use]
    pub fn new(db: DatabaseConnection, limits: &Limits, auth: AuthConfig, introspection: bool) -> Self {
        let schema = if introspection {
            build_schema(limits, auth.clone())
        } else {
            schema_builder(limits, auth.clone()).disable_introspection().finish()
        };
        let cost = CostModel::new(&schema.sdl(), *limits);
        let deeper = introspection.then(|| {
            let deeper = Limits { max_depth: limits.max_depth.max(INTROSPECTION_MAX_DEPTH), ..*limits };
            build_schema(&deeper, auth)
        });
        let shared = Shared::new(&db);
        Self { schema, introspection: deeper, cost, db, shared }
    }

    /// This API with matching pools released after `idle` without a match.
    #[must_use]
    pub fn with_matching_idle(mut self, idle: std::time::Duration) -> Self {
        self.shared.matching = Arc::new(matching::index::MatchIndexes::new(idle));
        self
    }

    /// The callers found current lately, which the HTTP layer checks tokens against.
    #[must_use]
    pub fn callers(&self) -> &Arc<accounts::callers::CurrentCallers> {
        &self.shared.callers
    }

    /// The organizations' matching pools (the server sweeps idle ones).
    #[must_use]
    pub fn matching(&self) -> &Arc<matching::index::MatchIndexes> {
        &self.shared.matching
    }
}

impl GraphqlApi for Api {
    fn execute(
        &self,
        request: async_graphql::Request,
        authentication: Authentication,
        address: Option<std::net::IpAddr>,
    ) -> BoxFuture<'_, async_graphql::Response> {
        let mut request = with_request_data(request, &self.db, &self.shared, authentication, address);
        Box::pin(async move {
            // Refused before anything runs: answered as a request error (no `data`).
            let variables = std::mem::take(&mut request.variables);
            let operation_name = request.operation_name.take();
            // The cost model first: it bounds every walk of the document that follows.
            let (cost, schema) = match request.parsed_query() {
                Ok(document) => {
                    let operation = operation_name.as_deref();
                    let cost = match self.cost.analyze(document, operation, &variables) {
                        Ok(cost) => cost,
                        Err(refusal) => return async_graphql::Response::from_errors(vec![refusal.into()]),
                    };
                    let schema = match &self.introspection {
                        Some(deeper) if introspection::is_bounded_introspection(document, operation) => deeper,
                        None if introspection::selects_introspection(document, operation) => {
                            return async_graphql::Response::from_errors(vec![introspection_off()]);
                        }
                        Some(_) | None => &self.schema,
                    };
                    (cost, schema)
                }
                Err(error) => return async_graphql::Response::from_errors(vec![error]),
            };
            request.variables = variables;
            request.operation_name = operation_name;
            let mut response = crate::skills::service::per_request(schema.execute(request)).await;
            response.extensions.insert("cost".to_owned(), cost.extension());
            response
        })
    }
}

/// The refusal of `__schema`/`__type` when introspection is off: FORBIDDEN, before execution
/// (the schema's `disable_introspection` alone would answer `null` without saying why).
fn introspection_off() -> async_graphql::ServerError {
    let mut error = async_graphql::Error::from(AppError::Forbidden);
    "introspection is disabled on this server (--introspection)".clone_into(&mut error.message);
    let mut error = error.into_server_error(async_graphql::Pos::default());
    error.locations.clear();
    error
}

/// Declares the `Node` interface over the listed types (each a [`NodeType`], named as its
/// variant) and the lookup that dispatches a global
/// id to its type's [`NodeType::lookup`].
macro_rules! node_types {
    ($($ty:ident),* $(,)?) => {
        /// An object with a global id that `node(id:)` can fetch.
        #[derive(Interface)]
        #[graphql(field(name = "id", ty = "&ID", desc = "Global id."))]
        pub enum Node {
            $($ty($ty),)*
        }

        /// Looks up one global id (given as argument `field`) for the caller; `None` when it
        /// names nothing they may see. An id no object could have is refused.
        async fn lookup(ctx: &Context<'_>, id: &ID, field: &str) -> async_graphql::Result<Option<Node>> {
            let Some(kind) = ids::kind_of(id) else {
                return Err(AppError::bad_input(field, "not a valid id").into());
            };
            $(if kind == <$ty as NodeType>::KIND {
                return Ok(<$ty as NodeType>::lookup(ctx, id).await?.map(Node::$ty));
            })*
            Err(AppError::bad_input(field, format!("no type of this API is called {kind}")).into())
        }
    };
}

node_types!(
    Organization,
    Recruiter,
    ApiClient,
    Skill,
    Role,
    SkillRequirement,
    Candidate,
    CandidateSkill,
    Application,
    ApplicationEvent,
    AuditEvent,
);

/// `node` and `nodes`.
#[derive(Default)]
pub struct NodeQuery;

#[Object]
impl NodeQuery {
    /// The object with this global id, or null if it does not exist in your organization (or
    /// you may not see it). A malformed id is BAD_USER_INPUT.
    #[graphql(guard = "Authenticated")]
    async fn node(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Node>> {
        lookup(ctx, &id, "id").await
    }

    /// The objects with these global ids, in the same order; null where `node` would be null.
    /// At most 100 ids, fetched together (one statement per type for most types).
    #[graphql(guard = "Authenticated")]
    async fn nodes(&self, ctx: &Context<'_>, ids: Vec<ID>) -> async_graphql::Result<Vec<Option<Node>>> {
        if ids.len() > 100 {
            return Err(AppError::bad_input("ids", "at most 100 ids").into());
        }
        // Concurrent lookups let each type's DataLoader gather the ids into one batch.
        let lookups =
            ids.iter().enumerate().map(|(index, id)| async move { lookup(ctx, id, &format!("ids.{index}")).await });
        futures_util::future::try_join_all(lookups).await
    }
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
