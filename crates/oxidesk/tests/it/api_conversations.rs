//! The conversations and messages API.

use axum::http::{Method, StatusCode};
use oxidesk::service::{ContactInput, MessageInput, StartConversation};
use oxidesk_domain::{Account, ConversationStatus, MessageType, Role, User};
use serde_json::{Value, json};

use crate::support::TestApp;
use crate::{app_test, snapshot};

/// An account with an administrator, an agent, an inbox, two contacts and three conversations.
pub struct Desk {
    pub account: Account,
    pub admin: User,
    pub agent: User,
    pub admin_token: String,
    pub agent_token: String,
    pub inbox_id: i64,
    pub contact_id: i64,
}

pub async fn desk(app: &TestApp) -> Desk {
    let (account, admin) = app.account_with_admin("Acme", "admin@acme.test").await;
    let agent = app.member(&account, "agent@acme.test", Role::Agent).await;
    let services = app.services();
    let inbox = services
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    let mut contacts = Vec::new();
    for (name, email) in [
        ("Ada Lovelace", "ada@example.com"),
        ("Grace Hopper", "grace@example.com"),
    ] {
        let input = ContactInput {
            name: Some(name.into()),
            email: Some(email.into()),
            ..ContactInput::default()
        };
        contacts.push(services.create_contact(account.id, &input).await.unwrap());
    }
    for (i, contact) in [&contacts[0], &contacts[1], &contacts[0]]
        .into_iter()
        .enumerate()
    {
        let start = StartConversation {
            inbox_id: inbox.id,
            contact_id: contact.id,
            source_id: None,
            status: ConversationStatus::Open,
            assignee_id: (i == 0).then_some(agent.id),
            team_id: None,
            priority: None,
            additional_attributes: Default::default(),
            custom_attributes: Default::default(),
        };
        let at = oxidesk_domain::Timestamp(1_700_000_000 + i as i64 * 100);
        let conversation = services
            .start_conversation_at(account.id, &start, at)
            .await
            .unwrap();
        let message = MessageInput {
            content: format!("Hello, this is message {i}"),
            message_type: MessageType::Incoming,
            private: false,
            sender: None,
            source_id: None,
            content_type: oxidesk_domain::ContentType::Text,
            content_attributes: Default::default(),
        };
        services
            .post_message_at(
                account.id,
                conversation.display_id,
                &message,
                at.plus_secs(10),
            )
            .await
            .unwrap();
    }
    let admin_token = app.token("admin@acme.test").await;
    let agent_token = app.token("agent@acme.test").await;
    Desk {
        contact_id: contacts[0].id.get(),
        inbox_id: inbox.id.get(),
        account,
        admin,
        agent,
        admin_token,
        agent_token,
    }
}

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> crate::support::TestResponse {
    app.browser()
        .json(method, path, &[("api_access_token", token)], body)
        .await
}

app_test!(
    lists_conversations_with_counts_and_filters,
    |app| async move {
        let d = desk(&app).await;
        let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
        let all = call(&app, &d.agent_token, Method::GET, &base, json!(null)).await;
        assert_eq!(all.status, StatusCode::OK, "{}", all.body);
        let body = all.json();
        snapshot!("conversation_list", body);
        assert_eq!(body["data"]["meta"]["all_count"], 3);
        assert_eq!(body["data"]["meta"]["mine_count"], 1);
        assert_eq!(body["data"]["meta"]["unassigned_count"], 2);
        let ids: Vec<i64> = body["data"]["payload"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![3, 2, 1], "newest activity first, display ids");

        let mine = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}?assignee_type=me"),
            json!(null),
        )
        .await
        .json();
        assert_eq!(mine["data"]["payload"].as_array().unwrap().len(), 1);
        assert_eq!(
            mine["data"]["payload"][0]["meta"]["assignee"]["email"],
            "agent@acme.test"
        );
        assert_eq!(
            mine["data"]["payload"][0]["meta"]["assignee"]["id"],
            d.agent.id.get()
        );
        let searched = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}?q=grace"),
            json!(null),
        )
        .await
        .json();
        assert_eq!(
            searched["data"]["payload"][0]["meta"]["sender"]["name"],
            "Grace Hopper"
        );
        // Searches are counted up to a limit, which the meta then names; exact counts do not.
        assert_eq!(searched["data"]["meta"]["all_count"], 1);
        assert_eq!(searched["data"]["meta"]["count_limit"], 1000);
        assert!(body["data"]["meta"].get("count_limit").is_none());
        let labelled = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}/meta?labels[]=nothing-has-it"),
            json!(null),
        )
        .await
        .json();
        assert_eq!(labelled["meta"]["all_count"], 0);
        assert_eq!(labelled["meta"]["count_limit"], 1000);
        let resolved = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}?status=resolved"),
            json!(null),
        )
        .await
        .json();
        assert_eq!(resolved["data"]["payload"].as_array().unwrap().len(), 0);
        let bad = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}?status=closed"),
            json!(null),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "status");
        let bad = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}?inbox_id=abc"),
            json!(null),
        )
        .await;
        assert_eq!(bad.json()["errors"][0]["field"], "inbox_id");
        let meta = call(
            &app,
            &d.agent_token,
            Method::GET,
            &format!("{base}/meta"),
            json!(null),
        )
        .await
        .json();
        assert_eq!(meta["meta"]["all_count"], 3);
    }
);

app_test!(pages_by_cursor_and_by_page_number, |app| async move {
    let d = desk(&app).await;
    let services = app.services();
    let inbox = oxidesk_domain::InboxId(d.inbox_id);
    for i in 0..27 {
        let start = StartConversation::new(inbox, oxidesk_domain::ContactId(d.contact_id));
        services
            .start_conversation_at(
                d.account.id,
                &start,
                oxidesk_domain::Timestamp(1_600_000_000 + i),
            )
            .await
            .unwrap();
    }
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let first = call(&app, &d.agent_token, Method::GET, &base, json!(null))
        .await
        .json();
    assert_eq!(first["data"]["payload"].as_array().unwrap().len(), 25);
    let cursor = first["data"]["meta"]["next_cursor"]
        .as_str()
        .unwrap()
        .to_owned();
    let second = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}?after={cursor}"),
        json!(null),
    )
    .await
    .json();
    let by_page = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}?page=2"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(second["data"]["payload"].as_array().unwrap().len(), 5);
    assert_eq!(second["data"]["payload"], by_page["data"]["payload"]);
    assert!(second["data"]["meta"]["next_cursor"].is_null());
    let mut seen: Vec<i64> = first["data"]["payload"]
        .as_array()
        .unwrap()
        .iter()
        .chain(second["data"]["payload"].as_array().unwrap())
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    seen.sort_unstable();
    seen.dedup();
    assert_eq!(seen.len(), 30, "no gaps, no duplicates");
    let bad = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}?after=garbage"),
        json!(null),
    )
    .await;
    assert_eq!(bad.json()["errors"][0]["field"], "after");
});

app_test!(
    a_conversation_created_with_a_message_logs_its_events_in_order,
    |app| async move {
        // The message's event is recorded with the message (the message writer's
        // transaction), the conversation's by the event writer: still in the order they
        // happened, and both before the answer.
        let d = desk(&app).await;
        let before = app.db.store.last_event_id().await.unwrap();
        let created = call(
            &app,
            &d.agent_token,
            Method::POST,
            &format!("/api/v1/accounts/{}/conversations", d.account.id),
            json!({"inbox_id": d.inbox_id, "contact_id": d.contact_id, "message": {"content": "Hello"}}),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let display = created.json()["id"].as_i64().unwrap();
        let events = app
            .db
            .store
            .events_after(d.account.id, before, 100)
            .await
            .unwrap();
        let events: Vec<_> = events
            .iter()
            .filter(|e| e.name == "conversation.created" || e.name == "message.created")
            .collect();
        let names: Vec<&str> = events.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(
            names,
            ["conversation.created", "message.created"],
            "{events:?}"
        );
        let data: Value = serde_json::from_str(&events[1].data).unwrap();
        assert_eq!(data["conversation_id"], display, "{data}");
        assert!(data["id"].as_i64().is_some(), "{data}");
    }
);

app_test!(shows_creates_and_changes_a_conversation, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let shown = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/1"),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK);
    snapshot!("conversation_show", shown.json());
    assert_eq!(shown.json()["meta"]["channel"], "Channel::Api");
    assert!(shown.json()["meta"].get("assignee").is_some());
    let unassigned = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/2"),
        json!(null),
    )
    .await
    .json();
    assert!(
        unassigned["meta"].get("assignee").is_none(),
        "absent when unassigned, as Chatwoot"
    );

    let created = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"inbox_id": d.inbox_id, "contact_id": d.contact_id, "message": {"content": "We noticed your order is late"}, "custom_attributes": {"order_id": "A-1"}}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let created = created.json();
    assert_eq!(created["id"], 4);
    assert_eq!(created["custom_attributes"]["order_id"], "A-1");
    assert_eq!(
        created["last_non_activity_message"]["content"],
        "We noticed your order is late"
    );
    assert_eq!(created["last_non_activity_message"]["message_type"], 1);
    assert_eq!(
        created["last_non_activity_message"]["sender"]["type"],
        "user"
    );

    let patched = call(
        &app,
        &d.agent_token,
        Method::PATCH,
        &format!("{base}/4"),
        json!({"priority": "urgent"}),
    )
    .await
    .json();
    assert_eq!(patched["priority"], "urgent");
    let none = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/4/toggle_priority"),
        json!({"priority": "none"}),
    )
    .await
    .json();
    assert!(none["priority"].is_null());
    let bad = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/4/toggle_priority"),
        json!({"priority": "critical"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "priority");

    let attrs = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/4/custom_attributes"),
        json!({"custom_attributes": {"plan": "pro", "order_id": null}}),
    )
    .await
    .json();
    assert_eq!(attrs, json!({"custom_attributes": {"plan": "pro"}}));

    let missing = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/99"),
        json!(null),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let missing_inbox = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"inbox_id": 999, "contact_id": d.contact_id}),
    )
    .await;
    assert_eq!(missing_inbox.status, StatusCode::NOT_FOUND);
    assert_eq!(missing_inbox.json()["message"], "inbox not found");
});

app_test!(toggles_status_with_snoozing, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations/1", d.account.id);
    let resolved = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/toggle_status"),
        json!(null),
    )
    .await;
    assert_eq!(resolved.status, StatusCode::OK, "{}", resolved.body);
    snapshot!("toggle_status", resolved.json());
    assert_eq!(resolved.json()["payload"]["current_status"], "resolved");
    let reopened = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/toggle_status"),
        json!({}),
    )
    .await
    .json();
    assert_eq!(reopened["payload"]["current_status"], "open");
    let until = oxidesk_domain::Timestamp::now().plus_secs(3600).secs();
    let snoozed = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/toggle_status"),
        json!({"status": "snoozed", "snoozed_until": until}),
    )
    .await
    .json();
    assert_eq!(snoozed["payload"]["current_status"], "snoozed");
    assert_eq!(snoozed["payload"]["snoozed_until"], until);
    let shown = call(&app, &d.agent_token, Method::GET, &base, json!(null))
        .await
        .json();
    assert_eq!(shown["snoozed_until"], until);
    let past = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/toggle_status"),
        json!({"status": "snoozed", "snoozed_until": 1000}),
    )
    .await;
    assert_eq!(past.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(past.json()["errors"][0]["field"], "snoozed_until");
    let unknown = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/toggle_status"),
        json!({"status": "closed"}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(unknown.json()["errors"][0]["field"], "status");
    assert!(
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .contains("open, resolved, pending, snoozed")
    );
    // Status changes leave activity messages in the thread.
    let messages = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/messages"),
        json!(null),
    )
    .await
    .json();
    let activities: Vec<&str> = messages["payload"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["message_type"] == 2)
        .map(|m| m["content"].as_str().unwrap())
        .collect();
    assert_eq!(
        activities,
        vec![
            "Conversation was marked resolved by Test User",
            "Conversation was reopened by Test User",
            "Conversation was snoozed by Test User"
        ]
    );
});

app_test!(assigns_labels_and_marks_read, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations/2", d.account.id);
    let assigned = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/assignments"),
        json!({"assignee_id": d.admin.id}),
    )
    .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.body);
    assert_eq!(assigned.json()["email"], "admin@acme.test");
    let unassigned = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/assignments"),
        json!({"assignee_id": null}),
    )
    .await
    .json();
    assert!(unassigned.is_null());
    let stranger = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/assignments"),
        json!({"assignee_id": 9999}),
    )
    .await;
    assert_eq!(stranger.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(stranger.json()["errors"][0]["field"], "assignee_id");
    let team = app
        .services()
        .create_team(d.account.id, "Billing", "", &[])
        .await
        .unwrap();
    let teamed = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/assignments"),
        json!({"team_id": team.id}),
    )
    .await
    .json();
    assert_eq!(teamed["name"], "billing");

    let labels = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/labels"),
        json!({"labels": ["VIP", "billing", "vip"]}),
    )
    .await;
    assert_eq!(labels.json(), json!({"payload": ["billing", "vip"]}));
    let replaced = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/labels"),
        json!({"labels": ["refund"]}),
    )
    .await
    .json();
    assert_eq!(replaced, json!({"payload": ["refund"]}));
    let listed = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/labels"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(listed, json!({"payload": ["refund"]}));
    let bad = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/labels"),
        json!({"labels": ["two words"]}),
    )
    .await;
    assert_eq!(bad.json()["errors"][0]["field"], "labels[0]");

    let before = call(&app, &d.agent_token, Method::GET, &base, json!(null))
        .await
        .json();
    assert_eq!(before["unread_count"], 1);
    let seen = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/update_last_seen"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(seen["unread_count"], 0);
    let typing = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/toggle_typing_status"),
        json!({"typing_status": "sideways"}),
    )
    .await;
    assert_eq!(typing.json()["errors"][0]["field"], "typing_status");
    let muted = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/mute"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(muted["muted"], true);
});

app_test!(messages_replies_notes_and_deletion, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations/1/messages", d.account.id);
    let reply = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"content": "Thanks, looking into it"}),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
    snapshot!("message_reply", reply.json());
    let note = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"content": "Customer is on the pro plan", "private": true}),
    )
    .await
    .json();
    assert_eq!(note["private"], true);
    assert_eq!(note["message_type"], 1);
    let incoming = call(
        &app,
        &d.admin_token,
        Method::POST,
        &base,
        json!({"content": "<img src=x onerror=alert(1)>", "message_type": "incoming"}),
    )
    .await
    .json();
    assert_eq!(incoming["message_type"], 0);
    assert_eq!(incoming["sender"]["type"], "contact");
    assert_eq!(
        incoming["content"], "<img src=x onerror=alert(1)>",
        "stored and served as written; pages escape it"
    );
    let list = call(&app, &d.agent_token, Method::GET, &base, json!(null)).await;
    snapshot!("message_list", list.json());
    let payload = list.json()["payload"].as_array().unwrap().clone();
    assert_eq!(payload.len(), 4);
    let first_id = payload[0]["id"].as_i64().unwrap();
    let last_id = payload[3]["id"].as_i64().unwrap();
    let older = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}?before={last_id}"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(older["payload"].as_array().unwrap().len(), 3);
    let newer = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}?after={first_id}"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(newer["payload"].as_array().unwrap().len(), 3);

    let empty = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"content": "   "}),
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["errors"][0]["field"], "content");
    let wrong_type = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"content": "x", "message_type": "sideways"}),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong_type.json()["errors"][0]["field"], "message_type");
    let private_incoming = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"content": "x", "message_type": "incoming", "private": true}),
    )
    .await;
    assert_eq!(private_incoming.json()["errors"][0]["field"], "private");

    let note_id = note["id"].as_i64().unwrap();
    let deleted = call(
        &app,
        &d.agent_token,
        Method::DELETE,
        &format!("{base}/{note_id}"),
        json!(null),
    )
    .await;
    assert_eq!(deleted.status, StatusCode::OK);
    assert_eq!(deleted.json()["content"], "This message was deleted");
    assert_eq!(deleted.json()["content_attributes"]["deleted"], true);
    let other_conversation = format!(
        "/api/v1/accounts/{}/conversations/2/messages/{note_id}",
        d.account.id
    );
    assert_eq!(
        call(
            &app,
            &d.agent_token,
            Method::DELETE,
            &other_conversation,
            json!(null)
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
});

app_test!(malformed_requests_get_clear_errors, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let mut client = app.browser();
    let headers = [("api_access_token", d.agent_token.as_str())];
    // Broken JSON: 400.
    let broken = client
        .send_raw(
            Method::POST,
            &format!("{base}/1/messages"),
            &headers,
            "application/json",
            "{\"content\": ",
        )
        .await;
    assert_eq!(broken.status, StatusCode::BAD_REQUEST);
    assert_eq!(broken.json()["code"], "bad_request");
    // Wrong type: 422 naming the field.
    let wrong = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/1/messages"),
        json!({"content": 42}),
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "content");
    // Missing field.
    let missing = call(
        &app,
        &d.agent_token,
        Method::POST,
        &base,
        json!({"contact_id": 1}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        missing.json()["message"]
            .as_str()
            .unwrap()
            .contains("inbox_id"),
        "{}",
        missing.body
    );
    // Not JSON at all.
    let form = client
        .send_raw(
            Method::POST,
            &format!("{base}/1/messages"),
            &headers,
            "text/plain",
            "content=hi",
        )
        .await;
    assert_eq!(form.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    // Too large.
    let huge = "x".repeat(oxidesk::http::MAX_BODY_BYTES + 10);
    let big = client
        .send_raw(
            Method::POST,
            &format!("{base}/1/messages"),
            &headers,
            "application/json",
            &format!("{{\"content\": \"{huge}\"}}"),
        )
        .await;
    assert_eq!(big.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(big.json()["code"], "payload_too_large");
    // A non-numeric id.
    let word = call(
        &app,
        &d.agent_token,
        Method::GET,
        &format!("{base}/abc"),
        json!(null),
    )
    .await;
    assert_eq!(word.status, StatusCode::NOT_FOUND);
    assert_eq!(word.json()["code"], "not_found");
    // Unknown extra fields are ignored.
    let extra = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/1/messages"),
        json!({"content": "hi", "echo_id": "x", "whatever": [1]}),
    )
    .await;
    assert_eq!(extra.status, StatusCode::OK);
});
