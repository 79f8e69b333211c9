//! The account-setup API: inboxes and inbox members here, with the fixture the other
//! `api_setup_*` modules share.

use axum::http::{Method, StatusCode};
use oxidesk_domain::{Account, Role, User};
use serde_json::{Value, json};

use crate::support::{TestApp, TestResponse};
use crate::{app_test, snapshot};

/// An account with an administrator and an agent, and a second account with its own
/// administrator; each with an API token.
pub struct Setup {
    pub account: Account,
    pub admin: User,
    pub agent: User,
    pub admin_token: String,
    pub agent_token: String,
    pub other: Account,
    pub other_admin: User,
}

impl Setup {
    pub async fn new(app: &TestApp) -> Self {
        let (account, admin) = app.account_with_admin("Acme", "admin@acme.test").await;
        let agent = app.member(&account, "agent@acme.test", Role::Agent).await;
        let (other, other_admin) = app.account_with_admin("Globex", "admin@globex.test").await;
        Self {
            admin_token: app.token("admin@acme.test").await,
            agent_token: app.token("agent@acme.test").await,
            account,
            admin,
            agent,
            other,
            other_admin,
        }
    }

    /// `/api/v1/accounts/{account}/{rest}`.
    pub fn path(&self, rest: &str) -> String {
        format!("/api/v1/accounts/{}/{rest}", self.account.id)
    }
}

/// Sends `body` as JSON with `token`.
pub async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Value,
) -> TestResponse {
    app.browser()
        .json(method, path, &[("api_access_token", token)], body)
        .await
}

/// Asserts a 422 whose first error names `field`.
pub fn assert_invalid(response: &TestResponse, field: &str) {
    assert_eq!(
        response.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        response.body
    );
    let body = response.json();
    assert_eq!(body["code"], "invalid", "{body}");
    assert_eq!(body["errors"][0]["field"], field, "{body}");
}

app_test!(
    inboxes_are_created_read_changed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let created = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": " Website ", "channel": {"type": "api", "webhook_url": "https://crm.example.com/hook"}}),
    )
    .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let inbox = created.json();
        assert!(inbox["hmac_token"].as_str().is_some_and(|t| t.len() == 24));
        assert!(
            inbox["inbox_identifier"]
                .as_str()
                .is_some_and(|t| !t.is_empty())
        );
        snapshot!("inbox_created", inbox);
        let id = inbox["id"].as_i64().unwrap();

        let list = call(&app, t, Method::GET, &s.path("inboxes"), json!(null)).await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.json()["payload"][0], inbox);

        let by_agent = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path(&format!("inboxes/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(by_agent.status, StatusCode::OK);
        let seen = by_agent.json();
        assert!(
            seen.get("hmac_token").is_none(),
            "agents never see the secret"
        );
        assert_eq!(seen["inbox_identifier"], inbox["inbox_identifier"]);
        let agents_list = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path("inboxes"),
            json!(null),
        )
        .await;
        snapshot!("inbox_list_for_an_agent", agents_list.json());

        let updated = call(
            &app,
            t,
            Method::PATCH,
            &s.path(&format!("inboxes/{id}")),
            json!({"name": "Web", "enable_auto_assignment": false,
               "channel": {"webhook_url": null, "hmac_mandatory": true}}),
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        let updated = updated.json();
        assert_eq!(
            updated["hmac_token"], inbox["hmac_token"],
            "the secret stays"
        );
        snapshot!("inbox_updated", updated);
        let untouched = call(
            &app,
            t,
            Method::PATCH,
            &s.path(&format!("inboxes/{id}")),
            json!({}),
        )
        .await;
        assert_eq!(untouched.json(), updated, "absent fields keep their value");

        let deleted = call(
            &app,
            t,
            Method::DELETE,
            &s.path(&format!("inboxes/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(deleted.json(), json!({}));
        let gone = call(
            &app,
            t,
            Method::GET,
            &s.path(&format!("inboxes/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
        assert_eq!(gone.json()["message"], "inbox not found");
    }
);

app_test!(inbox_input_is_validated, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let email = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "Mail", "channel": {"type": "email"}}),
    )
    .await;
    assert_invalid(&email, "channel.type");
    assert!(
        email.json()["message"].as_str().unwrap().contains("api"),
        "{}",
        email.body
    );
    let nameless = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"channel": {"type": "api"}}),
    )
    .await;
    assert_invalid(&nameless, "name");
    let bad_hook = call(
        &app,
        t,
        Method::POST,
        &s.path("inboxes"),
        json!({"name": "X", "channel": {"type": "api", "webhook_url": "javascript:alert(1)"}}),
    )
    .await;
    assert_invalid(&bad_hook, "channel.webhook_url");
    let list = call(&app, t, Method::GET, &s.path("inboxes"), json!(null)).await;
    assert_eq!(list.json(), json!({"payload": []}), "nothing was created");
});

app_test!(inbox_members_are_replaced_and_removed, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let kim = app.member(&s.account, "kim@acme.test", Role::Agent).await;
    let inbox = app
        .services()
        .create_api_inbox(s.account.id, "Support", None)
        .await
        .unwrap();
    let members = s.path(&format!("inbox_members/{}", inbox.id));
    let empty = call(&app, &s.agent_token, Method::GET, &members, json!(null)).await;
    assert_eq!(empty.json(), json!({"payload": []}));

    let added = call(
        &app,
        t,
        Method::POST,
        &s.path("inbox_members"),
        json!({"inbox_id": inbox.id, "user_ids": [kim.id, s.agent.id, kim.id]}),
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    snapshot!("inbox_members_set", added.json());
    let listed = call(&app, &s.agent_token, Method::GET, &members, json!(null)).await;
    assert_eq!(listed.json(), added.json());

    let replaced = call(
        &app,
        t,
        Method::PATCH,
        &s.path("inbox_members"),
        json!({"inbox_id": inbox.id.to_string(), "user_ids": [kim.id]}),
    )
    .await;
    assert_eq!(replaced.status, StatusCode::OK, "{}", replaced.body);
    let ids: Vec<_> = replaced.json()["payload"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, vec![kim.id.get()], "PATCH replaces the list");

    let outsider = call(
        &app,
        t,
        Method::POST,
        &s.path("inbox_members"),
        json!({"inbox_id": inbox.id, "user_ids": [s.agent.id, s.other_admin.id]}),
    )
    .await;
    assert_invalid(&outsider, "user_ids");
    let unchanged = call(&app, t, Method::GET, &members, json!(null)).await;
    assert_eq!(unchanged.json(), replaced.json(), "nothing changed");

    let removed = call(
        &app,
        t,
        Method::DELETE,
        &s.path("inbox_members"),
        json!({"inbox_id": inbox.id.to_string(), "user_ids": [kim.id, s.admin.id]}),
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(removed.json(), json!({}));
    let after = call(&app, t, Method::GET, &members, json!(null)).await;
    assert_eq!(after.json(), json!({"payload": []}));

    let missing = call(
        &app,
        t,
        Method::POST,
        &s.path("inbox_members"),
        json!({"inbox_id": inbox.id}),
    )
    .await;
    assert_invalid(&missing, "user_ids");
    let no_inbox = call(
        &app,
        t,
        Method::PATCH,
        &s.path("inbox_members"),
        json!({"user_ids": []}),
    )
    .await;
    assert_invalid(&no_inbox, "inbox_id");
});

app_test!(every_setup_change_publishes_an_event, |app| async move {
    let s = Setup::new(&app).await;
    let mut events = app.services().events.subscribe();
    crate::support::settled(&mut events).await; // what setting up published
    let t = &s.admin_token;
    let steps = [
        (Method::POST, "inboxes".to_owned(), json!({"name": "Web"})),
        (
            Method::PATCH,
            "inboxes/1".into(),
            json!({"name": "Website"}),
        ),
        (
            Method::POST,
            "inbox_members".into(),
            json!({"inbox_id": 1, "user_ids": [s.agent.id]}),
        ),
        (
            Method::DELETE,
            "inbox_members".into(),
            json!({"inbox_id": 1, "user_ids": [s.agent.id]}),
        ),
        (Method::DELETE, "inboxes/1".into(), json!(null)),
        (Method::POST, "labels".into(), json!({"title": "vip"})),
        (Method::PATCH, "labels/1".into(), json!({"title": "gold"})),
        (Method::DELETE, "labels/1".into(), json!(null)),
        (Method::POST, "teams".into(), json!({"name": "billing"})),
        (Method::PATCH, "teams/1".into(), json!({"name": "sales"})),
        (
            Method::POST,
            "teams/1/team_members".into(),
            json!({"user_ids": [s.agent.id]}),
        ),
        (Method::DELETE, "teams/1".into(), json!(null)),
        (
            Method::POST,
            "agents".into(),
            json!({"name": "Kim", "email": "kim@acme.test", "role": "agent"}),
        ),
        (
            Method::PATCH,
            format!("agents/{}", s.agent.id),
            json!({"availability": "online"}),
        ),
        (
            Method::DELETE,
            format!("agents/{}", s.agent.id),
            json!(null),
        ),
        (
            Method::POST,
            "custom_attribute_definitions".into(),
            json!({"attribute_key": "plan", "attribute_display_name": "Plan"}),
        ),
        (
            Method::PATCH,
            "custom_attribute_definitions/1".into(),
            json!({"attribute_display_name": "Plan name"}),
        ),
        (
            Method::DELETE,
            "custom_attribute_definitions/1".into(),
            json!(null),
        ),
    ];
    for (method, path, body) in steps {
        let response = call(&app, t, method.clone(), &s.path(&path), body).await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "{method} {path}: {}",
            response.body
        );
    }
    let mut names = Vec::new();
    for event in crate::support::settled(&mut events).await {
        assert_eq!(event.account_id, s.account.id);
        names.push(event.name.clone());
    }
    assert_eq!(
        names,
        [
            "inbox.created",
            "inbox.updated",
            "inbox.members_updated",
            "inbox.members_updated",
            "inbox.deleted",
            "label.created",
            "label.updated",
            "label.deleted",
            "team.created",
            "team.updated",
            "team.members_updated",
            "team.deleted",
            "agent.created",
            "agent.updated",
            "agent.deleted",
            "custom_attribute_definition.created",
            "custom_attribute_definition.updated",
            "custom_attribute_definition.deleted",
        ]
    );
});
