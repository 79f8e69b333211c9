//! `POST conversations/filter` and `POST contacts/filter` (Chatwoot's custom filters).

use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::call;
use crate::api_conversations::{Desk, desk};
use crate::app_test;
use crate::support::{TestApp, TestResponse};

async fn filter(app: &TestApp, d: &Desk, what: &str, payload: Value) -> TestResponse {
    call(
        app,
        &d.admin_token,
        Method::POST,
        &format!("/api/v1/accounts/{}/{what}/filter", d.account.id),
        json!({"payload": payload}),
    )
    .await
}

/// The display ids (conversations) or names (contacts) of a filter's answer, sorted.
async fn found(app: &TestApp, d: &Desk, what: &str, payload: Value) -> Vec<String> {
    let response = filter(app, d, what, payload.clone()).await;
    assert_eq!(
        response.status,
        StatusCode::OK,
        "{payload}: {}",
        response.body
    );
    let mut out: Vec<String> = response.json()["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| match &item["name"] {
            Value::String(name) => name.clone(),
            _ => item["id"].to_string(),
        })
        .collect();
    out.sort();
    out
}

fn cond(key: &str, op: &str, values: Value, join: &str) -> Value {
    json!({"attribute_key": key, "filter_operator": op, "values": values, "query_operator": join})
}

app_test!(conversations_filter_like_chatwoot, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}", d.account.id);
    for (path, body) in [
        (
            "custom_attribute_definitions",
            json!({"attribute_display_name": "Plan", "attribute_display_type": "text",
            "attribute_key": "plan", "attribute_model": "conversation_attribute"}),
        ),
        (
            "custom_attribute_definitions",
            json!({"attribute_display_name": "Seats", "attribute_display_type": "number",
            "attribute_key": "seats", "attribute_model": "conversation_attribute"}),
        ),
        (
            "conversations/1/custom_attributes",
            json!({"custom_attributes": {"plan": "Enterprise", "seats": 40}}),
        ),
        (
            "conversations/2/custom_attributes",
            json!({"custom_attributes": {"plan": "free", "seats": 2}}),
        ),
        (
            "conversations/3/labels",
            json!({"labels": ["billing", "vip"]}),
        ),
        ("conversations/2/labels", json!({"labels": ["bug"]})),
        (
            "conversations/2/toggle_status",
            json!({"status": "resolved"}),
        ),
    ] {
        let response = call(
            &app,
            &d.admin_token,
            Method::POST,
            &format!("{base}/{path}"),
            body,
        )
        .await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    }
    let agent = d.agent.id.get();
    let cases = [
        (
            json!([cond("status", "equal_to", json!(["open"]), "and")]),
            vec!["1", "3"],
        ),
        (
            json!([cond("status", "not_equal_to", json!(["open"]), "and")]),
            vec!["2"],
        ),
        (
            json!([cond("assignee_id", "is_present", json!([]), "and")]),
            vec!["1"],
        ),
        (
            json!([cond("assignee_id", "not_equal_to", json!([agent]), "and")]),
            vec!["2", "3"],
        ),
        (
            json!([cond(
                "assignee_id",
                "equal_to",
                json!([agent.to_string()]),
                "and"
            )]),
            vec!["1"],
        ),
        (
            json!([cond("labels", "equal_to", json!(["vip"]), "and")]),
            vec!["3"],
        ),
        (
            json!([cond("labels", "is_not_present", json!([]), "and")]),
            vec!["1"],
        ),
        (
            json!([cond("inbox_id", "equal_to", json!([d.inbox_id]), "and")]),
            vec!["1", "2", "3"],
        ),
        (
            json!([cond("display_id", "contains", json!(["2"]), "and")]),
            vec!["2"],
        ),
        (
            json!([cond("plan", "contains", json!(["ENTER"]), "and")]),
            vec!["1"],
        ),
        (
            json!([cond("plan", "equal_to", json!(["free"]), "and")]),
            vec!["2"],
        ),
        (
            json!([cond("plan", "is_not_present", json!([]), "and")]),
            vec!["3"],
        ),
        (
            json!([cond("seats", "is_greater_than", json!([10]), "and")]),
            vec!["1"],
        ),
        (
            json!([cond("seats", "is_less_than", json!(["10"]), "and")]),
            vec!["2"],
        ),
        (
            json!([cond(
                "created_at",
                "is_greater_than",
                json!(["2023-11-14T22:14:00Z"]),
                "and"
            )]),
            vec!["2", "3"],
        ),
        (
            json!([cond("created_at", "days_before", json!([1]), "and")]),
            vec!["1", "2", "3"],
        ),
        // AND binds tighter than OR, as in Chatwoot's SQL.
        (
            json!([
                cond("status", "equal_to", json!(["resolved"]), "or"),
                cond("labels", "equal_to", json!(["vip"]), "and"),
                cond("status", "equal_to", json!(["open"]), "and"),
            ]),
            vec!["2", "3"],
        ),
    ];
    for (payload, expected) in cases {
        assert_eq!(
            found(&app, &d, "conversations", payload.clone()).await,
            expected,
            "{payload}"
        );
    }
    let counted = filter(
        &app,
        &d,
        "conversations",
        json!([cond("status", "equal_to", json!(["open"]), "and")]),
    )
    .await
    .json();
    assert_eq!(counted["meta"]["all_count"], 2);
    assert_eq!(counted["meta"]["unassigned_count"], 1);
    assert_eq!(counted["meta"]["mine_count"], 0, "the admin's own");

    for (payload, field) in [
        (
            json!([
                cond("status", "equal_to", json!(["open"]), "and"),
                cond("shoe_size", "equal_to", json!([1]), "and")
            ]),
            "payload[1].attribute_key",
        ),
        (
            json!([cond("status", "contains", json!(["op"]), "and")]),
            "payload[0].filter_operator",
        ),
        (
            json!([cond("status", "equal_to", json!(["closed"]), "and")]),
            "payload[0].values",
        ),
        (
            json!([cond("seats", "is_greater_than", json!(["many"]), "and")]),
            "payload[0].values",
        ),
        (
            json!([cond("status", "equal_to", json!(["open"]), "xor")]),
            "payload[0].query_operator",
        ),
        (json!([]), "payload"),
    ] {
        let refused = filter(&app, &d, "conversations", payload.clone()).await;
        assert_eq!(
            refused.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{payload}: {}",
            refused.body
        );
        assert_eq!(refused.json()["errors"][0]["field"], field, "{payload}");
    }
});

app_test!(contacts_filter_like_chatwoot, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}", d.account.id);
    let definition = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/custom_attribute_definitions"),
        json!({"attribute_display_name": "Paying", "attribute_display_type": "checkbox",
               "attribute_key": "paying", "attribute_model": "contact_attribute"}),
    )
    .await;
    assert_eq!(definition.status, StatusCode::OK, "{}", definition.body);
    let patched = call(
        &app,
        &d.admin_token,
        Method::PATCH,
        &format!("{base}/contacts/{}", d.contact_id),
        json!({"custom_attributes": {"paying": true}, "additional_attributes": {"city": "London"}}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/contacts/{}/labels", d.contact_id),
        json!({"labels": ["vip"]}),
    )
    .await;
    let ada = "Ada Lovelace".to_owned();
    let grace = "Grace Hopper".to_owned();
    let cases = [
        (
            json!([cond("email", "contains", json!(["GRACE"]), "and")]),
            vec![grace.clone()],
        ),
        (
            json!([cond("name", "equal_to", json!(["ada lovelace"]), "and")]),
            vec![ada.clone()],
        ),
        (
            json!([cond("name", "does_not_contain", json!(["ada"]), "and")]),
            vec![grace.clone()],
        ),
        (
            json!([cond("phone_number", "is_not_present", json!([]), "and")]),
            vec![ada.clone(), grace.clone()],
        ),
        (
            json!([cond("city", "equal_to", json!(["london"]), "and")]),
            vec![ada.clone()],
        ),
        (
            json!([cond("labels", "equal_to", json!(["vip"]), "and")]),
            vec![ada.clone()],
        ),
        (
            json!([cond("paying", "equal_to", json!([true]), "and")]),
            vec![ada.clone()],
        ),
        (
            json!([cond("blocked", "equal_to", json!([false]), "and")]),
            vec![ada.clone(), grace.clone()],
        ),
        (
            json!([
                cond("labels", "equal_to", json!(["vip"]), "or"),
                cond("email", "contains", json!(["grace"]), "and")
            ]),
            vec![ada.clone(), grace.clone()],
        ),
    ];
    for (payload, expected) in cases {
        assert_eq!(
            found(&app, &d, "contacts", payload.clone()).await,
            expected,
            "{payload}"
        );
    }
    let answer = filter(
        &app,
        &d,
        "contacts",
        json!([cond("blocked", "equal_to", json!([false]), "and")]),
    )
    .await
    .json();
    assert_eq!(answer["meta"]["count"], 2);
    assert_eq!(answer["meta"]["current_page"], 1);
    let refused = filter(
        &app,
        &d,
        "contacts",
        json!([cond("status", "equal_to", json!(["open"]), "and")]),
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        refused.json()["errors"][0]["field"],
        "payload[0].attribute_key"
    );
});
