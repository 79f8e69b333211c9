//! The live stream: events of the account arrive over Server-Sent Events with their ids, a
//! reconnection with `Last-Event-ID` replays what was missed, and other accounts' events never
//! arrive.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::app_test;
use crate::support::TestApp;

/// Opens the stream as the browser with `cookie`; returns its body.
async fn open(
    app: &TestApp,
    account: i64,
    cookie: &str,
    last_event_id: Option<i64>,
) -> (StatusCode, Option<String>, Body) {
    open_uri(
        app,
        &format!("/app/accounts/{account}/live"),
        cookie,
        last_event_id,
    )
    .await
}

/// The same, at `uri` (with a query).
async fn open_uri(
    app: &TestApp,
    uri: &str,
    cookie: &str,
    last_event_id: Option<i64>,
) -> (StatusCode, Option<String>, Body) {
    let mut request = Request::builder().uri(uri).header(header::COOKIE, cookie);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let response = oxidesk::http::router(app.state.clone())
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let content_type = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    (response.status(), content_type, response.into_body())
}

/// Reads events from the stream until `count` arrived or a second passed without one.
async fn read(body: &mut Body, count: usize) -> Vec<(i64, Value)> {
    let mut events = Vec::new();
    let mut buffer = String::new();
    while events.len() < count {
        let Ok(Some(Ok(frame))) = tokio::time::timeout(Duration::from_secs(2), body.frame()).await
        else {
            break;
        };
        let Ok(data) = frame.into_data() else {
            continue;
        };
        buffer.push_str(&String::from_utf8_lossy(&data));
        while let Some(end) = buffer.find("\n\n") {
            let block: String = buffer.drain(..end + 2).collect();
            let id = block
                .lines()
                .find_map(|l| l.strip_prefix("id:"))
                .map(|v| v.trim().parse().unwrap());
            let data = block
                .lines()
                .find_map(|l| l.strip_prefix("data:"))
                .map(|v| serde_json::from_str(v.trim()).unwrap());
            if let (Some(id), Some(data)) = (id, data) {
                events.push((id, data));
            }
        }
    }
    events
}

app_test!(
    events_stream_live_and_replay_after_a_drop,
    |app| async move {
        let d = crate::api_conversations::desk(&app).await;
        let (other, _) = app.account_with_admin("Other", "admin@other.test").await;
        let mut browser = app.browser();
        browser.login("agent@acme.test", "password123").await;
        let cookie = format!("oxidesk_session={}", browser.cookies["oxidesk_session"]);
        let (status, content_type, mut body) = open(&app, d.account.id.get(), &cookie, None).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(content_type.as_deref(), Some("text/event-stream"));

        let mut client = app.browser();
        let auth = [("api_access_token", d.agent_token.as_str())];
        let base = format!("/api/v1/accounts/{}/conversations/1", d.account.id);
        client
            .json(
                Method::POST,
                &format!("{base}/messages"),
                &auth,
                json!({"content": "Live!"}),
            )
            .await;
        // Another account's change must not reach this stream.
        app.services()
            .create_label(other.id, "secret", "", "#000000")
            .await
            .unwrap();
        let events = read(&mut body, 1).await;
        assert_eq!(events.len(), 1, "{events:?}");
        let (first_id, first) = &events[0];
        assert_eq!(first["name"], "message.created");
        assert_eq!(first["data"]["conversation_id"], 1);
        assert_eq!(first["id"], *first_id);
        drop(body);

        // While disconnected, two more changes happen; reconnecting with Last-Event-ID replays them.
        client
            .json(
                Method::POST,
                &format!("{base}/labels"),
                &auth,
                json!({"labels": ["vip"]}),
            )
            .await;
        client
            .json(
                Method::POST,
                &format!("{base}/toggle_status"),
                &auth,
                json!({"status": "resolved"}),
            )
            .await;
        tokio::time::sleep(Duration::from_millis(300)).await;
        let (_, _, mut again) = open(&app, d.account.id.get(), &cookie, Some(*first_id)).await;
        let replayed = read(&mut again, 3).await;
        let names: Vec<&str> = replayed
            .iter()
            .map(|(_, e)| e["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            vec![
                "conversation.updated",
                "message.created",
                "conversation.status_changed"
            ],
            "labels, the activity message, status"
        );
        assert!(replayed.windows(2).all(|w| w[0].0 < w[1].0), "in order");
        assert!(replayed.iter().all(|(id, _)| id > first_id));
        assert!(
            replayed.iter().all(|(_, e)| e["name"] != "label.created"),
            "nothing from the other account"
        );
        drop(again);

        // A new stream that live.js opens after the browser gave up (a 503) carries the last
        // id in its query instead of the header: the same replay.
        let uri = format!(
            "/app/accounts/{}/live?last_event_id={first_id}",
            d.account.id
        );
        let (status, _, mut by_query) = open_uri(&app, &uri, &cookie, None).await;
        assert_eq!(status, StatusCode::OK);
        let ids = |events: &[(i64, Value)]| events.iter().map(|(id, _)| *id).collect::<Vec<_>>();
        assert_eq!(ids(&read(&mut by_query, 3).await), ids(&replayed));
    }
);

app_test!(the_stream_needs_a_member, |app| async move {
    let (acme, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let (other, _) = app.account_with_admin("Other", "admin@other.test").await;
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let cookie = format!("oxidesk_session={}", browser.cookies["oxidesk_session"]);
    let (status, _, _) = open(&app, other.id.get(), &cookie, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _, _) = open(&app, acme.id.get(), "oxidesk_session=nope", None).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "signed out: to the login");
});
