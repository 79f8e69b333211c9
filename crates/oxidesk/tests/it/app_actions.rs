//! The server side of the apps' two-way protocol: every action with and without its scope, as
//! the dashboard forwards them (session + CSRF), the activity lines, the audit log (API,
//! filters, administrators only), settings validation, and the data an administrator
//! withholds, absent from what the app gets and covered by its token.

use axum::http::{Method, StatusCode};
use oxidesk::service::{ContactInput, StartConversation, value_hash};
use serde_json::{Value, json};

use crate::app_test;
use crate::support::{Browser, TestApp, TestResponse};

struct Setup {
    account: i64,
    conversation: i64,
    contact: i64,
    token: String,
}

async fn setup(app: &TestApp) -> Setup {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let services = app.services();
    let inbox = services
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    let ada = services
        .create_contact(
            account.id,
            &ContactInput {
                name: Some("Ada".into()),
                email: Some("ada@example.com".into()),
                phone_number: Some("+14155550123".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let conversation = services
        .start_conversation(account.id, &StartConversation::new(inbox.id, ada.id))
        .await
        .unwrap();
    for label in ["vip", "billing"] {
        services
            .create_label(account.id, label, "", "#ff0000")
            .await
            .unwrap();
    }
    Setup {
        account: account.id.get(),
        conversation: conversation.display_id.get(),
        contact: ada.id.get(),
        token: app.token("admin@acme.test").await,
    }
}

/// Registers an app with `settings`; its id.
async fn register(app: &TestApp, s: &Setup, title: &str, settings: Value) -> i64 {
    let created = app
        .browser()
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/dashboard_apps", s.account),
            &[("api_access_token", &s.token)],
            json!({"title": title, "content": [{"type": "frame", "url": "https://orders.example.com/agent"}], "settings": settings}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    created.json()["id"].as_i64().unwrap()
}

/// A signed-in dashboard: the browser and the page's CSRF token.
async fn dashboard<'a>(app: &'a TestApp, s: &Setup) -> (Browser<'a>, String) {
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let page = browser
        .get(&format!(
            "/app/accounts/{}/conversations/{}",
            s.account, s.conversation
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let csrf = page
        .body
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries its CSRF token")
        .to_owned();
    (browser, csrf)
}

/// Whether `html` shows `text` escaped (in either of the usual forms) and never raw.
fn escaped(html: &str, text: &str) -> bool {
    let named = text.replace('<', "&lt;").replace('>', "&gt;");
    let numeric = text.replace('<', "&#60;").replace('>', "&#62;");
    !html.contains(text) && (html.contains(&named) || html.contains(&numeric))
}

async fn act(
    browser: &mut Browser<'_>,
    csrf: &str,
    s: &Setup,
    app_id: i64,
    method: &str,
    params: Value,
) -> TestResponse {
    browser
        .json(
            Method::POST,
            &format!(
                "/app/accounts/{}/conversations/{}/apps/{app_id}/actions",
                s.account, s.conversation
            ),
            &[("x-csrf-token", csrf)],
            json!({"method": method, "params": params}),
        )
        .await
}

async fn audit(app: &TestApp, s: &Setup, query: &str) -> Vec<Value> {
    let response = app
        .browser()
        .json(
            Method::GET,
            &format!("/api/v1/accounts/{}/dashboard_apps/audit{query}", s.account),
            &[("api_access_token", &s.token)],
            Value::Null,
        )
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    response.json()["payload"].as_array().unwrap().clone()
}

async fn conversation(app: &TestApp, s: &Setup) -> Value {
    let response = app
        .browser()
        .json(
            Method::GET,
            &format!(
                "/api/v1/accounts/{}/conversations/{}",
                s.account, s.conversation
            ),
            &[("api_access_token", &s.token)],
            Value::Null,
        )
        .await;
    response.json()
}

async fn messages(app: &TestApp, s: &Setup) -> Vec<Value> {
    let response = app
        .browser()
        .json(
            Method::GET,
            &format!(
                "/api/v1/accounts/{}/conversations/{}/messages",
                s.account, s.conversation
            ),
            &[("api_access_token", &s.token)],
            Value::Null,
        )
        .await;
    response.json()["payload"].as_array().unwrap().clone()
}

/// Every action, with the scope it needs: params, and a check of what it did.
fn every_action() -> Vec<(&'static str, &'static str, Value)> {
    vec![
        (
            "reply.insert",
            "reply.insert",
            json!({"text": "Your order shipped"}),
        ),
        (
            "note.create",
            "note.create",
            json!({"content": "Order #1001: paid"}),
        ),
        (
            "labels.add",
            "labels.write",
            json!({"labels": ["vip", "billing"]}),
        ),
        (
            "labels.remove",
            "labels.write",
            json!({"labels": ["billing"]}),
        ),
        ("status.set", "status.write", json!({"status": "pending"})),
        (
            "conversation.attributes.set",
            "conversation_attributes.write",
            json!({"attributes": {"order_id": "1001"}}),
        ),
        (
            "contact.attributes.set",
            "contact_attributes.write",
            json!({"attributes": {"tier": "gold"}}),
        ),
    ]
}

app_test!(
    an_action_without_its_scope_is_refused_and_logged,
    |app| async move {
        let s = setup(&app).await;
        let bare = register(&app, &s, "Bare", json!({})).await;
        let (mut browser, csrf) = dashboard(&app, &s).await;
        for (method, scope, params) in every_action() {
            let response = act(&mut browser, &csrf, &s, bare, method, params).await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{method}: {}",
                response.body
            );
            let error = &response.json()["error"];
            assert_eq!(error["code"], "missing_scope", "{method}");
            let message = error["message"].as_str().unwrap();
            assert!(
                message.contains(&format!("'{scope}'")),
                "{method}: {message}"
            );
            assert!(
                message.contains("Settings > Integrations > Dashboard apps"),
                "{message}"
            );
        }
        // Nothing changed.
        let after = conversation(&app, &s).await;
        assert_eq!(after["labels"], json!([]));
        assert_eq!(after["status"], "open");
        assert!(
            messages(&app, &s)
                .await
                .iter()
                .all(|m| m["private"] != true),
            "no note was written"
        );
        // Every refusal is in the audit log, newest first.
        let log = audit(&app, &s, "?outcome=denied").await;
        let methods: Vec<&str> = log.iter().map(|e| e["action"].as_str().unwrap()).collect();
        let mut expected: Vec<&str> = every_action().iter().map(|(m, _, _)| *m).collect();
        expected.reverse();
        assert_eq!(methods, expected);
        assert!(
            log.iter()
                .all(|e| e["app_id"] == bare && e["app_title"] == "Bare")
        );
        assert!(log.iter().all(|e| e["conversation_id"] == s.conversation));
    }
);

app_test!(
    every_action_with_its_scope_is_done_logged_and_shown,
    |app| async move {
        let s = setup(&app).await;
        let scopes: Vec<&str> = every_action().iter().map(|(_, scope, _)| *scope).collect();
        let crm = register(&app, &s, "CRM", json!({"scopes": scopes})).await;
        let (mut browser, csrf) = dashboard(&app, &s).await;
        let mut results = Vec::new();
        for (method, _, params) in every_action() {
            let response = act(&mut browser, &csrf, &s, crm, method, params).await;
            assert_eq!(
                response.status,
                StatusCode::OK,
                "{method}: {}",
                response.body
            );
            assert_eq!(response.json()["ok"], true);
            results.push(response.json()["result"].clone());
        }
        assert_eq!(results[0], json!({"inserted": true}));
        let note = &results[1]["message"];
        assert_eq!(note["content"], "Order #1001: paid");
        assert_eq!(note["private"], true);
        assert_eq!(note["content_attributes"]["dashboard_app"]["title"], "CRM");
        assert_eq!(results[2]["labels"], json!(["billing", "vip"]));
        assert_eq!(results[3]["labels"], json!(["vip"]));
        assert_eq!(results[4]["status"], "pending");
        assert_eq!(results[5]["custom_attributes"]["order_id"], "1001");
        assert_eq!(results[6]["custom_attributes"]["tier"], "gold");

        let after = conversation(&app, &s).await;
        assert_eq!(after["labels"], json!(["vip"]));
        assert_eq!(after["status"], "pending");
        assert_eq!(after["custom_attributes"]["order_id"], "1001");
        let contact = app
            .browser()
            .json(
                Method::GET,
                &format!("/api/v1/accounts/{}/contacts/{}", s.account, s.contact),
                &[("api_access_token", &s.token)],
                Value::Null,
            )
            .await;
        assert_eq!(
            contact.json()["payload"]["custom_attributes"]["tier"],
            "gold"
        );

        // Activity lines name the app and the agent; the note is the agent's, marked as the app's.
        let thread = messages(&app, &s).await;
        let lines: Vec<&str> = thread
            .iter()
            .filter(|m| m["message_type"] == 2)
            .map(|m| m["content"].as_str().unwrap())
            .collect();
        for expected in [
            "CRM added the labels vip, billing for",
            "CRM removed the label billing for",
            "Conversation was marked pending by",
            "CRM set the conversation's attribute order_id for",
            "CRM set the contact's attribute tier for",
        ] {
            assert!(
                lines.iter().any(|l| l.starts_with(expected)),
                "missing {expected:?} in {lines:?}"
            );
        }
        assert!(lines.iter().any(|l| l.ends_with("via CRM")), "{lines:?}");
        assert!(
            !lines.iter().any(|l| l.contains("reply")),
            "inserting into the reply box changes nothing: {lines:?}"
        );

        let log = audit(&app, &s, &format!("?app_id={crm}&outcome=done")).await;
        assert_eq!(log.len(), every_action().len());
        assert_eq!(log[0]["action"], "contact.attributes.set");
        assert_eq!(log[0]["params"], json!({"attributes": {"tier": "gold"}}));
        assert_eq!(log[0]["contact_id"], s.contact);
        let by_action = audit(&app, &s, "?action=labels.add").await;
        assert_eq!(by_action.len(), 1);
        assert_eq!(by_action[0]["outcome"], "done");
    }
);

app_test!(bad_params_name_their_field, |app| async move {
    let s = setup(&app).await;
    let crm = register(
        &app,
        &s,
        "CRM",
        json!({"scopes": ["labels.write", "status.write", "note.create", "reply.insert"]}),
    )
    .await;
    let (mut browser, csrf) = dashboard(&app, &s).await;
    let long = "x".repeat(10_001);
    for (method, params, field, status) in [
        (
            "labels.add",
            json!({"labels": ["vip", "nope"]}),
            "labels[1]",
            422,
        ),
        ("labels.add", json!({}), "labels", 422),
        ("labels.add", json!({"labels": [3]}), "labels[0]", 422),
        ("status.set", json!({"status": "done"}), "status", 422),
        ("note.create", json!({"content": ""}), "content", 422),
        ("note.create", json!({"content": long}), "content", 422),
        ("reply.insert", json!({"text": 5}), "text", 422),
        ("labels.add", json!(["vip"]), "params", 422),
    ] {
        let response = act(&mut browser, &csrf, &s, crm, method, params).await;
        assert_eq!(
            response.status.as_u16(),
            status,
            "{method}: {}",
            response.body
        );
        let error = &response.json()["error"];
        assert_eq!(error["code"], "invalid_params", "{method}");
        assert_eq!(error["field"], field, "{method}: {error}");
    }
    let unknown = act(
        &mut browser,
        &csrf,
        &s,
        crm,
        "conversation.delete",
        json!({}),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert_eq!(unknown.json()["error"]["code"], "unknown_method");
    assert!(
        unknown.json()["error"]["message"]
            .as_str()
            .unwrap()
            .contains("labels.add")
    );
    let gone = act(
        &mut browser,
        &csrf,
        &s,
        9_999,
        "labels.add",
        json!({"labels": ["vip"]}),
    )
    .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    // Without the page's CSRF token (another site posting with the cookie): refused.
    let forged = act(
        &mut browser,
        "wrong",
        &s,
        crm,
        "labels.add",
        json!({"labels": ["vip"]}),
    )
    .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(conversation(&app, &s).await["labels"], json!([]));
    let invalid = audit(&app, &s, "?outcome=invalid").await;
    assert_eq!(invalid.len(), 9, "every refused request is logged");
});

app_test!(the_audit_log_is_for_administrators, |app| async move {
    let s = setup(&app).await;
    let account = app
        .services()
        .store
        .account(oxidesk_domain::AccountId(s.account))
        .await
        .unwrap();
    app.member(&account, "sam@acme.test", oxidesk_domain::Role::Agent)
        .await;
    let agent = app.token("sam@acme.test").await;
    let response = app
        .browser()
        .json(
            Method::GET,
            &format!("/api/v1/accounts/{}/dashboard_apps/audit", s.account),
            &[("api_access_token", &agent)],
            Value::Null,
        )
        .await;
    assert_eq!(response.status, StatusCode::FORBIDDEN);
    let bad = app
        .browser()
        .json(
            Method::GET,
            &format!(
                "/api/v1/accounts/{}/dashboard_apps/audit?outcome=maybe",
                s.account
            ),
            &[("api_access_token", &s.token)],
            Value::Null,
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("outcome"), "{}", bad.body);
});

app_test!(settings_are_validated_and_round_trip, |app| async move {
    let s = setup(&app).await;
    let path = format!("/api/v1/accounts/{}/dashboard_apps", s.account);
    let bad = app
        .browser()
        .json(
            Method::POST,
            &path,
            &[("api_access_token", &s.token)],
            json!({"title": "X", "content": [{"type": "frame", "url": "https://x.example"}],
                   "settings": {"scopes": ["note.create", "root"], "visibility": {"inbox_ids": [9999]}}}),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    assert!(bad.body.contains("settings.scopes[1]"), "{}", bad.body);
    let id = register(
        &app,
        &s,
        "CRM",
        json!({"scopes": ["note.create"], "withheld": ["contact_email"]}),
    )
    .await;
    let changed = app
        .browser()
        .json(
            Method::PATCH,
            &format!("{path}/{id}"),
            &[("api_access_token", &s.token)],
            json!({"settings": {"withheld": ["contact_phone", "message_content"]}}),
        )
        .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    let settings = &changed.json()["settings"];
    assert_eq!(
        settings["scopes"],
        json!(["note.create"]),
        "parts not given stay"
    );
    assert_eq!(
        settings["withheld"],
        json!(["contact_phone", "message_content"])
    );
    assert_eq!(settings["placements"], json!(["conversation_tab"]));
    assert_eq!(settings["lifecycle"], "per_conversation");
});

app_test!(
    withheld_data_is_absent_and_signed_as_sent,
    |app| async move {
        let s = setup(&app).await;
        app.services()
            .post_message(
                oxidesk_domain::AccountId(s.account),
                oxidesk_domain::DisplayId(s.conversation),
                &oxidesk::service::MessageInput {
                    content: "My card number is secret".into(),
                    message_type: oxidesk_domain::MessageType::Incoming,
                    private: false,
                    sender: None,
                    source_id: None,
                    content_type: oxidesk_domain::ContentType::Text,
                    content_attributes: Default::default(),
                },
            )
            .await
            .unwrap();
        let open = register(&app, &s, "Open", json!({})).await;
        let private = register(
            &app,
            &s,
            "Private",
            json!({"withheld": ["message_content", "contact_email", "contact_phone"]}),
        )
        .await;
        let (mut browser, _) = dashboard(&app, &s).await;
        let fresh = browser
            .get(&format!(
                "/app/accounts/{}/conversations/{}/context",
                s.account, s.conversation
            ))
            .await
            .json();
        let shared = &fresh["data"];
        assert_eq!(shared["contact"]["email"], "ada@example.com");
        assert!(shared.to_string().contains("My card number is secret"));
        assert!(
            fresh["views"].get(open.to_string()).is_none(),
            "the open app gets the shared data"
        );
        let view = &fresh["views"][private.to_string()];
        let text = view.to_string();
        assert!(!text.contains("My card number"), "{text}");
        assert!(
            !text.contains("ada@example.com") && !text.contains("+14155550123"),
            "{text}"
        );
        assert!(
            view["contact"].get("email").is_none(),
            "absent, not emptied"
        );
        assert!(
            view["conversation"]["meta"]["sender"]
                .get("phone_number")
                .is_none()
        );
        let messages = view["conversation"]["messages"].as_array().unwrap();
        assert!(!messages.is_empty() && messages.iter().all(|m| m.get("content").is_none()));
        assert_eq!(view["contact"]["name"], "Ada", "the rest stays");
        // Each token's hash covers what its app receives.
        let claims = |token: &str| -> Value {
            use base64::Engine;
            let payload = token.split('.').nth(1).unwrap();
            let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(payload)
                .unwrap();
            serde_json::from_slice(&bytes).unwrap()
        };
        let private_token = fresh["tokens"][private.to_string()]["light"]
            .as_str()
            .unwrap();
        assert_eq!(
            claims(private_token)["data_sha256"],
            value_hash(view, "light")
        );
        let open_token = fresh["tokens"][open.to_string()]["dark"].as_str().unwrap();
        assert_eq!(
            claims(open_token)["data_sha256"],
            value_hash(shared, "dark")
        );
    }
);

app_test!(
    the_dashboard_shows_the_log_and_the_apps_notes,
    |app| async move {
        let s = setup(&app).await;
        let crm = register(&app, &s, "CRM <b>", json!({"scopes": ["note.create"]})).await;
        let (mut browser, csrf) = dashboard(&app, &s).await;
        let done = act(
            &mut browser,
            &csrf,
            &s,
            crm,
            "note.create",
            json!({"content": "Paid <script>"}),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        let refused = act(
            &mut browser,
            &csrf,
            &s,
            crm,
            "labels.add",
            json!({"labels": ["vip"]}),
        )
        .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);

        let page = browser
            .get(&format!(
                "/app/accounts/{}/conversations/{}",
                s.account, s.conversation
            ))
            .await;
        assert!(
            escaped(&page.body, "via CRM <b>"),
            "the note names its app, escaped"
        );
        assert!(escaped(&page.body, "Paid <script>"));

        let base = format!(
            "/app/accounts/{}/settings/integrations/dashboard_apps/audit",
            s.account
        );
        let log = browser.get(&base).await;
        assert_eq!(log.status, StatusCode::OK);
        assert!(log.body.contains("note.create") && log.body.contains("labels.add"));
        assert!(escaped(&log.body, "CRM <b>"), "titles are escaped");
        assert!(log.body.contains("outcome-denied") && log.body.contains("outcome-done"));
        let denied = browser.get(&format!("{base}?outcome=denied")).await;
        assert!(denied.body.contains("labels.add"));
        assert!(
            !denied.body.contains("<code>note.create</code>"),
            "filtered out"
        );
        let bad = browser.get(&format!("{base}?outcome=maybe")).await;
        assert_eq!(bad.status, StatusCode::BAD_REQUEST);

        let account = app
            .services()
            .store
            .account(oxidesk_domain::AccountId(s.account))
            .await
            .unwrap();
        app.member(&account, "sam@acme.test", oxidesk_domain::Role::Agent)
            .await;
        let mut agent = app.browser();
        agent.login("sam@acme.test", "password123").await;
        let refused = agent.get(&base).await;
        assert_ne!(refused.status, StatusCode::OK, "agents do not read the log");
        assert!(!refused.body.contains("note.create"));
    }
);

app_test!(an_app_acts_only_where_it_appears, |app| async move {
    let s = setup(&app).await;
    let admins_only = register(
        &app,
        &s,
        "Admins only",
        json!({"scopes": ["labels.write"], "visibility": {"roles": ["administrator"]}}),
    )
    .await;
    let account = app
        .services()
        .store
        .account(oxidesk_domain::AccountId(s.account))
        .await
        .unwrap();
    app.member(&account, "sam@acme.test", oxidesk_domain::Role::Agent)
        .await;
    let mut agent = app.browser();
    agent.login("sam@acme.test", "password123").await;
    let page = agent
        .get(&format!(
            "/app/accounts/{}/conversations/{}",
            s.account, s.conversation
        ))
        .await;
    let csrf = page
        .body
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap()
        .to_owned();
    let refused = act(
        &mut agent,
        &csrf,
        &s,
        admins_only,
        "labels.add",
        json!({"labels": ["vip"]}),
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "forbidden");
    assert_eq!(conversation(&app, &s).await["labels"], json!([]));
    // The administrator, whom it is shown to, may.
    let (mut admin, admin_csrf) = dashboard(&app, &s).await;
    let done = act(
        &mut admin,
        &admin_csrf,
        &s,
        admins_only,
        "labels.add",
        json!({"labels": ["vip"]}),
    )
    .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    let log = audit(&app, &s, "?outcome=denied").await;
    assert_eq!(log.len(), 1);
    assert!(
        log[0]["detail"]
            .as_str()
            .unwrap()
            .contains("not shown to you")
    );
});
