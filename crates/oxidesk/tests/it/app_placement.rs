//! Where and for whom a dashboard app appears: visibility (inboxes, teams, roles, only me)
//! enforced on the server (frames, CSP, tokens), placements, URL templates filled in and
//! percent-encoded, load failures reported by the browser, and the settings form.

use axum::http::{Method, StatusCode};
use oxidesk::service::{ContactInput, StartConversation};
use oxidesk_domain::{Account, DashboardAppId, DisplayId, Role};
use serde_json::{Value, json};

use crate::app_test;
use crate::support::{Browser, TestApp};

struct Fixture {
    account: Account,
    token: String,
    agent_token: String,
    /// In inbox "Sales", team "vip".
    sales: i64,
    /// In inbox "Support", no team.
    support: i64,
    sales_inbox: i64,
    support_inbox: i64,
    team: i64,
    contact: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let (account, _admin) = app.account_with_admin("Acme", "admin@acme.test").await;
    let _agent = app.member(&account, "agent@acme.test", Role::Agent).await;
    let services = app.services();
    let sales_inbox = services
        .create_api_inbox(account.id, "Sales", None)
        .await
        .unwrap();
    let support_inbox = services
        .create_api_inbox(account.id, "Support", None)
        .await
        .unwrap();
    let team = services
        .create_team(account.id, "vip", "", &[])
        .await
        .unwrap();
    let mut input = ContactInput {
        name: Some("Zoë".into()),
        email: Some("zoe+a&b@example.com".into()),
        phone_number: Some("+447700900123".into()),
        ..ContactInput::default()
    };
    input.custom_attributes = json!({"plan": "gold & \"co\" #1/2 é"})
        .as_object()
        .cloned()
        .unwrap();
    let contact = services.create_contact(account.id, &input).await.unwrap();
    let sales = services
        .start_conversation(
            account.id,
            &StartConversation::new(sales_inbox.id, contact.id),
        )
        .await
        .unwrap()
        .display_id;
    services
        .assign_team(account.id, sales, Some(team.id), None)
        .await
        .unwrap();
    let support = services
        .start_conversation(
            account.id,
            &StartConversation::new(support_inbox.id, contact.id),
        )
        .await
        .unwrap()
        .display_id;
    Fixture {
        token: app.token("admin@acme.test").await,
        agent_token: app.token("agent@acme.test").await,
        account,
        sales: sales.get(),
        support: support.get(),
        sales_inbox: sales_inbox.id.get(),
        support_inbox: support_inbox.id.get(),
        team: team.id.get(),
        contact: contact.id.get(),
    }
}

async fn signed_in<'a>(app: &'a TestApp, email: &str) -> Browser<'a> {
    let mut browser = app.browser();
    let response = browser.login(email, "password123").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    browser
}

/// Creates an app through the API; returns its id, or the error response's JSON.
async fn create(app: &TestApp, f: &Fixture, body: Value) -> Result<i64, (StatusCode, Value)> {
    let response = app
        .browser()
        .json(
            Method::POST,
            &format!("/api/v1/accounts/{}/dashboard_apps", f.account.id.get()),
            &[("api_access_token", &f.token)],
            body,
        )
        .await;
    if response.status == StatusCode::OK {
        Ok(response.json()["id"].as_i64().unwrap())
    } else {
        Err((response.status, response.json()))
    }
}

async fn app_with(app: &TestApp, f: &Fixture, title: &str, host: &str, settings: Value) -> i64 {
    create(
        app,
        f,
        json!({"title": title, "content": [{"type": "frame", "url": format!("https://{host}/app")}],
               "settings": settings}),
    )
    .await
    .unwrap()
}

/// The app ids with a tab, and those with a side panel, on the page at `path`; and its CSP.
async fn shown(browser: &mut Browser<'_>, path: &str) -> (Vec<i64>, Vec<i64>, String) {
    let page = browser.get(path).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let ids = |marker: &str| -> Vec<i64> {
        page.body
            .match_indices(marker)
            .filter_map(|(at, _)| {
                let rest = &page.body[at + marker.len()..];
                rest.split('"').next()?.parse().ok()
            })
            .collect()
    };
    (
        ids("id=\"tab-app-"),
        ids("<section id=\"side-app-"),
        page.header("content-security-policy")
            .unwrap_or_default()
            .to_owned(),
    )
}

async fn context_tokens(browser: &mut Browser<'_>, f: &Fixture, id: i64) -> Vec<String> {
    let response = browser
        .get(&format!(
            "/app/accounts/{}/conversations/{id}/context",
            f.account.id.get()
        ))
        .await;
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    let mut keys: Vec<String> = response.json()["tokens"]
        .as_object()
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default();
    keys.sort();
    keys
}

app_test!(
    apps_appear_only_for_their_inboxes_teams_roles_and_creator,
    |app| async move {
        let f = fixture(&app).await;
        let everyone = app_with(&app, &f, "Everyone", "every.example", json!({})).await;
        let support_only = app_with(
            &app,
            &f,
            "Support only",
            "support.example",
            json!({"visibility": {"inbox_ids": [f.support_inbox]}}),
        )
        .await;
        let team_only = app_with(
            &app,
            &f,
            "Team only",
            "team.example",
            json!({"visibility": {"team_ids": [f.team]}}),
        )
        .await;
        let admins = app_with(
            &app,
            &f,
            "Admins",
            "admins.example",
            json!({"visibility": {"roles": ["administrator"]}}),
        )
        .await;
        let mine = app_with(
            &app,
            &f,
            "Only me",
            "mine.example",
            json!({"visibility": {"only_creator": true}}),
        )
        .await;
        let both = app_with(
            &app,
            &f,
            "Sales and vip",
            "both.example",
            json!({"visibility": {"inbox_ids": [f.sales_inbox], "team_ids": [f.team]}}),
        )
        .await;
        let base = format!("/app/accounts/{}/conversations", f.account.id.get());

        let mut agent = signed_in(&app, "agent@acme.test").await;
        let (tabs, _, csp) = shown(&mut agent, &format!("{base}/{}", f.sales)).await;
        assert_eq!(tabs, vec![everyone, team_only, both]);
        assert!(csp.contains("https://every.example") && csp.contains("https://team.example"));
        for hidden in ["support.example", "admins.example", "mine.example"] {
            assert!(!csp.contains(hidden), "{hidden} is not framable: {csp}");
        }
        let ids = |ids: &[i64]| -> Vec<String> {
            let mut out: Vec<String> = ids.iter().map(i64::to_string).collect();
            out.sort();
            out
        };
        assert_eq!(
            context_tokens(&mut agent, &f, f.sales).await,
            ids(&[everyone, team_only, both]),
            "no token for an app the agent does not see"
        );
        // What the page fetches when apps change lists the same.
        let now = agent.get(&format!("{base}/{}/apps", f.sales)).await;
        assert_eq!(now.status, StatusCode::OK, "{}", now.body);
        let listed: Vec<i64> = now.json()["tabs"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|t| t["id"].as_i64())
            .collect();
        assert_eq!(listed, vec![everyone, team_only, both]);
        let (tabs, _, _) = shown(&mut agent, &format!("{base}/{}", f.support)).await;
        assert_eq!(tabs, vec![everyone, support_only]);
        assert_eq!(
            context_tokens(&mut agent, &f, f.support).await,
            ids(&[everyone, support_only])
        );

        let mut admin = signed_in(&app, "admin@acme.test").await;
        let (tabs, _, _) = shown(&mut admin, &format!("{base}/{}", f.sales)).await;
        assert_eq!(tabs, vec![everyone, team_only, admins, mine, both]);

        // Another administrator does not see the creator's app in development mode.
        app.member(&f.account, "admin2@acme.test", Role::Administrator)
            .await;
        let mut other = signed_in(&app, "admin2@acme.test").await;
        let (tabs, _, _) = shown(&mut other, &format!("{base}/{}", f.sales)).await;
        assert_eq!(tabs, vec![everyone, team_only, admins, both]);

        // Unknown inboxes and teams are refused, naming the entry.
        let (status, body) = create(
            &app,
            &f,
            json!({"title": "x", "content": [{"type": "frame", "url": "https://x.example"}],
                   "settings": {"visibility": {"inbox_ids": [f.sales_inbox, 9999], "team_ids": [8888]}}}),
        )
        .await
        .unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        let fields: Vec<&str> = body["errors"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|e| e["field"].as_str())
            .collect();
        assert_eq!(
            fields,
            vec![
                "settings.visibility.inbox_ids[1]",
                "settings.visibility.team_ids[0]"
            ]
        );
    }
);

app_test!(
    apps_are_placed_in_tabs_and_in_the_side_column,
    |app| async move {
        let f = fixture(&app).await;
        let tab = app_with(&app, &f, "Tab", "tab.example", json!({})).await;
        let side = app_with(
            &app,
            &f,
            "Side",
            "side.example",
            json!({"placements": ["conversation_sidebar"]}),
        )
        .await;
        let both = app_with(
            &app,
            &f,
            "Both",
            "both.example",
            json!({"placements": ["conversation_tab", "conversation_sidebar"]}),
        )
        .await;
        let contact_only = app_with(
            &app,
            &f,
            "Contact",
            "contact.example",
            json!({"placements": ["contact_tab"]}),
        )
        .await;
        let mut agent = signed_in(&app, "agent@acme.test").await;
        let path = format!(
            "/app/accounts/{}/conversations/{}",
            f.account.id.get(),
            f.sales
        );
        let (tabs, sides, csp) = shown(&mut agent, &path).await;
        assert_eq!(tabs, vec![tab, both]);
        assert_eq!(sides, vec![side, both]);
        assert!(csp.contains("https://side.example"));
        assert!(
            !csp.contains("contact.example"),
            "an app only on contact pages is not framed here"
        );
        let _ = contact_only;
        let page = agent.get(&path).await;
        assert!(page.body.contains(&format!(
            "<section id=\"side-app-{side}\" class=\"app-panel app-side\""
        )));
        assert!(
            page.body
                .contains("data-placement=\"conversation_sidebar\"")
        );
        // No placement at all is refused.
        let (status, body) = create(
            &app,
            &f,
            json!({"title": "x", "content": [{"type": "frame", "url": "https://x.example"}],
                   "settings": {"placements": []}}),
        )
        .await
        .unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(body["errors"][0]["field"], "settings.placements");
    }
);

app_test!(url_templates_are_filled_in_and_encoded, |app| async move {
    let f = fixture(&app).await;
    let template = "https://crm.example/c/{{conversation.id}}?contact={{contact.id}}&email={{contact.email}}&plan={{contact.custom_attributes.plan}}&agent={{agent.email}}&account={{account.id}}&inbox={{inbox.id}}&none={{conversation.custom_attributes.missing}}#{{contact.phone_number}}";
    let id = create(
        &app,
        &f,
        json!({"title": "CRM", "content": [{"type": "frame", "url": template}]}),
    )
    .await
    .unwrap();
    let withheld = create(
            &app,
            &f,
            json!({"title": "Private", "content": [{"type": "frame", "url": "https://p.example/?e={{contact.email}}&p={{contact.phone_number}}"}],
                   "settings": {"withheld": ["contact_email", "contact_phone"]}}),
        )
        .await
        .unwrap();
    // The API keeps the template as written.
    let stored = app
        .services()
        .dashboard_app(f.account.id, DashboardAppId(id))
        .await
        .unwrap();
    assert_eq!(stored.content[0].url, template);
    assert_eq!(stored.origins(), vec!["https://crm.example"]);

    let mut agent = signed_in(&app, "agent@acme.test").await;
    let page = agent
        .get(&format!(
            "/app/accounts/{}/conversations/{}",
            f.account.id.get(),
            f.sales
        ))
        .await;
    let filled = format!(
        "https://crm.example/c/{}?contact={}&email=zoe%2Ba%26b%40example.com&plan=gold%20%26%20%22co%22%20%231%2F2%20%C3%A9&agent=agent%40acme.test&account={}&inbox={}&none=#%2B447700900123",
        f.sales,
        f.contact,
        f.account.id.get(),
        f.sales_inbox
    );
    // In the page's HTML, & is written &#38;.
    assert!(
        page.body
            .contains(&format!("src=\"{}\"", filled.replace('&', "&#38;"))),
        "{}",
        page.body
    );
    assert!(
        page.body.contains("src=\"https://p.example/?e=&#38;p=\""),
        "withheld data stays out of the URL too"
    );
    let _ = withheld;

    // Unknown placeholders and placeholders in the origin are refused at save.
    for (url, expect) in [
        (
            "https://crm.example/{{contact.password}}",
            "{{contact.password}}",
        ),
        ("https://{{contact.id}}.crm.example/", "only after the host"),
        ("https://crm.example:{{agent.id}}/", "only after the host"),
        ("https://crm.example/{{conversation.id", "never closed"),
    ] {
        let (status, body) = create(
                &app,
                &f,
                json!({"title": "x", "content": [{"type": "frame", "url": "https://ok.example"}, {"type": "frame", "url": url}]}),
            )
            .await
            .unwrap_err();
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{url}");
        assert_eq!(body["errors"][0]["field"], "content[1].url", "{url}");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(message.contains(expect), "{url}: {message}");
    }
    // Non-ASCII hosts: origins in punycode, as browsers report them.
    let idn = create(
        &app,
        &f,
        json!({"title": "IDN", "content": [{"type": "frame", "url": "https://Bücher.example/app"}],
                   "allowed_origins": ["https://LOGIN.bücher.example:443/sso"]}),
    )
    .await
    .unwrap();
    let stored = app
        .services()
        .dashboard_app(f.account.id, DashboardAppId(idn))
        .await
        .unwrap();
    assert_eq!(
        stored.origins(),
        vec![
            "https://xn--bcher-kva.example",
            "https://login.xn--bcher-kva.example"
        ]
    );
});

async fn report(app: &TestApp, f: &Fixture, id: i64, body: Value) -> crate::support::TestResponse {
    let path = format!(
        "/api/v1/accounts/{}/dashboard_apps/{id}/load_failures",
        f.account.id.get()
    );
    app.browser()
        .json(
            Method::POST,
            &path,
            &[("api_access_token", &f.agent_token)],
            body,
        )
        .await
}

app_test!(
    browsers_report_failed_loads_shown_on_the_settings_row,
    |app| async move {
        let f = fixture(&app).await;
        let id = app_with(&app, &f, "Flaky", "flaky.example", json!({})).await;
        let hidden = app_with(
            &app,
            &f,
            "Mine",
            "mine.example",
            json!({"visibility": {"only_creator": true}}),
        )
        .await;
        let mut api = app.browser();
        let report = |body: Value, id: i64| report(&app, &f, id, body);
        let done = report(json!({"kind": "timeout"}), id).await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
        let done = report(
            json!({"kind": "blocked", "detail": "https://login.example"}),
            id,
        )
        .await;
        assert_eq!(done.status, StatusCode::NO_CONTENT, "{}", done.body);
        let bad = report(json!({"kind": "exploded"}), id).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad.json()["errors"][0]["field"], "kind");
        let long = report(json!({"kind": "blocked", "detail": "x".repeat(300)}), id).await;
        assert_eq!(long.status, StatusCode::UNPROCESSABLE_ENTITY);
        // An app the agent does not see cannot be reported by them.
        let unseen = report(json!({"kind": "timeout"}), hidden).await;
        assert_eq!(unseen.status, StatusCode::NOT_FOUND);
        let missing = report(json!({"kind": "timeout"}), 99_999).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);

        let shown = api
            .json(
                Method::GET,
                &format!(
                    "/api/v1/accounts/{}/dashboard_apps/{id}",
                    f.account.id.get()
                ),
                &[("api_access_token", &f.token)],
                json!({}),
            )
            .await
            .json();
        assert_eq!(shown["load_failures"], 2);
        assert_eq!(shown["last_failure"], "blocked: https://login.example");

        let mut admin = signed_in(&app, "admin@acme.test").await;
        let list = admin
            .get(&format!(
                "/app/accounts/{}/settings/integrations/dashboard_apps",
                f.account.id.get()
            ))
            .await;
        assert!(list.body.contains("<span class=\"warning-text\">2</span>"));
        assert!(list.body.contains("blocked: https://login.example"));
    }
);

app_test!(the_settings_form_sets_every_setting, |app| async move {
    let f = fixture(&app).await;
    let mut admin = signed_in(&app, "admin@acme.test").await;
    let base = format!(
        "/app/accounts/{}/settings/integrations/dashboard_apps",
        f.account.id.get()
    );
    let form = admin.get(&format!("{base}/new")).await;
    for text in [
        "name=\"scopes\" value=\"note.create\"",
        "name=\"withheld\" value=\"contact_email\"",
        "name=\"inbox_ids\" value=\"",
        ">Sales",
        "name=\"team_ids\" value=\"",
        "name=\"roles\" value=\"agent\"",
        "name=\"only_creator\"",
        "name=\"placements\" value=\"conversation_tab\" checked",
        "name=\"lifecycle\" value=\"per_conversation\" checked",
    ] {
        assert!(form.body.contains(text), "{text}");
    }
    let csrf = admin.csrf_of(&format!("{base}/new")).await;
    let inbox = f.support_inbox.to_string();
    let team = f.team.to_string();
    let saved = admin
        .post_form(
            &base,
            &[
                ("csrf", &csrf),
                ("title", "Orders"),
                ("url", "https://orders.example/?c={{contact.id}}"),
                ("allowed_origins", ""),
                ("settings", "1"),
                ("scopes", "note.create"),
                ("scopes", "labels.write"),
                ("withheld", "contact_phone"),
                ("inbox_ids", &inbox),
                ("team_ids", &team),
                ("roles", "agent"),
                ("only_creator", "1"),
                ("placements", "conversation_sidebar"),
                ("placements", "contact_tab"),
                ("lifecycle", "persistent"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let apps = app.services().dashboard_apps(f.account.id).await.unwrap();
    let settings = serde_json::to_value(&apps[0].settings).unwrap();
    assert_eq!(
        settings,
        json!({
            "scopes": ["note.create", "labels.write"],
            "withheld": ["contact_phone"],
            "visibility": {"inbox_ids": [f.support_inbox], "team_ids": [f.team], "roles": ["agent"], "only_creator": true},
            "placements": ["conversation_sidebar", "contact_tab"],
            "lifecycle": "persistent",
        })
    );
    // The edit form shows them ticked.
    let edit = admin.get(&format!("{base}/{}", apps[0].id.get())).await;
    for text in [
        "value=\"note.create\" checked",
        "value=\"contact_phone\" checked",
        &format!("value=\"{inbox}\" checked"),
        "value=\"agent\" checked",
        "name=\"only_creator\" value=\"1\" checked",
        "value=\"contact_tab\" checked",
        "value=\"persistent\" checked",
    ] {
        assert!(edit.body.contains(text), "{text}");
    }
    assert!(!edit.body.contains("value=\"conversation_tab\" checked"));

    // Nothing ticked under placement, an unknown scope: each message by its fields, what
    // was typed kept.
    let refused = admin
        .post_form(
            &format!("{base}/{}", apps[0].id.get()),
            &[
                ("csrf", &csrf),
                ("title", "Orders"),
                ("url", "https://orders.example/?c={{contact.ssn}}"),
                ("settings", "1"),
                ("scopes", "delete.everything"),
                ("lifecycle", "persistent"),
            ],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"app-placements-error\""));
    assert!(refused.body.contains("id=\"app-scopes-error\""));
    assert!(refused.body.contains("{{contact.ssn}}"));
    assert!(
        refused
            .body
            .contains("value=\"https://orders.example/?c={{contact.ssn}}\"")
    );

    // A form without the settings' fields keeps them (older pages, scripts).
    let kept = admin
        .post_form(
            &format!("{base}/{}", apps[0].id.get()),
            &[
                ("csrf", &csrf),
                ("title", "Orders 2"),
                ("url", "https://orders.example/"),
            ],
        )
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    let app_now = app
        .services()
        .dashboard_app(f.account.id, apps[0].id)
        .await
        .unwrap();
    assert_eq!(app_now.title, "Orders 2");
    assert_eq!(app_now.settings, apps[0].settings);
    let _ = DisplayId(0);
});

app_test!(
    apps_placed_on_contact_pages_get_the_contact_without_a_conversation,
    |app| async move {
        let f = fixture(&app).await;
        // No app on contact pages yet: no contact context either.
        let mut early = signed_in(&app, "agent@acme.test").await;
        let refused = early
            .get(&format!(
                "/app/accounts/{}/contacts/{}/context",
                f.account.id.get(),
                f.contact
            ))
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
        let contact_tab = app_with(
            &app,
            &f,
            "On contacts",
            "contacts.example",
            json!({"placements": ["contact_tab"]}),
        )
        .await;
        let _tab_only = app_with(&app, &f, "Tab only", "tab.example", json!({})).await;
        let _inbox_limited = app_with(
            &app,
            &f,
            "Sales only",
            "sales.example",
            json!({"placements": ["contact_tab"], "visibility": {"inbox_ids": [f.sales_inbox]}}),
        )
        .await;
        let templated = create(
            &app,
            &f,
            json!({"title": "Templated", "content": [{"type": "frame", "url": "https://t.example/?c={{contact.id}}&e={{contact.email}}&conv={{conversation.id}}"}],
                   "settings": {"placements": ["contact_tab"]}}),
        )
        .await
        .unwrap();
        let mut agent = signed_in(&app, "agent@acme.test").await;
        let path = format!(
            "/app/accounts/{}/contacts/{}",
            f.account.id.get(),
            f.contact
        );
        let page = agent.get(&path).await;
        assert_eq!(page.status, StatusCode::OK);
        let csp = page.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("https://contacts.example"), "{csp}");
        assert!(!csp.contains("tab.example"), "{csp}");
        assert!(
            !csp.contains("sales.example"),
            "inbox-limited apps need a conversation: {csp}"
        );
        assert!(page.body.contains(&format!("id=\"tab-app-{contact_tab}\"")));
        assert!(page.body.contains("data-placement=\"contact_tab\""));
        assert!(page.body.contains(&format!(
            "src=\"https://t.example/?c={}&#38;e=zoe%2Ba%26b%40example.com&#38;conv=\"",
            f.contact
        )));
        let _ = templated;
        let context = agent.get(&format!("{path}/context")).await;
        assert_eq!(context.status, StatusCode::OK, "{}", context.body);
        let json = context.json();
        let keys: Vec<&str> = json["data"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, vec!["contact", "currentAgent", "customAttributes"]);
        assert_eq!(json["data"]["contact"]["id"], f.contact);
        assert_eq!(json["data"]["currentAgent"]["email"], "agent@acme.test");
        let mut tokens: Vec<String> = json["tokens"]
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect();
        tokens.sort();
        let mut expected = vec![contact_tab.to_string(), templated.to_string()];
        expected.sort();
        assert_eq!(tokens, expected);
        // A contact page without apps has no frames and no script for them.
        app.services()
            .delete_dashboard_app(f.account.id, DashboardAppId(contact_tab))
            .await
            .unwrap();
        app.services()
            .delete_dashboard_app(f.account.id, DashboardAppId(templated))
            .await
            .unwrap();
        let page = agent.get(&path).await;
        assert!(!page.body.contains("role=\"tablist\""));
        assert!(!page.body.contains("contact-apps.js"));
    }
);
