//! The account-setup API: labels and custom attribute definitions.

use axum::http::{Method, StatusCode};
use oxidesk::service::{ContactInput, StartConversation};
use serde_json::json;

use crate::api_setup::{Setup, assert_invalid, call};
use crate::{app_test, snapshot};

app_test!(
    labels_are_created_read_changed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let created = call(
        &app,
        t,
        Method::POST,
        &s.path("labels"),
        json!({"title": "VIP", "description": "Big customers", "color": "#FF0000", "show_on_sidebar": false}),
    )
    .await;
        assert_eq!(created.status, StatusCode::OK, "{}", created.body);
        snapshot!("label_created", created.json());
        let id = created.json()["id"].as_i64().unwrap();
        let plain = call(
            &app,
            t,
            Method::POST,
            &s.path("labels"),
            json!({"title": "billing"}),
        )
        .await;
        assert_eq!(
            plain.json()["color"],
            "#1f93ff",
            "Chatwoot's default colour"
        );
        assert_eq!(plain.json()["show_on_sidebar"], true);

        let list = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path("labels"),
            json!(null),
        )
        .await;
        assert_eq!(list.status, StatusCode::OK);
        snapshot!("label_list", list.json());
        let one = call(
            &app,
            &s.agent_token,
            Method::GET,
            &s.path(&format!("labels/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(one.json(), created.json());

        let updated = call(
            &app,
            t,
            Method::PATCH,
            &s.path(&format!("labels/{id}")),
            json!({"color": "#00ff00", "show_on_sidebar": true}),
        )
        .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        snapshot!("label_updated", updated.json());

        let deleted = call(
            &app,
            t,
            Method::DELETE,
            &s.path(&format!("labels/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(deleted.json(), json!({}));
        let gone = call(
            &app,
            t,
            Method::GET,
            &s.path(&format!("labels/{id}")),
            json!(null),
        )
        .await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }
);

app_test!(label_input_is_validated, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let path = s.path("labels");
    let vip = call(&app, t, Method::POST, &path, json!({"title": "vip"})).await;
    let colour = call(
        &app,
        t,
        Method::POST,
        &path,
        json!({"title": "red", "color": "red"}),
    )
    .await;
    assert_invalid(&colour, "color");
    let duplicate = call(&app, t, Method::POST, &path, json!({"title": "VIP"})).await;
    assert_invalid(&duplicate, "title");
    assert!(
        duplicate.json()["message"]
            .as_str()
            .unwrap()
            .contains("already taken")
    );
    let spaced = call(&app, t, Method::POST, &path, json!({"title": "two words"})).await;
    assert_invalid(&spaced, "title");
    let untitled = call(&app, t, Method::POST, &path, json!({"color": "#123456"})).await;
    assert_invalid(&untitled, "title");
    let other = call(&app, t, Method::POST, &path, json!({"title": "billing"})).await;
    let taken = call(
        &app,
        t,
        Method::PATCH,
        &s.path(&format!("labels/{}", other.json()["id"])),
        json!({"title": "vip"}),
    )
    .await;
    assert_invalid(&taken, "title");
    let bad = call(
        &app,
        t,
        Method::PATCH,
        &s.path(&format!("labels/{}", vip.json()["id"])),
        json!({"color": "#12345"}),
    )
    .await;
    assert_invalid(&bad, "color");
    let list = call(&app, t, Method::GET, &path, json!(null)).await;
    assert_eq!(list.json()["payload"].as_array().unwrap().len(), 2);
});

app_test!(
    renaming_a_label_renames_it_on_conversations,
    |app| async move {
        let s = Setup::new(&app).await;
        let services = app.services();
        let inbox = services
            .create_api_inbox(s.account.id, "Support", None)
            .await
            .unwrap();
        let contact = services
            .create_contact(
                s.account.id,
                &ContactInput {
                    name: Some("Ann".into()),
                    ..ContactInput::default()
                },
            )
            .await
            .unwrap();
        let mut conversations = Vec::new();
        for _ in 0..2 {
            let start = StartConversation::new(inbox.id, contact.id);
            conversations.push(
                services
                    .start_conversation(s.account.id, &start)
                    .await
                    .unwrap()
                    .display_id,
            );
        }
        let label = services
            .create_label(s.account.id, "vip", "", "#ff0000")
            .await
            .unwrap();
        let titles = |list: &[&str]| list.iter().map(|t| (*t).to_owned()).collect::<Vec<_>>();
        services
            .set_labels(s.account.id, conversations[0], &titles(&["vip", "billing"]))
            .await
            .unwrap();
        services
            .set_labels(s.account.id, conversations[1], &titles(&["vip", "gold"]))
            .await
            .unwrap();
        let store = &app.db.store;
        store
            .set_contact_labels(s.account.id, contact.id, &titles(&["vip"]))
            .await
            .unwrap();
        let renamed = call(
            &app,
            &s.admin_token,
            Method::PATCH,
            &s.path(&format!("labels/{}", label.id)),
            json!({"title": "Gold"}),
        )
        .await;
        assert_eq!(renamed.status, StatusCode::OK, "{}", renamed.body);
        assert_eq!(renamed.json()["title"], "gold");
        let first = services
            .conversation(s.account.id, conversations[0])
            .await
            .unwrap();
        assert_eq!(first.labels, vec!["billing", "gold"]);
        let second = services
            .conversation(s.account.id, conversations[1])
            .await
            .unwrap();
        assert_eq!(second.labels, vec!["gold"], "one copy of the new title");
        let tags = store
            .contact_labels(s.account.id, contact.id)
            .await
            .unwrap();
        assert_eq!(tags, vec!["gold"], "contacts' labels are renamed too");
    }
);

app_test!(
    attribute_definitions_are_created_read_changed_and_deleted,
    |app| async move {
        let s = Setup::new(&app).await;
        let t = &s.admin_token;
        let path = s.path("custom_attribute_definitions");
        let plan = call(
        &app,
        t,
        Method::POST,
        &path,
        json!({"attribute_display_name": "Plan", "attribute_display_type": 6, "attribute_key": "plan",
               "attribute_description": "Billing plan", "attribute_values": ["Free", " Pro ", "Free"],
               "attribute_model": 1}),
    )
    .await;
        assert_eq!(plan.status, StatusCode::OK, "{}", plan.body);
        snapshot!("attribute_created", plan.json());
        let id = plan.json()["id"].as_i64().unwrap();
        let order = call(
            &app,
            t,
            Method::POST,
            &path,
            json!({"attribute_display_name": "Order", "attribute_display_type": "number",
               "attribute_key": "order_total", "attribute_model": "conversation_attribute",
               "regex_pattern": "^[0-9]+$", "regex_cue": "Digits only"}),
        )
        .await;
        assert_eq!(order.status, StatusCode::OK, "{}", order.body);
        let defaults = call(
            &app,
            t,
            Method::POST,
            &path,
            json!({"attribute_display_name": "Note", "attribute_key": "note"}),
        )
        .await;
        assert_eq!(defaults.json()["attribute_display_type"], "text");
        assert_eq!(defaults.json()["attribute_model"], "conversation_attribute");

        let all = call(&app, &s.agent_token, Method::GET, &path, json!(null)).await;
        assert_eq!(all.json().as_array().unwrap().len(), 3);
        for query in ["contact_attribute", "1"] {
            let contacts = call(
                &app,
                &s.agent_token,
                Method::GET,
                &format!("{path}?attribute_model={query}"),
                json!(null),
            )
            .await;
            assert_eq!(contacts.status, StatusCode::OK, "{}", contacts.body);
            assert_eq!(contacts.json(), json!([plan.json()]));
        }
        let conversations = call(
            &app,
            t,
            Method::GET,
            &format!("{path}?attribute_model=0"),
            json!(null),
        )
        .await;
        snapshot!("attribute_list_of_conversations", conversations.json());
        let bad_model = call(
            &app,
            t,
            Method::GET,
            &format!("{path}?attribute_model=2"),
            json!(null),
        )
        .await;
        assert_invalid(&bad_model, "attribute_model");

        let one = call(
            &app,
            &s.agent_token,
            Method::GET,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(one.json(), plan.json());
        let updated = call(
        &app,
        t,
        Method::PATCH,
        &format!("{path}/{id}"),
        json!({"attribute_display_name": "Plan name", "attribute_values": ["Free", "Pro", "Enterprise"]}),
    )
    .await;
        assert_eq!(updated.status, StatusCode::OK, "{}", updated.body);
        snapshot!("attribute_updated", updated.json());

        let deleted = call(
            &app,
            t,
            Method::DELETE,
            &format!("{path}/{id}"),
            json!(null),
        )
        .await;
        assert_eq!(deleted.status, StatusCode::OK);
        assert_eq!(deleted.json(), json!({}));
        let gone = call(&app, t, Method::GET, &format!("{path}/{id}"), json!(null)).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND);
    }
);

app_test!(attribute_input_is_validated, |app| async move {
    let s = Setup::new(&app).await;
    let t = &s.admin_token;
    let path = s.path("custom_attribute_definitions");
    let post = |body| call(&app, t, Method::POST, &path, body);
    assert_invalid(
        &post(json!({"attribute_display_name": "Order", "attribute_key": "Order-Total"})).await,
        "attribute_key",
    );
    assert_invalid(
        &post(json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_display_type": "list"})).await,
        "attribute_values",
    );
    assert_invalid(
        &post(json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_display_type": 6, "attribute_values": []})).await,
        "attribute_values",
    );
    assert_invalid(
        &post(json!({"attribute_display_name": "X", "attribute_key": "x", "attribute_display_type": 8})).await,
        "attribute_display_type",
    );
    let unknown = post(json!({"attribute_display_name": "X", "attribute_key": "x", "attribute_display_type": "colour"})).await;
    assert_invalid(&unknown, "attribute_display_type");
    assert!(
        unknown.json()["message"]
            .as_str()
            .unwrap()
            .contains("checkbox"),
        "{}",
        unknown.body
    );
    assert_invalid(
        &post(json!({"attribute_key": "x", "attribute_model": "ticket_attribute"})).await,
        "attribute_model",
    );
    assert_invalid(
        &post(json!({"attribute_key": "x"})).await,
        "attribute_display_name",
    );

    let first = post(json!({"attribute_display_name": "Plan", "attribute_key": "plan"})).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_invalid(
        &post(json!({"attribute_display_name": "Plan", "attribute_key": "plan"})).await,
        "attribute_key",
    );
    let for_contacts = post(
        json!({"attribute_display_name": "Plan", "attribute_key": "plan", "attribute_model": 1}),
    )
    .await;
    assert_eq!(
        for_contacts.status,
        StatusCode::OK,
        "the same key on another model is fine"
    );
    let to_list = call(
        &app,
        t,
        Method::PATCH,
        &format!("{path}/{}", first.json()["id"]),
        json!({"attribute_display_type": "list"}),
    )
    .await;
    assert_invalid(&to_list, "attribute_values");
});
