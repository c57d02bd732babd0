//! The command line, run as a user would: clear one-line errors, no panics.

use std::net::TcpListener;
use std::process::{Command, Output};

fn talentgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_talentgraph"))
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .output()
        .expect("the binary runs")
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
fn a_port_in_use_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let bind = taken.local_addr().unwrap().to_string();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let output = talentgraph(&["serve", "--bind", &bind, "--database-url", &url]);
    assert_one_line_error(&output, &format!("cannot listen on {bind}"));
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
    assert_eq!(String::from_utf8_lossy(&schema.stdout), talentgraph::graphql::sdl());
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
