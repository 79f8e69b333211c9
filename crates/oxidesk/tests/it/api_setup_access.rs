//! The account-setup API's access rules: agents read but never write; another account's ids
//! are not found.

use axum::http::{Method, StatusCode};
use oxidesk::service::AttributeInput;
use oxidesk_domain::{AttributeDisplayType, AttributeModel, UserId};
use serde_json::{Value, json};

use crate::api_setup::{Setup, call};
use crate::app_test;

/// One of each setup object in `account`: inbox, label, team, attribute ids.
async fn objects(app: &crate::support::TestApp, account: oxidesk_domain::AccountId) -> [i64; 4] {
    let services = app.services();
    let inbox = services
        .create_api_inbox(account, "Support", None)
        .await
        .unwrap();
    let label = services
        .create_label(account, "vip", "", "#ff0000")
        .await
        .unwrap();
    let team = services
        .create_team(account, "billing", "", &[])
        .await
        .unwrap();
    let attr = services
        .create_attribute_definition(
            account,
            &AttributeInput {
                key: "plan",
                display_name: "Plan",
                display_type: AttributeDisplayType::Text,
                model: AttributeModel::Contact,
                description: "",
                values: vec![],
            },
        )
        .await
        .unwrap();
    [inbox.id.get(), label.id.get(), team.id.get(), attr.id.get()]
}

/// Every write of the setup API on the objects `[inbox, label, team, attr]`, aimed at `user`.
fn writes([inbox, label, team, attr]: [i64; 4], user: UserId) -> Vec<(Method, String, Value)> {
    let members = json!({"inbox_id": inbox, "user_ids": [user]});
    let team_members = json!({"user_ids": [user]});
    vec![
        (Method::POST, "inboxes".into(), json!({"name": "New"})),
        (
            Method::PATCH,
            format!("inboxes/{inbox}"),
            json!({"name": "Renamed"}),
        ),
        (Method::DELETE, format!("inboxes/{inbox}"), json!(null)),
        (Method::POST, "inbox_members".into(), members.clone()),
        (Method::PATCH, "inbox_members".into(), members.clone()),
        (Method::DELETE, "inbox_members".into(), members),
        (Method::POST, "labels".into(), json!({"title": "new"})),
        (
            Method::PATCH,
            format!("labels/{label}"),
            json!({"title": "renamed"}),
        ),
        (Method::DELETE, format!("labels/{label}"), json!(null)),
        (Method::POST, "teams".into(), json!({"name": "new"})),
        (
            Method::PATCH,
            format!("teams/{team}"),
            json!({"name": "renamed"}),
        ),
        (Method::DELETE, format!("teams/{team}"), json!(null)),
        (
            Method::POST,
            format!("teams/{team}/team_members"),
            team_members.clone(),
        ),
        (
            Method::PATCH,
            format!("teams/{team}/team_members"),
            team_members.clone(),
        ),
        (
            Method::DELETE,
            format!("teams/{team}/team_members"),
            team_members,
        ),
        (
            Method::POST,
            "agents".into(),
            json!({"name": "New", "email": "new@acme.test", "role": "agent"}),
        ),
        (
            Method::PATCH,
            format!("agents/{user}"),
            json!({"role": "agent"}),
        ),
        (Method::DELETE, format!("agents/{user}"), json!(null)),
        (
            Method::POST,
            "custom_attribute_definitions".into(),
            json!({"attribute_key": "new", "attribute_display_name": "New"}),
        ),
        (
            Method::PATCH,
            format!("custom_attribute_definitions/{attr}"),
            json!({"attribute_display_name": "Renamed"}),
        ),
        (
            Method::DELETE,
            format!("custom_attribute_definitions/{attr}"),
            json!(null),
        ),
    ]
}

app_test!(agents_read_setup_but_cannot_change_it, |app| async move {
    let s = Setup::new(&app).await;
    let ids = objects(&app, s.account.id).await;
    let [inbox, label, team, attr] = ids;
    let writes = writes(ids, s.admin.id);
    assert_eq!(writes.len(), 21);
    for (method, path, body) in writes {
        let response = call(&app, &s.agent_token, method.clone(), &s.path(&path), body).await;
        assert_eq!(
            response.status,
            StatusCode::FORBIDDEN,
            "{method} {path}: {}",
            response.body
        );
        assert_eq!(response.json()["code"], "forbidden");
    }
    for path in [
        "inboxes".to_owned(),
        format!("inboxes/{inbox}"),
        format!("inbox_members/{inbox}"),
        "labels".into(),
        format!("labels/{label}"),
        "teams".into(),
        format!("teams/{team}"),
        format!("teams/{team}/team_members"),
        "agents".into(),
        "custom_attribute_definitions".into(),
        format!("custom_attribute_definitions/{attr}"),
    ] {
        let response = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path(&path),
            json!(null),
        )
        .await;
        assert_eq!(
            response.status,
            StatusCode::OK,
            "GET {path}: {}",
            response.body
        );
    }
    let labels = call(
        &app,
        &s.admin_token,
        Method::GET,
        &s.path("labels"),
        json!(null),
    )
    .await;
    assert_eq!(
        labels.json()["payload"][0]["title"],
        "vip",
        "nothing changed"
    );
    let agents = call(
        &app,
        &s.admin_token,
        Method::GET,
        &s.path("agents"),
        json!(null),
    )
    .await;
    assert_eq!(agents.json()[0]["role"], "administrator", "nothing changed");
});

app_test!(another_accounts_ids_are_not_found, |app| async move {
    let s = Setup::new(&app).await;
    objects(&app, s.account.id).await;
    let theirs = objects(&app, s.other.id).await;
    let [inbox, label, team, attr] = theirs;
    let mut requests = writes(theirs, s.other_admin.id);
    // The creations name no object of the other account: leave them out.
    requests.retain(|(method, path, _)| {
        !(*method == Method::POST && !path.contains('/') && path != "inbox_members")
    });
    for path in [
        format!("inboxes/{inbox}"),
        format!("inbox_members/{inbox}"),
        format!("labels/{label}"),
        format!("teams/{team}"),
        format!("teams/{team}/team_members"),
        format!("custom_attribute_definitions/{attr}"),
    ] {
        requests.push((Method::GET, path, json!(null)));
    }
    assert_eq!(requests.len(), 22);
    for (method, path, body) in requests {
        let response = call(&app, &s.admin_token, method.clone(), &s.path(&path), body).await;
        assert_eq!(
            response.status,
            StatusCode::NOT_FOUND,
            "{method} {path}: {}",
            response.body
        );
        assert_eq!(response.json()["code"], "not_found");
    }
    // The other account's objects are intact.
    let other_token = app.token("admin@globex.test").await;
    let other = |rest: &str| format!("/api/v1/accounts/{}/{rest}", s.other.id);
    for path in [
        format!("inboxes/{inbox}"),
        format!("labels/{label}"),
        format!("teams/{team}"),
        format!("custom_attribute_definitions/{attr}"),
    ] {
        let response = call(&app, &other_token, Method::GET, &other(&path), json!(null)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
    }
    // And their account itself answers 401, as Chatwoot does for non-members.
    let foreign = call(
        &app,
        &s.admin_token,
        Method::GET,
        &other("labels"),
        json!(null),
    )
    .await;
    assert_eq!(foreign.status, StatusCode::UNAUTHORIZED);
});
