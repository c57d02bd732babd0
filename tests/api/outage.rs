//! PostgreSQL stopped under a running server (issue 8 §5): readiness says so within 2 s,
//! requests are answered SERVICE_UNAVAILABLE within the acquire timeout instead of hanging, and
//! the server recovers by itself when the database is back. The test runs its own PostgreSQL
//! (initdb in a temporary directory) so stopping it disturbs no other test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use serde_json::{Value, json};

use crate::helpers::{TestApp, TestDatabase, first_error_code};

/// A throw-away PostgreSQL server on a free local port.
struct PrivatePostgres {
    bin: PathBuf,
    data: PathBuf,
    port: u16,
    _dir: tempfile::TempDir,
}

fn postgres_bin() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("TEST_PG_BIN") {
        return Some(PathBuf::from(dir));
    }
    let mut found: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .map(|entry| entry.path().join("bin"))
        .filter(|bin| bin.join("initdb").exists())
        .collect();
    found.sort();
    found.pop()
}

/// Runs a PostgreSQL tool as the `postgres` user when we are root (initdb refuses root).
fn as_postgres(program: &Path) -> Command {
    let root = Command::new("id").arg("-u").output().is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0");
    if root {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

impl PrivatePostgres {
    fn start() -> Option<Self> {
        let bin = postgres_bin()?;
        let dir = tempfile::tempdir().ok()?;
        let data = dir.path().join("data");
        // The postgres user must be able to write the directory.
        Command::new("chmod").arg("777").arg(dir.path()).status().ok()?;
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let initdb = as_postgres(&bin.join("initdb"))
            .arg("-D")
            .arg(&data)
            .args(["-U", "postgres", "--auth=trust", "-E", "UTF8", "--locale=C"])
            .output()
            .ok()?;
        if !initdb.status.success() {
            eprintln!("initdb failed: {}", String::from_utf8_lossy(&initdb.stderr));
            return None;
        }
        let config = format!(
            "listen_addresses = '127.0.0.1'\nport = {port}\nunix_socket_directories = '{}'\nfsync = off\n",
            dir.path().display()
        );
        std::fs::write(data.join("postgresql.auto.conf"), config).ok()?;
        let server = Self { bin, data, port, _dir: dir };
        server.run(true).then_some(server)
    }

    /// Starts (`true`) or stops (`false`, immediately: as a crash would) the server and waits
    /// for it.
    fn run(&self, up: bool) -> bool {
        if up {
            self.pg_ctl(&["-l", &self.data.join("log").to_string_lossy(), "start"])
        } else {
            self.stop("immediate")
        }
    }

    /// Stops the server in `mode`: `immediate` (the connections just break) or `fast` (what a
    /// service manager does: each connection is told FATAL 57P01 first).
    fn stop(&self, mode: &str) -> bool {
        self.pg_ctl(&["-m", mode, "stop"])
    }

    fn pg_ctl(&self, args: &[&str]) -> bool {
        let mut command = as_postgres(&self.bin.join("pg_ctl"));
        command.arg("-D").arg(&self.data).args(["-w", "-t", "30"]).args(args);
        command.output().is_ok_and(|output| output.status.success())
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for PrivatePostgres {
    fn drop(&mut self) {
        self.run(false);
    }
}

/// Times a request; returns the HTTP status, the body and how long it took.
async fn timed(app: &TestApp, token: Option<&str>, query: &str) -> (u16, Value, Duration) {
    let started = Instant::now();
    let mut request = app.client.post(app.url("/graphql")).json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the server answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body, started.elapsed())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgres_outage_is_answered_quickly_and_recovers() {
    let Some((postgres, app)) = app_on_private_postgres().await else { return };
    let token = app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let query = "{ candidates(first: 5) { totalCount } }";
    let (status, body, _) = timed(&app, Some(&token), query).await;
    assert_eq!((status, &body["data"]["candidates"]["totalCount"]), (200, &json!(0)), "{body}");

    assert!(postgres.run(false), "PostgreSQL stopped");
    let started = Instant::now();
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 503);
    assert!(started.elapsed() < Duration::from_secs(3), "/readyz took {:?}", started.elapsed());
    // With a token the caller cannot be checked: 503 SERVICE_UNAVAILABLE, quickly. Without one,
    // the guard refuses before any statement, as always.
    for (caller, expected) in [(Some(token.as_str()), "SERVICE_UNAVAILABLE"), (None, "UNAUTHENTICATED")] {
        let (status, body, took) = timed(&app, caller, query).await;
        assert!(took < Duration::from_secs(5), "answered after {took:?}: {body}");
        assert_eq!(first_error_code(&body), Some(expected), "{status} {body}");
    }
    let (status, body, _) = timed(&app, Some(&token), query).await;
    assert_eq!(status, 503, "the caller cannot be checked: {body}");
    let (_, anonymous, _) =
        timed(&app, None, "mutation { login(email: \"admin@acme.test\", password: \"x\") { accessToken } }").await;
    assert_eq!(first_error_code(&anonymous), Some("SERVICE_UNAVAILABLE"), "{anonymous}");

    assert!(postgres.run(true), "PostgreSQL started again");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body, _) = timed(&app, Some(&token), query).await;
        if status == 200 && body["data"]["candidates"]["totalCount"] == json!(0) {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery within 20 s: {status} {body}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let ready = app.client.get(app.url("/readyz")).send().await.unwrap();
    assert_eq!(ready.status().as_u16(), 200, "ready again");
}

/// A private PostgreSQL with a server on it (acquire timeout 2 s), or `None` (skipped) where no
/// PostgreSQL binaries are installed and none is required.
async fn app_on_private_postgres() -> Option<(PrivatePostgres, TestApp)> {
    let Some(postgres) = PrivatePostgres::start() else {
        assert!(
            std::env::var_os("TALENTGRAPH_REQUIRE_POSTGRES").is_none(),
            "TALENTGRAPH_REQUIRE_POSTGRES is set but no PostgreSQL server could be started for the outage test"
        );
        eprintln!("no PostgreSQL binaries: outage test skipped");
        return None;
    };
    let app = TestApp::on_database(TestDatabase::at(postgres.url()), |settings| {
        settings.database_acquire_timeout = Duration::from_secs(2);
    })
    .await;
    Some((postgres, app))
}

const MATCH: &str = "query ($role: ID!) { matchCandidates(roleId: $role) { totalCount edges { node { score candidate { fullName } } } } }";

/// A role of `organization` asking for Spark and Kafka, and two candidates; returns the role's id.
async fn matching_scenario(app: &TestApp, organization: &crate::helpers::TestOrganization) -> String {
    let input = json!({ "input": crate::roles::tech_lead() });
    let role = app.graphql_as(organization, entity::RecruiterRole::Recruiter, crate::roles::CREATE, input).await;
    let create = "mutation ($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id } } }";
    for (name, skills) in [
        ("Both", json!([{ "skill": "spark", "level": 5 }, { "skill": "kafka", "level": 5 }])),
        ("Spark", json!([{ "skill": "spark", "level": 5 }])),
    ] {
        let input = json!({ "fullName": name, "yearsExperience": 10, "skills": skills });
        app.graphql_as(organization, entity::RecruiterRole::Recruiter, create, json!({ "input": input })).await;
    }
    role["data"]["createRole"]["role"]["id"].as_str().unwrap_or_else(|| panic!("{role}")).to_owned()
}

fn names(body: &Value) -> Vec<&str> {
    body["data"]["matchCandidates"]["edges"]
        .as_array()
        .map(|edges| edges.iter().filter_map(|e| e["node"]["candidate"]["fullName"].as_str()).collect())
        .unwrap_or_default()
}

/// Matching with PostgreSQL stopped: a warm pool (built before) and a cold one (never built) are
/// both answered SERVICE_UNAVAILABLE quickly, over HTTP and inside the service (past the
/// caller check, as when the database goes away mid-request); a warm pool does not answer from
/// memory, since it cannot check that it is fresh. Once PostgreSQL is back both rank again, and
/// a change committed then is in the next answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn matching_during_a_postgres_outage_is_unavailable_quickly_and_recovers() {
    use talentgraph::error::AppError;
    use talentgraph::matching::{index::MatchIndexes, service};

    let Some((postgres, app)) = app_on_private_postgres().await else { return };
    let warm_role = matching_scenario(&app, &app.acme).await;
    let cold_role = matching_scenario(&app, &app.globex).await;
    let acme = app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let globex = app.token(&app.globex, entity::RecruiterRole::Recruiter).await;
    let matches = |token: &str, role: &str| {
        let request = app
            .client
            .post(app.url("/graphql"))
            .bearer_auth(token)
            .json(&json!({ "query": MATCH, "variables": { "role": role } }));
        async move {
            let started = Instant::now();
            let response = request.send().await.expect("the server answers");
            let status = response.status().as_u16();
            (status, response.json::<Value>().await.unwrap_or(Value::Null), started.elapsed())
        }
    };
    let (status, body, _) = matches(&acme, &warm_role).await;
    assert_eq!((status, names(&body)), (200, vec!["Both", "Spark"]), "{body}");
    // The same through the service, with indexes of its own: one warm, one never built.
    let tenant = |slug: &str| {
        let db = app.db.clone();
        let slug = slug.to_owned();
        async move { talentgraph::auth::Tenant::for_operator(&db, &slug).await.unwrap().unwrap().0 }
    };
    let (acme_tenant, globex_tenant) = (tenant(&app.acme.slug).await, tenant(&app.globex.slug).await);
    let role_uuid =
        |global: &str| talentgraph::graphql::ids::decode("Role", &async_graphql::ID(global.to_owned()), "id").unwrap();
    let (warm_model, warm_ask) = service::role_ask(&app.db, acme_tenant, role_uuid(&warm_role)).await.unwrap();
    let (cold_model, cold_ask) = service::role_ask(&app.db, globex_tenant, role_uuid(&cold_role)).await.unwrap();
    let indexes = MatchIndexes::default();
    let filter = service::MatchFilter::default();
    let rank = |tenant, ask: &service::Ask, role| {
        service::rank_candidates(&app.db, &indexes, tenant, ask.clone(), Some(role), &filter, None, 20)
    };
    assert_eq!(rank(acme_tenant, &warm_ask, &warm_model).await.unwrap().page.total_count, 2);
    assert_eq!(indexes.resident(), 1, "Acme's pool is warm, Globex's cold");

    // Stopped as a service manager stops it: every connection of the pool is told FATAL 57P01
    // (admin shutdown), which must read as an outage too.
    assert!(postgres.stop("fast"), "PostgreSQL stopped");
    for (token, role) in [(&acme, &warm_role), (&globex, &cold_role)] {
        let (status, body, took) = matches(token, role).await;
        assert!(took < Duration::from_secs(5), "answered after {took:?}: {body}");
        assert_eq!((status, first_error_code(&body)), (503, Some("SERVICE_UNAVAILABLE")), "{body}");
    }
    for (tenant, ask, role) in [(acme_tenant, &warm_ask, &warm_model), (globex_tenant, &cold_ask, &cold_model)] {
        let started = Instant::now();
        let outcome = rank(tenant, ask, role).await;
        assert!(started.elapsed() < Duration::from_secs(5), "answered after {:?}", started.elapsed());
        assert!(matches!(outcome, Err(AppError::Unavailable)), "{:?}", outcome.map(|r| r.page.total_count));
    }

    assert!(postgres.run(true), "PostgreSQL started again");
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let (status, body, _) = matches(&acme, &warm_role).await;
        if status == 200 && names(&body) == ["Both", "Spark"] {
            break;
        }
        assert!(Instant::now() < deadline, "no recovery within 20 s: {status} {body}");
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let (status, body, _) = matches(&globex, &cold_role).await;
    assert_eq!((status, names(&body)), (200, vec!["Both", "Spark"]), "the cold pool builds after the outage: {body}");
    assert_eq!(rank(acme_tenant, &warm_ask, &warm_model).await.unwrap().page.total_count, 2);
    assert_eq!(rank(globex_tenant, &cold_ask, &cold_model).await.unwrap().page.total_count, 2);
    // Fresh after the outage: a newcomer is in the next answer of the warm pool.
    let create = "mutation ($input: CreateCandidateInput!) { createCandidate(input: $input) { candidate { id } } }";
    let input = json!({ "fullName": "Newcomer", "yearsExperience": 10, "skills": [{ "skill": "kafka", "level": 5 }] });
    app.graphql_with(Some(&acme), create, json!({ "input": input })).await;
    let (_, body, _) = matches(&acme, &warm_role).await;
    assert_eq!(names(&body), ["Both", "Spark", "Newcomer"], "{body}");
    assert_eq!(rank(acme_tenant, &warm_ask, &warm_model).await.unwrap().page.total_count, 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_takes_concurrent_writers_in_wal_mode() {
    use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait, Statement};
    let app =
        TestApp::spawn_with(crate::helpers::Backend::Sqlite, |settings| settings.workers = Some(2)).await.unwrap();
    let mode = app
        .db
        .query_one_raw(Statement::from_string(sea_orm::DbBackend::Sqlite, "PRAGMA journal_mode".to_owned()))
        .await
        .unwrap()
        .and_then(|row| row.try_get_by_index::<String>(0).ok());
    assert_eq!(mode.as_deref(), Some("wal"));
    let create = "mutation ($n: String!) { createCandidate(input: { fullName: $n, tags: [\"load\"] }) { candidate { id } userErrors { code } } }";
    let token = app.token(&app.acme, entity::RecruiterRole::Recruiter).await;
    let writes = (0..24).map(|i| app.graphql_with(Some(&token), create, json!({ "n": format!("Writer {i}") })));
    let results = futures_util::future::join_all(writes).await;
    for result in &results {
        assert!(
            result["data"]["createCandidate"]["candidate"]["id"].is_string(),
            "a writer waited instead of failing: {result}"
        );
    }
    assert_eq!(entity::candidates::Entity::find().count(&app.db).await.unwrap(), 24);
}
