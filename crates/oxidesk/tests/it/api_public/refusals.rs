//! What the client API refuses: unknown or foreign identifiers (404), invalid input (422),
//! blocked contacts (403).

use axum::http::{Method, StatusCode};
use oxidesk_domain::{Channel, Timestamp};
use serde_json::json;

use super::{
    OTHER_INBOX, assert_error, call, contact, conversation, conversation_path, path, setup,
};
use crate::app_test;

app_test!(unknown_and_foreign_identifiers_are_404, |app| async move {
    let s = setup(&app, false).await;
    app.db
        .store
        .create_inbox(
            s.account.id,
            "Other",
            &Channel::Api {
                webhook_url: None,
                hmac_token: "other".into(),
                hmac_mandatory: false,
            },
            OTHER_INBOX,
            Timestamp::now(),
        )
        .await
        .unwrap();
    let mut client = app.browser();
    let alice = contact(&mut client, json!({"name": "Alice"})).await;
    let bob = contact(&mut client, json!({"name": "Bob"})).await;
    let alices = conversation(&mut client, &alice).await;

    for (method, url) in [
        (Method::GET, "/public/api/v1/inboxes/nope".to_owned()),
        (
            Method::POST,
            "/public/api/v1/inboxes/nope/contacts".to_owned(),
        ),
        (
            Method::GET,
            "/public/api/v1/inboxes/nope/contacts/whatever".to_owned(),
        ),
        (Method::GET, path("/contacts/nobody")),
        (Method::PATCH, path("/contacts/nobody")),
        (Method::GET, path("/contacts/nobody/conversations")),
        (
            Method::GET,
            format!("/public/api/v1/inboxes/{OTHER_INBOX}/contacts/{alice}"),
        ),
        (Method::GET, conversation_path(&bob, alices, "")),
        (Method::GET, conversation_path(&bob, alices, "/messages")),
        (Method::POST, conversation_path(&bob, alices, "/messages")),
        (
            Method::POST,
            conversation_path(&bob, alices, "/toggle_status"),
        ),
        (
            Method::POST,
            conversation_path(&bob, alices, "/toggle_typing"),
        ),
        (
            Method::POST,
            conversation_path(&bob, alices, "/update_last_seen"),
        ),
        (Method::GET, conversation_path(&alice, 999, "")),
        (Method::GET, conversation_path(&alice, alices, "x")),
    ] {
        let response = call(
            &mut client,
            method.clone(),
            &url,
            json!({"content": "x", "typing_status": "on"}),
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} {url}: {}",
            response.body
        );
        assert_eq!(response.json()["code"], "not_found", "{method} {url}");
    }
    // Bob's attempt left Alice's conversation alone.
    let messages = call(
        &mut client,
        Method::GET,
        &conversation_path(&alice, alices, "/messages"),
        json!(null),
    )
    .await;
    assert_eq!(messages.json(), json!([]));
});

app_test!(invalid_input_is_a_422_naming_the_field, |app| async move {
    let s = setup(&app, false).await;
    let mut client = app.browser();
    let bad_email = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"email": "not-an-email"}),
    )
    .await;
    assert_error(&bad_email, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(bad_email.json()["errors"][0]["field"], "email");
    let cid = contact(&mut client, json!({"name": "Frank"})).await;
    let id = conversation(&mut client, &cid).await;
    for body in [json!({"content": ""}), json!({"content": "   "}), json!({})] {
        let empty = call(
            &mut client,
            Method::POST,
            &conversation_path(&cid, id, "/messages"),
            body.clone(),
        )
        .await;
        assert_error(&empty, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
        assert_eq!(empty.json()["errors"][0]["field"], "content", "{body}");
    }
    let wrong_type = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/messages"),
        json!({"content": 5}),
    )
    .await;
    assert_error(&wrong_type, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(wrong_type.json()["errors"][0]["field"], "content");
    let typing = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/toggle_typing"),
        json!({"typing_status": "maybe"}),
    )
    .await;
    assert_error(&typing, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(typing.json()["errors"][0]["field"], "typing_status");
    let attributes = call(
        &mut client,
        Method::POST,
        &path(&format!("/contacts/{cid}/conversations")),
        json!({"custom_attributes": [1]}),
    )
    .await;
    assert_error(&attributes, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(attributes.json()["errors"][0]["field"], "custom_attributes");
    let taken = contact(&mut client, json!({"email": "taken@example.com"})).await;
    assert!(!taken.is_empty());
    let conflict = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{cid}")),
        json!({"email": "taken@example.com"}),
    )
    .await;
    assert_error(&conflict, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(conflict.json()["errors"][0]["field"], "email");
    let before = call(
        &mut client,
        Method::GET,
        &conversation_path(&cid, id, "/messages?before=abc"),
        json!(null),
    )
    .await;
    assert_error(&before, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(before.json()["errors"][0]["field"], "before");
    assert_eq!(app.db.store.count_contacts(s.account.id).await.unwrap(), 2);
});

app_test!(blocked_contacts_cannot_write, |app| async move {
    let s = setup(&app, false).await;
    let mut client = app.browser();
    let cid = contact(
        &mut client,
        json!({"name": "Mallory", "identifier": "mallory"}),
    )
    .await;
    let id = conversation(&mut client, &cid).await;
    let mallory = app
        .db
        .store
        .contact_by_identifier(s.account.id, "mallory")
        .await
        .unwrap()
        .unwrap();
    app.db
        .store
        .set_contact_blocked(s.account.id, mallory.id, true, Timestamp::now())
        .await
        .unwrap();
    let message = call(
        &mut client,
        Method::POST,
        &conversation_path(&cid, id, "/messages"),
        json!({"content": "spam"}),
    )
    .await;
    assert_error(&message, StatusCode::FORBIDDEN, "forbidden");
    assert!(
        message.json()["message"]
            .as_str()
            .unwrap()
            .contains("blocked")
    );
    let opened = call(
        &mut client,
        Method::POST,
        &path(&format!("/contacts/{cid}/conversations")),
        json!({}),
    )
    .await;
    assert_error(&opened, StatusCode::FORBIDDEN, "forbidden");
});
