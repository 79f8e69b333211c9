//! Clients of the HTTP API that Oxidesk's authors did not write, run by `cargo test` against the
//! real binary:
//! - a Chatwoot client published by others (`chatwoot-sdk` from PyPI, unchanged), driven by
//!   `python/chatwoot_sdk_client.py` through every resource it offers ([`published`]);
//! - property-based fuzzing with Schemathesis (PyPI): every operation of Oxidesk's own OpenAPI
//!   document (`/api/openapi.json`) and of Chatwoot's
//!   (`../shared/reference/chatwoot-swagger.json`), against the real binary (`oxidesk demo`) on
//!   SQLite and on a PostgreSQL schema of its own. No answer may be a 5xx, every documented
//!   response must match its schema (and its content type, for Oxidesk's document), and the
//!   server must still be healthy afterwards, with no panic in its log.
//!
//! Schemathesis comes from `OXIDESK_SCHEMATHESIS`, else the virtual environment `.ci/run` makes
//! (`target/ci-venv/bin/schemathesis`), else `schemathesis` on the `PATH`. Without it the tests
//! print `WARNING: SKIPPED`; under `CI=true` they fail instead. `OXIDESK_FUZZ_EXAMPLES` (default
//! 12 per operation) and `OXIDESK_FUZZ_SEED` (default fixed, so CI is repeatable) change the run.

#[path = "../browser/client.rs"]
#[allow(dead_code)]
mod client;
mod documents;
mod published;
#[path = "../browser/server.rs"]
#[allow(dead_code)]
mod server;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use client::Api;
use server::{ADMIN, Database, Server};

/// The first of `candidates` that runs with `probe` (exit 0), or `None` after a loud warning
/// naming `what` and `how` to get it (a failure under `CI=true`). `env` names a variable that,
/// when set, is tried first.
pub(crate) fn find_tool(
    env: &str,
    candidates: &[PathBuf],
    probe: &[&str],
    what: &str,
    how: &str,
) -> Option<PathBuf> {
    let from_env = std::env::var_os(env)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    for candidate in from_env.iter().chain(candidates) {
        let works = Command::new(candidate)
            .args(probe)
            .output()
            .is_ok_and(|out| out.status.success());
        if works {
            return Some(candidate.clone());
        }
    }
    let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
    assert!(!ci, "no {what} but CI=true: {how}, or set {env}");
    eprintln!("\nWARNING: SKIPPED {what}: {how}, or set {env}\n");
    None
}

/// The workspace's `target/ci-venv/bin/<name>` (the virtual environment `.ci/run` makes).
pub(crate) fn ci_venv(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../target/ci-venv/bin")
        .join(name)
}

/// The Schemathesis command.
fn schemathesis() -> Option<PathBuf> {
    find_tool(
        "OXIDESK_SCHEMATHESIS",
        &[ci_venv("schemathesis"), PathBuf::from("schemathesis")],
        &["--version"],
        "the API fuzzing (no Schemathesis found)",
        "python3 -m venv target/ci-venv && target/ci-venv/bin/pip install schemathesis (what .ci/run does)",
    )
}

fn env_number(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .parse()
            .unwrap_or_else(|_| panic!("{name}={v} is not a whole number")),
        Err(_) => default,
    }
}

/// One fuzzing run against `server`: `location` is a URL or a file; panics with Schemathesis's
/// report when it finds anything.
fn run(tool: &Path, server: &Server, dir: &Path, location: &str, checks: &str, token: &str) {
    let examples = env_number("OXIDESK_FUZZ_EXAMPLES", 12).to_string();
    let seed = env_number("OXIDESK_FUZZ_SEED", 20_261_126).to_string();
    let output = Command::new(tool)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .args(["--config-file", "schemathesis.toml", "run", location])
        .args(["--url", &server.base()])
        .args(["--header", &format!("api_access_token: {token}")])
        .args(["--checks", checks])
        .args(["--phases", "examples,fuzzing"])
        .args(["--max-examples", &examples, "--seed", &seed])
        .args(["--workers", "2", "--request-timeout", "20"])
        .args(["--suppress-health-check", "all"])
        .output()
        .expect("run schemathesis");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        // The whole report goes to the test's output; the panic names what failed first, so
        // that a log cut to its beginning and end (as CI's summary is) still shows it.
        println!(
            "{location}:\n{stdout}\n{stderr}\n--- server log ---\n{}",
            server.log()
        );
        panic!(
            "Schemathesis found problems in {location} (reproduce with OXIDESK_FUZZ_SEED={seed}):\n\
             {}\n--- the server's errors and warnings ---\n{}\n{stderr}",
            failures(&stdout),
            problems(&server.log()),
        );
    }
    // It ran the operations: a run that selected none also succeeds.
    assert!(
        stdout.contains("Tested:") && stdout.contains("generated"),
        "Schemathesis tested nothing in {location}:\n{stdout}\n{stderr}"
    );
    println!("{location}:\n{stdout}");
}

/// The FAILURES section of a Schemathesis report (at most 120 lines), or the report's last
/// 60 lines when it has none.
fn failures(report: &str) -> String {
    let lines: Vec<&str> = report.lines().collect();
    let start = lines.iter().position(|l| l.contains("= FAILURES ="));
    let picked: Vec<&str> = match start {
        Some(start) => lines[start..]
            .iter()
            .take_while(|l| !l.contains("= WARNINGS =") && !l.contains("= SUMMARY ="))
            .take(120)
            .copied()
            .collect(),
        None => lines[lines.len().saturating_sub(60)..].to_vec(),
    };
    picked.join("\n")
}

/// The server log's error and warning lines, and 5xx answers (at most the last 40).
fn problems(log: &str) -> String {
    let picked: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("ERROR")
                || l.contains("WARN")
                || l.contains("panicked")
                || l.contains("status=5")
        })
        .collect();
    picked[picked.len().saturating_sub(40)..].join("\n")
}

/// Fixed values for the path parameters, so that requests reach real rows of the demo account:
/// the account, the API inbox and a customer of the client API, and ids that exist.
fn config(api: &Api, contact_identifier: &str) -> String {
    let ids: Vec<String> = (1..=40).map(|i| i.to_string()).collect();
    let conversations: Vec<String> = (1..=26).map(|i| i.to_string()).collect();
    format!(
        "[dictionaries.ids]\nvalues = [{}]\n\n[dictionaries.conversations]\nvalues = [{}]\n\n\
         [parameters]\n\"path.account_id\" = 1\n\"path.inbox_identifier\" = \"{}\"\n\
         \"path.contact_identifier\" = \"{contact_identifier}\"\n\
         \"path.conversation_id\" = {{ dictionary = \"conversations\", probability = 0.9 }}\n\
         \"path.id\" = {{ dictionary = \"ids\", probability = 0.9 }}\n\
         \"path.message_id\" = {{ dictionary = \"ids\", probability = 0.6 }}\n\
         \"path.inbox_id\" = {{ dictionary = \"ids\", probability = 0.6 }}\n\
         \"path.team_id\" = {{ dictionary = \"ids\", probability = 0.6 }}\n",
        ids.join(", "),
        conversations.join(", "),
        api.inbox_identifier,
    )
}

async fn fuzz(db: Database) {
    let Some(tool) = schemathesis() else { return };
    let Some(chatwoot) = documents::chatwoot() else {
        return;
    };
    let server = db.start("demo").await;
    let token = db.token(ADMIN.0);
    let api = Api::new(server.port, token.clone()).await;
    let customer = api.customer_writes("Fuzz Customer", "Hello").await;

    let dir = tempfile::tempdir().expect("a folder for the run");
    std::fs::write(
        dir.path().join("schemathesis.toml"),
        config(&api, &customer.source_id),
    )
    .expect("write schemathesis.toml");
    let corrected = dir.path().join("chatwoot-swagger.json");
    std::fs::write(&corrected, documents::corrected(chatwoot).to_string())
        .expect("write Chatwoot's document");

    let own = format!("{}/api/openapi.json", server.base());
    run(
        &tool,
        &server,
        dir.path(),
        &own,
        "not_a_server_error,response_schema_conformance,content_type_conformance",
        &token,
    );
    run(
        &tool,
        &server,
        dir.path(),
        corrected.to_str().expect("a UTF-8 path"),
        "not_a_server_error,response_schema_conformance",
        &token,
    );

    // Still serving, and nothing panicked on the way (a panic in a spawned task is no 5xx).
    let health = client::request(server.port, "GET", "/health", &[], None)
        .await
        .expect("the server answers after fuzzing");
    assert_eq!(health.status, 200, "{}", health.body);
    let log = server.log();
    assert!(!log.contains("panicked"), "a panic while fuzzing:\n{log}");
    let _: Value = health.json();
}

#[tokio::test]
async fn fuzzing_on_sqlite_finds_no_server_error_and_no_shape_mismatch() {
    fuzz(Database::sqlite()).await;
}

#[tokio::test]
async fn fuzzing_on_postgres_finds_no_server_error_and_no_shape_mismatch() {
    let Some(db) = Database::postgres().await else {
        return;
    };
    fuzz(db).await;
}
