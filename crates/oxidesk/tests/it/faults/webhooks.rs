//! Webhooks through kill -9: the real binary on SQLite and on PostgreSQL, a slow receiver, contacts created
//! through the API while deliveries are in flight, the process killed, started again; every
//! acknowledged contact's `contact_created` arrives at least once, signed, and a repeated
//! delivery carries the same `X-Chatwoot-Delivery` so the receiver can drop it.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use oxidesk_store::testing::TestDatabase;
use serde_json::json;

use super::client;
use crate::webhooks::receiver::Receiver;

const BIN: &str = env!("CARGO_BIN_EXE_oxidesk");
const ADMIN: &str = "admin@acme.example";

/// `oxidesk <args>` in `dir`, on SQLite there or on the PostgreSQL database `db`.
fn command(dir: &Path, db: Option<&str>, args: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .current_dir(dir)
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("OXIDESK_DATA_DIR", dir.join("data"))
        .env(
            "OXIDESK_SECRET_KEY",
            "webhook-kill-tests-secret-key-0123456789",
        )
        .env("OXIDESK_LOG_LEVEL", "warn")
        .env("OXIDESK_WEBHOOKS_ALLOW_PRIVATE_NETWORKS", "true")
        .env("OXIDESK_WEBHOOKS_TIMEOUT_SECS", "2")
        .env("OXIDESK_WEBHOOKS_FIRST_RETRY_SECS", "1");
    if let Some(url) = db {
        command.env("OXIDESK_DATABASE_URL", url);
    }
    command
}

async fn start(dir: &Path, db: Option<&str>, what: &str, port: u16) -> Child {
    let log = std::fs::File::create(dir.join(format!("{what}-{port}.log"))).unwrap();
    let mut child = command(dir, db, &[what, "--bind", &format!("127.0.0.1:{port}")])
        .stdout(Stdio::null())
        .stderr(Stdio::from(log))
        .spawn()
        .expect("start oxidesk");
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let health = client::send(port, &client::raw("GET", "/health", &[], "")).await;
        if health.is_ok_and(|r| r.status == 200) {
            return child;
        }
        assert!(matches!(child.try_wait(), Ok(None)), "oxidesk exited");
        assert!(Instant::now() < deadline, "oxidesk never answered");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap()
}

async fn post(port: u16, token: &str, path: &str, body: serde_json::Value) -> client::Reply {
    let request = client::raw(
        "POST",
        path,
        &[
            ("api_access_token", token),
            ("Content-Type", "application/json"),
        ],
        &body.to_string(),
    );
    match client::send(port, &request).await {
        Ok(reply) => reply,
        Err(_) => client::Reply {
            status: 0,
            head: String::new(),
            body: String::new(),
        },
    }
}

#[tokio::test]
async fn webhooks_survive_kill_9_on_sqlite() {
    kill_9(None).await;
}

#[tokio::test]
async fn webhooks_survive_kill_9_on_postgres() {
    let Some(db) = TestDatabase::postgres().await else {
        return;
    };
    let schema = db.schema.clone().expect("a schema");
    let separator = if db.url.contains('?') { '&' } else { '?' };
    kill_9(Some(format!(
        "{}{separator}options=-csearch_path%3D{schema}",
        db.url
    )))
    .await;
}

async fn kill_9(db: Option<String>) {
    let db = db.as_deref();
    let dir = tempfile::tempdir().unwrap();
    let port = free_port();
    let mut server = start(dir.path(), db, "demo", port).await;
    let out = command(dir.path(), db, &["token", "create", "--email", ADMIN])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let token = String::from_utf8_lossy(&out.stdout).trim().to_owned();

    let rx = Receiver::start(0).await;
    rx.slow_down(Duration::from_millis(300));
    let hook = post(
        port,
        &token,
        "/api/v1/accounts/1/webhooks",
        json!({"webhook": {"url": rx.url("kill"), "subscriptions": ["contact_created"]}}),
    )
    .await;
    assert_eq!(hook.status, 200, "{}", hook.body);
    rx.expect_secret(
        "kill",
        hook.json()["payload"]["webhook"]["secret"]
            .as_str()
            .unwrap(),
    );

    // Contacts, one after another, until the server is gone; the acknowledged ones are kept.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (acknowledged, stop, token) = (acknowledged.clone(), stop.clone(), token.clone());
        tokio::spawn(async move {
            for i in 0.. {
                if stop.load(Ordering::Relaxed) {
                    break;
                }
                let email = format!("kill-{i}@example.com");
                let reply = post(
                    port,
                    &token,
                    "/api/v1/accounts/1/contacts",
                    json!({"name": format!("Kill {i}"), "email": email}),
                )
                .await;
                if reply.status == 200 {
                    acknowledged.lock().unwrap().push(email);
                } else if reply.status == 0 {
                    break;
                }
            }
        })
    };
    // Kill while deliveries are being sent (the receiver takes 300 ms for each).
    rx.wait_for(Duration::from_secs(30), |got| got.len() >= 5)
        .await;
    server.kill().unwrap(); // SIGKILL
    server.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    writer.await.unwrap();
    let acknowledged: HashSet<String> = acknowledged.lock().unwrap().iter().cloned().collect();
    assert!(
        acknowledged.len() >= 5,
        "{} acknowledged",
        acknowledged.len()
    );
    let before = rx.received().len();

    let mut server = start(dir.path(), db, "serve", free_port()).await;
    let emails = |got: &[crate::webhooks::receiver::Received]| -> HashSet<String> {
        got.iter()
            .filter_map(|r| r.body["email"].as_str().map(str::to_owned))
            .collect()
    };
    let distinct = |got: &[crate::webhooks::receiver::Received]| {
        got.iter()
            .map(|r| r.delivery.as_str())
            .collect::<HashSet<_>>()
            .len()
    };
    // Every acknowledged contact, and the deliveries cut off by the kill sent again once
    // their lease ran out (14 s here).
    let got = rx
        .wait_for(Duration::from_secs(90), |got| {
            emails(got).is_superset(&acknowledged) && got.len() > distinct(got)
        })
        .await;
    server.kill().unwrap();
    let _ = server.wait();
    let received = emails(&got);
    let missing: Vec<_> = acknowledged.difference(&received).collect();
    assert!(
        missing.is_empty(),
        "lost after kill -9: {missing:?} ({} received before, {} after)",
        before,
        got.len()
    );
    assert!(got.iter().all(|r| r.verified), "every delivery verifies");
    // A delivery id always names the same contact: duplicates are recognisable.
    let mut by_delivery: HashMap<&str, &str> = HashMap::new();
    for r in &got {
        let email = r.body["email"].as_str().unwrap_or("");
        let first = by_delivery.entry(r.delivery.as_str()).or_insert(email);
        assert_eq!(*first, email, "one delivery id, one event");
    }
    assert!(
        got.len() > by_delivery.len(),
        "deliveries in flight at the kill are sent again (same delivery id)"
    );
    eprintln!(
        "webhooks through kill -9: {} acknowledged, {} requests received, {} distinct deliveries",
        acknowledged.len(),
        got.len(),
        by_delivery.len()
    );
}
