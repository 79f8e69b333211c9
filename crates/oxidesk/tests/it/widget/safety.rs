//! What a visitor must never reach: another visitor's conversation (every widget route, with
//! another visitor's token and ids, forged and foreign tokens), other sites, floods.

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{Setup, agent, say, setup, widget};
use crate::app_test;

/// Every widget route that acts for a visitor, with a body.
fn routes() -> Vec<(Method, &'static str, Value)> {
    vec![
        (Method::GET, "messages", json!(null)),
        (Method::GET, "conversations", json!(null)),
        (Method::POST, "seen", json!({})),
        (Method::POST, "end_conversation", json!({})),
        (
            Method::POST,
            "contact_attributes",
            json!({"custom_attributes": {"x": 1}}),
        ),
        (
            Method::POST,
            "conversation_attributes",
            json!({"custom_attributes": {"x": 1}}),
        ),
        (Method::POST, "labels", json!({"label": "vip"})),
        (Method::DELETE, "labels/vip", json!(null)),
        (
            Method::POST,
            "set_user",
            json!({"identifier": "x", "user": {"name": "X"}}),
        ),
        (Method::POST, "messages", json!({"content": "hi"})),
    ]
}

app_test!(
    a_visitor_never_reaches_another_visitors_conversation,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let other = {
            // A second account with its own website inbox.
            let (account, _) = app.account_with_admin("Other", "admin@other.test").await;
            let token = app.token("admin@other.test").await;
            let mut client = app.browser();
            let created = client
            .json(Method::POST, &format!("/api/v1/accounts/{}/inboxes", account.id),
                &[("api_access_token", &token)],
                json!({"name": "Other site", "channel": {"type": "web_widget", "website_url": "https://other.test"}}))
            .await;
            Setup {
                account,
                token,
                website_token: created.json()["website_token"].as_str().unwrap().to_owned(),
                hmac_token: String::new(),
                inbox_id: created.json()["id"].as_i64().unwrap(),
            }
        };
        let mut desk = app.browser();
        agent(
            &mut desk,
            &s,
            Method::POST,
            "/labels",
            json!({"title": "vip"}),
        )
        .await;
        let mut alice = app.browser();
        let alice_token = say(&mut alice, &s, None, "Alice's secret").await;
        let mut bob = app.browser();
        let bob_token = say(&mut bob, &s, None, "Bob's question").await;

        // Bob's token shows Bob's conversation only.
        let seen = widget(
            &mut bob,
            &s,
            Method::GET,
            "messages",
            Some(&bob_token),
            json!(null),
        )
        .await;
        let text = seen.body.clone();
        assert!(
            text.contains("Bob's question") && !text.contains("Alice's secret"),
            "{text}"
        );

        // Bob's writes land in Bob's conversation, never Alice's.
        for (method, path, body) in routes() {
            if path == "set_user" || path == "labels/vip" {
                continue;
            }
            let response = widget(&mut bob, &s, method, path, Some(&bob_token), body).await;
            assert!(response.status.is_success(), "{path}: {}", response.body);
        }
        let alices = widget(
            &mut alice,
            &s,
            Method::GET,
            "messages",
            Some(&alice_token),
            json!(null),
        )
        .await;
        let alices = alices.json()["conversation"]["id"].as_i64().unwrap();
        let shown = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{alices}"),
            json!(null),
        )
        .await;
        let shown = shown.json();
        assert_eq!(shown["labels"], json!([]), "{shown}");
        assert_eq!(shown["custom_attributes"], json!({}), "{shown}");
        assert_eq!(shown["status"], "open", "{shown}");
        let messages = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/conversations/{alices}/messages"),
            json!(null),
        )
        .await;
        assert!(!messages.body.contains("\"hi\""), "{}", messages.body);

        // Bob with Alice's conversation and message ids: a 404 on every route that takes them.
        let alice_view = widget(
            &mut alice,
            &s,
            Method::GET,
            "messages",
            Some(&alice_token),
            json!(null),
        )
        .await;
        let alice_message = alice_view.json()["messages"][0]["id"].as_i64().unwrap();
        let probes = [
            (
                Method::GET,
                format!("messages?conversation_id={alices}"),
                json!(null),
            ),
            (
                Method::POST,
                format!("seen?conversation_id={alices}"),
                json!({}),
            ),
            (
                Method::POST,
                format!("end_conversation?conversation_id={alices}"),
                json!({}),
            ),
            (
                Method::POST,
                format!("typing?conversation_id={alices}"),
                json!({"typing_status": "on"}),
            ),
            (
                Method::POST,
                "messages".to_owned(),
                json!({"content": "into Alice's", "conversation_id": alices}),
            ),
            (
                Method::PATCH,
                format!("messages/{alice_message}"),
                json!({"conversation_id": alices, "submitted_values": [{"value": "x"}]}),
            ),
        ];
        for (method, path, body) in probes {
            let response = widget(&mut bob, &s, method, &path, Some(&bob_token), body).await;
            assert_eq!(
                response.status,
                StatusCode::NOT_FOUND,
                "{path}: {}",
                response.body
            );
            assert!(
                !response.body.contains("Alice"),
                "{path}: {}",
                response.body
            );
        }
        // Bob's own conversation id with Alice's message id: not found either.
        let bobs = widget(
            &mut bob,
            &s,
            Method::GET,
            "messages",
            Some(&bob_token),
            json!(null),
        )
        .await;
        let bobs = bobs.json()["conversation"]["id"].as_i64().unwrap();
        let crossed = widget(
            &mut bob,
            &s,
            Method::PATCH,
            &format!("messages/{alice_message}"),
            Some(&bob_token),
            json!({"conversation_id": bobs, "submitted_values": [{"value": "x"}]}),
        )
        .await;
        assert_eq!(crossed.status, StatusCode::NOT_FOUND, "{}", crossed.body);
        let listed = widget(
            &mut bob,
            &s,
            Method::GET,
            "conversations",
            Some(&bob_token),
            json!(null),
        )
        .await;
        assert_eq!(
            listed.json().as_array().unwrap().len(),
            1,
            "{}",
            listed.body
        );
        assert!(
            !listed.body.contains(&format!("\"id\":{alices},")),
            "{}",
            listed.body
        );

        // Forged and foreign tokens are refused on every route.
        let (_, _, alice_source, _) = split(&alice_token);
        let (v, inbox, _, bob_sig) = split(&bob_token);
        let forged = format!("{v}.{inbox}.{alice_source}.{bob_sig}");
        let flipped = if alice_token.ends_with('0') { '1' } else { '0' };
        let tampered = format!("{}{flipped}", &alice_token[..alice_token.len() - 1]);
        for token in [forged.as_str(), tampered.as_str(), "v1.1.x.y", "garbage"] {
            for (method, path, body) in routes() {
                let response = widget(&mut bob, &s, method, path, Some(token), body).await;
                assert_eq!(
                    response.status,
                    StatusCode::UNAUTHORIZED,
                    "{path} with {token}: {}",
                    response.body
                );
                assert_eq!(response.json()["code"], "invalid_visitor_token");
            }
        }
        // Alice's token on another website is no one there.
        for (method, path, body) in routes() {
            let response = widget(&mut alice, &other, method, path, Some(&alice_token), body).await;
            assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{path}: {}",
                response.body
            );
        }
        // The live stream too.
        let stream = bob
            .get(&format!(
                "/widget/api/live?website_token={}&token={forged}",
                s.website_token
            ))
            .await;
        assert_eq!(stream.status, StatusCode::UNAUTHORIZED);
        // Without a token it carries only the header's presence (presence.rs checks that no
        // conversation event reaches it).

        // Alice still has exactly her own.
        let seen = widget(
            &mut alice,
            &s,
            Method::GET,
            "messages",
            Some(&alice_token),
            json!(null),
        )
        .await;
        assert_eq!(seen.json()["messages"].as_array().unwrap().len(), 1);
        assert!(
            seen.body.contains("Alice's secret") && !seen.body.contains("Bob"),
            "{}",
            seen.body
        );
    }
);

fn split(token: &str) -> (String, String, String, String) {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 4, "{token}");
    (
        parts[0].into(),
        parts[1].into(),
        parts[2].into(),
        parts[3].into(),
    )
}

app_test!(
    other_sites_floods_and_long_messages_are_refused,
    |app| async move {
        let s = setup(&app, json!({"allowed_domains": "shop.example"})).await;
        let mut client = app.browser();
        let uri = format!("/widget/api/messages?website_token={}", s.website_token);

        // A page of another site posting straight to the widget API.
        let cross = client
            .json(
                Method::POST,
                &uri,
                &[("origin", "https://evil.test")],
                json!({"content": "spam"}),
            )
            .await;
        assert_eq!(cross.status, StatusCode::FORBIDDEN, "{}", cross.body);
        // The widget framed by a site outside the allowed domains.
        let framed = client
            .json(
                Method::POST,
                &uri,
                &[
                    ("origin", "http://localhost"),
                    ("x-widget-origin", "https://evil.test"),
                ],
                json!({"content": "spam"}),
            )
            .await;
        assert_eq!(framed.status, StatusCode::FORBIDDEN, "{}", framed.body);
        let allowed = client
            .json(
                Method::POST,
                &uri,
                &[
                    ("origin", "http://localhost"),
                    ("x-widget-origin", "https://shop.example"),
                ],
                json!({"content": "hello"}),
            )
            .await;
        assert_eq!(allowed.status, StatusCode::OK, "{}", allowed.body);
        let token = allowed.json()["token"].as_str().unwrap().to_owned();

        let long = "x".repeat(10_001);
        let refused = widget(
            &mut client,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": long}),
        )
        .await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            refused.body
        );
        assert_eq!(refused.json()["errors"][0]["field"], "content");
        let blank = widget(
            &mut client,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({"content": "  "}),
        )
        .await;
        assert_eq!(
            blank.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            blank.body
        );
        let missing = widget(
            &mut client,
            &s,
            Method::POST,
            "messages",
            Some(&token),
            json!({}),
        )
        .await;
        assert_eq!(
            missing.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{}",
            missing.body
        );

        // The visitor's writes per minute are bounded.
        let mut last = StatusCode::OK;
        for i in 0..40 {
            let sent = widget(
                &mut client,
                &s,
                Method::POST,
                "messages",
                Some(&token),
                json!({"content": format!("flood {i}")}),
            )
            .await;
            last = sent.status;
            if last == StatusCode::TOO_MANY_REQUESTS {
                assert!(i < oxidesk::http::widget::VISITOR_WRITES_PER_MINUTE as usize);
                // The limiter earns one write back every two seconds, and says so.
                let wait: u64 = sent.header("retry-after").unwrap().parse().unwrap();
                assert!((1..=3).contains(&wait), "Retry-After: {wait}");
                assert_eq!(sent.json()["code"], "too_many_requests");
                break;
            }
        }
        assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
        // Another visitor is not held back by this one.
        let mut other = app.browser();
        say(&mut other, &s, None, "I am someone else").await;
    }
);
