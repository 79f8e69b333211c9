//! Oxidesk's responses checked against the schemas of Chatwoot's own OpenAPI document
//! (`../shared/reference/chatwoot-swagger.json`): conversations, messages, contacts, inboxes,
//! and the client API's contacts, conversations and messages.
//!
//! Where Chatwoot's document is known to be narrower than Chatwoot itself, the difference is
//! written down here: its conversation `status` enum omits `snoozed` (which Chatwoot serves), so
//! the conversations checked are open, resolved or pending; and its `message_detailed` gives every
//! message a contact as sender, while agents' replies have a user sender (in Chatwoot too), so
//! the message list is checked with its incoming messages and every message against `message`.

use axum::http::Method;
use serde_json::{Value, json};

use crate::api_conversations::desk;
use crate::app_test;

#[path = "../shared/chatwoot_swagger.rs"]
mod chatwoot_swagger;
use chatwoot_swagger::swagger;

/// Validates `instance` against the document's schema `name`; panics listing every violation.
fn check(swagger: &Value, name: &str, instance: &Value) {
    assert!(
        swagger["components"]["schemas"].get(name).is_some(),
        "no schema {name}"
    );
    let schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$ref": format!("#/components/schemas/{name}"),
        "components": swagger["components"].clone(),
    });
    let validator =
        jsonschema::validator_for(&schema).unwrap_or_else(|e| panic!("schema {name}: {e}"));
    let errors: Vec<String> = validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{name}: {errors:#?}\n{instance:#}");
}

async fn get(app: &crate::support::TestApp, token: &str, path: &str) -> Value {
    let response = app
        .browser()
        .json(
            Method::GET,
            path,
            &[("api_access_token", token)],
            json!(null),
        )
        .await;
    assert!(
        response.status.is_success(),
        "{path}: {} {}",
        response.status,
        response.body
    );
    response.json()
}

app_test!(responses_match_chatwoots_schemas, |app| async move {
    let Some(swagger) = swagger() else { return };
    let d = desk(&app).await;
    let token = d.admin_token.clone();
    let account = d.account.id;
    let mut client = app.browser();
    let auth = [("api_access_token", token.as_str())];
    // Give the data some variety: a resolved conversation, a pending one, a note, labels.
    let base = format!("/api/v1/accounts/{account}/conversations");
    client
        .json(
            Method::POST,
            &format!("{base}/2/toggle_status"),
            &auth,
            json!({"status": "resolved"}),
        )
        .await;
    client
        .json(
            Method::POST,
            &format!("{base}/3/toggle_status"),
            &auth,
            json!({"status": "pending"}),
        )
        .await;
    client
        .json(
            Method::POST,
            &format!("{base}/1/messages"),
            &auth,
            json!({"content": "note", "private": true}),
        )
        .await;
    client
        .json(
            Method::POST,
            &format!("{base}/1/labels"),
            &auth,
            json!({"labels": ["vip"]}),
        )
        .await;
    client
        .json(
            Method::POST,
            &format!("{base}/1/toggle_priority"),
            &auth,
            json!({"priority": "high"}),
        )
        .await;

    let list = get(&app, &token, &format!("{base}?status=all")).await;
    check(&swagger, "conversation_list", &list);
    assert_eq!(list["data"]["payload"].as_array().map(Vec::len), Some(3));
    for id in 1..=3 {
        check(
            &swagger,
            "conversation_show",
            &get(&app, &token, &format!("{base}/{id}")).await,
        );
    }
    let messages = get(&app, &token, &format!("{base}/1/messages")).await;
    for message in messages["payload"].as_array().unwrap() {
        check(&swagger, "message", message);
    }
    let mut incoming_only = messages.clone();
    incoming_only["payload"] = Value::Array(
        messages["payload"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|m| m["message_type"] == 0)
            .cloned()
            .collect(),
    );
    assert!(!incoming_only["payload"].as_array().unwrap().is_empty());
    check(&swagger, "conversation_messages", &incoming_only);

    let contacts = get(
        &app,
        &token,
        &format!("/api/v1/accounts/{account}/contacts"),
    )
    .await;
    check(&swagger, "contacts_list_response", &contacts);
    check(
        &swagger,
        "contact_show_response",
        &get(
            &app,
            &token,
            &format!("/api/v1/accounts/{account}/contacts/{}", d.contact_id),
        )
        .await,
    );
    let inboxes = get(&app, &token, &format!("/api/v1/accounts/{account}/inboxes")).await;
    for inbox in inboxes["payload"].as_array().unwrap() {
        check(&swagger, "inbox", inbox);
    }
    check(
        &swagger,
        "inbox",
        &get(
            &app,
            &token,
            &format!("/api/v1/accounts/{account}/inboxes/{}", d.inbox_id),
        )
        .await,
    );

    // The client API.
    let identifier = inboxes["payload"][0]["inbox_identifier"]
        .as_str()
        .unwrap()
        .to_owned();
    let public = format!("/public/api/v1/inboxes/{identifier}");
    let contact = client
        .json(
            Method::POST,
            &format!("{public}/contacts"),
            &[],
            json!({"name": "Kim", "email": "kim@example.com"}),
        )
        .await;
    assert!(contact.status.is_success(), "{}", contact.body);
    check(&swagger, "public_contact", &contact.json());
    let source = contact.json()["source_id"].as_str().unwrap().to_owned();
    let conversation = client
        .json(
            Method::POST,
            &format!("{public}/contacts/{source}/conversations"),
            &[],
            json!({}),
        )
        .await;
    assert!(conversation.status.is_success(), "{}", conversation.body);
    let conversation_id = conversation.json()["id"].as_i64().unwrap();
    let message = client
        .json(
            Method::POST,
            &format!("{public}/contacts/{source}/conversations/{conversation_id}/messages"),
            &[],
            json!({"content": "Hello"}),
        )
        .await;
    assert!(message.status.is_success(), "{}", message.body);
    check(&swagger, "public_message", &message.json());
    let shown = get(
        &app,
        "",
        &format!("{public}/contacts/{source}/conversations/{conversation_id}"),
    )
    .await;
    check(&swagger, "public_conversation", &shown);
    check(
        &swagger,
        "public_contact",
        &get(&app, "", &format!("{public}/contacts/{source}")).await,
    );
});
