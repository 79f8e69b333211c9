//! Signing in and out: cookies, CSRF, throttling, hashed session ids.

use axum::http::StatusCode;
use oxidesk::config::Config;
use oxidesk_domain::Timestamp;
use oxidesk_store::Backend;

use crate::app_test;
use crate::support::TestApp;

fn session_cookie_header(response: &crate::support::TestResponse) -> Option<String> {
    response
        .headers
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("oxidesk_session="))
        .map(str::to_owned)
}

app_test!(signing_in_sets_a_safe_session_cookie, |app| async move {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    let response = browser.login("Admin@Acme.test", "password123").await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/app"));
    let cookie = session_cookie_header(&response).expect("a session cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain http: no Secure flag: {cookie}"
    );

    let app_page = browser.get("/app").await;
    let home = format!("/app/accounts/{}/conversations", account.id);
    assert_eq!(app_page.location(), Some(home.as_str()));
    let page = browser.get(&home).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Acme"));
});

app_test!(
    a_wrong_password_is_refused_without_a_session,
    |app| async move {
        app.account_with_admin("Acme", "admin@acme.test").await;
        let mut browser = app.browser();
        let response = browser.login("admin@acme.test", "wrong-password").await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert!(
            response.body.contains("Invalid email or password"),
            "{}",
            response.body
        );
        assert!(session_cookie_header(&response).is_none());
        let unknown = browser.login("nobody@acme.test", "password123").await;
        assert_eq!(
            unknown.status,
            StatusCode::UNAUTHORIZED,
            "an unknown email answers the same"
        );
        assert!(unknown.body.contains("Invalid email or password"));
        // The typed email comes back escaped.
        let hostile = browser.login("\"><script>alert(1)</script>", "x").await;
        assert!(
            !hostile.body.contains("<script>alert(1)</script>"),
            "{}",
            hostile.body
        );
    }
);

app_test!(
    forms_without_a_valid_csrf_token_are_refused,
    |app| async move {
        app.account_with_admin("Acme", "admin@acme.test").await;
        let mut browser = app.browser();
        browser.get("/app/login").await;
        let forged = browser
            .post_form(
                "/app/login",
                &[
                    ("email", "admin@acme.test"),
                    ("password", "password123"),
                    ("csrf", "forged"),
                ],
            )
            .await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN);
        assert!(session_cookie_header(&forged).is_none());

        // A token from another browser does not match this browser's cookie.
        let mut other = app.browser();
        let other_token = other.csrf_of("/app/login").await;
        let mixed = browser
            .post_form(
                "/app/login",
                &[
                    ("email", "admin@acme.test"),
                    ("password", "password123"),
                    ("csrf", &other_token),
                ],
            )
            .await;
        assert_eq!(mixed.status, StatusCode::FORBIDDEN);

        // Signed in, sign-out needs the session's token.
        let mut signed_in = app.browser();
        signed_in.login("admin@acme.test", "password123").await;
        let logout = signed_in
            .post_form("/app/logout", &[("csrf", "nope")])
            .await;
        assert_eq!(logout.status, StatusCode::FORBIDDEN);
        assert_eq!(signed_in.get("/app").await.status, StatusCode::SEE_OTHER);
        assert!(
            signed_in
                .get("/app")
                .await
                .location()
                .is_some_and(|l| l.starts_with("/app/accounts/"))
        );
    }
);

app_test!(signing_out_ends_the_session, |app| async move {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let home = format!("/app/accounts/{}/conversations", account.id);
    let page = browser.get(&home).await;
    let csrf = crate::support::csrf_in(&page.body).expect("the sign-out form has a csrf field");
    let stolen_cookie = browser
        .cookies
        .get("oxidesk_session")
        .cloned()
        .expect("session cookie");
    let out = browser.post_form("/app/logout", &[("csrf", &csrf)]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.location(), Some("/app/login"));
    assert!(
        !browser.cookies.contains_key("oxidesk_session"),
        "the cookie is cleared"
    );
    // The old session id no longer works, even if someone kept it.
    browser
        .cookies
        .insert("oxidesk_session".into(), stolen_cookie);
    let after = browser.get(&home).await;
    assert_eq!(after.status, StatusCode::SEE_OTHER);
    assert_eq!(after.location(), Some("/app/login"));
});

app_test!(session_ids_are_stored_only_as_hashes, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    browser.login("admin@acme.test", "password123").await;
    let raw = browser
        .cookies
        .get("oxidesk_session")
        .cloned()
        .expect("session cookie");
    let store = &app.db.store;
    assert!(
        store
            .session(&raw, Timestamp::now())
            .await
            .unwrap()
            .is_none(),
        "the raw id is not in the database"
    );
    let hashed = oxidesk::secrets::sha256_hex(&raw);
    assert!(
        store
            .session(&hashed, Timestamp::now())
            .await
            .unwrap()
            .is_some()
    );
});

app_test!(failed_logins_are_throttled_per_email, |app| async move {
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    for _ in 0..5 {
        assert_eq!(
            browser.login("admin@acme.test", "wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    let blocked = browser.login("admin@acme.test", "password123").await;
    assert_eq!(
        blocked.status,
        StatusCode::TOO_MANY_REQUESTS,
        "even the right password waits"
    );
    assert!(
        blocked.body.contains("Too many attempts"),
        "{}",
        blocked.body
    );
    // Another address from another IP is not affected.
    app.member(
        &app.services()
            .store
            .account_by_name("Acme")
            .await
            .unwrap()
            .unwrap(),
        "sam@acme.test",
        oxidesk_domain::Role::Agent,
    )
    .await;
    let mut other = app.browser();
    other.peer = "10.9.9.9:5000".into();
    assert_eq!(
        other.login("sam@acme.test", "password123").await.status,
        StatusCode::SEE_OTHER
    );
});

app_test!(failed_logins_are_throttled_per_ip, |app| async move {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    app.member(&account, "sam@acme.test", oxidesk_domain::Role::Agent)
        .await;
    let mut attacker = app.browser();
    attacker.peer = "203.0.113.7:1234".into();
    for i in 0..20 {
        let email = format!("guess{i}@acme.test");
        assert_eq!(
            attacker.login(&email, "wrong").await.status,
            StatusCode::UNAUTHORIZED
        );
    }
    assert_eq!(
        attacker.login("sam@acme.test", "password123").await.status,
        StatusCode::TOO_MANY_REQUESTS
    );
    let mut someone_else = app.browser();
    someone_else.peer = "198.51.100.1:1234".into();
    assert_eq!(
        someone_else
            .login("sam@acme.test", "password123")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
});

#[tokio::test]
async fn cookies_are_secure_behind_https() {
    let config = Config {
        public_url: Some("https://help.example.com".into()),
        ..Config::default()
    };
    let app = TestApp::with_config(Backend::Sqlite, config)
        .await
        .expect("sqlite app");
    app.account_with_admin("Acme", "admin@acme.test").await;
    let mut browser = app.browser();
    let response = browser.login("admin@acme.test", "password123").await;
    let cookie = session_cookie_header(&response).expect("a session cookie");
    assert!(cookie.contains("; Secure"), "{cookie}");
}
