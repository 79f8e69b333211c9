//! Several conversations per visitor (Chatwoot #8386): a new one after a resolution, the
//! earlier ones listed and readable, the live stream following the new one.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::live::{next_events, open_stream};
use super::{agent, setup, start, widget};
use crate::app_test;
use crate::support::Browser;

pub(super) async fn resolve(desk: &mut Browser<'_>, s: &super::Setup, id: i64) {
    let done = agent(
        desk,
        s,
        Method::POST,
        &format!("/conversations/{id}/toggle_status"),
        json!({"status": "resolved"}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

app_test!(
    a_visitor_starts_a_new_conversation_after_a_resolution,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut visitor = app.browser();
        let (token, first) = start(&mut visitor, &s, "First question").await;

        // Not while the conversation is open.
        let early = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "again", "new_conversation": true}),
        )
        .await;
        assert_eq!(
            early.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            early.body
        );
        assert!(early.body.contains("new_conversation"), "{}", early.body);

        let response = open_stream(&app, &s, &token).await;
        let mut stream = response.into_body();
        let mut desk = app.browser();
        resolve(&mut desk, &s, first).await;
        assert_eq!(
            next_events(&mut stream, Duration::from_secs(3)).await,
            [r#"{"type":"status"}"#]
        );
        let shown = widget(
            &mut visitor,
            &s,
            Method::GET,
            "messages",
            Some(&token),
            json!(null),
        )
        .await;
        assert_eq!(
            shown.json()["conversation"]["status"],
            "resolved",
            "{}",
            shown.body
        );

        let started = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "A new question", "new_conversation": true}),
        )
        .await;
        assert_eq!(started.status, StatusCode::OK, "{}", started.body);
        let second = started.json()["conversation"]["id"].as_i64().unwrap();
        assert_ne!(second, first);
        assert_eq!(started.json()["conversation"]["status"], "open");

        // The stream, opened before, follows the new conversation.
        let _ = next_events(&mut stream, Duration::from_millis(500)).await;
        agent(
            &mut desk,
            &s,
            Method::POST,
            &format!("/conversations/{second}/messages"),
            json!({"content": "Answer to the new one"}),
        )
        .await;
        assert_eq!(
            next_events(&mut stream, Duration::from_secs(3)).await,
            [r#"{"type":"message"}"#]
        );

        // Both are listed, newest first; the old one is still readable and kept resolved.
        let listed = widget(
            &mut visitor,
            &s,
            Method::GET,
            "conversations",
            Some(&token),
            json!(null),
        )
        .await;
        let ids: Vec<i64> = listed
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, [second, first]);
        let old = widget(
            &mut visitor,
            &s,
            Method::GET,
            &format!("messages?conversation_id={first}"),
            Some(&token),
            json!(null),
        )
        .await;
        let old: Value = old.json();
        assert_eq!(old["conversation"]["status"], "resolved");
        assert!(
            old["messages"].to_string().contains("First question"),
            "{old}"
        );
        assert!(
            !old["messages"].to_string().contains("A new question"),
            "{old}"
        );
        let newest = widget(
            &mut visitor,
            &s,
            Method::GET,
            "messages",
            Some(&token),
            json!(null),
        )
        .await;
        assert!(
            newest.body.contains("Answer to the new one"),
            "{}",
            newest.body
        );

        // Writing into the old one reopens it (allow_messages_after_resolved defaults to on).
        let back = widget(
            &mut visitor,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "one more thing", "conversation_id": first}),
        )
        .await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.body);
        assert_eq!(back.json()["conversation"]["id"], first);
        assert_eq!(back.json()["conversation"]["status"], "open");
        let bad = widget(
            &mut visitor,
            &s,
            Method::GET,
            "messages?conversation_id=abc",
            Some(&token),
            json!(null),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
        assert!(bad.body.contains("conversation_id"), "{}", bad.body);
    }
);
