//! The account-setup API: agents.

use axum::http::{Method, StatusCode};
use oxidesk_domain::Role;
use serde_json::json;

use crate::api_setup::{Setup, assert_invalid, call};
use crate::{app_test, snapshot};

app_test!(agents_are_listed_for_everyone, |app| async move {
    let s = Setup::new(&app).await;
    let list = call(
        &app,
        &s.agent_token,
        Method::GET,
        &s.path("agents"),
        json!(null),
    )
    .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    snapshot!("agent_list", list.json());
});

app_test!(
    an_agent_added_with_a_password_can_sign_in,
    |app| async move {
        let s = Setup::new(&app).await;
        let created = call(
        &app,
        &s.admin_token,
        Method::POST,
        &s.path("agents"),
        json!({"name": "Kim Lee", "email": " Kim@Acme.test ", "role": "agent",
               "availability_status": "available", "auto_offline": false, "password": "kims-password"}),
    )
    .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        snapshot!("agent_created", created.json());

        let mut browser = app.browser();
        let login = browser.login("kim@acme.test", "kims-password").await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
        let profile = browser.get("/api/v1/profile").await;
        assert_eq!(profile.status, StatusCode::OK);
        assert_eq!(profile.json()["role"], "agent");
        assert_eq!(profile.json()["account_id"], s.account.id.get());
    }
);

app_test!(
    an_agent_added_without_a_password_signs_in_once_one_is_set,
    |app| async move {
        let s = Setup::new(&app).await;
        let created = call(
            &app,
            &s.admin_token,
            Method::POST,
            &s.path("agents"),
            json!({"name": "Lee", "email": "lee@acme.test", "role": "administrator"}),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let agent = created.json();
        assert_eq!(agent["confirmed"], false);
        assert_eq!(agent["availability_status"], "offline");
        assert_eq!(agent["auto_offline"], true);
        let refused = app.browser().login("lee@acme.test", "").await;
        assert_ne!(
            refused.status,
            StatusCode::SEE_OTHER,
            "no password, no sign-in"
        );

        let short = call(
            &app,
            &s.admin_token,
            Method::PATCH,
            &s.path(&format!("agents/{}", agent["id"])),
            json!({"password": "short"}),
        )
        .await;
        assert_invalid(&short, "password");
        let set = call(
            &app,
            &s.admin_token,
            Method::PATCH,
            &s.path(&format!("agents/{}", agent["id"])),
            json!({"password": "lees-password"}),
        )
        .await;
        assert_eq!(set.status, StatusCode::OK, "{}", set.body);
        let login = app.browser().login("lee@acme.test", "lees-password").await;
        assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);
    }
);

app_test!(agent_input_is_validated, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let path = s.path("agents");
    let post = |body| call(&app, t, Method::POST, &path, body);
    assert_invalid(
        &post(json!({"name": "X", "email": "nope", "role": "agent"})).await,
        "email",
    );
    assert_invalid(
        &post(json!({"name": "X", "email": "x@acme.test"})).await,
        "role",
    );
    assert_invalid(
        &post(json!({"name": "X", "email": "x@acme.test", "role": "owner"})).await,
        "role",
    );
    assert_invalid(
        &post(json!({"name": "X", "email": "x@acme.test", "role": "agent", "availability_status": "away"})).await,
        "availability_status",
    );
    assert_invalid(
        &post(json!({"name": "X", "email": "x@acme.test", "role": "agent", "password": "short"}))
            .await,
        "password",
    );
    assert_invalid(
        &post(json!({"email": "x@acme.test", "role": "agent"})).await,
        "name",
    );
    assert_invalid(
        &post(json!({"name": "Again", "email": "AGENT@acme.test", "role": "agent"})).await,
        "email",
    );
    let list = call(&app, t, Method::GET, &path, json!(null)).await;
    assert_eq!(list.json().as_array().unwrap().len(), 2, "nobody was added");
});

app_test!(
    a_user_of_another_account_is_added_as_they_are,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let with_password = call(
        &app,
        t,
        Method::POST,
        &s.path("agents"),
        json!({"name": "X", "email": "admin@globex.test", "role": "agent", "password": "taken-over"}),
    )
    .await;
        assert_invalid(&with_password, "password");
        let added = call(
            &app,
            t,
            Method::POST,
            &s.path("agents"),
            json!({"name": "Ignored", "email": "admin@globex.test", "role": "agent"}),
        )
        .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.body);
        assert_eq!(added.json()["id"], s.other_admin.id.get());
        assert_eq!(added.json()["name"], "Test User", "their user is unchanged");
        let password = call(
            &app,
            t,
            Method::PATCH,
            &s.path(&format!("agents/{}", s.other_admin.id)),
            json!({"password": "taken-over"}),
        )
        .await;
        assert_invalid(&password, "password");
        let login = app
            .browser()
            .login("admin@globex.test", "password123")
            .await;
        assert_eq!(
            login.status,
            StatusCode::SEE_OTHER,
            "their password still works"
        );
    }
);

app_test!(agents_are_changed_and_removed, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let agent = s.path(&format!("agents/{}", s.agent.id));
    let updated = call(
        &app,
        t,
        Method::PATCH,
        &agent,
        json!({"name": "Sam Agent", "role": "administrator", "availability": "busy", "auto_offline": false}),
    )
    .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
    snapshot!("agent_updated", updated.json());

    let demoted = call(&app, t, Method::PATCH, &agent, json!({"role": "agent"})).await;
    assert_eq!(demoted.json()["role"], "agent");
    let me = s.path(&format!("agents/{}", s.admin.id));
    let last = call(&app, t, Method::PATCH, &me, json!({"role": "agent"})).await;
    assert_eq!(last.status, StatusCode::CONFLICT, "{}", last.body);
    assert!(
        last.json()["message"]
            .as_str()
            .unwrap()
            .contains("administrator")
    );
    let myself = call(&app, t, Method::DELETE, &me, json!(null)).await;
    assert_eq!(myself.status, StatusCode::CONFLICT, "{}", myself.body);
    assert!(
        myself.json()["message"]
            .as_str()
            .unwrap()
            .contains("yourself")
    );

    let inbox = app
        .services()
        .create_api_inbox(s.account.id, "Support", None)
        .await
        .unwrap();
    app.services()
        .set_inbox_members(s.account.id, inbox.id, &[s.agent.id])
        .await
        .unwrap();
    let removed = call(&app, t, Method::DELETE, &agent, json!(null)).await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    assert_eq!(removed.json(), json!({}));
    let list = call(&app, t, Method::GET, &s.path("agents"), json!(null)).await;
    assert_eq!(list.json().as_array().unwrap().len(), 1);
    let members = call(
        &app,
        t,
        Method::GET,
        &s.path(&format!("inbox_members/{}", inbox.id)),
        json!(null),
    )
    .await;
    assert_eq!(
        members.json(),
        json!({"payload": []}),
        "they left the inbox too"
    );
    let locked_out = call(
        &app,
        &s.agent_token,
        Method::GET,
        &s.path("agents"),
        json!(null),
    )
    .await;
    assert_eq!(locked_out.status, StatusCode::UNAUTHORIZED);
    let again = call(&app, t, Method::DELETE, &agent, json!(null)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    let role = app
        .db
        .store
        .membership(s.account.id, s.admin.id)
        .await
        .unwrap()
        .map(|m| m.role);
    assert_eq!(role, Some(Role::Administrator));
});
