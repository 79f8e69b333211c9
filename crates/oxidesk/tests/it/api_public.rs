//! The client (public) API of API-channel inboxes: contacts, their conversations and messages,
//! identity validation, and what a contact must never see (private notes, others' data).

use axum::http::{Method, StatusCode};
use oxidesk_domain::{Account, Channel, Timestamp};
use serde_json::{Value, json};

use crate::support::{Browser, TestApp, TestResponse};
use crate::{app_test, snapshot};

mod concurrent;
mod identity;
mod refusals;

const INBOX: &str = "public-test-inbox";
const OTHER_INBOX: &str = "other-test-inbox";
const HMAC_TOKEN: &str = "test-hmac-token-0123456789";

/// An account with an administrator (and their token) and the API inbox `INBOX`.
struct Setup {
    account: Account,
    token: String,
}

async fn setup(app: &TestApp, hmac_mandatory: bool) -> Setup {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    app.db
        .store
        .create_inbox(
            account.id,
            "Website",
            &Channel::Api {
                webhook_url: None,
                hmac_token: HMAC_TOKEN.into(),
                hmac_mandatory,
            },
            INBOX,
            Timestamp::now(),
        )
        .await
        .unwrap();
    Setup { account, token }
}

fn hash(identifier: &str) -> String {
    oxidesk::secrets::hmac_hex(HMAC_TOKEN.as_bytes(), identifier)
}

fn path(rest: &str) -> String {
    format!("/public/api/v1/inboxes/{INBOX}{rest}")
}

async fn call(client: &mut Browser<'_>, method: Method, path: &str, body: Value) -> TestResponse {
    client.json(method, path, &[], body).await
}

/// Creates a contact; returns its `source_id`.
async fn contact(client: &mut Browser<'_>, body: Value) -> String {
    let response = call(client, Method::POST, &path("/contacts"), body).await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["source_id"].as_str().unwrap().to_owned()
}

/// Opens a conversation for contact `cid`; returns its display id.
async fn conversation(client: &mut Browser<'_>, cid: &str) -> i64 {
    let response = call(
        client,
        Method::POST,
        &path(&format!("/contacts/{cid}/conversations")),
        json!({}),
    )
    .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["id"].as_i64().unwrap()
}

fn conversation_path(cid: &str, id: i64, rest: &str) -> String {
    path(&format!("/contacts/{cid}/conversations/{id}{rest}"))
}

fn assert_error(response: &TestResponse, status: StatusCode, code: &str) {
    assert_eq!(response.status, status, "{}", response.body);
    assert_eq!(response.json()["code"], code, "{}", response.body);
}

app_test!(a_contact_talks_with_an_agent, |app| async move {
    let s = setup(&app, false).await;
    let mut client = app.browser();

    let inbox = call(&mut client, Method::GET, &path(""), json!(null)).await;
    assert_eq!(inbox.status, StatusCode::OK, "{}", inbox.body);
    snapshot!("public_inbox", inbox.json());

    let created = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"identifier": "cust-1", "name": "Alice", "email": "Alice@Example.com",
               "phone_number": "+15550001111", "custom_attributes": {"plan": "pro"}}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    snapshot!("public_contact_created", created.json());
    let cid = created.json()["source_id"].as_str().unwrap().to_owned();
    let token = created.json()["pubsub_token"].as_str().unwrap().to_owned();
    assert_eq!(token.len(), 32, "{token}");

    let shown = call(
        &mut client,
        Method::GET,
        &path(&format!("/contacts/{cid}")),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(shown.json(), created.json(), "the token is stable");

    let opened = call(
        &mut client,
        Method::POST,
        &path(&format!("/contacts/{cid}/conversations")),
        json!({"custom_attributes": {"order": "A-1"}}),
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    snapshot!("public_conversation_created", opened.json());
    let id = opened.json()["id"].as_i64().unwrap();

    let message = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/messages"),
        json!({"content": "Hello <b>there</b> & \"you\"", "echo_id": "echo-1"}),
    )
    .await;
    assert_eq!(message.status, StatusCode::OK, "{}", message.body);
    snapshot!("public_message_created", message.json());
    assert_eq!(message.json()["content"], "Hello <b>there</b> & \"you\"");

    // An agent replies and writes a private note, through the application API.
    let agent_path = format!(
        "/api/v1/accounts/{}/conversations/{id}/messages",
        s.account.id
    );
    let headers = [("api_access_token", s.token.as_str())];
    let reply = client
        .json(
            Method::POST,
            &agent_path,
            &headers,
            json!({"content": "Hi Alice, how can I help?"}),
        )
        .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    let note = client
        .json(
            Method::POST,
            &agent_path,
            &headers,
            json!({"content": "internal: refund risk", "private": true}),
        )
        .await;
    assert_eq!(note.status, StatusCode::OK, "{}", note.body);

    let messages = call(
        &mut client,
        Method::GET,
        &conversation_path(&cid, id, "/messages"),
        json!(null),
    )
    .await;
    assert_eq!(messages.status, StatusCode::OK, "{}", messages.body);
    snapshot!("public_messages", messages.json());
    let list = messages.json();
    let contents: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        contents,
        ["Hello <b>there</b> & \"you\"", "Hi Alice, how can I help?"]
    );
    assert!(!messages.body.contains("refund risk"), "{}", messages.body);
    assert!(
        !messages.body.contains("admin@acme.test"),
        "no agent email: {}",
        messages.body
    );

    let listed = call(
        &mut client,
        Method::GET,
        &path(&format!("/contacts/{cid}/conversations")),
        json!(null),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    snapshot!("public_conversations", listed.json());
    assert!(!listed.body.contains("refund risk"), "{}", listed.body);

    let seen = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/update_last_seen"),
        json!(null),
    )
    .await;
    assert_eq!(seen.status, StatusCode::OK, "{}", seen.body);
    let typing = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/toggle_typing"),
        json!({"typing_status": "on"}),
    )
    .await;
    assert_eq!(typing.status, StatusCode::OK, "{}", typing.body);
    let shown = call(
        &mut client,
        Method::GET,
        &conversation_path(&cid, id, ""),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert!(shown.json()["contact_last_seen_at"].as_i64().unwrap() > 0);
    assert!(!shown.body.contains("refund risk"), "{}", shown.body);

    let resolved = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/toggle_status"),
        json!(null),
    )
    .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    snapshot!("public_conversation_resolved", resolved.json());
    assert_eq!(resolved.json()["status"], "resolved");
    let again = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/toggle_status"),
        json!(null),
    )
    .await;
    assert_eq!(
        again.json()["status"],
        "resolved",
        "the client API only resolves"
    );
    let after = call(
        &mut client,
        Method::GET,
        &conversation_path(&cid, id, "/messages"),
        json!(null),
    )
    .await;
    assert_eq!(
        after.json().as_array().unwrap().len(),
        2,
        "no activity messages: {}",
        after.body
    );

    let updated = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{cid}")),
        json!({"name": "Alice Liddell", "custom_attributes": {"plan": null, "tier": "gold"}}),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    snapshot!("public_contact_updated", updated.json());
});

app_test!(state_changes_publish_events, |app| async move {
    setup(&app, false).await;
    let mut events = app.services().events.subscribe();
    crate::support::settled(&mut events).await; // what setting up published
    let mut client = app.browser();
    let cid = contact(&mut client, json!({"name": "Bob"})).await;
    let id = conversation(&mut client, &cid).await;
    for (rest, body) in [
        ("/messages", json!({"content": "Hi"})),
        ("/toggle_typing", json!({"typing_status": "off"})),
        ("/update_last_seen", json!(null)),
        ("/toggle_status", json!(null)),
        ("/messages", json!({"content": "Me again"})),
    ] {
        let response = call(
            &mut client,
            Method::POST,
            &conversation_path(&cid, id, rest),
            body,
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{rest}: {}", response.body);
    }
    let patched = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{cid}")),
        json!({"name": "Bobby"}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let mut names = Vec::new();
    for event in crate::support::settled(&mut events).await {
        names.push(event.name.clone());
    }
    for expected in [
        "contact.created",
        "contact_inbox.created",
        "conversation.created",
        "message.created",
        "conversation.typing_off",
        "conversation.contact_seen",
        "conversation.status_changed",
        "contact.updated",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
    assert_eq!(
        names
            .iter()
            .filter(|n| *n == "conversation.status_changed")
            .count(),
        2,
        "resolved, then reopened: {names:?}"
    );
});

app_test!(
    a_public_message_reopens_a_resolved_conversation,
    |app| async move {
        setup(&app, false).await;
        let mut client = app.browser();
        let cid = contact(&mut client, json!({"name": "Carol"})).await;
        let id = conversation(&mut client, &cid).await;
        let resolved = call(
            &mut client,
            Method::POST,
            &conversation_path(&cid, id, "/toggle_status"),
            json!(null),
        )
        .await;
        assert_eq!(resolved.json()["status"], "resolved");
        let message = call(
            &mut client,
            Method::POST,
            &conversation_path(&cid, id, "/messages"),
            json!({"content": "It broke again"}),
        )
        .await;
        assert_eq!(message.status, StatusCode::OK, "{}", message.body);
        assert_eq!(message.json()["message_type"], 0, "incoming");
        assert_eq!(message.json()["sender"]["type"], "contact");
        let shown = call(
            &mut client,
            Method::GET,
            &conversation_path(&cid, id, ""),
            json!(null),
        )
        .await;
        assert_eq!(shown.json()["status"], "open", "{}", shown.body);
    }
);
app_test!(messages_page_back_with_before, |app| async move {
    let s = setup(&app, false).await;
    let mut client = app.browser();
    let cid = contact(&mut client, json!({"name": "Gina"})).await;
    let id = conversation(&mut client, &cid).await;
    for i in 0..25 {
        let response = call(
            &mut client,
            Method::POST,
            &conversation_path(&cid, id, "/messages"),
            json!({"content": format!("message {i}")}),
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    }
    client
        .json(
            Method::POST,
            &format!(
                "/api/v1/accounts/{}/conversations/{id}/messages",
                s.account.id
            ),
            &[("api_access_token", s.token.as_str())],
            json!({"content": "note", "private": true}),
        )
        .await;
    let latest = call(
        &mut client,
        Method::GET,
        &conversation_path(&cid, id, "/messages"),
        json!(null),
    )
    .await;
    let latest = latest.json();
    let latest = latest.as_array().unwrap();
    assert_eq!(latest.len(), 20);
    assert_eq!(latest[0]["content"], "message 5");
    assert_eq!(latest[19]["content"], "message 24");
    let oldest = latest[0]["id"].as_i64().unwrap();
    let earlier = call(
        &mut client,
        Method::GET,
        &conversation_path(&cid, id, &format!("/messages?before={oldest}")),
        json!(null),
    )
    .await;
    let contents: Vec<Value> = earlier
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["content"].clone())
        .collect();
    assert_eq!(
        contents,
        (0..5)
            .map(|i| json!(format!("message {i}")))
            .collect::<Vec<_>>()
    );
});
