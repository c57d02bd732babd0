//! The command line: `serve`, `migrate`, `seed`, `export-schema`. Every option can also come
//! from the environment (named in `--help`); flags win over the environment.

use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use std::sync::Arc;

use entity::RecruiterRole;

use crate::accounts::model::{DisplayName, Email, NewPassword};
use crate::accounts::service as accounts_service;
use crate::auth::Tenant;
use crate::auth::tokens::{JwtKeys, TokenPolicy};
use crate::config::{DEFAULT_DATABASE_URL, Limits, Secret, Settings};
use crate::database::DatabaseUrl;
use crate::graphql::schema;
use crate::startup::Application;
use crate::telemetry::LogFormat;
use crate::{database, demo};

/// talentgraph: a GraphQL API backend for technical recruiting.
#[derive(Debug, Parser)]
#[command(name = "talentgraph", version, about, long_about = None)]
pub struct Cli {
    /// Log line format.
    #[arg(long, global = true, env = "TALENTGRAPH_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
    #[command(subcommand)]
    command: Command,
}

impl Cli {
    /// The requested log format.
    #[must_use]
    pub fn log_format(&self) -> LogFormat {
        self.log_format
    }
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the GraphQL server (migrates the database first).
    Serve(ServeArgs),
    /// Apply pending database migrations, then exit.
    Migrate(DatabaseArgs),
    /// Create the demo organization with its roles and synthetic candidates (deterministic);
    /// on a seeded database, add candidates up to --candidates.
    Seed(SeedArgs),
    /// Print the GraphQL schema (SDL) to standard output.
    ExportSchema,
    /// Create an organization (bootstrap of a fresh deployment); prints its slug.
    CreateOrganization(CreateOrganizationArgs),
    /// Create a recruiter in an organization; the password is read from standard input (one
    /// line), never from an argument.
    CreateRecruiter(CreateRecruiterArgs),
    /// Re-derive years derived from work histories with a current job (the server does it at
    /// start and daily); logs how many candidates changed.
    RederiveYears(DatabaseArgs),
}

#[derive(Debug, Args)]
struct CreateOrganizationArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// The organization's name; its slug is derived from it ("Acme Data" → acme-data).
    name: String,
}

#[derive(Debug, Args)]
struct CreateRecruiterArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Slug of the organization (see create-organization).
    #[arg(long)]
    organization: String,
    /// Sign-in email.
    #[arg(long)]
    email: String,
    /// Role in the organization.
    #[arg(long, value_enum, default_value = "admin")]
    role: RoleArg,
    /// Name shown to colleagues (default: the part of the email before @).
    #[arg(long)]
    display_name: Option<String>,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum RoleArg {
    Admin,
    Recruiter,
    Viewer,
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// Database: sqlite://PATH (created if missing) or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: DatabaseUrl,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Seed demo data into an empty database and turn the playground on (signed in as the demo
    /// recruiter). Only on a loopback address unless --demo-on-public-address is given too.
    #[arg(long)]
    demo: bool,
    /// Allow --demo on an address other machines can reach: anyone who opens the playground
    /// acts as the demo recruiter.
    #[arg(long)]
    demo_on_public_address: bool,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "TALENTGRAPH_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// A browser origin allowed to call the API (CORS), e.g. https://app.example.com or
    /// http://localhost:* (any port); repeat the flag or separate with commas. None by default;
    /// --demo allows http://localhost:* and http://127.0.0.1:*.
    #[arg(long = "cors-origin", env = "TALENTGRAPH_CORS_ORIGINS", value_delimiter = ',', value_parser = crate::config::AllowedOrigin::parse)]
    cors_origins: Vec<crate::config::AllowedOrigin>,
    /// The address of a reverse proxy in front of the server, whose Forwarded /
    /// X-Forwarded-For headers then name the client (rate limits key on it); repeat the flag or
    /// separate with commas. None by default: the socket peer is the client.
    #[arg(long = "trusted-proxy", env = "TALENTGRAPH_TRUSTED_PROXIES", value_delimiter = ',')]
    trusted_proxies: Vec<std::net::IpAddr>,
    /// Serve the GraphiQL playground at / (default: on with --demo, else off).
    #[arg(long, env = "TALENTGRAPH_PLAYGROUND")]
    playground: Option<bool>,
    #[command(flatten)]
    limits: LimitArgs,
    /// Answer introspection queries (__schema, __type), which the playground and schema tools
    /// need (default: as --playground, so on with --demo, else off).
    #[arg(long, env = "TALENTGRAPH_INTROSPECTION")]
    introspection: Option<bool>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "TALENTGRAPH_WORKERS")]
    workers: Option<usize>,
    /// HS256 secret for access tokens, at least 32 bytes (required unless a key file is given
    /// or --demo generates one).
    #[arg(long, env = "TALENTGRAPH_JWT_SECRET", hide_env_values = true)]
    jwt_secret: Option<Secret<String>>,
    /// PEM private key (Ed25519 or RSA) to sign access tokens with instead of a secret; its
    /// public key is served at /.well-known/jwks.json.
    #[arg(long, env = "TALENTGRAPH_JWT_PRIVATE_KEY_FILE")]
    jwt_private_key_file: Option<std::path::PathBuf>,
    /// Algorithm of the private key file.
    #[arg(long, env = "TALENTGRAPH_JWT_ALGORITHM", value_enum, default_value = "eddsa")]
    jwt_algorithm: KeyAlgorithm,
    /// Seconds a request waits for a database connection before it is answered
    /// SERVICE_UNAVAILABLE.
    #[arg(long, env = "TALENTGRAPH_DATABASE_ACQUIRE_TIMEOUT", default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=60))]
    database_acquire_timeout: u32,
    /// Most pooled database connections (default: 16 on PostgreSQL, 8 on a SQLite file).
    #[arg(long, env = "TALENTGRAPH_DATABASE_MAX_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..=256))]
    database_max_connections: Option<u32>,
    /// Lifetime of access tokens, in seconds.
    #[arg(long, env = "TALENTGRAPH_ACCESS_TOKEN_TTL", default_value_t = 900)]
    access_token_ttl: u32,
    /// Seconds an organization's matching pool stays in memory without a match; the next match
    /// after that loads it again.
    #[arg(long, env = "TALENTGRAPH_MATCHING_IDLE_SECS", default_value_t = crate::matching::index::DEFAULT_IDLE.as_secs(), value_parser = clap::value_parser!(u64).range(1..=86_400))]
    matching_idle_secs: u64,
}

/// Request limits (see README, "Request limits"); the defaults are `Limits::default()`.
#[derive(Debug, Args)]
#[command(next_help_heading = "Request limits")]
struct LimitArgs {
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "TALENTGRAPH_MAX_BODY_BYTES", default_value_t = Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// Deepest accepted nesting of fields.
    #[arg(long, env = "TALENTGRAPH_MAX_DEPTH", default_value_t = Limits::default().max_depth)]
    max_depth: usize,
    /// Highest accepted cost of an operation (connections and lists multiply their items).
    #[arg(long, env = "TALENTGRAPH_MAX_COST", default_value_t = Limits::default().max_cost)]
    max_cost: u64,
    /// Most fields a document may expand to, fragments inlined.
    #[arg(long, env = "TALENTGRAPH_MAX_FIELDS", default_value_t = Limits::default().max_fields)]
    max_fields: u64,
    /// Most aliased fields in an operation.
    #[arg(long, env = "TALENTGRAPH_MAX_ALIASES", default_value_t = Limits::default().max_aliases)]
    max_aliases: u64,
    /// Most root fields in an operation.
    #[arg(long, env = "TALENTGRAPH_MAX_ROOT_FIELDS", default_value_t = Limits::default().max_root_fields)]
    max_root_fields: u64,
    /// Most directives on one field, fragment spread or inline fragment.
    #[arg(long, env = "TALENTGRAPH_MAX_DIRECTIVES_PER_FIELD", default_value_t = Limits::default().max_directives_per_field)]
    max_directives_per_field: u64,
    /// Most lexical tokens in a document.
    #[arg(long, env = "TALENTGRAPH_MAX_TOKENS", default_value_t = Limits::default().max_tokens)]
    max_tokens: u64,
    /// Most sign-in mutations (login, refreshToken, issueClientToken, acceptInvitation) in one
    /// request.
    #[arg(long, env = "TALENTGRAPH_MAX_SIGN_INS", default_value_t = Limits::default().max_sign_ins)]
    max_sign_ins: u64,
    /// How long a GraphQL request may run before it is cancelled and answered TIMEOUT, in
    /// milliseconds.
    #[arg(long, env = "TALENTGRAPH_REQUEST_TIMEOUT_MS", default_value_t = Limits::default().request_timeout.as_millis() as u64)]
    request_timeout_ms: u64,
    /// Requests per client address and minute on the public job pages (0: no limit).
    #[arg(long, env = "TALENTGRAPH_PUBLIC_REQUESTS_PER_MINUTE", default_value_t = Limits::default().public_requests_per_minute)]
    public_requests_per_minute: u32,
}

impl From<&LimitArgs> for Limits {
    fn from(args: &LimitArgs) -> Self {
        Self {
            max_body_bytes: args.max_body_bytes,
            max_depth: args.max_depth,
            max_cost: args.max_cost,
            max_fields: args.max_fields,
            max_aliases: args.max_aliases,
            max_root_fields: args.max_root_fields,
            max_directives_per_field: args.max_directives_per_field,
            max_tokens: args.max_tokens,
            max_sign_ins: args.max_sign_ins,
            request_timeout: std::time::Duration::from_millis(args.request_timeout_ms),
            public_requests_per_minute: args.public_requests_per_minute,
        }
    }
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum KeyAlgorithm {
    /// Ed25519 signatures.
    #[value(name = "eddsa")]
    EdDsa,
    /// RSA PKCS#1 v1.5 with SHA-256.
    #[value(name = "rs256")]
    Rs256,
}

#[derive(Debug, Args)]
struct SeedArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Synthetic candidates in the demo organization.
    #[arg(long, default_value_t = demo::DEFAULT_CANDIDATES)]
    candidates: u32,
    /// Roles in the demo organization (the Big Data Technical Lead plus generated ones).
    #[arg(long, default_value_t = demo::DEFAULT_ROLES)]
    roles: u32,
    /// Which data: the realistic demo, or the benchmark peer's synthetic shape (`data.sql` of
    /// ../shared/peers/postgraphile: 4-12 skills per candidate, 5-11 requirements per role).
    #[arg(long, value_enum, default_value_t = SeedShape::Demo)]
    shape: SeedShape,
}

/// The data `seed` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum SeedShape {
    /// Realistic candidates with skills, tags and pipelines.
    Demo,
    /// The benchmark peer's shape (bench/compare.sh).
    Peer,
}

/// Runs a parsed command line to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::Migrate(args) => {
                let db = database::connect(args.database_url.expose()).await?;
                database::migrate(&db).await?;
                tracing::info!(database = %database::redact(args.database_url.expose()), "database is up to date");
                Ok(())
            }
            Command::Seed(args) => {
                let db = database::connect(args.database.database_url.expose()).await?;
                database::migrate(&db).await?;
                let started = Instant::now();
                let report = match args.shape {
                    SeedShape::Demo => {
                        demo::seed(
                            &db,
                            &demo::SeedOptions { candidates: args.candidates, roles: args.roles, progress: true },
                        )
                        .await?
                    }
                    SeedShape::Peer => demo::peer_shape::seed(&db, args.candidates, args.roles).await?,
                };
                tracing::info!(
                    candidates_added = report.candidates_added,
                    roles_added = report.roles_added,
                    seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
                    "seeded the demo organization"
                );
                Ok(())
            }
            Command::ExportSchema => {
                use std::io::Write;
                std::io::stdout().write_all(schema::sdl().as_bytes()).context("writing the schema")
            }
            Command::CreateOrganization(args) => {
                let db = database::connect(args.database.database_url.expose()).await?;
                database::migrate(&db).await?;
                let name = DisplayName::parse(&args.name, "name")?;
                let organization = accounts_service::create_organization(&db, &name).await?;
                tracing::info!(slug = %organization.slug, "created organization {}", organization.name);
                Ok(())
            }
            Command::CreateRecruiter(args) => create_recruiter(args).await,
            Command::RederiveYears(args) => {
                let db = database::connect(args.database_url.expose()).await?;
                database::migrate(&db).await?;
                let changed = crate::sync::service::rederive_years(&db, chrono::Utc::now().date_naive()).await?;
                tracing::info!(changed, "re-derived years from current jobs");
                Ok(())
            }
        }
    })
}

/// The signing keys the flags name; `--demo` may make ephemeral ones.
fn jwt_keys(args: &ServeArgs) -> anyhow::Result<JwtKeys> {
    if let Some(path) = &args.jwt_private_key_file {
        let pem = std::fs::read(path).with_context(|| format!("reading the JWT private key {}", path.display()))?;
        let algorithm = match args.jwt_algorithm {
            KeyAlgorithm::EdDsa => jsonwebtoken::Algorithm::EdDSA,
            KeyAlgorithm::Rs256 => jsonwebtoken::Algorithm::RS256,
        };
        return JwtKeys::from_private_key_pem(algorithm, &pem)
            .with_context(|| format!("loading the JWT private key {}", path.display()));
    }
    match (&args.jwt_secret, args.demo) {
        (Some(secret), _) => JwtKeys::from_secret(secret.expose().as_bytes()).context("TALENTGRAPH_JWT_SECRET"),
        (None, true) => {
            tracing::warn!("no TALENTGRAPH_JWT_SECRET: using a random one (tokens end with this process)");
            Ok(JwtKeys::ephemeral())
        }
        (None, false) => anyhow::bail!(
            "no signing key for access tokens: set TALENTGRAPH_JWT_SECRET (at least 32 bytes) or TALENTGRAPH_JWT_PRIVATE_KEY_FILE, or run with --demo"
        ),
    }
}

async fn create_recruiter(args: CreateRecruiterArgs) -> anyhow::Result<()> {
    let email = Email::parse(&args.email, "email")?;
    let default_name = email.as_str().split('@').next().unwrap_or_default().to_owned();
    let name = DisplayName::parse(args.display_name.as_deref().unwrap_or(&default_name), "display-name")?;
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).context("reading the password from standard input")?;
    let password = NewPassword::parse(line.trim_end_matches(['\r', '\n']), "password")?;
    let db = database::connect(args.database.database_url.expose()).await?;
    database::migrate(&db).await?;
    let (tenant, organization) = Tenant::for_operator(&db, &args.organization)
        .await?
        .ok_or_else(|| anyhow::anyhow!("no organization with slug `{}`", args.organization))?;
    let plain = password.expose().to_owned();
    let hash = tokio::task::spawn_blocking(move || crate::auth::password::hash(&plain)).await??;
    let role = match args.role {
        RoleArg::Admin => RecruiterRole::Admin,
        RoleArg::Recruiter => RecruiterRole::Recruiter,
        RoleArg::Viewer => RecruiterRole::Viewer,
    };
    let recruiter = accounts_service::create_recruiter(&db, tenant, &email, &name, role, hash).await?;
    tracing::info!(organization = %organization.slug, role = ?recruiter.role, "created recruiter {}", recruiter.email);
    Ok(())
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    if args.demo && !args.demo_on_public_address && !is_loopback(&args.bind) {
        anyhow::bail!(
            "--demo signs the playground in for anyone who opens it: bind it to a loopback address (127.0.0.1:8080), or add --demo-on-public-address to serve {} anyway",
            args.bind
        );
    }
    let jwt_keys = Arc::new(jwt_keys(&args)?);
    let playground = args.playground.unwrap_or(args.demo);
    let settings = Settings {
        database_url: args.database.database_url,
        bind: args.bind,
        playground,
        introspection: args.introspection.unwrap_or(playground),
        demo: args.demo,
        workers: args.workers,
        limits: Limits::from(&args.limits),
        jwt_keys,
        statement_log: None,
        cors_origins: args.cors_origins,
        trusted_proxies: args.trusted_proxies,
        database_acquire_timeout: std::time::Duration::from_secs(u64::from(args.database_acquire_timeout)),
        database_max_connections: args.database_max_connections,
        matching_idle: std::time::Duration::from_secs(args.matching_idle_secs),
        tokens: TokenPolicy {
            access_ttl: chrono::Duration::seconds(i64::from(args.access_token_ttl)),
            ..TokenPolicy::default()
        },
    };
    let database_url = database::redact(settings.database_url.expose());
    let host = settings.bind.rsplit_once(':').map_or("127.0.0.1", |(host, _)| host).to_owned();
    crate::memory::without_huge_pages();
    crate::memory::release_freed_memory_at_once();
    let application = Application::build(settings.clone()).await?;
    crate::memory::startup_done();
    let base = format!("http://{}:{}", if host == "0.0.0.0" { "127.0.0.1" } else { &host }, application.port());
    tracing::info!(database = %database_url, "listening on {base}/graphql");
    if playground {
        tracing::info!("playground: {base}/");
    }
    if settings.demo {
        tracing::info!("demo login: {} / {}", demo::DEMO_EMAIL, demo::DEMO_PASSWORD);
    }
    let handle = application.handle();
    tokio::spawn(async move {
        shutdown_signal().await;
        tracing::info!("shutting down: finishing requests in flight");
        handle.stop(true).await;
    });
    application.run_until_stopped().await.context("serving HTTP")
}

/// Whether every address `bind` names is a loopback address (unresolvable counts as not).
fn is_loopback(bind: &str) -> bool {
    use std::net::ToSocketAddrs;
    bind.to_socket_addrs().is_ok_and(|addresses| {
        let addresses: Vec<_> = addresses.collect();
        !addresses.is_empty() && addresses.iter().all(|address| address.ip().is_loopback())
    })
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM (orchestrators), whichever comes first.
async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    if let Ok(mut terminate) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
        tokio::select! {
            _ = interrupt => {}
            _ = terminate.recv() => {}
        }
        return;
    }
    let _ = interrupt.await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_hides_secrets() {
        let cli = Cli::try_parse_from([
            "talentgraph",
            "serve",
            "--jwt-secret",
            "jwt-secret-jwt-secret-jwt-secret-0123",
            "--database-url",
            "postgres://app:db-password@db:5432/tg",
        ])
        .expect("serve parses");
        let Command::Serve(args) = cli.command else { panic!("parsed as serve") };
        let printed = format!("{args:?}");
        assert!(!printed.contains("jwt-secret-jwt-secret"), "{printed}");
        assert!(!printed.contains("db-password"), "{printed}");
        assert!(printed.contains("[REDACTED]") && printed.contains("postgres://app:***@db:5432/tg"), "{printed}");
        assert_eq!(
            args.jwt_secret.as_ref().map(|s| s.expose().as_str()),
            Some("jwt-secret-jwt-secret-jwt-secret-0123")
        );
    }

    #[test]
    fn limits_default_to_the_safe_ones_and_flags_change_them() {
        let serve = |extra: &[&str]| {
            let cli = Cli::try_parse_from(["talentgraph", "serve"].iter().chain(extra)).expect("serve parses");
            let Command::Serve(args) = cli.command else { panic!("parsed as serve") };
            Limits::from(&args.limits)
        };
        let defaults = serve(&[]);
        let expected = Limits::default();
        assert_eq!(
            (defaults.max_cost, defaults.max_fields, defaults.max_tokens, defaults.request_timeout),
            (expected.max_cost, expected.max_fields, expected.max_tokens, expected.request_timeout)
        );
        let changed = serve(&["--max-cost", "500", "--max-aliases", "3", "--request-timeout-ms", "250"]);
        assert_eq!(changed.max_cost, 500);
        assert_eq!(changed.max_aliases, 3);
        assert_eq!(changed.request_timeout, std::time::Duration::from_millis(250));
        assert_eq!(changed.max_sign_ins, 1);
    }
}
