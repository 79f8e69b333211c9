//! Webhooks: Chatwoot's API, and deliveries to a real receiver on 127.0.0.1 (signatures,
//! payloads, the API inbox's `webhook_url`, retries after `500`, refused private addresses).

mod changes;
pub mod receiver;
mod resets;

use std::time::Duration;

use axum::http::{Method, StatusCode};
use oxidesk::config::{Config, WebhooksConfig};
use oxidesk_store::Backend;
use serde_json::{Value, json};

use crate::api_setup::{Setup, assert_invalid, call};
use crate::app_test;
use crate::support::TestApp;
use receiver::{Received, Receiver};

const WAIT: Duration = Duration::from_secs(15);

app_test!(
    webhooks_are_created_listed_changed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let created = call(
            &app,
            t,
            Method::POST,
            &s.path("webhooks"),
            json!({"webhook": {"url": "https://crm.example.com/hook", "name": "CRM",
            "subscriptions": ["message_created", "conversation_created"]}}),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let hook = created.json()["payload"]["webhook"].clone();
        assert_eq!(hook["url"], "https://crm.example.com/hook");
        assert_eq!(hook["name"], "CRM");
        assert_eq!(hook["account_id"], s.account.id.get());
        assert_eq!(
            hook["subscriptions"],
            json!(["message_created", "conversation_created"])
        );
        assert!(
            hook["secret"].as_str().is_some_and(|x| x.len() >= 24),
            "{hook}"
        );
        let id = hook["id"].as_i64().unwrap();

        // Fields at the top level (Rails' parameter wrapping), default subscriptions.
        let bare = call(
            &app,
            t,
            Method::POST,
            &s.path("webhooks"),
            json!({"url": "https://other.example.com/x"}),
        )
        .await;
        assert_eq!(bare.status, StatusCode::OK, "{}", bare.body);
        let bare = bare.json()["payload"]["webhook"].clone();
        assert_eq!(
            bare["subscriptions"].as_array().map(Vec::len),
            Some(8),
            "{bare}"
        );

        let list = call(&app, t, Method::GET, &s.path("webhooks"), json!(null)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.json()["payload"]["webhooks"], json!([hook, bare]));

        let changed = call(&app, t, Method::PATCH, &s.path(&format!("webhooks/{id}")),
        json!({"webhook": {"subscriptions": ["conversation_typing_on", "webwidget_triggered", "inbox_created"]}})).await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        let changed = changed.json()["payload"]["webhook"].clone();
        assert_eq!(changed["url"], hook["url"]);
        assert_eq!(changed["secret"], hook["secret"], "the secret stays");

        let bad_event = call(&app, t, Method::POST, &s.path("webhooks"),
        json!({"webhook": {"url": "https://x.example.com", "subscriptions": ["message.created"]}})).await;
        assert_invalid(&bad_event, "subscriptions[0]");
        let empty = call(
            &app,
            t,
            Method::POST,
            &s.path("webhooks"),
            json!({"webhook": {"url": "https://x.example.com", "subscriptions": []}}),
        )
        .await;
        assert_invalid(&empty, "subscriptions");
        let bad_url = call(
            &app,
            t,
            Method::POST,
            &s.path("webhooks"),
            json!({"webhook": {"url": "ftp://x.example.com"}}),
        )
        .await;
        assert_invalid(&bad_url, "url");
        let no_url = call(&app, t, Method::POST, &s.path("webhooks"), json!({})).await;
        assert_invalid(&no_url, "url");
        let taken = call(
            &app,
            t,
            Method::POST,
            &s.path("webhooks"),
            json!({"url": "https://crm.example.com/hook"}),
        )
        .await;
        assert_invalid(&taken, "url");

        for (method, path) in [
            (Method::GET, s.path("webhooks")),
            (Method::POST, s.path("webhooks")),
            (Method::PATCH, s.path(&format!("webhooks/{id}"))),
            (Method::DELETE, s.path(&format!("webhooks/{id}"))),
            (Method::GET, s.path(&format!("webhooks/{id}/deliveries"))),
        ] {
            let by_agent = call(
                &app,
                &s.agent_token,
                method.clone(),
                &path,
                json!({"url": "https://a.example.com"}),
            )
            .await;
            assert_eq!(by_agent.status, StatusCode::FORBIDDEN, "{method} {path}");
        }
        let other = format!("/api/v1/accounts/{}/webhooks/{id}", s.other.id);
        let other_token = app.token("admin@globex.test").await;
        let foreign = call(&app, &other_token, Method::DELETE, &other, json!(null)).await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);

        let deleted = call(
            &app,
            t,
            Method::DELETE,
            &s.path(&format!("webhooks/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(deleted.body, "");
        let again = call(
            &app,
            t,
            Method::DELETE,
            &s.path(&format!("webhooks/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(again.status, StatusCode::NOT_FOUND);
    }
);

/// An app whose workers run, with loopback allowed (or not) and quick retries.
async fn app_with_workers(
    backend: Backend,
    allow_private: bool,
) -> Option<(TestApp, oxidesk::webhooks::Workers)> {
    let config = Config {
        webhooks: WebhooksConfig {
            allow_private_networks: allow_private,
            timeout_secs: 2,
            first_retry_secs: 1,
        },
        ..Config::default()
    };
    let app = TestApp::with_config(backend, config).await?;
    let workers =
        oxidesk::webhooks::start(app.services().clone(), app.state.config.webhooks.clone());
    Some((app, workers))
}

async fn create_hook(app: &TestApp, s: &Setup, url: &str, subscriptions: Value) -> Value {
    let created = call(
        app,
        &s.admin_token,
        Method::POST,
        &s.path("webhooks"),
        json!({"webhook": {"url": url, "subscriptions": subscriptions}}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    created.json()["payload"]["webhook"].clone()
}

fn events(got: &[Received], hook: &str) -> Vec<String> {
    got.iter()
        .filter(|r| r.hook == hook)
        .map(|r| r.body["event"].as_str().unwrap_or("").to_owned())
        .collect()
}

async fn signed_deliveries(backend: Backend) {
    let Some((app, _workers)) = app_with_workers(backend, true).await else {
        return;
    };
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let rx = Receiver::start(0).await;
    let all: Vec<&str> = oxidesk_domain::webhooks::WEBHOOK_EVENTS.to_vec();
    let hook = create_hook(&app, &s, &rx.url("account"), json!(all)).await;
    rx.expect_secret("account", hook["secret"].as_str().unwrap());
    let only_contacts =
        create_hook(&app, &s, &rx.url("contacts"), json!(["contact_created"])).await;
    rx.expect_secret("contacts", only_contacts["secret"].as_str().unwrap());

    let inbox = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "API", "channel": {"type": "api", "webhook_url": rx.url("inbox")}}),
    )
    .await;
    let inbox_id = inbox.json()["id"].as_i64().unwrap();
    // The inbox's `secret` (administrators see it, as Chatwoot's) verifies its deliveries.
    let secret = inbox.json()["secret"].as_str().unwrap().to_owned();
    assert_eq!(
        secret,
        oxidesk::webhooks::secret::api_inbox_secret(
            b"test-secret-key-of-at-least-32-bytes",
            inbox_id,
        )
    );
    rx.expect_secret("inbox", &secret);
    let as_agent = call(
        &app,
        &s.agent_token,
        Method::GET,
        &s.path(&format!("inboxes/{inbox_id}")),
        json!(null),
    )
    .await;
    assert!(as_agent.json().get("secret").is_none(), "{}", as_agent.body);
    let contact = call(
        &app,
        t,
        Method::POST,
        &s.path("contacts"),
        json!({"name": "Ada", "email": "ada@example.com"}),
    )
    .await;
    let contact_id = contact.json()["payload"]["contact"]["id"].as_i64().unwrap();
    let conversation = call(
        &app,
        t,
        Method::POST,
        &s.path("conversations"),
        json!({"inbox_id": inbox_id, "contact_id": contact_id}),
    )
    .await;
    assert_eq!(conversation.status, StatusCode::OK, "{}", conversation.body);
    let display = conversation.json()["id"].as_i64().unwrap();
    let reply = call(
        &app,
        t,
        Method::POST,
        &s.path(&format!("conversations/{display}/messages")),
        json!({"content": "Hello Ada\n\n", "message_type": "outgoing"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    call(
        &app,
        t,
        Method::POST,
        &s.path(&format!("conversations/{display}/toggle_status")),
        json!({"status": "resolved"}),
    )
    .await;

    let got = rx
        .wait_for(WAIT, |got| {
            events(got, "account").contains(&"conversation_status_changed".to_owned())
                && events(got, "inbox").contains(&"conversation_status_changed".to_owned())
                && !events(got, "contacts").is_empty()
        })
        .await;
    assert!(
        got.iter().all(|r| r.verified),
        "every delivery verifies: {got:#?}"
    );
    let account_events = events(&got, "account");
    for expected in [
        "inbox_created",
        "contact_created",
        "conversation_created",
        "message_created",
        "conversation_status_changed",
    ] {
        assert!(
            account_events.contains(&expected.to_owned()),
            "{expected} in {account_events:?}"
        );
    }
    assert_eq!(events(&got, "contacts"), ["contact_created"]);
    let inbox_events = events(&got, "inbox");
    assert!(
        inbox_events.contains(&"message_created".to_owned()),
        "{inbox_events:?}"
    );
    assert!(
        !inbox_events
            .iter()
            .any(|e| e.starts_with("contact_") || e.starts_with("inbox_")),
        "{inbox_events:?}"
    );

    let message = got
        .iter()
        .find(|r| r.hook == "account" && r.body["event"] == "message_created")
        .unwrap();
    let m = &message.body;
    assert_eq!(m["message_type"], "outgoing", "{m}");
    assert!(
        m["created_at"].as_str().is_some_and(|t| t.ends_with('Z')),
        "{m}"
    );
    assert_eq!(m["conversation"]["id"], display);
    assert_eq!(
        m["conversation"]["messages"][0]["message_type"], 1,
        "push format inside: {m}"
    );
    assert_eq!(
        m["account"],
        json!({"id": s.account.id.get(), "name": "Acme"})
    );
    assert_eq!(m["inbox"], json!({"id": inbox_id, "name": "API"}));
    assert_eq!(m["sender"]["type"], "user");
    let created = got
        .iter()
        .find(|r| r.hook == "account" && r.body["event"] == "contact_created")
        .unwrap();
    assert_eq!(created.body["email"], "ada@example.com");
    let ids: std::collections::HashSet<_> = got.iter().map(|r| r.delivery.clone()).collect();
    assert_eq!(ids.len(), got.len(), "one X-Chatwoot-Delivery per delivery");

    // The receiver records a request before answering it: the log follows a moment later.
    let path = s.path(&format!("webhooks/{}/deliveries", hook["id"]));
    let all_delivered = |log: &Value| {
        log.as_array().is_some_and(|l| {
            l.iter()
                .all(|d| d["status"] == "delivered" && d["response_code"] == 200)
        })
    };
    let mut log = Value::Null;
    for _ in 0..100 {
        log = call(&app, t, Method::GET, &path, json!(null)).await.json()["payload"].clone();
        if all_delivered(&log) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(all_delivered(&log), "{log}");
}

#[tokio::test]
async fn deliveries_are_signed_and_shaped_as_chatwoots_sqlite() {
    signed_deliveries(Backend::Sqlite).await;
}

#[tokio::test]
async fn deliveries_are_signed_and_shaped_as_chatwoots_postgres() {
    signed_deliveries(Backend::Postgres).await;
}

async fn retries(backend: Backend) {
    let Some((app, _workers)) = app_with_workers(backend, true).await else {
        return;
    };
    let s = Setup::new(&app).await;
    let rx = Receiver::start(0).await;
    let hook = create_hook(&app, &s, &rx.url("flaky"), json!(["contact_created"])).await;
    rx.expect_secret("flaky", hook["secret"].as_str().unwrap());
    rx.fail_next(2);
    call(
        &app,
        &s.admin_token,
        Method::POST,
        &s.path("contacts"),
        json!({"name": "Bo"}),
    )
    .await;
    let got = rx.wait_for(WAIT, |got| got.len() >= 3).await;
    assert_eq!(got.len(), 3, "two 500s, then success: {got:#?}");
    assert!(
        got.iter()
            .all(|r| r.verified && r.delivery == got[0].delivery),
        "same delivery id on every attempt"
    );
    let path = s.path(&format!("webhooks/{}/deliveries", hook["id"]));
    let mut log = Value::Null;
    for _ in 0..50 {
        log = call(&app, &s.admin_token, Method::GET, &path, json!(null))
            .await
            .json()["payload"][0]
            .clone();
        if log["status"] == "delivered" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(log["status"], "delivered", "{log}");
    assert_eq!(log["attempts"], 3);
    assert_eq!(log["delivery_id"], got[0].delivery.as_str());

    // Send again: the same delivery id once more.
    let again = call(
        &app,
        &s.admin_token,
        Method::POST,
        &s.path(&format!(
            "webhooks/{}/deliveries/{}/redeliver",
            hook["id"], log["id"]
        )),
        json!(null),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    let got = rx.wait_for(WAIT, |got| got.len() >= 4).await;
    assert_eq!(got.len(), 4);
    assert_eq!(got[3].delivery, got[0].delivery);
}

#[tokio::test]
async fn failed_deliveries_are_retried_sqlite() {
    retries(Backend::Sqlite).await;
}

#[tokio::test]
async fn failed_deliveries_are_retried_postgres() {
    retries(Backend::Postgres).await;
}

async fn private_refused(backend: Backend) {
    let Some((app, _workers)) = app_with_workers(backend, false).await else {
        return;
    };
    let s = Setup::new(&app).await;
    let rx = Receiver::start(0).await;
    let literal = create_hook(&app, &s, &rx.url("literal"), json!(["contact_created"])).await;
    let port = rx.addr.unwrap().port();
    let named = create_hook(
        &app,
        &s,
        &format!("http://localhost:{port}/hooks/named"),
        json!(["contact_created"]),
    )
    .await;
    call(
        &app,
        &s.admin_token,
        Method::POST,
        &s.path("contacts"),
        json!({"name": "Cy"}),
    )
    .await;
    for hook in [literal, named] {
        let path = s.path(&format!("webhooks/{}/deliveries", hook["id"]));
        let mut log = Value::Null;
        for _ in 0..100 {
            log = call(&app, &s.admin_token, Method::GET, &path, json!(null))
                .await
                .json()["payload"][0]
                .clone();
            if log["status"] == "failed" {
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        assert_eq!(log["status"], "failed", "{log}");
        assert!(
            log["last_error"]
                .as_str()
                .is_some_and(|e| e.contains("refused")),
            "{log}"
        );
        assert_eq!(log["attempts"], 1, "no retries for a refused address");
    }
    assert!(
        rx.received().is_empty(),
        "nothing reached the private address"
    );
}

#[tokio::test]
async fn private_addresses_are_refused_sqlite() {
    private_refused(Backend::Sqlite).await;
}

#[tokio::test]
async fn private_addresses_are_refused_postgres() {
    private_refused(Backend::Postgres).await;
}
