//! The settings forms of labels and custom attribute definitions, with the errors shown next
//! to the fields.

use axum::http::StatusCode;
use oxidesk_domain::AttributeModel;

use super::{settings, signed_in};
use crate::api_setup::Setup;
use crate::app_test;

app_test!(labels_are_created_edited_and_deleted, |app| async move {
    let s = Setup::new(&app).await;
    let (mut admin, csrf) = signed_in(&app, "admin@acme.test", s.account.id).await;
    let account = s.account.id;
    let list = settings(account, "labels");
    let created = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("title", "Billing"),
                ("description", "Money"),
                ("color", "#00AA00"),
                ("show_on_sidebar", "1"),
            ],
        )
        .await;
    assert_eq!(created.location(), Some(list.as_str()));
    let label = app.services().labels(account).await.unwrap().pop().unwrap();
    assert_eq!(
        (label.title.as_str(), label.color.as_str()),
        ("billing", "#00aa00")
    );
    let taken = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("title", "billing"),
                ("description", "Twice"),
                ("color", "#112233"),
            ],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        taken.body.contains("Title is already taken"),
        "{}",
        taken.body
    );
    assert!(taken.body.contains(">Twice</textarea>") && taken.body.contains("value=\"#112233\""));
    let bad = admin
        .post_form(
            &list,
            &[("csrf", &csrf), ("title", "two words"), ("color", "blue")],
        )
        .await;
    assert!(
        bad.body.contains("Title may contain only letters, digits"),
        "{}",
        bad.body
    );
    assert!(
        bad.body.contains("Colour must be a colour like #1f93ff"),
        "{}",
        bad.body
    );

    let path = settings(account, &format!("labels/{}", label.id));
    let saved = admin
        .post_form(
            &path,
            &[
                ("csrf", &csrf),
                ("title", "invoices"),
                ("description", ""),
                ("color", "#ff8800"),
            ],
        )
        .await;
    assert_eq!(saved.location(), Some(format!("{path}?saved=1").as_str()));
    let label = app.services().label(account, label.id).await.unwrap();
    assert_eq!(
        (
            label.title.as_str(),
            label.color.as_str(),
            label.show_on_sidebar
        ),
        ("invoices", "#ff8800", false)
    );
    let deleted = admin
        .post_form(&format!("{path}/delete"), &[("csrf", &csrf)])
        .await;
    assert_eq!(deleted.location(), Some(list.as_str()));
    assert!(app.services().labels(account).await.unwrap().is_empty());
});

app_test!(attributes_are_defined_and_deleted, |app| async move {
    let s = Setup::new(&app).await;
    let (mut admin, csrf) = signed_in(&app, "admin@acme.test", s.account.id).await;
    let account = s.account.id;
    let list = settings(account, "attributes");
    let no_values = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("key", "plan"),
                ("display_name", "Plan"),
                ("display_type", "list"),
                ("model", "contact_attribute"),
                ("values", "\n \n"),
            ],
        )
        .await;
    assert_eq!(no_values.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        no_values
            .body
            .contains("A list attribute needs at least one value"),
        "{}",
        no_values.body
    );
    let bad_key = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("key", "Plan Name"),
                ("display_name", ""),
                ("display_type", "text"),
                ("model", "conversation_attribute"),
            ],
        )
        .await;
    assert!(
        bad_key
            .body
            .contains("Key may contain only lower-case letters"),
        "{}",
        bad_key.body
    );
    assert!(
        bad_key.body.contains("Display name is required"),
        "{}",
        bad_key.body
    );
    assert!(bad_key.body.contains("value=\"Plan Name\""));
    let created = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("key", "plan"),
                ("display_name", "Plan"),
                ("display_type", "list"),
                ("model", "contact_attribute"),
                ("values", "free\r\npro\r\n\r\nenterprise"),
                ("description", "Billing plan"),
            ],
        )
        .await;
    assert_eq!(created.location(), Some(list.as_str()), "{}", created.body);
    let def = app
        .services()
        .attribute_definitions(account, None)
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(def.attribute_model, AttributeModel::Contact);
    assert_eq!(def.attribute_values, ["free", "pro", "enterprise"]);
    let page = admin.get(&list).await;
    assert!(page.body.contains("free, pro, enterprise"), "{}", page.body);
    let duplicate = admin
        .post_form(
            &list,
            &[
                ("csrf", &csrf),
                ("key", "plan"),
                ("display_name", "Plan 2"),
                ("display_type", "text"),
                ("model", "contact_attribute"),
            ],
        )
        .await;
    assert!(
        duplicate
            .body
            .contains("Key is already defined for this model"),
        "{}",
        duplicate.body
    );
    let deleted = admin
        .post_form(
            &settings(account, &format!("attributes/{}/delete", def.id)),
            &[("csrf", &csrf)],
        )
        .await;
    assert_eq!(deleted.location(), Some(list.as_str()));
    assert!(
        app.services()
            .attribute_definitions(account, None)
            .await
            .unwrap()
            .is_empty()
    );
});
