//! `TestApp`: a running server on a fresh database, and an HTTP client for it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, Once, OnceLock};

use entity::RecruiterRole;
use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use serde_json::{Value, json};
use talentgraph::accounts::model::{DisplayName, Email};
use talentgraph::accounts::service as accounts_service;
use talentgraph::auth::Tenant;
use talentgraph::auth::tokens::JwtKeys;
use talentgraph::config::Settings;
use talentgraph::startup::Application;
use tempfile::TempDir;
use uuid::Uuid;

/// Password of every test recruiter.
pub const PASSWORD: &str = "correct horse battery staple";
/// The HS256 secret test servers sign with, so tests can forge tokens.
pub const JWT_SECRET: &[u8] = b"test-secret-test-secret-test-secret-0123";

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| talentgraph::auth::password::hash(PASSWORD).unwrap()).clone()
}

/// An organization of the test app with one recruiter per role.
#[derive(Debug, Clone)]
pub struct TestOrganization {
    pub id: Uuid,
    pub slug: String,
    pub admin: Uuid,
    pub recruiter: Uuid,
    pub viewer: Uuid,
}

impl TestOrganization {
    /// The sign-in email of this organization's recruiter with `role`.
    pub fn email(&self, role: RecruiterRole) -> String {
        format!("{}@{}.test", format!("{role:?}").to_lowercase(), self.slug)
    }
}

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
    /// An existing database at `url` (a test that runs its own server, such as the outage test).
    #[must_use]
    pub fn at(url: String) -> Self {
        Self { url, _dir: None }
    }

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

/// A running server and a client for it, with two organizations (`acme` and `globex`) of one
/// recruiter per role each.
pub struct TestApp {
    pub address: String,
    pub db: DatabaseConnection,
    database: TestDatabase,
    pub client: reqwest::Client,
    pub keys: Arc<JwtKeys>,
    pub acme: TestOrganization,
    pub globex: TestOrganization,
    tokens: Mutex<HashMap<String, String>>,
}

async fn create_organization(db: &DatabaseConnection, name: &str) -> TestOrganization {
    let organization =
        accounts_service::create_organization(db, &DisplayName::parse(name, "name").unwrap()).await.unwrap();
    let (tenant, _) = Tenant::for_operator(db, &organization.slug).await.unwrap().unwrap();
    let mut ids = Vec::new();
    for role in [RecruiterRole::Admin, RecruiterRole::Recruiter, RecruiterRole::Viewer] {
        let email = format!("{}@{}.test", format!("{role:?}").to_lowercase(), organization.slug);
        let email = Email::parse(&email, "email").unwrap();
        let name = DisplayName::parse(&format!("{name} {role:?}"), "name").unwrap();
        let recruiter =
            accounts_service::create_recruiter(db, tenant, &email, &name, role, password_hash()).await.unwrap();
        ids.push(recruiter.id);
    }
    TestOrganization { id: organization.id, slug: organization.slug, admin: ids[0], recruiter: ids[1], viewer: ids[2] }
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

    /// The URL of this app's database (to open another connection to it).
    pub fn database_url(&self) -> &str {
        &self.database.url
    }

    /// The backend this app's database runs on.
    pub fn backend(&self) -> Backend {
        if self.db.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }

    /// Starts another server on this app's database, as a second instance of a deployment;
    /// returns its address.
    pub async fn second_instance(&self) -> String {
        let mut settings = Settings::local(self.database_url().to_owned());
        settings.workers = Some(1);
        settings.jwt_keys = self.keys.clone();
        let second = Application::build(settings).await.expect("the second instance builds");
        let address = format!("http://127.0.0.1:{}", second.port());
        tokio::spawn(second.run_until_stopped());
        address
    }

    /// A server on an existing test database.
    pub async fn on_database(database: TestDatabase, configure: impl FnOnce(&mut Settings)) -> Self {
        init_logs();
        let mut settings = Settings::local(database.url.clone());
        settings.workers = Some(1);
        settings.jwt_keys = Arc::new(JwtKeys::from_secret(JWT_SECRET).unwrap());
        // A loaded CI machine (two cores, password hashes, a build beside) can keep every
        // connection busy past the 3 s default: tests that mean to see the timeout (outages)
        // set their own.
        settings.database_acquire_timeout = std::time::Duration::from_secs(20);
        configure(&mut settings);
        let keys = settings.jwt_keys.clone();
        let application = Application::build(settings).await.expect("application builds");
        let address = format!("http://127.0.0.1:{}", application.port());
        let db = application.db().clone();
        tokio::spawn(application.run_until_stopped());
        let acme = create_organization(&db, "Acme").await;
        let globex = create_organization(&db, "Globex").await;
        Self {
            address,
            db,
            database,
            client: reqwest::Client::new(),
            keys,
            acme,
            globex,
            tokens: Mutex::new(HashMap::new()),
        }
    }

    /// Signs in with email and password through the `login` mutation; returns the body.
    pub async fn login(&self, email: &str, password: &str) -> Value {
        self.anonymous(
            "mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken refreshToken accessTokenExpiresAt recruiter { email role } retryAfter userErrors { field code message } } }",
            json!({ "email": email, "password": password }),
        )
        .await
    }

    /// An access token of `organization`'s recruiter with `role` (signed in once, then cached).
    pub async fn token(&self, organization: &TestOrganization, role: RecruiterRole) -> String {
        let email = organization.email(role);
        if let Some(token) = self.tokens.lock().unwrap().get(&email) {
            return token.clone();
        }
        let body = self.login(&email, PASSWORD).await;
        let token =
            body["data"]["login"]["accessToken"].as_str().unwrap_or_else(|| panic!("login failed: {body}")).to_owned();
        self.tokens.lock().unwrap().insert(email, token.clone());
        token
    }

    /// Runs an operation as Acme's RECRUITER.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        let token = self.token(&self.acme, RecruiterRole::Recruiter).await;
        self.graphql_with(Some(&token), query, variables).await
    }

    /// Runs an operation as `organization`'s recruiter with `role`.
    pub async fn graphql_as(
        &self,
        organization: &TestOrganization,
        role: RecruiterRole,
        query: &str,
        variables: Value,
    ) -> Value {
        let token = self.token(organization, role).await;
        self.graphql_with(Some(&token), query, variables).await
    }

    /// Deactivates `organization`'s recruiter `id` as its ADMIN; returns the body.
    pub async fn deactivate_recruiter(&self, organization: &TestOrganization, id: Uuid) -> Value {
        let id = talentgraph::graphql::ids::encode("Recruiter", id).0;
        self.graphql_as(
            organization,
            RecruiterRole::Admin,
            "mutation ($id: ID!) { deactivateRecruiter(id: $id) { recruiter { active } } }",
            json!({ "id": id }),
        )
        .await
    }

    /// Runs an operation without credentials.
    pub async fn anonymous(&self, query: &str, variables: Value) -> Value {
        self.graphql_with(None, query, variables).await
    }

    /// Runs an operation with an optional bearer token; returns the JSON body.
    pub async fn graphql_with(&self, token: Option<&str>, query: &str, variables: Value) -> Value {
        let mut request =
            self.client.post(self.url("/graphql")).json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send().await.expect("request sent").json().await.expect("JSON body")
    }

    /// POSTs a JSON body to /graphql without credentials; returns status and JSON body.
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

/// The first `userErrors` entry of the payload of mutation `root` (a refusal of its input).
pub fn user_error<'a>(body: &'a Value, root: &str) -> &'a Value {
    &body["data"][root]["userErrors"][0]
}

/// The code of the first `userErrors` entry of mutation `root`'s payload.
pub fn user_error_code<'a>(body: &'a Value, root: &str) -> Option<&'a str> {
    user_error(body, root)["code"].as_str()
}

/// How a one-field operation was refused: the code of its payload's first `userErrors` entry
/// (mutations), else of its first top-level error (queries).
pub fn refusal_code(body: &Value) -> Option<&str> {
    let in_payload =
        body["data"].as_object().and_then(|roots| roots.values().next()).map(|p| &p["userErrors"][0]["code"]);
    in_payload.and_then(Value::as_str).or_else(|| first_error_code(body))
}
