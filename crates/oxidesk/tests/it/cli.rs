//! The `oxidesk` binary: help, config, migrations, account/user/token commands, errors, serve.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use oxidesk_store::testing::TestDatabase;

pub(crate) const BIN: &str = env!("CARGO_BIN_EXE_oxidesk");

/// The binary run in `dir` with only `vars` set (no inherited OXIDESK_* variables).
pub(crate) fn oxidesk(dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in vars {
        command.env(k, v);
    }
    command.output().expect("run oxidesk")
}

pub(crate) fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn every_command_has_help() {
    let dir = tempfile::tempdir().unwrap();
    for args in [
        vec!["--help"],
        vec!["serve", "--help"],
        vec!["demo", "--help"],
        vec!["generate", "--help"],
        vec!["migrate", "--help"],
        vec!["config", "print", "--help"],
        vec!["account", "create", "--help"],
        vec!["user", "create", "--help"],
        vec!["token", "create", "--help"],
    ] {
        let out = oxidesk(dir.path(), &args, &[]);
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains("Usage: oxidesk"), "{args:?}");
    }
    let user_help = text(&oxidesk(dir.path(), &["user", "create", "--help"], &[]).stdout);
    assert!(
        user_help.contains("administrator") && user_help.contains("--password"),
        "{user_help}"
    );
}

#[test]
fn config_print_merges_file_and_environment_and_hides_secrets() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("oxidesk.toml"),
        "bind = \"127.0.0.1:4000\"\n[brand]\nname = \"Hoory\"\n",
    )
    .unwrap();
    let out = oxidesk(
        dir.path(),
        &["config", "print"],
        &[
            (
                "OXIDESK_SECRET_KEY",
                "0123456789abcdef0123456789abcdef-secret",
            ),
            ("OXIDESK_DATABASE_URL", "postgres://app:hunter2@db/x"),
            ("OXIDESK_BRAND_NAME", "Bevatel"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed = text(&out.stdout);
    assert!(printed.contains("bind = \"127.0.0.1:4000\""), "{printed}");
    assert!(printed.contains("name = \"Bevatel\""), "{printed}");
    assert!(
        !printed.contains("hunter2") && !printed.contains("-secret"),
        "{printed}"
    );
}

#[test]
fn bad_configuration_exits_2_naming_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let out = oxidesk(
        dir.path(),
        &["config", "print"],
        &[("OXIDESK_BIND", "everywhere")],
    );
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("bind") && err.contains("OXIDESK_BIND"),
        "{err}"
    );
    std::fs::write(
        dir.path().join("oxidesk.toml"),
        "[database]\nmax_connections = \"lots\"\n",
    )
    .unwrap();
    let out = oxidesk(dir.path(), &["migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("database.max_connections"),
        "{}",
        text(&out.stderr)
    );
    let out = oxidesk(dir.path(), &["--config", "nope.toml", "migrate"], &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("nope.toml"));
}

#[test]
fn an_unreachable_database_is_a_clear_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let out = oxidesk(
        dir.path(),
        &["migrate"],
        &[(
            "OXIDESK_DATABASE_URL",
            "postgres://oxidesk:pw@127.0.0.1:1/nothing",
        )],
    );
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains(
            "cannot connect to the database at postgres://oxidesk:***@127.0.0.1:1/nothing"
        ),
        "{err}"
    );
    assert!(
        err.contains("OXIDESK_DATABASE_URL"),
        "says what to fix: {err}"
    );
    assert!(!err.contains("panicked") && !err.contains(":pw@"), "{err}");
}

/// The account/user/token commands against `url`, in `dir`.
fn admin_commands(dir: &Path, vars: &[(&str, &str)]) {
    let out = oxidesk(dir, &["migrate"], vars);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = oxidesk(dir, &["account", "create", "--name", "Acme Support"], vars);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Created account 1 \"Acme Support\""),
        "{}",
        text(&out.stdout)
    );

    let create_user = |email: &str, account: &str| {
        oxidesk(
            dir,
            &[
                "user",
                "create",
                "--account",
                account,
                "--email",
                email,
                "--name",
                "Sam Lee",
                "--password",
                "password123",
                "--role",
                "administrator",
            ],
            vars,
        )
    };
    let out = create_user("sam@acme.test", "Acme Support");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("Created administrator"),
        "{}",
        text(&out.stdout)
    );

    let taken = create_user("SAM@acme.test", "1");
    assert_eq!(taken.status.code(), Some(2));
    assert!(
        text(&taken.stderr).contains("--email sam@acme.test is already taken"),
        "{}",
        text(&taken.stderr)
    );
    let bad = create_user("not-an-email", "1");
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        text(&bad.stderr).contains("--email 'not-an-email' is not a valid email address"),
        "{}",
        text(&bad.stderr)
    );
    let missing = create_user("x@acme.test", "Globex");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("oxidesk account create --name \"Globex\""),
        "{}",
        text(&missing.stderr)
    );

    let token = oxidesk(dir, &["token", "create", "--email", "sam@acme.test"], vars);
    assert!(token.status.success(), "{}", text(&token.stderr));
    let secret = text(&token.stdout).trim().to_owned();
    assert!(secret.starts_with("oxd_") && secret.len() > 40, "{secret}");
    let unknown = oxidesk(
        dir,
        &["token", "create", "--email", "nobody@acme.test"],
        vars,
    );
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("oxidesk user create"));
}

#[test]
fn admin_commands_on_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    admin_commands(dir.path(), &[]);
    assert!(
        dir.path().join("oxidesk-data/oxidesk.db").exists(),
        "the default database lives in ./oxidesk-data"
    );
    assert!(
        dir.path().join("oxidesk-data/secret_key").exists(),
        "a secret key was generated"
    );
}

#[tokio::test]
async fn admin_commands_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let schema = db.schema.clone().unwrap();
    let url = format!("{}?options=-csearch_path%3D{schema}", db.url);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().to_owned();
    tokio::task::spawn_blocking(move || admin_commands(&path, &[("OXIDESK_DATABASE_URL", &url)]))
        .await
        .unwrap();
    let account = db.store.account_by_name("Acme Support").await.unwrap();
    assert!(
        account.is_some(),
        "the commands wrote to this PostgreSQL schema"
    );
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
    )
    .ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).ok()?;
    Some(response)
}

#[test]
fn serve_starts_on_an_empty_database_and_offers_onboarding() {
    let dir = tempfile::tempdir().unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let bind = format!("127.0.0.1:{port}");
    let mut child = Command::new(BIN)
        .current_dir(dir.path())
        .args(["serve", "--bind", &bind])
        .env_clear()
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut health = None;
    while Instant::now() < deadline {
        if let Some(response) = http_get(port, "/health") {
            health = Some(response);
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let root = http_get(port, "/");
    child.kill().ok();
    let output = child.wait_with_output().unwrap();
    let health =
        health.unwrap_or_else(|| panic!("the server never answered: {}", text(&output.stderr)));
    assert!(health.starts_with("HTTP/1.1 200"), "{health}");
    let root = root.expect("root answered");
    assert!(
        root.contains("location: /installation/onboarding"),
        "{root}"
    );
    let log = text(&output.stderr);
    assert!(
        log.contains(&format!("listening on http://{bind}")),
        "{log}"
    );
    assert!(log.contains("/installation/onboarding"), "{log}");
}
