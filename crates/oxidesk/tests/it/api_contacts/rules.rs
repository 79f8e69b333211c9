//! The rules of the contacts API: validation errors that name the field, unique emails and
//! identifiers, administrators only for deletion, no way into another account, an event for
//! every change.

use axum::http::{Method, StatusCode};
use oxidesk_domain::{ContactId, Role};
use serde_json::{Value, json};

use super::{assert_invalid, contact, send, setup};
use crate::app_test;

app_test!(validation_errors_name_the_field, |app| async move {
    let s = setup(&app).await;
    let create = |body: Value| {
        let (app, url, token) = (&app, s.url(""), s.token.clone());
        async move { send(app, Method::POST, &url, &token, body).await }
    };
    assert_invalid(&create(json!({"email": "not-an-email"})).await, "email");
    assert_invalid(
        &create(json!({"phone_number": "call me"})).await,
        "phone_number",
    );
    assert_invalid(
        &create(json!({"avatar_url": "javascript:alert(1)"})).await,
        "avatar_url",
    );
    assert_invalid(&create(json!({"name": 5})).await, "name");
    assert_invalid(
        &create(json!({"additional_attributes": []})).await,
        "additional_attributes",
    );
    assert_invalid(
        &create(json!({"additional_attributes": {"social_profiles": "x"}})).await,
        "additional_attributes.social_profiles",
    );
    assert_invalid(&create(json!({"inbox_id": 9999})).await, "inbox_id");
    assert_invalid(
        &create(json!({"inbox_id": s.inbox.id, "source_id": "x".repeat(300)})).await,
        "source_id",
    );
    let both = create(json!({"email": "nope", "phone_number": "nope"})).await;
    let fields = both.error_fields();
    assert_eq!(fields, ["email", "phone_number"], "every fault at once");
    let not_an_object = send(&app, Method::POST, &s.url(""), &s.token, json!("{")).await;
    assert_invalid(&not_an_object, "body");
    let id = contact(&app, &s.account, "Dave", None).await;
    let update = send(
        &app,
        Method::PUT,
        &s.url(&format!("/{id}")),
        &s.token,
        json!({"email": "still not"}),
    )
    .await;
    assert_invalid(&update, "email");
    let not_a_number = send(&app, Method::GET, &s.url("/abc"), &s.token, json!(null)).await;
    assert_eq!(not_a_number.status, StatusCode::NOT_FOUND);
    assert_eq!(not_a_number.json()["code"], "not_found");
    assert_eq!(app.db.store.count_contacts(s.account.id).await.unwrap(), 1);
});

app_test!(duplicate_email_or_identifier_is_refused, |app| async move {
    let s = setup(&app).await;
    let first = send(
        &app,
        Method::POST,
        &s.url(""),
        &s.token,
        json!({"name": "Alice", "email": "alice@example.com", "identifier": "crm-1"}),
    )
    .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let same_email = send(
        &app,
        Method::POST,
        &s.url(""),
        &s.token,
        json!({"name": "Other", "email": "ALICE@example.com"}),
    )
    .await;
    assert_invalid(&same_email, "email");
    assert_eq!(
        same_email.json()["errors"][0]["message"],
        "is already used by another contact"
    );
    let same_identifier = send(
        &app,
        Method::POST,
        &s.url(""),
        &s.token,
        json!({"name": "Other", "identifier": "crm-1"}),
    )
    .await;
    assert_invalid(&same_identifier, "identifier");
    let other = contact(&app, &s.account, "Bob", Some("bob@example.com")).await;
    let update = send(
        &app,
        Method::PATCH,
        &s.url(&format!("/{other}")),
        &s.token,
        json!({"email": "alice@example.com"}),
    )
    .await;
    assert_invalid(&update, "email");
    let in_another_account = app.services().create_account("Globex").await.unwrap();
    contact(
        &app,
        &in_another_account,
        "Alice",
        Some("alice@example.com"),
    )
    .await;
    assert_eq!(app.db.store.count_contacts(s.account.id).await.unwrap(), 2);
});

app_test!(agents_cannot_delete_contacts, |app| async move {
    let s = setup(&app).await;
    app.member(&s.account, "agent@acme.test", Role::Agent).await;
    let agent = app.token("agent@acme.test").await;
    let created = send(
        &app,
        Method::POST,
        &s.url(""),
        &agent,
        json!({"name": "Alice"}),
    )
    .await;
    assert_eq!(
        created.status,
        StatusCode::OK,
        "agents may create: {}",
        created.body
    );
    let id = created.json()["payload"]["contact"]["id"].as_i64().unwrap();
    let refused = send(
        &app,
        Method::DELETE,
        &s.url(&format!("/{id}")),
        &agent,
        json!(null),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["code"], "forbidden");
    let still = send(
        &app,
        Method::GET,
        &s.url(&format!("/{id}")),
        &agent,
        json!(null),
    )
    .await;
    assert_eq!(still.status, StatusCode::OK);
});

app_test!(another_accounts_contact_is_not_found, |app| async move {
    let s = setup(&app).await;
    let (globex, _) = app.account_with_admin("Globex", "admin@globex.test").await;
    let theirs = contact(&app, &globex, "Secret Sam", Some("sam@globex.test")).await;
    let attempts = [
        (Method::GET, format!("/{theirs}"), json!(null)),
        (Method::PUT, format!("/{theirs}"), json!({"name": "Hacked"})),
        (
            Method::PATCH,
            format!("/{theirs}"),
            json!({"name": "Hacked"}),
        ),
        (Method::DELETE, format!("/{theirs}"), json!(null)),
        (Method::GET, format!("/{theirs}/conversations"), json!(null)),
        (Method::GET, format!("/{theirs}/labels"), json!(null)),
        (
            Method::POST,
            format!("/{theirs}/labels"),
            json!({"labels": ["x"]}),
        ),
        (
            Method::POST,
            format!("/{theirs}/contact_inboxes"),
            json!({"inbox_id": s.inbox.id}),
        ),
        (
            Method::GET,
            format!("/{theirs}/contactable_inboxes"),
            json!(null),
        ),
    ];
    for (method, path, body) in attempts {
        let response = send(&app, method.clone(), &s.url(&path), &s.token, body).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            response.body
        );
        assert!(!response.body.contains("Sam"), "{}", response.body);
    }
    let listed = send(&app, Method::GET, &s.url(""), &s.token, json!(null)).await;
    assert_eq!(listed.json()["meta"]["count"], 0);
    let searched = send(
        &app,
        Method::GET,
        &s.url("/search?q=sam"),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(searched.json()["payload"], json!([]));
    let not_member = send(
        &app,
        Method::GET,
        &format!("/api/v1/accounts/{}/contacts/{theirs}", globex.id),
        &s.token,
        json!(null),
    )
    .await;
    assert_eq!(not_member.status, StatusCode::UNAUTHORIZED);
    let sam = app
        .db
        .store
        .contact(globex.id, ContactId(theirs))
        .await
        .unwrap();
    assert_eq!(sam.name, "Secret Sam", "unchanged");
    assert!(
        app.db
            .store
            .contact_labels(globex.id, sam.id)
            .await
            .unwrap()
            .is_empty()
    );
});

app_test!(every_change_publishes_an_event, |app| async move {
    let s = setup(&app).await;
    let mut events = app.services().events.subscribe();
    crate::support::settled(&mut events).await; // what setting up published
    let created = send(
        &app,
        Method::POST,
        &s.url(""),
        &s.token,
        json!({"name": "Alice"}),
    )
    .await;
    let id = created.json()["payload"]["contact"]["id"].as_i64().unwrap();
    let path = s.url(&format!("/{id}"));
    send(
        &app,
        Method::PUT,
        &path,
        &s.token,
        json!({"name": "Alicia"}),
    )
    .await;
    send(
        &app,
        Method::POST,
        &format!("{path}/labels"),
        &s.token,
        json!({"labels": ["vip"]}),
    )
    .await;
    let inbox = json!({"inbox_id": s.inbox.id});
    send(
        &app,
        Method::POST,
        &format!("{path}/contact_inboxes"),
        &s.token,
        inbox,
    )
    .await;
    send(&app, Method::DELETE, &path, &s.token, json!(null)).await;
    let mut names = Vec::new();
    for event in crate::support::settled(&mut events).await {
        assert_eq!(event.account_id, s.account.id);
        assert_eq!(event.data["id"], id);
        names.push(event.name.clone());
    }
    assert_eq!(
        names,
        [
            "contact.created",
            "contact.updated",
            "contact.updated",
            "contact.updated",
            "contact.deleted"
        ]
    );
});
