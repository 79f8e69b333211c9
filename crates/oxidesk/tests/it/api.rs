//! API authentication: `api_access_token`, sessions, JSON errors.

use axum::http::{Method, StatusCode};
use oxidesk_domain::{Role, Timestamp};
use serde_json::json;

use crate::app_test;

app_test!(an_api_token_authenticates_the_profile, |app| async move {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    assert!(token.starts_with("oxd_"), "{token}");
    let mut client = app.browser();
    let response = client
        .json(
            Method::GET,
            "/api/v1/profile",
            &[("api_access_token", &token)],
            json!(null),
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let body = response.json();
    assert_eq!(body["email"], "admin@acme.test");
    assert_eq!(body["account_id"], account.id.get());
    assert_eq!(body["role"], "administrator");
    assert_eq!(body["accounts"][0]["name"], "Acme");
});

app_test!(bad_tokens_get_a_json_401, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut client = app.browser();
    let wrong = client
        .json(
            Method::GET,
            "/api/v1/profile",
            &[("api_access_token", "oxd_wrong")],
            json!(null),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert_eq!(wrong.json()["message"], "invalid api_access_token");
    let none = client.get("/api/v1/profile").await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert!(
        none.json()["message"]
            .as_str()
            .unwrap()
            .contains("api_access_token")
    );
    let unknown = client.get("/api/v1/nothing-here").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.json()["code"], "not_found");
});

app_test!(tokens_are_stored_only_as_hashes, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    let store = &app.db.store;
    assert!(
        store
            .user_by_token_hash(&token, Timestamp::now())
            .await
            .unwrap()
            .is_none()
    );
    let user = store
        .user_by_token_hash(&oxidesk::secrets::sha256_hex(&token), Timestamp::now())
        .await
        .unwrap();
    assert_eq!(user.map(|u| u.email).as_deref(), Some("admin@acme.test"));
    let listed = store
        .list_access_tokens(
            store
                .user_by_email("admin@acme.test")
                .await
                .unwrap()
                .unwrap()
                .id,
        )
        .await
        .unwrap();
    assert_eq!(listed.len(), 1);
    assert!(token.starts_with(&listed[0].prefix) && listed[0].prefix.len() < token.len());
    assert!(listed[0].last_used_at.is_some(), "the use was recorded");
});

app_test!(
    the_browser_session_also_authenticates_the_api,
    |app| async move {
        let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        app.member(&account, "agent@acme.test", Role::Agent).await;
        let mut browser = app.browser();
        browser.login("agent@acme.test", "password123").await;
        let response = browser.get("/api/v1/profile").await;
        assert_eq!(response.status, StatusCode::OK);
        assert_eq!(response.json()["role"], "agent");
    }
);

app_test!(health_reports_the_database, |app| async move {
    let mut client = app.browser();
    let response = client.get("/health").await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.json()["status"], "ok");
});

app_test!(
    the_openapi_document_describes_the_routes,
    |app| async move {
        let mut client = app.browser();
        let response = client.get("/api/openapi.json").await;
        assert_eq!(response.status, StatusCode::OK);
        let document = response.json();
        assert!(document["openapi"].as_str().unwrap().starts_with("3."));
        let paths = document["paths"].as_object().unwrap();
        for path in [
            "/api/v1/accounts/{account_id}/conversations",
            "/api/v1/accounts/{account_id}/conversations/{conversation_id}/messages",
            "/api/v1/accounts/{account_id}/contacts",
            "/api/v1/accounts/{account_id}/dashboard_apps/{id}",
            "/api/v1/profile",
            "/public/api/v1/inboxes/{inbox_identifier}/contacts",
        ] {
            assert!(paths.contains_key(path), "{path} is documented");
        }
        assert!(
            document["paths"]["/api/v1/accounts/{account_id}/dashboard_apps/{id}"]["delete"]
                .is_object()
        );
        assert_eq!(
            document["components"]["securitySchemes"]["userApiKey"]["name"],
            "api_access_token"
        );
        assert!(document["components"]["schemas"]["ConversationView"].is_object());
    }
);

app_test!(api_changes_publish_events, |app| async move {
    let d = crate::api_conversations::desk(&app).await;
    let mut events = app.services().events.subscribe();
    crate::support::settled(&mut events).await; // what setting up published
    let base = format!("/api/v1/accounts/{}/conversations/1", d.account.id);
    let mut client = app.browser();
    let auth = [("api_access_token", d.agent_token.as_str())];
    client
        .json(
            Method::POST,
            &format!("{base}/messages"),
            &auth,
            json!({"content": "On it"}),
        )
        .await;
    client
        .json(
            Method::POST,
            &format!("{base}/labels"),
            &auth,
            json!({"labels": ["vip"]}),
        )
        .await;
    client
        .json(
            Method::POST,
            &format!("{base}/toggle_status"),
            &auth,
            json!({"status": "resolved"}),
        )
        .await;
    let mut names = Vec::new();
    for event in crate::support::settled(&mut events).await {
        assert_eq!(
            event.account_id, d.account.id,
            "events stay in their account"
        );
        names.push(event.name.clone());
    }
    for expected in [
        "message.created",
        "conversation.updated",
        "conversation.status_changed",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} missing from {names:?}"
        );
    }
});

app_test!(the_profile_can_be_changed, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    let mut client = app.browser();
    let auth = [("api_access_token", token.as_str())];
    let renamed = client
        .json(
            Method::PUT,
            "/api/v1/profile",
            &auth,
            json!({"profile": {"name": "Alex Morgan", "display_name": "Alex"}}),
        )
        .await;
    assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
    assert_eq!(renamed.json()["available_name"], "Alex");
    assert_eq!(renamed.json()["name"], "Alex Morgan");
    let wrong = client
        .json(
            Method::PUT,
            "/api/v1/profile",
            &auth,
            json!({"password": "new password 1", "current_password": "nope"}),
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(wrong.json()["errors"][0]["field"], "current_password");
    let blank = client
        .json(Method::PUT, "/api/v1/profile", &auth, json!({"name": "  "}))
        .await;
    assert_eq!(blank.json()["errors"][0]["field"], "name");
    let changed = client
        .json(
            Method::PUT,
            "/api/v1/profile",
            &auth,
            json!({"password": "new password 1", "current_password": "password123"}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK);
    assert_eq!(
        app.browser()
            .login("admin@acme.test", "password123")
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        app.browser()
            .login("admin@acme.test", "new password 1")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
});
