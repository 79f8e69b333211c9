//! The pre-chat form, the inbox's settings the visitor's side obeys (files off, no messages
//! after a resolution) and the satisfaction survey posted on resolve.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::files::upload;
use super::{Setup, agent, setup, start, widget};
use crate::app_test;
use crate::attachments::png;

/// Sets the inbox's top-level fields (`csat_survey_enabled`, …).
async fn update_inbox(app: &crate::support::TestApp, s: &Setup, body: Value) {
    let mut desk = app.browser();
    let done = agent(
        &mut desk,
        s,
        Method::PATCH,
        &format!("/inboxes/{}", s.inbox_id),
        body,
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

app_test!(
    the_pre_chat_form_fills_the_contact_and_the_conversation,
    |app| async move {
        let s = setup(
            &app,
            json!({"pre_chat_form_enabled": true, "pre_chat_form_options": {
                "pre_chat_message": "Tell us who you are",
                "pre_chat_fields": [
                    {"name": "emailAddress", "label": "Email", "type": "email", "field_type": "standard", "required": true, "enabled": true},
                    {"name": "fullName", "label": "Name", "type": "text", "field_type": "standard", "required": false, "enabled": true},
                    {"name": "phoneNumber", "label": "Phone", "type": "phoneInput", "field_type": "standard", "required": false, "enabled": true},
                    {"name": "plan", "label": "Plan", "type": "text", "field_type": "contact_attribute", "required": true, "enabled": true},
                    {"name": "order_id", "label": "Order", "type": "text", "field_type": "conversation_attribute", "required": false, "enabled": true},
                    {"name": "hidden_one", "label": "Off", "type": "text", "field_type": "contact_attribute", "required": true, "enabled": false}
                ]}}),
        )
        .await;
        let mut visitor = app.browser();
        // Required fields are enforced, each named.
        let refused = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            None,
            json!({"content": "Hello", "pre_chat": {"fullName": "Nora"}}),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        let fields = refused.error_fields();
        assert_eq!(fields, ["pre_chat.emailAddress", "pre_chat.plan"]);
        let without = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            None,
            json!({"content": "Hello"}),
        )
        .await;
        assert_eq!(
            without.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            without.body
        );
        let bad_email = widget(&mut visitor, &s, Method::POST, "messages", None,
            json!({"content": "Hello", "pre_chat": {"emailAddress": "not an email", "plan": "pro"}})).await;
        assert_eq!(
            bad_email.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            bad_email.body
        );
        assert!(
            bad_email.body.contains("pre_chat.emailAddress"),
            "{}",
            bad_email.body
        );
        assert_eq!(
            crate::widget::contact_count(&app, &s).await,
            0,
            "nothing created by refused forms"
        );

        let sent = widget(&mut visitor, &s, Method::POST, "messages", None,
            json!({"content": "Hello", "pre_chat": {"emailAddress": "nora@example.com", "fullName": "Nora <b>N</b>",
                   "phoneNumber": "+14155550123", "plan": "pro", "order_id": "A-17"}})).await;
        assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
        let id = sent.json()["conversation"]["id"].as_i64().unwrap();
        let mut desk = app.browser();
        let shown = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{id}"),
            json!(null),
        )
        .await;
        let shown: Value = shown.json();
        assert_eq!(
            shown["custom_attributes"],
            json!({"order_id": "A-17"}),
            "{shown}"
        );
        let contact = &shown["meta"]["sender"];
        assert_eq!(contact["email"], "nora@example.com", "{contact}");
        assert_eq!(contact["name"], "Nora <b>N</b>", "{contact}");
        assert_eq!(contact["phone_number"], "+14155550123", "{contact}");
        assert_eq!(
            contact["custom_attributes"],
            json!({"plan": "pro"}),
            "{contact}"
        );

        // A returning visitor is not asked again.
        let token = sent.json()["token"].as_str().unwrap().to_owned();
        let again = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "More"}),
        )
        .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        // An email another contact holds is not taken over (the visitor keeps their own contact).
        let mut other = app.browser();
        let copycat = widget(&mut other, &s, Method::POST, "messages", None,
            json!({"content": "Hi", "pre_chat": {"emailAddress": "nora@example.com", "plan": "free"}})).await;
        assert_eq!(copycat.status, StatusCode::OK, "{}", copycat.body);
        let theirs = copycat.json()["conversation"]["id"].as_i64().unwrap();
        let theirs = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{theirs}"),
            json!(null),
        )
        .await;
        let theirs: Value = theirs.json();
        assert_ne!(theirs["meta"]["sender"]["id"], contact["id"], "{theirs}");
        assert_eq!(theirs["meta"]["sender"]["email"], Value::Null, "{theirs}");
    }
);

app_test!(
    files_off_and_no_messages_after_a_resolution,
    |app| async move {
        let s = setup(&app, json!({"selected_feature_flags": ["emoji_picker"]})).await;
        update_inbox(&app, &s, json!({"allow_messages_after_resolved": false})).await;
        let refused = upload(
            &app,
            &s,
            None,
            &[("content", "x")],
            &[("attachments[]", "a.png", "image/png", &png(4, 4))],
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert!(refused.body.contains("attachments"), "{}", refused.body);

        let mut visitor = app.browser();
        let (token, first) = start(&mut visitor, &s, "Question").await;
        let mut desk = app.browser();
        agent(
            &mut desk,
            &s,
            Method::POST,
            &format!("/conversations/{first}/toggle_status"),
            json!({"status": "resolved"}),
        )
        .await;
        // Into the resolved one: refused, naming it; without an id: a new conversation.
        let named = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "again", "conversation_id": first}),
        )
        .await;
        assert_eq!(
            named.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            named.body
        );
        assert!(named.body.contains("conversation_id"), "{}", named.body);
        let next = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "again"}),
        )
        .await;
        assert_eq!(next.status, StatusCode::OK, "{}", next.body);
        assert_ne!(next.json()["conversation"]["id"], first);
        let old = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{first}"),
            json!(null),
        )
        .await;
        assert_eq!(old.json()["status"], "resolved");
    }
);

app_test!(a_resolution_asks_for_a_rating_once, |app| async move {
    let s = setup(&app, json!({})).await;
    update_inbox(&app, &s, json!({"csat_survey_enabled": true})).await;
    let mut visitor = app.browser();
    let (token, id) = start(&mut visitor, &s, "Help").await;
    let mut desk = app.browser();
    let resolve = json!({"status": "resolved"});
    let path = format!("/conversations/{id}/toggle_status");
    agent(&mut desk, &s, Method::POST, &path, resolve.clone()).await;
    agent(&mut desk, &s, Method::POST, &path, resolve.clone()).await;
    let seen = widget(
        &mut visitor,
        &s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    let seen: Value = seen.json();
    let surveys: Vec<&Value> = seen["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .collect();
    assert_eq!(surveys.len(), 1, "one survey for one resolution: {seen}");
    assert_eq!(surveys[0]["message_type"], 3);
    assert_eq!(
        seen["conversation"]["status"], "resolved",
        "the survey does not reopen it"
    );
    let survey = surveys[0]["id"].as_i64().unwrap();
    let rated = widget(&mut visitor, &s, Method::PATCH, &format!("messages/{survey}"), Some(&token),
            json!({"conversation_id": id, "submitted_values": {"csat_survey_response": {"rating": 4, "feedback_message": "Quick"}}})).await;
    assert_eq!(rated.status, StatusCode::OK, "{}", rated.body);
    let stored = agent(
        &mut desk,
        &s,
        Method::GET,
        &format!("/conversations/{id}/messages"),
        json!(null),
    )
    .await;
    let stored: Value = stored.json();
    let answer = stored["payload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == survey)
        .unwrap();
    assert_eq!(
        answer["content_attributes"]["submitted_values"]["csat_survey_response"]["rating"],
        4
    );
    // Reopened and resolved again: a second survey.
    agent(
        &mut desk,
        &s,
        Method::POST,
        &path,
        json!({"status": "open"}),
    )
    .await;
    agent(&mut desk, &s, Method::POST, &path, resolve).await;
    let later = widget(
        &mut visitor,
        &s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    let count = later.json()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .count();
    assert_eq!(count, 2);
    // Without the switch, no survey.
    update_inbox(&app, &s, json!({"csat_survey_enabled": false})).await;
    agent(
        &mut desk,
        &s,
        Method::POST,
        &path,
        json!({"status": "open"}),
    )
    .await;
    agent(
        &mut desk,
        &s,
        Method::POST,
        &path,
        json!({"status": "resolved"}),
    )
    .await;
    let last = widget(
        &mut visitor,
        &s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    let count = last.json()["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["content_type"] == "input_csat")
        .count();
    assert_eq!(count, 2);
});
