//! The client API's files, and the dashboard's thread.

use axum::http::{Method, StatusCode};
use serde_json::json;

use super::{fetch, multipart, path_of, png, post_three_files, send};
use crate::api_conversations::desk;
use crate::app_test;

app_test!(the_client_api_takes_files, |app| async move {
    let d = desk(&app).await;
    let inbox = app
        .db
        .store
        .inbox(d.account.id, oxidesk_domain::InboxId(d.inbox_id))
        .await
        .unwrap();
    let base = format!("/public/api/v1/inboxes/{}", inbox.inbox_identifier);
    let contact = send(
        &app,
        Method::POST,
        &format!("{base}/contacts"),
        &[],
        Some("application/json"),
        json!({"name": "Visitor"}).to_string().into_bytes(),
    )
    .await;
    let source = contact.json()["source_id"].as_str().unwrap().to_owned();
    let opened = send(
        &app,
        Method::POST,
        &format!("{base}/contacts/{source}/conversations"),
        &[],
        Some("application/json"),
        b"{}".to_vec(),
    )
    .await;
    let id = opened.json()["id"].as_i64().unwrap();
    let (content_type, body) = multipart(
        &[("echo_id", "e7")],
        &[("attachments[]", "screenshot.png", "image/png", &png(40, 30))],
    );
    let path = format!("{base}/contacts/{source}/conversations/{id}/messages");
    let posted = send(&app, Method::POST, &path, &[], Some(&content_type), body).await;
    assert_eq!(posted.status, StatusCode::OK, "{}", posted.body);
    let message = posted.json();
    assert_eq!(message["echo_id"], "e7");
    assert_eq!(message["attachments"][0]["width"], 40);
    let (served, bytes) = fetch(
        &app,
        &path_of(message["attachments"][0]["data_url"].as_str().unwrap()),
        &[],
    )
    .await;
    assert_eq!(served.status, StatusCode::OK);
    assert_eq!(bytes, png(40, 30));
    let (list, _) = fetch(&app, &path, &[]).await;
    assert_eq!(
        list.json().as_array().unwrap().last().unwrap()["attachments"][0]["height"],
        30
    );
    // The agents see it as the contact's.
    let (agent_view, _) = fetch(
        &app,
        &format!(
            "/api/v1/accounts/{}/conversations/{id}/messages",
            d.account.id
        ),
        &[("api_access_token", &d.agent_token)],
    )
    .await;
    let last = agent_view.json()["payload"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["message_type"], 0);
    assert_eq!(last["attachments"][0]["file_type"], "image");
});

app_test!(
    the_thread_shows_thumbnails_and_downloads,
    |app| async move {
        let d = desk(&app).await;
        post_three_files(&app, &d.admin_token, d.account.id).await;
        let mut browser = app.browser();
        browser.login("agent@acme.test", "password123").await;
        let page = browser
            .get(&format!("/app/accounts/{}/conversations/1", d.account.id))
            .await;
        assert_eq!(page.status, StatusCode::OK);
        let html = &page.body;
        assert!(html.contains("<ul class=\"message-files\">"), "{html}");
        assert!(
            html.contains("class=\"file-image\"><a href=\"/attachments/"),
            "{html}"
        );
        assert!(html.contains("/thumb/photo.PNG?expires="), "{html}");
        assert!(html.contains("<span class=\"file-name\">invoice.pdf</span>"));
        assert!(html.contains("<span class=\"file-size muted\">17 bytes</span>"));
        assert!(html.contains("download=\"cute.png\""));
    }
);
