//! Conversations as published clients open and change them: `source_id` alone, `null` ids,
//! ISO times; one message by id; deletion; ISO times of attribute definitions.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::call;
use crate::api_conversations::desk;
use crate::app_test;

app_test!(
    a_source_id_alone_gives_contact_and_inbox,
    |app| async move {
        let d = desk(&app).await;
        let base = format!("/api/v1/accounts/{}", d.account.id);
        let identity = call(
            &app,
            &d.admin_token,
            Method::POST,
            &format!("{base}/contacts/{}/contact_inboxes", d.contact_id),
            json!({"inbox_id": d.inbox_id, "source_id": "crm-4711"}),
        )
        .await;
        assert_eq!(identity.status, StatusCode::OK, "{}", identity.body);
        let opened = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/conversations"),
        json!({"source_id": "crm-4711", "contact_id": null, "assignee_id": null, "team_id": null,
               "message": {"content": "Hello"}}),
    )
    .await;
        assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
        let conversation = opened.json();
        assert_eq!(conversation["inbox_id"], d.inbox_id);
        assert_eq!(conversation["meta"]["sender"]["id"], d.contact_id);
        assert!(
            conversation["meta"].get("assignee").is_none(),
            "{conversation}"
        );
        // The thread's `meta` leaves the assignee out too when there is none, as Chatwoot's
        // messages index does (the fuzzer found `null` there, which Chatwoot never sends).
        let id = conversation["id"].as_i64().expect("an id");
        let thread = call(
            &app,
            &d.admin_token,
            Method::GET,
            &format!("{base}/conversations/{id}/messages"),
            json!(null),
        )
        .await;
        assert_eq!(thread.status, StatusCode::OK, "{}", thread.body);
        let meta = &thread.json()["meta"];
        assert!(meta.get("assignee").is_none(), "{meta}");
        assert_eq!(meta["contact"]["id"], d.contact_id);

        let with_inbox = call(
            &app,
            &d.admin_token,
            Method::POST,
            &format!("{base}/conversations"),
            json!({"source_id": "crm-4711", "inbox_id": d.inbox_id}),
        )
        .await;
        assert_eq!(with_inbox.status, StatusCode::OK, "{}", with_inbox.body);
        assert_eq!(with_inbox.json()["meta"]["sender"]["id"], d.contact_id);

        let unknown = call(
            &app,
            &d.admin_token,
            Method::POST,
            &format!("{base}/conversations"),
            json!({"source_id": "nobody"}),
        )
        .await;
        assert_eq!(
            unknown.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            unknown.body
        );
        assert_eq!(unknown.json()["errors"][0]["field"], "source_id");
        let nothing = call(
            &app,
            &d.admin_token,
            Method::POST,
            &format!("{base}/conversations"),
            json!({"inbox_id": d.inbox_id, "contact_id": null}),
        )
        .await;
        assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(nothing.json()["errors"][0]["field"], "contact_id");

        // Another account's source id is not found.
        let (other, _) = app.account_with_admin("Other", "admin@other.test").await;
        let other_token = app.token("admin@other.test").await;
        let foreign = call(
            &app,
            &other_token,
            Method::POST,
            &format!("/api/v1/accounts/{}/conversations", other.id),
            json!({"source_id": "crm-4711"}),
        )
        .await;
        assert_eq!(
            foreign.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            foreign.body
        );
    }
);

app_test!(null_ids_mean_not_given, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let opened = call(
        &app,
        &d.admin_token,
        Method::POST,
        &base,
        json!({"inbox_id": d.inbox_id, "contact_id": d.contact_id,
               "assignee_id": null, "team_id": null, "snoozed_until": null}),
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    let id = opened.json()["id"].as_i64().unwrap();
    let assigned = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/{id}/assignments"),
        json!({"assignee_id": d.agent.id.get(), "team_id": null}),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    assert_eq!(assigned.json()["email"], "agent@acme.test");
});

app_test!(snoozed_until_as_an_iso_string, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let snoozed = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/1/toggle_status"),
        json!({"status": "snoozed", "snoozed_until": "2030-07-21T17:32:28Z"}),
    )
    .await;
    assert_eq!(snoozed.status, StatusCode::OK, "{}", snoozed.body);
    assert_eq!(snoozed.json()["payload"]["snoozed_until"], 1_910_885_548);
    let unix = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/2/toggle_status"),
        json!({"status": "snoozed", "snoozed_until": 1_910_885_548}),
    )
    .await;
    assert_eq!(unix.json()["payload"]["snoozed_until"], 1_910_885_548);
    let opened = call(
        &app,
        &d.admin_token,
        Method::POST,
        &base,
        json!({"inbox_id": d.inbox_id, "contact_id": d.contact_id, "status": "snoozed",
               "snoozed_until": "2030-07-21T19:32:28+02:00"}),
    )
    .await;
    assert_eq!(opened.status, StatusCode::OK, "{}", opened.body);
    assert_eq!(opened.json()["snoozed_until"], 1_910_885_548);
    let bad = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/3/toggle_status"),
        json!({"status": "snoozed", "snoozed_until": "tomorrow-ish"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "snoozed_until");
});

app_test!(one_message_by_id, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let list = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/1/messages"),
        json!(null),
    )
    .await
    .json();
    let first = &list["payload"][0];
    let shown = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/1/messages/{}", first["id"]),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(&shown.json(), first);
    let elsewhere = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/2/messages/{}", first["id"]),
        json!(null),
    )
    .await;
    assert_eq!(
        elsewhere.status,
        StatusCode::NOT_FOUND,
        "another conversation's message"
    );
});

app_test!(attribute_definitions_have_iso_times, |app| async move {
    let d = desk(&app).await;
    let base = format!(
        "/api/v1/accounts/{}/custom_attribute_definitions",
        d.account.id
    );
    let created = call(
        &app,
        &d.admin_token,
        Method::POST,
        &base,
        json!({"attribute_display_name": "Plan", "attribute_display_type": "text",
               "attribute_key": "plan", "attribute_model": "contact_attribute"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let listed = call(&app, &d.admin_token, Method::GET, &base, json!(null))
        .await
        .json();
    for definition in [&created.json(), &listed[0]] {
        for key in ["created_at", "updated_at"] {
            let text = definition[key]
                .as_str()
                .unwrap_or_else(|| panic!("{key}: {definition}"));
            assert!(
                text.len() >= 20 && text.ends_with('Z') && &text[10..11] == "T",
                "{key}: {text}"
            );
        }
    }
});

app_test!(administrators_delete_conversations, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let refused = call(
        &app,
        &d.agent_token,
        Method::DELETE,
        &format!("{base}/1"),
        json!(null),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let deleted = call(
        &app,
        &d.admin_token,
        Method::DELETE,
        &format!("{base}/1"),
        json!(null),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.body);
    let gone = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/1"),
        json!(null),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let messages = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/1/messages"),
        json!(null),
    )
    .await;
    assert_eq!(messages.status, StatusCode::NOT_FOUND);
    let again = call(
        &app,
        &d.admin_token,
        Method::DELETE,
        &format!("{base}/1"),
        json!(null),
    )
    .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let counts = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/meta?status=all"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(counts["meta"]["all_count"], 2, "the counters follow");
    // Another account's administrator cannot reach it.
    let (other, _) = app.account_with_admin("Other", "admin@other.test").await;
    let other_token = app.token("admin@other.test").await;
    let foreign = call(
        &app,
        &other_token,
        Method::DELETE,
        &format!("/api/v1/accounts/{}/conversations/2", d.account.id),
        json!(null),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::UNAUTHORIZED);
    let own = call(
        &app,
        &other_token,
        Method::DELETE,
        &format!("/api/v1/accounts/{}/conversations/2", other.id),
        json!(null),
    )
    .await;
    assert_eq!(own.status, StatusCode::NOT_FOUND);
});
