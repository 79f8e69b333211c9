//! Canned responses: Chatwoot's API (every member manages them; short codes unique per
//! account; `search`), tenancy, and the settings page.

use axum::http::{Method, StatusCode};
use serde_json::json;

use crate::api_setup::{Setup, assert_invalid, call};
use crate::app_test;
use crate::support::csrf_in;

app_test!(
    canned_responses_are_managed_by_members_as_in_chatwoot,
    |app| async move {
        let s = Setup::new(&app).await;
        let path = s.path("canned_responses");
        let created = call(
            &app,
            &s.admin_token,
            Method::POST,
            &path,
            json!({"canned_response": {"short_code": "refund", "content": "Your refund is on its way."}}),
        )
        .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        let refund = created.json();
        assert_eq!(refund["short_code"], "refund");
        assert_eq!(refund["content"], "Your refund is on its way.");
        assert_eq!(refund["account_id"], s.account.id.get());
        assert!(
            refund["created_at"]
                .as_str()
                .is_some_and(|t| t.ends_with('Z')),
            "{refund}"
        );
        let id = refund["id"].as_i64().unwrap();

        // Agents add them too (flat body), as Chatwoot lets every member.
        let by_agent = call(
            &app,
            &s.agent_token,
            Method::POST,
            &path,
            json!({"short_code": "hello", "content": "Hello! How can I help?"}),
        )
        .await;
        assert_eq!(by_agent.status, StatusCode::OK, "{}", by_agent.body);
        let hello_id = by_agent.json()["id"].as_i64().unwrap();

        let list = call(&app, &s.agent_token, Method::GET, &path, json!(null)).await;
        assert_eq!(list.status, StatusCode::OK);
        let codes: Vec<_> = list
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["short_code"].clone())
            .collect();
        assert_eq!(codes, [json!("hello"), json!("refund")]);

        // `search` matches short codes (those starting with it first) and content.
        let found = call(
            &app,
            &s.agent_token,
            Method::GET,
            &format!("{path}?search=WAY"),
            json!(null),
        )
        .await;
        assert_eq!(
            found.json().as_array().map(Vec::len),
            Some(1),
            "{}",
            found.body
        );
        assert_eq!(found.json()[0]["short_code"], "refund");
        let percent = call(
            &app,
            &s.agent_token,
            Method::GET,
            &format!("{path}?search=%25"),
            json!(null),
        )
        .await;
        assert_eq!(
            percent.json(),
            json!([]),
            "a % is a character, not a wildcard"
        );

        let taken = call(
            &app,
            &s.agent_token,
            Method::POST,
            &path,
            json!({"short_code": "refund", "content": "x"}),
        )
        .await;
        assert_invalid(&taken, "short_code");
        let spaced = call(
            &app,
            &s.agent_token,
            Method::POST,
            &path,
            json!({"short_code": "two words", "content": "x"}),
        )
        .await;
        assert_invalid(&spaced, "short_code");
        let empty = call(
            &app,
            &s.agent_token,
            Method::POST,
            &path,
            json!({"short_code": "x"}),
        )
        .await;
        assert_invalid(&empty, "content");
        let renamed_onto = call(
            &app,
            &s.admin_token,
            Method::PATCH,
            &format!("{path}/{hello_id}"),
            json!({"short_code": "refund"}),
        )
        .await;
        assert_invalid(&renamed_onto, "short_code");

        let changed = call(
            &app,
            &s.agent_token,
            Method::PATCH,
            &format!("{path}/{id}"),
            json!({"content": "Refunded."}),
        )
        .await;
        assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
        assert_eq!(changed.json()["short_code"], "refund");
        assert_eq!(changed.json()["content"], "Refunded.");

        // Another account's member sees none of it and touches none of it.
        let other_token = app.token("admin@globex.test").await;
        let other_path = format!("/api/v1/accounts/{}/canned_responses", s.other.id);
        let theirs = call(&app, &other_token, Method::GET, &other_path, json!(null)).await;
        assert_eq!(theirs.json(), json!([]));
        let foreign = call(
            &app,
            &other_token,
            Method::DELETE,
            &format!("{other_path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(foreign.status, StatusCode::NOT_FOUND);
        let into_acme = call(&app, &other_token, Method::GET, &path, json!(null)).await;
        assert_eq!(into_acme.status, StatusCode::UNAUTHORIZED);
        // The same short code is free in another account.
        let same_code = call(
            &app,
            &other_token,
            Method::POST,
            &other_path,
            json!({"short_code": "refund", "content": "y"}),
        )
        .await;
        assert_eq!(same_code.status, StatusCode::OK, "{}", same_code.body);

        let deleted = call(
            &app,
            &s.agent_token,
            Method::DELETE,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        let gone = call(
            &app,
            &s.agent_token,
            Method::GET,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }
);

app_test!(
    canned_responses_settings_page_lists_adds_edits_and_deletes,
    |app| async move {
        let s = Setup::new(&app).await;
        let base = format!("/app/accounts/{}/settings/canned_responses", s.account.id);
        let mut browser = app.browser();
        browser.login("admin@acme.test", "password123").await;
        let page = browser.get(&base).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        assert!(page.body.contains("No canned responses yet."));
        let csrf = csrf_in(&page.body).unwrap();

        let added = browser
            .post_form(
                &base,
                &[
                    ("csrf", &csrf),
                    ("short_code", "ship"),
                    ("content", "<b>Shipped</b> today"),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
        let list = browser.get(&base).await;
        assert!(list.body.contains("/ship"), "{}", list.body);
        assert!(
            list.body.contains("&#60;b&#62;Shipped&#60;/b&#62; today")
                && !list.body.contains("<b>Shipped"),
            "escaped: {}",
            list.body
        );

        let bad = browser
            .post_form(
                &base,
                &[
                    ("csrf", &csrf),
                    ("short_code", "ship"),
                    ("content", "again"),
                ],
            )
            .await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(
            bad.body.contains("Short code has already been taken"),
            "{}",
            bad.body
        );

        let listed = app
            .services()
            .canned_responses(s.account.id, None)
            .await
            .unwrap();
        let id = listed[0].id.get();
        let edited = browser
            .post_form(
                &format!("{base}/{id}"),
                &[
                    ("csrf", &csrf),
                    ("short_code", "shipped"),
                    ("content", "On its way"),
                ],
            )
            .await;
        assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
        let shown = browser.get(&format!("{base}/{id}?saved=1")).await;
        assert!(
            shown.body.contains("On its way") && shown.body.contains("Saved."),
            "{}",
            shown.body
        );

        let confirm = browser.get(&format!("{base}/{id}/delete")).await;
        assert_eq!(confirm.status, StatusCode::OK);
        let deleted = browser
            .post_form(&format!("{base}/{id}/delete"), &[("csrf", &csrf)])
            .await;
        assert_eq!(deleted.status, StatusCode::SEE_OTHER);
        assert!(
            app.services()
                .canned_responses(s.account.id, None)
                .await
                .unwrap()
                .is_empty()
        );

        // Agents get the settings' 404, like every settings page.
        let mut agent = app.browser();
        agent.login("agent@acme.test", "password123").await;
        assert_eq!(agent.get(&base).await.status, StatusCode::NOT_FOUND);
    }
);
