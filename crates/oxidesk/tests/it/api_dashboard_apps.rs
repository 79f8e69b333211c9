//! The dashboard apps API: CRUD, validation that names the field, administrators only.

use axum::http::{Method, StatusCode};
use oxidesk_domain::Role;
use serde_json::json;

use crate::{app_test, snapshot};

app_test!(administrators_manage_dashboard_apps, |app| async move {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    let token = app.token("admin@acme.test").await;
    let base = format!("/api/v1/accounts/{}/dashboard_apps", account.id);
    let mut client = app.browser();
    let auth = [("api_access_token", token.as_str())];

    // Chatwoot's dashboard wraps the body in `dashboard_app`; its docs do not. Both work.
    let wrapped = client
        .json(Method::POST, &base, &auth, json!({"dashboard_app": {"title": "CRM Dashboard", "content": [{"type": "frame", "url": "https://link.com"}]}}))
        .await;
    assert_eq!(wrapped.status, StatusCode::OK, "{}", wrapped.body);
    snapshot!("dashboard_app_created", wrapped.json());
    let bare = client
        .json(Method::POST, &base, &auth, json!({"title": "Orders", "content": [{"type": "frame", "url": "http://localhost:8080/orders"}]}))
        .await;
    assert_eq!(bare.status, StatusCode::OK, "{}", bare.body);
    let id = wrapped.json()["id"].as_i64().unwrap();

    let list = client.json(Method::GET, &base, &auth, json!(null)).await;
    assert_eq!(list.status, StatusCode::OK);
    let titles: Vec<String> = list
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["title"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(titles, vec!["CRM Dashboard", "Orders"]);
    let shown = client
        .json(Method::GET, &format!("{base}/{id}"), &auth, json!(null))
        .await
        .json();
    assert_eq!(
        shown["content"][0],
        json!({"type": "frame", "url": "https://link.com"})
    );

    let renamed = client
        .json(
            Method::PATCH,
            &format!("{base}/{id}"),
            &auth,
            json!({"title": "CRM"}),
        )
        .await
        .json();
    assert_eq!(renamed["title"], "CRM");
    assert_eq!(
        renamed["content"][0]["url"], "https://link.com",
        "content not given stays"
    );
    let put = client
        .json(Method::PUT, &format!("{base}/{id}"), &auth, json!({"dashboard_app": {"content": [{"type": "frame", "url": "https://crm.example.com"}]}}))
        .await
        .json();
    assert_eq!(put["content"][0]["url"], "https://crm.example.com");

    let deleted = client
        .json(Method::DELETE, &format!("{base}/{id}"), &auth, json!(null))
        .await;
    assert_eq!(deleted.status, StatusCode::NO_CONTENT);
    assert_eq!(
        client
            .json(Method::GET, &format!("{base}/{id}"), &auth, json!(null))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        client
            .json(Method::DELETE, &format!("{base}/{id}"), &auth, json!(null))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
});

app_test!(
    invalid_apps_are_refused_with_the_field_and_the_reason,
    |app| async move {
        let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        let token = app.token("admin@acme.test").await;
        let base = format!("/api/v1/accounts/{}/dashboard_apps", account.id);
        let mut client = app.browser();
        let auth = [("api_access_token", token.as_str())];
        let cases = [
            (
                json!({"title": "x", "content": [{"type": "frame", "url": "com"}]}),
                "content[0].url",
                "Enter a full URL starting with https:// or http://",
            ),
            (
                json!({"title": "x", "content": [{"type": "dda", "url": "https://a.example"}]}),
                "content[0].type",
                "must be frame (got 'dda')",
            ),
            (
                json!({"title": "x", "content": []}),
                "content",
                "Add at least one frame",
            ),
            (json!({"title": "x"}), "content", "is required"),
            (
                json!({"content": [{"type": "frame", "url": "https://a.example"}]}),
                "title",
                "A name is required",
            ),
            (
                json!({"title": "x", "content": [{"type": "frame", "url": "javascript:alert(1)"}]}),
                "content[0].url",
                "Enter a full URL",
            ),
            (
                json!({"title": "x", "content": [{"type": "frame", "url": "data:text/html,<b>"}]}),
                "content[0].url",
                "Enter a full URL",
            ),
            (
                json!({"title": "x", "content": [{"type": "frame", "url": "file:///etc/passwd"}]}),
                "content[0].url",
                "Enter a full URL",
            ),
            (
                json!({"title": "x", "content": [{"type": "frame", "url": "/relative"}]}),
                "content[0].url",
                "Enter a full URL",
            ),
            (
                json!({"title": "x", "content": "https://a.example"}),
                "content",
                "invalid type",
            ),
        ];
        for (body, field, message) in cases {
            let response = client.json(Method::POST, &base, &auth, body.clone()).await;
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                response.body
            );
            let error = response.json();
            assert_eq!(
                error["errors"][0]["field"], field,
                "{body}: {}",
                response.body
            );
            assert!(
                error["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(message),
                "{body}: {}",
                response.body
            );
            assert!(
                error["message"].as_str().unwrap().contains(field),
                "the message names the field: {}",
                response.body
            );
        }
        let listed = client
            .json(Method::GET, &base, &auth, json!(null))
            .await
            .json();
        assert_eq!(listed, json!([]), "nothing was created");
    }
);

app_test!(agents_may_read_but_not_write_apps, |app| async move {
    let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
    app.member(&account, "agent@acme.test", Role::Agent).await;
    let admin = app.token("admin@acme.test").await;
    let agent = app.token("agent@acme.test").await;
    let base = format!("/api/v1/accounts/{}/dashboard_apps", account.id);
    let mut client = app.browser();
    let body =
        json!({"title": "CRM", "content": [{"type": "frame", "url": "https://crm.example.com"}]});
    let created = client
        .json(
            Method::POST,
            &base,
            &[("api_access_token", &admin)],
            body.clone(),
        )
        .await
        .json();
    let id = created["id"].as_i64().unwrap();
    let as_agent = [("api_access_token", agent.as_str())];
    assert_eq!(
        client
            .json(Method::GET, &base, &as_agent, json!(null))
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        client
            .json(Method::GET, &format!("{base}/{id}"), &as_agent, json!(null))
            .await
            .status,
        StatusCode::OK
    );
    for (method, path) in [
        (Method::POST, base.clone()),
        (Method::PATCH, format!("{base}/{id}")),
        (Method::PUT, format!("{base}/{id}")),
        (Method::DELETE, format!("{base}/{id}")),
    ] {
        let response = client
            .json(method.clone(), &path, &as_agent, body.clone())
            .await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{method} {path}");
        assert_eq!(response.json()["code"], "forbidden");
    }
    let after = client
        .json(Method::GET, &format!("{base}/{id}"), &as_agent, json!(null))
        .await
        .json();
    assert_eq!(after["title"], "CRM", "unchanged");
    assert_eq!(
        client
            .json(Method::GET, &base, &[], json!(null))
            .await
            .status,
        StatusCode::UNAUTHORIZED
    );
});

app_test!(
    extra_allowed_origins_are_optional_and_kept_as_origins,
    |app| async move {
        let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        let token = app.token("admin@acme.test").await;
        let base = format!("/api/v1/accounts/{}/dashboard_apps", account.id);
        let mut client = app.browser();
        let auth = [("api_access_token", token.as_str())];

        // A client that never heard of allowed_origins gets an empty list back.
        let plain = client
            .json(Method::POST, &base, &auth, json!({"title": "Plain", "content": [{"type": "frame", "url": "https://plain.example"}]}))
            .await;
        assert_eq!(plain.status, StatusCode::OK, "{}", plain.body);
        assert_eq!(plain.json()["allowed_origins"], json!([]));

        // Wrapped, with URLs that have paths: only their origins are kept, once each.
        let created = client
            .json(
                Method::POST,
                &base,
                &auth,
                json!({"dashboard_app": {
                    "title": "CRM",
                    "content": [{"type": "frame", "url": "https://crm.example.com/app"}],
                    "allowed_origins": [
                        "https://Login.Example.com/sso?next=/app",
                        "http://localhost:3000",
                        "https://login.example.com"
                    ]
                }}),
            )
            .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        snapshot!("dashboard_app_with_origins", created.json());
        let id = created.json()["id"].as_i64().unwrap();
        let path = format!("{base}/{id}");
        let origins = json!(["https://login.example.com", "http://localhost:3000"]);
        assert_eq!(created.json()["allowed_origins"], origins);
        let shown = client.json(Method::GET, &path, &auth, json!(null)).await;
        assert_eq!(shown.json()["allowed_origins"], origins);
        let listed = client.json(Method::GET, &base, &auth, json!(null)).await;
        assert_eq!(listed.json()[1]["allowed_origins"], origins);

        // An update without the field (or with null) keeps the list.
        let renamed = client
            .json(Method::PATCH, &path, &auth, json!({"title": "CRM 2"}))
            .await
            .json();
        assert_eq!(renamed["allowed_origins"], origins);
        let kept = client
            .json(Method::PUT, &path, &auth, json!({"allowed_origins": null}))
            .await
            .json();
        assert_eq!(kept["allowed_origins"], origins);
        // A new list replaces it, bare or wrapped; [] clears it.
        let replaced = client
            .json(
                Method::PATCH,
                &path,
                &auth,
                json!({"dashboard_app": {"allowed_origins": ["https://sso.example.com/"]}}),
            )
            .await
            .json();
        assert_eq!(
            replaced["allowed_origins"],
            json!(["https://sso.example.com"])
        );
        assert_eq!(replaced["title"], "CRM 2");
        let cleared = client
            .json(Method::PUT, &path, &auth, json!({"allowed_origins": []}))
            .await
            .json();
        assert_eq!(cleared["allowed_origins"], json!([]));
        let stored = app
            .services()
            .dashboard_app(account.id, oxidesk_domain::DashboardAppId(id))
            .await
            .unwrap();
        assert_eq!(stored.origins(), vec!["https://crm.example.com"]);
    }
);

app_test!(
    bad_allowed_origins_are_refused_naming_the_entry,
    |app| async move {
        let (account, _) = app.account_with_admin("Acme", "admin@acme.test").await;
        let token = app.token("admin@acme.test").await;
        let base = format!("/api/v1/accounts/{}/dashboard_apps", account.id);
        let mut client = app.browser();
        let auth = [("api_access_token", token.as_str())];
        let app_with = |origins: serde_json::Value| json!({"title": "x", "content": [{"type": "frame", "url": "https://a.example"}], "allowed_origins": origins});
        let eleven: Vec<String> = (0..11).map(|i| format!("https://o{i}.example")).collect();
        let cases = [
            (
                app_with(json!(["https://ok.example", "javascript:alert(1)"])),
                "allowed_origins[1]",
                "must be an origin starting with https:// or http://",
            ),
            (
                app_with(json!(["data:text/html,<b>"])),
                "allowed_origins[0]",
                "must be an origin",
            ),
            (
                app_with(json!(["file:///etc/passwd"])),
                "allowed_origins[0]",
                "must be an origin",
            ),
            (
                app_with(json!(["/login"])),
                "allowed_origins[0]",
                "must be an origin",
            ),
            (
                app_with(json!(["login.example.com"])),
                "allowed_origins[0]",
                "must be an origin",
            ),
            (app_with(json!(eleven)), "allowed_origins", "at most 10"),
            (
                app_with(json!("https://login.example.com")),
                "allowed_origins",
                "invalid type",
            ),
            (app_with(json!([1])), "allowed_origins[0]", "invalid type"),
        ];
        for (body, field, message) in cases {
            let response = client.json(Method::POST, &base, &auth, body.clone()).await;
            assert_eq!(
                response.status,
                StatusCode::UNPROCESSABLE_ENTITY,
                "{body}: {}",
                response.body
            );
            let error = response.json();
            assert_eq!(
                error["errors"][0]["field"], field,
                "{body}: {}",
                response.body
            );
            assert!(
                error["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(message),
                "{body}: {}",
                response.body
            );
            assert!(
                error["message"].as_str().unwrap().contains(field),
                "the message names the field: {}",
                response.body
            );
        }
        // Every problem at once: the title and an origin.
        let both = client
            .json(
                Method::POST,
                &base,
                &auth,
                json!({"content": [{"type": "frame", "url": "https://a.example"}], "allowed_origins": ["javascript:x"]}),
            )
            .await
            .json();
        let fields: Vec<&str> = both["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert_eq!(fields, vec!["title", "allowed_origins[0]"]);
        assert_eq!(
            client
                .json(Method::GET, &base, &auth, json!(null))
                .await
                .json(),
            json!([]),
            "nothing was created"
        );

        // An update is checked the same way and changes nothing.
        let created = client
            .json(
                Method::POST,
                &base,
                &auth,
                app_with(json!(["https://login.example.com"])),
            )
            .await
            .json();
        let path = format!("{base}/{}", created["id"]);
        let refused = client
            .json(
                Method::PATCH,
                &path,
                &auth,
                json!({"allowed_origins": ["javascript:alert(1)"]}),
            )
            .await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(refused.json()["errors"][0]["field"], "allowed_origins[0]");
        let after = client
            .json(Method::GET, &path, &auth, json!(null))
            .await
            .json();
        assert_eq!(
            after["allowed_origins"],
            json!(["https://login.example.com"])
        );
    }
);
