//! Pages: security headers, escaping, tenant isolation, assets, the top bar's availability.

use axum::http::StatusCode;
use oxidesk::service::{ContactInput, MessageInput, StartConversation};
use oxidesk_domain::{Account, ConversationStatus, MessageType, Role, User};

use crate::{app_test, support};

app_test!(every_page_carries_the_security_headers, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    for path in ["/app/login", "/no/such/page", "/api/v1/profile"] {
        let response = browser.get(path).await;
        let csp = response
            .header("content-security-policy")
            .unwrap_or_default();
        assert!(csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(
            response.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(
            response.header("referrer-policy"),
            Some("strict-origin-when-cross-origin"),
            "{path}"
        );
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
    }
    let missing = browser.get("/no/such/page").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("does not exist"));
});

app_test!(customer_text_is_escaped_in_pages, |app| async move {
    let (account, admin) = app.account_with_admin("Acme", "admin@acme.test").await;
    let services = app.services();
    let inbox = services
        .create_api_inbox(account.id, "Website", None)
        .await
        .unwrap();
    let contact = services
        .create_contact(
            account.id,
            &ContactInput {
                name: Some("<img src=x onerror=alert(1)>".into()),
                ..ContactInput::default()
            },
        )
        .await
        .unwrap();
    let conversation = services
        .start_conversation(
            account.id,
            &StartConversation {
                inbox_id: inbox.id,
                contact_id: contact.id,
                source_id: None,
                status: ConversationStatus::Open,
                assignee_id: Some(admin.id),
                team_id: None,
                priority: None,
                additional_attributes: Default::default(),
                custom_attributes: Default::default(),
            },
        )
        .await
        .unwrap();
    services
        .set_labels(account.id, conversation.display_id, &["billing".into()])
        .await
        .unwrap();
    services
        .post_message(
            account.id,
            conversation.display_id,
            &MessageInput {
                content: "hi".into(),
                message_type: MessageType::Incoming,
                private: false,
                sender: None,
                source_id: None,
                content_type: oxidesk_domain::ContentType::Text,
                content_attributes: Default::default(),
            },
        )
        .await
        .unwrap();
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let page = browser
        .get(&format!("/app/accounts/{}/conversations", account.id))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<img src=x"), "{}", page.body);
    assert!(
        page.body.contains("&#60;img src=x onerror=alert(1)&#62;"),
        "{}",
        page.body
    );
    assert!(page.body.contains("billing"));
});

app_test!(members_see_only_their_own_accounts, |app| async move {
    let (acme, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let (globex, _) = app.account_with_admin("Globex", "admin@globex.test").await;
    app.member(&acme, "agent@acme.test", Role::Agent).await;
    let mut browser = app.browser();
    browser.login("agent@acme.test", "password123").await;
    assert_eq!(
        browser
            .get(&format!("/app/accounts/{}/conversations", acme.id))
            .await
            .status,
        StatusCode::OK
    );
    let other = browser
        .get(&format!("/app/accounts/{}/conversations", globex.id))
        .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert!(
        !other.body.contains("Globex"),
        "nothing of the other account leaks"
    );
    let mut anonymous = app.browser();
    let redirect = anonymous
        .get(&format!("/app/accounts/{}/conversations", acme.id))
        .await;
    assert_eq!(redirect.location(), Some("/app/login"));
});

app_test!(assets_are_served_with_long_caching, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    let page = browser.get("/app/login").await;
    let start = page
        .body
        .find("/assets/css/app.css?v=")
        .expect("stylesheet link");
    let end = page.body[start..].find('"').unwrap() + start;
    let css = browser.get(&page.body[start..end]).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.header("content-type"), Some("text/css; charset=utf-8"));
    assert!(
        css.header("cache-control")
            .unwrap_or_default()
            .contains("immutable")
    );
    assert_eq!(
        browser.get("/assets/nope.js").await.status,
        StatusCode::NOT_FOUND
    );

    // A module imported by a relative path (no `?v=`), or an old version's link, must be
    // revalidated, so a new release is picked up at once; unchanged, it costs a 304.
    for path in ["/assets/js/apps.js", "/assets/js/apps.js?v=old"] {
        let module = browser.get(path).await;
        assert_eq!(module.status, StatusCode::OK);
        assert_eq!(module.header("cache-control"), Some("no-cache"), "{path}");
        let etag = module.header("etag").expect("an ETag").to_owned();
        let again = browser
            .send_raw(
                axum::http::Method::GET,
                path,
                &[("if-none-match", &etag)],
                "text/plain",
                "",
            )
            .await;
        assert_eq!(again.status, StatusCode::NOT_MODIFIED, "{path}");
        assert!(again.body.is_empty());
    }
});

#[tokio::test]
async fn the_brand_name_is_configurable() {
    let mut config = oxidesk::config::Config::default();
    config.brand.name = "Hoory".into();
    let app = crate::support::TestApp::with_config(oxidesk_store::Backend::Sqlite, config)
        .await
        .expect("sqlite app");
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    let login = browser.get("/app/login").await;
    assert!(
        login.body.contains("<title>Sign in · Hoory</title>"),
        "{}",
        login.body
    );
    assert!(!login.body.contains("Oxidesk"), "{}", login.body);
    let missing = browser.get("/nowhere").await;
    assert!(missing.body.contains("Back to Hoory"), "{}", missing.body);

    // The dashboard apps settings give the brand's own fetch-info key.
    browser.login("admin@acme.test", "password123").await;
    let apps = browser
        .get("/app/accounts/1/settings/integrations/dashboard_apps")
        .await;
    assert!(
        apps.body
            .contains("<code>hoory-dashboard-app:fetch-info</code>"),
        "{}",
        apps.body
    );
}

/// The availability stored for `user` in `account`.
async fn stored_availability(app: &support::TestApp, account: &Account, user: &User) -> String {
    let membership = app.services().store.membership(account.id, user.id).await;
    membership
        .unwrap()
        .unwrap()
        .availability
        .as_str()
        .to_owned()
}

app_test!(
    an_agent_sets_their_availability_from_the_top_bar,
    |app| async move {
        let (acme, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        let (globex, _) = app.account_with_admin("Globex", "admin@globex.test").await;
        let kim = app.member(&acme, "kim@acme.test", Role::Agent).await;
        let base = format!("/app/accounts/{}", acme.id);
        let path = format!("{base}/availability");
        let mut browser = app.browser();
        browser.login("kim@acme.test", "password123").await;
        let page = browser.get(&format!("{base}/contacts")).await;
        assert!(
            page.body.contains(r#"<option value="offline" selected>"#),
            "a new member starts offline: {}",
            page.body
        );
        let csrf = support::csrf_in(&page.body).unwrap();
        let form = |value| [("csrf", csrf.as_str()), ("availability", value)];

        // Busy: stored for this account, shown selected, and back on the page it was set from.
        let referer = format!("http://localhost{base}/contacts?page=2");
        let set = browser
            .send_form_with(&path, &form("busy"), &[("referer", &referer)])
            .await;
        assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);
        assert_eq!(
            set.location(),
            Some(format!("{base}/contacts?page=2").as_str())
        );
        assert_eq!(stored_availability(&app, &acme, &kim).await, "busy");
        let page = browser.get(&format!("{base}/conversations")).await;
        assert!(page.body.contains(r#"<option value="busy" selected>"#));

        // A Referer outside this account is not followed.
        for referer in [
            format!("http://localhost/app/accounts/{}/contacts", globex.id),
            "https://evil.example//app/x".to_owned(),
        ] {
            let set = browser
                .send_form_with(&path, &form("online"), &[("referer", &referer)])
                .await;
            assert_eq!(
                set.location(),
                Some(format!("{base}/conversations").as_str())
            );
        }
        assert_eq!(stored_availability(&app, &acme, &kim).await, "online");

        // A value that is not an availability is named; a wrong CSRF token is refused; another
        // account's form is a 404; none of them changes anything.
        let bad = browser.post_form(&path, &form("away")).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(bad.body.contains("availability"), "{}", bad.body);
        let forged = browser
            .post_form(&path, &[("csrf", "nope"), ("availability", "busy")])
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        let other = browser
            .post_form(
                &format!("/app/accounts/{}/availability", globex.id),
                &form("busy"),
            )
            .await;
        assert_eq!(other.status, StatusCode::NOT_FOUND);
        assert_eq!(stored_availability(&app, &acme, &kim).await, "online");
    }
);
