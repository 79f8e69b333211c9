//! `chatwoot-sdk` (PyPI 0.2.0: a typed Python client for Chatwoot's application API, written by
//! others, with pydantic models that refuse a response of the wrong shape) used unchanged
//! against `oxidesk demo`: profile, inboxes, agents, teams, contacts (create, get, update,
//! search, list), conversations (list, create, get, status, labels) and messages (reply,
//! private note, list). The script is `python/chatwoot_sdk_client.py`.
//!
//! Python with the package comes from `OXIDESK_PYTHON`, else the virtual environment `.ci/run`
//! makes (`target/ci-venv/bin/python`); without it the test prints `WARNING: SKIPPED`, and fails
//! under `CI=true`.

use std::path::PathBuf;
use std::process::Command;

use crate::server::{ADMIN, Database};
use crate::{ci_venv, find_tool};

/// A Python that can `import chatwoot`.
fn python() -> Option<PathBuf> {
    find_tool(
        "OXIDESK_PYTHON",
        &[ci_venv("python")],
        &["-c", "import chatwoot"],
        "the published Chatwoot client (no Python with chatwoot-sdk)",
        "python3 -m venv target/ci-venv && target/ci-venv/bin/pip install chatwoot-sdk==0.2.0 (what .ci/run does)",
    )
}

async fn drive(db: Database) {
    let Some(python) = python() else { return };
    let server = db.start("demo").await;
    let token = db.token(ADMIN.0);
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/clients/python/chatwoot_sdk_client.py");
    let output = Command::new(python)
        .arg(&script)
        .env("OXIDESK_URL", server.base())
        .env("OXIDESK_TOKEN", &token)
        .output()
        .expect("run the Python client");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "chatwoot-sdk failed against Oxidesk:\n{stdout}\n{stderr}\n--- server log ---\n{}",
        server.log()
    );
    // The script names every call it made; the last ones prove it ran to the end.
    assert!(stdout.contains("messages.list"), "{stdout}");
}

#[tokio::test]
async fn a_published_python_client_works_unchanged_on_sqlite() {
    drive(Database::sqlite()).await;
}

#[tokio::test]
async fn a_published_python_client_works_unchanged_on_postgres() {
    let Some(db) = Database::postgres().await else {
        return;
    };
    drive(db).await;
}
