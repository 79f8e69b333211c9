//! First start: the onboarding page creates the first account and administrator, once.

use axum::http::StatusCode;

use crate::app_test;

app_test!(a_fresh_install_leads_to_onboarding, |app| async move {
    let mut browser = app.browser();
    assert_eq!(
        browser.get("/").await.location(),
        Some("/installation/onboarding")
    );
    assert_eq!(
        browser.get("/app/login").await.location(),
        Some("/installation/onboarding")
    );
    let page = browser.get("/installation/onboarding").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Create account"));
    assert!(
        page.body.contains("<label for=\"account_name\">"),
        "labelled fields"
    );
});

app_test!(
    onboarding_errors_name_each_field_and_keep_the_input,
    |app| async move {
        let mut browser = app.browser();
        let csrf = browser.csrf_of("/installation/onboarding").await;
        let response = browser
            .post_form(
                "/installation/onboarding",
                &[
                    ("account_name", "Acme <b>Support</b>"),
                    ("name", ""),
                    ("email", "not-an-email"),
                    ("password", "short"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            response.body.contains("Name is required"),
            "{}",
            response.body
        );
        assert!(response.body.contains("is not a valid email address"));
        assert!(response.body.contains("Password is too short"));
        assert!(
            response
                .body
                .contains("value=\"Acme &#60;b&#62;Support&#60;/b&#62;\""),
            "input kept, escaped: {}",
            response.body
        );
        assert!(
            !response.body.contains("value=\"short\""),
            "the password is never sent back"
        );
        assert_eq!(
            app.db.store.count_accounts().await.unwrap(),
            0,
            "nothing created"
        );
    }
);

app_test!(
    onboarding_creates_the_account_once_and_signs_in,
    |app| async move {
        let mut browser = app.browser();
        let csrf = browser.csrf_of("/installation/onboarding").await;
        let fields = [
            ("account_name", "Acme Support"),
            ("name", "Alex Morgan"),
            ("email", "alex@acme.test"),
            ("password", "a long password"),
            ("csrf", csrf.as_str()),
        ];
        let response = browser.post_form("/installation/onboarding", &fields).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
        let account = app
            .db
            .store
            .account_by_name("Acme Support")
            .await
            .unwrap()
            .expect("account created");
        let home = format!("/app/accounts/{}/conversations", account.id);
        assert_eq!(response.location(), Some(home.as_str()));
        let page = browser.get(&home).await;
        assert_eq!(page.status, StatusCode::OK);
        assert!(
            page.body.contains("Alex Morgan") && page.body.contains("administrator"),
            "{}",
            page.body
        );

        // Once set up, the page is gone and a second submission creates nothing.
        let mut stranger = app.browser();
        assert_eq!(
            stranger.get("/installation/onboarding").await.location(),
            Some("/app/login")
        );
        let csrf = stranger.csrf_of("/app/login").await;
        let again = stranger
            .post_form(
                "/installation/onboarding",
                &[
                    ("account_name", "Takeover"),
                    ("name", "Eve"),
                    ("email", "eve@evil.test"),
                    ("password", "a long password"),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(again.location(), Some("/app/login"));
        assert_eq!(app.db.store.count_accounts().await.unwrap(), 1);
        assert!(
            app.db
                .store
                .user_by_email("eve@evil.test")
                .await
                .unwrap()
                .is_none()
        );
    }
);
