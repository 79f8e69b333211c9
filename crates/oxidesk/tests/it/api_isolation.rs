//! Tenant isolation and roles, walked over every route of the generated OpenAPI document:
//! - every account route, as a member of another account: 401, never data;
//! - every route with an id, given the ids of another account's records: never a success;
//! - every write of an administrators-only resource, as an agent: 403.
//!
//! Routes added later are walked too, because the list comes from `/api/openapi.json`.

use axum::http::{Method, StatusCode};
use oxidesk::service::{AppInput, AttributeInput, ContactInput, MessageInput, StartConversation};
use oxidesk_domain::{Account, AttributeDisplayType, AttributeModel, MessageType, Role};
use serde_json::{Value, json};

use crate::app_test;
use crate::support::TestApp;

/// A name only account B's records carry; no response to account A may contain it.
const SECRET: &str = "Bravo-Secret";

/// Resources whose writes only administrators may make.
const ADMIN_WRITES: &[&str] = &[
    "inboxes",
    "inbox_members",
    "labels",
    "teams",
    "agents",
    "custom_attribute_definitions",
    "dashboard_apps",
];

/// Creates `count` of each kind of record in `account`.
async fn populate(app: &TestApp, account: &Account, count: usize, tag: &str) {
    let services = app.services();
    for i in 0..count {
        let inbox = services
            .create_api_inbox(account.id, &format!("{tag} inbox {i}"), None)
            .await
            .unwrap();
        let contact = services
            .create_contact(
                account.id,
                &ContactInput {
                    name: Some(format!("{tag} contact {i}")),
                    email: Some(format!("c{i}@{}.test", tag.to_lowercase())),
                    ..ContactInput::default()
                },
            )
            .await
            .unwrap();
        let conversation = services
            .start_conversation(account.id, &StartConversation::new(inbox.id, contact.id))
            .await
            .unwrap();
        let message = MessageInput {
            content: format!("{tag} message {i}"),
            message_type: MessageType::Incoming,
            private: false,
            sender: None,
            source_id: None,
            content_type: oxidesk_domain::ContentType::Text,
            content_attributes: Default::default(),
        };
        services
            .post_message(account.id, conversation.display_id, &message)
            .await
            .unwrap();
        services
            .create_label(
                account.id,
                &format!("{}-{i}", tag.to_lowercase()),
                tag,
                "#123456",
            )
            .await
            .unwrap();
        services
            .create_team(account.id, &format!("{tag} team {i}"), tag, &[])
            .await
            .unwrap();
        let key = format!("{}_{i}", tag.to_lowercase().replace('-', "_"));
        let attribute = AttributeInput {
            key: &key,
            display_name: tag,
            display_type: AttributeDisplayType::Text,
            model: AttributeModel::Contact,
            description: tag,
            values: vec![],
        };
        services
            .create_attribute_definition(account.id, &attribute)
            .await
            .unwrap();
        let frames = [oxidesk_domain::apps::AppFrameInput {
            kind: Some("frame".into()),
            url: Some(format!("https://{}.example/{i}", tag.to_lowercase())),
        }];
        let admin = services
            .store
            .list_agents(account.id, None, 1)
            .await
            .unwrap()[0]
            .user
            .id;
        services
            .create_dashboard_app(
                account.id,
                admin,
                &AppInput {
                    title: Some(tag),
                    content: Some(&frames),
                    ..AppInput::default()
                },
            )
            .await
            .unwrap();
    }
}

/// Every (method, path template) of the account API.
fn account_routes() -> Vec<(Method, String)> {
    let document = serde_json::to_value(oxidesk::http::api::openapi()).unwrap();
    let mut routes = Vec::new();
    for (path, item) in document["paths"].as_object().unwrap() {
        if !path.starts_with("/api/v1/accounts/{account_id}") {
            continue;
        }
        for method in ["get", "post", "put", "patch", "delete"] {
            if item.get(method).is_some() {
                routes.push((method.to_uppercase().parse().unwrap(), path.clone()));
            }
        }
    }
    assert!(
        routes.len() >= 20,
        "the walk found too few routes: {routes:?}"
    );
    routes
}

/// `template` with `{account_id}` = `account` and every other parameter = `other`.
fn fill(template: &str, account: i64, other: i64) -> String {
    let mut out = String::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        out.push_str(&rest[..start]);
        let end = rest[start..].find('}').unwrap() + start;
        let name = &rest[start + 1..end];
        out.push_str(&if name == "account_id" { account } else { other }.to_string());
        rest = &rest[end + 1..];
    }
    out.push_str(rest);
    out
}

fn has_id_parameter(template: &str) -> bool {
    template.matches('{').count() > 1
}

async fn setup(app: &TestApp) -> (Account, Account, String, String) {
    // A: one record of each kind, users 1 (admin) and 2 (agent). B: five of each, users 3 and up,
    // so that the id 3 is account B's in every table and nobody's in account A.
    let (alpha, _) = app.account_with_admin("Alpha", "admin@alpha.test").await;
    app.member(&alpha, "agent@alpha.test", Role::Agent).await;
    populate(app, &alpha, 1, "Alpha").await;
    let (bravo, _) = app.account_with_admin("Bravo", "admin@bravo.test").await;
    for i in 0..4 {
        app.member(&bravo, &format!("agent{i}@bravo.test"), Role::Agent)
            .await;
    }
    populate(app, &bravo, 5, SECRET).await;
    (
        alpha,
        bravo,
        app.token("admin@alpha.test").await,
        app.token("agent@alpha.test").await,
    )
}

app_test!(another_accounts_routes_answer_401, |app| async move {
    let (_, bravo, alpha_admin, _) = setup(&app).await;
    let mut client = app.browser();
    for (method, template) in account_routes() {
        let path = fill(&template, bravo.id.get(), 3);
        let response = client
            .json(
                method.clone(),
                &path,
                &[("api_access_token", &alpha_admin)],
                json!({}),
            )
            .await;
        assert_eq!(
            response.status,
            StatusCode::UNAUTHORIZED,
            "{method} {path}: {}",
            response.body
        );
        assert!(
            !response.body.contains(SECRET),
            "{method} {path} leaked: {}",
            response.body
        );
    }
});

app_test!(another_accounts_ids_are_never_found, |app| async move {
    let (alpha, _, alpha_admin, _) = setup(&app).await;
    let mut client = app.browser();
    let before = snapshot_of_bravo(&app).await;
    for (method, template) in account_routes()
        .into_iter()
        .filter(|(_, t)| has_id_parameter(t))
    {
        let path = fill(&template, alpha.id.get(), 3);
        let response = client
            .json(
                method.clone(),
                &path,
                &[("api_access_token", &alpha_admin)],
                json!({}),
            )
            .await;
        assert!(
            !response.status.is_success(),
            "{method} {path} reached another account's record: {} {}",
            response.status,
            response.body
        );
        assert!(
            response.status != StatusCode::INTERNAL_SERVER_ERROR,
            "{method} {path}: {}",
            response.body
        );
        assert!(
            !response.body.contains(SECRET),
            "{method} {path} leaked: {}",
            response.body
        );
    }
    assert_eq!(
        before,
        snapshot_of_bravo(&app).await,
        "account B's records did not change"
    );
});

app_test!(
    agents_cannot_write_administrator_resources,
    |app| async move {
        let (alpha, _, _, alpha_agent) = setup(&app).await;
        let mut client = app.browser();
        let mut checked = 0;
        for (method, template) in account_routes() {
            let resource = template
                .trim_start_matches("/api/v1/accounts/{account_id}/")
                .split('/')
                .next()
                .unwrap_or("");
            // Any member who sees an app reports its failed loads.
            let member_write = template.ends_with("/load_failures");
            let admin_only =
                (method != Method::GET && ADMIN_WRITES.contains(&resource) && !member_write)
                    || (method == Method::DELETE
                        && resource == "contacts"
                        && template.ends_with("{id}"));
            if !admin_only {
                continue;
            }
            let path = fill(&template, alpha.id.get(), 1);
            let response = client
                .json(
                    method.clone(),
                    &path,
                    &[("api_access_token", &alpha_agent)],
                    json!({}),
                )
                .await;
            assert_eq!(
                response.status,
                StatusCode::FORBIDDEN,
                "{method} {path}: {}",
                response.body
            );
            checked += 1;
        }
        assert!(
            checked >= 4,
            "too few administrator routes checked: {checked}"
        );
    }
);

/// What account B holds, read through its own administrator's eyes.
async fn snapshot_of_bravo(app: &TestApp) -> Vec<Value> {
    let bravo = app
        .db
        .store
        .account_by_name("Bravo")
        .await
        .unwrap()
        .unwrap();
    let services = app.services();
    let conversations = app
        .db
        .store
        .list_conversations(
            bravo.id,
            &oxidesk_store::ConversationQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let mut out = vec![
        serde_json::to_value(
            services
                .conversation_views(bravo.id, conversations.items)
                .await
                .unwrap(),
        )
        .unwrap(),
    ];
    out.push(json!(
        services
            .dashboard_apps(bravo.id)
            .await
            .unwrap()
            .iter()
            .map(|a| (a.title.clone(), a.content[0].url.clone()))
            .collect::<Vec<_>>()
    ));
    out.push(json!(
        app.db
            .store
            .list_labels(bravo.id, None, 100)
            .await
            .unwrap()
            .iter()
            .map(|l| l.title.clone())
            .collect::<Vec<_>>()
    ));
    out.push(json!(
        app.db
            .store
            .list_teams(bravo.id, None, 100)
            .await
            .unwrap()
            .iter()
            .map(|t| t.name.clone())
            .collect::<Vec<_>>()
    ));
    out.push(json!(
        app.db
            .store
            .list_inboxes(bravo.id, None, 100)
            .await
            .unwrap()
            .iter()
            .map(|i| i.name.clone())
            .collect::<Vec<_>>()
    ));
    out.push(json!(
        app.db
            .store
            .list_agents(bravo.id, None, 100)
            .await
            .unwrap()
            .iter()
            .map(|a| a.user.email.clone())
            .collect::<Vec<_>>()
    ));
    let contacts = app
        .db
        .store
        .list_contacts(
            bravo.id,
            None,
            oxidesk_store::ContactSort::Newest,
            None,
            100,
        )
        .await
        .unwrap();
    out.push(json!(
        contacts
            .items
            .iter()
            .map(|c| (c.name.clone(), c.email.clone()))
            .collect::<Vec<_>>()
    ));
    out
}
