//! `TestApp`: a running server on a fresh database, and an HTTP client for it.

use std::sync::Once;

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use talentgraph::config::Settings;
use talentgraph::startup::Application;
use tempfile::TempDir;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Declares, for each scenario `async fn name(app: TestApp)`, a module `name` with one test per
/// backend (`name::sqlite`, `name::postgres`), so the test list shows both.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::TestApp::spawn($crate::helpers::Backend::Sqlite).await).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    if let Some(app) = $crate::helpers::TestApp::spawn_if_available($crate::helpers::Backend::Postgres).await {
                        super::$name(app).await;
                    }
                }
            }
        )*
    };
}

/// A fresh database: a temporary SQLite file, or a new PostgreSQL database.
pub struct TestDatabase {
    pub url: String,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    /// A new, empty database, or `None` for PostgreSQL without `TEST_DATABASE_URL` (unless
    /// `TALENTGRAPH_REQUIRE_POSTGRES` is set, as in CI, where that is a failure).
    pub async fn create(backend: Backend) -> Option<Self> {
        match backend {
            Backend::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                Some(Self { url, _dir: Some(dir) })
            }
            Backend::Postgres => {
                let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
                    assert!(
                        std::env::var_os("TALENTGRAPH_REQUIRE_POSTGRES").is_none(),
                        "TALENTGRAPH_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
                    );
                    eprintln!("TEST_DATABASE_URL not set: PostgreSQL variant skipped");
                    return None;
                };
                let name = format!("tg_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Database::connect(&admin_url).await.expect("connect to TEST_DATABASE_URL");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create test database");
                admin.close().await.ok();
                let (base, _) = admin_url.rsplit_once('/').expect("TEST_DATABASE_URL has a database path");
                Some(Self { url: format!("{base}/{name}"), _dir: None })
            }
        }
    }
}

/// A running server and a client for it.
pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    _database: TestDatabase,
    pub client: reqwest::Client,
}

fn init_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        if std::env::var_os("TEST_LOG").is_some() {
            talentgraph::telemetry::init(talentgraph::telemetry::LogFormat::Text);
        }
    });
}

impl TestApp {
    /// A server on a fresh database of `backend` (panics when that backend is unavailable).
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_if_available(backend).await.expect("backend available")
    }

    /// A server on a fresh database of `backend`, or `None` when PostgreSQL is not configured.
    pub async fn spawn_if_available(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Like `spawn_if_available`, with changed settings.
    pub async fn spawn_with(backend: Backend, configure: impl FnOnce(&mut Settings)) -> Option<Self> {
        let database = TestDatabase::create(backend).await?;
        Some(Self::on_database(database, configure).await)
    }

    /// A server on an existing test database.
    pub async fn on_database(database: TestDatabase, configure: impl FnOnce(&mut Settings)) -> Self {
        init_logs();
        let mut settings = Settings::local(database.url.clone());
        settings.workers = Some(1);
        configure(&mut settings);
        let application = Application::build(settings).await.expect("application builds");
        let address = format!("http://127.0.0.1:{}", application.port());
        let db = application.db().clone();
        tokio::spawn(application.run_until_stopped());
        Self { address, db, _database: database, client: reqwest::Client::new() }
    }

    /// POSTs a GraphQL operation and returns the JSON body (any HTTP status).
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.post_json(&json!({ "query": query, "variables": variables })).await.1
    }

    /// POSTs a JSON body to /graphql; returns status and JSON body.
    pub async fn post_json(&self, body: &Value) -> (u16, Value) {
        let response =
            self.client.post(format!("{}/graphql", self.address)).json(body).send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.expect("JSON body"))
    }

    /// The URL of a path on this server.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }
}

/// The `extensions.code` of the first error of a response.
pub fn first_error_code(body: &Value) -> Option<&str> {
    body["errors"][0]["extensions"]["code"].as_str()
}
