//! The visitor ends their conversation (the `end_conversation` feature, Chatwoot's
//! `toggle_status`): it is resolved as an agent's resolution is (status events for the
//! dashboard and webhooks, the survey), only their own, and only when the feature is on.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::live::{next_events, open_stream};
use super::{Setup, agent, setup, shown_to_agents, start, status_of, surveys, widget};
use crate::app_test;
use crate::support::{Browser, TestResponse};

/// `POST /widget/api/end_conversation{query}` as the visitor with `token`.
async fn end(
    client: &mut Browser<'_>,
    s: &Setup,
    token: Option<&String>,
    query: &str,
) -> TestResponse {
    let path = format!("end_conversation{query}");
    widget(
        client,
        s,
        Method::POST,
        &path,
        token.map(String::as_str),
        json!({}),
    )
    .await
}

app_test!(a_visitor_ends_their_own_conversation, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut desk = app.browser();
    let switched = agent(
        &mut desk,
        &s,
        Method::PATCH,
        &format!("/inboxes/{}", s.inbox_id),
        json!({"csat_survey_enabled": true}),
    )
    .await;
    assert_eq!(switched.status, StatusCode::OK, "{}", switched.body);
    let mut visitor = app.browser();
    let (token, id) = start(&mut visitor, &s, "Thanks, that was all").await;
    let mut other = app.browser();
    let (other_token, other_id) = start(&mut other, &s, "Still waiting").await;

    // Before the first message there is nothing to end.
    let mut stranger = app.browser();
    let none = end(&mut stranger, &s, None, "").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED, "{}", none.body);
    // Another visitor's conversation is not found, and stays open.
    let crossed = end(
        &mut other,
        &s,
        Some(&other_token),
        &format!("?conversation_id={id}"),
    )
    .await;
    assert_eq!(crossed.status, StatusCode::NOT_FOUND, "{}", crossed.body);
    assert_eq!(status_of(&mut desk, &s, id).await, "open");

    let mut events = app.services().events.subscribe();
    crate::support::settled(&mut events).await;
    let response = open_stream(&app, &s, &token).await;
    let mut stream = response.into_body();
    let ended = end(
        &mut visitor,
        &s,
        Some(&token),
        &format!("?conversation_id={id}"),
    )
    .await;
    assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
    assert_eq!(ended.json()["id"], id);
    assert_eq!(ended.json()["status"], "resolved");
    // The visitor's stream hears it; the account's events (the dashboard, webhooks) too.
    // (the survey's message may come first).
    let mut heard = Vec::new();
    for _ in 0..3 {
        heard.extend(next_events(&mut stream, Duration::from_secs(3)).await);
        if heard.iter().any(|e| e == r#"{"type":"status"}"#) {
            break;
        }
    }
    assert!(
        heard.iter().any(|e| e == r#"{"type":"status"}"#),
        "{heard:?}"
    );
    let published = crate::support::settled(&mut events).await;
    assert!(
        published
            .iter()
            .any(|e| e.name == "conversation.status_changed"
                && e.data["id"] == id
                && e.data["status"] == "resolved"),
        "{published:?}"
    );
    assert_eq!(status_of(&mut desk, &s, id).await, "resolved");
    // The survey follows, as after an agent's resolution.
    assert_eq!(surveys(&mut visitor, &s, &token, id).await.len(), 1);
    // The other visitor's conversation is untouched.
    assert_eq!(status_of(&mut desk, &s, other_id).await, "open");

    // Without an id, the newest conversation is ended; twice is harmless (no second survey).
    let again = end(&mut visitor, &s, Some(&token), "").await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert_eq!(again.json()["id"], id);
    assert_eq!(surveys(&mut visitor, &s, &token, id).await.len(), 1);
    let bad = end(&mut visitor, &s, Some(&token), "?conversation_id=x").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("conversation_id"), "{}", bad.body);
});

app_test!(
    ending_is_refused_when_the_feature_is_off,
    |app| async move {
        let s = setup(&app, json!({"selected_feature_flags": ["attachments"]})).await;
        let mut visitor = app.browser();
        let (token, id) = start(&mut visitor, &s, "Hello").await;
        let refused = end(&mut visitor, &s, Some(&token), "").await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        assert!(
            refused.body.contains("end_conversation"),
            "{}",
            refused.body
        );
        let mut desk = app.browser();
        assert_eq!(status_of(&mut desk, &s, id).await, "open");
        // The page tells the widget the feature is off.
        let page = visitor
            .get(&format!("/widget?website_token={}", s.website_token))
            .await;
        assert!(!page.body.contains("end_conversation"), "{}", page.body);
    }
);

/// The activity lines (`message_type` 2) of conversation `id`, as an agent reads them.
async fn activity_lines(desk: &mut Browser<'_>, s: &Setup, id: i64) -> Vec<String> {
    let messages = agent(
        desk,
        s,
        Method::GET,
        &format!("/conversations/{id}/messages"),
        json!(null),
    )
    .await;
    assert_eq!(messages.status, StatusCode::OK, "{}", messages.body);
    messages.json()["payload"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["message_type"] == 2)
        .map(|m| m["content"].as_str().unwrap().to_owned())
        .collect()
}

app_test!(
    the_activity_line_names_the_visitor_who_ended_it,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut desk = app.browser();
        let mut visitor = app.browser();
        let (token, id) = start(&mut visitor, &s, "Thanks, bye").await;
        // The agent knows the visitor's name by now.
        let shown = shown_to_agents(&mut desk, &s, id).await;
        let contact = shown["meta"]["sender"]["id"].as_i64().unwrap();
        let named = agent(
            &mut desk,
            &s,
            Method::PUT,
            &format!("/contacts/{contact}"),
            json!({"name": "Alice Visitor"}),
        )
        .await;
        assert_eq!(named.status, StatusCode::OK, "{}", named.body);

        let ended = end(&mut visitor, &s, Some(&token), "").await;
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
        // As Chatwoot words a contact's resolve (an agent's says "marked resolved by Sam").
        assert_eq!(
            activity_lines(&mut desk, &s, id).await,
            ["Conversation was resolved by Alice Visitor"]
        );

        // A visitor as the widget makes them, with no name given: named if the contact has a
        // name, else the line says nothing of who.
        let mut anonymous = app.browser();
        let (token, id) = start(&mut anonymous, &s, "Never mind").await;
        let ended = end(&mut anonymous, &s, Some(&token), "").await;
        assert_eq!(ended.status, StatusCode::OK, "{}", ended.body);
        let shown = shown_to_agents(&mut desk, &s, id).await;
        let name = shown["meta"]["sender"]["name"]
            .as_str()
            .unwrap_or_default()
            .trim()
            .to_owned();
        let expected = if name.is_empty() {
            "Conversation was marked resolved".to_owned()
        } else {
            format!("Conversation was resolved by {name}")
        };
        assert_eq!(activity_lines(&mut desk, &s, id).await, [expected]);
    }
);
