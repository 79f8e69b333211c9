//! Paths and headers: trailing slashes, `api_access_token` in any spelling, `GET /api`, JSON
//! 404s, parameters in a GET's body.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::call;
use crate::api_conversations::desk;
use crate::app_test;

app_test!(trailing_slashes_are_ignored, |app| async move {
    let d = desk(&app).await;
    let base = format!("/api/v1/accounts/{}", d.account.id);
    let created = call(
        &app,
        &d.admin_token,
        Method::POST,
        &format!("{base}/inboxes/"),
        json!({"name": "Slashed", "channel": {"type": "api"}}),
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    let id = created.json()["id"].as_i64().unwrap();
    let shown = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/inboxes/{id}/"),
        json!(null),
    )
    .await;
    assert_eq!(shown.status, StatusCode::OK, "{}", shown.body);
    assert_eq!(shown.json()["name"], "Slashed");
    let patched = call(
        &app,
        &d.admin_token,
        Method::PATCH,
        &format!("{base}/inboxes/{id}//"),
        json!({"name": "Renamed"}),
    )
    .await;
    assert_eq!(patched.status, StatusCode::OK, "{}", patched.body);
    assert_eq!(patched.json()["name"], "Renamed", "the method is kept");
    let listed = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{base}/conversations/?status=all"),
        json!(null),
    )
    .await;
    assert_eq!(listed.status, StatusCode::OK, "{}", listed.body);
    assert_eq!(listed.json()["data"]["meta"]["all_count"], 3, "query kept");
    let public = app.browser().get("/app/login/").await;
    assert_ne!(
        public.status,
        StatusCode::OK,
        "pages keep their exact paths"
    );
});

app_test!(the_token_header_in_any_spelling, |app| async move {
    let d = desk(&app).await;
    let path = format!("/api/v1/accounts/{}/inboxes", d.account.id);
    for name in [
        "api_access_token",
        "Api-Access-Token",
        "API-ACCESS-TOKEN",
        "api-access-token",
        "Api_Access_Token",
    ] {
        let response = app
            .browser()
            .json(Method::GET, &path, &[(name, &d.admin_token)], json!(null))
            .await;
        assert_eq!(response.status, StatusCode::OK, "{name}: {}", response.body);
    }
    let wrong = app
        .browser()
        .json(
            Method::GET,
            &path,
            &[("Api-Access-Token", "oxd_wrong")],
            json!(null),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
});

app_test!(api_status_and_json_not_found, |app| async move {
    let status = app.browser().get("/api").await;
    assert_eq!(status.status, StatusCode::OK, "{}", status.body);
    let body = status.json();
    assert_eq!(body["queue_services"], "ok");
    assert_eq!(body["data_services"], "ok");
    assert!(body["version"].as_str().is_some_and(|v| !v.is_empty()));
    let timestamp = body["timestamp"].as_str().unwrap();
    assert_eq!(timestamp.len(), 19, "{timestamp}");
    assert_eq!(&timestamp[10..11], " ", "Rails' db format: {timestamp}");
    assert_eq!(app.browser().get("/api/").await.status, StatusCode::OK);

    for path in [
        "/api/nope",
        "/api/v1/accounts/1/nothing/here",
        "/public/api/v1/nothing",
        "/platform/api/v1/users",
        "/api/v2/accounts/1/reports",
    ] {
        let response = app.browser().get(path).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            response
                .header("content-type")
                .is_some_and(|t| t.starts_with("application/json")),
            "{path}: {:?}",
            response.headers
        );
        let body = response.json();
        assert!(body["error"].is_string(), "{path}: {body}");
        assert_eq!(body["code"], "not_found");
    }
    let page = app.browser().get("/nothing-here").await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(
        page.body.contains("<html") || page.body.contains("<!doctype"),
        "pages stay HTML"
    );
});

app_test!(get_bodies_join_the_query, |app| async move {
    let d = desk(&app).await;
    let search = format!("/api/v1/accounts/{}/contacts/search", d.account.id);
    let found = call(
        &app,
        &d.admin_token,
        Method::GET,
        &search,
        json!({"q": "grace"}),
    )
    .await;
    assert_eq!(found.status, StatusCode::OK, "{}", found.body);
    let found = found.json();
    let names: Vec<&str> = found["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["Grace Hopper"]);
    let query_wins = call(
        &app,
        &d.admin_token,
        Method::GET,
        &format!("{search}?q=ada"),
        json!({"q": "grace"}),
    )
    .await
    .json();
    assert_eq!(query_wins["payload"][0]["name"], "Ada Lovelace");
    let list = format!("/api/v1/accounts/{}/conversations", d.account.id);
    let mine = call(
        &app,
        &d.agent_token,
        Method::GET,
        &list,
        json!({"assignee_type": "me", "status": "open"}),
    )
    .await
    .json();
    assert_eq!(mine["data"]["payload"].as_array().unwrap().len(), 1);
});
