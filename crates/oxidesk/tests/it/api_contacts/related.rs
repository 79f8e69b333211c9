//! A contact's labels, identities in inboxes, contactable inboxes and conversations.

use axum::http::{Method, StatusCode};
use oxidesk::service::StartConversation;
use oxidesk_domain::{ContactId, ConversationStatus};
use serde_json::json;

use super::{assert_invalid, contact, send, setup};
use crate::app_test;

app_test!(labels_are_replaced_as_a_whole, |app| async move {
    let s = setup(&app).await;
    let id = contact(&app, &s.account, "Alice", None).await;
    let url = s.url(&format!("/{id}/labels"));
    let empty = send(&app, Method::GET, &url, &s.token, json!(null)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert_eq!(empty.json(), json!({"payload": []}));
    let set = send(
        &app,
        Method::POST,
        &url,
        &s.token,
        json!({"labels": ["VIP", "billing", "vip"]}),
    )
    .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    nested_snapshot!("labels", set.json());
    let replaced = send(
        &app,
        Method::POST,
        &url,
        &s.token,
        json!({"labels": ["churn-risk"]}),
    )
    .await;
    assert_eq!(replaced.json()["payload"], json!(["churn-risk"]));
    let listed = send(&app, Method::GET, &url, &s.token, json!(null)).await;
    assert_eq!(
        listed.json()["payload"],
        json!(["churn-risk"]),
        "the old labels are gone"
    );
    let invalid = send(
        &app,
        Method::POST,
        &url,
        &s.token,
        json!({"labels": ["ok", "not ok"]}),
    )
    .await;
    assert_invalid(&invalid, "labels[1]");
    let missing = send(&app, Method::POST, &url, &s.token, json!({})).await;
    assert_invalid(&missing, "labels");
    let after = send(&app, Method::GET, &url, &s.token, json!(null)).await;
    assert_eq!(
        after.json()["payload"],
        json!(["churn-risk"]),
        "a refused change changes nothing"
    );
    let cleared = send(&app, Method::POST, &url, &s.token, json!({"labels": []})).await;
    assert_eq!(cleared.json()["payload"], json!([]));
    let other = contact(&app, &s.account, "Bob", None).await;
    let theirs = send(
        &app,
        Method::GET,
        &s.url(&format!("/{other}/labels")),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(
        theirs.json()["payload"],
        json!([]),
        "labels are per contact"
    );
});

app_test!(
    contact_inboxes_give_a_contact_identities,
    |app| async move {
        let s = setup(&app).await;
        let second = app
            .services()
            .create_api_inbox(s.account.id, "Mobile app", None)
            .await
            .unwrap();
        let alice = contact(&app, &s.account, "Alice", None).await;
        let bob = contact(&app, &s.account, "Bob", None).await;
        let url = s.url(&format!("/{alice}/contact_inboxes"));
        let given = send(
            &app,
            Method::POST,
            &url,
            &s.token,
            json!({"inbox_id": s.inbox.id, "source_id": "alice-web"}),
        )
        .await;
        assert_eq!(given.status, StatusCode::OK, "{}", given.body);
        nested_snapshot!("contact_inbox", given.json());
        let again = send(
            &app,
            Method::POST,
            &url,
            &s.token,
            json!({"inbox_id": s.inbox.id, "source_id": "alice-web"}),
        )
        .await;
        assert_eq!(again.status, StatusCode::OK, "{}", again.body);
        let made_up = send(
            &app,
            Method::POST,
            &url,
            &s.token,
            json!({"inbox_id": second.id}),
        )
        .await;
        assert_eq!(made_up.status, StatusCode::OK, "{}", made_up.body);
        assert_eq!(made_up.json()["source_id"].as_str().map(str::len), Some(36));
        let shown = send(
            &app,
            Method::GET,
            &s.url(&format!("/{alice}")),
            &s.token,
            json!(null),
        )
        .await;
        let identities = shown.json()["payload"]["contact_inboxes"].clone();
        assert_eq!(
            identities.as_array().unwrap().len(),
            2,
            "the repeat made none: {identities}"
        );
        assert_eq!(identities[0]["source_id"], "alice-web");
        assert_eq!(identities[1]["inbox"]["name"], "Mobile app");

        let taken = send(
            &app,
            Method::POST,
            &s.url(&format!("/{bob}/contact_inboxes")),
            &s.token,
            json!({"inbox_id": s.inbox.id, "source_id": "alice-web"}),
        )
        .await;
        assert_invalid(&taken, "source_id");
        let in_another_account = app.services().create_account("Globex").await.unwrap();
        let foreign = app
            .services()
            .create_api_inbox(in_another_account.id, "Theirs", None)
            .await
            .unwrap();
        let foreign_inbox = send(
            &app,
            Method::POST,
            &url,
            &s.token,
            json!({"inbox_id": foreign.id}),
        )
        .await;
        assert_invalid(&foreign_inbox, "inbox_id");
        let no_inbox = send(
            &app,
            Method::POST,
            &url,
            &s.token,
            json!({"source_id": "x"}),
        )
        .await;
        assert_invalid(&no_inbox, "inbox_id");
        let same_source_elsewhere = send(
            &app,
            Method::POST,
            &s.url(&format!("/{bob}/contact_inboxes")),
            &s.token,
            json!({"inbox_id": second.id, "source_id": "alice-web"}),
        )
        .await;
        assert_eq!(
            same_source_elsewhere.status,
            StatusCode::OK,
            "source ids are per inbox"
        );
        let duplicate_on_create = send(
            &app,
            Method::POST,
            &s.url(""),
            &s.token,
            json!({"name": "Eve", "inbox_id": s.inbox.id, "source_id": "alice-web"}),
        )
        .await;
        assert_invalid(&duplicate_on_create, "source_id");
        assert_eq!(
            app.db.store.count_contacts(s.account.id).await.unwrap(),
            2,
            "no contact without its identity"
        );
    }
);

app_test!(contactable_inboxes_are_the_api_inboxes, |app| async move {
    let s = setup(&app).await;
    app.services()
        .create_api_inbox(s.account.id, "Mobile app", None)
        .await
        .unwrap();
    let id = contact(&app, &s.account, "Alice", None).await;
    let url = s.url(&format!("/{id}/contact_inboxes"));
    send(
        &app,
        Method::POST,
        &url,
        &s.token,
        json!({"inbox_id": s.inbox.id, "source_id": "old"}),
    )
    .await;
    send(
        &app,
        Method::POST,
        &url,
        &s.token,
        json!({"inbox_id": s.inbox.id, "source_id": "latest"}),
    )
    .await;
    let listed = send(
        &app,
        Method::GET,
        &s.url(&format!("/{id}/contactable_inboxes")),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    nested_snapshot!("contactable_inboxes", listed.json());
    let payload = listed.json()["payload"].clone();
    assert_eq!(
        payload[0]["source_id"], "latest",
        "the latest identity there"
    );
    assert_eq!(
        payload[1]["source_id"].as_str().map(str::len),
        Some(36),
        "a new one"
    );
    let shown = send(
        &app,
        Method::GET,
        &s.url(&format!("/{id}")),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(
        shown.json()["payload"]["contact_inboxes"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "listing stores nothing"
    );
});

app_test!(a_contacts_conversations, |app| async move {
    let s = setup(&app).await;
    let alice = contact(&app, &s.account, "Alice", Some("alice@example.com")).await;
    let bob = contact(&app, &s.account, "Bob", None).await;
    for (who, status) in [
        (alice, ConversationStatus::Open),
        (bob, ConversationStatus::Open),
        (alice, ConversationStatus::Resolved),
    ] {
        app.services()
            .start_conversation(
                s.account.id,
                &StartConversation {
                    inbox_id: s.inbox.id,
                    contact_id: ContactId(who),
                    source_id: None,
                    status,
                    assignee_id: None,
                    team_id: None,
                    priority: None,
                    additional_attributes: Default::default(),
                    custom_attributes: Default::default(),
                },
            )
            .await
            .unwrap();
    }
    let listed = send(
        &app,
        Method::GET,
        &s.url(&format!("/{alice}/conversations")),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    nested_snapshot!("conversations", listed.json());
    let payload = listed.json()["payload"].clone();
    let mut ids: Vec<i64> = payload
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    assert_eq!(ids, [1, 3], "hers, in every status");
    assert!(
        payload
            .as_array()
            .unwrap()
            .iter()
            .all(|c| c["meta"]["sender"]["id"] == alice)
    );
    let none = send(
        &app,
        Method::GET,
        &s.url(&format!("/{bob}/conversations")),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(none.json()["payload"].as_array().unwrap().len(), 1);
});
