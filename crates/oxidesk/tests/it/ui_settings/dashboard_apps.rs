//! Settings > Integrations > Dashboard apps: list, add, edit, delete after a confirmation, the
//! messages of each bad input, the warning for plain http, extra allowed origins, escaping,
//! and administrators only (agents get the 404 page; the API answers them 403).

use axum::http::{Method, StatusCode};
use oxidesk::service::AppInput;
use oxidesk_domain::apps::AppFrameInput;
use oxidesk_domain::{AccountId, DashboardApp};
use serde_json::json;

use super::{settings, signed_in};
use crate::api_setup::Setup;
use crate::app_test;
use crate::support::TestApp;

const WARNING: &str = "Not encrypted: use https:// outside development";
const BAD_URL: &str = "Enter a full URL starting with https:// or http://";

/// `settings/integrations/dashboard_apps{rest}`.
fn apps_path(account: AccountId, rest: &str) -> String {
    settings(account, &format!("integrations/dashboard_apps{rest}"))
}

async fn apps(app: &TestApp, account: AccountId) -> Vec<DashboardApp> {
    app.services().dashboard_apps(account).await.unwrap()
}

/// An app created through the services.
async fn create(app: &TestApp, s: &Setup, title: &str, url: &str) -> DashboardApp {
    let content = [AppFrameInput {
        kind: Some("frame".into()),
        url: Some(url.into()),
    }];
    app.services()
        .create_dashboard_app(
            s.account.id,
            s.admin.id,
            &AppInput {
                title: Some(title),
                content: Some(&content),
                ..AppInput::default()
            },
        )
        .await
        .unwrap()
}

app_test!(
    dashboard_apps_are_listed_added_changed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
        let list = apps_path(account, "");

        let empty = admin.get(&list).await;
        assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
        assert!(
            empty.body.contains("No dashboard apps yet."),
            "{}",
            empty.body
        );
        let new = apps_path(account, "/new");
        assert!(
            empty
                .body
                .contains(&format!("href=\"{new}\">Add new dashboard app</a>")),
            "{}",
            empty.body
        );
        assert!(
            empty.body.contains(&format!(
                "<a href=\"{list}\" aria-current=\"page\">Dashboard apps</a>"
            )),
            "the sub-navigation shows the section: {}",
            empty.body
        );
        assert!(empty.body.contains(">Integrations</li>"));

        let form = admin.get(&new).await;
        assert_eq!(form.status, StatusCode::OK);
        for text in [
            "name=\"title\"",
            "name=\"url\"",
            "name=\"allowed_origins\"",
            "Extra allowed origins",
            "a login page",
            "Create dashboard app",
        ] {
            assert!(
                form.body.contains(text),
                "the form lacks {text}: {}",
                form.body
            );
        }
        assert!(!form.body.contains(WARNING));

        let created = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("title", "  CRM "),
                    ("url", "https://crm.example.com/app?x=1"),
                    ("allowed_origins", ""),
                ],
            )
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
        assert_eq!(created.location(), Some(format!("{list}?saved=1").as_str()));
        let stored = apps(&app, account).await;
        assert_eq!(stored.len(), 1);
        let crm = &stored[0];
        assert_eq!(crm.title, "CRM");
        assert_eq!(crm.content[0].url, "https://crm.example.com/app?x=1");
        assert_eq!(crm.content[0].kind, "frame");
        assert!(crm.allowed_origins.is_empty());
        assert_eq!(crm.user_id, Some(s.admin.id));

        let shown = admin.get(&format!("{list}?saved=1")).await;
        assert!(shown.body.contains("Saved."));
        let edit = apps_path(account, &format!("/{}", crm.id.get()));
        assert!(
            shown.body.contains(&format!("<a href=\"{edit}\">CRM</a>")),
            "{}",
            shown.body
        );
        assert!(shown.body.contains("https://crm.example.com/app?x=1"));
        assert!(!shown.body.contains(WARNING), "https needs no warning");

        let page = admin.get(&edit).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(page.body.contains("value=\"CRM\""), "{}", page.body);
        assert!(
            page.body
                .contains("value=\"https://crm.example.com/app?x=1\"")
        );
        assert!(page.body.contains("Save dashboard app"));

        let saved = admin
            .post_form(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("title", "CRM 2"),
                    ("url", "https://crm2.example.com/"),
                    (
                        "allowed_origins",
                        "https://Login.Example.com/sso?next=1\r\n\r\n  http://localhost:3000 \r\nhttps://login.example.com",
                    ),
                ],
            )
            .await;
        assert_eq!(
            saved.location(),
            Some(format!("{edit}?saved=1").as_str()),
            "{}",
            saved.body
        );
        let crm = apps(&app, account).await.remove(0);
        assert_eq!(crm.title, "CRM 2");
        assert_eq!(crm.content.len(), 1);
        assert_eq!(crm.content[0].url, "https://crm2.example.com/");
        assert_eq!(
            crm.allowed_origins,
            vec!["https://login.example.com", "http://localhost:3000"],
            "only origins are kept, once each"
        );
        assert_eq!(
            crm.origins(),
            vec![
                "https://crm2.example.com",
                "https://login.example.com",
                "http://localhost:3000"
            ]
        );
        let page = admin.get(&format!("{edit}?saved=1")).await;
        assert!(page.body.contains("Saved."));
        assert!(
            page.body
                .contains(">https://login.example.com\nhttp://localhost:3000</textarea>"),
            "one origin per line: {}",
            page.body
        );
        let listed = admin.get(&list).await;
        assert!(listed.body.contains("https://login.example.com"));

        // Emptying the box removes the extra origins.
        admin
            .post_form(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("title", "CRM 2"),
                    ("url", "https://crm2.example.com/"),
                    ("allowed_origins", "\r\n"),
                ],
            )
            .await;
        assert!(apps(&app, account).await[0].allowed_origins.is_empty());

        let confirm = admin.get(&format!("{edit}/delete")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        assert!(
            confirm.body.contains("Delete the dashboard app “CRM 2”?"),
            "{}",
            confirm.body
        );
        assert!(confirm.body.contains("Delete dashboard app"));
        assert!(
            !apps(&app, account).await.is_empty(),
            "asking deletes nothing"
        );
        let deleted = admin
            .post_form(&format!("{edit}/delete"), &[("csrf", &csrf)])
            .await;
        assert_eq!(deleted.location(), Some(list.as_str()));
        assert!(apps(&app, account).await.is_empty());
        assert_eq!(admin.get(&edit).await.status, StatusCode::NOT_FOUND);
        assert_eq!(
            admin.get(&format!("{edit}/delete")).await.status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            admin.get(&apps_path(account, "/abc")).await.status,
            StatusCode::NOT_FOUND
        );
    }
);

app_test!(
    each_bad_input_gets_its_message_and_the_typed_values_stay,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
        let list = apps_path(account, "");
        for url in [
            "javascript:alert(1)",
            "data:text/html,<b>hi</b>",
            "file:///etc/passwd",
            "/relative/path",
            "//evil.example/app",
            "crm.example.com",
        ] {
            let refused = admin
                .post_form(&list, &[("csrf", &csrf), ("title", "My CRM"), ("url", url)])
                .await;
            assert_eq!(
                refused.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{url}: {}",
                refused.body
            );
            assert!(refused.body.contains(BAD_URL), "{url}: {}", refused.body);
            assert!(refused.body.contains("id=\"app-url-error\""));
            assert!(refused.body.contains("aria-invalid=\"true\""));
            assert!(
                refused.body.contains("value=\"My CRM\""),
                "{url}: the typed name stays"
            );
            assert!(!refused.body.contains("A name is required"));
        }
        let nameless = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("title", "  "),
                    ("url", "https://crm.example.com"),
                ],
            )
            .await;
        assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            nameless.body.contains("A name is required"),
            "{}",
            nameless.body
        );
        assert!(nameless.body.contains("value=\"https://crm.example.com\""));
        let no_url = admin
            .post_form(&list, &[("csrf", &csrf), ("title", "CRM"), ("url", "")])
            .await;
        assert_eq!(no_url.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            no_url.body.contains("Enter the URL of your app"),
            "{}",
            no_url.body
        );

        let bad_origin = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("title", "CRM"),
                    ("url", "https://crm.example.com"),
                    (
                        "allowed_origins",
                        "https://login.example.com\n\njavascript:alert(1)",
                    ),
                ],
            )
            .await;
        assert_eq!(bad_origin.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad_origin
                .body
                .contains("Line 3 must be an origin starting with https:// or http://"),
            "{}",
            bad_origin.body
        );
        assert!(
            bad_origin
                .body
                .contains(">https://login.example.com\n\njavascript:alert(1)</textarea>"),
            "the typed origins stay: {}",
            bad_origin.body
        );
        let too_many: String = (0..11).map(|i| format!("https://o{i}.example\n")).collect();
        let refused = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("title", "CRM"),
                    ("url", "https://crm.example.com"),
                    ("allowed_origins", &too_many),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            refused
                .body
                .contains("Extra allowed origins can list at most 10 origins"),
            "{}",
            refused.body
        );
        assert!(apps(&app, account).await.is_empty(), "nothing was created");

        // Editing is checked the same way and changes nothing.
        let crm = create(&app, &s, "CRM", "https://crm.example.com").await;
        let edit = apps_path(account, &format!("/{}", crm.id.get()));
        let refused = admin
            .post_form(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("title", ""),
                    ("url", "javascript:alert(1)"),
                ],
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(refused.body.contains("A name is required"));
        assert!(refused.body.contains(BAD_URL));
        assert!(refused.body.contains("value=\"javascript:alert(1)\""));
        assert_eq!(apps(&app, account).await, vec![crm]);
    }
);

app_test!(
    plain_http_to_another_machine_shows_a_warning,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
        let list = apps_path(account, "");
        let created = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("title", "Staging"),
                    ("url", "http://staging.example.com/app"),
                ],
            )
            .await;
        assert_eq!(
            created.status,
            StatusCode::SEE_OTHER,
            "plain http is allowed"
        );
        let local = create(&app, &s, "Local", "http://localhost:8080/app").await;
        let secure = create(&app, &s, "Secure", "https://secure.example.com").await;
        let listed = admin.get(&list).await;
        assert_eq!(listed.body.matches(WARNING).count(), 1, "{}", listed.body);

        let staging = apps(&app, account).await.remove(0);
        let edit = apps_path(account, &format!("/{}", staging.id.get()));
        let page = admin.get(&edit).await;
        assert!(page.body.contains(WARNING), "{}", page.body);
        for quiet in [local, secure] {
            let page = admin
                .get(&apps_path(account, &format!("/{}", quiet.id.get())))
                .await;
            assert!(
                !page.body.contains(WARNING),
                "{}: {}",
                quiet.title,
                page.body
            );
        }
        // A form shown again shows the warning for what was typed, origins included.
        let typed = admin
            .post_form(
                &list,
                &[
                    ("csrf", &csrf),
                    ("title", ""),
                    ("url", "https://ok.example.com"),
                    ("allowed_origins", "http://login.example.com"),
                ],
            )
            .await;
        assert_eq!(typed.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(typed.body.contains(WARNING), "{}", typed.body);
    }
);

app_test!(what_the_administrator_typed_is_escaped, |app| async move {
    let s = Setup::new(&app).await;
    let account = s.account.id;
    let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
    let hostile = "<img src=x onerror=alert(1)>";
    let url = "https://crm.example.com/?q=\"><script>alert(2)</script>";
    let created = admin
        .post_form(
            &apps_path(account, ""),
            &[("csrf", &csrf), ("title", hostile), ("url", url)],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let crm = apps(&app, account).await.remove(0);
    assert_eq!(crm.title, hostile, "stored as typed");
    let id = crm.id.get();
    let refused = admin
        .post_form(
            &apps_path(account, &format!("/{id}")),
            &[
                ("csrf", &csrf),
                ("title", hostile),
                ("url", "javascript:<b>x</b>"),
            ],
        )
        .await;
    for (what, body) in [
        ("list", admin.get(&apps_path(account, "")).await.body),
        (
            "edit",
            admin.get(&apps_path(account, &format!("/{id}"))).await.body,
        ),
        (
            "confirm",
            admin
                .get(&apps_path(account, &format!("/{id}/delete")))
                .await
                .body,
        ),
        ("refused", refused.body),
    ] {
        assert!(!body.contains("<img src=x"), "{what}: {body}");
        assert!(!body.contains("<script>alert(2)"), "{what}: {body}");
        assert!(!body.contains("<b>x</b>"), "{what}: {body}");
        assert!(
            body.contains("&#60;img src=x onerror=alert(1)&#62;"),
            "{what}: {body}"
        );
    }
});

app_test!(
    agents_get_the_404_page_on_every_dashboard_apps_route,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let crm = create(&app, &s, "CRM", "https://crm.example.com").await;
        let id = crm.id.get();
        let (mut agent, csrf) = signed_in(&app, "agent@acme.test", account).await;
        let gets = [
            apps_path(account, ""),
            apps_path(account, "/new"),
            apps_path(account, &format!("/{id}")),
            apps_path(account, &format!("/{id}/delete")),
            apps_path(account, &format!("/{id}/preview")),
        ];
        for path in &gets {
            let page = agent.get(path).await;
            assert_eq!(page.status, StatusCode::NOT_FOUND, "GET {path}");
            assert!(
                page.body.contains("does not exist"),
                "GET {path}: the 404 page"
            );
            assert!(!page.body.contains("crm.example.com"));
        }
        let fields = [
            ("csrf", csrf.as_str()),
            ("title", "Hijacked"),
            ("url", "https://evil.example"),
            ("allowed_origins", "https://evil.example"),
        ];
        for path in [
            apps_path(account, ""),
            apps_path(account, &format!("/{id}")),
            apps_path(account, &format!("/{id}/delete")),
        ] {
            let response = agent.post_form(&path, &fields).await;
            assert_eq!(response.status, StatusCode::NOT_FOUND, "POST {path}");
            assert!(
                response.body.contains("does not exist"),
                "POST {path}: the 404 page"
            );
        }
        assert_eq!(
            apps(&app, account).await,
            vec![crm.clone()],
            "nothing changed"
        );

        // The API: agents read, but every write is 403.
        let base = format!("/api/v1/accounts/{account}/dashboard_apps");
        let mut client = app.browser();
        let auth = [("api_access_token", s.agent_token.as_str())];
        let body = json!({"title": "Hijacked", "content": [{"type": "frame", "url": "https://evil.example"}], "allowed_origins": ["https://evil.example"]});
        for (method, path) in [
            (Method::POST, base.clone()),
            (Method::PATCH, format!("{base}/{id}")),
            (Method::PUT, format!("{base}/{id}")),
            (Method::DELETE, format!("{base}/{id}")),
        ] {
            let response = client
                .json(method.clone(), &path, &auth, body.clone())
                .await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{method} {path}");
        }
        let read = client.json(Method::GET, &base, &auth, json!(null)).await;
        assert_eq!(read.status, StatusCode::OK);
        assert_eq!(apps(&app, account).await, vec![crm], "nothing changed");

        // Another account's administrator gets the 404 page too.
        let (mut stranger, _) = signed_in(&app, "admin@globex.test", s.other.id).await;
        assert_eq!(
            stranger
                .get(&apps_path(account, &format!("/{id}")))
                .await
                .status,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            stranger
                .get(&apps_path(s.other.id, &format!("/{id}")))
                .await
                .status,
            StatusCode::NOT_FOUND,
            "another account's app by its id"
        );
    }
);

app_test!(dashboard_app_forms_need_the_csrf_token, |app| async move {
    let s = Setup::new(&app).await;
    let account = s.account.id;
    let crm = create(&app, &s, "CRM", "https://crm.example.com").await;
    let id = crm.id.get();
    let (mut admin, _) = signed_in(&app, "admin@acme.test", account).await;
    for path in [
        apps_path(account, ""),
        apps_path(account, &format!("/{id}")),
        apps_path(account, &format!("/{id}/delete")),
    ] {
        let fields = [("title", "x"), ("url", "https://x.example")];
        let missing = admin.post_form(&path, &fields).await;
        assert_eq!(
            missing.status,
            StatusCode::FORBIDDEN,
            "POST {path} without csrf"
        );
        let wrong = admin
            .post_form(
                &path,
                &[
                    ("csrf", "forged"),
                    ("title", "x"),
                    ("url", "https://x.example"),
                ],
            )
            .await;
        assert_eq!(
            wrong.status,
            StatusCode::FORBIDDEN,
            "POST {path} with a wrong csrf"
        );
    }
    assert_eq!(apps(&app, account).await, vec![crm]);
});

app_test!(
    an_app_with_several_frames_keeps_the_others_when_edited,
    |app| async move {
        let s = Setup::new(&app).await;
        let account = s.account.id;
        let content = [
            AppFrameInput {
                kind: Some("frame".into()),
                url: Some("https://one.example".into()),
            },
            AppFrameInput {
                kind: Some("frame".into()),
                url: Some("https://two.example".into()),
            },
        ];
        let multi = app
            .services()
            .create_dashboard_app(
                s.account.id,
                s.admin.id,
                &AppInput {
                    title: Some("Multi"),
                    content: Some(&content),
                    ..AppInput::default()
                },
            )
            .await
            .unwrap();
        let (mut admin, csrf) = signed_in(&app, "admin@acme.test", account).await;
        let edit = apps_path(account, &format!("/{}", multi.id.get()));
        let page = admin.get(&edit).await;
        assert!(page.body.contains("1 more frame"), "{}", page.body);
        let saved = admin
            .post_form(
                &edit,
                &[
                    ("csrf", &csrf),
                    ("title", "Multi"),
                    ("url", "https://uno.example"),
                ],
            )
            .await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
        let urls: Vec<String> = apps(&app, account).await[0]
            .content
            .iter()
            .map(|f| f.url.clone())
            .collect();
        assert_eq!(urls, vec!["https://uno.example", "https://two.example"]);
    }
);

app_test!(the_preview_frames_exactly_the_app, |app| async move {
    let s = Setup::new(&app).await;
    let account = s.account.id;
    let crm = create(&app, &s, "CRM <b>", "https://crm.example.com/agent?x=1&y=2").await;
    let id = crm.id.get();
    let (mut admin, _) = signed_in(&app, "admin@acme.test", account).await;
    let list = admin.get(&apps_path(account, "")).await;
    assert!(
        list.body.contains(&format!(
            "href=\"{}/preview\"",
            apps_path(account, &format!("/{id}"))
        )),
        "{}",
        list.body
    );
    let page = admin
        .get(&apps_path(account, &format!("/{id}/preview")))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("<h1>Preview: CRM &#60;b&#62;</h1>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("the built-in fixture (unsigned)"));
    assert!(page.body.contains("/assets/js/preview.js?v="));
    let csp = page.header("content-security-policy").unwrap_or_default();
    assert!(csp.contains("frame-src https://crm.example.com;"), "{csp}");
    for (query, status) in [
        ("?conversation=abc", StatusCode::BAD_REQUEST),
        ("?conversation=0", StatusCode::BAD_REQUEST),
        ("?conversation=999999", StatusCode::NOT_FOUND),
    ] {
        let page = admin
            .get(&format!(
                "{}{query}",
                apps_path(account, &format!("/{id}/preview"))
            ))
            .await;
        assert_eq!(page.status, status, "{query}");
    }
    // A URL template is filled from the fixture, as from a conversation's context.
    let templated = create(
        &app,
        &s,
        "Templated",
        "https://crm.example.com/agent?c={{conversation.id}}&e={{contact.email}}",
    )
    .await;
    let page = admin
        .get(&apps_path(
            account,
            &format!("/{}/preview", templated.id.get()),
        ))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains("c=1") && page.body.contains("e=alice%40example.com"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("{{contact.email}}"), "{}", page.body);
    let missing = admin.get(&apps_path(account, "/999999/preview")).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
});
