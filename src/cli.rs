//! The command line: `serve`, `migrate`, `seed`, `export-schema`. Every option can also come
//! from the environment (named in `--help`); flags win over the environment.

use std::time::Instant;

use anyhow::Context;
use clap::{Args, Parser, Subcommand};

use crate::config::{DEFAULT_DATABASE_URL, Limits, Settings};
use crate::startup::Application;
use crate::telemetry::LogFormat;
use crate::{database, demo, graphql};

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
}

#[derive(Debug, Args)]
struct DatabaseArgs {
    /// Database: sqlite://PATH (created if missing) or postgres://USER:PASSWORD@HOST:PORT/DB.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL)]
    database_url: String,
}

#[derive(Debug, Args)]
struct ServeArgs {
    #[command(flatten)]
    database: DatabaseArgs,
    /// Seed demo data into an empty database and turn the playground on.
    #[arg(long)]
    demo: bool,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "TALENTGRAPH_BIND", default_value = "127.0.0.1:8080")]
    bind: String,
    /// Serve the GraphiQL playground at / (default: on with --demo, else off).
    #[arg(long, env = "TALENTGRAPH_PLAYGROUND")]
    playground: Option<bool>,
    /// Largest accepted request body, in bytes.
    #[arg(long, env = "TALENTGRAPH_MAX_BODY_BYTES", default_value_t = Limits::default().max_body_bytes)]
    max_body_bytes: usize,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "TALENTGRAPH_WORKERS")]
    workers: Option<usize>,
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
}

/// Runs a parsed command line to completion.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let runtime =
        tokio::runtime::Builder::new_multi_thread().enable_all().build().context("starting the async runtime")?;
    runtime.block_on(async move {
        match cli.command {
            Command::Serve(args) => serve(args).await,
            Command::Migrate(args) => {
                let db = database::connect(&args.database_url).await?;
                database::migrate(&db).await?;
                tracing::info!(database = %database::redact(&args.database_url), "database is up to date");
                Ok(())
            }
            Command::Seed(args) => {
                let db = database::connect(&args.database.database_url).await?;
                database::migrate(&db).await?;
                let started = Instant::now();
                let report = demo::seed(
                    &db,
                    &demo::SeedOptions { candidates: args.candidates, roles: args.roles, progress: true },
                )
                .await?;
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
                std::io::stdout().write_all(graphql::sdl().as_bytes()).context("writing the schema")
            }
        }
    })
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    let settings = Settings {
        database_url: args.database.database_url,
        bind: args.bind,
        playground: args.playground.unwrap_or(args.demo),
        demo: args.demo,
        workers: args.workers,
        limits: Limits { max_body_bytes: args.max_body_bytes, ..Limits::default() },
    };
    let playground = settings.playground;
    let database_url = database::redact(&settings.database_url);
    let host = settings.bind.rsplit_once(':').map_or("127.0.0.1", |(host, _)| host).to_owned();
    let application = Application::build(settings.clone()).await?;
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
