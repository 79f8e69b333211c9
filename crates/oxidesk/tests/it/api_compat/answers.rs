//! The client API's message `PATCH`: a contact answers a bot's question or a survey.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::call;
use crate::api_conversations::desk;
use crate::app_test;

app_test!(contacts_answer_bot_questions, |app| async move {
    let d = desk(&app).await;
    let inbox = app
        .db
        .store
        .inbox(d.account.id, oxidesk_domain::InboxId(d.inbox_id))
        .await
        .unwrap();
    let public = format!("/public/api/v1/inboxes/{}", inbox.inbox_identifier);
    let mut client = app.browser();
    let contact = client
        .json(
            Method::POST,
            &format!("{public}/contacts"),
            &[],
            json!({"name": "Visitor"}),
        )
        .await
        .json();
    let source = contact["source_id"].as_str().unwrap().to_owned();
    let opened = client
        .json(
            Method::POST,
            &format!("{public}/contacts/{source}/conversations"),
            &[],
            json!({}),
        )
        .await
        .json();
    let id = opened["id"].as_i64().unwrap();
    let question = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!(
            "/api/v1/accounts/{}/conversations/{id}/messages",
            d.account.id
        ),
        json!({"content": "Which plan?", "content_type": "input_select",
               "content_attributes": {"items": [{"title": "Pro", "value": "pro"}]}}),
    )
    .await
    .json();
    let message_path = format!(
        "{public}/contacts/{source}/conversations/{id}/messages/{}",
        question["id"]
    );
    let answered = client
        .json(
            Method::PATCH,
            &message_path,
            &[],
            json!({"submitted_values": [{"title": "Pro", "value": "pro", "extra": 1}]}),
        )
        .await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    let answer = answered.json();
    assert_eq!(
        answer["content_attributes"]["submitted_values"],
        json!([{"title": "Pro", "value": "pro"}])
    );
    assert_eq!(
        answer["content_attributes"]["items"][0]["value"], "pro",
        "items kept"
    );
    let seen = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!(
            "/api/v1/accounts/{}/conversations/{id}/messages/{}",
            d.account.id, question["id"]
        ),
        json!(null),
    )
    .await
    .json();
    assert_eq!(
        seen["content_attributes"]["submitted_values"][0]["value"],
        "pro"
    );
    // The widget wraps it in `message`.
    let wrapped = client
        .json(
            Method::PATCH,
            &message_path,
            &[],
            json!({"message": {"submitted_values": [{"csat_survey_response": {"rating": 5}}]}}),
        )
        .await;
    assert_eq!(wrapped.status, StatusCode::OK, "{}", wrapped.body);
    assert_eq!(
        wrapped.json()["content_attributes"]["submitted_values"][0]["csat_survey_response"]["rating"],
        5
    );
    let bad = client
        .json(
            Method::PATCH,
            &message_path,
            &[],
            json!({"submitted_values": "pro"}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["errors"][0]["field"], "submitted_values");
    // A private note is not the contact's to answer.
    let note = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!(
            "/api/v1/accounts/{}/conversations/{id}/messages",
            d.account.id
        ),
        json!({"content": "internal", "private": true}),
    )
    .await
    .json();
    let hidden = client
        .json(
            Method::PATCH,
            &format!(
                "{public}/contacts/{source}/conversations/{id}/messages/{}",
                note["id"]
            ),
            &[],
            json!({"submitted_values": []}),
        )
        .await;
    assert_eq!(hidden.status, StatusCode::NOT_FOUND);
});
