//! Building and running a server instance: connect, migrate, (demo) seed, bind, serve.

use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

use actix_web::dev::Service;
use actix_web::dev::{Server, ServerHandle};
use actix_web::{App, HttpServer, web};
use anyhow::Context;
use sea_orm::DatabaseConnection;

use crate::auth::tokens::AuthConfig;
use crate::config::Settings;
use crate::graphql::schema;
use crate::http::{self, AppState};
use crate::{database, demo};

/// A bound, not yet running server. Tests build it on port 0 and read the port back.
pub struct Application {
    port: u16,
    server: Server,
    db: DatabaseConnection,
    /// The pool the daily maintenance uses: without the statement log, which counts what
    /// requests do.
    maintenance_db: DatabaseConnection,
}

/// How often the server re-derives years from work histories with a current job: the years
/// count whole months, so once a day keeps them at most a day late.
const REDERIVE_EVERY: std::time::Duration = std::time::Duration::from_hours(24);

/// Migrates the database and, for a demo, seeds it when empty.
async fn set_up(db: &sea_orm::DatabaseConnection, demo: bool) -> anyhow::Result<()> {
    database::migrate(db).await?;
    if demo {
        demo::seed_if_empty(db).await?;
    }
    Ok(())
}

impl Application {
    /// Connects and migrates the database, seeds the demo data when asked, and binds.
    pub async fn build(settings: Settings) -> anyhow::Result<Self> {
        let url = settings.database_url.expose();
        let connect = |max_connections| database::connect_with(url, settings.database_acquire_timeout, max_connections);
        // Migrations and the demo seed run on a connection of their own, closed before serving:
        // its SQLite page cache and statement thread would otherwise keep their memory all the
        // way through an idle server. An in-memory database lives only as long as its one
        // connection, so it keeps that one.
        let mut db = if database::is_in_memory(url) {
            let db = connect(settings.database_max_connections).await?;
            set_up(&db, settings.demo).await?;
            db
        } else {
            let setup = connect(Some(1)).await?;
            set_up(&setup, settings.demo).await?;
            setup.close().await?;
            connect(settings.database_max_connections).await?
        };
        let maintenance_db = db.clone();
        if let Some(log) = settings.statement_log.clone() {
            db.set_metric_callback(move |info| {
                if let Ok(mut statements) = log.lock() {
                    statements.push(info.statement.clone());
                }
            });
        }
        let listener =
            TcpListener::bind(&settings.bind).with_context(|| format!("cannot listen on {}", settings.bind))?;
        let port = listener.local_addr().context("reading the bound address")?.port();
        let playground_viewer = if settings.demo { demo::playground_viewer(&db).await? } else { None };
        let api = schema::Api::new(
            db.clone(),
            &settings.limits,
            AuthConfig { keys: settings.jwt_keys.clone(), policy: settings.tokens },
            settings.introspection,
        )
        .with_matching_idle(settings.matching_idle);
        // Pools of organizations nobody matches go within a quarter of the idle time after it.
        api.matching().sweep_every((settings.matching_idle / 4).clamp(Duration::from_secs(1), Duration::from_mins(1)));
        // Callers are remembered between requests, and forgotten when a change is announced.
        api.callers().listen(&db);
        let state = AppState {
            callers: Arc::clone(api.callers()),
            db: db.clone(),
            api: Arc::new(api),
            limits: settings.limits,
            playground: settings.playground,
            auth: AuthConfig { keys: settings.jwt_keys.clone(), policy: settings.tokens },
            playground_viewer,
            trusted_proxies: Arc::new(settings.trusted_proxies.clone()),
            documents: Arc::default(),
            public_rate: Arc::new(http::jobs::PublicRateLimit::new(settings.limits.public_requests_per_minute)),
        };
        let mut origins = settings.cors_origins.clone();
        if settings.demo && origins.is_empty() {
            origins.extend(http::cors::DEMO_ORIGINS.iter().filter_map(|o| http::cors::AllowedOrigin::parse(o).ok()));
        }
        let mut server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .configure(http::routes)
                .wrap(http::cors::middleware(origins.clone()))
                .wrap_fn(|request, service| {
                    let method = request.method().clone();
                    let response = service.call(request);
                    async move {
                        let mut response = response.await?;
                        let status = http::cors::preflight_status(&method, response.status());
                        *response.response_mut().status_mut() = status;
                        Ok(response)
                    }
                })
        })
        .disable_signals()
        .shutdown_timeout(5);
        if let Some(workers) = settings.workers {
            server = server.workers(workers);
        }
        let server = server.listen(listener).with_context(|| format!("cannot listen on {}", settings.bind))?.run();
        Ok(Self { port, server, db, maintenance_db })
    }

    /// The port the server listens on.
    #[must_use]
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's database pool (tests inspect data through it).
    #[must_use]
    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }

    /// A handle to stop the server gracefully.
    #[must_use]
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until the server is stopped; meanwhile re-derives years from work histories at
    /// start and then daily ([`crate::sync::service::rederive_years`]).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        tokio::select! {
            served = self.server => served,
            never = rederive_daily(self.maintenance_db) => match never {},
        }
    }
}

/// Re-derives years now and then every [`REDERIVE_EVERY`], for as long as the server runs; a
/// failed pass is logged and tried again the next day.
async fn rederive_daily(db: DatabaseConnection) -> std::convert::Infallible {
    let mut interval = tokio::time::interval(REDERIVE_EVERY);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        interval.tick().await;
        match crate::sync::service::rederive_years(&db, chrono::Utc::now().date_naive()).await {
            Ok(0) => {}
            Ok(changed) => tracing::info!(changed, "re-derived years from current jobs"),
            Err(error) => tracing::error!(error = ?error, "re-deriving years from current jobs failed"),
        }
    }
}
