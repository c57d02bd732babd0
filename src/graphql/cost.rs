//! What a GraphQL request would cost, found before anything runs, and the request limits of
//! [`Limits`] checked on it. A leaf: it knows the schema only through its SDL, which the
//! composition root hands to [`CostModel::new`], and imports no slice.
//!
//! The cost of the selected operation (README, "Request limits"), in units of about a
//! microsecond of server work:
//! - every field costs 1, `__typename` included;
//! - a connection field (one that declares `first`/`last`) costs 1 plus its page size (`first`
//!   or `last`, from literals or variables, at most 100, 20 when neither is given) times what
//!   one item of its `nodes`/`edges` costs; the rest of its selection (`totalCount`,
//!   `pageInfo`) counts once;
//! - `nodes(ids:)` costs the number of ids times (a lookup plus what one node costs);
//! - a list without paging costs its declared bound ([`LIST_BOUNDS`]) times one item;
//!   introspection lists use the schema's own counts ([`introspection_bounds`]);
//! - text searches, skill names (which may run a fuzzy suggestion), sign-ins (a password hash),
//!   node lookups, data exports, rankings and mutations add a fixed cost ([`CostModel::extra_cost`]).
//!
//! One walk over the document memoizes each fragment's figures, so a chain of fragments that
//! spread the next one twice (`...F0` → `...F1 ...F1` → …) takes linear time, and it stops as
//! soon as the document's expanded field count passes its limit. Every operation and fragment
//! definition is walked, because validation walks them all (each fragment inlined wherever it
//! is spread); the cost, alias, root-field and sign-in limits concern the selected operation.

use std::collections::{HashMap, HashSet};
use std::convert::Infallible;

use async_graphql::parser::types::{
    BaseType, DocumentOperations, ExecutableDocument, Field, OperationDefinition, OperationType, Selection,
    SelectionSet, ServiceDocument, Type, TypeDefinition, TypeKind, TypeSystemDefinition,
};
use async_graphql::{Pos, Positioned, ServerError, Value as ConstValue, Variables};

use crate::config::Limits;
use crate::error::{AppError, LimitExceeded, RequestLimit};
use crate::pagination::{DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE};

/// Deepest nesting of selection sets (fields, fragment spreads and inline fragments), counted as
/// async-graphql's recursive depth counts it; the schema is built with the same limit.
pub const MAX_NESTING: usize = 32;

// A unit of cost is about a microsecond of server work: one field resolved from rows already
// loaded (lists load through DataLoaders, a few statements per level whatever the size). Work
// that is not a field of loaded rows is priced in the same unit, roughly as measured.

/// A text search (`search`): `LIKE '%…%'` over every row of the organization, which no index
/// serves (milliseconds on a large pool).
const SEARCH_COST: u64 = 10_000;
/// Skill names to resolve: one indexed lookup, but an unknown name runs a fuzzy suggestion
/// (Jaro-Winkler over every spelling in the taxonomy, a few milliseconds) before the refusal.
const SKILL_NAMES_COST: u64 = 5_000;
/// A sign-in hashes a password or client secret (argon2, tens of milliseconds of CPU); the
/// number per request is limited apart.
const SIGN_IN_COST: u64 = 20_000;
/// `node`/`nodes` look each id up on its own: one statement per id (no DataLoader).
const NODE_LOOKUP_COST: u64 = 100;
/// `exportCandidateData` reads every table that holds something about the person.
const EXPORT_COST: u64 = 1_000;
/// A mutation runs a transaction of several statements and writes the audit trail.
const MUTATION_COST: u64 = 1_000;
/// One item of a batch upsert (`upsertCandidates`, `upsertRoles`): its share of the batch's
/// reads, writes and events, about 0.2 ms a candidate with skills (bench/sync.sh).
const UPSERT_ITEM_COST: u64 = 200;
/// The batch mutations, priced by the length of their `input` list: each item costs
/// [`UPSERT_ITEM_COST`] plus what its result selects.
const BATCH_MUTATIONS: &[&str] = &["upsertCandidates", "upsertRoles"];
/// A ranking (`matchCandidates`, `matchCandidatesForRequirements`, `Role.matches`): one pass
/// over the postings of the role's skills and a top-k selection over the whole pool, a few
/// milliseconds at 100k candidates (bench/match.sh).
const RANKING_COST: u64 = 5_000;
/// `talentPool`: the ranking's pass plus the what-if counts, about twice a ranking.
const TALENT_POOL_COST: u64 = 10_000;
/// `matchRoles` / `Candidate.matchingRoles`: one candidate against every OPEN role.
const ROLE_RANKING_COST: u64 = 500;
/// `possibleDuplicates`: four indexed lookups and a name comparison with at most 500 colleagues
/// at the same company.
const DUPLICATES_COST: u64 = 1_000;
/// `Role.jobPosting`: the role's requirements and their skills (batched per page, like
/// `requirements { skill }`) and a JSON-LD document built from them.
const JOB_POSTING_COST: u64 = 20;
/// Reading a job description (`parseRoleDescription`, `createRoleFromDescription`,
/// `reparseRole`): one automaton pass and the sentence rules over up to 20,000 characters,
/// well under a millisecond per few kB (bench/parse.sh), a few ms at the size limit.
const DESCRIPTION_COST: u64 = 5_000;
/// `importJsonResume`: the schema check and the read of a document of up to 256 kB (a few ms at
/// the limit), its skill names (priced apart, as [`SKILL_NAMES_COST`]) and a one-item upsert.
const RESUME_IMPORT_COST: u64 = 5_000;
/// `Candidate.jsonResume`: the candidate's skills and history (batched per page, like
/// `skills { skill }`) and a document built from them.
const JSON_RESUME_COST: u64 = 20;
/// The bound of a list of objects that [`LIST_BOUNDS`] forgot; a test keeps it unused.
const UNDECLARED_LIST_BOUND: u64 = 100;

/// The most items a list field without paging returns, by `(type, field)` (`*` for any type),
/// with the reason: the cap where input parsing enforces one, else a generous estimate. A list
/// of objects missing here counts [`UNDECLARED_LIST_BOUND`] and shows in
/// [`CostModel::undeclared_lists`]; lists of scalars and enums have nothing below them to
/// multiply and need no entry.
pub const LIST_BOUNDS: &[(&str, &str, u64, &str)] = &[
    ("Role", "requirements", 100, "roles::model refuses more than 100 requirements per role"),
    ("Role", "applications", 100, "a role's pipeline: not capped; large ones page with applications(filter)"),
    ("Candidate", "skills", 200, "candidates::model refuses more than 200 skills per candidate"),
    ("Candidate", "links", 20, "candidate input refuses more than 20 links"),
    ("Candidate", "employments", 50, "candidates::model refuses more than 50 employments"),
    ("Employment", "skills", 50, "candidates::model refuses more than 50 skills per employment"),
    ("Candidate", "applications", 20, "one per role the candidate is in: not capped, rarely above a few"),
    ("Application", "events", 20, "one per stage move: 7 stages, a step back now and then"),
    ("Skill", "broader", 20, "taxonomy links: at most 12 in the built-in taxonomy, organizations add a few"),
    ("Skill", "narrower", 20, "as broader"),
    ("Skill", "implies", 20, "as broader"),
    ("Skill", "impliedBy", 20, "as broader"),
    ("Query", "recruiters", 100, "an organization's recruiting team"),
    ("Query", "apiClients", 50, "an organization's integrations"),
    ("Query", "rejectionReasons", 50, "pipeline::service refuses more than 50 reasons"),
    ("SetRejectionReasonsPayload", "rejectionReasons", 50, "as Query.rejectionReasons"),
    ("PipelineSummary", "stages", 7, "one per ApplicationStage"),
    ("CandidateMatch", "requirements", 100, "one per requirement of the role: at most 100"),
    ("RoleMatch", "requirements", 100, "as CandidateMatch.requirements"),
    (
        "RequirementMatch",
        "skills",
        5,
        "an alternatives group's members, as a mean: the role's 100 rows bound requirements x members together",
    ),
    ("TalentPool", "requirements", 100, "as CandidateMatch.requirements"),
    ("RequirementPool", "skills", 5, "as RequirementMatch.skills"),
    ("Query", "possibleDuplicates", 50, "duplicates::service returns at most 50"),
    ("PossibleDuplicate", "reasons", 4, "one per DuplicateReason"),
    ("MergeCandidatesPayload", "droppedApplications", 20, "as Candidate.applications: one per role"),
    ("RoleDescriptionDraft", "requirements", 100, "descriptions::parse keeps at most 100 (a role's limit)"),
    ("RoleDescriptionDraft", "unproductiveSentences", 100, "descriptions::parse keeps at most 100"),
    ("DraftRequirement", "evidence", 10, "descriptions::parse keeps at most 10 mentions per skill"),
    ("*", "userErrors", 20, "input parsers report a few refusals, never one per list item"),
    ("UpsertCandidatesPayload", "results", 1, "one per input item: the mutation multiplies by the input's length"),
    ("UpsertRolesPayload", "results", 1, "as UpsertCandidatesPayload.results"),
    (
        "ImportJsonResumePayload",
        "unknownSkills",
        400,
        "sync::jsonresume refuses more than 400 skill names and keywords",
    ),
    ("ImportJsonResumePayload", "ignored", 50, "sync::jsonresume lists at most 50"),
];

/// The introspection types, as async-graphql serves them (only what the cost walk needs: field
/// names, arguments and types).
const INTROSPECTION_SDL: &str = r"
type __Schema { description: String types: [__Type!]! queryType: __Type! mutationType: __Type
  subscriptionType: __Type directives: [__Directive!]! }
type __Type { kind: __TypeKind! name: String description: String specifiedByURL: String
  isOneOf: Boolean fields(includeDeprecated: Boolean): [__Field!] interfaces: [__Type!]
  possibleTypes: [__Type!] enumValues(includeDeprecated: Boolean): [__EnumValue!]
  inputFields(includeDeprecated: Boolean): [__InputValue!] ofType: __Type }
type __Field { name: String! description: String args(includeDeprecated: Boolean): [__InputValue!]!
  type: __Type! isDeprecated: Boolean! deprecationReason: String }
type __InputValue { name: String! description: String type: __Type! defaultValue: String
  isDeprecated: Boolean! deprecationReason: String }
type __EnumValue { name: String! description: String isDeprecated: Boolean! deprecationReason: String }
type __Directive { name: String! description: String locations: [__DirectiveLocation!]!
  args(includeDeprecated: Boolean): [__InputValue!]! isRepeatable: Boolean! }
enum __TypeKind { SCALAR OBJECT INTERFACE UNION ENUM INPUT_OBJECT LIST NON_NULL }
enum __DirectiveLocation { QUERY MUTATION SUBSCRIPTION FIELD FRAGMENT_DEFINITION FRAGMENT_SPREAD
  INLINE_FRAGMENT VARIABLE_DEFINITION SCHEMA SCALAR OBJECT FIELD_DEFINITION ARGUMENT_DEFINITION
  INTERFACE UNION ENUM ENUM_VALUE INPUT_OBJECT INPUT_FIELD_DEFINITION }
";

/// Built-in scalars that introspection lists but the SDL does not print.
const BUILTIN_SCALARS: u64 = 5;

/// How many items one resolution of a field returns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Items {
    /// Not a list.
    One,
    /// `nodes`/`edges` of a connection: one page of the field that returned the connection.
    Page,
    /// `nodes(ids:)`: one per id.
    Ids,
    /// A list of at most `total / per` items (a mean for introspection lists, `per` = 1 else).
    Bound { total: u64, per: u64 },
    /// A list of objects without a declared bound.
    Undeclared,
}

/// What the walk needs to know about a field of the schema.
#[derive(Debug, Clone)]
struct FieldInfo {
    /// The named type of its items.
    ty: String,
    items: Items,
    /// Declares `first` or `last`: its `nodes`/`edges` hold one page.
    paged: bool,
}

/// The schema as the cost walk sees it, with the limits to apply.
#[derive(Debug, Clone)]
pub struct CostModel {
    types: HashMap<String, HashMap<String, FieldInfo>>,
    query_type: String,
    mutation_type: String,
    limits: Limits,
}

/// Why a request was refused before execution, and where in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refusal {
    /// The limit, the figure and whether counting stopped early.
    pub exceeded: LimitExceeded,
    /// Where the limit was passed, when known.
    pub pos: Option<Pos>,
}

impl From<Refusal> for ServerError {
    fn from(refusal: Refusal) -> Self {
        AppError::LimitExceeded(refusal.exceeded).into_server_error(refusal.pos)
    }
}

/// The cost of an accepted operation, as `extensions.cost` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cost {
    /// What the analysis computed for the selected operation.
    pub requested: u64,
    /// The configured limit.
    pub limit: u64,
}

impl Cost {
    /// `{ "requestedQueryCost": N, "maxQueryCost": L }` (Shopify's names).
    #[must_use]
    pub fn extension(self) -> async_graphql::Value {
        async_graphql::value!({ "requestedQueryCost": self.requested, "maxQueryCost": self.limit })
    }
}

fn refusal(limit: RequestLimit, measured: u64, max: u64, at_least: bool, pos: Option<Pos>) -> Refusal {
    Refusal { exceeded: LimitExceeded { limit, measured, max, at_least }, pos }
}

/// Counts the lexical tokens of a GraphQL document (punctuators, names, numbers, strings;
/// whitespace, commas and comments are not tokens) without parsing it, and refuses it once the
/// count passes `limit`. Bytes no token starts with count one each (the parser refuses them).
pub fn check_tokens(source: &str, limit: u64) -> Result<u64, Refusal> {
    let mut tokens: u64 = 0;
    let mut rest = source.as_bytes();
    while !rest.is_empty() {
        rest = match rest {
            [b' ' | b'\t' | b'\n' | b'\r' | b',', tail @ ..] | [0xEF, 0xBB, 0xBF, tail @ ..] => tail,
            [b'#', tail @ ..] => skip_while(tail, |b| b != b'\n' && b != b'\r'),
            [b'"', b'"', b'"', tail @ ..] => {
                tokens += 1;
                skip_block_string(tail)
            }
            [b'"', tail @ ..] => {
                tokens += 1;
                skip_string(tail)
            }
            [b'_' | b'a'..=b'z' | b'A'..=b'Z', tail @ ..] => {
                tokens += 1;
                skip_while(tail, |b| b == b'_' || b.is_ascii_alphanumeric())
            }
            [b'-' | b'0'..=b'9', tail @ ..] => {
                tokens += 1;
                skip_while(tail, |b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
            }
            // `...` is one token; any other byte is a punctuator (or refused by the parser).
            [b'.', b'.', b'.', tail @ ..] | [_, tail @ ..] => {
                tokens += 1;
                tail
            }
            [] => rest,
        };
        if tokens > limit {
            return Err(refusal(RequestLimit::Tokens, tokens, limit, !rest.is_empty(), None));
        }
    }
    Ok(tokens)
}

fn skip_while(bytes: &[u8], keep: impl Fn(u8) -> bool) -> &[u8] {
    let end = bytes.iter().position(|&b| !keep(b)).unwrap_or(bytes.len());
    bytes.split_at(end).1
}

/// After the opening quote of a string: up to and past its closing quote (or the line's end).
fn skip_string(mut bytes: &[u8]) -> &[u8] {
    loop {
        bytes = match bytes {
            [b'"', tail @ ..] => return tail,
            [b'\n' | b'\r', ..] | [] => return bytes,
            [b'\\', _, tail @ ..] | [_, tail @ ..] => tail,
        };
    }
}

/// After the opening `"""` of a block string: past its closing `"""` (`\"""` does not close).
fn skip_block_string(mut bytes: &[u8]) -> &[u8] {
    loop {
        bytes = match bytes {
            [b'"', b'"', b'"', tail @ ..] => return tail,
            [] => return bytes,
            [b'\\', b'"', b'"', b'"', tail @ ..] | [_, tail @ ..] => tail,
        };
    }
}

/// Counts of the schema that bound the introspection lists.
#[derive(Debug, Default)]
struct SchemaCounts {
    types: u64,
    fields: u64,
    arguments: u64,
    input_fields: u64,
    enum_values: u64,
    implementations: u64,
    union_members: u64,
    directives: u64,
    directive_arguments: u64,
}

/// The introspection lists, bounded by the mean per parent over the whole schema (the last two
/// numbers: `total / per`): exact for the standard introspection query's walk over every type,
/// its fields and their arguments, and growing by the mean fan-out for each level of
/// `fields { type { fields … } }`, so the circular introspection query stays bounded.
fn introspection_bounds(counts: &SchemaCounts) -> [(&'static str, &'static str, u64, u64); 9] {
    let types = counts.types.max(1);
    let directives = counts.directives.max(1);
    [
        ("__Schema", "types", types, 1),
        ("__Schema", "directives", directives, 1),
        ("__Type", "fields", counts.fields, types),
        ("__Type", "inputFields", counts.input_fields, types),
        ("__Type", "enumValues", counts.enum_values, types),
        ("__Type", "interfaces", counts.implementations, types),
        ("__Type", "possibleTypes", counts.implementations + counts.union_members, types),
        ("__Field", "args", counts.arguments, counts.fields.max(1)),
        ("__Directive", "args", counts.directive_arguments, directives),
    ]
}

fn named_type(ty: &Type) -> (&str, bool) {
    match &ty.base {
        BaseType::Named(name) => (name.as_str(), false),
        BaseType::List(inner) => (named_type(inner).0, true),
    }
}

fn documents(sdl: &str) -> Vec<ServiceDocument> {
    [sdl, INTROSPECTION_SDL]
        .into_iter()
        .filter_map(|source| match async_graphql::parser::parse_schema(source) {
            Ok(document) => Some(document),
            Err(error) => {
                // Only a bug can get here (the SDL is the server's own); the limits on size and
                // nesting still hold, only the list multipliers are lost.
                tracing::error!(error = %error, "the cost model cannot read the schema");
                None
            }
        })
        .collect()
}

impl CostModel {
    /// The model of the schema printed as `sdl`, applying `limits`.
    #[must_use]
    pub fn new(sdl: &str, limits: Limits) -> Self {
        let documents = documents(sdl);
        let mut query_type = "Query".to_owned();
        let mut mutation_type = "Mutation".to_owned();
        let mut definitions: Vec<&TypeDefinition> = Vec::new();
        let mut counts = SchemaCounts { types: BUILTIN_SCALARS, ..SchemaCounts::default() };
        for definition in documents.iter().flat_map(|d| &d.definitions) {
            match definition {
                TypeSystemDefinition::Schema(schema) => {
                    if let Some(query) = &schema.node.query {
                        query_type = query.node.to_string();
                    }
                    if let Some(mutation) = &schema.node.mutation {
                        mutation_type = mutation.node.to_string();
                    }
                }
                TypeSystemDefinition::Type(definition) => {
                    counts.add_type(&definition.node);
                    definitions.push(&definition.node);
                }
                TypeSystemDefinition::Directive(directive) => {
                    counts.directives += 1;
                    counts.directive_arguments += directive.node.arguments.len() as u64;
                }
            }
        }
        let composite: HashSet<&str> = definitions
            .iter()
            .filter(|d| matches!(d.kind, TypeKind::Object(_) | TypeKind::Interface(_) | TypeKind::Union(_)))
            .map(|d| d.name.node.as_str())
            .collect();
        let introspection = introspection_bounds(&counts);
        let mut types: HashMap<String, HashMap<String, FieldInfo>> = HashMap::new();
        for definition in &definitions {
            let fields = match &definition.kind {
                TypeKind::Object(object) => &object.fields,
                TypeKind::Interface(interface) => &interface.fields,
                _ => continue,
            };
            let type_name = definition.name.node.as_str();
            let infos = types.entry(type_name.to_owned()).or_default();
            for field in fields {
                let name = field.node.name.node.as_str();
                let (item_type, list) = named_type(&field.node.ty.node);
                let items = if !list {
                    Items::One
                } else if type_name.ends_with("Connection") && matches!(name, "nodes" | "edges") {
                    Items::Page
                } else if type_name == query_type && name == "nodes" {
                    Items::Ids
                } else if let Some((.., bound, _)) =
                    LIST_BOUNDS.iter().find(|(ty, field, ..)| (*ty == type_name || *ty == "*") && *field == name)
                {
                    Items::Bound { total: *bound, per: 1 }
                } else if let Some((.., total, per)) =
                    introspection.iter().find(|(ty, field, ..)| *ty == type_name && *field == name)
                {
                    Items::Bound { total: *total, per: (*per).max(1) }
                } else if composite.contains(item_type) {
                    Items::Undeclared
                } else {
                    // Scalars and enums: nothing below them to multiply.
                    Items::Bound { total: 1, per: 1 }
                };
                let paged = field.node.arguments.iter().any(|a| matches!(a.node.name.node.as_str(), "first" | "last"));
                infos.insert(name.to_owned(), FieldInfo { ty: item_type.to_owned(), items, paged });
            }
        }
        let query = types.entry(query_type.clone()).or_default();
        for (name, ty) in [("__schema", "__Schema"), ("__type", "__Type")] {
            query.insert(name.to_owned(), FieldInfo { ty: ty.to_owned(), items: Items::One, paged: false });
        }
        Self { types, query_type, mutation_type, limits }
    }

    /// Lists of objects without a declared bound (`Type.field`), which count
    /// [`UNDECLARED_LIST_BOUND`] items; a test keeps this empty for the real schema.
    #[must_use]
    pub fn undeclared_lists(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .types
            .iter()
            .flat_map(|(ty, fields)| {
                fields.iter().filter(|(_, f)| f.items == Items::Undeclared).map(move |(name, _)| format!("{ty}.{name}"))
            })
            .collect();
        out.sort();
        out
    }

    fn field(&self, parent: &str, name: &str) -> Option<&FieldInfo> {
        self.types.get(parent)?.get(name)
    }

    /// Checks the document's operation `operation_name` (or its only one) and every other
    /// definition against the limits; the selected operation's cost when all hold.
    pub fn analyze(
        &self,
        document: &ExecutableDocument,
        operation_name: Option<&str>,
        variables: &Variables,
    ) -> Result<Cost, Refusal> {
        let selected = selected_operation(&document.operations, operation_name);
        let mut walk = Walk { model: self, document, variables, selected, memo: HashMap::new() };
        let limits = &self.limits;
        let mut document_fields: u64 = 0;
        let mut cost = 0;
        if let Some(operation) = selected {
            let figures = walk.operation(operation)?;
            document_fields = figures.fields;
            let checks = [
                (RequestLimit::Aliases, figures.aliases, limits.max_aliases),
                (RequestLimit::RootFields, figures.root_fields, limits.max_root_fields),
                (RequestLimit::SignIns, figures.sign_ins, limits.max_sign_ins),
                (RequestLimit::Cost, figures.cost(1), limits.max_cost),
            ];
            if let Some((limit, measured, max)) = checks.into_iter().find(|(_, measured, max)| measured > max) {
                return Err(refusal(limit, measured, max, false, Some(operation.pos)));
            }
            cost = figures.cost(1);
        }
        for (_, operation) in document.operations.iter() {
            if selected.is_some_and(|s| std::ptr::eq(s, operation)) {
                continue;
            }
            document_fields = document_fields.saturating_add(walk.operation(operation)?.fields);
            walk.check_fields(document_fields, Some(operation.pos))?;
        }
        for (name, fragment) in &document.fragments {
            walk.check_directives(fragment.node.directives.len(), fragment.pos)?;
            document_fields = document_fields.saturating_add(walk.fragment(name.as_str(), fragment.pos, 0)?.fields);
            walk.check_fields(document_fields, Some(fragment.pos))?;
        }
        Ok(Cost { requested: cost, limit: limits.max_cost })
    }

    /// Work a field does beyond resolving itself (see the constants for why).
    fn extra_cost(&self, walk: &Walk<'_>, parent: &str, field: &Field) -> u64 {
        let name = field.name.node.as_str();
        if parent == self.mutation_type {
            return MUTATION_COST
                + match name {
                    _ if is_sign_in(name) => SIGN_IN_COST,
                    "createRole"
                    | "setRoleRequirements"
                    | "addSkillRequirement"
                    | "createCandidate"
                    | "setCandidateSkills"
                    | "setCandidateEmployments"
                    | "createSkill"
                    | "addSkillAlias" => SKILL_NAMES_COST,
                    "createRoleFromDescription" | "reparseRole" => DESCRIPTION_COST,
                    "importJsonResume" => RESUME_IMPORT_COST + SKILL_NAMES_COST,
                    _ if BATCH_MUTATIONS.contains(&name) => {
                        SKILL_NAMES_COST + walk.batch_length(field).saturating_mul(UPSERT_ITEM_COST)
                    }
                    _ => 0,
                };
        }
        match (parent, name) {
            ("Role", "matches") => return RANKING_COST,
            ("Role", "jobPosting") => return JOB_POSTING_COST,
            ("Candidate", "jsonResume") => return JSON_RESUME_COST,
            ("Candidate", "matchingRoles") => return ROLE_RANKING_COST,
            _ => {}
        }
        if parent != self.query_type {
            return 0;
        }
        match name {
            "matchCandidates" => RANKING_COST,
            "matchCandidatesForRequirements" => RANKING_COST + SKILL_NAMES_COST,
            "talentPool" => TALENT_POOL_COST,
            "parseRoleDescription" => DESCRIPTION_COST,
            "matchRoles" => ROLE_RANKING_COST,
            "node" => NODE_LOOKUP_COST,
            "exportCandidateData" => EXPORT_COST,
            "possibleDuplicates" => DUPLICATES_COST,
            "skills" if walk.argument(field, "search").is_some_and(|v| v != ConstValue::Null) => SEARCH_COST,
            "candidates" => walk.filter_cost(field, &["hasAllSkills", "hasAnySkills"]),
            "roles" => walk.filter_cost(field, &["requiresSkills"]),
            _ => 0,
        }
    }
}

/// The sign-in mutations: each verifies a password or secret with a slow hash.
fn is_sign_in(name: &str) -> bool {
    matches!(name, "login" | "refreshToken" | "issueClientToken" | "acceptInvitation")
}

impl SchemaCounts {
    fn add_type(&mut self, definition: &TypeDefinition) {
        self.types += 1;
        match &definition.kind {
            TypeKind::Object(object) => {
                self.implementations += object.implements.len() as u64;
                self.add_fields(&object.fields);
            }
            TypeKind::Interface(interface) => self.add_fields(&interface.fields),
            TypeKind::Union(union) => self.union_members += union.members.len() as u64,
            TypeKind::Enum(enumeration) => self.enum_values += enumeration.values.len() as u64,
            TypeKind::InputObject(input) => self.input_fields += input.fields.len() as u64,
            TypeKind::Scalar => {}
        }
    }

    fn add_fields(&mut self, fields: &[Positioned<async_graphql::parser::types::FieldDefinition>]) {
        self.fields += fields.len() as u64;
        self.arguments += fields.iter().map(|f| f.node.arguments.len() as u64).sum::<u64>();
    }
}

/// The operation a request runs: the named one, or the only one.
fn selected_operation<'a>(
    operations: &'a DocumentOperations,
    name: Option<&str>,
) -> Option<&'a Positioned<OperationDefinition>> {
    match (operations, name) {
        (DocumentOperations::Single(operation), _) => Some(operation),
        (DocumentOperations::Multiple(operations), Some(name)) => operations.get(name),
        (DocumentOperations::Multiple(operations), None) if operations.len() == 1 => operations.values().next(),
        (DocumentOperations::Multiple(_), None) => None,
    }
}

/// The figures of a selection set. Its cost is `fixed + per_item × page`, where `page` is the
/// page size of the connection field it belongs to (only `nodes`/`edges` of a connection cost
/// per item), so a fragment's figures hold wherever it is spread.
#[derive(Debug, Clone, Copy, Default)]
struct Figures {
    /// Fields after fragment expansion.
    fields: u64,
    /// Cost paid once.
    fixed: u64,
    /// Cost paid once per item of the enclosing page.
    per_item: u64,
    /// Aliased fields after fragment expansion.
    aliases: u64,
    /// Fields directly in this set, fragments expanded (root fields for an operation).
    root_fields: u64,
    /// Sign-in mutations directly in this set, fragments expanded.
    sign_ins: u64,
    /// Nesting below this set: 0 when only leaf fields, 1 more per level of selection sets.
    height: usize,
}

impl Figures {
    fn cost(&self, page: u64) -> u64 {
        self.fixed.saturating_add(self.per_item.saturating_mul(page))
    }

    fn add(&mut self, other: &Self) {
        self.fields = self.fields.saturating_add(other.fields);
        self.fixed = self.fixed.saturating_add(other.fixed);
        self.per_item = self.per_item.saturating_add(other.per_item);
        self.aliases = self.aliases.saturating_add(other.aliases);
        self.root_fields = self.root_fields.saturating_add(other.root_fields);
        self.sign_ins = self.sign_ins.saturating_add(other.sign_ins);
        self.height = self.height.max(other.height);
    }
}

/// A fragment's figures, once known; `InProgress` while its own selection is walked (a spread
/// of it then is a cycle, which validation refuses).
#[derive(Debug, Clone, Copy)]
enum Memo {
    InProgress,
    Done(Figures),
}

/// One walk over a document.
struct Walk<'a> {
    model: &'a CostModel,
    document: &'a ExecutableDocument,
    variables: &'a Variables,
    selected: Option<&'a Positioned<OperationDefinition>>,
    memo: HashMap<&'a str, Memo>,
}

impl<'a> Walk<'a> {
    fn operation(&mut self, operation: &'a Positioned<OperationDefinition>) -> Result<Figures, Refusal> {
        self.check_directives(operation.node.directives.len(), operation.pos)?;
        for variable in &operation.node.variable_definitions {
            self.check_directives(variable.node.directives.len(), variable.pos)?;
        }
        let root = match operation.node.ty {
            OperationType::Query => Some(self.model.query_type.as_str()),
            OperationType::Mutation => Some(self.model.mutation_type.as_str()),
            OperationType::Subscription => None,
        };
        let mut figures = self.selection_set(&operation.node.selection_set, root, 0)?;
        if operation.node.ty != OperationType::Mutation {
            figures.sign_ins = 0;
        }
        Ok(figures)
    }

    fn check_fields(&self, fields: u64, pos: Option<Pos>) -> Result<(), Refusal> {
        let max = self.model.limits.max_fields;
        if fields > max { Err(refusal(RequestLimit::Fields, fields, max, true, pos)) } else { Ok(()) }
    }

    fn check_directives(&self, count: usize, pos: Pos) -> Result<(), Refusal> {
        let max = self.model.limits.max_directives_per_field;
        let count = count as u64;
        if count > max { Err(refusal(RequestLimit::Directives, count, max, false, Some(pos))) } else { Ok(()) }
    }

    /// The figures of `set`, selected on `parent` (`None` when unknown: validation refuses it),
    /// `depth` levels below its operation.
    fn selection_set(
        &mut self,
        set: &'a Positioned<SelectionSet>,
        parent: Option<&'a str>,
        depth: usize,
    ) -> Result<Figures, Refusal> {
        if depth > MAX_NESTING {
            return Err(refusal(RequestLimit::Nesting, depth as u64, MAX_NESTING as u64, true, Some(set.pos)));
        }
        let mut total = Figures::default();
        for item in &set.node.items {
            self.check_directives(item.node.directives().len(), item.pos)?;
            let figures = match &item.node {
                Selection::Field(field) => self.field(&field.node, parent, depth)?,
                Selection::InlineFragment(inline) => {
                    let on = inline.node.type_condition.as_ref().map(|c| c.node.on.node.as_str()).or(parent);
                    let mut figures = self.selection_set(&inline.node.selection_set, on, depth + 1)?;
                    figures.height += 1;
                    figures
                }
                Selection::FragmentSpread(spread) => {
                    let mut figures = self.fragment(spread.node.fragment_name.node.as_str(), item.pos, depth + 1)?;
                    figures.height += 1;
                    figures
                }
            };
            total.add(&figures);
            self.check_fields(total.fields, Some(item.pos))?;
        }
        Ok(total)
    }

    /// The figures of fragment `name`'s selection set, walked once, at `depth`.
    fn fragment(&mut self, name: &str, pos: Pos, depth: usize) -> Result<Figures, Refusal> {
        let Some((key, definition)) = self.document.fragments.get_key_value(name) else {
            return Ok(Figures::default());
        };
        match self.memo.get(key.as_str()) {
            Some(Memo::Done(figures)) => {
                let nesting = depth + figures.height;
                if nesting > MAX_NESTING {
                    return Err(refusal(RequestLimit::Nesting, nesting as u64, MAX_NESTING as u64, true, Some(pos)));
                }
                Ok(*figures)
            }
            Some(Memo::InProgress) => Ok(Figures::default()),
            None => {
                self.memo.insert(key.as_str(), Memo::InProgress);
                let on = definition.node.type_condition.node.on.node.as_str();
                let figures = self.selection_set(&definition.node.selection_set, Some(on), depth)?;
                self.memo.insert(key.as_str(), Memo::Done(figures));
                Ok(figures)
            }
        }
    }

    fn field(&mut self, field: &'a Field, parent: Option<&'a str>, depth: usize) -> Result<Figures, Refusal> {
        let model = self.model;
        let info = parent.and_then(|p| model.field(p, field.name.node.as_str()));
        let children = if field.selection_set.node.items.is_empty() {
            Figures::default()
        } else {
            let mut children = self.selection_set(&field.selection_set, info.map(|i| i.ty.as_str()), depth + 1)?;
            children.height += 1;
            children
        };
        let page = if info.is_some_and(|i| i.paged) { self.page_size(field) } else { default_page_size() };
        let item = children.cost(page);
        let extra = parent.map_or(0, |p| model.extra_cost(self, p, field));
        let own = 1 + extra;
        let batch =
            if parent == Some(model.mutation_type.as_str()) && BATCH_MUTATIONS.contains(&field.name.node.as_str()) {
                self.batch_length(field)
            } else {
                1
            };
        let (fixed, per_item) = match info.map_or(Items::One, |i| i.items) {
            Items::One => (own.saturating_add(item.saturating_mul(batch)), 0),
            Items::Page => (own, item),
            Items::Ids => (own.saturating_add(self.id_count(field).saturating_mul(NODE_LOOKUP_COST + item)), 0),
            Items::Bound { total, per } => (own.saturating_add(total.saturating_mul(item).div_ceil(per.max(1))), 0),
            Items::Undeclared => (own.saturating_add(UNDECLARED_LIST_BOUND.saturating_mul(item)), 0),
        };
        let is_mutation_root = parent == Some(model.mutation_type.as_str());
        Ok(Figures {
            fields: children.fields.saturating_add(1),
            fixed,
            per_item,
            aliases: children.aliases + u64::from(field.alias.is_some()),
            root_fields: 1,
            sign_ins: u64::from(is_mutation_root && is_sign_in(field.name.node.as_str())),
            height: children.height,
        })
    }

    /// The value of argument `name`, variables substituted (missing ones from their defaults).
    fn argument(&self, field: &Field, name: &str) -> Option<ConstValue> {
        let value = field.get_argument(name)?.node.clone();
        value.into_const_with(|variable| Ok::<_, Infallible>(self.variable(variable.as_str()))).ok()
    }

    fn variable(&self, name: &str) -> ConstValue {
        if let Some(value) = self.variables.get(name) {
            return value.clone();
        }
        self.selected
            .and_then(|op| op.node.variable_definitions.iter().find(|v| v.node.name.node.as_str() == name))
            .and_then(|v| v.node.default_value.as_ref())
            .map_or(ConstValue::Null, |default| default.node.clone())
    }

    /// `first` or `last` (the larger when both), within what pagination accepts.
    fn page_size(&self, field: &Field) -> u64 {
        let read = |name| match self.argument(field, name) {
            Some(ConstValue::Number(n)) => n.as_i64(),
            _ => None,
        };
        let page = match (read("first"), read("last")) {
            (None, None) => i64::from(DEFAULT_PAGE_SIZE),
            (first, last) => first.unwrap_or(0).max(last.unwrap_or(0)),
        };
        // Larger pages are refused by pagination before any work; an empty page still runs.
        page.clamp(1, i64::from(MAX_PAGE_SIZE)) as u64
    }

    /// The number of items of a batch mutation's `input` list (a lone value is one).
    fn batch_length(&self, field: &Field) -> u64 {
        match self.argument(field, "input") {
            Some(ConstValue::List(items)) => items.len() as u64,
            Some(ConstValue::Null) | None => 0,
            Some(_) => 1,
        }
    }

    fn id_count(&self, field: &Field) -> u64 {
        match self.argument(field, "ids") {
            Some(ConstValue::List(ids)) => ids.len() as u64,
            Some(ConstValue::Null) | None => 0,
            Some(_) => 1,
        }
    }

    /// [`SEARCH_COST`] when the `filter` argument searches text, plus [`SKILL_NAMES_COST`] when
    /// it names skills in one of `skill_filters`.
    fn filter_cost(&self, field: &Field, skill_filters: &[&str]) -> u64 {
        let Some(ConstValue::Object(filter)) = self.argument(field, "filter") else { return 0 };
        let given = |key: &str| filter.get(key).is_some_and(|v| *v != ConstValue::Null);
        let search = if given("search") { SEARCH_COST } else { 0 };
        let skills = if skill_filters.iter().any(|key| given(key)) { SKILL_NAMES_COST } else { 0 };
        search + skills
    }
}

fn default_page_size() -> u64 {
    u64::from(DEFAULT_PAGE_SIZE.unsigned_abs())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write;
    use std::time::Instant;

    use super::*;

    const SDL: &str = r"
        schema { query: Query mutation: Mutation }
        interface Node { id: ID! }
        type Query {
            node(id: ID!): Node
            nodes(ids: [ID!]!): [Node]!
            candidates(first: Int, last: Int, filter: CandidateFilter): CandidateConnection!
            serverVersion: String!
        }
        type Mutation { login(email: String!, password: String!): SignIn! logout: Boolean! }
        type SignIn { accessToken: String! }
        input CandidateFilter { search: String hasAllSkills: [String!] }
        type CandidateConnection { nodes: [Candidate!]! edges: [CandidateEdge!]! totalCount: Int! }
        type CandidateEdge { cursor: String! node: Candidate! }
        type Candidate implements Node { id: ID! fullName: String! tags: [String!]! skills: [CandidateSkill!]! friends: [Candidate!]! }
        type CandidateSkill { level: Int! }
    ";

    fn model() -> CostModel {
        CostModel::new(SDL, Limits::default())
    }

    fn analyze_with(model: &CostModel, query: &str, variables: serde_json::Value) -> Result<Cost, Refusal> {
        let document = async_graphql::parser::parse_query(query).expect("the test document parses");
        model.analyze(&document, None, &Variables::from_json(variables))
    }

    fn cost(query: &str) -> u64 {
        analyze_with(&model(), query, serde_json::json!({})).expect("accepted").requested
    }

    fn refused(query: &str) -> LimitExceeded {
        analyze_with(&model(), query, serde_json::json!({})).expect_err("refused").exceeded
    }

    fn fan_out(levels: usize, leaf: &str) -> String {
        let mut query = "query { ...F0 }".to_owned();
        for level in 0..levels {
            write!(query, " fragment F{level} on Query {{ ...F{n} ...F{n} }}", n = level + 1).expect("a String");
        }
        write!(query, " fragment F{levels} on Query {{ {leaf} }}").expect("a String");
        query
    }

    #[test]
    fn every_field_costs_one_typename_included() {
        assert_eq!(cost("{ __typename }"), 1);
        assert_eq!(cost("{ serverVersion a: __typename }"), 2);
    }

    #[test]
    fn connections_multiply_their_items_by_the_page_size() {
        // candidates 1 + nodes (1 + 50 × (fullName 1 + skills (1 + 200 × level 1))) + totalCount 1
        assert_eq!(
            cost("{ candidates(first: 50) { totalCount nodes { fullName skills { level } } } }"),
            1 + 1 + (1 + 50 * (1 + (1 + 200))),
        );
        // Default page 20; edges and nodes both count per item; a scalar list costs 1.
        assert_eq!(cost("{ candidates { edges { cursor node { id } } } }"), 1 + 1 + 20 * (1 + 1 + 1));
        assert_eq!(cost("{ candidates(last: 3) { nodes { tags } } }"), 1 + 1 + 3);
        // Larger pages than pagination accepts cost the largest page.
        assert_eq!(cost("{ candidates(first: 100000) { nodes { id } } }"), 1 + 1 + 100);
        assert_eq!(cost("{ candidates(first: 0) { nodes { id } } }"), 1 + 1 + 1);
    }

    #[test]
    fn page_sizes_and_ids_come_from_variables_and_defaults() {
        let model = model();
        let query =
            "query ($n: Int = 7, $ids: [ID!]!) { candidates(first: $n) { nodes { id } } nodes(ids: $ids) { id } }";
        let with = |variables| analyze_with(&model, query, variables).expect("accepted").requested;
        let ids = |n: usize| (0..n).map(|i| i.to_string()).collect::<Vec<_>>();
        assert_eq!(with(serde_json::json!({ "ids": ids(3) })), (2 + 7) + (1 + 3 * (NODE_LOOKUP_COST + 1)));
        assert_eq!(with(serde_json::json!({ "n": 2, "ids": ids(100) })), (2 + 2) + (1 + 100 * (NODE_LOOKUP_COST + 1)));
    }

    #[test]
    fn a_fragment_on_a_connection_uses_the_page_it_is_spread_in() {
        let query = "{ a: candidates(first: 2) { ...Page } b: candidates(first: 10) { ...Page } }
                     fragment Page on CandidateConnection { totalCount nodes { id } }";
        assert_eq!(cost(query), (1 + 1 + 1 + 2) + (1 + 1 + 1 + 10));
    }

    #[test]
    fn searches_and_skill_names_add_a_fixed_cost() {
        let base = cost("{ candidates(first: 1) { totalCount } }");
        assert_eq!(cost(r#"{ candidates(first: 1, filter: { search: "x" }) { totalCount } }"#), base + SEARCH_COST);
        assert_eq!(
            cost(r#"{ candidates(first: 1, filter: { hasAllSkills: ["x"] }) { totalCount } }"#),
            base + SKILL_NAMES_COST
        );
        assert_eq!(cost("{ candidates(first: 1, filter: { search: null }) { totalCount } }"), base);
    }

    #[test]
    fn fragment_fan_out_is_refused_in_linear_time() {
        let started = Instant::now();
        let refusal = refused(&fan_out(30, "__typename"));
        assert!(started.elapsed().as_millis() < 100, "{:?}", started.elapsed());
        assert_eq!(refusal.limit, RequestLimit::Fields);
        assert!(refusal.at_least && refusal.measured > 2_000 && refusal.measured <= 4_000, "{refusal:?}");
        // Deeper chains pass the nesting limit first.
        assert_eq!(refused(&fan_out(64, "__typename")).limit, RequestLimit::Nesting);
        // Under the field limit, the same shape is counted exactly (here as root fields).
        let refusal = refused(&fan_out(10, "__typename"));
        assert_eq!((refusal.limit, refusal.measured, refusal.at_least), (RequestLimit::RootFields, 1024, false));
    }

    #[test]
    fn unused_fragments_count_too() {
        let query = format!("{{ __typename }} {}", fan_out(30, "__typename").trim_start_matches("query { ...F0 }"));
        assert_eq!(refused(&query).limit, RequestLimit::Fields);
    }

    #[test]
    fn cycles_and_unknown_fragments_are_left_to_validation() {
        assert_eq!(cost("{ ...A } fragment A on Query { __typename ...B } fragment B on Query { ...A }"), 1);
        assert_eq!(cost("{ ...Missing __typename }"), 1);
    }

    #[test]
    fn each_limit_refuses_with_its_figure() {
        let aliases = (0..31).map(|i| format!("a{i}: __typename")).collect::<Vec<_>>().join(" ");
        let refusal = refused(&format!("{{ {aliases} }}"));
        assert_eq!((refusal.limit, refusal.measured, refusal.max), (RequestLimit::Aliases, 31, 30));

        let roots = "serverVersion __typename ".repeat(11);
        let refusal = refused(&format!("{{ {roots} }}"));
        assert_eq!((refusal.limit, refusal.measured, refusal.max), (RequestLimit::RootFields, 22, 20));

        let refusal = refused(&format!("{{ __typename {} }}", "@include(if: true) ".repeat(6)));
        assert_eq!((refusal.limit, refusal.measured, refusal.max), (RequestLimit::Directives, 6, 5));

        let refusal = refused(
            "mutation { login(email: \"a\", password: \"b\") { accessToken } again: login(email: \"a\", password: \"b\") { accessToken } }",
        );
        assert_eq!((refusal.limit, refusal.measured, refusal.max), (RequestLimit::SignIns, 2, 1));
        let refusal = refused(
            "mutation { ...S } fragment S on Mutation { login(email: \"a\", password: \"b\") { accessToken } ...T } fragment T on Mutation { x: login(email: \"a\", password: \"b\") { accessToken } }",
        );
        assert_eq!(refusal.limit, RequestLimit::SignIns);

        let friends = "{ candidates(first: 100) { nodes { friends { friends { id } } } } }";
        let refusal = refused(friends);
        assert_eq!(refusal.limit, RequestLimit::Cost);
        assert_eq!(refusal.measured, 2 + 100 * (1 + UNDECLARED_LIST_BOUND * (1 + UNDECLARED_LIST_BOUND)));

        let deep = format!("{{ {} id {} }}", "candidates { nodes { ".repeat(17), "} } ".repeat(17));
        assert_eq!(refused(&deep).limit, RequestLimit::Nesting);
    }

    #[test]
    fn nesting_through_memoized_fragments_is_still_counted() {
        // `C` (4 levels) is walked first near the root, then spread `levels` friends deeper.
        let at = |levels: usize| {
            let query = format!(
                "{{ candidates {{ nodes {{ ...C }} }} b: candidates {{ nodes {{ {}...C {}}} }} }}
                 fragment C on Candidate {{ friends {{ friends {{ friends {{ friends {{ id }} }} }} }} }}",
                "friends { ".repeat(levels),
                "} ".repeat(levels),
            );
            refused(&query).limit
        };
        assert_eq!(at(26), RequestLimit::Nesting);
        assert_eq!(at(25), RequestLimit::Cost);
    }

    #[test]
    fn only_the_selected_operation_is_costed() {
        let document = async_graphql::parser::parse_query(
            "query Cheap { __typename } query Dear { candidates(first: 100) { nodes { friends { friends { id } } } } }",
        )
        .expect("parses");
        let model = model();
        assert_eq!(model.analyze(&document, Some("Cheap"), &Variables::default()).map(|c| c.requested), Ok(1));
        assert!(model.analyze(&document, Some("Dear"), &Variables::default()).is_err());
    }

    #[test]
    fn lists_of_objects_without_a_bound_are_reported() {
        assert_eq!(model().undeclared_lists(), vec!["Candidate.friends".to_owned()]);
    }

    #[test]
    fn tokens_are_counted_before_parsing() {
        let count = |source: &str| check_tokens(source, u64::MAX).expect("no limit");
        assert_eq!(count("{ a }"), 3);
        assert_eq!(count("query Q($x: Int = -1.5e3) { a(b: $x, c: \"s, } #\") ...F } # { a b c\n"), 24);
        assert_eq!(count(r#"{ a(b: """block \""" still "" inside""") }"#), 8);
        assert_eq!(count("\u{feff}{\r\n\ta,,, b\n}"), 4);
        assert_eq!(count("{ a(b: \"unterminated\n) }"), 8);
        assert_eq!(count("{ é }"), 4);
        let refusal = check_tokens(&"a ".repeat(100), 10).expect_err("over the limit").exceeded;
        assert_eq!(
            (refusal.limit, refusal.measured, refusal.max, refusal.at_least),
            (RequestLimit::Tokens, 11, 10, true)
        );
    }

    #[test]
    fn the_introspection_lists_are_bounded_by_the_schema() {
        let model = model();
        let query = "{ __schema { types { name fields { name args { name } type { name } } } } }";
        let accepted = analyze_with(&model, query, serde_json::json!({})).expect("accepted").requested;
        assert!(accepted > 10 && accepted < 2_000, "{accepted}");
        let mut circular = "{ __schema { types { ".to_owned();
        circular.push_str(&"fields { type { ".repeat(12));
        circular.push_str("name");
        circular.push_str(&" } }".repeat(12));
        circular.push_str(" } } }");
        assert!(analyze_with(&model, &circular, serde_json::json!({})).is_err());
    }
}
