//! The caches of the hot read paths (credentials, roles, conversation and message views): a
//! change made through this instance shows on its next request, with the caches warm.
//! Across two instances sharing one PostgreSQL schema: see `hot_cache_instances`.

use axum::http::{Method, StatusCode};
use oxidesk::service::{AgentFields, MessageInput, ProfileChanges};
use oxidesk_domain::{MessageType, Role};
use serde_json::json;

use crate::api_conversations::desk;
use crate::app_test;
use crate::support::TestApp;

async fn get(app: &TestApp, token: &str, path: &str) -> crate::support::TestResponse {
    app.browser()
        .json(
            Method::GET,
            path,
            &[("api_access_token", token)],
            json!(null),
        )
        .await
}

async fn new_label(app: &TestApp, token: &str, account: i64, title: &str) -> StatusCode {
    app.browser()
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{account}/labels"),
            &[("api_access_token", token)],
            json!({"title": title}),
        )
        .await
        .status
}

app_test!(
    role_changes_and_removals_apply_at_once_with_warm_caches,
    |app| async move {
        let d = desk(&app).await;
        let account = d.account.id.get();
        let one = format!("/api/v1/accounts/{account}/conversations/1");
        // Warm the caches: the token's user and the agent's role.
        assert_eq!(get(&app, &d.agent_token, &one).await.status, StatusCode::OK);
        assert_eq!(
            new_label(&app, &d.agent_token, account, "vip").await,
            StatusCode::FORBIDDEN
        );

        let promote = AgentFields {
            role: Some(Role::Administrator),
            ..AgentFields::default()
        };
        app.services()
            .update_agent(d.account.id, d.agent.id, &promote)
            .await
            .unwrap();
        assert_eq!(
            new_label(&app, &d.agent_token, account, "vip").await,
            StatusCode::OK,
            "promoted: an administrator now"
        );

        let demote = AgentFields {
            role: Some(Role::Agent),
            ..AgentFields::default()
        };
        app.services()
            .update_agent(d.account.id, d.agent.id, &demote)
            .await
            .unwrap();
        assert_eq!(
            new_label(&app, &d.agent_token, account, "gold").await,
            StatusCode::FORBIDDEN,
            "demoted: an agent again at once"
        );

        assert_eq!(get(&app, &d.agent_token, &one).await.status, StatusCode::OK);
        app.services()
            .remove_agent(d.account.id, d.admin.id, d.agent.id)
            .await
            .unwrap();
        let removed = get(&app, &d.agent_token, &one).await;
        assert_eq!(removed.status, StatusCode::UNAUTHORIZED, "{}", removed.body);
        let messages = get(&app, &d.agent_token, &format!("{one}/messages")).await;
        assert_eq!(messages.status, StatusCode::UNAUTHORIZED);
    }
);

app_test!(
    a_signed_out_session_is_refused_at_once_by_the_api,
    |app| async move {
        let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        let mut browser = app.browser();
        browser.login("admin@acme.test", "password123").await;
        let profile = browser.get("/api/v1/profile").await;
        assert_eq!(profile.status, StatusCode::OK, "{}", profile.body);
        let conversations = format!("/api/v1/accounts/{}/conversations", account.id);
        assert_eq!(browser.get(&conversations).await.status, StatusCode::OK);
        let kept = browser.cookies.get("oxidesk_session").cloned().unwrap();

        let page = browser
            .get(&format!("/app/accounts/{}/conversations", account.id))
            .await;
        let csrf = crate::support::csrf_in(&page.body).unwrap();
        browser.post_form("/app/logout", &[("csrf", &csrf)]).await;
        browser.cookies.insert("oxidesk_session".into(), kept);
        assert_eq!(
            browser.get("/api/v1/profile").await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            browser.get(&conversations).await.status,
            StatusCode::UNAUTHORIZED
        );
    }
);

app_test!(
    profile_changes_show_at_once_through_a_cached_token,
    |app| async move {
        let d = desk(&app).await;
        let before = get(&app, &d.agent_token, "/api/v1/profile").await.json();
        assert_eq!(before["name"], "Test User");
        app.services()
            .update_profile(
                &d.agent,
                &ProfileChanges {
                    name: Some("Renamed Agent".into()),
                    ..ProfileChanges::default()
                },
            )
            .await
            .unwrap();
        let after = get(&app, &d.agent_token, "/api/v1/profile").await.json();
        assert_eq!(after["name"], "Renamed Agent");
        // Conversation 1 is assigned to the agent: its cached view shows the new name too.
        let one = get(
            &app,
            &d.admin_token,
            &format!("/api/v1/accounts/{}/conversations/1", d.account.id),
        )
        .await
        .json();
        assert_eq!(one["meta"]["assignee"]["name"], "Renamed Agent");
    }
);

app_test!(
    cached_conversations_and_messages_follow_writes,
    |app| async move {
        let d = desk(&app).await;
        let one = format!("/api/v1/accounts/{}/conversations/1", d.account.id);
        let first = get(&app, &d.agent_token, &one).await.json();
        let first_messages = get(&app, &d.agent_token, &format!("{one}/messages"))
            .await
            .json();
        assert_eq!(first_messages["payload"].as_array().unwrap().len(), 1);
        // The same again comes from the cache and is the same.
        assert_eq!(get(&app, &d.agent_token, &one).await.json(), first);

        let message = MessageInput {
            content: "A new reply".into(),
            message_type: MessageType::Outgoing,
            private: false,
            sender: Some(oxidesk_domain::Sender::User(d.admin.id)),
            source_id: None,
            content_type: oxidesk_domain::ContentType::Text,
            content_attributes: Default::default(),
        };
        app.services()
            .post_message(d.account.id, oxidesk_domain::DisplayId(1), &message)
            .await
            .unwrap();
        let after = get(&app, &d.agent_token, &one).await.json();
        assert_eq!(after["last_non_activity_message"]["content"], "A new reply");
        let messages = get(&app, &d.agent_token, &format!("{one}/messages"))
            .await
            .json();
        let payload = messages["payload"].as_array().unwrap();
        assert_eq!(payload.len(), 2);
        assert_eq!(payload[1]["content"], "A new reply");
        // Query parameters are part of what is cached.
        let first_id = payload[0]["id"].as_i64().unwrap();
        let after_first = get(
            &app,
            &d.agent_token,
            &format!("{one}/messages?after={first_id}"),
        )
        .await
        .json();
        assert_eq!(after_first["payload"].as_array().unwrap().len(), 1);

        // Another account's member gets nothing from the cache.
        let (other, _) = app.account_with_admin("Other", "boss@other.test").await;
        let _ = other;
        let outsider = app.token("boss@other.test").await;
        assert_eq!(
            get(&app, &outsider, &one).await.status,
            StatusCode::UNAUTHORIZED
        );
        assert_eq!(
            get(&app, &outsider, &format!("{one}/messages"))
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
);

/// A second instance (its own `Services`, caches and event listener) on the PostgreSQL schema
/// of `app`, and its router.
mod instances {
    use std::sync::Arc;
    use std::time::Duration;

    use axum::body::Body;
    use axum::http::{Method, Request, StatusCode};
    use http_body_util::BodyExt;
    use oxidesk::config::Config;
    use oxidesk::http::AppState;
    use oxidesk::service::{AgentFields, MessageInput, Services};
    use oxidesk_domain::{DisplayId, MessageType, Role, Sender};
    use oxidesk_store::{Backend, Store, StoreOptions};
    use serde_json::Value;
    use tower::ServiceExt;

    use crate::api_conversations::desk;
    use crate::support::TestApp;

    async fn call(
        router: &axum::Router,
        method: Method,
        path: &str,
        token: &str,
        body: &str,
    ) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header("api_access_token", token)
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        let response = router.clone().oneshot(request).await.unwrap();
        let status = response.status();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }

    /// Waits until `read` changes from `before` (an event was heard), for up to 10 s.
    async fn moved(before: u64, read: impl Fn() -> u64) {
        for _ in 0..200 {
            if read() != before {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the second instance never heard the event");
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_second_instance_follows_changes_through_events() {
        let Some(app) = TestApp::new(Backend::Postgres).await else {
            return;
        };
        let d = desk(&app).await;
        let account = d.account.id;
        let store = Store::connect(
            &app.db.url,
            &StoreOptions {
                max_connections: 5,
                schema: app.db.schema.clone(),
                ..StoreOptions::default()
            },
        )
        .await
        .unwrap();
        let b = Services::new(store, b"test-secret-key-of-at-least-32-bytes".to_vec());
        let router = oxidesk::http::router(AppState {
            services: b.clone(),
            config: Arc::new(Config::default()),
        });
        let one = format!("/api/v1/accounts/{account}/conversations/1");
        let labels = format!("/api/v1/accounts/{account}/labels");
        let a = app.services();
        let account_generation = || b.events.generations().get(account);
        let auth_generation = || b.events.generations().auth();

        // Warm B's caches.
        let (status, view) = call(&router, Method::GET, &one, &d.agent_token, "").await;
        assert_eq!(status, StatusCode::OK);
        let (status, _) = call(&router, Method::GET, &one, &d.agent_token, "").await;
        assert_eq!(status, StatusCode::OK);
        assert_ne!(view["last_non_activity_message"]["content"], "Sent from A");
        let body = r#"{"title": "vip"}"#;
        let (status, _) = call(&router, Method::POST, &labels, &d.agent_token, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN);

        // A message posted through A shows in B's view once B hears the event.
        let generation = account_generation();
        let message = MessageInput {
            content: "Sent from A".into(),
            message_type: MessageType::Outgoing,
            private: false,
            sender: Some(Sender::User(d.admin.id)),
            source_id: None,
            content_type: oxidesk_domain::ContentType::Text,
            content_attributes: Default::default(),
        };
        a.post_message(account, DisplayId(1), &message)
            .await
            .unwrap();
        moved(generation, account_generation).await;
        let (_, view) = call(&router, Method::GET, &one, &d.agent_token, "").await;
        assert_eq!(view["last_non_activity_message"]["content"], "Sent from A");

        // A role given through A applies on B once heard.
        let generation = auth_generation();
        let promote = AgentFields {
            role: Some(Role::Administrator),
            ..AgentFields::default()
        };
        a.update_agent(account, d.agent.id, &promote).await.unwrap();
        moved(generation, auth_generation).await;
        let (status, _) = call(&router, Method::POST, &labels, &d.agent_token, body).await;
        assert_eq!(status, StatusCode::OK);

        // A member removed through A is refused by B once heard.
        let generation = auth_generation();
        a.remove_agent(account, d.admin.id, d.agent.id)
            .await
            .unwrap();
        moved(generation, auth_generation).await;
        let (status, _) = call(&router, Method::GET, &one, &d.agent_token, "").await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);

        // A session ended through A is refused by B once heard.
        let login = a
            .login("admin@acme.test", "password123", "127.0.0.1")
            .await
            .unwrap();
        assert!(b.session(&login.session_token).await.unwrap().is_some());
        let generation = auth_generation();
        a.logout(&login.session_token).await.unwrap();
        moved(generation, auth_generation).await;
        assert!(b.session(&login.session_token).await.unwrap().is_none());
    }
}
