//! The header's team line, live: every open widget's stream (with or without a visitor token)
//! gets a `presence` event within a second when an agent of the inbox changes availability,
//! opens a dashboard or signs out, joins or leaves the inbox, or when a business-hours boundary
//! passes; a stream without a visitor token hears nothing else.

use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Method, StatusCode};
use http_body_util::BodyExt;
use serde_json::{Value, json};

use super::live::{next_events, open_stream};
use super::{Setup, agent, online_agent, say, setup};
use crate::app_test;
use crate::support::TestApp;

/// The next `presence` event within `wait` (skipping others); panics without one.
async fn next_presence(body: &mut Body, wait: Duration) -> Value {
    let deadline = tokio::time::Instant::now() + wait;
    let mut text = String::new();
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no presence event within {wait:?}: {text}"))
            .expect("stream ended")
            .unwrap();
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
        }
        // One event ends with a blank line.
        while let Some(end) = text.find("\n\n") {
            let event: String = text.drain(..end + 2).collect();
            if event.lines().any(|l| l == "event: presence") {
                let data = event.lines().find_map(|l| l.strip_prefix("data:")).unwrap();
                return serde_json::from_str(data.trim()).unwrap();
            }
        }
    }
}

/// Runs `change`, then asserts the stream's next header within a second.
async fn within_a_second(body: &mut Body) -> Value {
    let started = Instant::now();
    let header = next_presence(body, Duration::from_secs(3)).await;
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    header
}

async fn members(app: &TestApp, s: &Setup, method: Method, users: &[i64]) {
    let mut client = app.browser();
    let done = agent(
        &mut client,
        s,
        method,
        "/inbox_members",
        json!({"inbox_id": s.inbox_id, "user_ids": users}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
}

app_test!(
    an_open_widget_hears_the_team_come_and_go,
    |app| async move {
        let s = setup(&app, json!({"reply_time": "in_a_few_hours"})).await;
        let mut client = app.browser();
        let kim = online_agent(&app, &s).await;

        // A widget with no visitor yet: the stream opens and says who is there at once.
        let response = open_stream(&app, &s, "").await;
        assert_eq!(response.status(), StatusCode::OK);
        let mut body = response.into_body();
        let first = next_presence(&mut body, Duration::from_secs(3)).await;
        assert_eq!(first["type"], "presence");
        assert_eq!(first["online"], false, "{first}");
        assert_eq!(first["availability"], "We are away at the moment");

        // Kim joins the inbox.
        members(&app, &s, Method::POST, &[kim]).await;
        let joined = within_a_second(&mut body).await;
        assert_eq!(joined["online"], true, "{joined}");
        assert_eq!(joined["availability"], "We are online");
        assert_eq!(joined["reply_time"], "Typically replies in a few hours");
        assert_eq!(joined["agents"][0]["name"], "Kim Lee");
        assert_eq!(joined["agents"][0]["initials"], "KL");

        // Busy, then online again (the agents API and the profile API).
        let busy = agent(
            &mut client,
            &s,
            Method::PATCH,
            &format!("/agents/{kim}"),
            json!({"availability": "busy"}),
        )
        .await;
        assert_eq!(busy.status, StatusCode::OK, "{}", busy.body);
        let away = within_a_second(&mut body).await;
        assert_eq!(away["online"], false, "{away}");
        assert_eq!(away["agents"], json!([]));
        let kim_token = app.token("kim@acme.test").await;
        let back = app
            .browser()
            .json(
                Method::PATCH,
                "/api/v1/profile",
                &[("api_access_token", &kim_token)],
                json!({"availability": "online"}),
            )
            .await;
        assert_eq!(back.status, StatusCode::OK, "{}", back.body);
        assert_eq!(within_a_second(&mut body).await["online"], true);

        // Kim leaves the inbox.
        members(&app, &s, Method::DELETE, &[kim]).await;
        assert_eq!(within_a_second(&mut body).await["online"], false);

        // Nothing about conversations reaches a stream without a visitor token.
        let mut visitor = app.browser();
        say(&mut visitor, &s, None, "Hello").await;
        app.services().events.flushed().await;
        assert_eq!(
            next_events(&mut body, Duration::from_millis(700)).await,
            Vec::<String>::new()
        );
    }
);

app_test!(signing_in_and_out_moves_the_header, |app| async move {
    let s = setup(&app, json!({})).await;
    // The administrator (auto_offline: online only while a dashboard is open) is online
    // and an agent of the inbox, but no dashboard of theirs is open.
    let me = app
        .browser()
        .json(
            Method::PATCH,
            "/api/v1/profile",
            &[("api_access_token", &s.token)],
            json!({"availability": "online"}),
        )
        .await;
    assert_eq!(me.status, StatusCode::OK, "{}", me.body);
    let user = me.json()["id"].as_i64().unwrap();
    members(&app, &s, Method::POST, &[user]).await;
    let mut visitor = app.browser();
    let token = say(&mut visitor, &s, None, "Hello").await;
    let mut body = open_stream(&app, &s, &token).await.into_body();
    assert_eq!(
        next_presence(&mut body, Duration::from_secs(3)).await["online"],
        false
    );

    // Signing in opens the dashboard, whose live stream records the presence at once.
    let mut desk = app.browser();
    desk.login("admin@acme.test", "password123").await;
    app.services()
        .arrive(s.account.id, oxidesk_domain::UserId(user))
        .await
        .unwrap();
    let there = within_a_second(&mut body).await;
    assert_eq!(there["online"], true, "{there}");
    assert_eq!(there["agents"][0]["initials"], "TU");

    // Signing out: offline at once, not 90 seconds later.
    let page = desk
        .get(&format!("/app/accounts/{}/conversations", s.account.id))
        .await;
    let csrf = crate::support::csrf_in(&page.body).unwrap();
    let out = desk.post_form("/app/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(within_a_second(&mut body).await["online"], false);
});

app_test!(
    the_header_turns_at_a_business_hours_boundary,
    |app| async move {
        // Open every day from the next whole minute (UTC) for two hours: closed now. Late in a
        // minute, the test waits for the next one, so that setting up never crosses it.
        let mut now = oxidesk_domain::Timestamp::now().secs();
        if now % 60 >= 45 {
            tokio::time::sleep(Duration::from_secs(61 - (now % 60) as u64)).await;
            now = oxidesk_domain::Timestamp::now().secs();
        }
        let next = (now - now.rem_euclid(60) + 60).rem_euclid(86_400);
        let (hour, minute) = (next / 3600, next % 3600 / 60);
        let hours: Vec<Value> = (0..7)
            .map(|d| {
                json!({"day_of_week": d, "open_hour": hour, "open_minutes": minute,
                       "close_hour": (hour + 2) % 24, "close_minutes": minute})
            })
            .collect();
        let s = setup(&app, json!({})).await;
        let mut client = app.browser();
        let saved = agent(
            &mut client,
            &s,
            Method::PATCH,
            &format!("/inboxes/{}", s.inbox_id),
            json!({"working_hours_enabled": true, "working_hours": hours,
                   "out_of_office_message": "Back soon"}),
        )
        .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.body);
        let kim = online_agent(&app, &s).await;
        members(&app, &s, Method::POST, &[kim]).await;

        let mut body = open_stream(&app, &s, "").await.into_body();
        let closed = next_presence(&mut body, Duration::from_secs(3)).await;
        assert_eq!(closed["online"], false, "{closed}");
        assert_eq!(closed["availability"], "Back soon");
        let opened = next_presence(&mut body, Duration::from_secs(62)).await;
        let late = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_millis()
            % 60_000;
        assert!(late < 1_000, "{late} ms after the minute");
        assert_eq!(opened["online"], true, "{opened}");
        assert_eq!(opened["in_business_hours"], true);
    }
);
