//! `changed_attributes` in `conversation_status_changed`, `conversation_updated` and
//! `contact_updated`, as Chatwoot sends them: one single-key object per changed attribute with
//! its previous and current value.

use axum::http::{Method, StatusCode};
use oxidesk_store::Backend;
use serde_json::{Value, json};

use super::{WAIT, app_with_workers, create_hook, receiver::Receiver};
use crate::api_setup::{Setup, call};

/// The `changed_attributes` of the delivered `event`s, in order.
fn changes(got: &[super::Received], event: &str) -> Vec<Value> {
    got.iter()
        .filter(|r| r.body["event"] == event)
        .map(|r| r.body["changed_attributes"].clone())
        .collect()
}

async fn changed_attributes(backend: Backend) {
    let Some((app, _workers)) = app_with_workers(backend, true).await else {
        return;
    };
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let rx = Receiver::start(0).await;
    let hook = create_hook(
        &app,
        &s,
        &rx.url("all"),
        json!([
            "conversation_status_changed",
            "conversation_updated",
            "contact_updated"
        ]),
    )
    .await;
    rx.expect_secret("all", hook["secret"].as_str().unwrap());

    let inbox = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "API", "channel": {"type": "api"}}),
    )
    .await;
    let inbox_id = inbox.json()["id"].as_i64().unwrap();
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
    let display = conversation.json()["id"].as_i64().unwrap();
    let conv = |p: &str| s.path(&format!("conversations/{display}/{p}"));

    for (path, body) in [
        (conv("toggle_status"), json!({"status": "resolved"})),
        (
            conv("assignments"),
            json!({"assignee_id": s.admin.id.get()}),
        ),
        (conv("toggle_priority"), json!({"priority": "high"})),
        (conv("labels"), json!({"labels": ["billing"]})),
        (
            conv("custom_attributes"),
            json!({"custom_attributes": {"plan": "pro"}}),
        ),
    ] {
        let r = call(&app, t, Method::POST, &path, body).await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    }
    let r = call(
        &app,
        t,
        Method::PUT,
        &s.path(&format!("contacts/{contact_id}")),
        json!({"name": "Ada Lovelace", "email": "ada@example.com"}),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);

    let got = rx
        .wait_for(WAIT, |got| {
            got.iter()
                .filter(|r| r.body["event"] == "conversation_updated")
                .count()
                >= 4
                && got.iter().any(|r| r.body["event"] == "contact_updated")
                && got
                    .iter()
                    .any(|r| r.body["event"] == "conversation_status_changed")
        })
        .await;
    let admin = s.admin.id.get();
    assert_eq!(
        changes(&got, "conversation_status_changed"),
        [json!([{"status": {"previous_value": "open", "current_value": "resolved"}}])]
    );
    let updated = changes(&got, "conversation_updated");
    for expected in [
        json!([{"assignee_id": {"previous_value": null, "current_value": admin}}]),
        json!([{"priority": {"previous_value": null, "current_value": "high"}}]),
        json!([{"label_list": {"previous_value": [], "current_value": ["billing"]}}]),
        json!([{"custom_attributes": {"previous_value": {}, "current_value": {"plan": "pro"}}}]),
    ] {
        assert!(updated.contains(&expected), "{expected} in {updated:#?}");
    }
    assert_eq!(
        changes(&got, "contact_updated"),
        [json!([{"name": {"previous_value": "Ada", "current_value": "Ada Lovelace"}}])]
    );
}

#[tokio::test]
async fn updates_carry_changed_attributes_sqlite() {
    changed_attributes(Backend::Sqlite).await;
}

#[tokio::test]
async fn updates_carry_changed_attributes_postgres() {
    changed_attributes(Backend::Postgres).await;
}

/// A status change's payload says the status that change made, even when the dispatcher renders
/// it after a later change (it lags behind under load; a bot must still get
/// `conversation_opened` for the hand-over that came before a resolution).
async fn status_payload_is_the_changes(backend: Backend) {
    let Some(app) = crate::support::TestApp::new(backend).await else {
        return;
    };
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let inbox = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "API", "channel": {"type": "api"}}),
    )
    .await;
    let inbox_id = inbox.json()["id"].as_i64().unwrap();
    let contact = call(
        &app,
        t,
        Method::POST,
        &s.path("contacts"),
        json!({"name": "Lag"}),
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
    let display = conversation.json()["id"].as_i64().unwrap();
    let toggle = s.path(&format!("conversations/{display}/toggle_status"));
    for status in ["resolved", "open"] {
        let done = call(&app, t, Method::POST, &toggle, json!({ "status": status })).await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    }
    // The resolution's event, rendered now that the conversation is open again.
    let outgoing = app
        .services()
        .webhook_payload(
            s.account.id,
            "conversation.status_changed",
            &json!({"id": display, "status": "resolved", "changed_attributes": []}),
        )
        .await
        .expect("payload")
        .expect("a payload for a live conversation");
    assert_eq!(outgoing.event, "conversation_status_changed");
    assert_eq!(outgoing.body["status"], "resolved", "{}", outgoing.body);
    assert_eq!(outgoing.body["id"], display);
}

#[tokio::test]
async fn a_status_payload_is_the_changes_sqlite() {
    status_payload_is_the_changes(Backend::Sqlite).await;
}

#[tokio::test]
async fn a_status_payload_is_the_changes_postgres() {
    status_payload_is_the_changes(Backend::Postgres).await;
}
