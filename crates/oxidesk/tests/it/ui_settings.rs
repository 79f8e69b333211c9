//! The settings pages: administrators only (agents get the 404 page on every GET and POST),
//! forms that create, change and delete, field errors, CSRF, escaping.

use axum::http::StatusCode;
use oxidesk::service::AttributeInput;
use oxidesk_domain::{AccountId, AttributeDisplayType, AttributeModel, Role};

use crate::api_setup::Setup;
use crate::app_test;
use crate::support::{Browser, TestApp};

mod catalogue;
mod dashboard_apps;
mod forms;
mod integrations;
mod resets;
mod webhooks;

/// `/app/accounts/{account}/settings/{rest}`.
pub fn settings(account: AccountId, rest: &str) -> String {
    format!("/app/accounts/{account}/settings/{rest}")
}

/// One of each setup object in `account`: inbox, label, team, attribute ids.
async fn objects(app: &TestApp, account: AccountId) -> [i64; 4] {
    let services = app.services();
    let inbox = services
        .create_api_inbox(account, "Support", None)
        .await
        .unwrap();
    let label = services
        .create_label(account, "vip", "Important customers", "#ff0000")
        .await
        .unwrap();
    let team = services
        .create_team(account, "billing", "Invoices", &[])
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

/// Everything the settings pages change, as text to compare before and after.
async fn everything(app: &TestApp, account: AccountId) -> String {
    let s = app.services();
    let inboxes = s.inboxes(account).await.unwrap();
    let mut members = Vec::new();
    for inbox in &inboxes {
        members.push(s.inbox_members(account, inbox.id).await.unwrap().len());
    }
    let teams = s.teams(account).await.unwrap();
    for team in &teams {
        members.push(s.team_members(account, team.id).await.unwrap().len());
    }
    format!(
        "{inboxes:?}\n{members:?}\n{:?}\n{teams:?}\n{:?}\n{:?}",
        s.labels(account).await.unwrap(),
        s.attribute_definitions(account, None).await.unwrap(),
        s.agents(account)
            .await
            .unwrap()
            .iter()
            .map(|a| (a.user.email.clone(), a.membership.role))
            .collect::<Vec<_>>(),
    )
}

/// A browser signed in as `email`, with its CSRF token.
pub async fn signed_in<'a>(
    app: &'a TestApp,
    email: &str,
    account: AccountId,
) -> (Browser<'a>, String) {
    let mut browser = app.browser();
    browser.login(email, "password123").await;
    let csrf = browser
        .csrf_of(&format!("/app/accounts/{account}/contacts"))
        .await;
    (browser, csrf)
}

app_test!(
    every_settings_page_renders_for_an_administrator,
    |app| async move {
        let s = Setup::new(&app).await;
        let [inbox, label, team, attr] = objects(&app, s.account.id).await;
        let (mut admin, _) = signed_in(&app, "admin@acme.test", s.account.id).await;
        let at = |rest: &str| settings(s.account.id, rest);
        let root = admin
            .get(&format!("/app/accounts/{}/settings", s.account.id))
            .await;
        assert_eq!(root.location(), Some(at("inboxes").as_str()));
        let identifier = app
            .services()
            .inbox(s.account.id, oxidesk_domain::InboxId(inbox))
            .await
            .unwrap();
        let (hmac_token, _) = identifier.channel.hmac();
        let webhook_secret = oxidesk::webhooks::secret::api_inbox_secret(
            b"test-secret-key-of-at-least-32-bytes",
            inbox,
        );
        let pages = [
            (
                at("inboxes"),
                vec![
                    "Support",
                    identifier.inbox_identifier.as_str(),
                    "Add an API inbox",
                ],
            ),
            (
                at(&format!("inboxes/{inbox}")),
                vec![
                    identifier.inbox_identifier.as_str(),
                    hmac_token,
                    webhook_secret.as_str(),
                    "agent@acme.test",
                ],
            ),
            (
                at(&format!("inboxes/{inbox}/delete")),
                vec!["Delete the inbox “Support”?"],
            ),
            (
                at("agents"),
                vec![
                    "admin@acme.test",
                    "agent@acme.test",
                    "administrator",
                    "offline",
                    "Add an agent",
                ],
            ),
            (
                at(&format!("agents/{}/delete", s.agent.id)),
                vec!["Remove Test User from Acme?"],
            ),
            (at("teams"), vec!["billing", "Invoices", "Create a team"]),
            (
                at(&format!("teams/{team}")),
                vec!["billing", "agent@acme.test", "Save members"],
            ),
            (
                at(&format!("teams/{team}/delete")),
                vec!["Delete the team “billing”?"],
            ),
            (
                at("labels"),
                vec!["vip", "Important customers", "fill=\"#ff0000\""],
            ),
            (
                at(&format!("labels/{label}")),
                vec!["vip", "value=\"#ff0000\""],
            ),
            (
                at(&format!("labels/{label}/delete")),
                vec!["Delete the label “vip”?"],
            ),
            (
                at("attributes"),
                vec!["Plan", "plan", "Contact attributes", "Define an attribute"],
            ),
            (
                at(&format!("attributes/{attr}/delete")),
                vec!["Delete the attribute “Plan”?"],
            ),
        ];
        for (path, texts) in pages {
            let page = admin.get(&path).await;
            assert_eq!(page.status, StatusCode::OK, "{path}: {}", page.body);
            assert!(
                page.body.contains("aria-label=\"Settings\""),
                "{path}: sub-navigation"
            );
            assert!(
                page.body.contains("aria-current=\"page\">Settings"),
                "{path}: main nav"
            );
            for text in texts {
                assert!(
                    page.body.contains(text),
                    "{path} lacks {text}: {}",
                    page.body
                );
            }
            assert!(!page.body.contains(" style="), "{path}: no inline styles");
        }
        let other = admin.get(&settings(s.other.id, "inboxes")).await;
        assert_eq!(
            other.status,
            StatusCode::NOT_FOUND,
            "another account's settings"
        );
        let missing = admin.get(&at("labels/999999")).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        assert_eq!(
            admin.get(&at("labels/abc")).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

app_test!(
    agents_get_the_404_page_on_every_settings_page_and_form,
    |app| async move {
        let s = Setup::new(&app).await;
        let [inbox, label, team, attr] = objects(&app, s.account.id).await;
        let (mut agent, csrf) = signed_in(&app, "agent@acme.test", s.account.id).await;
        let nav = agent
            .get(&format!("/app/accounts/{}/contacts", s.account.id))
            .await;
        assert!(
            !nav.body.contains("/settings/"),
            "no Settings link for agents"
        );
        let before = everything(&app, s.account.id).await;
        let at = |rest: &str| settings(s.account.id, rest);
        let admin = s.admin.id.get();
        let gets = [
            format!("/app/accounts/{}/settings", s.account.id),
            at("inboxes"),
            at(&format!("inboxes/{inbox}")),
            at(&format!("inboxes/{inbox}/delete")),
            at("agents"),
            at(&format!("agents/{admin}/delete")),
            at("teams"),
            at(&format!("teams/{team}")),
            at(&format!("teams/{team}/delete")),
            at("labels"),
            at(&format!("labels/{label}")),
            at(&format!("labels/{label}/delete")),
            at("attributes"),
            at(&format!("attributes/{attr}/delete")),
        ];
        for path in gets {
            let page = agent.get(&path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {path}");
            assert!(
                page.body.contains("does not exist"),
                "GET {path}: the 404 page"
            );
        }
        let user = s.agent.id.get().to_string();
        let posts: Vec<(String, Vec<(&str, &str)>)> = vec![
            (at("inboxes"), vec![("name", "Hijack")]),
            (at(&format!("inboxes/{inbox}")), vec![("name", "Hijacked")]),
            (
                at(&format!("inboxes/{inbox}/members")),
                vec![("user_ids", user.as_str())],
            ),
            (at(&format!("inboxes/{inbox}/delete")), vec![]),
            (
                at("agents"),
                vec![
                    ("name", "Eve"),
                    ("email", "eve@acme.test"),
                    ("role", "administrator"),
                    ("password", "password123"),
                ],
            ),
            (
                at(&format!("agents/{user}")),
                vec![("role", "administrator")],
            ),
            (at(&format!("agents/{admin}/delete")), vec![]),
            (at("teams"), vec![("name", "hijack")]),
            (at(&format!("teams/{team}")), vec![("name", "hijacked")]),
            (
                at(&format!("teams/{team}/members")),
                vec![("user_ids", user.as_str())],
            ),
            (at(&format!("teams/{team}/delete")), vec![]),
            (
                at("labels"),
                vec![("title", "hijack"), ("color", "#000000")],
            ),
            (
                at(&format!("labels/{label}")),
                vec![("title", "hijacked"), ("color", "#000000")],
            ),
            (at(&format!("labels/{label}/delete")), vec![]),
            (
                at("attributes"),
                vec![
                    ("key", "x"),
                    ("display_name", "X"),
                    ("display_type", "text"),
                    ("model", "contact_attribute"),
                ],
            ),
            (at(&format!("attributes/{attr}/delete")), vec![]),
        ];
        for (path, mut fields) in posts {
            fields.push(("csrf", &csrf));
            let response = agent.post_form(&path, &fields).await;
            assert_eq!(
                response.status,
                StatusCode::NOT_FOUND,
                "POST {path}: {}",
                response.body
            );
        }
        assert_eq!(
            everything(&app, s.account.id).await,
            before,
            "nothing changed"
        );
    }
);

app_test!(forms_without_the_csrf_token_are_refused, |app| async move {
    let s = Setup::new(&app).await;
    let [inbox, label, team, attr] = objects(&app, s.account.id).await;
    let (mut admin, _) = signed_in(&app, "admin@acme.test", s.account.id).await;
    let before = everything(&app, s.account.id).await;
    let at = |rest: &str| settings(s.account.id, rest);
    let agent = s.agent.id.get();
    let posts = [
        at("inboxes"),
        at(&format!("inboxes/{inbox}")),
        at(&format!("inboxes/{inbox}/members")),
        at(&format!("inboxes/{inbox}/delete")),
        at("agents"),
        at(&format!("agents/{agent}")),
        at(&format!("agents/{agent}/delete")),
        at("teams"),
        at(&format!("teams/{team}")),
        at(&format!("teams/{team}/members")),
        at(&format!("teams/{team}/delete")),
        at("labels"),
        at(&format!("labels/{label}")),
        at(&format!("labels/{label}/delete")),
        at("attributes"),
        at(&format!("attributes/{attr}/delete")),
    ];
    for path in posts {
        let missing = admin
            .post_form(&path, &[("name", "x"), ("title", "x"), ("role", "agent")])
            .await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "POST {path} without csrf"
        );
        let wrong = admin
            .post_form(&path, &[("csrf", "forged"), ("name", "x")])
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::FORBIDDEN,
            "POST {path} with a wrong csrf"
        );
    }
    assert_eq!(everything(&app, s.account.id).await, before);
});

app_test!(settings_lists_escape_what_they_show, |app| async move {
    let s = Setup::new(&app).await;
    let account = s.account.id;
    let xss = "<script>alert(1)</script>";
    let services = app.services();
    let inbox = services.create_api_inbox(account, xss, None).await.unwrap();
    services.create_team(account, "t", xss, &[]).await.unwrap();
    services
        .create_label(account, "l", xss, "#123456")
        .await
        .unwrap();
    services
        .create_attribute_definition(
            account,
            &AttributeInput {
                key: "k",
                display_name: xss,
                display_type: AttributeDisplayType::List,
                model: AttributeModel::Conversation,
                description: xss,
                values: vec![xss.into()],
            },
        )
        .await
        .unwrap();
    services
        .add_member(
            account,
            &oxidesk::service::NewMember {
                name: xss,
                email: "x@acme.test",
                password: "password123",
                role: Role::Agent,
            },
        )
        .await
        .unwrap();
    let (mut admin, _) = signed_in(&app, "admin@acme.test", account).await;
    for rest in [
        "inboxes",
        &format!("inboxes/{}", inbox.id),
        &format!("inboxes/{}/delete", inbox.id),
        "agents",
        "teams",
        "labels",
        "attributes",
    ] {
        let page = admin.get(&settings(account, rest)).await;
        assert_eq!(page.status, StatusCode::OK, "{rest}");
        assert!(
            !page.body.contains("<script>alert"),
            "{rest}: {}",
            page.body
        );
        assert!(
            page.body
                .contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
            "{rest}: {}",
            page.body
        );
    }
});
