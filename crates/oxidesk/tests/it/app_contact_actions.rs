//! Apps' actions on a contact's page (placement `contact_tab`,
//! `POST /app/accounts/{id}/contacts/{contact_id}/apps/{app_id}/actions`): only
//! `contact.attributes.set` makes sense there; it needs its scope, an app shown on contact pages
//! to this agent, the session's CSRF token, and a contact of the account; each attempt is in
//! the audit log with the contact and no conversation.

use axum::http::{Method, StatusCode};
use oxidesk::service::ContactInput;
use serde_json::{Value, json};

use crate::app_test;
use crate::support::{Browser, TestApp, TestResponse};

struct Setup {
    account: i64,
    contact: i64,
    token: String,
}

async fn setup(app: &TestApp) -> Setup {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let ada = app
        .services()
        .create_contact(
            account.id,
            &ContactInput {
                name: Some("Ada".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    Setup {
        account: account.id.get(),
        contact: ada.id.get(),
        token: app.token("admin@acme.test").await,
    }
}

async fn register(app: &TestApp, s: &Setup, title: &str, settings: Value) -> i64 {
    let created = app
        .browser()
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/dashboard_apps", s.account),
            &[("api_access_token", &s.token)],
            json!({"title": title, "content": [{"type": "frame", "url": "https://crm.example.com/"}], "settings": settings}),
        )
        .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    created.json()["id"].as_i64().unwrap()
}

/// The signed-in contact page: the browser and the page's CSRF token.
async fn contact_page<'a>(app: &'a TestApp, s: &Setup) -> (Browser<'a>, String) {
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let page = browser
        .get(&format!(
            "/app/accounts/{}/contacts/{}",
            s.account, s.contact
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page
        .body
        .split("name=\"csrf-token\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("the page carries its CSRF token")
        .to_owned();
    (browser, csrf)
}

async fn act(
    browser: &mut Browser<'_>,
    csrf: &str,
    path: &str,
    method: &str,
    params: Value,
) -> TestResponse {
    browser
        .json(
            Method::POST,
            path,
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

app_test!(
    contact_tab_apps_set_contact_attributes_and_nothing_else,
    |app| async move {
        let s = setup(&app).await;
        let crm = register(
            &app,
            &s,
            "CRM",
            json!({"placements": ["contact_tab"], "scopes": ["contact_attributes.write", "labels.write", "reply.insert"]}),
        )
        .await;
        let unscoped = register(&app, &s, "Viewer", json!({"placements": ["contact_tab"]})).await;
        let elsewhere = register(
            &app,
            &s,
            "Tab",
            json!({"placements": ["conversation_tab"], "scopes": ["contact_attributes.write"]}),
        )
        .await;
        let (mut browser, csrf) = contact_page(&app, &s).await;
        let path = |app_id: i64| {
            format!(
                "/app/accounts/{}/contacts/{}/apps/{app_id}/actions",
                s.account, s.contact
            )
        };

        // Granted, on the app's own placement: done, on the contact.
        let done = act(
            &mut browser,
            &csrf,
            &path(crm),
            "contact.attributes.set",
            json!({"attributes": {"tier": "gold"}}),
        )
        .await;
        assert_eq!(done.status, StatusCode::OK, "{}", done.body);
        assert_eq!(done.json()["ok"], true);
        assert_eq!(done.json()["result"]["custom_attributes"]["tier"], "gold");
        let contact = app
            .services()
            .contact(
                oxidesk_domain::AccountId(s.account),
                oxidesk_domain::ContactId(s.contact),
            )
            .await
            .unwrap();
        assert_eq!(contact.custom_attributes["tier"], "gold");

        // Actions about a conversation: refused, saying why, even with their scope.
        for (method, params) in [
            ("labels.add", json!({"labels": ["vip"]})),
            ("reply.insert", json!({"text": "hello"})),
        ] {
            let refused = act(&mut browser, &csrf, &path(crm), method, params).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
            let error = &refused.json()["error"];
            assert_eq!(error["code"], "forbidden");
            assert!(
                error["message"]
                    .as_str()
                    .unwrap()
                    .contains("contact.attributes.set"),
                "{error}"
            );
        }
        // Without the scope; an app not placed on contact pages; bad parameters.
        let missing = act(
            &mut browser,
            &csrf,
            &path(unscoped),
            "contact.attributes.set",
            json!({"attributes": {"tier": "x"}}),
        )
        .await;
        assert_eq!(missing.status, StatusCode::FORBIDDEN);
        assert_eq!(missing.json()["error"]["code"], "missing_scope");
        let not_here = act(
            &mut browser,
            &csrf,
            &path(elsewhere),
            "contact.attributes.set",
            json!({"attributes": {"tier": "x"}}),
        )
        .await;
        assert_eq!(not_here.status, StatusCode::FORBIDDEN);
        assert_eq!(not_here.json()["error"]["code"], "forbidden");
        let bad = act(
            &mut browser,
            &csrf,
            &path(crm),
            "contact.attributes.set",
            json!({"attributes": []}),
        )
        .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["error"]["field"], "attributes");
        // A contact of no account of this member: not found, nothing written.
        let gone = act(
            &mut browser,
            &csrf,
            &format!(
                "/app/accounts/{}/contacts/999999/apps/{crm}/actions",
                s.account
            ),
            "contact.attributes.set",
            json!({"attributes": {"tier": "x"}}),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{}", gone.body);
        // Without the CSRF token: refused before anything.
        let forged = act(
            &mut browser,
            "wrong",
            &path(crm),
            "contact.attributes.set",
            json!({"attributes": {"tier": "forged"}}),
        )
        .await;
        assert!(forged.status.is_client_error(), "{}", forged.status);
        let contact = app
            .services()
            .contact(
                oxidesk_domain::AccountId(s.account),
                oxidesk_domain::ContactId(s.contact),
            )
            .await
            .unwrap();
        assert_eq!(contact.custom_attributes["tier"], "gold");

        // The audit log: every attempt, with the contact and no conversation.
        let log = audit(&app, &s, &format!("?app_id={crm}")).await;
        assert_eq!(log.len(), 5, "{log:#?}");
        let done: Vec<&Value> = log.iter().filter(|e| e["outcome"] == "done").collect();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0]["action"], "contact.attributes.set");
        assert_eq!(done[0]["contact_id"], s.contact);
        assert!(done[0]["conversation_id"].is_null(), "{}", done[0]);
        assert!(
            log.iter()
                .any(|e| e["outcome"] == "denied" && e["action"] == "labels.add")
        );
        let gone_entry = log
            .iter()
            .find(|e| e["outcome"] == "invalid" && e["contact_id"].is_null())
            .expect("the unknown contact's attempt, without a contact");
        assert_eq!(gone_entry["action"], "contact.attributes.set");
    }
);
