//! `setUser`: a valid `identifier_hash` merges the visitor into the known contact; a wrong one
//! is refused; `hmac_mandatory` refuses without one; an unproven identifier never touches a
//! known contact.

use std::time::Duration;

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::live::{next_events, open_stream};
use super::{Setup, agent, say, setup, widget};
use crate::app_test;
use crate::support::{Browser, TestApp};

fn hash(s: &Setup, identifier: &str) -> String {
    oxidesk::secrets::hmac_hex(s.hmac_token.as_bytes(), identifier)
}

/// The known customer `cust-1`, with an earlier conversation in the website inbox.
async fn known_customer(app: &TestApp, s: &Setup) -> i64 {
    let mut desk = app.browser();
    let created = agent(
        &mut desk,
        s,
        Method::POST,
        "/contacts",
        json!({"name": "Alice", "email": "alice@example.com", "identifier": "cust-1"}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    created.json()["payload"]["contact"]["id"].as_i64().unwrap()
}

async fn set_user(
    client: &mut Browser<'_>,
    s: &Setup,
    token: Option<&str>,
    user: serde_json::Value,
) -> crate::support::TestResponse {
    widget(
        client,
        s,
        Method::POST,
        "set_user",
        token,
        json!({"identifier": "cust-1", "user": user}),
    )
    .await
}

app_test!(
    a_valid_hash_merges_the_visitor_into_the_known_contact,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let alice = known_customer(&app, &s).await;
        let mut visitor = app.browser();
        let token = say(&mut visitor, &s, None, "Hello, anonymous for now").await;

        let wrong = set_user(
            &mut visitor,
            &s,
            Some(&token),
            json!({"name": "Mallory", "identifier_hash": hash(&s, "cust-2")}),
        )
        .await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "{}", wrong.body);

        let good = set_user(
            &mut visitor,
            &s,
            Some(&token),
            json!({
        "name": "Alice A.", "identifier_hash": hash(&s, "cust-1"), "company_name": "Acme",
        "custom_attributes": {"plan": "pro"}}),
        )
        .await;
        assert_eq!(good.status, StatusCode::OK, "{}", good.body);
        assert_eq!(good.json()["contact"]["id"], alice);
        let token = good.json()["token"].as_str().unwrap().to_owned();

        let mut desk = app.browser();
        let contacts = agent(&mut desk, &s, Method::GET, "/contacts", json!(null)).await;
        assert_eq!(
            contacts.json()["meta"]["count"],
            1,
            "the anonymous contact was merged away"
        );
        let contact = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/contacts/{alice}"),
            json!(null),
        )
        .await;
        let contact = &contact.json()["payload"];
        assert_eq!(contact["name"], "Alice A.");
        assert_eq!(contact["additional_attributes"]["company_name"], "Acme");
        assert_eq!(contact["custom_attributes"]["plan"], "pro");
        // The visitor keeps their conversation, now Alice's.
        let seen = widget(
            &mut visitor,
            &s,
            Method::GET,
            "messages",
            Some(&token),
            json!(null),
        )
        .await;
        assert_eq!(
            seen.json()["messages"][0]["content"],
            "Hello, anonymous for now"
        );
        let list = agent(&mut desk, &s, Method::GET, "/conversations", json!(null)).await;
        let conversation = &list.json()["data"]["payload"][0];
        assert_eq!(conversation["meta"]["sender"]["id"], alice);
        assert_eq!(conversation["meta"]["hmac_verified"], true);
    }
);

app_test!(
    an_unproven_identifier_never_touches_the_known_contact,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let alice = known_customer(&app, &s).await;
        let mut visitor = app.browser();
        let token = say(&mut visitor, &s, None, "I am Alice, trust me").await;
        let claimed = set_user(
            &mut visitor,
            &s,
            Some(&token),
            json!({"name": "Mallory", "email": "alice@example.com"}),
        )
        .await;
        assert_eq!(claimed.status, StatusCode::OK, "{}", claimed.body);
        assert_ne!(claimed.json()["contact"]["id"], alice);

        let mut desk = app.browser();
        let contact = agent(
            &mut desk,
            &s,
            Method::GET,
            &format!("/contacts/{alice}"),
            json!(null),
        )
        .await;
        assert_eq!(contact.json()["payload"]["name"], "Alice");
        let contacts = agent(&mut desk, &s, Method::GET, "/contacts", json!(null)).await;
        assert_eq!(contacts.json()["meta"]["count"], 2);
    }
);

app_test!(
    a_mandatory_hash_is_required_and_set_user_can_come_first,
    |app| async move {
        let s = setup(&app, json!({"hmac_mandatory": true})).await;
        let mut visitor = app.browser();
        let missing = set_user(&mut visitor, &s, None, json!({"name": "Bob"})).await;
        assert_eq!(missing.status, StatusCode::UNAUTHORIZED, "{}", missing.body);
        let bad = widget(
            &mut visitor,
            &s,
            Method::POST,
            "set_user",
            None,
            json!({"identifier": {"not": "a string"}, "user": {}}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);

        // setUser before any message: the identity exists from then on, verified.
        let good = set_user(&mut visitor, &s, None,
        json!({"name": "Bob", "email": "bob@example.com", "identifier_hash": hash(&s, "cust-1")})).await;
        assert_eq!(good.status, StatusCode::OK, "{}", good.body);
        let token = good.json()["token"].as_str().unwrap().to_owned();
        say(&mut visitor, &s, Some(&token), "Hi, Bob here").await;
        let mut desk = app.browser();
        let list = agent(&mut desk, &s, Method::GET, "/conversations", json!(null)).await;
        let conversation = &list.json()["data"]["payload"][0];
        assert_eq!(conversation["meta"]["sender"]["name"], "Bob");
        assert_eq!(conversation["meta"]["sender"]["identifier"], "cust-1");
        assert_eq!(conversation["meta"]["hmac_verified"], true);
    }
);

app_test!(
    another_user_on_the_same_browser_gets_a_new_identity,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut visitor = app.browser();
        let first = widget(&mut visitor, &s, Method::POST, "set_user", None,
        json!({"identifier": "user-a", "user": {"name": "A", "identifier_hash": hash(&s, "user-a")}})).await;
        assert_eq!(first.status, StatusCode::OK, "{}", first.body);
        let token_a = first.json()["token"].as_str().unwrap().to_owned();
        say(&mut visitor, &s, Some(&token_a), "A's question").await;

        let second = widget(&mut visitor, &s, Method::POST, "set_user", Some(&token_a),
        json!({"identifier": "user-b", "user": {"name": "B", "identifier_hash": hash(&s, "user-b")}})).await;
        assert_eq!(second.status, StatusCode::OK, "{}", second.body);
        let token_b = second.json()["token"].as_str().unwrap().to_owned();
        assert_ne!(token_a, token_b);
        assert_ne!(
            first.json()["contact"]["id"],
            second.json()["contact"]["id"]
        );
        let seen = widget(
            &mut visitor,
            &s,
            Method::GET,
            "messages",
            Some(&token_b),
            json!(null),
        )
        .await;
        assert_eq!(
            seen.json()["messages"],
            json!([]),
            "B does not see A's conversation"
        );
        let mut desk = app.browser();
        let contacts = agent(&mut desk, &s, Method::GET, "/contacts", json!(null)).await;
        assert_eq!(
            contacts.json()["meta"]["count"],
            2,
            "A was not merged into B"
        );
    }
);

app_test!(
    a_visitor_token_expires_after_ninety_days_unused_and_each_use_renews_it,
    |app| async move {
        let s = setup(&app, json!({})).await;
        let mut visitor = app.browser();
        let token = say(&mut visitor, &s, None, "Before the summer").await;
        let source = token.split('.').nth(2).unwrap().to_owned();
        let store = &app.services().store;
        let inbox = oxidesk_domain::InboxId(s.inbox_id);
        let (identity, _) = store
            .visitor_identity(inbox, &source)
            .await
            .unwrap()
            .unwrap();
        let now = oxidesk_domain::Timestamp::now();
        let days = |n: i64| now.plus_secs(-n * 86_400);
        let read = |visitor: Option<String>| {
            let s = &s;
            let app = &app;
            async move {
                let mut client = app.browser();
                widget(
                    &mut client,
                    s,
                    Method::GET,
                    "messages",
                    visitor.as_deref(),
                    json!(null),
                )
                .await
            }
        };

        // Last used 89 days ago: still good, and the use renews it.
        store
            .visitor_token_used(identity.id, days(89))
            .await
            .unwrap();
        let fine = read(Some(token.clone())).await;
        assert_eq!(fine.status, StatusCode::OK, "{}", fine.body);
        assert!(fine.body.contains("Before the summer"), "{}", fine.body);
        let (_, used) = store
            .visitor_identity(inbox, &source)
            .await
            .unwrap()
            .unwrap();
        assert!(used.secs() >= now.secs(), "renewed: {used:?}");

        // Unused for 91 days: refused with the code the widget forgets its token on.
        store
            .visitor_token_used(identity.id, days(91))
            .await
            .unwrap();
        let expired = read(Some(token.clone())).await;
        assert_eq!(expired.status, StatusCode::UNAUTHORIZED, "{}", expired.body);
        assert_eq!(expired.json()["code"], "invalid_visitor_token");
        assert!(
            expired.json()["message"]
                .as_str()
                .unwrap()
                .contains("expired"),
            "{}",
            expired.body
        );
        // Refusing does not renew it.
        let again = read(Some(token.clone())).await;
        assert_eq!(again.status, StatusCode::UNAUTHORIZED, "{}", again.body);

        // Starting afresh: a new visitor, who does not see the old conversation.
        let fresh = say(&mut visitor, &s, None, "Back in autumn").await;
        assert_ne!(fresh, token);
        let shown = read(Some(fresh)).await;
        assert!(shown.body.contains("Back in autumn"), "{}", shown.body);
        assert!(!shown.body.contains("Before the summer"), "{}", shown.body);
    }
);

/// An agent's reply in conversation `id`.
async fn reply(desk: &mut Browser<'_>, s: &Setup, id: i64, content: &str) {
    let path = format!("/conversations/{id}/messages");
    let sent = agent(desk, s, Method::POST, &path, json!({"content": content})).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
}

app_test!(
    an_open_stream_follows_the_known_contacts_conversations_after_set_user,
    |app| async move {
        let s = setup(&app, json!({})).await;
        known_customer(&app, &s).await;
        // Alice on her phone: proven at once, with a conversation of her own.
        let mut phone = app.browser();
        let proven = set_user(
            &mut phone,
            &s,
            None,
            json!({"name": "Alice", "identifier_hash": hash(&s, "cust-1")}),
        )
        .await;
        assert_eq!(proven.status, StatusCode::OK, "{}", proven.body);
        let phone_token = proven.json()["token"].as_str().unwrap().to_owned();
        say(&mut phone, &s, Some(&phone_token), "From my phone").await;
        let mine = widget(
            &mut phone,
            &s,
            Method::GET,
            "messages",
            Some(&phone_token),
            json!(null),
        )
        .await;
        let earlier = mine.json()["conversation"]["id"].as_i64().unwrap();

        // On her laptop, anonymous at first, with the live stream open.
        let mut bus = app.services().events.subscribe();
        let mut laptop = app.browser();
        let laptop_token = say(&mut laptop, &s, None, "From my laptop").await;
        // On PostgreSQL the events of her own message reach this process through the
        // database's notifications, which may come after the stream below is open (and the
        // stream would rightly announce them): let them arrive first, so that the stream's
        // silence below is about the phone's conversation alone.
        crate::support::settled(&mut bus).await;
        let mut stream = open_stream(&app, &s, &laptop_token).await.into_body();
        let mut desk = app.browser();
        reply(&mut desk, &s, earlier, "Answer on the phone").await;
        app.services().events.flushed().await;
        assert!(
            next_events(&mut stream, Duration::from_millis(700))
                .await
                .is_empty(),
            "not hers yet"
        );

        // The site proves who she is: merged into Alice, she now sees the phone's conversation,
        // and the same open stream announces its replies.
        let good = set_user(
            &mut laptop,
            &s,
            Some(&laptop_token),
            json!({"name": "Alice", "identifier_hash": hash(&s, "cust-1")}),
        )
        .await;
        assert_eq!(good.status, StatusCode::OK, "{}", good.body);
        let _ = next_events(&mut stream, Duration::from_millis(300)).await;
        reply(&mut desk, &s, earlier, "Seen on the laptop too").await;
        assert_eq!(
            next_events(&mut stream, Duration::from_secs(3)).await,
            [r#"{"type":"message"}"#]
        );
    }
);
