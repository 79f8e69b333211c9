//! Identity validation (`identifier_hash`) and the reuse of existing contacts.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{
    INBOX, assert_error, call, contact, conversation, conversation_path, hash, path, setup,
};
use crate::app_test;
use crate::support::TestResponse;

app_test!(identifier_hashes_verify_identities, |app| async move {
    let s = setup(&app, false).await;
    let mut client = app.browser();

    let wrong = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"identifier": "cust-7", "identifier_hash": hash("cust-8")}),
    )
    .await;
    assert_error(&wrong, StatusCode::UNAUTHORIZED, "unauthorized");
    let garbage = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"identifier": "cust-7", "identifier_hash": "not hex"}),
    )
    .await;
    assert_error(&garbage, StatusCode::UNAUTHORIZED, "unauthorized");
    let no_identifier = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"identifier_hash": hash("cust-7")}),
    )
    .await;
    assert_error(&no_identifier, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(no_identifier.json()["errors"][0]["field"], "identifier");
    assert_eq!(
        app.db.store.count_contacts(s.account.id).await.unwrap(),
        0,
        "nothing created"
    );

    // A valid hash verifies the identity, which then sees the contact's other conversations
    // in the inbox; an unverified identity of the same contact sees only its own.
    let verified = contact(
        &mut client,
        json!({"identifier": "cust-7", "identifier_hash": hash("cust-7")}),
    )
    .await;
    let first = conversation(&mut client, &verified).await;
    let plain = contact(&mut client, json!({"identifier": "cust-7"})).await;
    let second = conversation(&mut client, &plain).await;
    let ci = app
        .db
        .store
        .contact_inbox_by_source(
            app.db
                .store
                .inbox_by_identifier(INBOX)
                .await
                .unwrap()
                .unwrap()
                .id,
            &verified,
        )
        .await
        .unwrap()
        .unwrap();
    assert!(ci.hmac_verified);
    let ids = |r: &TestResponse| -> Vec<i64> {
        r.json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    let all = call(
        &mut client,
        Method::GET,
        &path(&format!("/contacts/{verified}/conversations")),
        json!(null),
    )
    .await;
    assert_eq!(ids(&all), [first, second]);
    let own = call(
        &mut client,
        Method::GET,
        &path(&format!("/contacts/{plain}/conversations")),
        json!(null),
    )
    .await;
    assert_eq!(ids(&own), [second]);
    let other = call(
        &mut client,
        Method::GET,
        &conversation_path(&plain, first, ""),
        json!(null),
    )
    .await;
    assert_error(&other, StatusCode::NOT_FOUND, "not_found");

    // The agent sees that the identity was proven.
    let agent = client
        .json(
            Method::GET,
            &format!("/api/v1/accounts/{}/conversations/{first}", s.account.id),
            &[("api_access_token", s.token.as_str())],
            json!(null),
        )
        .await;
    assert_eq!(
        agent.json()["meta"]["hmac_verified"],
        true,
        "{}",
        agent.body
    );

    // PATCH with a valid hash verifies an identity later; a wrong one is refused.
    let patched = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{plain}")),
        json!({"identifier_hash": hash("cust-8")}),
    )
    .await;
    assert_error(&patched, StatusCode::UNAUTHORIZED, "unauthorized");
    let patched = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{plain}")),
        json!({"identifier_hash": hash("cust-7")}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    let own = call(
        &mut client,
        Method::GET,
        &path(&format!("/contacts/{plain}/conversations")),
        json!(null),
    )
    .await;
    assert_eq!(ids(&own), [first, second]);
    let changed = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{plain}")),
        json!({"identifier": "cust-9"}),
    )
    .await;
    assert_error(&changed, StatusCode::UNPROCESSABLE_ENTITY, "invalid");
    assert_eq!(changed.json()["errors"][0]["field"], "identifier");
});

app_test!(
    a_valid_hash_does_not_verify_a_contact_found_by_email,
    |app| async move {
        setup(&app, false).await;
        let mut client = app.browser();
        let victim = contact(
            &mut client,
            json!({"email": "victim@example.com", "identifier": "victim"}),
        )
        .await;
        let victims = conversation(&mut client, &victim).await;
        // Someone with a valid hash for their own identifier, giving the victim's email.
        let intruder = contact(
            &mut client,
            json!({"identifier": "intruder", "identifier_hash": hash("intruder"),
        "email": "victim@example.com"}),
        )
        .await;
        let listed = call(
            &mut client,
            Method::GET,
            &path(&format!("/contacts/{intruder}/conversations")),
            json!(null),
        )
        .await;
        assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
        assert_eq!(listed.json(), json!([]));
        let shown = call(
            &mut client,
            Method::GET,
            &conversation_path(&intruder, victims, ""),
            json!(null),
        )
        .await;
        assert_error(&shown, StatusCode::NOT_FOUND, "not_found");
    }
);

app_test!(mandatory_identity_validation, |app| async move {
    setup(&app, true).await;
    let mut client = app.browser();
    let inbox = call(&mut client, Method::GET, &path(""), json!(null)).await;
    assert_eq!(inbox.json()["identity_validation_enabled"], true);
    let anonymous = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"name": "Anon"}),
    )
    .await;
    assert_error(&anonymous, StatusCode::UNAUTHORIZED, "unauthorized");
    let unproven = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"identifier": "cust-1"}),
    )
    .await;
    assert_error(&unproven, StatusCode::UNAUTHORIZED, "unauthorized");
    let cid = contact(
        &mut client,
        json!({"identifier": "cust-1", "identifier_hash": hash("cust-1")}),
    )
    .await;
    // A verified identity need not resend its hash.
    let patched = call(
        &mut client,
        Method::PATCH,
        &path(&format!("/contacts/{cid}")),
        json!({"name": "Dana"}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.json()["name"], "Dana");
});

app_test!(an_existing_contact_is_reused, |app| async move {
    let s = setup(&app, false).await;
    let mut client = app.browser();
    let first = contact(
        &mut client,
        json!({"identifier": "cust-1", "name": "Erin", "email": "erin@example.com"}),
    )
    .await;
    let by_identifier = contact(
        &mut client,
        json!({"identifier": "cust-1", "name": "Someone else"}),
    )
    .await;
    let by_email = contact(&mut client, json!({"email": "ERIN@example.com"})).await;
    assert_ne!(first, by_identifier, "each call makes a new identity");
    assert_ne!(by_identifier, by_email);
    assert_eq!(app.db.store.count_contacts(s.account.id).await.unwrap(), 1);
    let shown = call(
        &mut client,
        Method::GET,
        &path(&format!("/contacts/{by_email}")),
        json!(null),
    )
    .await;
    assert_eq!(
        shown.json()["name"],
        "Erin",
        "the existing contact is kept as it is"
    );
    let numeric = call(
        &mut client,
        Method::POST,
        &path("/contacts"),
        json!({"identifier": 42}),
    )
    .await;
    assert_eq!(numeric.status, StatusCode::OK, "{}", numeric.body);
    let record = call(
        &mut client,
        Method::PATCH,
        &path(&format!(
            "/contacts/{}",
            numeric.json()["source_id"].as_str().unwrap()
        )),
        json!({}),
    )
    .await;
    assert_eq!(record.json()["identifier"], "42");
});
