//! The command line, run as a user would: clear one-line errors, no panics.

use std::io::Write;
use std::net::TcpListener;
use std::process::{Command, Output, Stdio};

const SECRET: &str = "cli-test-secret-cli-test-secret-0123456789";

fn command(args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_talentgraph"));
    command
        .args(args)
        .env_remove("DATABASE_URL")
        .env("TALENTGRAPH_JWT_SECRET", SECRET)
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null());
    command
}

fn talentgraph(args: &[&str]) -> Output {
    command(args).output().expect("the binary runs")
}

/// Runs a command with `input` on standard input.
fn talentgraph_with_input(args: &[&str], input: &str) -> Output {
    let mut child = command(args).stdin(Stdio::piped()).stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

fn assert_one_line_error(output: &Output, expected: &str) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "should fail: {stderr}");
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one line expected, got: {stderr}");
    assert!(lines[0].starts_with("error: ") && lines[0].contains(expected), "{stderr}");
    assert!(!stderr.contains("panicked") && !stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn an_unsupported_database_url_is_a_clear_error() {
    let output = talentgraph(&["migrate", "--database-url", "mysql://user:hunter2@localhost/db"]);
    assert_one_line_error(&output, "unsupported database URL");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"), "password leaked");
}

#[test]
fn an_unreachable_database_is_a_clear_error() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("postgres://user:hunter2@127.0.0.1:{port}/db");
    let output = talentgraph(&["migrate", "--database-url", &url]);
    assert_one_line_error(&output, "cannot open database postgres://user:***@127.0.0.1");
    assert!(!String::from_utf8_lossy(&output.stderr).contains("hunter2"), "password leaked");
}

#[test]
fn a_pool_size_out_of_range_is_refused_before_starting() {
    for size in ["0", "257", "many"] {
        let output = talentgraph(&["serve", "--demo", "--database-max-connections", size]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{size}: {stderr}");
        assert!(
            stderr.starts_with("error: invalid value") && stderr.contains("--database-max-connections"),
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
    }
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let output = talentgraph(&["serve", "--bind", &bind, "--database-url", &url]);
    assert_one_line_error(&output, &format!("cannot listen on {bind}"));
}

#[test]
fn demo_refuses_a_public_address_unless_told() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let output = talentgraph(&["serve", "--demo", "--bind", "0.0.0.0:0", "--database-url", &url]);
    assert_one_line_error(&output, "--demo-on-public-address");
    assert!(!dir.path().join("t.db").exists(), "refused before touching the database");
}

#[test]
fn migrate_creates_the_sqlite_file_and_export_schema_prints_sdl() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("fresh.db");
    let output = talentgraph(&["migrate", "--database-url", &format!("sqlite://{}", file.display())]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(file.exists());
    let schema = talentgraph(&["export-schema"]);
    assert!(schema.status.success());
    assert_eq!(String::from_utf8_lossy(&schema.stdout), talentgraph::graphql::schema::sdl());
}

#[test]
fn help_explains_every_command() {
    let help = String::from_utf8_lossy(&talentgraph(&["--help"]).stdout).into_owned();
    for command in ["serve", "migrate", "seed", "export-schema"] {
        assert!(help.contains(command), "{help}");
    }
    let serve = String::from_utf8_lossy(&talentgraph(&["serve", "--help"]).stdout).into_owned();
    for option in ["--demo", "--bind", "--database-url", "DATABASE_URL", "TALENTGRAPH_BIND"] {
        assert!(serve.contains(option), "{serve}");
    }
}

#[test]
fn serve_refuses_to_start_without_a_proper_signing_key() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let missing = command(&["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .env_remove("TALENTGRAPH_JWT_SECRET")
        .output()
        .unwrap();
    assert_one_line_error(&missing, "no signing key for access tokens");
    let short = command(&["serve", "--bind", "127.0.0.1:0", "--database-url", &url])
        .env("TALENTGRAPH_JWT_SECRET", "short")
        .output()
        .unwrap();
    assert_one_line_error(&short, "at least 32 bytes");
}

#[test]
fn operators_bootstrap_an_organization_and_its_first_admin() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("ops.db").display());
    let created = talentgraph(&["create-organization", "--database-url", &url, "Acme Data GmbH"]);
    assert!(created.status.success(), "{}", String::from_utf8_lossy(&created.stderr));
    let again = talentgraph(&["create-organization", "--database-url", &url, "Acme Data GmbH"]);
    assert_one_line_error(&again, "already exists");

    let recruiter = [
        "create-recruiter",
        "--database-url",
        &url,
        "--organization",
        "acme-data-gmbh",
        "--email",
        "Ops@Acme.test",
        "--role",
        "admin",
    ];
    let short = talentgraph_with_input(&recruiter, "short\n");
    assert_one_line_error(&short, "at least 12 characters");
    let made = talentgraph_with_input(&recruiter, "a sufficiently long password\n");
    assert!(made.status.success(), "{}", String::from_utf8_lossy(&made.stderr));
    let twice = talentgraph_with_input(&recruiter, "a sufficiently long password\n");
    assert_one_line_error(&twice, "already exists");
    let unknown = talentgraph_with_input(
        &["create-recruiter", "--database-url", &url, "--organization", "nope", "--email", "x@y.test"],
        "a sufficiently long password\n",
    );
    assert_one_line_error(&unknown, "no organization with slug `nope`");

    // The new admin can sign in over HTTP.
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(async {
        let mut settings = talentgraph::config::Settings::local(url.clone());
        settings.workers = Some(1);
        let application = talentgraph::startup::Application::build(settings).await.unwrap();
        let address = format!("http://127.0.0.1:{}/graphql", application.port());
        tokio::spawn(application.run_until_stopped());
        let body: serde_json::Value = reqwest::Client::new()
            .post(address)
            .json(&serde_json::json!({
                "query": "mutation { login(email: \"ops@acme.test\", password: \"a sufficiently long password\") { recruiter { role } } }"
            }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(body["data"]["login"]["recruiter"]["role"], "ADMIN", "{body}");
    });
}
