//! `actions/contact_merge`.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::call;
use crate::api_conversations::desk;
use crate::app_test;

app_test!(contacts_merge_into_one, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}", d.account.id);
    // The desk's contacts: Ada (conversations 1 and 3), Grace (conversation 2).
    let contacts = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/contacts"),
        json!(null),
    )
    .await
    .json();
    let grace = contacts["payload"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "Grace Hopper")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let ada = d.contact_id;
    for (id, body) in [
        (
            ada,
            json!({"custom_attributes": {"plan": "pro"}, "additional_attributes": {"city": "London"}}),
        ),
        (
            grace,
            json!({"phone_number": "+15551234567", "custom_attributes": {"plan": "free", "seats": 3},
                       "additional_attributes": {"company_name": "Navy"}}),
        ),
    ] {
        let updated = call(
            &app,
            &d.admin_token,
            Method::PATCH,
            &format!("{base}/contacts/{id}"),
            body,
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    }
    for (id, labels) in [(ada, json!(["vip"])), (grace, json!(["vip", "navy"]))] {
        let labelled = call(
            &app,
            &d.admin_token,
            Method::POST,
            &format!("{base}/contacts/{id}/labels"),
            json!({"labels": labels}),
        )
        .await;
        assert_eq!(labelled.status, StatusCode::OK, "{}", labelled.body);
    }
    let body = json!({"base_contact_id": ada, "mergee_contact_id": grace});
    let refused = call(
        &app,
        &d.agent_token,
        Method::POST,
        &format!("{base}/actions/contact_merge"),
        body.clone(),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let merged = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/actions/contact_merge"),
        body,
    )
    .await;
    assert_eq!(merged.status, StatusCode::OK, "{}", merged.body);
    let contact = merged.json();
    assert_eq!(contact["id"], ada);
    assert_eq!(contact["name"], "Ada Lovelace", "the base's values win");
    assert_eq!(contact["email"], "ada@example.com");
    assert_eq!(
        contact["phone_number"], "+15551234567",
        "the mergee's fill the gaps"
    );
    assert_eq!(
        contact["custom_attributes"],
        json!({"plan": "pro", "seats": 3})
    );
    assert_eq!(contact["additional_attributes"]["city"], "London");
    assert_eq!(contact["additional_attributes"]["company_name"], "Navy");

    let gone = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/contacts/{grace}"),
        json!(null),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let conversations = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/contacts/{ada}/conversations"),
        json!(null),
    )
    .await
    .json();
    let mut ids: Vec<i64> = conversations["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    ids.sort_unstable();
    assert_eq!(ids, vec![1, 2, 3], "the mergee's conversation moved");
    let messages = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/conversations/2/messages"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(messages["meta"]["contact"]["id"], ada);
    assert_eq!(
        messages["payload"][0]["sender"]["id"], ada,
        "its messages too"
    );
    let labels = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/contacts/{ada}/labels"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(labels["payload"], json!(["navy", "vip"]));
    let shown = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/contacts/{ada}"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(
        shown["payload"]["contact_inboxes"]
            .as_array()
            .unwrap()
            .len(),
        2,
        "identities moved"
    );
    let all = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/contacts"),
        json!(null),
    )
    .await
    .json();
    assert_eq!(all["meta"]["count"], 1);

    let same = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/actions/contact_merge"),
        json!({"base_contact_id": ada, "mergee_contact_id": ada}),
    )
    .await;
    assert_eq!(same.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(same.json()["errors"][0]["field"], "mergee_contact_id");
    let missing = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/actions/contact_merge"),
        json!({"base_contact_id": ada, "mergee_contact_id": grace}),
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    // Another account's contact is not found either.
    let (other, _) = app.account_with_admin("Other", "admin@other.test").await;
    let other_token = app.token("admin@other.test").await;
    let foreign = call(
        &app,
        &other_token,
        Method::POST,
        &format!("/api/v1/accounts/{}/actions/contact_merge", other.id),
        json!({"base_contact_id": ada, "mergee_contact_id": grace}),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::NOT_FOUND);
});
