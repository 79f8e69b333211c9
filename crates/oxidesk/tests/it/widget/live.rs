//! The visitor's live stream: an agent's reply is announced at once; a private note, another
//! visitor's conversation and another account are not.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode};
use http_body_util::BodyExt;
use serde_json::json;
use tower::ServiceExt;

use super::{agent, say, setup, start, widget};
use crate::app_test;

/// The `data:` lines of the conversation events that arrive within `wait` (the header's
/// `presence` events, which every stream starts with, are skipped: `presence.rs` checks them).
pub async fn next_events(body: &mut Body, wait: Duration) -> Vec<String> {
    let deadline = tokio::time::Instant::now() + wait;
    let mut found = Vec::new();
    let mut text = String::new();
    while let Ok(Some(Ok(frame))) = tokio::time::timeout_at(deadline, body.frame()).await {
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if event.lines().any(|l| l == "event: presence") {
                continue;
            }
            found.extend(
                event
                    .lines()
                    .filter_map(|l| l.strip_prefix("data:"))
                    .map(|l| l.trim().to_owned()),
            );
        }
        if !found.is_empty() {
            break;
        }
    }
    found
}

/// The visitor's live stream.
pub async fn open_stream(
    app: &crate::support::TestApp,
    s: &super::Setup,
    token: &str,
) -> axum::response::Response {
    let request = Request::builder()
        .uri(format!(
            "/widget/api/live?website_token={}&token={token}",
            s.website_token
        ))
        .header("host", "localhost")
        .body(Body::empty())
        .unwrap();
    oxidesk::http::router(app.state.clone())
        .oneshot(request)
        .await
        .unwrap()
}

app_test!(the_visitor_hears_replies_but_not_notes, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut visitor = app.browser();
    let token = say(&mut visitor, &s, None, "Hello").await;
    let mut other = app.browser();
    let other_token = say(&mut other, &s, None, "Someone else").await;
    let mut desk = app.browser();
    let mine = widget(
        &mut visitor,
        &s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    let id = mine.json()["conversation"]["id"].as_i64().unwrap();
    let theirs = widget(
        &mut other,
        &s,
        Method::GET,
        "messages",
        Some(&other_token),
        json!(null),
    )
    .await;
    let other_id = theirs.json()["conversation"]["id"].as_i64().unwrap();

    let response = open_stream(&app, &s, &token).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut body = response.into_body();

    // Not announced: a private note, and a reply in another visitor's conversation.
    agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{id}/messages"),
        json!({"content": "note", "private": true}),
    )
    .await;
    agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{other_id}/messages"),
        json!({"content": "for the other visitor"}),
    )
    .await;
    app.services().events.flushed().await;
    assert!(
        next_events(&mut body, Duration::from_millis(700))
            .await
            .is_empty()
    );

    let started = std::time::Instant::now();
    agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{id}/messages"),
        json!({"content": "Here to help"}),
    )
    .await;
    let events = next_events(&mut body, Duration::from_secs(3)).await;
    assert_eq!(events, [r#"{"type":"message"}"#]);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    let seen = widget(
        &mut visitor,
        &s,
        Method::GET,
        "messages",
        Some(&token),
        json!(null),
    )
    .await;
    assert!(
        seen.body.contains("Here to help") && !seen.body.contains("note"),
        "{}",
        seen.body
    );
});

app_test!(typing_goes_both_ways_but_not_for_notes, |app| async move {
    let s = setup(&app, json!({})).await;
    let mut visitor = app.browser();
    let early = widget(
        &mut visitor,
        &s,
        Method::POST,
        "typing",
        None,
        json!({"typing_status": "on"}),
    )
    .await;
    assert_eq!(early.status, StatusCode::UNAUTHORIZED);
    let (token, id) = start(&mut visitor, &s, "Hello").await;
    let bad = widget(
        &mut visitor,
        &s,
        Method::POST,
        "typing",
        Some(&token),
        json!({"typing_status": "maybe"}),
    )
    .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

    // The agents' stream hears the visitor typing.
    let mut events = app.services().events.subscribe();
    let on = widget(
        &mut visitor,
        &s,
        Method::POST,
        "typing",
        Some(&token),
        json!({"typing_status": "on"}),
    )
    .await;
    assert_eq!(on.status, StatusCode::NO_CONTENT, "{}", on.body);
    let event = tokio::time::timeout(Duration::from_secs(3), events.recv())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(event.name, "conversation.typing_on");
    assert_eq!(event.data["id"], id);
    assert_eq!(event.data["user"]["type"], "contact");

    // The visitor's stream hears an agent typing a reply, not a note.
    let response = open_stream(&app, &s, &token).await;
    let mut body = response.into_body();
    let mut desk = app.browser();
    agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{id}/toggle_typing_status"),
        json!({"typing_status": "on", "is_private": true}),
    )
    .await;
    app.services().events.flushed().await;
    assert!(
        next_events(&mut body, Duration::from_millis(700))
            .await
            .is_empty()
    );
    let typed = agent(
        &mut desk,
        &s,
        Method::POST,
        &format!("/conversations/{id}/toggle_typing_status"),
        json!({"typing_status": "on"}),
    )
    .await;
    assert_eq!(typed.status, StatusCode::OK, "{}", typed.body);
    assert_eq!(
        next_events(&mut body, Duration::from_secs(3)).await,
        [r#"{"type":"typing_on"}"#]
    );
});
